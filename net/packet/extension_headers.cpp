#include "net/packet/extension_headers.hpp"

#include <optional>

#include "net/byte_order.hpp"

namespace sixgate::net::packet {

std::string_view to_string(ChainEnd end) noexcept {
    switch (end) {
        case ChainEnd::upper_layer:
            return "upper_layer";
        case ChainEnd::no_next_header:
            return "no_next_header";
        case ChainEnd::fragment_data:
            return "fragment_data";
        case ChainEnd::esp:
            return "esp";
        case ChainEnd::authentication_header:
            return "authentication_header";
        case ChainEnd::unsupported_extension:
            return "unsupported_extension";
    }
    return "unknown";
}

bool is_unsupported_extension_header(std::uint8_t next_header) noexcept {
    switch (next_header) {
        case kProtoMobility:
        case kProtoHip:
        case kProtoShim6:
        case kProtoExperimental1:
        case kProtoExperimental2:
            return true;
        default:
            return false;
    }
}

std::optional<ExtensionHeaderChain> ExtensionHeaderChain::walk(
    std::uint8_t first_next_header, std::span<const std::byte> chain) noexcept {
    ExtensionHeaderChain result;
    std::uint8_t next = first_next_header;
    std::size_t at = 0;
    for (;;) {
        const auto stop = [&](ChainEnd end) {
            result.length_ = at;
            result.last_next_header_ = next;
            result.end_ = end;
            return result;
        };
        switch (next) {
            case kProtoHopByHop:
            case kProtoRouting:
            case kProtoFragment:
            case kProtoDestinationOptions:
                break;
            case kProtoNoNextHeader:
                return stop(ChainEnd::no_next_header);
            case kProtoEsp:
                return stop(ChainEnd::esp);
            case kProtoAh:
                return stop(ChainEnd::authentication_header);
            default:
                return stop(is_unsupported_extension_header(next) ? ChainEnd::unsupported_extension
                                                                  : ChainEnd::upper_layer);
        }
        // RFC 8200 4.1: Hop-by-Hop Options only directly after the fixed header.
        if (next == kProtoHopByHop && result.count_ != 0) return std::nullopt;
        if (result.count_ == kMaxHeaders) return std::nullopt;
        // Every header walked here starts with Next Header and a length byte (the Fragment
        // header's second byte is reserved; its size is fixed).
        if (chain.size() - at < 8) return std::nullopt;
        const auto header = chain.subspan(at);
        const std::size_t size =
            next == kProtoFragment
                ? 8
                : (std::size_t{std::to_integer<std::uint8_t>(header[1])} + 1) * 8;
        if (size > header.size() || at + size > kMaxBytes) return std::nullopt;
        const auto header_next = std::to_integer<std::uint8_t>(header[0]);
        ++result.count_;
        if (next == kProtoRouting) {
            // RFC 8200 4.4: Routing Type at byte 2, Segments Left at byte 3, for every type.
            if (result.has_routing_) return std::nullopt;
            result.has_routing_ = true;
            result.routing_at_ = at;
            result.routing_type_ = std::to_integer<std::uint8_t>(header[2]);
            result.segments_left_ = std::to_integer<std::uint8_t>(header[3]);
        } else if (next == kProtoFragment) {
            // RFC 8200 4.5: 13-bit offset in 8-octet units, 2 reserved bits, M flag; then the
            // 32-bit Identification.
            if (result.has_fragment_) return std::nullopt;
            const std::uint16_t offset_and_flags = load_be16(header, 2);
            result.has_fragment_ = true;
            result.fragment_at_ = at;
            result.fragment_next_header_ = header_next;
            result.fragment_offset_ = static_cast<std::uint16_t>(offset_and_flags & 0xfff8);
            result.more_fragments_ = (offset_and_flags & 0x0001) != 0;
            result.identification_ = load_be32(header, 4);
            if (result.fragment_offset_ != 0) {
                // A non-first fragment carries the rest of the original payload, not headers.
                at += size;
                next = header_next;
                return stop(ChainEnd::fragment_data);
            }
        }
        at += size;
        next = header_next;
    }
}

}  // namespace sixgate::net::packet
