#pragma once
// Receive offload from TUN: splitting a GSO super-packet (virtio_net_hdr gso_type TCPV4, TCPV6,
// UDP_L4) into the packets the sender meant, and completing a partial checksum (NEEDS_CSUM).
// Pure functions over bytes and PacketBuffers: no syscalls, no allocation.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "net/packet/packet_buffer.hpp"
#include "net/result.hpp"
#include "net/tun/virtio_net_header.hpp"

namespace sixgate::net::tun {

enum class GsoError : std::uint8_t {
    kUnsupportedType,     // gso_type is not TCPV4, TCPV6 or UDP_L4 (e.g. UFO)
    kIpVersionMismatch,   // not IPv4/IPv6, or TCPV4 on IPv6 and the like
    kBadIpHeader,         // truncated IP header, IPv4 fragment, wrong protocol
    kBadChecksumStart,    // csum_start is not where the transport header starts
    kBadChecksumOffset,   // csum_offset is not TCP's 16 or UDP's 6
    kBadTransportHeader,  // truncated transport header or TCP data offset < 5
    kNoPayload,           // nothing to split
    kZeroSegmentSize,     // gso_size 0
    kOutputTooSmall,      // fewer output buffers than segments (split_gso_in_place only)
};
std::string_view to_string(GsoError error) noexcept;

// What a valid super-packet holds, worked out from the packet itself (hdr_len from the kernel is
// only a hint: on forwarded traffic it can cover the whole first packet).
struct GsoLayout {
    std::uint8_t ip_version = 0;       // 4 or 6
    std::uint8_t protocol = 0;         // 6 (TCP) or 17 (UDP)
    std::size_t transport_offset = 0;  // csum_start: IP header plus any IPv6 extension headers
    std::size_t header_length = 0;     // transport_offset + TCP/UDP header
    std::size_t payload_length = 0;
    std::size_t segment_size = 0;   // gso_size
    std::size_t segment_count = 0;  // ceil(payload_length / segment_size)
};

Expected<GsoLayout, GsoError> inspect_gso(std::span<const std::byte> super,
                                          const VirtioNetHeader& header) noexcept;

// Writes segments first_segment, first_segment+1, ... of `super` into out[0], out[1], ... (each
// reset to the default headroom) until either runs out; returns how many it wrote. Each segment
// gets its own IP length (IPv4: Identification + index, new header checksum), TCP sequence
// number (FIN and PSH only on the last segment, CWR only on the first) or UDP length, and a full
// transport checksum. `out` must not hold the buffer `super` lies in.
Expected<std::size_t, GsoError> split_gso(std::span<const std::byte> super,
                                          const VirtioNetHeader& header,
                                          std::span<packet::PacketBuffer* const> out,
                                          std::size_t first_segment = 0) noexcept;
inline Expected<std::size_t, GsoError> split_gso(const packet::PacketBuffer& super,
                                                 const VirtioNetHeader& header,
                                                 std::span<packet::PacketBuffer* const> out,
                                                 std::size_t first_segment = 0) noexcept {
    return split_gso(super.data(), header, out, first_segment);
}

// The same without a copy of the first segment: segments 1.. go to rest[0], rest[1], ..., then
// `super` is cut down to segment 0. Needs rest.size() >= segment_count - 1, else
// kOutputTooSmall and nothing changes. Returns segment_count.
Expected<std::size_t, GsoError> split_gso_in_place(
    packet::PacketBuffer& super, const VirtioNetHeader& header,
    std::span<packet::PacketBuffer* const> rest) noexcept;

// NEEDS_CSUM without GSO (CHECKSUM_PARTIAL): the field at csum_start + csum_offset holds the
// pseudo-header sum; adds the bytes from csum_start to the end and stores the complement
// (0xffff for a UDP result of 0, RFC 768). False if the offsets lie outside the packet.
[[nodiscard]] bool complete_partial_checksum(std::span<std::byte> packet, std::size_t csum_start,
                                             std::size_t csum_offset) noexcept;

}  // namespace sixgate::net::tun
