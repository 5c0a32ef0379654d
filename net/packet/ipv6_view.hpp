#pragma once
// Ipv6View: a validated read-only view of an IPv6 packet (RFC 8200) over caller-owned bytes, its
// extension-header chain walked once at parse time.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "net/byte_order.hpp"
#include "net/ip_address.hpp"
#include "net/packet/extension_headers.hpp"

namespace sixgate::net::packet {

class Ipv6View {
public:
    static constexpr std::size_t kHeaderLength = 40;

    // RFC 8200 3: version 6, 40 + Payload Length <= the buffer (bytes after it are ignored), and an
    // extension-header chain that ExtensionHeaderChain::walk accepts within the payload.
    // Jumbograms (RFC 2675: Payload Length 0 and a Hop-by-Hop Jumbo Payload option) are rejected.
    static std::optional<Ipv6View> parse(std::span<const std::byte> bytes) noexcept;
    // For a packet quoted in an ICMPv6 error (RFC 4443 3): the buffer may end before the payload
    // does, but the fixed header and the whole extension-header chain must be there.
    static std::optional<Ipv6View> parse_truncated(std::span<const std::byte> bytes) noexcept;

    // The packet: 40 + Payload Length bytes, fewer when truncated().
    std::span<const std::byte> bytes() const noexcept { return bytes_; }
    std::span<const std::byte> header() const noexcept { return bytes_.first(kHeaderLength); }
    // Payload Length bytes after the fixed header (fewer when truncated), extension headers
    // included.
    std::span<const std::byte> payload() const noexcept { return bytes_.subspan(kHeaderLength); }
    bool truncated() const noexcept { return bytes_.size() - kHeaderLength < payload_length(); }

    std::uint8_t traffic_class() const noexcept {
        return static_cast<std::uint8_t>(load_be16(bytes_, 0) >> 4);
    }
    std::uint8_t dscp() const noexcept { return static_cast<std::uint8_t>(traffic_class() >> 2); }
    std::uint8_t ecn() const noexcept { return static_cast<std::uint8_t>(traffic_class() & 0x03); }
    std::uint32_t flow_label() const noexcept { return load_be32(bytes_, 0) & 0x000fffff; }
    std::uint16_t payload_length() const noexcept { return load_be16(bytes_, 4); }
    // The fixed header's Next Header: the first extension header or the upper-layer protocol.
    std::uint8_t next_header() const noexcept { return std::to_integer<std::uint8_t>(bytes_[6]); }
    std::uint8_t hop_limit() const noexcept { return std::to_integer<std::uint8_t>(bytes_[7]); }
    Ipv6Address source() const noexcept { return address_at(8); }
    Ipv6Address destination() const noexcept { return address_at(24); }

    const ExtensionHeaderChain& chain() const noexcept { return chain_; }
    std::size_t extension_headers_length() const noexcept { return chain_.length(); }
    std::span<const std::byte> extension_headers() const noexcept {
        return bytes_.subspan(kHeaderLength, chain_.length());
    }
    ChainEnd chain_end() const noexcept { return chain_.end(); }
    // The last Next Header of the chain: the upper-layer protocol when chain_end() is
    // upper_layer or fragment_data.
    std::uint8_t upper_layer_protocol() const noexcept { return chain_.last_next_header(); }
    // Offset from the start of the packet of what follows the chain.
    std::size_t upper_layer_offset() const noexcept { return kHeaderLength + chain_.length(); }
    std::span<const std::byte> upper_layer_payload() const noexcept {
        return bytes_.subspan(upper_layer_offset());
    }

    bool has_fragment_header() const noexcept { return chain_.has_fragment_header(); }
    // Offset of the Fragment header from the start of the packet; 0 if there is none.
    std::size_t fragment_header_offset() const noexcept {
        return has_fragment_header() ? kHeaderLength + chain_.fragment_header_offset() : 0;
    }
    std::uint16_t fragment_offset() const noexcept { return chain_.fragment_offset(); }  // bytes
    bool more_fragments() const noexcept { return chain_.more_fragments(); }
    std::uint32_t fragment_identification() const noexcept {
        return chain_.fragment_identification();
    }
    // A fragment: a Fragment header with M set or a non-zero offset (RFC 8200 4.5; an "atomic
    // fragment", offset 0 and M clear, is not one: RFC 6946).
    bool is_fragment() const noexcept {
        return has_fragment_header() && (more_fragments() || fragment_offset() != 0);
    }
    bool is_first_fragment() const noexcept { return is_fragment() && fragment_offset() == 0; }

    bool has_routing_header() const noexcept { return chain_.has_routing_header(); }
    std::size_t routing_header_offset() const noexcept {
        return has_routing_header() ? kHeaderLength + chain_.routing_header_offset() : 0;
    }
    std::uint8_t routing_type() const noexcept { return chain_.routing_type(); }
    // RFC 7915 5.1: a packet whose Routing header has Segments Left != 0 is not translated.
    std::uint8_t segments_left() const noexcept { return chain_.segments_left(); }

private:
    Ipv6View(std::span<const std::byte> bytes, const ExtensionHeaderChain& chain) noexcept
        : bytes_(bytes), chain_(chain) {}
    static std::optional<Ipv6View> parse(std::span<const std::byte> bytes,
                                         bool allow_truncated) noexcept;
    Ipv6Address address_at(std::size_t at) const noexcept;

    std::span<const std::byte> bytes_;  // at least 40 + chain_.length() bytes
    ExtensionHeaderChain chain_;
};

}  // namespace sixgate::net::packet
