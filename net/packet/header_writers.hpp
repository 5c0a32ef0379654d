#pragma once
// Builders that write a fresh IPv4 or IPv6 header (and an IPv6 Fragment header) into a caller
// buffer, e.g. into a PacketBuffer's headroom when a translator prepends a new header.

#include <cstddef>
#include <cstdint>
#include <span>

#include "net/ip_address.hpp"

namespace sixgate::net::packet {

struct Ipv4HeaderFields {
    std::uint8_t tos = 0;
    std::uint16_t total_length = 0;
    std::uint16_t identification = 0;
    bool dont_fragment = false;
    bool more_fragments = false;
    std::uint32_t fragment_offset = 0;  // bytes: a multiple of 8, at most 65528
    std::uint8_t ttl = 64;
    std::uint8_t protocol = 0;
    Ipv4Address source{};
    Ipv4Address destination{};
};

// Writes a 20-byte header without options, its checksum filled in. Returns 20, or 0 (nothing
// written) when `out` is shorter or the fragment offset is not representable.
[[nodiscard]] std::size_t write_ipv4_header(std::span<std::byte> out,
                                            const Ipv4HeaderFields& fields) noexcept;

struct Ipv6HeaderFields {
    std::uint8_t traffic_class = 0;
    std::uint32_t flow_label = 0;  // 20 bits
    std::uint16_t payload_length = 0;
    std::uint8_t next_header = 0;
    std::uint8_t hop_limit = 64;
    Ipv6Address source{};
    Ipv6Address destination{};
};

// Writes the 40-byte fixed header. Returns 40, or 0 (nothing written) when `out` is shorter or
// the flow label does not fit in 20 bits.
[[nodiscard]] std::size_t write_ipv6_header(std::span<std::byte> out,
                                            const Ipv6HeaderFields& fields) noexcept;

struct Ipv6FragmentHeaderFields {
    std::uint8_t next_header = 0;
    std::uint32_t fragment_offset = 0;  // bytes: a multiple of 8, at most 65528
    bool more_fragments = false;
    std::uint32_t identification = 0;
};

// RFC 8200 4.5 (RFC 7915 4.1 adds one to a translated IPv4 fragment). Returns 8, or 0 (nothing
// written) when `out` is shorter or the offset is not representable.
[[nodiscard]] std::size_t write_ipv6_fragment_header(
    std::span<std::byte> out, const Ipv6FragmentHeaderFields& fields) noexcept;

}  // namespace sixgate::net::packet
