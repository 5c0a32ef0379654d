#pragma once
// The NAT64's state (RFC 6146 3.1-3.3, 3.5): pool4, the Binding Information Bases and the session
// tables for TCP, UDP and ICMP query, the TCP state machine (3.5.2.2) with its timers, static BIB
// entries, limits, and expiry at O(1) per entry (ordered lists: every entry in one list has the same
// lifetime, so a refresh moves it to the tail and expiry pops from the head).
//
// Thread safety: every public member may be called from any thread. State is sharded (by the IPv6
// client, with each shard owning its own slice of every pool4 address's ports, so a lookup from the
// IPv4 side finds its shard from the destination port alone); each shard has its own lock, so
// data-path threads rarely contend. No allocation on a lookup; a new entry takes a slot from a
// per-shard slab that grows in chunks. Every outcome other than "forward" is counted by reason.
//
// Entry points: SessionTable::create, from_ipv6, from_ipv4, expire, counters, snapshot.

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.hpp"
#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/result.hpp"
#include "plat/plat_types.hpp"

namespace sixgate::plat {

// One pool4 entry: addresses and, per protocol, the ports (ICMP: identifiers) given out.
struct Pool4Range {
    net::Ipv4Prefix prefix;
    config::PortRange tcp_ports{1024, 65535};
    config::PortRange udp_ports{1024, 65535};
    config::PortRange icmp_ids{0, 65535};
};

struct StaticBinding {  // a static BIB entry (RFC 6146 3.1): never expires
    L4Protocol protocol = L4Protocol::tcp;
    Ipv6Transport ipv6;
    Ipv4Transport ipv4;
};

enum class Filtering : std::uint8_t { endpoint_independent, address_dependent };

struct SessionTimeouts {  // milliseconds; RFC 6146 4 defaults
    Millis udp = 300'000;               // UDP_DEFAULT 5 min (UDP_MIN 2 min)
    Millis icmp = 60'000;               // ICMP_DEFAULT 60 s
    Millis tcp_established = 7'440'000; // TCP_EST 2 h 4 min
    Millis tcp_transitory = 240'000;    // TCP_TRANS 4 min
    Millis tcp_incoming_syn = 6'000;    // TCP_INCOMING_SYN 6 s
};

struct SessionTableConfig {
    std::vector<Pool4Range> pool4;
    std::vector<StaticBinding> static_bib;
    Filtering filtering = Filtering::endpoint_independent;
    SessionTimeouts timeouts;
    std::uint32_t max_sessions = 65536;             // over all protocols
    std::uint32_t max_sessions_per_source = 4096;   // per IPv6 client address
    std::uint32_t max_held_syns = 1024;             // V4 SYNs kept for TCP_INCOMING_SYN (3.5.2.2)
    // A power of two (at most 64); create() lowers it until every shard owns 64-port blocks of
    // every protocol's range, so a small range (e.g. 4 ports) runs on one shard.
    std::uint32_t shard_count = 16;
};

// From the config's `plat:` section (seconds become milliseconds). Static entries whose IPv6 side
// is a plan name are already resolved by the config loader.
SessionTableConfig session_table_config(const config::PlatConfig& plat);

// Why the table did not forward a packet. snake_case names are stable counter names.
enum class StateDrop : std::uint8_t {
    pool4_exhausted,        // no port/identifier free for a new BIB entry (3.5.1.1): ICMP error
    session_limit,          // max_sessions reached: ICMP error, as for pool4 exhaustion
    source_session_limit,   // max_sessions_per_source reached for this IPv6 client: ICMP error
    no_bib_entry,           // IPv4 packet for a transport address nobody holds (3.5.1, 3.5.3)
    filtered,               // address-dependent filtering: no session with that IPv4 peer (3.5.1)
    tcp_no_session,         // TCP other than SYN with no session (3.5.2.2: silently dropped)
    v4_syn_held,            // a V4 SYN with no BIB entry, kept TCP_INCOMING_SYN (not an error)
    held_syn_limit,         // a V4 SYN that could not be kept: max_held_syns reached
    held_syn_duplicate,     // a retransmitted V4 SYN for a SYN already held
};
inline constexpr std::size_t kStateDropCount = 9;
std::string_view to_string(StateDrop reason) noexcept;

enum class StateVerdict : std::uint8_t {
    forward,     // translate and send, with the transport address in the outcome
    drop,        // nothing to send; `reason` says why (the caller may owe an ICMP error: see above)
    held,        // kept by the table (V4 SYN, 3.5.2.2); nothing to send now
};

struct Outcome6 {  // from_ipv6
    StateVerdict verdict = StateVerdict::drop;
    StateDrop reason = StateDrop::no_bib_entry;
    Ipv4Transport source4;  // forward: the outgoing source (T, t), from the BIB entry
};

struct Outcome4 {  // from_ipv4
    StateVerdict verdict = StateVerdict::drop;
    StateDrop reason = StateDrop::no_bib_entry;
    Ipv6Transport destination6;  // forward: the outgoing destination (X', x), from the BIB entry
};

struct ProtocolCounters {
    std::uint64_t bib_static = 0;   // occupancy now
    std::uint64_t bib_dynamic = 0;  // occupancy now
    std::uint64_t sessions = 0;     // occupancy now
    std::uint64_t sessions_created = 0;
    std::uint64_t sessions_expired = 0;
    std::uint64_t bib_created = 0;
    std::uint64_t bib_expired = 0;
};

struct TableCounters {
    std::array<ProtocolCounters, kL4ProtocolCount> by_protocol{};
    std::array<std::uint64_t, kStateDropCount> drops{};
    std::uint64_t held_syns = 0;               // occupancy now
    std::uint64_t held_syns_answered = 0;      // timed out: ICMP Port Unreachable sent
    std::uint64_t held_syns_released = 0;      // a V6 SYN arrived in time (simultaneous open)
    std::uint64_t sessions() const noexcept;   // all protocols, now
    std::uint64_t drop(StateDrop reason) const noexcept {
        return drops[static_cast<std::size_t>(reason)];
    }
};

struct ExpiryReport {
    std::uint64_t sessions_expired = 0;
    std::uint64_t bib_expired = 0;
    std::uint64_t held_syns_answered = 0;
};

class SessionTable {
public:
    // Validates the config (empty pool4, overlapping or reserved ranges, static entries that
    // collide) and reserves the static entries' ports. Errors name the entry.
    static Result<std::unique_ptr<SessionTable>> create(SessionTableConfig config);
    ~SessionTable();
    SessionTable(const SessionTable&) = delete;
    SessionTable& operator=(const SessionTable&) = delete;

