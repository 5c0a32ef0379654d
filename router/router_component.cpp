#include "router/router_component.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace sixgate::router {

namespace netlink = net::netlink;

namespace {

constexpr const char* kAllForwarding = "/proc/sys/net/ipv6/conf/all/forwarding";

bool contains_route(const std::vector<netlink::Route>& routes, const netlink::Route& route) {
    return std::any_of(routes.begin(), routes.end(), [&](const auto& r) { return r.same_route_as(route); });
}

bool contains_address(const std::vector<netlink::InterfaceAddress>& addresses, const netlink::InterfaceAddress& a) {
    return std::any_of(addresses.begin(), addresses.end(), [&](const auto& b) { return b.same_address_as(a); });
}

}  // namespace

RouterKernelPlan plan_kernel_state(const config::RouterConfig& router) {
    RouterKernelPlan plan;
    plan.forwarding = *router.forwarding;
    // The server address goes on the first advertising interface: the manage-out LAN.
    if (router.server_address.value && !router.interfaces.empty()) {
        netlink::InterfaceAddress address;
        address.device = router.interfaces.front().name;
        address.address = router.server_address.value->address;
        address.prefix_length = router.server_address.value->length;
        plan.addresses.push_back(address);
    }
    for (const auto& kernel_route : router.routes) {
        netlink::Route route;
        route.destination = *kernel_route.prefix;
        if (kernel_route.via) route.gateway = **kernel_route.via;
        if (kernel_route.dev) route.device = *kernel_route.dev;
        route.metric = *kernel_route.metric;
        plan.routes.push_back(route);
    }
    return plan;
}

RouterComponent::RouterComponent(boost::asio::io_context& io, netlink::KernelApi& kernel)
    : io_(io), kernel_(kernel), kernel_state_(kernel) {
    kernel_state_.set_error_sink([](const Error& error) { spdlog::error("router kernel cleanup: {}", error.message); });
}

RouterComponent::~RouterComponent() {
    for (const Error& error : kernel_state_.remove_all()) spdlog::error("router kernel cleanup: {}", error.message);
}

Result<std::unique_ptr<RouterComponent>> RouterComponent::start(boost::asio::io_context& io,
                                                                const config::Config& config,
                                                                netlink::KernelApi& kernel) {
    std::unique_ptr<RouterComponent> router(new RouterComponent(io, kernel));
    const RouterKernelPlan wanted = plan_kernel_state(config.router);
    // A previous run killed with SIGKILL left its routes and addresses: drop the stale ones.
    auto report = router->kernel_state_.reconcile(netlink::kSixgateRouteProtocol, {wanted.routes, wanted.addresses});
    if (!report) return report.error();
    for (const auto& route : report->removed_routes)
        spdlog::info("router reconcile removed stale route {}", netlink::describe(route));
    for (const auto& address : report->removed_addresses)
        spdlog::info("router reconcile removed stale address {}", netlink::describe(address));
    for (const auto& route : report->adopted_routes)
        spdlog::info("router reconcile adopted route {}", netlink::describe(route));
    for (const auto& address : report->adopted_addresses)
        spdlog::info("router reconcile adopted address {}", netlink::describe(address));
    for (const auto& failure : report->failures) spdlog::warn("router reconcile: {}", failure.message);

    if (auto applied = router->apply(config); !applied) return applied.error();
    return router;
}

