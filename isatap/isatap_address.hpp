#pragma once
// ISATAP addresses (RFC 5214 6.1, RFC 4291 2.5.1 / appendix A): the interface identifier is
// 0000:5efe:a.b.c.d, or 0200:5efe:a.b.c.d when a.b.c.d is globally unique (the modified EUI-64
// "u" bit set). Windows writes them ::5efe:a.b.c.d and ::200:5efe:a.b.c.d.

#include <optional>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"

namespace sixgate::isatap {

// prefix (a /64; its low 64 bits are replaced) + the ISATAP interface identifier of `ipv4`,
// "u" bit from net::classify_ipv4 (global -> 0200:5efe).
net::Ipv6Address isatap_address(const net::Ipv6Prefix& prefix, net::Ipv4Address ipv4) noexcept;
// fe80::5efe:a.b.c.d or fe80::200:5efe:a.b.c.d (RFC 5214 6.2).
net::Ipv6Address isatap_link_local(net::Ipv4Address ipv4) noexcept;

// The IPv4 address embedded in an ISATAP interface identifier (low 64 bits 0000:5efe:V4 or
// 0200:5efe:V4, whatever the prefix), or nothing when the identifier is not ISATAP's.
std::optional<net::Ipv4Address> embedded_ipv4(const net::Ipv6Address& address) noexcept;

// 2002:V4ADDR::/48 (RFC 3056 2): the IPv4 address a 6to4 address embeds, for the RFC 6324 checks.
std::optional<net::Ipv4Address> sixtofour_ipv4(const net::Ipv6Address& address) noexcept;

}  // namespace sixgate::isatap
