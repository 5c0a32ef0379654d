#pragma once
// What one interface advertises: the RA message composed from its config (RFC 4861 4.2, 6.2.5;
// RFC 4191 2.2/2.3; RFC 8106; RFC 8781), plus prefixes and routes retired by renumbering.

#include <chrono>
#include <optional>
#include <vector>

#include "config/config.hpp"
#include "net/nd/router_messages.hpp"

namespace sixgate::router {

// RFC 4862 5.5.3(e): a host lowers a valid lifetime to no less than 2 hours on an unauthenticated
// RA, so a retired prefix is advertised with at most this much left.
inline constexpr std::chrono::seconds kValidLifetimeFloor{7200};

// A prefix or route no longer in the plan, still advertised for a while so hosts let go of it:
// prefixes with preferred lifetime 0 and the valid lifetime left (RFC 9096 3.3), routes with
// lifetime 0 (RFC 4191 3.1: a lifetime of 0 removes the route).
struct RetiredPrefix {
    net::nd::PrefixInformationOption option;  // as it was last advertised
    std::chrono::steady_clock::time_point valid_until;
};
struct RetiredRoute {
    net::Ipv6Prefix prefix;
    std::chrono::steady_clock::time_point advertise_until;
};
struct Retired {
    std::vector<RetiredPrefix> prefixes;
    std::vector<RetiredRoute> routes;
    std::vector<net::nd::Pref64Option> pref64;  // advertised with lifetime 0 meanwhile
    std::chrono::steady_clock::time_point advertise_until{};
    bool empty() const noexcept { return prefixes.empty() && routes.empty() && pref64.empty(); }
};

net::nd::RoutePreference wire_preference(config::RouterPreference preference) noexcept;

// The RA an interface sends while it runs. `link_layer_address` is the interface's MAC, sent as
// the source link-layer address option when configured; `retired` adds deprecated entries.
net::nd::RouterAdvertisement compose_advertisement(const config::RouterInterface& interface,
                                                   const std::optional<net::nd::MacAddress>& link_layer_address,
                                                   const Retired& retired,
                                                   std::chrono::steady_clock::time_point now);

// RFC 4861 6.2.5: the final RAs when the interface stops advertising: router lifetime 0, and
// (as the issue asks, so hosts drop what they learned) every lifetime 0: prefixes deprecated,
// routes, RDNSS, DNSSL and PREF64 withdrawn.
net::nd::RouterAdvertisement compose_final_advertisement(const net::nd::RouterAdvertisement& running);

// What renumbering retires when an interface's advertisement changes from `before` to `after`:
// each prefix, route and PREF64 advertised before and not after.
Retired retire_changes(const net::nd::RouterAdvertisement& before, const net::nd::RouterAdvertisement& after,
                       std::chrono::steady_clock::time_point now);

// Drops retired entries whose time is over; returns true when something changed.
bool expire_retired(Retired& retired, std::chrono::steady_clock::time_point now);

}  // namespace sixgate::router
