#pragma once
// The ISATAP router (RFC 5214, limited scope) as `sixgate run` runs it (`isatap: {mode: router}`):
// a protocol-41 raw socket on the IPv4 interface and a TUN device (TunnelLink) served by the
// RouterEngine, the router's ISATAP and link-local ISATAP addresses on the TUN (so the kernel
// routes the ISATAP prefix into it) and IPv6 forwarding on; all removed / restored on stop.
// Entry points: IsatapRouterComponent::start, stop, status.

#include <chrono>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "isatap/isatap_component.hpp"
#include "isatap/router_engine.hpp"
#include "isatap/tunnel_link.hpp"
#include "net/netlink/kernel_api.hpp"
#include "net/netlink/kernel_state.hpp"
#include "net/result.hpp"

namespace sixgate::isatap {

class IsatapRouterComponent final : public IsatapComponent {
public:
    // Hosts listed in status() at most (the counts cover all of them).
    static constexpr std::size_t kStatusHosts = 200;

    // Finds the interface's IPv4 address, builds the policy and the RA from the config, opens the
    // raw socket and the TUN, adds the router's addresses, turns IPv6 forwarding on and starts
    // the data path. Errors say what to fix; whatever was already set up is undone.
    static Result<std::unique_ptr<IsatapRouterComponent>> start(boost::asio::io_context& io,
                                                                const config::Config& config,
                                                                net::netlink::KernelApi& kernel);
    ~IsatapRouterComponent() override;  // stop()
    IsatapRouterComponent(const IsatapRouterComponent&) = delete;
    IsatapRouterComponent& operator=(const IsatapRouterComponent&) = delete;

    void stop() override;
    nlohmann::json status() const override;
    const config::IsatapConfig& isatap_config() const noexcept override { return isatap_; }

    const std::string& tun_name() const noexcept { return tun_name_; }
    net::Ipv4Address local_ipv4() const noexcept { return local_; }
    const RouterEngine& engine() const noexcept { return *engine_; }

private:
    IsatapRouterComponent(const config::Config& config, net::netlink::KernelApi& kernel);
    Result<void> start_link_and_kernel_state();

    config::IsatapConfig isatap_;
    std::string tun_name_;
    net::Ipv4Address local_;
    std::unique_ptr<RouterEngine> engine_;
    std::unique_ptr<TunnelLink> link_;
    net::netlink::KernelState kernel_state_;
    bool stopped_ = false;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace sixgate::isatap
