#pragma once
// Helpers for the ISATAP core tests: vectors as mutable byte buffers, and IPv4 header fix-ups
// after a test edits a field.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "net/checksum.hpp"

namespace sixgate::isatap::testing {

template <std::size_t N>
std::vector<std::byte> bytes_of(const std::uint8_t (&data)[N]) {
    std::vector<std::byte> out(N);
    for (std::size_t i = 0; i < N; ++i) out[i] = std::byte{data[i]};
    return out;
}

inline std::span<const std::byte> view(const std::vector<std::byte>& bytes) { return bytes; }

// Recomputes the IPv4 header checksum of the IHL*4 bytes at the start.
inline void fix_ipv4_checksum(std::vector<std::byte>& packet) {
    const std::size_t ihl = (std::to_integer<std::size_t>(packet[0]) & 0x0f) * 4;
    packet[10] = packet[11] = std::byte{0};
    net::ChecksumAccumulator sum;
    sum.add(std::span<const std::byte>(packet.data(), ihl));
    const std::uint16_t checksum = sum.checksum();
    packet[10] = std::byte(checksum >> 8);
    packet[11] = std::byte(checksum & 0xff);
}

inline void set_ipv4_address(std::vector<std::byte>& packet, std::size_t offset, std::uint32_t address) {
    for (int i = 0; i < 4; ++i) packet[offset + i] = std::byte((address >> (24 - 8 * i)) & 0xff);
    fix_ipv4_checksum(packet);
}

// Writes 16 bytes of IPv6 address at `offset` (no checksum: the tests use ones the policy reads).
inline void set_ipv6_address(std::vector<std::byte>& packet, std::size_t offset, const net::Ipv6Address& address) {
    for (int i = 0; i < 16; ++i) packet[offset + i] = std::byte{address.bytes()[i]};
}

}  // namespace sixgate::isatap::testing
