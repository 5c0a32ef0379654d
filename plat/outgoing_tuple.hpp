#pragma once
// RFC 6146 3.6 (the outgoing tuple) and the address/port rewrite around the stateless translator:
// the PLAT translates with xlat/ (RFC 7915, as 3.7 asks) and swaps the stateful addresses and
// ports in before (6 -> 4) or after (4 -> 6) it, every checksum updated incrementally (RFC 1624).
// Entry points: stand_in_address, rewrite_ipv6_endpoint, fill_icmpv6_checksum,
// next_ipv4_identification.
//
// The "stand-in": the translator's mapping carries one RFC 7757 EAM per pool4 prefix (and per
// static BIB address outside pool4) to the IPv4-mapped block ::ffff:0:0/96, so an IPv6 packet whose
// source is ::ffff:T leaves with source T and an IPv4 packet to T comes out to ::ffff:T, whatever
// pool6 is (the WKP's RFC 6052 3.1 refusal of non-global addresses does not touch pool4, which is
// often private in labs). The stand-in never appears on the wire: the PLAT writes it in just before
// xlat and replaces it just after; IPv6 packets arriving from ::ffff:0:0/96 are dropped.

#include <cstddef>
#include <cstdint>
#include <span>

#include "net/checksum.hpp"
#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "plat/plat_types.hpp"

namespace sixgate::plat {

// ::ffff:a.b.c.d, the stand-in of a pool4 (or static BIB) address.
net::Ipv6Address stand_in_address(net::Ipv4Address address) noexcept;
// ::ffff:a.b.c.d/(96 + length): the EAM's IPv6 side for a pool4 prefix.
net::Ipv6Prefix stand_in_prefix(const net::Ipv4Prefix& prefix);
// The block every stand-in lies in (::ffff:0:0/96).
bool is_stand_in(const net::Ipv6Address& address) noexcept;

// The bytes a rewrite changed, as one's-complement sums, so that a checksum covering them (an
// ICMP error's, around a quoted packet) can follow: RFC 1624 3.
struct ChecksumDelta {
    net::ChecksumAccumulator removed;
    net::ChecksumAccumulator added;
    std::uint16_t apply(std::uint16_t checksum) const noexcept {
        return net::checksum_update(checksum, removed.folded_sum(), added.folded_sum());
    }
};

// One endpoint of an IPv6 packet (outer or quoted): where its address is, and where the
// upper-layer header is (kNoUpperLayer for a fragment with a non-zero offset).
inline constexpr std::size_t kNoUpperLayer = static_cast<std::size_t>(-1);

struct Ipv6Endpoint {
    std::size_t address_at = 8;  // 8: source, 24: destination (plus a quote's offset)
    std::size_t upper_layer_at = kNoUpperLayer;
    L4Protocol protocol = L4Protocol::udp;
    bool source = true;  // TCP/UDP: which port; ICMP echo: the Identifier either way
};

// Writes `to` (address, and the port or Identifier when `change_port`) into the endpoint, updating
// the TCP/UDP/ICMPv6 checksum for the pseudo-header and the port, as far as the bytes present
// reach (a quote may be cut short); a zero UDP checksum stays zero. Returns every byte change,
// checksum field included, for a checksum that covers the region.
ChecksumDelta rewrite_ipv6_endpoint(std::span<std::byte> bytes, const Ipv6Endpoint& endpoint,
                                    const Ipv6Transport& to, bool change_port) noexcept;

// The port or Identifier the endpoint holds, if the bytes reach it.
bool read_endpoint_port(std::span<const std::byte> bytes, const Ipv6Endpoint& endpoint,
                        std::uint16_t& port) noexcept;
// Offset of the checksum field for `protocol` in its header (TCP 16, UDP 6, ICMP 2).
std::size_t checksum_offset(L4Protocol protocol) noexcept;
// Offset of the port (or Identifier) field.
std::size_t port_offset(L4Protocol protocol, bool source) noexcept;

// Recomputes the ICMPv6 checksum of an IPv6 packet without extension headers (the errors xlat
// builds and the PLAT edits): false when it is not such a packet.
bool fill_icmpv6_checksum(std::span<std::byte> packet) noexcept;

// RFC 7915 5.1 / RFC 6864: the Identification given to a translated IPv4 packet with DF clear;
// one counter per data-path thread. seed_ipv4_identification sets the next value (tests).
std::uint16_t next_ipv4_identification() noexcept;
void seed_ipv4_identification(std::uint16_t next) noexcept;

}  // namespace sixgate::plat
