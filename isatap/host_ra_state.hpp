#pragma once
// What an ISATAP host learned from its routers' Router Advertisements: the SLAAC address in the
// ISATAP prefix (RFC 4862 5.5.3, with the two-hour rule), the RFC 4191 routes and the default
// route (RFC 4861 6.3.4), each with its expiry. Pure, on a caller-given clock: the component
// turns the result into kernel addresses and routes (KernelState).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "isatap/drop_reason.hpp"
#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/nd/drop_reason.hpp"
#include "net/nd/options.hpp"
#include "net/result.hpp"

namespace sixgate::isatap {

using RaClock = std::chrono::steady_clock;
using RaTime = RaClock::time_point;

// An infinite lifetime (all ones) never expires.
inline constexpr RaTime kNever = RaTime::max();

// RFC 4862 5.5.3 e): two hours.
inline constexpr std::chrono::seconds kTwoHours{7200};

struct HostAddress {
    net::Ipv6Address address;
    net::Ipv6Prefix prefix;  // the /64 it was formed from
    RaTime valid_until = kNever;
    RaTime preferred_until = kNever;
    net::Ipv4Address router;  // the router whose RA last updated it
    bool operator==(const HostAddress&) const = default;
};

struct HostRoute {
    net::Ipv6Prefix prefix;  // ::/0 for the default route
    RaTime expires = kNever;
    net::nd::RoutePreference preference = net::nd::RoutePreference::medium;
    net::Ipv4Address router;
    bool operator==(const HostRoute&) const = default;
};

// What one accepted RA said, for the log line and the schedule.
struct RaSummary {
    net::Ipv4Address router;
    std::vector<net::Ipv6Prefix> prefixes;  // PIOs used for SLAAC
    std::vector<net::Ipv6Prefix> routes;    // RIOs with a non-zero lifetime
    std::vector<net::Ipv6Prefix> withdrawn; // RIOs with lifetime 0
    std::uint16_t router_lifetime = 0;
};

// Why an RA was refused (all counted as IsatapDrop::bad_advertisement).
struct RaRefusal {
    enum class Why {
        not_prl_router,         // the outer IPv4 source is not in the potential router list
        malformed,              // not a whole IPv6 packet carrying ICMPv6
        wrong_source,           // RFC 5214 8.3.2 / 7.3: not R's ISATAP link-local address
        nd_validation,          // RFC 4861 6.1.2 failed (nd_reason says which check)
    };
    Why why;
    std::optional<net::nd::NdDropReason> nd_reason;
};

const char* to_string(RaRefusal::Why why) noexcept;

class HostRaState {
public:
    // local: this host's IPv4 address, the interface identifier of its SLAAC addresses.
    explicit HostRaState(net::Ipv4Address local);

    // An IPv6 packet (header first, the RA inside) that arrived encapsulated from `router`,
    // whose outer source the data path already checked. prl: the current potential router list.
    Expected<RaSummary, RaRefusal> apply(std::span<const std::byte> ipv6_packet, net::Ipv4Address router,
                                         std::span<const net::Ipv4Address> prl, RaTime now);

    // Drops what expired at or before `now`; true when something did.
    bool expire(RaTime now);
    // The earliest finite expiry of anything held (valid lifetimes, routes), if any.
    std::optional<RaTime> next_expiry() const;

    // What the kernel should have now.
    const std::vector<HostAddress>& addresses() const noexcept { return addresses_; }
    // RIO routes and, while the router lifetime runs, the default route ::/0.
    std::vector<HostRoute> routes() const;
    std::optional<net::Ipv4Address> router() const noexcept { return router_; }

private:
    void apply_prefix(const net::nd::PrefixInformationOption& pio, net::Ipv4Address router, RaTime now,
                      RaSummary& summary);

    net::Ipv4Address local_;
    std::vector<HostAddress> addresses_;
    std::vector<HostRoute> routes_;           // RIO
    std::optional<HostRoute> default_route_;  // router lifetime
    std::optional<net::Ipv4Address> router_;
};

}  // namespace sixgate::isatap
