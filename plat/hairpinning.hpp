#pragma once
// RFC 6146 3.8 Hairpinning: an IPv6 packet whose destination, taken out of pool6, is one of the
// PLAT's own IPv4 transport addresses (pool4 or a static BIB entry) belongs to another IPv6 node
// behind this PLAT. After the 6 -> 4 pass it is treated as if it had arrived on the IPv4 side
// (the 4 -> 6 pass, without a second hop-limit decrement: it crossed one router), and leaves with
// the source pool6 + the sender's IPv4 transport address, as 3.8 has it.
// Entry points: is_hairpin, hairpin_settings, rewrite_hairpin_source.

#include <cstddef>
#include <span>

#include "net/ip_address.hpp"
#include "plat/session_table.hpp"
#include "xlat/rfc6052.hpp"
#include "xlat/translation.hpp"

namespace sixgate::plat {

bool is_hairpin(const SessionTable& table, net::Ipv4Address destination) noexcept;

// The second pass: the same settings, the TTL left as the first pass set it.
xlat::TranslatorSettings hairpin_settings(const xlat::TranslatorSettings& settings) noexcept;

// After the 4 -> 6 pass, the IPv6 source is the stand-in of the sender's pool4 address T (the EAM
// translation); RFC 6146 3.8 wants pool6 + T. Rewrites the address and the upper-layer checksum.
// `upper_layer_at` is the TCP/UDP/ICMPv6 header's offset, or kNoUpperLayer.
bool rewrite_hairpin_source(std::span<std::byte> packet, std::size_t upper_layer_at,
                            L4Protocol protocol, const xlat::Rfc6052Prefix& pool6) noexcept;

}  // namespace sixgate::plat
