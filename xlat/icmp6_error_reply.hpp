#pragma once
// RFC 7915 5.4 with RFC 4443 2.2, 2.4, 3.2, 3.3, 3.4: the ICMPv6 errors the IPv6-to-IPv4
// translator sends back to the source instead of translating. Entry point: reply_with_icmpv6_error.

#include <cstddef>
#include <cstdint>

#include "net/packet/packet_buffer.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/translation.hpp"

namespace sixgate::xlat {

struct Icmpv6ErrorFields {
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    std::uint32_t rest_of_header = 0;  // MTU of Packet Too Big, pointer of Parameter Problem
};

// Rewrites `buffer`, whose first `packet_length` bytes are the offending IPv6 packet, into an
// ICMPv6 error to its source: from mapping.own_ipv6(), hop limit 64, quoting as much of the
// packet as fits in 1280 bytes (RFC 4443 2.4(c)), checksum over the pseudo-header.
// verdict icmp_error with `reason`, or drop with `reason` (buffer unchanged) when the translator
// has no IPv6 address to send from or RFC 4443 2.4(e) forbids an error (the packet is itself an
// ICMPv6 error, or its source is not one unicast node).
TranslationResult reply_with_icmpv6_error(net::packet::PacketBuffer& buffer,
                                          std::size_t packet_length, const AddressMapping& mapping,
                                          const Icmpv6ErrorFields& error,
                                          DropReason reason) noexcept;

}  // namespace sixgate::xlat
