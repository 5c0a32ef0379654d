#pragma once
// The IPv6 extension-header chain (RFC 8200 4): a bounded walk from the fixed header's Next Header
// to the upper-layer header, recording what a translator needs (RFC 7915 5.1: the Fragment header
// and a Routing header's Segments Left).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "net/packet/protocol_numbers.hpp"

namespace sixgate::net::packet {

// Where the walk stopped. Every end but upper_layer means the bytes after the chain are not a
// transport header this code knows how to read.
enum class ChainEnd : std::uint8_t {
    upper_layer,            // a protocol that is not an IPv6 extension header (TCP, UDP, ...)
    no_next_header,         // Next Header 59: nothing follows (RFC 8200 4.7)
    fragment_data,          // Fragment header with a non-zero offset: data follows, no headers
    esp,                    // ESP (50): encrypted, cannot be walked
    authentication_header,  // AH (51): not walked (a translator cannot keep it valid anyway)
    unsupported_extension,  // an extension header this walk does not read (135, 139, 140, 253, 254)
};

std::string_view to_string(ChainEnd end) noexcept;

// An IPv6 extension header of the kinds the walk does not read (RFC 8200 4.8 lists them as
// extension headers, so they are not upper-layer protocols).
bool is_unsupported_extension_header(std::uint8_t next_header) noexcept;

class ExtensionHeaderChain {
public:
    // A walk is bounded so an attacker's packet costs bounded work and a translator can keep the
    // chain in one fixed-size scratch area: RFC 8504 5.3 lets nodes limit both the number and the
    // total size of extension headers. 8 headers is more than any legitimate chain (each kind may
    // appear once, Destination Options twice: 6); 512 bytes fits an SRH with 30 segments.
    static constexpr std::size_t kMaxHeaders = 8;
    static constexpr std::size_t kMaxBytes = 512;

    // Walks the headers in `chain` (the bytes after the IPv6 fixed header, up to the end of the
    // payload or of what is present). nullopt when a header runs past the end of `chain`, the
    // limits are exceeded, Hop-by-Hop appears anywhere but first (RFC 8200 4.1), or a Fragment or
    // Routing header appears twice.
    static std::optional<ExtensionHeaderChain> walk(std::uint8_t first_next_header,
                                                    std::span<const std::byte> chain) noexcept;

    // Total bytes of extension headers walked (the upper-layer data starts here, relative to the
    // end of the fixed header).
    std::size_t length() const noexcept { return length_; }
    std::size_t header_count() const noexcept { return count_; }
    // The Next Header value that ends the chain: the upper-layer protocol for upper_layer and
    // fragment_data, else the header where the walk stopped (59, 50, 51, ...).
    std::uint8_t last_next_header() const noexcept { return last_next_header_; }
    ChainEnd end() const noexcept { return end_; }

    bool has_fragment_header() const noexcept { return has_fragment_; }
    // Offset of the Fragment header from the end of the fixed header; 0 if absent.
    std::size_t fragment_header_offset() const noexcept { return fragment_at_; }
    std::uint8_t fragment_next_header() const noexcept { return fragment_next_header_; }
    std::uint16_t fragment_offset() const noexcept { return fragment_offset_; }  // bytes
    bool more_fragments() const noexcept { return more_fragments_; }
    std::uint32_t fragment_identification() const noexcept { return identification_; }

    bool has_routing_header() const noexcept { return has_routing_; }
    std::size_t routing_header_offset() const noexcept { return routing_at_; }
    std::uint8_t routing_type() const noexcept { return routing_type_; }
    std::uint8_t segments_left() const noexcept { return segments_left_; }

private:
    ExtensionHeaderChain() = default;

    std::size_t length_ = 0;
    std::size_t count_ = 0;
    std::size_t fragment_at_ = 0;
    std::size_t routing_at_ = 0;
    std::uint32_t identification_ = 0;
    std::uint16_t fragment_offset_ = 0;
    std::uint8_t last_next_header_ = kProtoNoNextHeader;
    std::uint8_t fragment_next_header_ = 0;
    std::uint8_t routing_type_ = 0;
    std::uint8_t segments_left_ = 0;
    ChainEnd end_ = ChainEnd::upper_layer;
    bool has_fragment_ = false;
    bool more_fragments_ = false;
    bool has_routing_ = false;
};

}  // namespace sixgate::net::packet
