#pragma once
// Kernel routes over rtnetlink (RTM_NEWROUTE/DELROUTE/GETROUTE), IPv6 and IPv4, tagged with
// sixgate's route protocol number so a later run can find what an earlier one left.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/netlink/ip_family.hpp"
#include "net/netlink/route_socket.hpp"
#include "net/result.hpp"

namespace sixgate::net::netlink {

// sixgate's rtm_protocol (and ifa_proto for addresses): 115 = 0x73, ASCII 's'.
// Values >= RTPROT_STATIC (4) are not interpreted by the kernel. 115 is neither among the
// RTPROT_* names of include/uapi/linux/rtnetlink.h (0-18, 42, 99, 186-192) nor in iproute2's
// /etc/iproute2/rt_protos, nor used by FRR (191-198), BIRD (12) or keepalived (18).
// `ip -6 route show proto 115` lists sixgate's routes; a file
// /etc/iproute2/rt_protos.d/sixgate.conf with "115 sixgate" lets iproute2 print the name.
inline constexpr std::uint8_t kSixgateRouteProtocol = 115;

inline constexpr std::uint32_t kMainRouteTable = 254;   // RT_TABLE_MAIN
inline constexpr std::uint32_t kLocalRouteTable = 255;  // RT_TABLE_LOCAL
// The metric the kernel gives an IPv6 route that names none (IP6_RT_PRIO_USER).
inline constexpr std::uint32_t kDefaultIpv6Metric = 1024;

// rtm_type; values are the kernel's RTN_*. Others read from a dump keep their number.
enum class RouteType : std::uint8_t {
    kUnicast = 1,
    kLocal = 2,
    kBroadcast = 3,
    kAnycast = 4,
    kMulticast = 5,
    kBlackhole = 6,
    kUnreachable = 7,
    kProhibit = 8,
    kThrow = 9,
};

struct Route {
    AnyIpPrefix destination;
    std::optional<AnyIpAddress> gateway;
    std::string device;        // empty: none (gateway or type decides); sent as its ifindex
    std::uint32_t metric = 0;  // 0: the kernel's default (IPv6 makes it 1024, IPv4 keeps 0)
    std::uint32_t table = kMainRouteTable;
    std::uint8_t protocol = kSixgateRouteProtocol;
    RouteType type = RouteType::kUnicast;
    // The route's MTU (RTA_METRICS / RTAX_MTU): packets sent along it are sized to this instead
    // of the device MTU. Empty: none (the device's MTU applies).
    std::optional<std::uint32_t> mtu;

    // The same kernel route: destination, gateway, device, metric, table and type
    // (protocol and MTU are not part of a route's identity: the kernel keys on the others).
    bool same_route_as(const Route& other) const;
};

// The metric the kernel stores for this route.
std::uint32_t effective_metric(const Route& route) noexcept;

// "blackhole 2002:836b:2:1000::/64 via fe80::1 dev eth1 metric 1024 mtu 1472 table 100"
// (defaults left out).
std::string describe(const Route& route);

// What to list; every field left empty matches everything.
struct RouteQuery {
    std::optional<IpFamily> family;
    std::optional<std::uint32_t> table;
    std::optional<std::uint8_t> protocol;
    std::optional<AnyIpPrefix> destination;  // exactly this prefix
};

// Adds a route (NLM_F_CREATE|NLM_F_EXCL: an existing one is EEXIST, never replaced).
Result<void> add_route(RouteSocket& socket, const Route& route);
// Deletes the route; the protocol is sent too, so the kernel refuses (ESRCH) to delete a route
// that another protocol installed.
Result<void> delete_route(RouteSocket& socket, const Route& route);
// Lists the kernel's routes (cached clones excluded).
Result<std::vector<Route>> list_routes(RouteSocket& socket, const RouteQuery& query = {});
// Both families, every table.
Result<std::vector<Route>> list_routes_with_protocol(RouteSocket& socket, std::uint8_t protocol);
// Any route to exactly this destination in this table, whoever installed it.
Result<std::vector<Route>> list_routes_to(RouteSocket& socket, const AnyIpPrefix& destination,
                                          std::uint32_t table = kMainRouteTable);

}  // namespace sixgate::net::netlink
