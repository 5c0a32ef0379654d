#pragma once
// RFC 7050: learning the PLAT (NAT64) prefix from DNS64 by resolving the well-known IPv4-only
// name ipv4only.arpa for AAAA records. Entry points: plat_prefixes_from_answers (the pure part,
// RFC 7050 3.2) and Rfc7050Discovery (the lookup, on a worker thread, with refresh and back-off).

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "clat/plat_prefix.hpp"
#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/result.hpp"

namespace sixgate::clat {

// RFC 7050 2.2: the name that has only A records (192.0.0.170 and 192.0.0.171, RFC 7050 2.1).
inline constexpr const char* kIpv4OnlyName = "ipv4only.arpa";

// RFC 7050 3.2: the Pref64::/n prefixes a DNS64 used to synthesize `answers`. Each answer is
// searched for 192.0.0.170 or 192.0.0.171 at every RFC 6052 2.2 position (/96, /64, /56, /48, /40,
// /32, in that order, the first match wins); bits 64..71 (the "u" octet) must be zero. Answers
// that hold neither address add nothing. Distinct prefixes are all returned, in answer order.
std::vector<net::Ipv6Prefix> plat_prefixes_from_answers(std::span<const net::Ipv6Address> answers);

struct Rfc7050Options {
    // RFC 7050 3.3 asks to re-check at least on network change (call refresh()); without a DNS
    // TTL from getaddrinfo, the prefix is also re-learned on this interval.
    std::chrono::seconds refresh_interval{3600};
    // A learned prefix stays valid this long after the last successful lookup, so a DNS outage
    // shorter than this does not take the CLAT down.
    std::chrono::seconds validity{7200};
    // Back-off while lookups fail (or find no prefix): initial, doubled up to the maximum.
    std::chrono::milliseconds retry_initial{1000};
    std::chrono::milliseconds retry_max{60000};
    std::string name = kIpv4OnlyName;
};

struct Rfc7050Counters {
    std::uint64_t lookups = 0;
    std::uint64_t failures = 0;        // resolver errors
    std::uint64_t without_prefix = 0;  // answers, but no well-known address in them
    std::uint64_t changes = 0;
    std::uint64_t expirations = 0;
};

class Rfc7050Discovery {
public:
    using OnChange = std::function<void(const std::optional<PlatPrefix>&)>;
    // Returns the AAAA answers for the name; the default is getaddrinfo(AF_INET6, no
    // AI_ADDRCONFIG), which follows the host's resolver configuration.
    using Resolver = std::function<Result<std::vector<net::Ipv6Address>>()>;

    // Starts the first lookup at once. on_change is called on the io_context when the prefix
    // changes, and with nullopt once it expires without a successful lookup.
    static Result<std::unique_ptr<Rfc7050Discovery>> start(boost::asio::io_context& io,
                                                           OnChange on_change,
                                                           Resolver resolver = {},
                                                           Rfc7050Options options = {});
    // Waits for a lookup in progress to return (bounded by the resolver's own timeouts).
    ~Rfc7050Discovery();
    Rfc7050Discovery(const Rfc7050Discovery&) = delete;
    Rfc7050Discovery& operator=(const Rfc7050Discovery&) = delete;

    // Re-resolves now, e.g. on a network change (RFC 7050 3.3).
    void refresh();

    std::optional<PlatPrefix> current() const { return current_; }
    // Every prefix the last successful lookup found.
    const std::vector<net::Ipv6Prefix>& prefixes() const noexcept { return prefixes_; }
    const Rfc7050Counters& counters() const noexcept { return counters_; }
    // {"name", "prefix", "source", "expires_in_s", "prefixes", "last_error", "next_lookup_in_s",
    // "counters"}
    nlohmann::json status() const;

    // The default resolver: getaddrinfo for AF_INET6 on `name`.
    static Result<std::vector<net::Ipv6Address>> resolve_with_getaddrinfo(const std::string& name);

private:
    Rfc7050Discovery(boost::asio::io_context& io, OnChange on_change, Resolver resolver,
                     Rfc7050Options options);
    void worker_loop();
    void request_lookup();
    void on_result(Result<std::vector<net::Ipv6Address>> result);
    void schedule(std::chrono::milliseconds after);
    void arm_expiry();
    void set_current(std::optional<PlatPrefix> next);

    boost::asio::io_context& io_;
    OnChange on_change_;
    Resolver resolver_;
    Rfc7050Options options_;
    boost::asio::steady_timer lookup_timer_;
    boost::asio::steady_timer expiry_timer_;
    std::optional<PlatPrefix> current_;
    std::vector<net::Ipv6Prefix> prefixes_;
    std::chrono::milliseconds retry_delay_;
    std::chrono::steady_clock::time_point next_lookup_{};
    std::string last_error_;
    Rfc7050Counters counters_;
    bool in_flight_ = false;
    bool again_ = false;
    // Handlers posted by the worker check this (on the io thread) before touching `this`.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);

    // Worker thread: runs resolver_ when asked, posts the result to io_.
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stop_ = false;
    bool requested_ = false;
    std::thread worker_;
};

}  // namespace sixgate::clat
