#pragma once
// RFC 8781 PREF64 learned from the Router Advertisements the kernel itself processes: the kernel
// hands RA options it does not use (RDNSS, DNSSL, PREF64) to a NETLINK_ROUTE socket joined to
// RTNLGRP_ND_USEROPT as RTM_NEWNDUSEROPT (struct nduseroptmsg, the raw option, NDUSEROPT_SRCADDR).
// Entry points: Pref64Listener::start (socket + timers on an io_context) and Pref64Tracker (the
// pure part: netlink bytes in, current prefix out; unit-tested without a kernel).
//
// Several routers or prefixes (RFC 8781 5 defers to RFC 7050 3, restricted to prefixes with a
// non-zero lifetime; a CLAT can translate with one prefix only): every (router, prefix) pair is
// kept with its own expiry, and the current prefix is the valid one whose advertisement started
// most recently. A refresh of a pair already known does not reorder, so two routers advertising
// different prefixes do not make the CLAT flip at every RA, while a new prefix (renumbering, a new
// router) takes over at once. When the current pair is withdrawn (lifetime 0) or expires, the
// next most recent valid pair becomes current, or none.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "clat/plat_prefix.hpp"
#include "net/ip_address.hpp"
#include "net/nd/options.hpp"
#include "net/result.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::clat {

struct Pref64Counters {
    std::uint64_t messages = 0;                 // RTM_NEWNDUSEROPT messages read
    std::uint64_t options_seen = 0;             // well-formed PREF64 options on our interface
    std::uint64_t malformed = 0;                // messages or PREF64 options that fail their format
    std::uint64_t ignored_other_interface = 0;  // options that came in on another interface
    std::uint64_t ignored_other_option = 0;     // RDNSS, DNSSL, ... on our interface
    std::uint64_t withdrawals = 0;              // PREF64 with lifetime 0 for a known pair
    std::uint64_t expirations = 0;              // pairs whose lifetime ran out
    std::uint64_t changes = 0;                  // times the current prefix changed
    std::uint64_t overruns = 0;                 // ENOBUFS: the kernel dropped messages for us
    std::uint64_t solicitations_sent = 0;       // Router Solicitations sent at start
};

// The pure part of the listener: parses RTM_NEWNDUSEROPT datagrams and keeps the (router, prefix)
// table. Never throws on packet contents; bad input is counted.
class Pref64Tracker {
public:
    using Clock = std::chrono::steady_clock;

    Pref64Tracker(std::string interface, int interface_index);

    // One datagram as read from the netlink socket: one or more netlink messages. Returns true
    // when current() changed (prefix or router; not a mere refresh of the expiry).
    bool handle_datagram(std::span<const std::uint8_t> datagram, Clock::time_point now);
    // One PREF64 option learned from `router` (used by handle_datagram; public for tests).
    bool apply(const net::nd::Pref64Option& option, const net::Ipv6Address& router,
               Clock::time_point now);
    // Drops the pairs whose lifetime ran out by `now`. Returns true when current() changed.
    bool expire(Clock::time_point now);

    std::optional<PlatPrefix> current() const;
    std::optional<Clock::time_point> next_expiry() const;
    std::size_t known_prefixes() const noexcept { return entries_.size(); }
    const Pref64Counters& counters() const noexcept { return counters_; }
    Pref64Counters& counters() noexcept { return counters_; }
    const std::string& interface() const noexcept { return interface_; }
    int interface_index() const noexcept { return interface_index_; }
    // The interface came back under a new index (deleted and re-created).
    void set_interface_index(int index) noexcept { interface_index_ = index; }
    // Set by the listener to re-resolve the name when a foreign index shows up; returns the
    // current index of interface() or 0.
    std::function<int()> resolve_index;

private:
    struct Entry {
        net::Ipv6Address router;
        net::Ipv6Prefix prefix;
        Clock::time_point expires;
        std::uint64_t first_advertised = 0;  // sequence number: higher is more recent
    };

    void handle_message(std::span<const std::uint8_t> payload, Clock::time_point now,
                        bool& changed);
    const Entry* current_entry() const;

    std::string interface_;
    int interface_index_ = 0;
    std::vector<Entry> entries_;
    std::uint64_t sequence_ = 0;
    Pref64Counters counters_;
};

struct Pref64ListenerOptions {
    // Send Router Solicitations at start (RFC 4861 6.3.7: up to 3, 4 s apart, stopping once a
    // PREF64 is known) so a listener started long after the interface came up does not wait for
    // the next unsolicited RA. Needs CAP_NET_RAW; without it the listener still works, it waits.
    bool solicit = true;
};

class Pref64Listener {
public:
    using OnChange = std::function<void(const std::optional<PlatPrefix>&)>;

    // Opens the netlink socket and starts listening; fails when the interface does not exist or
    // the socket cannot be opened. on_change is called (on the io_context) with the new current
    // prefix whenever it changes, and with nullopt when the last one is withdrawn or expires.
    static Result<std::unique_ptr<Pref64Listener>> start(boost::asio::io_context& io,
                                                         std::string interface, OnChange on_change,
                                                         Pref64ListenerOptions options = {});
    ~Pref64Listener();
    Pref64Listener(const Pref64Listener&) = delete;
    Pref64Listener& operator=(const Pref64Listener&) = delete;

    std::optional<PlatPrefix> current() const { return tracker_.current(); }
    const Pref64Counters& counters() const noexcept { return tracker_.counters(); }
    // {"interface", "prefix", "source", "expires_in_s", "known_prefixes", "counters": {...}}
    nlohmann::json status() const;

private:
    Pref64Listener(boost::asio::io_context& io, net::UniqueFd fd, Pref64Tracker tracker,
                   OnChange on_change);
    void wait_readable();
    void receive_all();
    void arm_expiry_timer();
    void on_expiry();
    void notify();
    void solicit(int left);

    net::UniqueFd fd_;
    boost::asio::posix::stream_descriptor descriptor_;
    boost::asio::steady_timer expiry_timer_;
    boost::asio::steady_timer solicit_timer_;
    Pref64Tracker tracker_;
    OnChange on_change_;
    std::vector<std::uint8_t> buffer_;
};

nlohmann::json to_json(const Pref64Counters& counters);

}  // namespace sixgate::clat
