#pragma once
// One interface's Router Advertisement engine on the control-plane io_context: receives and
// validates RS and RA (RFC 4861 6.1), answers solicitations and sends unsolicited RAs on the
// RaSchedule (6.2.4-6.2.6), checks other routers' RAs for consistency (6.2.7), and sends the
// final RAs when stopped (6.2.5). Counters per event and drop reason.

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "net/icmpv6_socket.hpp"
#include "net/nd/router_messages.hpp"
#include "router/advertisement.hpp"
#include "router/ra_schedule.hpp"

namespace sixgate::router {

struct RaCounters {
    std::uint64_t ras_sent_multicast = 0;
    std::uint64_t ras_sent_unicast = 0;
    std::uint64_t ras_sent_final = 0;
    std::uint64_t rs_received = 0;           // valid solicitations
    std::uint64_t rs_answered_multicast = 0; // answered by a (merged) multicast RA
    std::uint64_t rs_answered_unicast = 0;
    std::uint64_t rs_rate_limited = 0;       // over unicast_reply_limit: no unicast answer
    std::uint64_t ras_received = 0;          // valid RAs from other routers
    std::uint64_t ras_inconsistent = 0;      // RFC 4861 6.2.7 disagreements found
    std::uint64_t send_errors = 0;
    std::array<std::uint64_t, net::nd::kNdDropReasonCount> drops{};
};

class RaInterface {
public:
    // Opens the interface's ND socket and starts advertising (initial fast RAs). `mac` is the
    // interface's Ethernet address, sent as the source link-layer address option (RFC 4861 4.6.1).
    static Result<std::unique_ptr<RaInterface>> start(boost::asio::io_context& io,
                                                      const config::RouterInterface& config,
                                                      const std::optional<net::nd::MacAddress>& mac);
    ~RaInterface();

    // A new config for this interface (reload, renumbering): what is no longer advertised is
    // retired (deprecated, lifetime 0) for a while; changes are announced with fast RAs.
    void update(const config::RouterInterface& config);

    // Stops advertising: the final RAs of RFC 4861 6.2.5, then `done` is posted. Calling it again
    // while they are on their way adds another callback.
    void stop(std::function<void()> done);

    const std::string& name() const noexcept { return config_.name; }
    const RaCounters& counters() const noexcept { return counters_; }
    const net::nd::RouterAdvertisement& advertisement() const noexcept { return advertisement_; }
    nlohmann::json status() const;

private:
    RaInterface(boost::asio::io_context& io, const config::RouterInterface& config, net::Icmpv6Socket socket,
                std::optional<net::nd::MacAddress> mac);

    void rebuild();
    void wait_readable();
    void receive_all();
    void handle_solicitation(const net::ReceivedIcmpv6& packet, std::span<const std::uint8_t> icmp);
    void handle_advertisement(const net::ReceivedIcmpv6& packet, std::span<const std::uint8_t> icmp);
    void arm_multicast_timer();
    void send_multicast();
    void arm_unicast_timer();
    void send_due_unicast();
    void send_final(int left);
    bool send(std::span<const std::uint8_t> message, const net::Ipv6Address& destination);
    bool may_log(TimePoint now);

    boost::asio::io_context& io_;
    config::RouterInterface config_;
    net::Icmpv6Socket socket_;
    boost::asio::posix::stream_descriptor descriptor_;
    boost::asio::steady_timer multicast_timer_;
    boost::asio::steady_timer unicast_timer_;
    std::optional<net::nd::MacAddress> mac_;
    RaSchedule schedule_;
    Retired retired_;
    net::nd::RouterAdvertisement advertisement_;
    std::vector<std::uint8_t> message_;  // advertisement_ encoded, rebuilt only on change
    std::vector<std::uint8_t> receive_buffer_;
    struct PendingUnicast {
        TimePoint when;
        net::Ipv6Address destination;
    };
    std::vector<PendingUnicast> pending_unicast_;
    std::uint64_t pending_solicitations_ = 0;  // RSs the next multicast RA answers
    RaCounters counters_;
    TimePoint started_ = Clock::now();
    // Attacker-driven events (RS, foreign RAs, drops) are logged at most this often.
    TimePoint log_window_start_{};
    int log_lines_in_window_ = 0;
    std::uint64_t log_suppressed_ = 0;
    bool stopping_ = false;
    std::vector<std::function<void()>> stop_callbacks_;
};

}  // namespace sixgate::router
