#pragma once
// Ipv4View: a validated read-only view of an IPv4 packet (RFC 791) over caller-owned bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "net/byte_order.hpp"
#include "net/ip_address.hpp"

namespace sixgate::net::packet {

class Ipv4View {
public:
    static constexpr std::size_t kMinHeaderLength = 20;
    static constexpr std::size_t kMaxHeaderLength = 60;

    // RFC 791 3.1: version 4, IHL >= 5, IHL*4 <= Total Length <= the buffer. Bytes after Total
    // Length are ignored (Ethernet pads short frames). The header checksum is not checked here:
    // header_checksum_valid() says, and the caller decides.
    static std::optional<Ipv4View> parse(std::span<const std::byte> bytes) noexcept;
    // For a packet quoted in an ICMP error (RFC 792, RFC 1812 4.3.2.3): the same checks, but the
    // buffer may end anywhere after the header (options included); payload() is what is there.
    static std::optional<Ipv4View> parse_truncated(std::span<const std::byte> bytes) noexcept;

    // The packet, header included: Total Length bytes, fewer when truncated().
    std::span<const std::byte> bytes() const noexcept { return bytes_; }
    std::span<const std::byte> header() const noexcept { return bytes_.first(header_length()); }
    std::span<const std::byte> options() const noexcept {
        return bytes_.subspan(kMinHeaderLength, header_length() - kMinHeaderLength);
    }
    std::span<const std::byte> payload() const noexcept { return bytes_.subspan(header_length()); }
    // The buffer ended before Total Length (parse_truncated only).
    bool truncated() const noexcept { return bytes_.size() < total_length(); }

    std::size_t header_length() const noexcept { return std::size_t{byte(0) & 0x0fu} * 4; }
    std::uint8_t tos() const noexcept { return byte(1); }
    std::uint8_t dscp() const noexcept { return static_cast<std::uint8_t>(byte(1) >> 2); }
    std::uint8_t ecn() const noexcept { return static_cast<std::uint8_t>(byte(1) & 0x03); }
    std::uint16_t total_length() const noexcept { return load_be16(bytes_, 2); }
    std::uint16_t identification() const noexcept { return load_be16(bytes_, 4); }
    bool reserved_flag() const noexcept { return (byte(6) & 0x80) != 0; }
    bool dont_fragment() const noexcept { return (byte(6) & 0x40) != 0; }
    bool more_fragments() const noexcept { return (byte(6) & 0x20) != 0; }
    // In bytes (the field counts 8-byte units): 0..65528.
    std::uint16_t fragment_offset() const noexcept {
        return static_cast<std::uint16_t>(load_be16(bytes_, 6) << 3);
    }
    std::uint8_t ttl() const noexcept { return byte(8); }
    std::uint8_t protocol() const noexcept { return byte(9); }
    std::uint16_t header_checksum() const noexcept { return load_be16(bytes_, 10); }
    // RFC 791 3.1 / RFC 1071: the one's-complement sum over the header, checksum included, is
    // all ones.
    bool header_checksum_valid() const noexcept;
    Ipv4Address source() const noexcept { return Ipv4Address(load_be32(bytes_, 12)); }
    Ipv4Address destination() const noexcept { return Ipv4Address(load_be32(bytes_, 16)); }

    // A fragment: MF set or a non-zero offset.
    bool is_fragment() const noexcept { return more_fragments() || fragment_offset() != 0; }
    // The first fragment of several (offset 0, MF set).
    bool is_first_fragment() const noexcept { return more_fragments() && fragment_offset() == 0; }
    // Offset 0: the payload starts with the upper-layer header (unfragmented or first fragment).
    bool has_upper_layer_header() const noexcept { return fragment_offset() == 0; }

private:
    explicit Ipv4View(std::span<const std::byte> bytes) noexcept : bytes_(bytes) {}
    static std::optional<Ipv4View> parse(std::span<const std::byte> bytes,
                                         bool allow_truncated) noexcept;
    std::uint8_t byte(std::size_t at) const noexcept {
        return std::to_integer<std::uint8_t>(bytes_[at]);
    }

    std::span<const std::byte> bytes_;  // at least header_length() (>= 20) bytes
};

}  // namespace sixgate::net::packet
