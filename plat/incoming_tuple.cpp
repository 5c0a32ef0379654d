#include "plat/incoming_tuple.hpp"

#include "net/byte_order.hpp"
#include "net/packet/protocol_numbers.hpp"
#include "net/packet/transport_views.hpp"

namespace sixgate::plat {

namespace pk = net::packet;

namespace {

constexpr std::size_t kIcmpHeader = 8;
constexpr std::uint8_t kIcmpv6EchoRequest = 128;
constexpr std::uint8_t kIcmpv6EchoReply = 129;
constexpr std::uint8_t kIcmpEchoReply = 0;
constexpr std::uint8_t kIcmpEchoRequest = 8;

std::optional<L4Protocol> protocol_of(std::uint8_t number) noexcept {
    switch (number) {
        case pk::kProtoTcp:
            return L4Protocol::tcp;
        case pk::kProtoUdp:
            return L4Protocol::udp;
        case pk::kProtoIcmp:
        case pk::kProtoIcmpv6:
            return L4Protocol::icmp;
        default:
            return std::nullopt;
    }
}

TcpFlags tcp_flags(std::span<const std::byte> tcp) noexcept {
    const auto flags = std::to_integer<std::uint8_t>(tcp[13]);
    return {(flags & pk::TcpView::kSyn) != 0, (flags & pk::TcpView::kFin) != 0,
            (flags & pk::TcpView::kRst) != 0};
}

// The ports of a whole TCP or UDP header (or the Identifier twice for an ICMP echo), checked
// with the views: nullopt when the header is not all there.
struct Ports {
    std::uint16_t source = 0;
    std::uint16_t destination = 0;
    TcpFlags flags;
};

std::optional<Ports> read_ports(std::span<const std::byte> segment, L4Protocol protocol,
                                bool fragment) noexcept {
    Ports ports;
    switch (protocol) {
        case L4Protocol::tcp: {
            const auto tcp = pk::TcpView::parse(segment);
            if (!tcp) return std::nullopt;
            ports.source = tcp->source_port();
            ports.destination = tcp->destination_port();
            ports.flags = tcp_flags(segment);
            return ports;
        }
        case L4Protocol::udp: {
            const auto udp =
                fragment ? pk::UdpView::parse_truncated(segment) : pk::UdpView::parse(segment);
            if (!udp) return std::nullopt;
            ports.source = udp->source_port();
            ports.destination = udp->destination_port();
            return ports;
        }
        case L4Protocol::icmp:
            if (segment.size() < kIcmpHeader) return std::nullopt;
            ports.source = ports.destination = net::load_be16(segment, 4);
            return ports;
    }
    return std::nullopt;
}

// The ports of a quoted header: RFC 792 and RFC 4443 2.4(c) quote at least 8 bytes of it, which
// hold both ports (and an echo's Identifier); the rest may be missing.
std::optional<Ports> read_quoted_ports(std::span<const std::byte> segment,
                                       L4Protocol protocol) noexcept {
    Ports ports;
    if (protocol == L4Protocol::icmp) {
        if (segment.size() < 6) return std::nullopt;
        ports.source = ports.destination = net::load_be16(segment, 4);
        return ports;
    }
    if (segment.size() < 4) return std::nullopt;
    ports.source = net::load_be16(segment, 0);
    ports.destination = net::load_be16(segment, 2);
    return ports;
}

Expected<Incoming6, StepDrop> icmpv6_error_tuple(const pk::Ipv6View& packet,
                                                 const xlat::AddressMapping& mapping) noexcept {
    const std::size_t quote_at = packet.upper_layer_offset() + kIcmpHeader;
    const auto quoted =
        pk::Ipv6View::parse_truncated(packet.upper_layer_payload().subspan(kIcmpHeader));
    if (!quoted || quoted->chain_end() != pk::ChainEnd::upper_layer)
        return StepDrop::of(PlatDropReason::icmp_error_malformed);
    const auto protocol = protocol_of(quoted->upper_layer_protocol());
    if (!protocol || quoted->upper_layer_protocol() == pk::kProtoIcmp)
        return StepDrop::of(PlatDropReason::icmp_error_malformed);
    const auto segment = quoted->upper_layer_payload();
    if (*protocol == L4Protocol::icmp) {
        // RFC 4443 2.4(e): never an error about an error; only echoes have sessions.
        const auto type = segment.empty() ? 0 : std::to_integer<std::uint8_t>(segment[0]);
        if (type != kIcmpv6EchoRequest && type != kIcmpv6EchoReply)
            return StepDrop::of(PlatDropReason::icmp_error_malformed);
    }
    const auto ports = read_quoted_ports(segment, *protocol);
    if (!ports) return StepDrop::of(PlatDropReason::icmp_error_malformed);
    // The quote went from the PLAT, (Y',y), to the client, (X',x).
    const auto server = mapping.try_map_ipv6_to_ipv4(quoted->source());
    if (!server) return StepDrop::of(PlatDropReason::icmp_error_malformed);

    Incoming6 in;
    in.kind = PacketKind::icmp_error;
    in.tuple.protocol = *protocol;
    in.tuple.source = {quoted->destination(), ports->destination};
    in.tuple.destination = {*server, ports->source};
    in.endpoint = {quote_at + 24, quote_at + quoted->upper_layer_offset(), *protocol, false};
    in.icmp_offset = packet.upper_layer_offset();
    return in;
}

Expected<Incoming4, StepDrop> icmpv4_error_tuple(const pk::Ipv4View& packet,
                                                 const pk::IcmpView& icmp) noexcept {
    const auto quoted = pk::Ipv4View::parse_truncated(icmp.body());
    if (!quoted || !quoted->has_upper_layer_header())
        return StepDrop::of(PlatDropReason::icmp_error_malformed);
    const auto protocol = protocol_of(quoted->protocol());
    if (!protocol || quoted->protocol() == pk::kProtoIcmpv6)
        return StepDrop::of(PlatDropReason::icmp_error_malformed);
    const auto segment = quoted->payload();
    if (*protocol == L4Protocol::icmp) {
        const auto type = segment.empty() ? 0xff : std::to_integer<std::uint8_t>(segment[0]);
        if (type != kIcmpEchoRequest && type != kIcmpEchoReply)
            return StepDrop::of(PlatDropReason::icmp_error_malformed);
    }
    const auto ports = read_quoted_ports(segment, *protocol);
    if (!ports) return StepDrop::of(PlatDropReason::icmp_error_malformed);

    Incoming4 in;
    in.kind = PacketKind::icmp_error;
    in.protocol = packet.protocol();
    in.identification = packet.identification();
    in.tuple.protocol = *protocol;
    // The quote went from the PLAT, (T,t), to the IPv4 peer, (Z,z).
    in.tuple.source = {quoted->destination(), ports->destination};
    in.tuple.destination = {quoted->source(), ports->source};
    return in;
}

}  // namespace

Expected<Incoming6, StepDrop> incoming_tuple_6(const pk::Ipv6View& packet,
                                               const xlat::AddressMapping& mapping) noexcept {
    switch (packet.chain_end()) {
        case pk::ChainEnd::esp:
        case pk::ChainEnd::authentication_header:
        case pk::ChainEnd::unsupported_extension:
            return StepDrop::of(xlat::DropReason::ipv6_unsupported_extension);
        default:
            break;
    }
    // RFC 6146 3.1 / 3.4: TCP, UDP and ICMPv6 only.
    const auto protocol = protocol_of(packet.upper_layer_protocol());
    if (packet.chain_end() == pk::ChainEnd::no_next_header || !protocol ||
        packet.upper_layer_protocol() == pk::kProtoIcmp)
        return StepDrop::of(PlatDropReason::unsupported_protocol);
    // RFC 7915 5.2: fragmented ICMPv6 cannot be translated (the checksum covers all of it).
    if (*protocol == L4Protocol::icmp && packet.is_fragment())
        return StepDrop::of(xlat::DropReason::fragmented_icmp);

    const std::size_t l4 = packet.upper_layer_offset();
    if (*protocol == L4Protocol::icmp) {
        const auto message = packet.upper_layer_payload();
        if (message.size() < kIcmpHeader)
            return StepDrop::of(xlat::DropReason::malformed_transport);
        const auto type = std::to_integer<std::uint8_t>(message[0]);
        if (type < 128) return icmpv6_error_tuple(packet, mapping);
        // RFC 6146 3.5.3: echo messages are the ICMP queries; other informational messages
        // (neighbour discovery, MLD, ...) have no session.
        if (type != kIcmpv6EchoRequest && type != kIcmpv6EchoReply)
            return StepDrop::of(PlatDropReason::icmp_not_query);
    }

    const auto server = mapping.try_map_ipv6_to_ipv4(packet.destination());
    if (!server) {
        return server.error() == xlat::MappingFailure::well_known_prefix_non_global
                   ? StepDrop::of(xlat::DropReason::well_known_prefix_non_global)
                   : StepDrop::of(PlatDropReason::not_pool6_destination);
    }

    Incoming6 in;
    in.tuple.protocol = *protocol;
    in.tuple.source.address = packet.source();
    in.tuple.destination.address = *server;
    in.endpoint = {8, kNoUpperLayer, *protocol, true};
    if (packet.chain_end() == pk::ChainEnd::fragment_data) {
        in.kind = PacketKind::later_fragment;
        return in;
    }
    const auto ports = read_ports(packet.upper_layer_payload(), *protocol, packet.is_fragment());
    if (!ports) return StepDrop::of(xlat::DropReason::malformed_transport);
    in.kind = PacketKind::query;
    in.tuple.source.port = ports->source;
    in.tuple.destination.port = ports->destination;
    in.flags = ports->flags;
    in.endpoint.upper_layer_at = l4;
    return in;
}

Expected<Incoming4, StepDrop> incoming_tuple_4(const pk::Ipv4View& packet) noexcept {
    const auto protocol = protocol_of(packet.protocol());
    if (!protocol || packet.protocol() == pk::kProtoIcmpv6)
        return StepDrop::of(PlatDropReason::unsupported_protocol);
    if (*protocol == L4Protocol::icmp && packet.is_fragment())
        return StepDrop::of(xlat::DropReason::fragmented_icmp);

    Incoming4 in;
    in.protocol = packet.protocol();
    in.identification = packet.identification();
    in.tuple.protocol = *protocol;
    in.tuple.source.address = packet.source();
    in.tuple.destination.address = packet.destination();
    if (!packet.has_upper_layer_header()) {
        in.kind = PacketKind::later_fragment;
        return in;
    }
    if (*protocol == L4Protocol::icmp) {
        const auto icmp = pk::IcmpView::parse(packet.payload());
        if (!icmp) return StepDrop::of(xlat::DropReason::malformed_transport);
        if (icmp->is_error()) return icmpv4_error_tuple(packet, *icmp);
        if (icmp->type() != kIcmpEchoRequest && icmp->type() != kIcmpEchoReply)
            return StepDrop::of(PlatDropReason::icmp_not_query);
    }
    const auto ports = read_ports(packet.payload(), *protocol, packet.more_fragments());
    if (!ports) return StepDrop::of(xlat::DropReason::malformed_transport);
    in.kind = PacketKind::query;
    in.first_fragment = packet.is_first_fragment();
    in.tuple.source.port = ports->source;
    in.tuple.destination.port = ports->destination;
    in.flags = ports->flags;
    return in;
}

}  // namespace sixgate::plat
