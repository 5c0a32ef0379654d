#include "isatap/isatap_address.hpp"

#include "net/ipv4_scope.hpp"

namespace sixgate::isatap {

namespace {

// RFC 5214 6.1: bytes 8..11 of the address; byte 8 is 0x02 (the modified EUI-64 "u" bit, RFC 4291
// appendix A) when the embedded IPv4 address is globally unique.
constexpr std::uint8_t kUniversalBit = 0x02;
constexpr std::uint8_t kIsatapTag0 = 0x5e;
constexpr std::uint8_t kIsatapTag1 = 0xfe;

}  // namespace

net::Ipv6Address isatap_address(const net::Ipv6Prefix& prefix, net::Ipv4Address ipv4) noexcept {
    net::Ipv6Address::Bytes bytes = prefix.address().bytes();
    const bool global = net::classify_ipv4(ipv4).reach == net::Ipv4Reach::global;
    bytes[8] = global ? kUniversalBit : 0;
    bytes[9] = 0;
    bytes[10] = kIsatapTag0;
    bytes[11] = kIsatapTag1;
    const auto v4 = ipv4.bytes();
    for (int i = 0; i < 4; ++i) bytes[12 + i] = v4[i];
    return net::Ipv6Address(bytes);
}

net::Ipv6Address isatap_link_local(net::Ipv4Address ipv4) noexcept {
    // RFC 5214 6.2: fe80::/64 with the ISATAP interface identifier.
    static const net::Ipv6Prefix kLinkLocal(net::Ipv6Address({0xfe, 0x80}), 64);
    return isatap_address(kLinkLocal, ipv4);
}

std::optional<net::Ipv4Address> embedded_ipv4(const net::Ipv6Address& address) noexcept {
    const auto& b = address.bytes();
    // Either "u" value is accepted whatever the address: the sender decided, RFC 5214 6.1 only
    // asks that it be set for global addresses.
    if ((b[8] != 0 && b[8] != kUniversalBit) || b[9] != 0 || b[10] != kIsatapTag0 || b[11] != kIsatapTag1)
        return std::nullopt;
    return net::Ipv4Address(b[12], b[13], b[14], b[15]);
}

std::optional<net::Ipv4Address> sixtofour_ipv4(const net::Ipv6Address& address) noexcept {
    const auto& b = address.bytes();
    // RFC 3056 2: 2002::/16, the IPv4 address in bits 16..47.
    if (b[0] != 0x20 || b[1] != 0x02) return std::nullopt;
    return net::Ipv4Address(b[2], b[3], b[4], b[5]);
}

}  // namespace sixgate::isatap
