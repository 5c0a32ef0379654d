#include "xlat/ipv4_to_ipv6.hpp"

#include <cstring>
#include <optional>

#include "net/packet/header_writers.hpp"
#include "net/packet/ipv4_view.hpp"
#include "net/packet/protocol_numbers.hpp"
#include "net/packet/transport_views.hpp"
#include "xlat/icmp4_error.hpp"
#include "xlat/icmp_4to6.hpp"
#include "xlat/icmp_mapping.hpp"
#include "xlat/mtu.hpp"
#include "xlat/transport_4to6.hpp"

namespace sixgate::xlat {

namespace {

namespace packet = net::packet;

constexpr std::uint8_t kProtoIgmp = 2;  // RFC 1112 / 2236 / 3376
// RFC 791 3.1 option types.
constexpr std::uint8_t kOptionEnd = 0;
constexpr std::uint8_t kOptionNop = 1;
constexpr std::uint8_t kOptionLooseSourceRoute = 0x83;
constexpr std::uint8_t kOptionStrictSourceRoute = 0x89;
// RFC 792: Destination Unreachable codes and Time Exceeded in transit.
constexpr Icmp4Error kSourceRouteFailed{icmp4::kDestinationUnreachable, 5, 0};
constexpr Icmp4Error kTtlExceededInTransit{icmp4::kTimeExceeded, 0, 0};

TranslationResult dropped(DropReason reason) noexcept {
    TranslationResult result;
    result.verdict = Verdict::drop;
    result.reason = reason;
    return result;
}

// One packet, in the buffer: one "fragment" of its whole length (as translate_ipv6_to_ipv4).
TranslationResult translated(std::size_t length) noexcept {
    TranslationResult result;
    result.verdict = Verdict::translated;
    result.length = length;
    result.fragment_count = 1;
    result.fragment_lengths[0] = static_cast<std::uint16_t>(length);
    return result;
}

// RFC 7915 4.4: a discarded packet may be answered with an ICMPv4 error to its source; when RFC
// 1812 forbids one, it is only dropped (the counter says why either way).
TranslationResult answer_with_icmp4_error(packet::PacketBuffer& buffer,
                                          const packet::Ipv4View& original, const Icmp4Error& error,
                                          DropReason reason,
                                          const AddressMapping& mapping) noexcept {
    if (!build_icmp4_error(buffer, original, error, mapping)) return dropped(reason);
    TranslationResult result;
    result.verdict = Verdict::icmp_error;
    result.reason = reason;
    result.length = buffer.size();
    return result;
}

// What 4.1 needs from the IPv4 header, read before the IPv6 header is written over it.
struct Ipv4Fields {
    std::uint8_t tos = 0;
    std::uint16_t identification = 0;
    bool more_fragments = false;
    std::uint16_t fragment_offset = 0;
    std::uint8_t protocol = 0;
    std::size_t header_length = 0;
    std::size_t payload_length = 0;
};

Ipv4Fields read_fields(const packet::Ipv4View& ipv4) noexcept {
    Ipv4Fields fields;
    fields.tos = ipv4.tos();
    fields.identification = ipv4.identification();
    fields.more_fragments = ipv4.more_fragments();
    fields.fragment_offset = ipv4.fragment_offset();
    fields.protocol = ipv4.protocol();
    fields.header_length = ipv4.header_length();
    fields.payload_length = ipv4.payload().size();
    return fields;
}

// RFC 7915 4.1 Next Header: ICMPv4 becomes ICMPv6, every other protocol number is copied.
std::uint8_t next_header(std::uint8_t protocol) noexcept {
    return protocol == packet::kProtoIcmp ? packet::kProtoIcmpv6 : protocol;
}

// RFC 7915 4.1 Hop Limit: the translator is a router and decrements it (the caller has sent
// Time Exceeded for a TTL that would reach 0).
std::uint8_t hop_limit(std::uint8_t ttl, const TranslatorSettings& settings) noexcept {
    return settings.decrement_ttl ? static_cast<std::uint8_t>(ttl - 1) : ttl;
}

DropReason mapping_drop(MappingFailure failure, DropReason no_match) noexcept {
    return failure == MappingFailure::well_known_prefix_non_global
               ? DropReason::well_known_prefix_non_global
               : no_match;
}

struct MappedAddresses {
    std::optional<DropReason> failure;
    net::Ipv6Address source{};
    net::Ipv6Address destination{};
};

// RFC 7915 4.1 Source and Destination Address: mapped per RFC 7915 6 (EAM, then pool6 with the
// RFC 6052 3.1 rule).
MappedAddresses map_addresses(const packet::Ipv4View& ipv4, bool is_icmp_error,
                              const AddressMapping& mapping) noexcept {
    MappedAddresses out;
    const auto source = mapping.try_map_ipv4_to_ipv6(ipv4.source());
    if (source) {
        out.source = *source;
    } else if (is_icmp_error && mapping.own_ipv6()) {
        // RFC 7915 is silent on an ICMPv4 error from a router whose address cannot be mapped
        // (e.g. a private hop under the WKP); like RFC 6791 in the other direction, the
        // translator's own IPv6 address stands in, so traceroute still sees the hop.
        out.source = *mapping.own_ipv6();
    } else {
        out.failure = mapping_drop(source.error(), DropReason::source_unmapped);
        return out;
    }
    const auto destination = mapping.try_map_ipv4_to_ipv6(ipv4.destination());
    if (!destination) {
        out.failure = mapping_drop(destination.error(), DropReason::destination_unmapped);
        return out;
    }
    out.destination = *destination;
    return out;
}

DropReason transport_drop(TransportOutcome outcome) noexcept {
    switch (outcome) {
        case TransportOutcome::udp_zero_checksum:
            return DropReason::udp_zero_checksum;
        case TransportOutcome::udp_zero_checksum_fragment:
            return DropReason::udp_zero_checksum_fragment;
        case TransportOutcome::malformed:
        case TransportOutcome::translated:
            break;
    }
    return DropReason::malformed_transport;
}

// RFC 7915 4.1: the IPv6 header, plus a Fragment Header only when the IPv4 packet was already
// a fragment (RFC 8021: never an atomic fragment). Identification's 16 bits become the low
// half of the 32-bit one; offset and M are copied.
bool write_ipv6_headers(std::span<std::byte> out, const Ipv4Fields& ipv4, bool fragment_header,
                        std::size_t payload_length, std::uint8_t hops,
                        const MappedAddresses& addresses, std::uint32_t fragment_offset,
                        bool more_fragments) noexcept {
    packet::Ipv6HeaderFields fields;
    fields.traffic_class = ipv4.tos;  // RFC 7915 4.1: all 8 bits of TOS by default
    fields.flow_label = 0;
    fields.payload_length =
        static_cast<std::uint16_t>(payload_length + (fragment_header ? kFragmentHeaderLength : 0));
    fields.next_header = fragment_header ? packet::kProtoFragment : next_header(ipv4.protocol);
    fields.hop_limit = hops;
    fields.source = addresses.source;
    fields.destination = addresses.destination;
    if (packet::write_ipv6_header(out, fields) == 0) return false;
    if (!fragment_header) return true;
    packet::Ipv6FragmentHeaderFields fragment;
    fragment.next_header = next_header(ipv4.protocol);
    fragment.fragment_offset = fragment_offset;
    fragment.more_fragments = more_fragments;
    fragment.identification = ipv4.identification;
    return packet::write_ipv6_fragment_header(out.subspan(kIpv6HeaderLength), fragment) != 0;
}

// RFC 7915 4.1: a packet with DF clear that would exceed lowest-ipv6-mtu (or the next hop) is
// fragmented, each fragment with its Fragment Header within the limit; offsets continue those
// of an IPv4 fragment, and only the last piece keeps its MF.
TranslationResult write_fragments(std::span<const std::byte> payload, std::span<std::byte> out,
                                  const Ipv4Fields& ipv4, std::uint32_t per_fragment,
                                  std::uint8_t hops, const MappedAddresses& addresses) noexcept {
    TranslationResult result = translated(0);
    if (per_fragment == 0) return dropped(DropReason::output_too_small);
    const std::size_t count = (payload.size() + per_fragment - 1) / per_fragment;
    const std::size_t headers = kIpv6HeaderLength + kFragmentHeaderLength;
    if (count > result.fragment_lengths.size() || count * headers + payload.size() > out.size())
        return dropped(DropReason::output_too_small);
    std::size_t written = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t offset = i * per_fragment;
        const std::size_t length =
            payload.size() - offset < per_fragment ? payload.size() - offset : per_fragment;
        const bool last = i + 1 == count;
        const auto fragment = out.subspan(written, headers + length);
        if (!write_ipv6_headers(fragment, ipv4, true, length, hops, addresses,
                                ipv4.fragment_offset + static_cast<std::uint32_t>(offset),
                                !last || ipv4.more_fragments))
            return dropped(DropReason::malformed_ipv4);  // offset past 65528: a bogus fragment
        std::memcpy(fragment.data() + headers, payload.data() + offset, length);
        result.fragment_lengths[i] = static_cast<std::uint16_t>(headers + length);
        written += headers + length;
    }
    result.length = written;
    result.fragment_count = count;
    return result;
}

}  // namespace

