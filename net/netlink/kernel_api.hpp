#pragma once
// KernelApi: the seam between sixgate's kernel-state owners and the kernel. NetlinkKernel is the
// real one (rtnetlink and /proc/sys); FakeKernel (fake_kernel.hpp) is the in-memory one for tests.

#include <string>
#include <string_view>
#include <vector>

#include "net/netlink/interfaces.hpp"
#include "net/netlink/kernel_addresses.hpp"
#include "net/netlink/kernel_routes.hpp"
#include "net/netlink/route_socket.hpp"
#include "net/result.hpp"

namespace sixgate::net::netlink {

class KernelApi {
  public:
    virtual ~KernelApi() = default;

    virtual Result<void> add_route(const Route& route) = 0;
    virtual Result<void> delete_route(const Route& route) = 0;
    virtual Result<std::vector<Route>> list_routes(const RouteQuery& query) = 0;

    virtual Result<void> add_address(const InterfaceAddress& address) = 0;
    virtual Result<void> delete_address(const InterfaceAddress& address) = 0;
    virtual Result<std::vector<InterfaceAddress>> list_addresses(const AddressQuery& query) = 0;

    virtual Result<InterfaceInfo> interface_info(std::string_view name) = 0;

    virtual Result<std::string> read_sysctl(const std::string& path) = 0;
    virtual Result<void> write_sysctl(const std::string& path, const std::string& value) = 0;
};

class NetlinkKernel final : public KernelApi {
  public:
    // Opens a NETLINK_ROUTE socket in the caller's current network namespace.
    static Result<NetlinkKernel> open();
    explicit NetlinkKernel(RouteSocket socket) noexcept : socket_(std::move(socket)) {}

    Result<void> add_route(const Route& route) override;
    Result<void> delete_route(const Route& route) override;
    Result<std::vector<Route>> list_routes(const RouteQuery& query) override;
    Result<void> add_address(const InterfaceAddress& address) override;
    Result<void> delete_address(const InterfaceAddress& address) override;
    Result<std::vector<InterfaceAddress>> list_addresses(const AddressQuery& query) override;
    Result<InterfaceInfo> interface_info(std::string_view name) override;
    Result<std::string> read_sysctl(const std::string& path) override;
    Result<void> write_sysctl(const std::string& path, const std::string& value) override;

    RouteSocket& socket() noexcept { return socket_; }

  private:
    RouteSocket socket_;
};

}  // namespace sixgate::net::netlink
