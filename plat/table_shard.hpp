#pragma once
// One shard of the NAT64 state: the BIB entries, sessions and per-client counts of the IPv6
// clients that hash to it, its slice of every pool4 address's ports, one expiry list per lifetime
// class, and its counters. The caller holds mutex() around every call but the constructor.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>

#include <nlohmann/json.hpp>

#include "plat/bib.hpp"
#include "plat/expiry_list.hpp"
#include "plat/hash_index.hpp"
#include "plat/held_syns.hpp"
#include "plat/pool4.hpp"
#include "plat/session.hpp"
#include "plat/session_table.hpp"
#include "plat/slab.hpp"

namespace sixgate::plat {

// What every shard shares (read-only, or atomic / internally locked).
struct TableContext {
    const Pool4Layout* pool = nullptr;
    Filtering filtering = Filtering::endpoint_independent;
    SessionTimeouts timeouts;
    std::uint32_t max_sessions = 0;
    std::uint32_t max_sessions_per_source = 0;
    std::atomic<std::uint64_t>* total_sessions = nullptr;
    HeldSynStore* held = nullptr;
    std::uint64_t seed = 0;
};

class alignas(64) TableShard {
public:
    TableShard(const TableContext& context, std::uint32_t index, std::uint32_t initial_buckets);
    TableShard(const TableShard&) = delete;
    TableShard& operator=(const TableShard&) = delete;

    std::mutex& mutex() const noexcept { return mutex_; }

    // A static BIB entry whose port this shard owns: false if the port is taken.
    bool add_static(const StaticBinding& binding, std::uint32_t address_index) noexcept;

    // `paired`: the client's pool4 address index, for a new BIB entry.
    Outcome6 from_ipv6(const Tuple6& tuple, TcpFlags flags, Millis now,
                       std::uint32_t paired) noexcept;
    Outcome4 from_ipv4(const Tuple4& tuple, TcpFlags flags, Millis now,
                       std::span<const std::byte> packet) noexcept;
    void count_drop(StateDrop reason) noexcept {
        ++counters_.drops[static_cast<std::size_t>(reason)];
    }

    std::optional<Ipv4Transport> find_ipv4(L4Protocol protocol,
                                           const Ipv6Transport& ipv6) const noexcept;
    std::optional<Ipv6Transport> find_ipv6(L4Protocol protocol,
                                           const Ipv4Transport& ipv4) const noexcept;
    bool has_source(const net::Ipv6Address& client) const noexcept;

    void expire(Millis now, ExpiryReport& report) noexcept;
    void add_counters(TableCounters& total) const noexcept;
    // Appends up to `max_entries` entries to each array (counting what is already there).
    void snapshot(nlohmann::json& bib, nlohmann::json& sessions, std::size_t max_entries,
                  Millis now, bool& truncated) const;
    std::uint64_t used_ports(std::uint32_t address_index, L4Protocol protocol) const noexcept {
        return ports_.used(address_index, protocol);
    }
    std::size_t memory_bytes() const noexcept;

private:
    std::uint32_t find_bib6(L4Protocol protocol, const Ipv6Transport& ipv6) const noexcept;
    std::uint32_t find_bib4(L4Protocol protocol, const Ipv4Transport& ipv4) const noexcept;
    std::uint32_t find_session(std::uint32_t bib, const Ipv4Transport& remote) const noexcept;
    std::uint32_t find_source(const net::Ipv6Address& client) const noexcept;
    bool has_session_with(std::uint32_t bib, net::Ipv4Address remote) const noexcept;

    std::uint32_t create_bib(L4Protocol protocol, const Ipv6Transport& ipv6,
                             std::uint32_t address_index, std::uint16_t port,
                             bool is_static) noexcept;
    // RFC 6146 3.5.1 etc.: the limits, then a new session; kNil and `reason` when refused.
    std::uint32_t create_session(std::uint32_t bib, const Ipv4Transport& remote, Millis now,
                                 TimerClass timer, TcpState state, StateDrop& reason) noexcept;
    // The limit a new session would break, or none (then one session is reserved).
    std::optional<StateDrop> check_limits(const net::Ipv6Address& client) noexcept;
    void unreserve() noexcept;
    void set_timer(std::uint32_t session, TimerClass timer, Millis now) noexcept;
    void apply_tcp(std::uint32_t session, PacketSide side, TcpFlags flags, Millis now) noexcept;
    void remove_session(std::uint32_t session) noexcept;
    // `expired` false: undoing an entry that never had a session (not counted as created).
    void remove_bib(std::uint32_t bib, bool expired = true) noexcept;
    Millis lifetime(TimerClass timer) const noexcept;
    Outcome4 hold(const Tuple4& tuple, Millis now, std::span<const std::byte> packet) noexcept;

    auto bib_next6() noexcept {
        return [this](std::uint32_t i) -> std::uint32_t& { return bibs_[i].chain; };
    }
    auto bib_next4() noexcept {
        return [this](std::uint32_t i) -> std::uint32_t& { return bibs_[i].chain4; };
    }
    auto session_next() noexcept {
        return [this](std::uint32_t i) -> std::uint32_t& { return sessions_[i].chain; };
    }
    auto source_next() noexcept {
        return [this](std::uint32_t i) -> std::uint32_t& { return sources_[i].chain; };
    }

    mutable std::mutex mutex_;
    const TableContext* context_;
    PortAllocator ports_;
    Slab<BibEntry> bibs_;
    Slab<Session> sessions_;
    Slab<SourceEntry> sources_;
    ChainedIndex bib6_index_;
    ChainedIndex bib4_index_;
    ChainedIndex session_index_;
    ChainedIndex source_index_;
    std::array<ExpiryList<Session>, kTimerClassCount> timers_;
    TableCounters counters_;
};

}  // namespace sixgate::plat
