#pragma once
// Interfaces by name over rtnetlink (RTM_GETLINK, RTM_GETADDR): index, MTU, link-layer address,
// IPv4 addresses. Names are resolved in the network namespace the socket was opened in.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "net/ip_address.hpp"
#include "net/netlink/route_socket.hpp"
#include "net/result.hpp"

namespace sixgate::net::netlink {

struct InterfaceInfo {
    int index = 0;
    std::string name;
    std::uint32_t mtu = 0;
    std::vector<std::uint8_t> link_layer_address;  // empty when the link has none (TUN)
    std::uint32_t flags = 0;                       // IFF_*

    bool is_up() const noexcept;
};

struct Ipv4InterfaceAddress {
    Ipv4Address address;
    int prefix_length = 32;

    auto operator<=>(const Ipv4InterfaceAddress&) const = default;
};

Result<InterfaceInfo> interface_info(RouteSocket& socket, std::string_view name);
Result<int> interface_index(RouteSocket& socket, std::string_view name);
Result<std::uint32_t> interface_mtu(RouteSocket& socket, std::string_view name);
Result<std::vector<std::uint8_t>> interface_link_layer_address(RouteSocket& socket,
                                                               std::string_view name);
Result<std::vector<Ipv4InterfaceAddress>> interface_ipv4_addresses(RouteSocket& socket,
                                                                   std::string_view name);
// Every interface, by index.
Result<std::map<int, InterfaceInfo>> list_interfaces(RouteSocket& socket);

}  // namespace sixgate::net::netlink
