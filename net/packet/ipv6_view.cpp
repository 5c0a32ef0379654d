#include "net/packet/ipv6_view.hpp"

#include <cstring>

namespace sixgate::net::packet {

std::optional<Ipv6View> Ipv6View::parse(std::span<const std::byte> bytes) noexcept {
    return parse(bytes, false);
}

std::optional<Ipv6View> Ipv6View::parse_truncated(std::span<const std::byte> bytes) noexcept {
    return parse(bytes, true);
}

std::optional<Ipv6View> Ipv6View::parse(std::span<const std::byte> bytes,
                                        bool allow_truncated) noexcept {
    if (bytes.size() < kHeaderLength) return std::nullopt;
    if (std::to_integer<std::uint8_t>(bytes[0]) >> 4 != 6) return std::nullopt;
    const std::size_t payload_length = load_be16(bytes, 4);
    const auto next_header = std::to_integer<std::uint8_t>(bytes[6]);
    // RFC 2675 2: a jumbogram has Payload Length 0 and a Hop-by-Hop header with the Jumbo Payload
    // option. sixgate never sees one (no link it serves has an MTU above 65575) and a translator
    // could not map it to IPv4, so any Payload Length 0 followed by Hop-by-Hop is refused.
    if (payload_length == 0 && next_header == kProtoHopByHop) return std::nullopt;
    std::size_t length = kHeaderLength + payload_length;
    if (bytes.size() < length) {
        if (!allow_truncated) return std::nullopt;
        length = bytes.size();
    }
    const auto packet = bytes.first(length);
    const auto chain = ExtensionHeaderChain::walk(next_header, packet.subspan(kHeaderLength));
    if (!chain) return std::nullopt;
    return Ipv6View(packet, *chain);
}

Ipv6Address Ipv6View::address_at(std::size_t at) const noexcept {
    Ipv6Address::Bytes address;
    std::memcpy(address.data(), bytes_.data() + at, address.size());
    return Ipv6Address(address);
}

}  // namespace sixgate::net::packet
