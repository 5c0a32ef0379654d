#include "xlat/icmp_4to6.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <optional>

#include "net/byte_order.hpp"
#include "net/checksum.hpp"
#include "net/packet/header_writers.hpp"
#include "net/packet/protocol_numbers.hpp"
#include "net/packet/transport_views.hpp"
#include "xlat/mtu.hpp"

namespace sixgate::xlat {

namespace {

namespace packet = net::packet;

constexpr std::size_t kIcmpHeaderLength = 8;
constexpr std::size_t kIcmp4LengthOffset = 5;  // RFC 4884 4.1: second octet of the second word
constexpr std::size_t kIcmp6LengthOffset = 4;  // RFC 4884 4.2: first octet of the second word
constexpr std::size_t kOuterHeaders = kIpv6HeaderLength + kIcmpHeaderLength;

TranslationResult dropped(DropReason reason) noexcept {
    TranslationResult result;
    result.verdict = Verdict::drop;
    result.reason = reason;
    return result;
}

std::uint16_t type_code_word(std::uint8_t type, std::uint8_t code) noexcept {
    return static_cast<std::uint16_t>(type << 8 | code);
}

// RFC 792 error types (Destination Unreachable, Source Quench, Redirect, Time Exceeded,
// Parameter Problem).
bool is_icmp4_error_type(std::uint8_t type) noexcept {
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

// RFC 7915 4.2: a query's type and code change; the checksum gains the ICMPv6 pseudo-header.
// Incremental (RFC 1624) so that the result verifies exactly when the input did.
void rewrite_icmp_query(std::span<std::byte> message, std::uint8_t type, std::uint8_t code,
                        const net::Ipv6Address& source, const net::Ipv6Address& destination,
                        std::uint32_t message_length) noexcept {
    const std::uint16_t old_word = net::load_be16(message, 0);
    const std::uint16_t new_word = type_code_word(type, code);
    message[0] = std::byte{type};
    message[1] = std::byte{code};
    net::ChecksumAccumulator added;
    net::add_ipv6_pseudo_header(added, source, destination, message_length, net::kIpProtocolIcmpv6);
    added.add_u16(new_word);
    const std::uint16_t checksum =
        net::checksum_update(net::load_be16(message, 2), old_word, added.folded_sum());
    net::store_be16(message, 2, checksum);
}

// The quoted packet after 4.3: its addresses, headers and how it fits the message.
struct QuotedLayout {
    std::size_t headers = 0;       // 40, or 48 with a Fragment Header
    std::size_t payload_kept = 0;  // quoted payload bytes copied
    IcmpExtensionPlan plan{};
};

// RFC 7915 4.2 "ICMP Error Payload" and RFC 4884: how much of the translated quote and
// extension fit in 1280 bytes.
QuotedLayout plan_quote(const packet::Ipv4View& inner, std::span<const std::byte> extension,
                        const IcmpTranslation& decision) noexcept {
    QuotedLayout layout;
    layout.headers = kIpv6HeaderLength + (inner.is_fragment() ? kFragmentHeaderLength : 0);
    const std::size_t translated = layout.headers + inner.payload().size();
    // RFC 4443 2.4(c): an ICMPv6 error must not exceed the IPv6 minimum MTU.
    const std::size_t max_payload = kIcmp6ErrorMaxPayload;
    const std::size_t extension_length =
        decision.extension == IcmpExtensionHandling::translate_length ? extension.size() : 0;
    layout.plan = plan_icmp_extension(IcmpFamily::v6, translated, extension_length, max_payload);
    // The translated header always fits (the plan keeps at least 128 bytes of quote).
    const std::size_t kept = std::max(layout.plan.quoted_length, layout.headers);
    layout.plan.quoted_length = kept;
    layout.payload_kept = kept - layout.headers;
    return layout;
}

// RFC 7915 4.3: the quoted IPv4 header becomes an IPv6 header like the outer one (4.1), except
// that its TTL is not decremented (it is a copy of what the original sender sent) and its
// Payload Length comes from the quoted Total Length, not from the bytes present.
bool write_quoted_headers(std::span<std::byte> out, const packet::Ipv4View& inner,
                          const net::Ipv6Address& source,
                          const net::Ipv6Address& destination) noexcept {
    const std::uint8_t protocol =
        inner.protocol() == packet::kProtoIcmp ? packet::kProtoIcmpv6 : inner.protocol();
    const std::size_t fragment = inner.is_fragment() ? kFragmentHeaderLength : 0;
    packet::Ipv6HeaderFields fields;
    fields.traffic_class = inner.tos();
    fields.payload_length =
        static_cast<std::uint16_t>(inner.total_length() - inner.header_length() + fragment);
    fields.next_header = fragment != 0 ? packet::kProtoFragment : protocol;
    fields.hop_limit = inner.ttl();
    fields.source = source;
    fields.destination = destination;
    if (packet::write_ipv6_header(out, fields) == 0) return false;
    if (fragment == 0) return true;
    packet::Ipv6FragmentHeaderFields fragment_fields;
    fragment_fields.next_header = protocol;
    fragment_fields.fragment_offset = inner.fragment_offset();
    fragment_fields.more_fragments = inner.more_fragments();
    fragment_fields.identification = inner.identification();
    return packet::write_ipv6_fragment_header(out.subspan(kIpv6HeaderLength), fragment_fields) != 0;
}

// RFC 7915 4.3: the quoted upper-layer header is translated as well where it is present: a
// quoted ICMPv4 query becomes its ICMPv6 form, TCP and UDP checksums follow the addresses.
// nullopt when done, else why the error is dropped.
std::optional<DropReason> translate_quoted_upper_layer(
    std::span<std::byte> payload, const packet::Ipv4View& inner, const net::Ipv6Address& source,
    const net::Ipv6Address& destination) noexcept {
    if (!inner.has_upper_layer_header()) return std::nullopt;  // a later fragment: data only
    if (inner.protocol() != packet::kProtoIcmp) {
        translate_quoted_transport_4to6(
            payload, inner.protocol(),
            pseudo_header_change(inner.source(), inner.destination(), source, destination));
        return std::nullopt;
    }
    if (payload.size() < 2) return std::nullopt;  // nothing of the ICMP header to translate
    const auto type = std::to_integer<std::uint8_t>(payload[0]);
    const auto code = std::to_integer<std::uint8_t>(payload[1]);
    const auto quoted = translate_icmp4_header(type, code);
    // Only queries get here (errors were refused); one with no ICMPv6 form cannot have come
    // from the IPv6 side.
    if (!quoted.translated() || quoted.is_error) return DropReason::icmp_untranslatable;
    if (payload.size() < 4) {  // no checksum field to carry
        payload[0] = std::byte{quoted.type};
        payload[1] = std::byte{quoted.code};
        return std::nullopt;
    }
    rewrite_icmp_query(payload, quoted.type, quoted.code, source, destination,
                       static_cast<std::uint32_t>(inner.total_length() - inner.header_length()));
    return std::nullopt;
}

// The second word of the ICMPv6 error (RFC 7915 4.2).
std::uint32_t rest_of_header(const IcmpTranslation& decision, const packet::IcmpView& icmp,
                             const packet::Ipv4View& inner, const IcmpExtensionPlan& plan,
                             const TranslatorSettings& settings) noexcept {
    switch (decision.rest) {
        case IcmpRestOfHeader::pointer:
            return decision.pointer;
        case IcmpRestOfHeader::mtu:
            return packet_too_big_mtu({icmp.next_hop_mtu(), inner.total_length(),
                                       settings.ipv6_next_hop_mtu, settings.ipv4_next_hop_mtu});
        case IcmpRestOfHeader::unused:
        case IcmpRestOfHeader::echo:
            break;
    }
    // RFC 4884: the length of the quoted part, in 64-bit words, when an extension follows.
    static_assert(kIcmp6LengthOffset == 4, "the length is the word's first octet");
    return plan.keep_extension ? std::uint32_t{plan.length_field} << 24 : 0;
}

}  // namespace

void translate_icmp4_informational(std::span<std::byte> message, const IcmpTranslation& decision,
                                   const net::Ipv6Address& source,
                                   const net::Ipv6Address& destination) noexcept {
    // RFC 7915 4.2: Echo Request/Reply keep identifier, sequence and data.
    rewrite_icmp_query(message, decision.type, decision.code, source, destination,
                       static_cast<std::uint32_t>(message.size()));
}

TranslationResult translate_icmp4_error(packet::PacketBuffer& buffer, const packet::Ipv4View& outer,
                                        const IcmpTranslation& decision, const OuterIpv6& header,
                                        const AddressMapping& mapping,
                                        const TranslatorSettings& settings) noexcept {
    const auto icmp = packet::IcmpView::parse(outer.payload());
    if (!icmp) return dropped(DropReason::malformed_transport);
    // The ICMPv6 checksum is computed afresh below: a corrupt error must not come out valid.
    if (!icmp->checksum_valid()) return dropped(DropReason::bad_transport_checksum);

    // RFC 4884: the length attribute says where the quote ends and an extension starts; a
    // length pointing past the message is ignored (the whole body is the quote).
    auto quoted = icmp->body();
    std::span<const std::byte> extension;
    const auto location = icmp_extension_offset(
        IcmpFamily::v4, std::to_integer<std::uint8_t>(icmp->bytes()[kIcmp4LengthOffset]),
        quoted.size());
    if (location.presence == IcmpExtensionPresence::present) {
        extension = quoted.subspan(location.offset);
        quoted = quoted.first(location.offset);
    }

    const auto inner = packet::Ipv4View::parse_truncated(quoted);
    if (!inner || !is_translatable_protocol(inner->protocol()))
        return dropped(DropReason::icmp_inner_malformed);
    // RFC 1122 3.2.2 / RFC 1812 4.3.2.7: no error is ever sent about an error, so a quoted
    // error is bogus.
    if (inner->protocol() == packet::kProtoIcmp && inner->has_upper_layer_header() &&
        !inner->payload().empty() &&
        is_icmp4_error_type(std::to_integer<std::uint8_t>(inner->payload()[0])))
        return dropped(DropReason::icmp_error_in_error);
    // RFC 7915 4.3: the quoted addresses are mapped like the outer ones (its source is the
    // node the error goes to, its destination the one that could not be reached).
    const auto inner_source = mapping.try_map_ipv4_to_ipv6(inner->source());
    const auto inner_destination = mapping.try_map_ipv4_to_ipv6(inner->destination());
    if (!inner_source || !inner_destination) return dropped(DropReason::icmp_inner_malformed);

    const QuotedLayout layout = plan_quote(*inner, extension, decision);
    std::array<std::byte, kIpv6MinimumMtu> scratch{};
    const auto out = std::span(scratch);
    const auto quote_out = out.subspan(kOuterHeaders);
    if (!write_quoted_headers(quote_out, *inner, *inner_source, *inner_destination))
        return dropped(DropReason::icmp_inner_malformed);
    const auto payload_out = quote_out.subspan(layout.headers, layout.payload_kept);
    std::memcpy(payload_out.data(), inner->payload().data(), layout.payload_kept);
    if (const auto why =
            translate_quoted_upper_layer(payload_out, *inner, *inner_source, *inner_destination))
        return dropped(*why);

    std::size_t length = kOuterHeaders + layout.plan.quoted_length;  // padding is zero already
    if (layout.plan.keep_extension) {
        length += layout.plan.padding;
        std::memcpy(out.data() + length, extension.data(), extension.size());
        length += extension.size();
    }

    const auto message = out.subspan(kIpv6HeaderLength, length - kIpv6HeaderLength);
    message[0] = std::byte{decision.type};
    message[1] = std::byte{decision.code};
    net::store_be32(message, 4, rest_of_header(decision, *icmp, *inner, layout.plan, settings));
    packet::Ipv6HeaderFields fields;
    fields.traffic_class = header.traffic_class;
    fields.payload_length = static_cast<std::uint16_t>(message.size());
    fields.next_header = packet::kProtoIcmpv6;
    fields.hop_limit = header.hop_limit;
    fields.source = header.source;
    fields.destination = header.destination;
    if (packet::write_ipv6_header(out, fields) == 0) return dropped(DropReason::output_too_small);
    // RFC 7915 4.2: the ICMPv6 checksum covers the pseudo-header: computed over the new message.
    net::store_be16(message, 2,
                    packet::upper_layer_checksum(header.source, header.destination,
                                                 packet::kProtoIcmpv6, message));

    if (!buffer.set_length(length)) return dropped(DropReason::output_too_small);
    std::memcpy(buffer.data().data(), out.data(), length);
    TranslationResult result;
    result.verdict = Verdict::translated;
    result.length = length;
    result.fragment_count = 1;
    result.fragment_lengths[0] = static_cast<std::uint16_t>(length);
    return result;
}

}  // namespace sixgate::xlat
