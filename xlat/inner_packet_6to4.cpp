#include "xlat/inner_packet_6to4.hpp"

#include <algorithm>

#include "net/byte_order.hpp"
#include "net/packet/ipv6_view.hpp"
#include "net/packet/protocol_numbers.hpp"
#include "xlat/mtu.hpp"

namespace sixgate::xlat {

namespace pk = net::packet;

Expected<InnerPacket6to4, DropReason> plan_inner_packet_6to4(
    std::span<const std::byte> quoted, const AddressMapping& mapping) noexcept {
    const auto inner = pk::Ipv6View::parse_truncated(quoted);
    if (!inner) return DropReason::icmp_inner_malformed;
    switch (inner->chain_end()) {
        case pk::ChainEnd::upper_layer:
        case pk::ChainEnd::fragment_data:
        case pk::ChainEnd::no_next_header:
            break;
        default:  // ESP, AH, unknown extension headers: as untranslatable as an outer one
            return DropReason::icmp_inner_malformed;
    }

    InnerPacket6to4 plan;
    plan.upper_layer_offset = inner->upper_layer_offset();
    plan.end = inner->bytes().size();
    plan.ipv6_protocol = inner->upper_layer_protocol();
    plan.has_fragment_header = inner->has_fragment_header();
    plan.has_upper_layer_header = inner->chain_end() == pk::ChainEnd::upper_layer;

    // RFC 7915 5.3: the inner addresses go through the same mapping as outer ones. The quoted
    // packet is one the translator sent (its source an IPv4 host), so both sides must map.
    plan.addresses.source6 = inner->source();
    plan.addresses.destination6 = inner->destination();
    const auto source = mapping.try_map_ipv6_to_ipv4(plan.addresses.source6);
    const auto destination = mapping.try_map_ipv6_to_ipv4(plan.addresses.destination6);
    if (!source || !destination) return DropReason::icmp_inner_malformed;
    plan.addresses.source4 = *source;
    plan.addresses.destination4 = *destination;

    const auto segment = inner->upper_layer_payload();
    if (plan.ipv6_protocol == pk::kProtoIcmpv6 && plan.has_upper_layer_header && !segment.empty()) {
        const auto type = std::to_integer<std::uint8_t>(segment[0]);
        // RFC 4443 2.4(e) and RFC 7915 5.2: an error about an error is never translated.
        if (type < 128) return DropReason::icmp_error_in_error;
        const auto code = segment.size() > 1 ? std::to_integer<std::uint8_t>(segment[1]) : 0;
        plan.icmp = translate_icmp6_header(type, code);
        if (!plan.icmp.translated()) return DropReason::icmp_untranslatable;
        // The pseudo-header length is the whole message's, known only when the quoted packet is
        // not a fragment; a quoted first fragment keeps its ICMPv6 checksum.
        plan.rewrite_icmp = true;
        plan.icmpv6_length = static_cast<std::uint32_t>(inner->payload_length()) -
                             static_cast<std::uint32_t>(inner->extension_headers_length());
    }

    // RFC 7915 5.3 with 5.1 / 5.1.1, the hop limit not decremented.
    auto& h = plan.header;
    h.tos = inner->traffic_class();
    // A quoted IPv6 payload of more than 65515 bytes cannot be said in IPv4: the field saturates.
    const std::size_t total =
        kIpv4HeaderLength + inner->payload_length() - inner->extension_headers_length();
    h.total_length = static_cast<std::uint16_t>(std::min<std::size_t>(total, kIpv4MaximumMtu));
    if (plan.has_fragment_header) {
        h.identification = static_cast<std::uint16_t>(inner->fragment_identification());
        h.more_fragments = inner->more_fragments();
        h.fragment_offset = inner->fragment_offset();
    }
    // Without a Fragment header the original IPv4 Identification cannot be recovered; 0 is as good
    // as any guess (the source matches the quote by addresses, protocol and ports).
    h.dont_fragment = ipv4_dont_fragment(h.total_length, plan.has_fragment_header);
    h.ttl = inner->hop_limit();
    h.protocol = plan.ipv6_protocol == pk::kProtoIcmpv6 ? pk::kProtoIcmp : plan.ipv6_protocol;
    h.source = plan.addresses.source4;
    h.destination = plan.addresses.destination4;
    return plan;
}

void write_inner_packet_6to4(std::span<std::byte> quoted, const InnerPacket6to4& plan) noexcept {
    const auto segment =
        quoted.subspan(plan.upper_layer_offset, plan.end - plan.upper_layer_offset);
    if (plan.has_upper_layer_header) {
        if (plan.rewrite_icmp) {
            if (plan.has_fragment_header && plan.header.more_fragments) {
                // Only the type and code can change in a quoted first fragment.
                if (segment.size() >= 2) {
                    segment[0] = std::byte{plan.icmp.type};
                    segment[1] = std::byte{plan.icmp.code};
                }
            } else if (segment.size() >= 4) {
                rewrite_icmp_header_6to4(segment, plan.icmp, plan.addresses.source6,
                                         plan.addresses.destination6, plan.icmpv6_length);
            } else if (!segment.empty()) {
                segment[0] = std::byte{plan.icmp.type};
                if (segment.size() > 1) segment[1] = std::byte{plan.icmp.code};
            }
        } else {
            update_transport_checksum_6to4(segment, plan.ipv6_protocol, plan.addresses);
        }
    }
    (void)pk::write_ipv4_header(quoted.subspan(plan.ipv4_offset()), plan.header);
}

}  // namespace sixgate::xlat
