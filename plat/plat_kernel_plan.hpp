#pragma once
// What the PLAT (RFC 6146) puts in the kernel, as a pure function of its config (tested without a
// kernel), the checks that refuse a start which would break the host, and applying the plan
// through a KernelState (protocol 115, removed on stop): the pool6 prefix and every pool4 /
// static-BIB prefix routed into the TUN, and IPv6 and IPv4 forwarding on.
// Entry points: plan_plat_kernel_state, check_plat_kernel_conflicts, apply_plat_kernel_plan.

#include <string>
#include <vector>

#include "net/ip_prefix.hpp"
#include "net/netlink/kernel_api.hpp"
#include "net/netlink/kernel_routes.hpp"
#include "net/netlink/kernel_state.hpp"
#include "net/result.hpp"

namespace sixgate::plat {

inline constexpr const char* kIpv4ForwardingSysctl = "/proc/sys/net/ipv4/ip_forward";
inline constexpr const char* kIpv6ForwardingSysctl = "/proc/sys/net/ipv6/conf/all/forwarding";

struct PlatSysctl {
    std::string path;
    std::string value;
    bool operator==(const PlatSysctl&) const = default;
};

struct PlatKernelInputs {
    std::string tun;                           // the device the kernel gave
    net::Ipv6Prefix pool6;                     // plat.prefix
    std::vector<net::Ipv4Prefix> routed_ipv4;  // SessionTable::routed_ipv4()
};

struct PlatKernelPlan {
    std::vector<net::netlink::Route> routes;  // pool6 first, then the IPv4 prefixes
    std::vector<PlatSysctl> sysctls;          // in the order they must be written
};

PlatKernelPlan plan_plat_kernel_state(const PlatKernelInputs& inputs);

// Refuses (std::errc::file_exists, saying what to change) when
//  - a pool4 / static-BIB address is a local address of this host (the kernel would deliver the
//    IPv4 side's packets to itself instead of routing them into the TUN), or pool6 holds one;
//  - a route of another owner in the main table overlaps pool6 or a pool4 prefix (equal, inside
//    or around it; default routes excepted): one of the two would take the other's traffic.
// Routes with sixgate's protocol that are exactly the ones planned (left by a killed run) are not
// conflicts: the KernelState adopts them.
Result<void> check_plat_kernel_conflicts(net::netlink::KernelApi& kernel,
                                         const PlatKernelPlan& plan);

// Adds the routes and sets the sysctls through `state`; the first failure is returned with the
// entry it concerns, and what was already applied stays in `state` (its remove_all undoes it).
Result<void> apply_plat_kernel_plan(net::netlink::KernelState& state, const PlatKernelPlan& plan);

}  // namespace sixgate::plat
