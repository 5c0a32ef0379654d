#include "isatap/tunnel_packet.hpp"

#include <algorithm>

#include "net/byte_order.hpp"
#include "net/packet/header_writers.hpp"
#include "net/packet/ipv4_view.hpp"

namespace sixgate::isatap {

namespace {

bool is_multicast(const net::Ipv6Address& a) noexcept { return a.bytes()[0] == 0xff; }

bool is_unspecified(const net::Ipv6Address& a) noexcept { return a == net::Ipv6Address(); }

bool is_loopback(const net::Ipv6Address& a) noexcept {
    static constexpr net::Ipv6Address kLoopback({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
    return a == kLoopback;
}

// RFC 4291 2.5.5.2: ::ffff:0:0/96 stands for an IPv4 node and never appears on the wire as a
// source.
bool is_ipv4_mapped(const net::Ipv6Address& a) noexcept {
    const auto& b = a.bytes();
    return std::all_of(b.begin(), b.begin() + 10, [](std::uint8_t x) { return x == 0; }) && b[10] == 0xff &&
           b[11] == 0xff;
}

}  // namespace

Expected<Decapsulated, IsatapDrop> decapsulate(std::span<const std::byte> ipv4_packet) noexcept {
    // RFC 4213 3.6: the outer header is checked as any IPv4 packet's: version, IHL >= 5, lengths
    // within the datagram, header checksum.
    const auto outer = net::packet::Ipv4View::parse(ipv4_packet);
    if (!outer || !outer->header_checksum_valid()) return IsatapDrop::outer_malformed;
    // The raw socket hands over reassembled datagrams: a fragment here is not a whole packet.
    if (outer->is_fragment()) return IsatapDrop::outer_malformed;
    if (outer->protocol() != kProtocolIpv6InIpv4) return IsatapDrop::outer_not_protocol_41;

    // RFC 4213 3.6: the IPv6 packet is what the payload holds, up to its own Payload Length
    // (bytes after it are IPv4 padding). Trimmed before parsing, so the view and everything
    // written to the TUN end there; Ipv6View::parse checks version 6 and the lengths.
    std::span<const std::byte> payload = outer->payload();
    if (payload.size() < net::packet::Ipv6View::kHeaderLength) return IsatapDrop::inner_malformed;
    const std::size_t inner_length =
        net::packet::Ipv6View::kHeaderLength + net::load_be16(payload, 4);
    if (inner_length > payload.size()) return IsatapDrop::inner_malformed;
    const auto inner = net::packet::Ipv6View::parse(payload.first(inner_length));
    if (!inner) return IsatapDrop::inner_malformed;

    // RFC 4291 2.5.2/2.5.3/2.7 and RFC 4213 3.6 (the usual IPv6 source checks): these never
    // send.
    const net::Ipv6Address source = inner->source();
    if (is_multicast(source) || is_unspecified(source) || is_loopback(source) || is_ipv4_mapped(source))
        return IsatapDrop::inner_source_invalid;
    const net::Ipv6Address destination = inner->destination();
    if (is_unspecified(destination) || is_loopback(destination)) return IsatapDrop::inner_destination_invalid;

    return Decapsulated{outer->source(), outer->destination(), inner->bytes(), *inner};
}

void write_outer_header(std::span<std::byte, 20> out, net::Ipv4Address source, net::Ipv4Address destination,
                        std::uint8_t traffic_class, std::size_t inner_length, std::uint16_t id) noexcept {
    net::packet::Ipv4HeaderFields fields;
    fields.tos = traffic_class;
    // An IPv4 packet carries at most 65515 bytes after a 20-byte header: longer is clamped (no
    // caller sends more than the 1280-byte ISATAP MTU).
    fields.total_length = std::uint16_t(std::min<std::size_t>(inner_length, 65535 - 20) + 20);
    fields.identification = id;
    fields.dont_fragment = false;  // RFC 4213 3.2: the IPv4 network may fragment
    fields.ttl = 64;
    fields.protocol = kProtocolIpv6InIpv4;
    fields.source = source;
    fields.destination = destination;
    // 20 bytes always fit and offset 0 is valid: the writer cannot refuse.
    (void)net::packet::write_ipv4_header(out, fields);
}

}  // namespace sixgate::isatap
