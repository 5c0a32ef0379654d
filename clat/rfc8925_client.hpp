#pragma once
// The decisions of an RFC 8925 DHCPv4 client, without sockets or timers: it is told the time and
// what arrived, and answers with the messages to send and when it next wants to be woken. The
// CLAT runs when the network prefers IPv6-only (option 108 offered) or has no DHCPv4 server;
// when a server offers IPv4 without option 108, the client takes the lease (native IPv4).
// Entry points: Rfc8925Client::start, on_datagram, on_timer, next_deadline.

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "clat/dhcpv4_message.hpp"
#include "net/ip_address.hpp"

namespace sixgate::clat {

using DhcpClock = std::chrono::steady_clock;

enum class Rfc8925State : std::uint8_t {
    discovering,  // DHCPDISCOVER sent, waiting for an offer
    requesting,   // an offer without option 108 taken: DHCPREQUEST sent, waiting for the ACK
    ipv6_only,    // RFC 8925 3.2: offered option 108; DHCPv4 stopped for V6ONLY_WAIT
    leased,       // an IPv4 lease is held (native IPv4)
    no_server,    // nobody answered in no_server_wait: asking again in the background
};
std::string_view to_string(Rfc8925State state) noexcept;

// What the host's IPv4 should be.
enum class Ipv4Mode : std::uint8_t {
    undecided,  // first round, no answer yet
    clat,       // IPv6-only preferred, or no DHCPv4 server: run the CLAT
    native,     // a lease is held: IPv4 is native, no CLAT
};
std::string_view to_string(Ipv4Mode mode) noexcept;

struct DhcpLease {
    net::Ipv4Address address;
    int prefix_length = 32;
    std::optional<net::Ipv4Address> router;
    net::Ipv4Address server;
    std::uint32_t lease_time_s = 0;  // 0xffffffff: infinite (RFC 2132 9.2)
    DhcpClock::time_point obtained;
    DhcpClock::time_point expires;  // time_point::max() when infinite
    bool operator==(const DhcpLease&) const = default;
};

struct Rfc8925ClientOptions {
    std::chrono::seconds no_server_wait{10};
    // RFC 2131 4.1: the first retransmission after 4 s, doubling up to 64 s.
    std::chrono::seconds first_retransmit{4};
    std::chrono::seconds max_retransmit{64};
    // Requests without an answer before the client starts over with a DISCOVER.
    int request_attempts = 4;
    // RFC 2131 4.1: each delay randomized by -1..+1 s; returns the offset to add. Empty: random
    // (tests give one returning 0).
    std::function<std::chrono::milliseconds()> jitter;
    // Empty: random.
    std::function<std::uint32_t()> new_xid;
};

struct Rfc8925Counters {
    std::uint64_t discovers_sent = 0;
    std::uint64_t requests_sent = 0;
    std::uint64_t offers = 0;
    std::uint64_t offers_ipv6_only = 0;
    std::uint64_t acks = 0;
    std::uint64_t naks = 0;
    std::uint64_t ignored_in_state =
        0;  // valid but not expected now (e.g. an ACK while discovering)
    std::uint64_t unusable_offers = 0;       // no yiaddr or server identifier
    std::uint64_t malformed_option_108 = 0;  // RFC 8925 3.1: length not 4, ignored
    std::array<std::uint64_t, kDhcpDropReasonCount> dropped{};
};

class Rfc8925Client {
public:
    Rfc8925Client(std::array<std::uint8_t, 6> mac, Rfc8925ClientOptions options);

    // Messages to put on the wire, in order (broadcast to port 67).
    using Outgoing = std::vector<std::vector<std::byte>>;

    Outgoing start(DhcpClock::time_point now);
    Outgoing on_datagram(std::span<const std::byte> bytes, DhcpClock::time_point now);
    // Call at (or after) next_deadline().
    Outgoing on_timer(DhcpClock::time_point now);
    DhcpClock::time_point next_deadline() const noexcept { return deadline_; }

    Rfc8925State state() const noexcept { return state_; }
    Ipv4Mode mode() const noexcept { return mode_; }
    const std::optional<DhcpLease>& lease() const noexcept { return lease_; }
    // ipv6_only: when DHCPv4 resumes; no_server: when the next DISCOVER goes out.
    DhcpClock::time_point resume_at() const noexcept { return deadline_; }
    std::uint32_t v6only_wait_s() const noexcept { return v6only_wait_s_; }
    std::uint32_t xid() const noexcept { return fields_.xid; }
    const Rfc8925Counters& counters() const noexcept { return counters_; }

private:
    Outgoing begin_discovery(DhcpClock::time_point now);
    std::vector<std::byte> discover();
    std::vector<std::byte> request();
    std::chrono::milliseconds next_interval();
    void on_offer(const DhcpReplyView& offer, DhcpClock::time_point now, Outgoing& out);
    void on_ack(const DhcpReplyView& ack, DhcpClock::time_point now);
    void go_ipv6_only(std::uint32_t offered_wait, DhcpClock::time_point now);

    Rfc8925ClientOptions options_;
    DhcpClientFields fields_;
    Rfc8925State state_ = Rfc8925State::discovering;
    Ipv4Mode mode_ = Ipv4Mode::undecided;
    DhcpClock::time_point deadline_ = DhcpClock::time_point::max();
    DhcpClock::time_point retransmit_at_ = DhcpClock::time_point::max();
    DhcpClock::time_point asking_since_;
    DhcpClock::time_point give_up_at_ = DhcpClock::time_point::max();  // first round only
    std::chrono::seconds interval_{0};
    int request_tries_ = 0;
    net::Ipv4Address offered_;
    net::Ipv4Address offered_server_;
    std::uint32_t v6only_wait_s_ = 0;
    std::optional<DhcpLease> lease_;
    Rfc8925Counters counters_;
};

}  // namespace sixgate::clat
