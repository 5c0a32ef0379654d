#pragma once
// The DirectAccess-style prefix plan derived from the server's IPv4 address: RFC 3056 (6to4),
// RFC 4380 (Teredo), RFC 4193 (ULA behind NAT), RFC 6052 (NAT64 /96).
// Entry points: derive_prefix_plan(), resolve_plan_name(), sixtofour_address().

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/ip_prefix.hpp"
#include "net/ipv4_scope.hpp"

namespace sixgate::net {

struct TeredoPlan {
    Ipv6Prefix prefix;         // 2001:0:WWXX:YYZZ::/64
    Ipv4Address second_ipv4;   // the next consecutive public address the Teredo server also needs
};

struct PrefixPlan {
    Ipv4Address public_ipv4;
    Ipv4Scope scope;            // why it is or is not behind NAT
    bool behind_nat = false;    // non-global IPv4: 6to4 and Teredo do not apply, a ULA is used
    Ipv6Prefix site;            // 2002:WWXX:YYZZ::/48, or the ULA /48
    Ipv6Prefix organization;    // site:3333::/64, manage-out hosts
    Ipv6Address server;         // organization::1
    Ipv6Prefix iphttps;         // site:1000::/64, IP-HTTPS clients
    std::optional<TeredoPlan> teredo;  // public only, and only with two consecutive public IPv4s
    std::string teredo_unavailable;    // why teredo is empty
    Ipv6Prefix isatap;          // site:8000::/64, limited-scope ISATAP hosts
    Ipv6Prefix nat64;           // site:7777::/96, the PLAT prefix
};

// Is a ULA needed for this address (it is unicast but not globally reachable)?
bool plan_needs_ula(Ipv4Address public_ipv4) noexcept;

// Errors: an address that can never be a server's (0/8, 127/8, 224/4, 240/4, broadcast); behind
// NAT without a ULA; a ULA that is not a locally assigned /48 (fd00::/8, RFC 4193 3.1).
// A ULA given for a public address is not used.
Result<PrefixPlan> derive_prefix_plan(Ipv4Address public_ipv4, std::optional<Ipv6Prefix> ula);

// The prefixes a config may name instead of writing them: site, org, iphttps, teredo, isatap, nat64.
inline constexpr std::string_view kPlanNames[] = {"site", "org", "iphttps", "teredo", "isatap", "nat64"};
// The named prefix, or an error saying why it does not apply (teredo behind NAT) or is unknown.
Result<Ipv6Prefix> resolve_plan_name(const PrefixPlan& plan, std::string_view name);

// RFC 3056 2: the 6to4 address a client with this IPv4 uses: 2002:WWXX:YYZZ::WWXX:YYZZ
// (the interface ID Windows forms from the IPv4 address).
Ipv6Address sixtofour_address(Ipv4Address client_ipv4) noexcept;

}  // namespace sixgate::net
