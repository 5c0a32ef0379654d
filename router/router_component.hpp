#pragma once
// The router component: RFC 4861 Router Advertisements on each configured interface (RaInterface)
// and the kernel state manage-out needs (server address, IPv6 forwarding, routes to the client
// prefixes), owned through netlink::KernelState so it is removed on exit and reconciled after a
// crash. Renumbering and reload go through apply().
// RFCs: 4861, 4191, 8106, 8781, 9096. Entry points: RouterComponent::start, apply, stop, status.

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "net/netlink/kernel_state.hpp"
#include "router/ra_interface.hpp"

namespace sixgate::router {

// What the router wants in the kernel for a config (pure: tested without a kernel).
struct RouterKernelPlan {
    std::vector<net::netlink::InterfaceAddress> addresses;
    std::vector<net::netlink::Route> routes;
    bool forwarding = false;
};
RouterKernelPlan plan_kernel_state(const config::RouterConfig& router);

class RouterComponent {
public:
    static Result<std::unique_ptr<RouterComponent>> start(boost::asio::io_context& io, const config::Config& config,
                                                          net::netlink::KernelApi& kernel);
    ~RouterComponent();

    // Applies a new config (SIGHUP reload, renumbering): interfaces added, updated or stopped;
    // kernel addresses and routes swapped. Unchanged parts keep running untouched.
    Result<void> apply(const config::Config& config);

    // Final RAs on every interface, then the kernel state is removed; `done` runs after.
    void stop(std::function<void()> done);

    nlohmann::json status() const;

private:
    RouterComponent(boost::asio::io_context& io, net::netlink::KernelApi& kernel);
    Result<void> apply_kernel_state(const RouterKernelPlan& wanted);
    std::optional<net::nd::MacAddress> link_layer_address(const std::string& interface);

    boost::asio::io_context& io_;
    net::netlink::KernelApi& kernel_;
    net::netlink::KernelState kernel_state_;
    config::RouterConfig config_;
    std::map<std::string, std::unique_ptr<RaInterface>> interfaces_;
    std::vector<std::unique_ptr<RaInterface>> stopping_;  // sending their final RAs
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace sixgate::router