bool has_unexpired_source_route(std::span<const std::byte> options) noexcept {
    std::size_t at = 0;
    while (at < options.size()) {
        const auto type = std::to_integer<std::uint8_t>(options[at]);
        if (type == kOptionEnd) return false;
        if (type == kOptionNop) {
            ++at;
            continue;
        }
        if (at + 1 >= options.size()) return false;
        const std::size_t length = std::to_integer<std::uint8_t>(options[at + 1]);
        if (length < 2 || at + length > options.size()) return false;
        if (type == kOptionLooseSourceRoute || type == kOptionStrictSourceRoute) {
            // RFC 791: the pointer (1-based, from the option's start) names the next address;
            // once it is greater than the length, the route has been used up.
            if (length < 3) return false;
            return std::to_integer<std::uint8_t>(options[at + 2]) <= length;
        }
        at += length;
    }
    return false;
}

TranslationResult translate_ipv4_to_ipv6(packet::PacketBuffer& buffer,
                                         std::span<std::byte> fragments,
                                         const AddressMapping& mapping,
                                         const TranslatorSettings& settings) noexcept {
    const auto ipv4 = packet::Ipv4View::parse(buffer.data());
    if (!ipv4) return dropped(DropReason::malformed_ipv4);
    // RFC 1812 5.2.2: a router verifies the header checksum before anything else.
    if (!ipv4->header_checksum_valid()) return dropped(DropReason::bad_ipv4_header_checksum);
    // RFC 791 3.2 / RFC 8200 4.5: a fragment that ends past 65535 belongs to no datagram, and its
    // offset could not be carried in a Fragment Header if the translator split it further.
    if (ipv4->fragment_offset() + ipv4->payload().size() > 65535)
        return dropped(DropReason::fragment_beyond_65535);
    // RFC 7915 4.1: options are ignored, except an unexpired source route: discard the packet
    // and answer Destination Unreachable, Source Route Failed.
    if (has_unexpired_source_route(ipv4->options()))
        return answer_with_icmp4_error(buffer, *ipv4, kSourceRouteFailed,
                                       DropReason::ipv4_options_source_route, mapping);
    // RFC 7915 4.1 Hop Limit: as any router, check for zero and answer Time Exceeded.
    if (settings.decrement_ttl && ipv4->ttl() <= 1)
        return answer_with_icmp4_error(buffer, *ipv4, kTtlExceededInTransit,
                                       DropReason::ttl_expired, mapping);
    // RFC 7915 4.2: IGMP messages are single-hop or routing-protocol messages: silently drop.
    if (ipv4->protocol() == kProtoIgmp) return dropped(DropReason::unsupported_protocol);
    if (!is_translatable_protocol(ipv4->protocol()))
        return dropped(DropReason::unsupported_protocol);

    // RFC 7915 4.2: what an ICMPv4 message becomes, decided before anything is rewritten.
    std::optional<IcmpTranslation> icmp;
    if (ipv4->protocol() == packet::kProtoIcmp) {
        // RFC 7915 4.1: fragmented ICMP cannot be translated (its checksum covers the whole
        // message, with a pseudo-header in ICMPv6).
        if (ipv4->is_fragment()) return dropped(DropReason::fragmented_icmp);
        const auto view = packet::IcmpView::parse(ipv4->payload());
        if (!view) return dropped(DropReason::malformed_transport);
        icmp = translate_icmp4_header(view->type(), view->code(), view->pointer());
        if (!icmp->translated()) return dropped(DropReason::icmp_untranslatable);
    }
    const bool icmp_error = icmp && icmp->is_error;
    const MappedAddresses addresses = map_addresses(*ipv4, icmp_error, mapping);
    if (addresses.failure) return dropped(*addresses.failure);
    const std::uint8_t hops = hop_limit(ipv4->ttl(), settings);

    if (icmp_error) {
        // RFC 7915 4.2/4.3: rebuilt whole, at most 1280 bytes, so never too big for IPv6.
        return translate_icmp4_error(buffer, *ipv4, *icmp,
                                     {ipv4->tos(), hops, addresses.source, addresses.destination},
                                     mapping, settings);
    }

    // RFC 7915 4 and 4.1: forward, fragment, or answer Fragmentation Needed.
    const Ipv4ToIpv6SizeDecision size = decide_ipv4_to_ipv6_size(
        {ipv4->total_length(), static_cast<std::uint8_t>(ipv4->header_length()),
         ipv4->dont_fragment(), ipv4->is_fragment(), settings.ipv6_next_hop_mtu,
         settings.lowest_ipv6_mtu});
    if (size.action == SizeAction::send_too_big) {
        return answer_with_icmp4_error(
            buffer, *ipv4,
            {icmp4::kDestinationUnreachable, icmp4::kFragmentationNeeded, size.frag_needed_mtu},
            DropReason::packet_too_big, mapping);
    }
    if (size.action == SizeAction::bad_next_hop_mtu)
        return dropped(DropReason::output_too_small);  // a configuration error: see the report

    // RFC 7915 4.2 (queries) and 4.5 (TCP, UDP): the upper-layer header, in place.
    const Ipv4Fields fields = read_fields(*ipv4);
    const auto payload = buffer.data().subspan(fields.header_length, fields.payload_length);
    if (ipv4->has_upper_layer_header()) {
        if (icmp) {
            translate_icmp4_informational(payload, *icmp, addresses.source, addresses.destination);
        } else {
            const TransportOutcome outcome = translate_transport_4to6(
                payload, fields.protocol, fields.more_fragments,
                pseudo_header_change(ipv4->source(), ipv4->destination(), addresses.source,
                                     addresses.destination),
                settings.udp_zero_checksum);
            if (outcome != TransportOutcome::translated) return dropped(transport_drop(outcome));
        }
    }

    // RFC 7915 4.1: the IPv6 header replaces the IPv4 one, in front of the unmoved payload.
    const bool fragment_header = size.action == SizeAction::forward && size.fragment_header;
    const std::size_t headers = kIpv6HeaderLength + (fragment_header ? kFragmentHeaderLength : 0);
    if (headers > fields.header_length) {
        if (!buffer.prepend(headers - fields.header_length))
            return dropped(DropReason::output_too_small);
    } else if (!buffer.trim_front(fields.header_length - headers)) {
        return dropped(DropReason::output_too_small);
    }
    if (!buffer.set_length(headers + fields.payload_length))
        return dropped(DropReason::output_too_small);
    if (!write_ipv6_headers(buffer.data(), fields, fragment_header, fields.payload_length, hops,
                            addresses, fields.fragment_offset, fields.more_fragments))
        return dropped(DropReason::malformed_ipv4);

    if (size.action == SizeAction::fragment) {
        return write_fragments(buffer.data().subspan(headers), fragments, fields,
                               size.fragment_payload, hops, addresses);
    }
    return translated(buffer.size());
}

}  // namespace sixgate::xlat
