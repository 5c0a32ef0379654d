#include "net/netlink/kernel_api.hpp"

#include "net/netlink/sysctl.hpp"

namespace sixgate::net::netlink {

Result<NetlinkKernel> NetlinkKernel::open() {
    auto socket = RouteSocket::open();
    if (!socket) return socket.error();
    return NetlinkKernel(std::move(*socket));
}

Result<void> NetlinkKernel::add_route(const Route& route) {
    return netlink::add_route(socket_, route);
}
Result<void> NetlinkKernel::delete_route(const Route& route) {
    return netlink::delete_route(socket_, route);
}
Result<std::vector<Route>> NetlinkKernel::list_routes(const RouteQuery& query) {
    return netlink::list_routes(socket_, query);
}
Result<void> NetlinkKernel::add_address(const InterfaceAddress& address) {
    return netlink::add_address(socket_, address);
}
Result<void> NetlinkKernel::delete_address(const InterfaceAddress& address) {
    return netlink::delete_address(socket_, address);
}
Result<std::vector<InterfaceAddress>> NetlinkKernel::list_addresses(const AddressQuery& query) {
    return netlink::list_addresses(socket_, query);
}
Result<InterfaceInfo> NetlinkKernel::interface_info(std::string_view name) {
    return netlink::interface_info(socket_, name);
}
Result<std::string> NetlinkKernel::read_sysctl(const std::string& path) {
    return netlink::read_sysctl(path);
}
Result<void> NetlinkKernel::write_sysctl(const std::string& path, const std::string& value) {
    return netlink::write_sysctl(path, value);
}

}  // namespace sixgate::net::netlink
