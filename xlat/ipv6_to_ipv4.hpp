#pragma once
// RFC 7915 5 (IPv6 to IPv4: 5.1 header, 5.1.1 Fragment header, 5.2 ICMPv6, 5.3 inner packet, 5.4
// generated errors, 5.5 transport checksums), RFC 6791, RFC 4884. Entry point:
// translate_ipv6_to_ipv4.

#include <cstdint>

#include "net/packet/packet_buffer.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/translation.hpp"

namespace sixgate::xlat {

// Translates the IPv6 packet in `buffer` in place: the IPv4 header is written at the end of the
// IPv6 header chain's space and the front trimmed, the payload stays where it is (DESIGN.md "The
// data path"). If the result is an ICMPv6 error back to the source (hop limit expired, Packet Too
// Big, Parameter Problem), `buffer` holds that error (an IPv6 packet) and verdict is icmp_error. On
// drop, `buffer` still holds the input packet, unchanged.
//
// Translated: `length` is buffer.size(); when the packet had to be fragmented for the IPv4 next
// hop (DF clear, RFC 7915 5.1 / RFC 791), the fragments lie back to back in `buffer`,
// `fragment_count` of them, each `fragment_lengths[i]` long (one fragment: the whole packet).
//
// `identification` is the IPv4 Identification given to a translated packet that had no Fragment
// header and leaves with DF clear (RFC 7915 5.1 asks the translator to generate one; RFC 6864 4.2
// wants it unique per source, destination and protocol for a while): the caller passes a
// per-thread counter it increments per call. The overload without it keeps such a counter itself.
TranslationResult translate_ipv6_to_ipv4(net::packet::PacketBuffer& buffer,
                                         const AddressMapping& mapping,
                                         const TranslatorSettings& settings,
                                         std::uint16_t identification) noexcept;

TranslationResult translate_ipv6_to_ipv4(net::packet::PacketBuffer& buffer,
                                         const AddressMapping& mapping,
                                         const TranslatorSettings& settings) noexcept;

}  // namespace sixgate::xlat
