#include "xlat/transport_4to6.hpp"

#include "net/byte_order.hpp"
#include "net/checksum.hpp"
#include "net/packet/extension_headers.hpp"
#include "net/packet/protocol_numbers.hpp"
#include "net/packet/transport_views.hpp"

namespace sixgate::xlat {

namespace {

namespace packet = net::packet;

constexpr std::size_t kTcpChecksumOffset = 16;
constexpr std::size_t kUdpChecksumOffset = 6;

// RFC 1624 over the pseudo-header: the IPv4 address sum out, the IPv6 address sum in.
void update_checksum_at(std::span<std::byte> segment, std::size_t offset,
                        const PseudoHeaderChange& change, bool udp) noexcept {
    std::uint16_t checksum =
        net::checksum_update(net::load_be16(segment, offset), change.ipv4_sum, change.ipv6_sum);
    // RFC 768 / RFC 8200 8.1: a computed UDP checksum of zero is sent as all ones.
    if (udp && checksum == 0) checksum = 0xffff;
    net::store_be16(segment, offset, checksum);
}

TransportOutcome translate_tcp(std::span<std::byte> segment,
                               const PseudoHeaderChange& change) noexcept {
    if (!packet::TcpView::parse(segment)) return TransportOutcome::malformed;
    update_checksum_at(segment, kTcpChecksumOffset, change, false);
    return TransportOutcome::translated;
}

TransportOutcome translate_udp(std::span<std::byte> segment, bool more_fragments,
                               const PseudoHeaderChange& change,
                               UdpZeroChecksumAction zero_checksum) noexcept {
    // A first fragment holds only the start of the datagram its Length describes.
    const auto udp = more_fragments ? packet::UdpView::parse_truncated(segment)
                                    : packet::UdpView::parse(segment);
    if (!udp) return TransportOutcome::malformed;
    if (!udp->has_zero_checksum()) {
        update_checksum_at(segment, kUdpChecksumOffset, change, true);
        return TransportOutcome::translated;
    }
    // RFC 7915 4.5: IPv6 has no "no checksum". A stateless translator cannot compute it over a
    // fragmented datagram (only the first fragment can be recognised: drop it); otherwise it
    // computes it, or drops when so configured.
    if (more_fragments) return TransportOutcome::udp_zero_checksum_fragment;
    if (zero_checksum == UdpZeroChecksumAction::drop) return TransportOutcome::udp_zero_checksum;
    std::uint16_t checksum = packet::upper_layer_checksum(change.source, change.destination,
                                                          packet::kProtoUdp, udp->bytes());
    if (checksum == 0) checksum = 0xffff;
    net::store_be16(segment, kUdpChecksumOffset, checksum);
    return TransportOutcome::translated;
}

}  // namespace

bool is_translatable_protocol(std::uint8_t protocol) noexcept {
    switch (protocol) {
        case packet::kProtoHopByHop:
        case packet::kProtoRouting:
        case packet::kProtoFragment:
        case packet::kProtoDestinationOptions:
        case packet::kProtoIcmpv6:
            return false;
        default:
            return !packet::is_unsupported_extension_header(protocol);
    }
}

PseudoHeaderChange pseudo_header_change(net::Ipv4Address source4, net::Ipv4Address destination4,
                                        const net::Ipv6Address& source6,
                                        const net::Ipv6Address& destination6) noexcept {
    net::ChecksumAccumulator v4;
    v4.add(source4);
    v4.add(destination4);
    net::ChecksumAccumulator v6;
    v6.add(source6);
    v6.add(destination6);
    return {source6, destination6, v4.folded_sum(), v6.folded_sum()};
}

TransportOutcome translate_transport_4to6(std::span<std::byte> segment, std::uint8_t protocol,
                                          bool more_fragments, const PseudoHeaderChange& change,
                                          UdpZeroChecksumAction zero_checksum) noexcept {
    switch (protocol) {
        case packet::kProtoTcp:
            return translate_tcp(segment, change);
        case packet::kProtoUdp:
            return translate_udp(segment, more_fragments, change, zero_checksum);
        default:
            // RFC 7915 4.5 also names DCCP; its checksum is not updated yet (see the report).
            return TransportOutcome::translated;
    }
}

void translate_quoted_transport_4to6(std::span<std::byte> segment, std::uint8_t protocol,
                                     const PseudoHeaderChange& change) noexcept {
    if (protocol == packet::kProtoTcp && segment.size() >= kTcpChecksumOffset + 2) {
        update_checksum_at(segment, kTcpChecksumOffset, change, false);
    } else if (protocol == packet::kProtoUdp && segment.size() >= kUdpChecksumOffset + 2 &&
               net::load_be16(segment, kUdpChecksumOffset) != 0) {
        update_checksum_at(segment, kUdpChecksumOffset, change, true);
    }
}

}  // namespace sixgate::xlat
