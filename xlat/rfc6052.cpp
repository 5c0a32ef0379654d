#include "xlat/rfc6052.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "net/ipv4_scope.hpp"

namespace sixgate::xlat {
namespace {

// RFC 6052 2.2: bits 64..71 are byte 8 of the address.
constexpr int kUOctet = 8;

// RFC 6052 2.1: the Well-Known Prefix 64:ff9b::/96.
constexpr net::Ipv6Address::Bytes kWellKnownBytes{0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0,
                                                  0,    0,    0,    0,    0, 0, 0, 0};
constexpr int kWellKnownLength = 96;

}  // namespace

Rfc6052Prefix::Rfc6052Prefix(const net::Ipv6Prefix& prefix) noexcept
    : prefix_(prefix),
      well_known_(prefix.length() == kWellKnownLength &&
                  prefix.address().bytes() == kWellKnownBytes) {
    // The four IPv4 octets follow the prefix and step over the u octet.
    int offset = prefix.length() / 8;
    for (std::uint8_t& slot : offsets_) {
        if (offset == kUOctet) ++offset;
        slot = std::uint8_t(offset++);
    }
}

Result<Rfc6052Prefix> Rfc6052Prefix::create(const net::Ipv6Prefix& prefix) {
    if (std::find(kLengths.begin(), kLengths.end(), prefix.length()) == kLengths.end())
        return make_error(std::errc::invalid_argument,
                          prefix.to_string() +
                              ": an RFC 6052 prefix must be /32, /40, /48, /56, /64 or /96 "
                              "(RFC 6052 2.2), found /" +
                              std::to_string(prefix.length()));
    // Shorter prefixes end before byte 8, so only a /96 can carry a non-zero u octet.
    if (prefix.address().bytes()[kUOctet] != 0)
        return make_error(std::errc::invalid_argument,
                          prefix.to_string() +
                              ": bits 64..71 (the u octet) of an RFC 6052 prefix must be zero "
                              "(RFC 6052 2.2)");
    return Rfc6052Prefix(prefix);
}

Rfc6052Prefix Rfc6052Prefix::well_known() noexcept {
    return Rfc6052Prefix(net::Ipv6Prefix(net::Ipv6Address(kWellKnownBytes), kWellKnownLength));
}

bool Rfc6052Prefix::contains(const net::Ipv6Address& address) const noexcept {
    // Every RFC 6052 length is a whole number of bytes.
    return std::memcmp(address.bytes().data(), prefix_.address().bytes().data(),
                       std::size_t(prefix_.length() / 8)) == 0;
}

net::Ipv6Address Rfc6052Prefix::embed(net::Ipv4Address address) const noexcept {
    net::Ipv6Address::Bytes bytes = prefix_.address().bytes();
    const auto octets = address.bytes();
    for (int i = 0; i < 4; ++i) bytes[offsets_[i]] = octets[i];
    return net::Ipv6Address(bytes);
}

std::optional<net::Ipv4Address> Rfc6052Prefix::extract(
    const net::Ipv6Address& address) const noexcept {
    if (!contains(address)) return std::nullopt;
    const auto& bytes = address.bytes();
    return net::Ipv4Address(bytes[offsets_[0]], bytes[offsets_[1]], bytes[offsets_[2]],
                            bytes[offsets_[3]]);
}

bool Rfc6052Prefix::allowed(net::Ipv4Address address) const noexcept {
    if (!well_known_) return true;
    return net::classify_ipv4(address).reach == net::Ipv4Reach::global;
}

}  // namespace sixgate::xlat
