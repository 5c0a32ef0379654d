#pragma once
// The host reads doctor makes besides addresses and routes: the neighbour table's routers, the
// DNS64 answer for ipv4only.arpa (RFC 7050) and one ICMP echo to the target.

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/doctor/host_snapshot.hpp"
#include "net/netlink/route_socket.hpp"

namespace sixgate::app::doctor {

// Link-local neighbours flagged as routers (NTF_ROUTER), by interface index.
Result<std::map<int, std::vector<net::Ipv6Address>>> list_router_neighbours(net::netlink::RouteSocket& socket);

// RFC 7050 3: the Pref64::/n a DNS64 synthesised for ipv4only.arpa (192.0.0.170/171 found at
// one of the RFC 6052 2.2 positions), or nothing within `timeout`.
std::optional<net::Ipv6Prefix> discover_dns64_prefix(std::chrono::milliseconds timeout);

// Up to `attempts` ICMP echo requests (one per `wait`), stopping at the first reply.
TargetProbe probe_target(const net::netlink::AnyIpAddress& target, int attempts, std::chrono::milliseconds wait);

}  // namespace sixgate::app::doctor
