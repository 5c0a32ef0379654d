#pragma once
// Hand-made host snapshots for the doctor tests: a healthy manage-out host, and helpers to break it.

#include <string>

#include "app/doctor/host_snapshot.hpp"

namespace sixgate::app::doctor::testing {

inline net::Ipv6Address v6(const char* text) { return net::Ipv6Address::parse(text).value(); }
inline net::Ipv4Address v4(const char* text) { return net::Ipv4Address::parse(text).value(); }
inline net::Ipv6Prefix prefix6(const char* text) { return net::Ipv6Prefix::parse(text).value(); }

inline constexpr const char* kRouterLinkLocal = "fe80::1";
inline constexpr const char* kClient = "2002:836b:2:1000::10";

inline net::netlink::Route route6(const char* destination, const char* gateway, const char* device,
                                  std::uint8_t protocol = 9) {
    net::netlink::Route route;
    route.destination = prefix6(destination);
    if (gateway) route.gateway = v6(gateway);
    route.device = device;
    route.protocol = protocol;
    return route;
}

// A manage-out host: eth0 takes RAs (accept_ra=1, forwarding=0, RIOs up to /64), has a SLAAC
// address in the org /64, heard the router fe80::1 and has its RFC 4191 route to the IP-HTTPS /64.
inline HostSnapshot healthy_manage_out_host() {
    HostSnapshot s;
    s.hostname = "mgmt-v6";
    s.all = Ipv6Conf{0, 1, 0, 1, 1, 1, 0};
    HostInterface lo{"lo", true, true, Ipv6Conf{0, 1, 0, 1, 1, 1, 0}, {{v6("::1"), 128, false, false, false}}, {}, {}};
    HostInterface eth0{"eth0", true, false, Ipv6Conf{0, 1, 64, 1, 1, 1, 0},
                       {{v6("2002:836b:2:3333:a8c1:abff:fe00:1"), 64, false, false, true},
                        {v6("fe80::a8c1:abff:fe00:1"), 64, false, false, false}},
                       {},
                       {v6(kRouterLinkLocal)}};
    s.interfaces = {lo, eth0};
    s.routes = {route6("2002:836b:2:3333::/64", nullptr, "eth0", 2), route6("2002:836b:2:1000::/64", kRouterLinkLocal, "eth0")};
    s.sixgate.socket = "/run/sixgate/sixgate.sock";
    s.sixgate.error = "no sixgate is running";
    s.sixgate.socket_missing = true;
    return s;
}

inline HostInterface& interface(HostSnapshot& s, const std::string& name) {
    for (HostInterface& i : s.interfaces)
        if (i.name == name) return i;
    throw std::runtime_error("no interface " + name);
}

}  // namespace sixgate::app::doctor::testing
