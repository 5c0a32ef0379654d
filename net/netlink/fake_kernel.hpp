#pragma once
// FakeKernel: an in-memory KernelApi for unit tests. It answers like rtnetlink does (EEXIST on a
// duplicate, ESRCH for a missing route, EADDRNOTAVAIL for a missing address, ENODEV for an unknown
// device) and can be told to fail the next call of an operation (EPERM, ...).

#include <map>
#include <string>
#include <system_error>
#include <vector>

#include "net/netlink/kernel_api.hpp"

namespace sixgate::net::netlink {

class FakeKernel final : public KernelApi {
  public:
    enum class Operation {
        kAddRoute,
        kDeleteRoute,
        kListRoutes,
        kAddAddress,
        kDeleteAddress,
        kListAddresses,
        kInterfaceInfo,
        kReadSysctl,
        kWriteSysctl,
    };

    // Adds a device; index 0 picks the next free one. Returns the index.
    int add_interface(const std::string& name, std::uint32_t mtu = 1500, int index = 0);
    // Like the kernel: the device's addresses and routes go with it.
    void remove_interface(const std::string& name);

    // The next call of the operation fails with code (and touches nothing).
    void fail_next(Operation operation, std::errc code);

    // What is "in the kernel"; tests may edit it to stage an administrator's configuration.
    std::vector<Route>& routes() noexcept { return routes_; }
    std::vector<InterfaceAddress>& addresses() noexcept { return addresses_; }
    std::map<std::string, std::string>& sysctls() noexcept { return sysctls_; }

    // Every change made, in order: "add route ...", "delete address ...", "write sysctl P=V".
    const std::vector<std::string>& changes() const noexcept { return changes_; }

    Result<void> add_route(const Route& route) override;
    Result<void> delete_route(const Route& route) override;
    Result<std::vector<Route>> list_routes(const RouteQuery& query) override;
    Result<void> add_address(const InterfaceAddress& address) override;
    Result<void> delete_address(const InterfaceAddress& address) override;
    Result<std::vector<InterfaceAddress>> list_addresses(const AddressQuery& query) override;
    Result<InterfaceInfo> interface_info(std::string_view name) override;
    Result<std::string> read_sysctl(const std::string& path) override;
    Result<void> write_sysctl(const std::string& path, const std::string& value) override;

  private:
    // The injected failure for this operation, if one is pending (then cleared).
    std::optional<std::errc> take_failure(Operation operation);
    bool has_interface(const std::string& name) const;

    std::map<std::string, InterfaceInfo> interfaces_;
    std::vector<Route> routes_;
    std::vector<InterfaceAddress> addresses_;
    std::map<std::string, std::string> sysctls_;
    std::map<Operation, std::errc> failures_;
    std::vector<std::string> changes_;
    int next_index_ = 1;
};

}  // namespace sixgate::net::netlink
