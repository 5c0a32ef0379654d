#pragma once
// RFC 7915 4 (IPv4 to IPv6: 4.1 header, 4.2/4.3 ICMP, 4.4 errors sent back, 4.5 transport),
// RFC 8021 (no atomic fragments), RFC 6052 3.1 / RFC 7757 (addresses).
// Entry points: translate_ipv4_to_ipv6, has_unexpired_source_route.

#include <cstddef>
#include <span>

#include "net/packet/packet_buffer.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/translation.hpp"

namespace sixgate::xlat {

// Translates the IPv4 packet in `buffer` in place: the IPv6 header is written over the IPv4
// header using the buffer's headroom, the payload stays where it is (DESIGN.md "The data path").
//  - translated, fragment_count == 1: `buffer` holds the IPv6 packet (result.length bytes,
//    also fragment_lengths[0]), as translate_ipv6_to_ipv4 reports one packet.
//  - translated, fragment_count >= 2: the packet had to be fragmented (RFC 7915 4.1: DF clear
//    and larger than lowest-ipv6-mtu or the IPv6 next-hop MTU); the fragments are back to back
//    at the start of `fragments`, fragment_lengths[i] bytes each, result.length in all.
//    `buffer` then holds the unfragmented translation (more than the link takes).
//  - icmp_error: `buffer` holds an ICMPv4 error (an IPv4 packet) for the source: Time Exceeded,
//    Fragmentation Needed, Source Route Failed. `reason` says why.
//  - drop: nothing to send; `reason` says why. `buffer` may have been changed.
// No allocation, no exceptions; about 1.3 KiB of stack for ICMP errors.
TranslationResult translate_ipv4_to_ipv6(net::packet::PacketBuffer& buffer,
                                         std::span<std::byte> fragments,
                                         const AddressMapping& mapping,
                                         const TranslatorSettings& settings) noexcept;

// RFC 791 3.1 options: a Loose or Strict Source Route whose pointer has not passed its length
// (more hops to visit). A malformed option list ends the walk (nothing found past it).
bool has_unexpired_source_route(std::span<const std::byte> options) noexcept;

}  // namespace sixgate::xlat