Result<void> RouterComponent::apply_kernel_state(const RouterKernelPlan& wanted) {
    if (wanted.forwarding) {
        auto outcome = kernel_state_.set_sysctl(kAllForwarding, "1");
        if (!outcome) return outcome.error();
        if (*outcome == netlink::SysctlOutcome::kChanged) spdlog::info("router set {}=1", kAllForwarding);
    }
    // Withdraw what is no longer wanted first, so a renumbered address never coexists with its
    // replacement longer than needed.
    for (const auto& route : kernel_state_.owned_routes())
        if (!contains_route(wanted.routes, route)) {
            if (auto removed = kernel_state_.remove_route(route); !removed) return removed.error();
            spdlog::info("router removed route {}", netlink::describe(route));
        }
    for (const auto& address : kernel_state_.owned_addresses())
        if (!contains_address(wanted.addresses, address)) {
            if (auto removed = kernel_state_.remove_address(address); !removed) return removed.error();
            spdlog::info("router removed address {}", netlink::describe(address));
        }
    for (const auto& address : wanted.addresses) {
        auto outcome = kernel_state_.add_address(address);
        if (!outcome) return outcome.error();
        if (*outcome != netlink::Ownership::kAlreadyOwned)
            spdlog::info("router address {} {}", netlink::describe(address), netlink::to_string(*outcome));
    }
    for (const auto& route : wanted.routes) {
        auto outcome = kernel_state_.add_route(route);
        if (!outcome) return outcome.error();
        if (*outcome != netlink::Ownership::kAlreadyOwned)
            spdlog::info("router route {} {}", netlink::describe(route), netlink::to_string(*outcome));
    }
    return {};
}

std::optional<net::nd::MacAddress> RouterComponent::link_layer_address(const std::string& interface) {
    auto info = kernel_.interface_info(interface);
    if (!info || info->link_layer_address.size() != 6) return std::nullopt;  // e.g. a TUN: no MAC
    net::nd::MacAddress mac;
    std::copy(info->link_layer_address.begin(), info->link_layer_address.end(), mac.begin());
    return mac;
}

Result<void> RouterComponent::apply(const config::Config& config) {
    if (auto applied = apply_kernel_state(plan_kernel_state(config.router)); !applied) return applied;

    // Interfaces no longer configured send their final RAs and go.
    for (auto it = interfaces_.begin(); it != interfaces_.end();) {
        const bool kept = std::any_of(config.router.interfaces.begin(), config.router.interfaces.end(),
                                      [&](const auto& i) { return i.name == it->first; });
        if (kept) {
            ++it;
            continue;
        }
        RaInterface* leaving = it->second.get();
        stopping_.push_back(std::move(it->second));
        it = interfaces_.erase(it);
        leaving->stop([this, leaving] {
            std::erase_if(stopping_, [&](const auto& i) { return i.get() == leaving; });
        });
    }
    for (const auto& interface_config : config.router.interfaces) {
        auto existing = interfaces_.find(interface_config.name);
        if (existing != interfaces_.end()) {
            existing->second->update(interface_config);
            continue;
        }
        auto started = RaInterface::start(io_, interface_config, link_layer_address(interface_config.name));
        if (!started) return started.error();
        interfaces_.emplace(interface_config.name, std::move(*started));
    }
    config_ = config.router;
    return {};
}

void RouterComponent::stop(std::function<void()> done) {
    auto remaining = std::make_shared<std::size_t>(interfaces_.size() + stopping_.size());
    auto finish = [this, remaining, done] {
        if (--*remaining > 0) return;
        for (const Error& error : kernel_state_.remove_all()) spdlog::error("router kernel cleanup: {}", error.message);
        spdlog::info("router stopped: kernel state removed");
        done();
    };
    if (*remaining == 0) {
        ++*remaining;
        finish();
        return;
    }
    for (auto& [name, interface] : interfaces_) interface->stop(finish);
    for (auto& interface : stopping_) interface->stop(finish);
}

nlohmann::json RouterComponent::status() const {
    nlohmann::json json;
    json["uptime_s"] = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_).count();
    auto& interfaces = json["interfaces"] = nlohmann::json::array();
    for (const auto& [name, interface] : interfaces_) interfaces.push_back(interface->status());
    auto& kernel = json["kernel"];
    kernel["addresses"] = nlohmann::json::array();
    kernel["routes"] = nlohmann::json::array();
    for (const auto& address : kernel_state_.owned_addresses()) kernel["addresses"].push_back(netlink::describe(address));
    for (const auto& route : kernel_state_.owned_routes()) kernel["routes"].push_back(netlink::describe(route));
    return json;
}

}  // namespace sixgate::router
