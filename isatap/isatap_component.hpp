#pragma once
// The ISATAP component as `sixgate run` runs it (`isatap:` in the config): router mode
// (IsatapRouterComponent, isatap_router_component.hpp) or host mode (IsatapHostComponent,
// isatap_host_component.hpp) behind one interface for the daemon.

#include <memory>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "net/netlink/kernel_api.hpp"
#include "net/result.hpp"

namespace sixgate::isatap {

class IsatapComponent {
public:
    virtual ~IsatapComponent() = default;
    // Stops the data path and the timers, removes the kernel state, closes the TUN. Synchronous;
    // idempotent.
    virtual void stop() = 0;
    // What `sixgate status` shows under components.isatap (docs/isatap.md "Status").
    virtual nlohmann::json status() const = 0;
    // The config this instance runs (a reload with a different one restarts it).
    virtual const config::IsatapConfig& isatap_config() const noexcept = 0;
};

// Starts the mode `config.isatap.mode` names. Errors say what to fix; whatever was already set
// up is undone.
Result<std::unique_ptr<IsatapComponent>> start_isatap(boost::asio::io_context& io, const config::Config& config,
                                                      net::netlink::KernelApi& kernel);

}  // namespace sixgate::isatap
