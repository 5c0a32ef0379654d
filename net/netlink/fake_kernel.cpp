#include "net/netlink/fake_kernel.hpp"

#include <algorithm>
#include <cerrno>

namespace sixgate::net::netlink {
namespace {

Error fail(std::errc code, const std::string& context) {
    return kernel_error(int(code), context);
}

// rtnetlink's identity for NLM_F_EXCL: destination, table and metric.
bool collides(const Route& a, const Route& b) {
    return a.destination == b.destination && a.table == b.table &&
           effective_metric(a) == effective_metric(b);
}

// RTM_DELROUTE matching: fields the request leaves empty match anything.
bool delete_matches(const Route& request, const Route& installed) {
    return request.destination == installed.destination && request.table == installed.table &&
           (request.metric == 0 || effective_metric(request) == effective_metric(installed)) &&
           (request.protocol == 0 || request.protocol == installed.protocol) &&
           (request.device.empty() || request.device == installed.device) &&
           (!request.gateway || request.gateway == installed.gateway) &&
           request.type == installed.type;
}

}  // namespace

int FakeKernel::add_interface(const std::string& name, std::uint32_t mtu, int index) {
    InterfaceInfo info;
    info.index = index != 0 ? index : next_index_;
    next_index_ = std::max(next_index_, info.index + 1);
    info.name = name;
    info.mtu = mtu;
    info.flags = 0x1;  // IFF_UP
    info.link_layer_address = {0x02, 0x00, 0x00, 0x00, 0x00, std::uint8_t(info.index)};
    interfaces_[name] = info;
    return info.index;
}

void FakeKernel::remove_interface(const std::string& name) {
    interfaces_.erase(name);
    std::erase_if(routes_, [&](const Route& r) { return r.device == name; });
    std::erase_if(addresses_, [&](const InterfaceAddress& a) { return a.device == name; });
}

void FakeKernel::fail_next(Operation operation, std::errc code) {
    failures_[operation] = code;
}

std::optional<std::errc> FakeKernel::take_failure(Operation operation) {
    auto it = failures_.find(operation);
    if (it == failures_.end()) return std::nullopt;
    const std::errc code = it->second;
    failures_.erase(it);
    return code;
}

bool FakeKernel::has_interface(const std::string& name) const {
    return interfaces_.contains(name);
}

Result<void> FakeKernel::add_route(const Route& route) {
    const std::string context = "add route " + describe(route);
    if (auto code = take_failure(Operation::kAddRoute)) return fail(*code, context);
    if (!route.device.empty() && !has_interface(route.device))
        return fail(std::errc::no_such_device, context);
    if (std::any_of(routes_.begin(), routes_.end(),
                    [&](const Route& r) { return collides(r, route); }))
        return fail(std::errc::file_exists, context);
    Route stored = route;
    stored.metric = effective_metric(route);
    routes_.push_back(stored);
    changes_.push_back(context);
    return {};
}

Result<void> FakeKernel::delete_route(const Route& route) {
    const std::string context = "delete route " + describe(route);
    if (auto code = take_failure(Operation::kDeleteRoute)) return fail(*code, context);
    if (!route.device.empty() && !has_interface(route.device))
        return fail(std::errc::no_such_device, context);
    auto it = std::find_if(routes_.begin(), routes_.end(),
                           [&](const Route& r) { return delete_matches(route, r); });
    if (it == routes_.end()) return fail(std::errc::no_such_process, context);
    routes_.erase(it);
    changes_.push_back(context);
    return {};
}

Result<std::vector<Route>> FakeKernel::list_routes(const RouteQuery& query) {
    if (auto code = take_failure(Operation::kListRoutes)) return fail(*code, "list routes");
    std::vector<Route> result;
    for (const auto& r : routes_) {
        if (query.family && family_of(r.destination) != *query.family) continue;
        if (query.table && r.table != *query.table) continue;
        if (query.protocol && r.protocol != *query.protocol) continue;
        if (query.destination && r.destination != *query.destination) continue;
        result.push_back(r);
    }
    return result;
}

Result<void> FakeKernel::add_address(const InterfaceAddress& address) {
    const std::string context = "add address " + describe(address);
    if (auto code = take_failure(Operation::kAddAddress)) return fail(*code, context);
    if (!has_interface(address.device)) return fail(std::errc::no_such_device, context);
    // IPv6 allows an address once per device; IPv4 once per device and prefix length.
    const bool v6 = family_of(address.address) == IpFamily::kIpv6;
    if (std::any_of(addresses_.begin(), addresses_.end(), [&](const InterfaceAddress& a) {
            return a.device == address.device && a.address == address.address &&
                   (v6 || a.prefix_length == address.prefix_length);
        }))
        return fail(std::errc::file_exists, context);
    addresses_.push_back(address);
    changes_.push_back(context);
    return {};
}

Result<void> FakeKernel::delete_address(const InterfaceAddress& address) {
    const std::string context = "delete address " + describe(address);
    if (auto code = take_failure(Operation::kDeleteAddress)) return fail(*code, context);
    if (!has_interface(address.device)) return fail(std::errc::no_such_device, context);
    auto it = std::find_if(addresses_.begin(), addresses_.end(),
                           [&](const InterfaceAddress& a) { return a.same_address_as(address); });
    if (it == addresses_.end()) return fail(std::errc::address_not_available, context);
    addresses_.erase(it);
    changes_.push_back(context);
    return {};
}

Result<std::vector<InterfaceAddress>> FakeKernel::list_addresses(const AddressQuery& query) {
    if (auto code = take_failure(Operation::kListAddresses)) return fail(*code, "list addresses");
    std::vector<InterfaceAddress> result;
    for (const auto& a : addresses_) {
        if (query.device && a.device != *query.device) continue;
        if (query.family && family_of(a.address) != *query.family) continue;
        if (query.protocol && a.protocol != *query.protocol) continue;
        result.push_back(a);
    }
    return result;
}

Result<InterfaceInfo> FakeKernel::interface_info(std::string_view name) {
    const std::string context = "interface " + std::string(name);
    if (auto code = take_failure(Operation::kInterfaceInfo)) return fail(*code, context);
    auto it = interfaces_.find(std::string(name));
    if (it == interfaces_.end()) return fail(std::errc::no_such_device, context);
    return it->second;
}

Result<std::string> FakeKernel::read_sysctl(const std::string& path) {
    const std::string context = "read sysctl " + path;
    if (auto code = take_failure(Operation::kReadSysctl)) return fail(*code, context);
    auto it = sysctls_.find(path);
    if (it == sysctls_.end()) return fail(std::errc::no_such_file_or_directory, context);
    return it->second;
}

Result<void> FakeKernel::write_sysctl(const std::string& path, const std::string& value) {
    const std::string context = "write sysctl " + path + "=" + value;
    if (auto code = take_failure(Operation::kWriteSysctl)) return fail(*code, context);
    auto it = sysctls_.find(path);
    if (it == sysctls_.end()) return fail(std::errc::no_such_file_or_directory, context);
    it->second = value;
    changes_.push_back(context);
    return {};
}

}  // namespace sixgate::net::netlink
