#include "xlat/icmp_6to4.hpp"

#include <algorithm>
#include <cstring>

#include "net/byte_order.hpp"
#include "net/checksum.hpp"
#include "net/packet/protocol_numbers.hpp"
#include "net/packet/transport_views.hpp"
#include "xlat/icmp_mapping.hpp"
#include "xlat/inner_packet_6to4.hpp"
#include "xlat/mtu.hpp"
#include "xlat/transport_6to4.hpp"

namespace sixgate::xlat {

namespace pk = net::packet;

namespace {

constexpr std::size_t kIcmpHeaderLength = 8;

// RFC 4884 4.1 / 4.2: where the length attribute sits in the second word: its first byte in ICMPv6,
// its second byte in ICMPv4.
constexpr std::size_t kIcmpv6LengthByte = 4;
constexpr std::uint32_t kIcmpv4LengthShift = 16;

// The ICMPv4 second word for a translated error (RFC 7915 5.2).
std::uint32_t icmpv4_rest_of_header(const IcmpTranslation& icmp, std::uint32_t icmp6_rest,
                                    bool quoted_has_fragment_header,
                                    const TranslatorSettings& settings,
                                    std::uint8_t length_field) noexcept {
    switch (icmp.rest) {
        case IcmpRestOfHeader::mtu:
            // Packet Too Big -> Fragmentation Needed: the MTU less the header difference, bounded
            // by both links (xlat/mtu.hpp); the upper 16 bits stay unused.
            return frag_needed_mtu({icmp6_rest, quoted_has_fragment_header,
                                    settings.ipv4_next_hop_mtu, settings.ipv6_next_hop_mtu});
        case IcmpRestOfHeader::pointer:
            // RFC 792: the pointer is the first byte of the word.
            return icmp.pointer << 24;
        case IcmpRestOfHeader::unused:
            return std::uint32_t{length_field} << kIcmpv4LengthShift;
        case IcmpRestOfHeader::echo:
            return icmp6_rest;
    }
    return 0;
}

}  // namespace

Expected<TranslatedIcmp6to4, DropReason> translate_icmp_6to4(
    pk::PacketBuffer& buffer, const pk::Ipv6View& packet, const AddressMapping& mapping,
    const TranslatorSettings& settings) noexcept {
    const std::size_t l4_offset = packet.upper_layer_offset();
    const auto message_in = packet.upper_layer_payload();
    if (message_in.size() < kIcmpHeaderLength) return DropReason::malformed_transport;
    const auto type = std::to_integer<std::uint8_t>(message_in[0]);
    const auto code = std::to_integer<std::uint8_t>(message_in[1]);
    const std::uint32_t rest6 = net::load_be32(message_in, 4);
    const IcmpTranslation icmp = translate_icmp6_header(type, code, rest6);
    if (!icmp.translated()) return DropReason::icmp_untranslatable;

    if (!icmp.is_error) {
        // RFC 7915 5.2: echo messages keep identifier, sequence and data; only the type changes,
        // and the pseudo-header leaves the checksum (RFC 1624 update, no full recomputation).
        rewrite_icmp_header_6to4(buffer.data().subspan(l4_offset, message_in.size()), icmp,
                                 packet.source(), packet.destination(),
                                 static_cast<std::uint32_t>(message_in.size()));
        return TranslatedIcmp6to4{l4_offset - kIpv4HeaderLength, message_in.size(), false};
    }

    // The ICMPv4 checksum of an error is computed afresh, which would make a corrupted ICMPv6
    // error look valid: RFC 4443 2.3 has receivers verify it, so the translator does (as Jool).
    const auto icmpv6 = pk::Icmpv6View::parse(message_in);
    if (!icmpv6 || !icmpv6->checksum_valid(packet.source(), packet.destination()))
        return DropReason::bad_transport_checksum;

    // RFC 4884: Destination Unreachable and Time Exceeded may carry an extension after the quote.
    const auto body = message_in.subspan(kIcmpHeaderLength);
    std::size_t quoted_end = body.size();
    std::size_t extension_length = 0;
    if (icmp.extension == IcmpExtensionHandling::translate_length) {
        const auto location = icmp_extension_offset(
            IcmpFamily::v6, std::to_integer<std::uint8_t>(message_in[kIcmpv6LengthByte]),
            body.size());
        // RFC 4884 5.1: a length that points past the end is not an extension: the message is
        // taken as a plain RFC 4443 one (the whole body is the quote).
        if (location.presence == IcmpExtensionPresence::present) {
            quoted_end = location.offset;
            extension_length = body.size() - location.offset;
        }
    }

    const auto planned = plan_inner_packet_6to4(body.first(quoted_end), mapping);
    if (!planned) return planned.error();
    const InnerPacket6to4& inner = *planned;

    // Layout, all inside the incoming bytes: the inner upper layer stays put, the inner IPv4 header
    // ends where it starts, the ICMPv4 header and the outer IPv4 header go in front of it.
    const std::size_t body_offset = l4_offset + kIcmpHeaderLength;
    const std::size_t quote_start = body_offset + inner.ipv4_offset();
    const std::size_t icmp_start = quote_start - kIcmpHeaderLength;
    const std::size_t translated = inner.translated_length();

    std::size_t quoted_length = translated;
    std::size_t padding = 0;
    std::uint8_t length_field = 0;
    bool keep_extension = false;
    if (extension_length != 0) {
        // RFC 7915 5.2 with RFC 4884 5.2: re-pad the quote in 32-bit words, extension kept whole or
        // not at all (plan_icmp_extension's DEVIATION note).
        const IcmpExtensionPlan plan = plan_icmp_extension(IcmpFamily::v4, translated,
                                                           extension_length, kIcmp4ErrorMaxPayload);
        keep_extension = plan.keep_extension;
        quoted_length = plan.quoted_length;
        padding = plan.padding;
        length_field = plan.length_field;
    } else if (quoted_length > kIcmp4ErrorMaxPayload) {
        // RFC 1812 4.3.2.3 / RFC 7915 5.2: an ICMPv4 error is at most 576 bytes: cut the quote.
        quoted_length = kIcmp4ErrorMaxPayload;
    }
    const std::size_t message_length =
        kIcmpHeaderLength + quoted_length + padding + (keep_extension ? extension_length : 0);
    const std::uint32_t rest4 =
        icmpv4_rest_of_header(icmp, rest6, inner.has_fragment_header, settings, length_field);

    // Every check is done: write.
    const std::size_t extension_from = body_offset + quoted_end;
    const std::size_t message_end = icmp_start + message_length;
    if (message_end > buffer.size() && !buffer.set_length(message_end))
        return DropReason::output_too_small;
    const auto bytes = buffer.data();
    write_inner_packet_6to4(bytes.subspan(body_offset, quoted_end), inner);
    if (keep_extension) {
        const std::size_t extension_to = quote_start + quoted_length + padding;
        std::memmove(bytes.data() + extension_to, bytes.data() + extension_from, extension_length);
        std::fill_n(bytes.data() + quote_start + quoted_length, padding, std::byte{0});
    }

    const auto message = bytes.subspan(icmp_start, message_length);
    message[0] = std::byte{icmp.type};
    message[1] = std::byte{icmp.code};
    net::store_be16(message, 2, 0);
    net::store_be32(message, 4, rest4);
    // RFC 792 / RFC 7915 5.2: the ICMPv4 checksum covers the message only (no pseudo-header).
    net::ChecksumAccumulator sum;
    sum.add(std::span<const std::byte>(message));
    net::store_be16(message, 2, sum.checksum());
    return TranslatedIcmp6to4{icmp_start - kIpv4HeaderLength, message_length, true};
}

}  // namespace sixgate::xlat
