#pragma once
// The potential router list of an ISATAP host (RFC 5214 8.3.2): isatap.routers entries, IPv4
// addresses or DNS names, each name resolved to its IPv4 addresses (A records) off the control
// thread. Entry points: PotentialRouterList (the pure bookkeeping), PrlResolver (the lookups on a
// worker thread, results posted to the io_context), resolve_ipv4 (getaddrinfo AF_INET).

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "net/ip_address.hpp"
#include "net/result.hpp"

namespace sixgate::isatap {

// A name's IPv4 addresses, or why there are none (the resolver's words).
using Ipv4Resolver = std::function<Result<std::vector<net::Ipv4Address>>(const std::string& name)>;

// getaddrinfo(name, AF_INET): the host's resolver configuration (/etc/hosts, DNS) decides.
// Addresses in answer order, duplicates left out; no answer is an error.
Result<std::vector<net::Ipv4Address>> resolve_ipv4(const std::string& name);

struct NameResolution {
    std::string name;
    Result<std::vector<net::Ipv4Address>> result;
};

class PotentialRouterList {
public:
    struct Entry {
        std::string text;                          // as configured
        bool is_name = false;                      // a DNS name, resolved
        std::vector<net::Ipv4Address> addresses;   // the literal, or the name's last answer
        std::string error;                         // the last resolution's error; empty when none
        bool error_logged = false;                 // logged once per failure streak
    };

    explicit PotentialRouterList(const std::vector<config::IsatapRouterEntry>& routers);

    const std::vector<Entry>& entries() const noexcept { return entries_; }
    bool has_names() const noexcept;
    // The names to resolve (each once, in configured order).
    std::vector<std::string> names() const;
    // Names whose first label is "isatap" (the Windows DNS global query block list drops them).
    std::vector<std::string> blocked_names() const;

    // Applies a round of lookups. A failed lookup keeps no stale addresses: a router whose name
    // no longer resolves leaves the PRL (RFC 5214 8.3.2: the PRL follows the name). Each failure
    // is logged once (until the name resolves again), with the reason. Returns whether the set
    // of addresses changed.
    bool apply(const std::vector<NameResolution>& results);

    // Every router address, deduplicated, in configured order.
    std::vector<net::Ipv4Address> addresses() const;
    bool contains(net::Ipv4Address address) const;

    // [{"entry", "ipv4" (null while unresolved), "error" (null when none)}], one row per address.
    nlohmann::json status() const;

private:
    std::vector<Entry> entries_;
};

// Resolves names on its own thread, so the io_context never waits for DNS. One round at a time:
// request() while a round is in flight is remembered and run after it.
class PrlResolver {
public:
    using OnResults = std::function<void(std::vector<NameResolution>)>;

    // on_results runs on the io_context. resolver empty: resolve_ipv4.
    PrlResolver(boost::asio::io_context& io, OnResults on_results, Ipv4Resolver resolver = {});
    // Waits for a lookup in progress (bounded by the resolver's own timeouts); results not yet
    // delivered are discarded.
    ~PrlResolver();
    PrlResolver(const PrlResolver&) = delete;
    PrlResolver& operator=(const PrlResolver&) = delete;

    void request(std::vector<std::string> names);
    bool in_flight() const noexcept { return in_flight_; }

private:
    void worker_loop();

    boost::asio::io_context& io_;
    OnResults on_results_;
    Ipv4Resolver resolver_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
    std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<std::vector<std::string>> pending_;  // guarded by mutex_
    bool stop_ = false;                                 // guarded by mutex_
    bool in_flight_ = false;                            // io_context thread only
    std::optional<std::vector<std::string>> again_;     // io_context thread only
    std::thread worker_;
};

}  // namespace sixgate::isatap
