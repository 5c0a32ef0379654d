#include "plat/plat_kernel_plan.hpp"

#include <variant>

namespace sixgate::plat {

namespace netlink = net::netlink;

namespace {

bool overlaps(const net::Ipv4Prefix& a, const net::Ipv4Prefix& b) noexcept {
    return a.length() <= b.length() ? a.contains(b.address()) : b.contains(a.address());
}

bool overlaps(const net::Ipv6Prefix& a, const net::Ipv6Prefix& b) noexcept {
    return a.contains(b) || b.contains(a);
}

bool overlaps(const netlink::AnyIpPrefix& a, const netlink::AnyIpPrefix& b) noexcept {
    if (const auto* a6 = std::get_if<net::Ipv6Prefix>(&a))
        if (const auto* b6 = std::get_if<net::Ipv6Prefix>(&b)) return overlaps(*a6, *b6);
    if (const auto* a4 = std::get_if<net::Ipv4Prefix>(&a))
        if (const auto* b4 = std::get_if<net::Ipv4Prefix>(&b)) return overlaps(*a4, *b4);
    return false;
}

bool is_default(const netlink::AnyIpPrefix& prefix) noexcept {
    return std::visit([](const auto& p) { return p.length() == 0; }, prefix);
}

bool contains(const netlink::AnyIpPrefix& prefix, const netlink::AnyIpAddress& address) noexcept {
    if (const auto* p6 = std::get_if<net::Ipv6Prefix>(&prefix))
        if (const auto* a6 = std::get_if<net::Ipv6Address>(&address)) return p6->contains(*a6);
    if (const auto* p4 = std::get_if<net::Ipv4Prefix>(&prefix))
        if (const auto* a4 = std::get_if<net::Ipv4Address>(&address)) return p4->contains(*a4);
    return false;
}

// "pool6 64:ff9b::/96" or "pool4 192.0.2.0/24": the plan's routes name what they carry.
std::string what(const netlink::Route& route) {
    return std::string(netlink::family_of(route.destination) == netlink::IpFamily::kIpv6
                           ? "plat.prefix (pool6) "
                           : "plat pool4/static_bib prefix ") +
           netlink::to_string(route.destination);
}

}  // namespace

PlatKernelPlan plan_plat_kernel_state(const PlatKernelInputs& inputs) {
    PlatKernelPlan plan;
    // RFC 6146 1.2.2 / 3.4: IPv6 packets to pool6 (an IPv4 server's IPv6 representation, RFC 6052)
    // must reach the NAT64: route the prefix into the TUN.
    netlink::Route pool6;
    pool6.destination = inputs.pool6;
    pool6.device = inputs.tun;
    plan.routes.push_back(pool6);
    // RFC 6146 3.4: IPv4 packets to a pool4 transport address (and to static BIB entries) come back
    // the same way.
    for (const auto& prefix : inputs.routed_ipv4) {
        netlink::Route route;
        route.destination = prefix;
        route.device = inputs.tun;
        plan.routes.push_back(route);
    }
    // The kernel checks forwarding on the interface a packet arrives on: the IPv6 clients' and the
    // IPv4 peers' interfaces are not known to the PLAT (any of them may carry traffic to pool6 or
    // pool4), so the global switches, as for any router; measured on Linux 6.18 (docs/plat.md).
    plan.sysctls.push_back({kIpv6ForwardingSysctl, "1"});
    plan.sysctls.push_back({kIpv4ForwardingSysctl, "1"});
    return plan;
}

Result<void> check_plat_kernel_conflicts(netlink::KernelApi& kernel, const PlatKernelPlan& plan) {
    netlink::AddressQuery address_query;
    auto addresses = kernel.list_addresses(address_query);
    if (!addresses)
        return Error{addresses.error().code,
                     "plat: listing the host's addresses: " + addresses.error().message};
    for (const auto& route : plan.routes)
        for (const auto& address : *addresses)
            if (contains(route.destination, address.address))
                return make_error(
                    std::errc::file_exists,
                    "plat: " + what(route) + " holds " + netlink::to_string(address.address) +
                        ", a local address of this host (" + netlink::describe(address) +
                        "): the kernel would deliver its packets locally instead of translating "
                        "them; take it out of the pool or remove the address");

    netlink::RouteQuery route_query;
    route_query.table = netlink::kMainRouteTable;
    auto routes = kernel.list_routes(route_query);
    if (!routes)
        return Error{routes.error().code, "plat: listing the routes: " + routes.error().message};
    for (const auto& ours : plan.routes) {
        for (const auto& other : *routes) {
            if (is_default(other.destination) || !overlaps(ours.destination, other.destination))
                continue;
            // A killed earlier run's identical route: adopted by the KernelState, not a conflict.
            if (other.protocol == netlink::kSixgateRouteProtocol && other.same_route_as(ours))
                continue;
            return make_error(std::errc::file_exists,
                              "plat: " + what(ours) + " overlaps the route " +
                                  netlink::describe(other) + " (protocol " +
                                  std::to_string(other.protocol) +
                                  "): one would take the other's traffic; pick a prefix no route "
                                  "uses or remove that route");
        }
    }
    return {};
}

Result<void> apply_plat_kernel_plan(netlink::KernelState& state, const PlatKernelPlan& plan) {
    for (const auto& route : plan.routes) {
        auto outcome = state.add_route(route);
        if (!outcome)
            return Error{outcome.error().code,
                         "plat route " + netlink::describe(route) + ": " + outcome.error().message};
        if (*outcome == netlink::Ownership::kPresentNotOurs)
            return make_error(std::errc::file_exists,
                              "plat route " + netlink::describe(route) + ": another route to " +
                                  netlink::to_string(route.destination) + " is already there");
    }
    for (const auto& sysctl : plan.sysctls) {
        auto outcome = state.set_sysctl(sysctl.path, sysctl.value);
        if (!outcome)
            return Error{outcome.error().code, "plat sysctl " + sysctl.path + "=" + sysctl.value +
                                                   ": " + outcome.error().message};
    }
    return {};
}

}  // namespace sixgate::plat
