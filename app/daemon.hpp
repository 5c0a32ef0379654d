#pragma once
// The long-running process behind `sixgate run`: one Boost.Asio io_context for the control plane,
// the enabled components, the control socket, signals (SIGTERM/SIGINT clean exit, SIGHUP reload),
// and following the public IPv4 of an interface (`public_ipv4: {from_interface: NAME}`).

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <nlohmann/json.hpp>

#include "app/address_watch.hpp"
#include "app/control_server.hpp"
#include "clat/clat_component.hpp"
#include "config/config.hpp"
#include "isatap/isatap_component.hpp"
#include "net/netlink/kernel_api.hpp"
#include "router/router_component.hpp"
#include "plat/plat_component.hpp"

namespace sixgate::app {

class Daemon {
public:
    Daemon(std::string config_path, std::string config_text, config::Config config);
    ~Daemon();

    // Starts everything and runs until a clean exit; returns the exit status.
    int run();

private:
    Result<void> start_components();
    void wait_for_signals();
    void reload(const std::string& why, bool reread_file);
    Result<void> apply(const config::Config& config);
    // Starts, restarts (stop then start) or stops the CLAT for `config`; `force_restart` restarts
    // an unchanged one too (after the router reconciled sixgate's kernel routes).
    Result<void> apply_clat(const config::Config& config, bool force_restart);
    // The same for the PLAT (restarted when plat: or translation: changed).
    Result<void> apply_plat(const config::Config& config, bool force_restart);
    void stop_plat();  // synchronous; nothing when the PLAT is not built
    // The same for ISATAP (restarted when isatap: changed; in router mode also when router: or
    // the plan changed, since its RAs carry the router's routes).
    Result<void> apply_isatap(const config::Config& config, bool force_restart);
    void shutdown();
    nlohmann::json snapshot() const;

    std::string config_path_;
    std::string config_text_;  // as last loaded: re-resolved when an interface address changes
    config::Config config_;
    boost::asio::io_context io_;
    boost::asio::signal_set signals_;
    std::unique_ptr<net::netlink::NetlinkKernel> kernel_;
    std::unique_ptr<router::RouterComponent> router_;
    std::unique_ptr<clat::ClatComponent> clat_;
    std::unique_ptr<plat::PlatComponent> plat_;
    std::unique_ptr<isatap::IsatapComponent> isatap_;
    std::optional<ControlServer> control_;
    std::unique_ptr<AddressWatch> address_watch_;
    std::chrono::system_clock::time_point started_at_ = std::chrono::system_clock::now();
    bool shutting_down_ = false;
    int exit_status_ = 0;
};

}  // namespace sixgate::app
