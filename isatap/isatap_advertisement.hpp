#pragma once
// The Router Advertisement the ISATAP router sends in answer to a Router Solicitation over the
// tunnel (RFC 5214 8.2.3: unicast to the soliciting host), composed with the router's ND codecs
// (net/nd): the ISATAP prefix for SLAAC and the same RFC 4191 routes to the client prefixes as
// the router component advertises. Router lifetime 0: not a default router (manage-out).

#include <cstddef>
#include <span>

#include "config/config.hpp"
#include "net/ip_address.hpp"
#include "net/nd/router_messages.hpp"

namespace sixgate::isatap {

// Cur hop limit 64, M/O clear, router lifetime 0. Prefix Information: isatap.prefix (none when
// unset), L and A set, the lifetimes of the router's prefixes (RFC 9096 3.3 defaults: valid
// 5400 s, preferred 2700 s). Route Information: every route of every router interface, once per
// prefix (the first one's preference and lifetime); with no router interface, the plan's
// IP-HTTPS and Teredo prefixes (the router's defaults: medium, 1800 s); nothing without a plan.
net::nd::RouterAdvertisement compose_isatap_advertisement(const config::Config& config);

// The whole IPv6 packet (header + RA, checksum filled) from `source` (the router's ISATAP
// link-local address) to `destination` (the soliciting host's), hop limit 255, written at the
// start of `out`; returns its length, or an error when `out` is too small.
Result<std::size_t> build_advertisement_packet(const net::nd::RouterAdvertisement& advertisement,
                                               const net::Ipv6Address& source,
                                               const net::Ipv6Address& destination,
                                               std::span<std::byte> out);

}  // namespace sixgate::isatap
