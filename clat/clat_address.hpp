#pragma once
// The CLAT's addresses: RFC 6877 6.3 dedicated IPv6 address on the uplink's /64 (an interface
// identifier derived stably, after the idea of RFC 7217, never an RFC 5453 reserved one), and the
// RFC 7335 IPv4 addresses in 192.0.0.0/29 (the host's, and the CLAT's own for the ICMP errors it
// originates). Entry points: pick_uplink_prefix, derive_clat_address, clat_own_ipv4.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/netlink/kernel_addresses.hpp"

namespace sixgate::clat {

// RFC 7335: the IPv4 Service Continuity Prefix, 192.0.0.0/29.
inline constexpr net::Ipv4Address kIpv4ServiceContinuityNetwork{192, 0, 0, 0};
inline constexpr int kIpv4ServiceContinuityLength = 29;

// RFC 5453 (and RFC 4291 2.6.1): interface identifiers a host must not pick: the subnet-router
// anycast 0, the reserved subnet anycast range fdff:ffff:ffff:ff80..ffff (RFC 2526), and the
// IANA Ethernet block 0200:5eff:fe00:0000..0200:5eff:feff:ffff (RFC 6543's proxy mobile
// identifier among them).
bool is_reserved_interface_identifier(std::uint64_t identifier) noexcept;

// The /64 of the uplink the CLAT address is made on: a global-scope address with prefix length
// 64 (not link-local, multicast or loopback), neither tentative, failed DAD nor deprecated. An
// address the kernel learned from a Router Advertisement (IFA_PROTO 2, SLAAC) comes first, then
// any other; among equals the lowest prefix, so the choice is stable. nullopt: none yet.
std::optional<net::Ipv6Prefix> pick_uplink_prefix(
    std::span<const net::netlink::InterfaceAddress> uplink_addresses);

// RFC 6877 6.3: the CLAT's dedicated address, prefix + an interface identifier from
// SHA-1(prefix || link-layer address || "sixgate-clat" || counter) (RFC 7217 5's F() with the
// link-layer address as Net_Iface and no secret: stable across restarts, different per network).
// The counter is bumped past reserved identifiers and past addresses in `taken` (the uplink's
// own), as RFC 7217 bumps DAD_Counter. An empty link-layer address (a TUN or PPP uplink) works
// too; pass the interface name as the link-layer bytes then. `dad_counter` starts the search
// (raise it after a failed Duplicate Address Detection).
net::Ipv6Address derive_clat_address(const net::Ipv6Prefix& prefix,
                                     std::span<const std::uint8_t> link_layer_address,
                                     std::span<const net::Ipv6Address> taken = {},
                                     std::uint8_t dad_counter = 0);

// The CLAT's own IPv4 address, the source of the ICMPv4 errors it sends to the host (Fragmentation
// Needed, Time Exceeded, Net Unreachable while no PLAT prefix is known). RFC 7335 sets 192.0.0.0/29
// aside for the CLAT; the host has `host_ipv4` (192.0.0.1 by default) and the CLAT takes the lowest
// other usable address of the block: 192.0.0.2 (the TUN's "peer"), or 192.0.0.1 when the host uses
// another one. It is never the host's own address, which the host would drop as a martian source.
net::Ipv4Address clat_own_ipv4(net::Ipv4Address host_ipv4) noexcept;

// Whether `address` lies inside a prefix that is on-link on the uplink: a prefix of one of the
// uplink's addresses (shorter than /128) or a connected route (no gateway) through it. Then the
// CLAT must answer Neighbor Solicitations for it there (ND proxy); otherwise (a default route
// without gateway does not count) it is a routed
// address and the network already sends its packets to this host.
bool is_on_link(const net::Ipv6Address& address,
                std::span<const net::netlink::InterfaceAddress> uplink_addresses,
                std::span<const net::Ipv6Prefix> uplink_connected_routes);

}  // namespace sixgate::clat
