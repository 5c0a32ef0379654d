#include "xlat/ipv6_to_ipv4.hpp"

#include <algorithm>
#include <cstring>

#include "net/byte_order.hpp"
#include "net/packet/header_writers.hpp"
#include "net/packet/ipv6_view.hpp"
#include "net/packet/protocol_numbers.hpp"
#include "xlat/icmp6_error_reply.hpp"
#include "xlat/icmp_6to4.hpp"
#include "xlat/icmp_mapping.hpp"
#include "xlat/mtu.hpp"
#include "xlat/transport_6to4.hpp"

namespace sixgate::xlat {

namespace pk = net::packet;

namespace {

constexpr std::size_t kTcpMinimumHeader = 20;
constexpr std::size_t kUdpHeader = 8;
// RFC 4443 3.3 / 3.4 codes used here.
constexpr std::uint8_t kHopLimitExceededInTransit = 0;

TranslationResult dropped(DropReason reason) noexcept {
    TranslationResult result;
    result.verdict = Verdict::drop;
    result.reason = reason;
    return result;
}

TranslationResult translated_whole(const pk::PacketBuffer& buffer) noexcept {
    TranslationResult result;
    result.verdict = Verdict::translated;
    result.length = buffer.size();
    result.fragment_count = 1;
    result.fragment_lengths[0] = static_cast<std::uint16_t>(buffer.size());
    return result;
}

DropReason mapping_drop_reason(MappingFailure failure, DropReason no_match) noexcept {
    return failure == MappingFailure::well_known_prefix_non_global
               ? DropReason::well_known_prefix_non_global
               : no_match;
}

// An ICMPv6 error message (RFC 4443 2.1: types 0..127) whose header can be read.
bool is_icmpv6_error(const pk::Ipv6View& view) noexcept {
    if (view.upper_layer_protocol() != pk::kProtoIcmpv6 ||
        view.chain_end() != pk::ChainEnd::upper_layer || view.is_fragment())
        return false;
    const auto message = view.upper_layer_payload();
    return !message.empty() && std::to_integer<std::uint8_t>(message[0]) < 128;
}

// RFC 6791 4 wants the pick spread like a random one; FNV-1a over the router's address gives each
// router of a traceroute its own IPv4 address, and the same one every time.
std::uint32_t router_hash(const net::Ipv6Address& address) noexcept {
    std::uint32_t hash = 2166136261u;
    for (const std::uint8_t byte : address.bytes()) {
        hash ^= byte;
        hash *= 16777619u;
    }
    return hash;
}

struct Ipv4Addresses {
    net::Ipv4Address source{};
    net::Ipv4Address destination{};
};

// RFC 7915 5.1 Source and Destination Address (RFC 7915 6 / RFC 7757 / RFC 6052 mapping). An
// ICMPv6 error from an IPv6 router that has no IPv4 mapping gets an RFC 6791 source instead
// (RFC 7915 5.1, "the translator ... uses ... RFC 6791" for untranslatable error sources).
Expected<Ipv4Addresses, DropReason> map_addresses_6to4(const pk::Ipv6View& view,
                                                       const AddressMapping& mapping,
                                                       bool icmp_error) noexcept {
    const auto destination = mapping.try_map_ipv6_to_ipv4(view.destination());
    if (!destination)
        return mapping_drop_reason(destination.error(), DropReason::destination_unmapped);
    const net::Ipv6Address source6 = view.source();
    const auto source = mapping.try_map_ipv6_to_ipv4(source6);
    if (source) return Ipv4Addresses{*source, *destination};
    if (icmp_error)
        return Ipv4Addresses{mapping.icmp_error_source(router_hash(source6)), *destination};
    return mapping_drop_reason(source.error(), DropReason::source_unmapped);
}

// RFC 7915 5.1 Protocol: the last Next Header of the chain (Hop-by-Hop, Destination Options and a
// Routing header with nothing left to do are skipped and not translated), ICMPv6 becoming ICMP.
std::uint8_t ipv4_protocol(const pk::Ipv6View& view) noexcept {
    const std::uint8_t last = view.upper_layer_protocol();
    return last == pk::kProtoIcmpv6 ? pk::kProtoIcmp : last;
}

// RFC 7915 5.1 Identification/Flags/Fragment Offset, and 5.1.1 for a packet with a Fragment header.
void set_fragment_fields(pk::Ipv4HeaderFields& header, const pk::Ipv6View& view,
                         std::uint16_t identification) noexcept {
    if (view.has_fragment_header()) {
        // 5.1.1: the low 16 bits of the IPv6 Identification, M and the offset carried over, DF
        // clear so IPv4 routers may fragment further.
        header.identification = static_cast<std::uint16_t>(view.fragment_identification());
        header.dont_fragment = false;
        header.more_fragments = view.more_fragments();
        header.fragment_offset = view.fragment_offset();
        return;
    }
    // 5 and 5.1: DF clear up to 1260 bytes (IPv4 routers may fragment what the IPv6 host
    // believed fit in 1280), set above.
    header.dont_fragment = ipv4_dont_fragment(header.total_length, false);
    // 5.1: the translator generates the Identification. RFC 6864 4.1: in an atomic datagram (DF
    // set, not a fragment) the field has no meaning, so only DF-clear packets use up a value.
    header.identification = header.dont_fragment ? 0 : identification;
}

// RFC 791 3.2 fragmentation by the translator acting as an IPv4 router (RFC 7915 1.4, 5.1): what
// fits decide_ipv6_to_ipv4_size's payload per fragment, in place, fragments back to back.
bool fragments_fit(std::size_t ipv4_total, std::uint32_t chunk, std::size_t room,
                   std::size_t max_fragments) noexcept {
    if (chunk == 0 || ipv4_total <= kIpv4HeaderLength) return false;
    const std::size_t payload = ipv4_total - kIpv4HeaderLength;
    const std::size_t count = (payload + chunk - 1) / chunk;
    return count <= max_fragments && payload + count * kIpv4HeaderLength <= room;
}

TranslationResult fragment_in_place(pk::PacketBuffer& buffer, const pk::Ipv4HeaderFields& header,
                                    std::uint32_t chunk) noexcept {
    TranslationResult result;
    const std::size_t payload = buffer.size() - kIpv4HeaderLength;
    const std::size_t count = (payload + chunk - 1) / chunk;
    if (!fragments_fit(buffer.size(), chunk, buffer.room(), result.fragment_lengths.size()) ||
        !buffer.set_length(payload + count * kIpv4HeaderLength))
        return dropped(DropReason::output_too_small);
    const auto bytes = buffer.data();
    // Last fragment first: each moves right by 20 bytes per fragment before it, never over a
    // fragment not yet moved.
    for (std::size_t i = count; i-- > 0;) {
        const std::size_t length = std::min<std::size_t>(chunk, payload - i * chunk);
        const std::size_t to = i * (kIpv4HeaderLength + chunk);
        if (i != 0) {
            std::memmove(bytes.data() + to + kIpv4HeaderLength,
                         bytes.data() + kIpv4HeaderLength + i * chunk, length);
        }
        pk::Ipv4HeaderFields fragment = header;
        fragment.total_length = static_cast<std::uint16_t>(kIpv4HeaderLength + length);
        fragment.dont_fragment = false;
        fragment.more_fragments = i + 1 < count || header.more_fragments;
        fragment.fragment_offset = header.fragment_offset + static_cast<std::uint32_t>(i * chunk);
        (void)pk::write_ipv4_header(bytes.subspan(to), fragment);
        result.fragment_lengths[i] = fragment.total_length;
    }
    result.verdict = Verdict::translated;
    result.length = buffer.size();
    result.fragment_count = count;
    return result;
}

}  // namespace

TranslationResult translate_ipv6_to_ipv4(pk::PacketBuffer& buffer, const AddressMapping& mapping,
                                         const TranslatorSettings& settings,
                                         std::uint16_t identification) noexcept {
    const auto parsed = pk::Ipv6View::parse(buffer.data());
    if (!parsed) return dropped(DropReason::malformed_ipv6);
    const pk::Ipv6View& view = *parsed;
    const std::size_t packet_length = view.bytes().size();

    switch (view.chain_end()) {
        case pk::ChainEnd::esp:
        case pk::ChainEnd::authentication_header:
        case pk::ChainEnd::unsupported_extension:
            // RFC 7915 5.1 only skips Hop-by-Hop, Routing and Destination Options; ESP cannot be
            // walked, AH would not verify after translation, others are unknown (RFC 8200 4).
            return dropped(DropReason::ipv6_unsupported_extension);
        default:
            break;
    }

    const bool icmp = view.upper_layer_protocol() == pk::kProtoIcmpv6;
    const bool icmp_error = is_icmpv6_error(view);
    const auto addresses = map_addresses_6to4(view, mapping, icmp_error);
    if (!addresses) return dropped(addresses.error());

    // RFC 7915 5.1 Hop Limit / TTL: as a router, a packet that would leave with TTL 0 is answered
    // with Time Exceeded (RFC 4443 3.3) instead; reply_with_icmpv6_error stays silent for errors.
    if (settings.decrement_ttl && view.hop_limit() <= 1) {
        return reply_with_icmpv6_error(buffer, packet_length, mapping,
                                       {icmp6::kTimeExceeded, kHopLimitExceededInTransit, 0},
                                       DropReason::ttl_expired);
    }
    // RFC 7915 5.1: a Routing header with segments left is not translated; Parameter Problem code
    // 0 points at its Segments Left byte (RFC 8200 4.4: the byte after Routing Type).
    if (view.has_routing_header() && view.segments_left() != 0) {
        const auto pointer = static_cast<std::uint32_t>(view.routing_header_offset() + 3);
        return reply_with_icmpv6_error(
            buffer, packet_length, mapping,
            {icmp6::kParameterProblem, icmp6::kErroneousHeaderField, pointer},
            DropReason::ipv6_routing_header);
    }
    // RFC 7915 5.2 / 4.1: an ICMPv6 checksum covers the whole message, which a fragment does not
    // hold, so fragmented ICMPv6 cannot be translated statelessly.
    if (icmp && view.is_fragment()) return dropped(DropReason::fragmented_icmp);

    const std::size_t l4_offset = view.upper_layer_offset();
    // RFC 8200 4.5: a fragment whose offset and length reach past 65535 belongs to no datagram
    // (and splitting it further would overflow the 13-bit IPv4 Fragment Offset).
    if (view.fragment_offset() + (packet_length - l4_offset) > 65535)
        return dropped(DropReason::fragment_beyond_65535);
    const bool has_l4_header = view.chain_end() == pk::ChainEnd::upper_layer;
    const std::uint8_t protocol6 = view.upper_layer_protocol();
    if (has_l4_header && !icmp) {
        const std::size_t l4_length = packet_length - l4_offset;
        if ((protocol6 == pk::kProtoTcp && l4_length < kTcpMinimumHeader) ||
            (protocol6 == pk::kProtoUdp && l4_length < kUdpHeader))
            return dropped(DropReason::malformed_transport);
    }

    // RFC 7915 5.1: what is too big for the IPv4 next hop with DF set gets Packet Too Big (the
    // source must shrink: IPv6 routers do not fragment). Errors are cut to 576 bytes below and
    // leave with DF clear, so only other packets can need this.
    // A 16-bit Total Length caps every IPv4 link: an IPv6 payload of more than 65515 bytes
    // without extension headers cannot become one IPv4 packet.
    const std::uint32_t ipv4_mtu = std::min(settings.ipv4_next_hop_mtu, kIpv4MaximumMtu);
    const std::size_t plain_total = kIpv4HeaderLength + packet_length - l4_offset;
    if (!icmp_error) {
        const Ipv6ToIpv4SizeDecision size = decide_ipv6_to_ipv4_size(
            {static_cast<std::uint32_t>(plain_total), view.has_fragment_header(), ipv4_mtu});
        if (size.action == SizeAction::send_too_big) {
            return reply_with_icmpv6_error(buffer, packet_length, mapping,
                                           {icmp6::kPacketTooBig, 0, size.packet_too_big_mtu},
                                           DropReason::packet_too_big);
        }
        // DEVIATION(RFC 7915 5.1): an IPv4 next hop below the 68-byte minimum is a configuration
        // error, not something to answer; such packets are dropped.
        if (size.action == SizeAction::bad_next_hop_mtu)
            return dropped(DropReason::output_too_small);
        if (size.action == SizeAction::fragment &&
            !fragments_fit(plain_total, size.fragment_payload,
                           buffer.room() - (l4_offset - kIpv4HeaderLength),
                           TranslationResult{}.fragment_lengths.size()))
            return dropped(DropReason::output_too_small);
    }

    // Everything the IPv4 header needs is read before any byte is overwritten.
    pk::Ipv4HeaderFields header;
    header.tos = view.traffic_class();  // RFC 7915 5.1: Type of Service = Traffic Class
    header.ttl =
        settings.decrement_ttl ? static_cast<std::uint8_t>(view.hop_limit() - 1) : view.hop_limit();
    header.protocol = ipv4_protocol(view);
    header.source = addresses->source;
    header.destination = addresses->destination;

    std::size_t header_at = l4_offset - kIpv4HeaderLength;
    std::size_t l4_length = packet_length - l4_offset;
    if (icmp) {
        const auto icmp_out = translate_icmp_6to4(buffer, view, mapping, settings);
        if (!icmp_out) return dropped(icmp_out.error());
        header_at = icmp_out->ipv4_header_offset;
        l4_length = icmp_out->message_length;
    } else if (has_l4_header) {
        // RFC 7915 5.5: TCP and UDP checksums follow the pseudo-header's new addresses. A non-first
        // fragment has no header to update: the first fragment's change covers the datagram.
        update_transport_checksum_6to4(
            buffer.data().subspan(l4_offset, l4_length), protocol6,
            {view.source(), view.destination(), addresses->source, addresses->destination});
    }
    // RFC 7915 5.1 Total Length: the payload less the extension headers, plus the IPv4 header.
    // Above 65535 (only a fragment, DF clear, can get here) fragmenting below rewrites the header.
    const std::size_t total = kIpv4HeaderLength + l4_length;
    header.total_length = static_cast<std::uint16_t>(std::min<std::size_t>(total, kIpv4MaximumMtu));
    set_fragment_fields(header, view, identification);

    if (pk::write_ipv4_header(buffer.data().subspan(header_at), header) == 0 ||
        !buffer.trim_front(header_at) || !buffer.set_length(total))
        return dropped(DropReason::output_too_small);

    const Ipv6ToIpv4SizeDecision size = decide_ipv6_to_ipv4_size(
        {static_cast<std::uint32_t>(total), view.has_fragment_header(), ipv4_mtu});
    if (size.action == SizeAction::fragment)
        return fragment_in_place(buffer, header, size.fragment_payload);
    return translated_whole(buffer);
}

TranslationResult translate_ipv6_to_ipv4(pk::PacketBuffer& buffer, const AddressMapping& mapping,
                                         const TranslatorSettings& settings) noexcept {
    // One counter per data-path thread (DESIGN.md: run to completion, one thread per queue).
    thread_local std::uint16_t next_identification = 0;
    return translate_ipv6_to_ipv4(buffer, mapping, settings, next_identification++);
}

}  // namespace sixgate::xlat
