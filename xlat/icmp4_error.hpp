#pragma once
// RFC 7915 4.4 (errors the translator itself sends back to an IPv4 source), RFC 792 and
// RFC 1812 4.3.2 (their form and when none may be sent). Entry point: build_icmp4_error.

#include <cstdint>

#include "net/packet/ipv4_view.hpp"
#include "net/packet/packet_buffer.hpp"
#include "xlat/address_mapping.hpp"

namespace sixgate::xlat {

struct Icmp4Error {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    std::uint32_t rest_of_header = 0;  // e.g. the next-hop MTU of Fragmentation Needed (low 16)
};

// Replaces the packet in `buffer` (viewed by `original`, which must view the buffer's data) by
// an ICMPv4 error about it, to its source: the translator's own IPv4 address as source
// (own_ipv4, else a pick from the RFC 6791 pool), TTL 64, as much of the original as keeps the
// error within 576 bytes. The headers go into the headroom, the quote stays where it is.
// False (buffer unchanged) when RFC 1812 4.3.2.7 forbids an error about this packet (it is an
// ICMP error, a non-first fragment, to a multicast/broadcast destination or from a source that
// is not a unicast address) or the headroom is too small.
[[nodiscard]] bool build_icmp4_error(net::packet::PacketBuffer& buffer,
                                     const net::packet::Ipv4View& original, const Icmp4Error& error,
                                     const AddressMapping& mapping) noexcept;

}  // namespace sixgate::xlat
