#pragma once
// The CLAT component (RFC 6877 464XLAT, customer side) as `sixgate run` runs it: a TUN device with
// the host's IPv4 address (RFC 7335) and an IPv4 default route into it, a dedicated IPv6 address
// for the host's IPv4 (RFC 6877 6.3) made reachable on the uplink (ND proxy) or routed to the
// host, the PLAT prefix from the config, RFC 8781 PREF64 or RFC 7050, the stateless translator
// (RFC 7915) on one thread per TUN queue, and all of its kernel state removed on stop.
// Entry points: ClatComponent::start, stop, status.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "clat/clat_data_path.hpp"
#include "clat/clat_kernel_plan.hpp"
#include "clat/nd_proxy.hpp"
#include "clat/plat_prefix.hpp"
#include "clat/pref64_listener.hpp"
#include "clat/rfc7050.hpp"
#include "clat/v6only_client.hpp"
#include "config/config.hpp"
#include "net/netlink/kernel_state.hpp"
#include "net/result.hpp"
#include "net/tun/tun_device.hpp"

namespace sixgate::clat {

struct ClatComponentOptions {
    // ipv6_address auto: how often the uplink is checked for its global /64 (while waiting for
    // one, and afterwards for renumbering).
    std::chrono::milliseconds address_poll_waiting{1000};
    std::chrono::milliseconds address_poll_running{10000};
    // RFC 4862 5.4 DAD by the ND proxy before it answers for the CLAT address.
    bool duplicate_address_detection = true;
    // clat.dhcpv4.v6only_preferred: the RFC 8925 client's timing (no_server_wait comes from the
    // config).
    Rfc8925ClientOptions dhcpv4;
};

class ClatComponent {
public:
    // With clat.dhcpv4.v6only_preferred, only starts the RFC 8925 client: the CLAT itself starts
    // (and stops) as the client decides, and its errors then show in status() and the log.
    // Otherwise: opens the TUN, installs the IPv4 side and starts the data path and PLAT-prefix
    // discovery. With a literal ipv6_address, or with auto and a global /64 already on the uplink,
    // the IPv6 side (route, forwarding, ND proxy) is in place when this returns; otherwise it
    // follows once the uplink has its /64. Start-up errors (missing uplink, TUN open failure, an
    // existing IPv4 default route, DAD failure) say what to fix; whatever was already set up is
    // undone.
    static Result<std::unique_ptr<ClatComponent>> start(boost::asio::io_context& io,
                                                        const config::Config& config,
                                                        net::netlink::KernelApi& kernel,
                                                        ClatComponentOptions options = {});
    ~ClatComponent();  // stop()
    ClatComponent(const ClatComponent&) = delete;
    ClatComponent& operator=(const ClatComponent&) = delete;

    // Stops the threads and discovery, removes the kernel state, closes the TUN (the kernel
    // deletes it). Synchronous; idempotent.
    void stop();

    // What `sixgate status` shows under components.clat (docs/clat.md "## Counters").
    nlohmann::json status() const;

    // The config section this instance runs (for reload: a changed section restarts it).
    const config::ClatConfig& clat_config() const noexcept { return clat_; }
    const config::TranslationConfig& translation_config() const noexcept { return translation_; }
    const std::optional<net::Ipv6Address>& clat_ipv6() const noexcept { return ipv6_; }
    const std::optional<PlatPrefix>& plat_prefix() const noexcept { return plat_prefix_; }

private:
    ClatComponent(boost::asio::io_context& io, const config::Config& config,
                  net::netlink::KernelApi& kernel, ClatComponentOptions options);

    // The CLAT proper: checks the uplink, TUN, IPv4 side, discovery, address; stop_translation
    // undoes all of it (the component can start it again).
    Result<void> start_translation();
    void stop_translation();
    void on_ipv4_mode(Ipv4Mode mode);
    Result<void> start_ipv4_side();
    Result<void> start_discovery();
    // ipv6_address auto: looks at the uplink; sets the address when it has a /64 (or a new one).
    Result<void> check_uplink_prefix();
    void schedule_address_poll();
    Result<void> use_address(const net::Ipv6Address& address,
                             std::optional<net::Ipv6Prefix> from_prefix);
    Result<void> withdraw_address();
    void on_plat_prefix(const std::optional<PlatPrefix>& prefix);
    void update_translator();
    Result<void> apply(const ClatKernelPlan& plan);
    ClatKernelInputs kernel_inputs() const;
    std::string state() const;

    boost::asio::io_context& io_;
    net::netlink::KernelApi& kernel_;
    ClatComponentOptions options_;
    config::ClatConfig clat_;
    config::TranslationConfig translation_;
    net::Ipv4Address own_ipv4_;
    ForwardingMethod forwarding_ = ForwardingMethod::force_forwarding;
    ClatMtus mtus_;
    std::optional<net::tun::TunDevice> tun_;
    net::netlink::KernelState kernel_state_;
    std::unique_ptr<ClatDataPath> data_path_;
    std::unique_ptr<Pref64Listener> pref64_;
    std::unique_ptr<Rfc7050Discovery> dns64_;
    std::unique_ptr<NdProxy> nd_proxy_;
    boost::asio::steady_timer address_timer_;
    std::optional<net::Ipv6Address> ipv6_;
    std::optional<net::Ipv6Prefix> ipv6_from_prefix_;  // auto: the uplink /64 it was made on
    std::uint8_t dad_counter_ = 0;
    std::optional<PlatPrefix> plat_prefix_;
    bool translator_ready_ = false;
    // What the installed translator was built from, so an unchanged state is not rebuilt.
    std::optional<std::pair<net::Ipv6Address, net::Ipv6Prefix>> translator_inputs_;
    std::string last_error_;
    bool waiting_logged_ = false;
    std::unique_ptr<V6OnlyClient> dhcpv4_;  // clat.dhcpv4.v6only_preferred
    bool translation_running_ = false;
    bool stopped_ = false;
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace sixgate::clat
