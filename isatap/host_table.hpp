#pragma once
// The IPv4 hosts an ISATAP router has heard from (RFC 5214 limited scope: allowed or refused),
// with what each sent and received, for `sixgate status`. Fixed capacity, allocated at
// construction: the data-path thread records without allocating; hosts beyond the capacity are
// counted (table_full), not stored. A mutex guards it: status() reads while the thread writes.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include "net/ip_address.hpp"

namespace sixgate::isatap {

struct HostRecord {
    using Clock = std::chrono::steady_clock;

    net::Ipv4Address ipv4;
    bool allowed = false;
    // The last non-link-local IPv6 source it used (its ISATAP address in the ISATAP prefix).
    std::optional<net::Ipv6Address> isatap_address;
    std::uint64_t packets_in = 0;  // every protocol-41 packet from it, dropped ones included
    std::uint64_t bytes_in = 0;
    std::uint64_t packets_dropped = 0;  // of packets_in
    std::uint64_t packets_out = 0;      // encapsulated to it
    std::uint64_t bytes_out = 0;
    std::uint64_t solicitations = 0;
    std::uint64_t advertisements = 0;
    Clock::time_point first_seen{};
    Clock::time_point last_seen{};
};

struct HostTableSummary {
    std::size_t seen = 0;  // stored hosts
    std::size_t allowed = 0;
    std::size_t refused = 0;
    std::uint64_t table_full = 0;  // packets from hosts that did not fit
};

class HostTable {
public:
    using Clock = HostRecord::Clock;
    static constexpr std::size_t kDefaultCapacity = 4096;

    explicit HostTable(std::size_t capacity = kDefaultCapacity);
    HostTable(const HostTable&) = delete;
    HostTable& operator=(const HostTable&) = delete;

    enum class Recorded : std::uint8_t {
        existing,  // already known
        added,     // first packet from it: the caller logs the new host once
        full,      // not stored (counted in table_full)
    };

    // A packet of `bytes` from `host`; `allowed` is what the policy says about it.
    Recorded record_in(net::Ipv4Address host, bool allowed, std::size_t bytes,
                       Clock::time_point now) noexcept;
    // For a host already recorded (else nothing happens):
    void record_dropped(net::Ipv4Address host) noexcept;
    void record_isatap_address(net::Ipv4Address host, const net::Ipv6Address& address) noexcept;
    void record_out(net::Ipv4Address host, std::size_t bytes) noexcept;
    void record_solicitation(net::Ipv4Address host) noexcept;
    void record_advertisement(net::Ipv4Address host) noexcept;

    std::size_t capacity() const noexcept { return capacity_; }
    HostTableSummary summary() const;
    // Up to `limit` hosts, most recently seen first.
    std::vector<HostRecord> snapshot(std::size_t limit) const;
    std::optional<HostRecord> find(net::Ipv4Address host) const;

private:
    static constexpr std::uint32_t kEmpty = 0xffffffff;
    // Index into records_ of `host`, or kEmpty; with `slot` the slot it is in or would go to.
    std::uint32_t lookup(net::Ipv4Address host, std::size_t& slot) const noexcept;
    HostRecord* get(net::Ipv4Address host) noexcept;

    std::size_t capacity_;
    mutable std::mutex mutex_;
    std::vector<HostRecord> records_;   // reserved to capacity_: push_back never reallocates
    std::vector<std::uint32_t> slots_;  // open addressing, 2 * capacity rounded to a power of two
    std::size_t allowed_ = 0;
    std::uint64_t table_full_ = 0;
};

}  // namespace sixgate::isatap
