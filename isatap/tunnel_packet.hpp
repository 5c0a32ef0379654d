#pragma once
// IPv6 in IPv4 (protocol 41) as ISATAP carries it: decapsulation with the checks every ISATAP
// node makes (RFC 4213 3.6, RFC 5214 7.3 minus the policy in isatap_policy.hpp), and the outer
// header for encapsulation (RFC 4213 3.5). No allocation: views into the caller's buffer.

#include <cstddef>
#include <span>

#include "isatap/drop_reason.hpp"
#include "net/ip_address.hpp"
#include "net/packet/ipv6_view.hpp"
#include "net/result.hpp"

namespace sixgate::isatap {

inline constexpr std::uint8_t kProtocolIpv6InIpv4 = 41;
// RFC 4213 3.2: ISATAP links use the static IPv6 MTU of 1280 (Windows does the same).
inline constexpr int kIsatapMtu = 1280;

struct Decapsulated {
    net::Ipv4Address outer_source;
    net::Ipv4Address outer_destination;
    // The IPv6 packet, trimmed to 40 + its payload length (RFC 4213 3.6: bytes after it are the
    // IPv4 packet's padding, not IPv6's).
    std::span<const std::byte> inner;
    net::packet::Ipv6View view;
};

// `ipv4_packet` as a raw IPPROTO_IPV6 socket returns it (IPv4 header first, reassembled).
// Checks, in this order: outer_malformed (also an IPv4 fragment: the socket reassembles, so one
// here is not a whole packet), outer_not_protocol_41, inner_malformed, inner_source_invalid,
// inner_destination_invalid. The source/allow-list/loop checks are IsatapPolicy's. The result
// views `ipv4_packet`, which must outlive it.
Expected<Decapsulated, IsatapDrop> decapsulate(std::span<const std::byte> ipv4_packet) noexcept;

// Writes a 20-byte IPv4 header for `inner_length` bytes of IPv6 in front of it (RFC 4213 3.5:
// TTL 64, DF clear, TOS copied from the IPv6 traffic class, identification `id`), checksum
// filled. Used by tests and by the fuzz target; the data path sends through a raw socket whose
// kernel builds the same header. An inner_length above 65515 is clamped (IPv4 cannot carry it).
void write_outer_header(std::span<std::byte, 20> out, net::Ipv4Address source, net::Ipv4Address destination,
                        std::uint8_t traffic_class, std::size_t inner_length, std::uint16_t id) noexcept;

}  // namespace sixgate::isatap
