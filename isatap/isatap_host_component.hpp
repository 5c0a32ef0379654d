#pragma once
// ISATAP host mode (RFC 5214 8.3, `isatap: {mode: host}`): what an IPv4-only jump host runs to
// reach the manage-out prefixes through a sixgate ISATAP router. A TUN with the ISATAP link-local
// address fe80::[200:]5efe:V4, the potential router list (addresses or DNS names), Router
// Solicitations on RFC 4861 6.3.7 / RFC 7559 / RFC 5214 8.3.4 timing, and from the routers' RAs a
// SLAAC address in the ISATAP prefix (RFC 4862) and the RFC 4191 routes, all in the kernel while
// they live and removed on stop. Entry points: IsatapHostComponent::start, stop, status.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "isatap/host_engine.hpp"
#include "isatap/host_ra_state.hpp"
#include "isatap/isatap_component.hpp"
#include "isatap/isatap_policy.hpp"
#include "isatap/potential_router_list.hpp"
#include "isatap/solicitation_schedule.hpp"
#include "isatap/tunnel_link.hpp"
#include "net/netlink/kernel_state.hpp"
#include "net/result.hpp"

namespace sixgate::isatap {

struct IsatapHostOptions {
    Ipv4Resolver resolver;              // empty: getaddrinfo (resolve_ipv4)
    std::optional<std::uint64_t> seed;  // the schedule's random source; empty: random_device
};

class IsatapHostComponent final : public IsatapComponent {
public:
    // Finds the interface's IPv4 address, opens the link (raw socket + TUN), puts the link-local
    // address on the TUN and starts the data path and the solicitations. Errors say what to fix;
    // whatever was already set up is undone.
    static Result<std::unique_ptr<IsatapHostComponent>> start(boost::asio::io_context& io,
                                                              const config::Config& config,
                                                              net::netlink::KernelApi& kernel);
    static Result<std::unique_ptr<IsatapHostComponent>> start(boost::asio::io_context& io,
                                                              const config::Config& config,
                                                              net::netlink::KernelApi& kernel,
                                                              IsatapHostOptions options);
    ~IsatapHostComponent() override;  // stop()
    IsatapHostComponent(const IsatapHostComponent&) = delete;
    IsatapHostComponent& operator=(const IsatapHostComponent&) = delete;

    // Stops the timers and the data path, removes every address and route it added, closes the
    // TUN. Sends nothing: RFC 4861 has no host withdrawal. Synchronous; idempotent.
    void stop() override;
    nlohmann::json status() const override;
    const config::IsatapConfig& isatap_config() const noexcept override { return config_; }

    net::Ipv4Address local_ipv4() const noexcept { return local_; }
    const net::Ipv6Address& link_local() const noexcept { return link_local_; }
    const std::string& tun_name() const noexcept { return tun_name_; }

private:
    IsatapHostComponent(boost::asio::io_context& io, const config::Config& config,
                        net::netlink::KernelApi& kernel, IsatapHostOptions options);

    Result<void> open(net::netlink::KernelApi& kernel);
    void arm_timer();
    void on_timer();
    void begin_round();
    void send_solicitations();
    void wait_for_advertisements();
    void on_advertisements();
    void handle_advertisement(const QueuedAdvertisement& queued);
    void on_resolved(std::vector<NameResolution> results);
    void publish_policy();
    void reclaim_policies();
    void sync_kernel();

    boost::asio::io_context& io_;
    config::IsatapConfig config_;
    IsatapHostOptions options_;
    std::vector<net::Ipv4Prefix> loop_guard_;
    net::Ipv4Address local_;
    net::Ipv6Address link_local_;
    std::string tun_name_;
    PotentialRouterList prl_;
    SolicitationSchedule schedule_;
    HostRaState ra_state_{net::Ipv4Address()};

    std::unique_ptr<IsatapPolicy> policy_;
    std::vector<std::pair<std::unique_ptr<IsatapPolicy>, std::uint64_t>> retired_policies_;
    std::unique_ptr<TunnelLink> link_;
    std::unique_ptr<HostEngine> engine_;
    net::netlink::KernelState kernel_state_;
    boost::asio::posix::stream_descriptor ra_events_;
    boost::asio::steady_timer timer_;
    std::unique_ptr<PrlResolver> resolver_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

    std::vector<HostAddress> installed_addresses_;
    std::vector<HostRoute> installed_routes_;
    QueuedAdvertisement scratch_;  // one RA at a time, off the stack
    bool round_pending_ = false;   // an RS round waits for the PRL names to resolve
    bool stopped_ = false;
    std::uint64_t solicitations_sent_ = 0;
    std::uint64_t solicitation_failures_ = 0;
    std::uint64_t solicitation_rounds_ = 0;
    std::uint64_t advertisements_received_ = 0;
    std::uint64_t advertisements_refused_ = 0;
    std::uint64_t kernel_errors_ = 0;
    std::optional<RaTime> last_advertisement_;
    std::string last_summary_;  // the last RA's log line, to log changes at info only
};

}  // namespace sixgate::isatap
