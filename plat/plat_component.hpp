#pragma once
// The PLAT component (RFC 6146 stateful NAT64, provider side of 464XLAT, RFC 6877) as `sixgate
// run` runs it: the session table (pool4, BIB, sessions, timers), the packet steps over the
// stateless translator (RFC 7915), a multi-queue TUN with one run-to-completion thread per queue,
// the pool6 and pool4 prefixes routed into the TUN and forwarding on (all removed / restored on
// stop), and a one-second expiry timer on the control plane that also answers held V4 SYNs
// (RFC 6146 3.5.2.2). Entry points: PlatComponent::start, stop, status.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "net/netlink/kernel_api.hpp"
#include "net/netlink/kernel_state.hpp"
#include "net/packet/packet_buffer.hpp"
#include "net/result.hpp"
#include "net/tun/tun_device.hpp"
#include "plat/plat_data_path.hpp"
#include "plat/plat_kernel_plan.hpp"
#include "plat/plat_translator.hpp"
#include "plat/session_table.hpp"

namespace sixgate::plat {

struct PlatComponentOptions {
    std::chrono::milliseconds expiry_interval{1000};  // how often SessionTable::expire runs
    std::size_t status_entries = 200;                 // BIB entries and sessions in status()
    // How often the PLAT checks that its routes are still in the kernel (another sixgate process
    // starting a router reconciles protocol-115 routes it does not know away) and puts back any
    // that went missing. 0: never.
    std::chrono::milliseconds route_check_interval{5000};
};

class PlatComponent {
    using Clock = std::chrono::steady_clock;

public:
    // Builds the table and the translator from `plat:` and `translation:`, refuses a pool that
    // would break the host (check_plat_kernel_conflicts), opens the TUN, routes pool6 and pool4
    // into it, turns forwarding on and starts the data path and the expiry timer. Errors say what
    // to fix; whatever was already set up is undone.
    static Result<std::unique_ptr<PlatComponent>> start(boost::asio::io_context& io,
                                                        const config::Config& config,
                                                        net::netlink::KernelApi& kernel,
                                                        PlatComponentOptions options = {});
    ~PlatComponent();  // stop()
    PlatComponent(const PlatComponent&) = delete;
    PlatComponent& operator=(const PlatComponent&) = delete;

    // Stops the timer and the threads, removes the routes, restores the sysctls, closes the TUN
    // (the kernel deletes it). Synchronous; idempotent.
    void stop();

    // What `sixgate status` shows under components.plat (docs/plat.md "Status").
    nlohmann::json status() const;

    // The config sections this instance runs (for reload: a changed section restarts it).
    const config::PlatConfig& plat_config() const noexcept { return plat_; }
    const config::TranslationConfig& translation_config() const noexcept { return translation_; }

    const std::string& tun_name() const noexcept { return tun_name_; }
    const SessionTable& table() const noexcept { return *table_; }

    // Runs one expiry pass now (the timer's work); returns what it removed and answered.
    ExpiryReport expire_now();
    // Puts back the planned routes that are no longer in the kernel; returns how many.
    std::size_t restore_missing_routes();

private:
    PlatComponent(boost::asio::io_context& io, const config::Config& config,
                  net::netlink::KernelApi& kernel, PlatComponentOptions options);

    Result<void> start_tun_and_kernel_state();
    void schedule_expiry();
    void answer_held_syn(std::span<const std::byte> held) noexcept;

    net::netlink::KernelApi& kernel_;
    PlatComponentOptions options_;
    config::PlatConfig plat_;
    config::TranslationConfig translation_;
    std::unique_ptr<SessionTable> table_;
    std::unique_ptr<PlatTranslator> translator_;
    std::optional<net::tun::TunDevice> tun_;
    std::string tun_name_;
    PlatKernelPlan plan_;
    net::netlink::KernelState kernel_state_;
    std::unique_ptr<PlatDataPath> data_path_;
    boost::asio::steady_timer expiry_timer_;
    std::unique_ptr<net::packet::PacketBuffer> answer_;  // held-SYN answers are built here
    std::uint64_t held_syn_answers_written_ = 0;
    std::uint64_t held_syn_answers_failed_ = 0;  // unreadable held SYN or TUN write failure
    std::uint64_t routes_restored_ = 0;
    Clock::time_point next_route_check_{};
    bool stopped_ = false;
    Clock::time_point started_ = Clock::now();
};

}  // namespace sixgate::plat