    // A packet from the IPv6 side (RFC 6146 3.5.1 UDP, 3.5.2 TCP, 3.5.3 ICMP query): finds or
    // creates the BIB entry (endpoint-independent mapping, paired address pooling, port parity and
    // range kept, RFC 6888) and the session, runs the TCP state machine, refreshes the timer.
    // ICMP query (3.5.3): a session is (BIB entry, Y), the destination "port" is not compared.
    Outcome6 from_ipv6(const Tuple6& tuple, TcpFlags flags, Millis now) noexcept;

    // A packet from the IPv4 side: BIB lookup, filtering (endpoint-independent or address-
    // dependent), session creation/refresh, TCP state machine. A V4 SYN with no BIB entry is held
    // (3.5.2.2): `packet` (the whole IPv4 packet; at most the first 576 bytes are kept) is copied and
    // handed back through expire()'s callback when TCP_INCOMING_SYN passes with no V6 SYN.
    Outcome4 from_ipv4(const Tuple4& tuple, TcpFlags flags, Millis now,
                       std::span<const std::byte> packet) noexcept;

    // ICMP error relay (3.5.1.x, 3.5.3, RFC 6146 "ICMP error" handling): the BIB entry for the
    // transport address quoted in an error, without creating or refreshing anything.
    std::optional<Ipv4Transport> find_ipv4_binding(L4Protocol protocol,
                                                   const Ipv6Transport& ipv6) const noexcept;
    std::optional<Ipv6Transport> find_ipv6_binding(L4Protocol protocol,
                                                   const Ipv4Transport& ipv4) const noexcept;

    // The client's paired pool4 address (the one all of its BIB entries use), if it has any entry:
    // gives a non-first IPv6 fragment (no ports) its IPv4 source.
    std::optional<net::Ipv4Address> paired_address(const net::Ipv6Address& client) const noexcept;

    // A pool4 or static BIB address: hairpinning (3.8) and the routes into the TUN.
    bool owns_ipv4(net::Ipv4Address address) const noexcept;
    // The IPv4 prefixes to route into the TUN: pool4 plus static entries outside it (as /32).
    std::vector<net::Ipv4Prefix> routed_ipv4() const;

    // Removes every session, BIB entry and held SYN whose time has come: O(1) per entry removed.
    // Each held SYN that timed out is passed to `answer_held_syn` (its stored bytes) so the caller
    // sends ICMP Port Unreachable (3.5.2.2); the callback runs without a shard lock held.
    ExpiryReport expire(Millis now,
                        const std::function<void(std::span<const std::byte>)>& answer_held_syn);

    TableCounters counters() const;

    // For `sixgate status`: {"pool4": [{"prefix", "tcp"/"udp"/"icmp": {"range", "used",
    // "free"}}], "bib": [{"protocol", "ipv6", "ipv4", "static"}], "sessions": [{"protocol",
    // "ipv6", "ipv4", "remote", "state", "expires_in_ms"}], "truncated": bool}, with at most
    // `max_entries` BIB entries and sessions each.
    nlohmann::json snapshot(std::size_t max_entries, Millis now) const;

    // Table memory in bytes (slabs, indexes, port bitmaps): docs/performance.md's bytes per session.
    std::size_t memory_bytes() const noexcept;

private:
    struct Impl;
    explicit SessionTable(std::unique_ptr<Impl> impl) noexcept;
    std::unique_ptr<Impl> impl_;
};

}  // namespace sixgate::plat
