#include "plat/session_table.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <mutex>
#include <random>
#include <string>

#include "plat/bib.hpp"
#include "plat/held_syns.hpp"
#include "plat/pool4.hpp"
#include "plat/table_shard.hpp"

namespace sixgate::plat {
namespace {

L4Protocol protocol_of(config::Protocol protocol) {
    switch (protocol) {
        case config::Protocol::tcp: return L4Protocol::tcp;
        case config::Protocol::udp: return L4Protocol::udp;
        case config::Protocol::icmp: break;
    }
    return L4Protocol::icmp;
}

Millis seconds(std::uint32_t value) { return Millis{value} * 1000; }

std::string binding_name(std::size_t index, const StaticBinding& binding) {
    return "static_bib[" + std::to_string(index) + "] " + std::string(to_string(binding.protocol)) +
           " " + to_string(binding.ipv4) + " <-> " + to_string(binding.ipv6);
}

// A static entry, found from the IPv6 side before the shard is chosen (its BIB entry lives in the
// shard its IPv4 port says, not the one its IPv6 address hashes to).
struct StaticKey {
    L4Protocol protocol;
    Ipv6Transport ipv6;
    auto tie() const { return std::tie(protocol, ipv6.address, ipv6.port); }
    bool operator<(const StaticKey& other) const { return tie() < other.tie(); }
};

struct StaticIndexEntry {
    StaticKey key;
    std::uint32_t shard = 0;
};

}  // namespace

SessionTableConfig session_table_config(const config::PlatConfig& plat) {
    SessionTableConfig out;
    for (const config::Pool4Entry& entry : plat.pool4) {
        out.pool4.push_back(
            Pool4Range{entry.prefix, *entry.tcp_ports, *entry.udp_ports, *entry.icmp_ids});
    }
    for (const config::StaticBibEntry& entry : plat.static_bib) {
        out.static_bib.push_back(StaticBinding{protocol_of(entry.protocol),
                                               Ipv6Transport{*entry.ipv6, entry.ipv6_port},
                                               Ipv4Transport{entry.ipv4, entry.ipv4_port}});
    }
    out.filtering = *plat.filtering == config::Filtering::address_dependent
                        ? Filtering::address_dependent
                        : Filtering::endpoint_independent;
    out.timeouts.udp = seconds(*plat.timeouts.udp);
    out.timeouts.icmp = seconds(*plat.timeouts.icmp);
    out.timeouts.tcp_established = seconds(*plat.timeouts.tcp_established);
    out.timeouts.tcp_transitory = seconds(*plat.timeouts.tcp_transitory);
    out.timeouts.tcp_incoming_syn = seconds(*plat.timeouts.tcp_incoming_syn);
    out.max_sessions = *plat.max_sessions;
    out.max_sessions_per_source = *plat.max_sessions_per_source;
    return out;
}

std::string_view to_string(StateDrop reason) noexcept {
    switch (reason) {
        case StateDrop::pool4_exhausted: return "pool4_exhausted";
        case StateDrop::session_limit: return "session_limit";
        case StateDrop::source_session_limit: return "source_session_limit";
        case StateDrop::no_bib_entry: return "no_bib_entry";
        case StateDrop::filtered: return "filtered";
        case StateDrop::tcp_no_session: return "tcp_no_session";
        case StateDrop::v4_syn_held: return "v4_syn_held";
        case StateDrop::held_syn_limit: return "held_syn_limit";
        case StateDrop::held_syn_duplicate: return "held_syn_duplicate";
    }
    return "unknown";
}

std::uint64_t TableCounters::sessions() const noexcept {
    std::uint64_t total = 0;
    for (const ProtocolCounters& c : by_protocol) total += c.sessions;
    return total;
}

struct SessionTable::Impl {
    Impl(SessionTableConfig config_in, Pool4Layout layout)
        : config(std::move(config_in)),
          pool(std::move(layout)),
          held(config.max_held_syns, config.timeouts.tcp_incoming_syn) {
        context.pool = &pool;
        context.filtering = config.filtering;
        context.timeouts = config.timeouts;
        context.max_sessions = config.max_sessions;
        context.max_sessions_per_source = config.max_sessions_per_source;
        context.total_sessions = &total_sessions;
        context.held = &held;
        context.seed = std::random_device{}() * 0x9e3779b97f4a7c15ULL ^ std::random_device{}();
        const std::uint32_t per_shard = std::max<std::uint32_t>(
            64, config.max_sessions / pool.shard_count());
        shards.reserve(pool.shard_count());
        for (std::uint32_t i = 0; i < pool.shard_count(); ++i) {
            shards.push_back(std::make_unique<TableShard>(context, i, per_shard));
        }
    }

    std::uint32_t client_shard(const net::Ipv6Address& client) const noexcept {
        // Fixed (unseeded) so a client's shard does not depend on the run; independent of the
        // paired-address hash.
        return static_cast<std::uint32_t>(address_hash(client, 0x2545f4914f6cdd1dULL) >> 40) &
               (pool.shard_count() - 1);
    }

    const StaticIndexEntry* find_static(L4Protocol protocol, const Ipv6Transport& ipv6) const {
        if (static_index.empty()) return nullptr;
        const StaticKey key{protocol, ipv6};
        const auto it = std::lower_bound(
            static_index.begin(), static_index.end(), key,
            [](const StaticIndexEntry& entry, const StaticKey& k) { return entry.key < k; });
        if (it == static_index.end() || key < it->key) return nullptr;
        return &*it;
    }

    // RFC 6888 REQ-2: a host with a static entry keeps that entry's address for its dynamic ones.
    std::uint32_t paired_index(const net::Ipv6Address& client) const noexcept {
        if (!static_addresses.empty()) {
            const auto it = std::lower_bound(
                static_addresses.begin(), static_addresses.end(), client,
                [](const auto& entry, const net::Ipv6Address& a) { return entry.first < a; });
            if (it != static_addresses.end() && it->first == client) return it->second;
        }
        return pool.paired_index(client);
    }

    SessionTableConfig config;
    Pool4Layout pool;
    HeldSynStore held;
    std::atomic<std::uint64_t> total_sessions{0};
    TableContext context;
    std::vector<std::unique_ptr<TableShard>> shards;
    std::vector<StaticIndexEntry> static_index;                          // sorted by key
    std::vector<std::pair<net::Ipv6Address, std::uint32_t>> static_addresses;  // sorted
};

SessionTable::SessionTable(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
SessionTable::~SessionTable() = default;

Result<std::unique_ptr<SessionTable>> SessionTable::create(SessionTableConfig config) {
    if (config.max_sessions == 0 || config.max_sessions_per_source == 0) {
        return make_error(std::errc::invalid_argument,
                          "plat max_sessions and max_sessions_per_source must be at least 1");
    }
    auto layout = Pool4Layout::create(config.pool4, config.shard_count);
    if (!layout) return layout.error();
    // Static entries: inside pool4 and its range for the protocol, one per transport address on
    // each side (RFC 6146 3.1: a BIB entry is a one-to-one binding).
    const std::vector<StaticBinding>& statics = config.static_bib;
    for (std::size_t i = 0; i < statics.size(); ++i) {
        const StaticBinding& binding = statics[i];
        const auto address_index = layout->index_of(binding.ipv4.address);
        if (!address_index) {
            return make_error(std::errc::invalid_argument,
                              binding_name(i, binding) + ": the IPv4 address is not in pool4");
        }
        const config::PortRange& range =
            layout->ports(layout->range_of(*address_index), binding.protocol);
        if (!range.contains(binding.ipv4.port)) {
            return make_error(std::errc::invalid_argument,
                              binding_name(i, binding) + ": port " +
                                  std::to_string(binding.ipv4.port) + " is outside pool4's " +
                                  std::string(to_string(binding.protocol)) + " range " +
                                  range.to_string());
        }
        for (std::size_t j = 0; j < i; ++j) {
            const StaticBinding& other = statics[j];
            if (other.protocol != binding.protocol) continue;
            if (other.ipv4 == binding.ipv4 || other.ipv6 == binding.ipv6) {
                return make_error(std::errc::invalid_argument,
                                  binding_name(i, binding) + " uses the same transport address as " +
                                      binding_name(j, other));
            }
        }
    }
    auto impl = std::make_unique<Impl>(std::move(config), std::move(*layout));
    for (std::size_t i = 0; i < impl->config.static_bib.size(); ++i) {
        const StaticBinding& binding = impl->config.static_bib[i];
        const std::uint32_t address_index = *impl->pool.index_of(binding.ipv4.address);
        const std::uint32_t shard = impl->pool.shard_of_port(binding.ipv4.port);
        if (!impl->shards[shard]->add_static(binding, address_index)) {
            return make_error(std::errc::not_enough_memory,
                              binding_name(i, binding) + ": could not be added");
        }
        impl->static_index.push_back({StaticKey{binding.protocol, binding.ipv6}, shard});
        impl->static_addresses.emplace_back(binding.ipv6.address, address_index);
    }
    std::sort(impl->static_index.begin(), impl->static_index.end(),
              [](const auto& a, const auto& b) { return a.key < b.key; });
    // The first static entry of a host names its address (stable sort keeps config order).
    std::stable_sort(impl->static_addresses.begin(), impl->static_addresses.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    return std::unique_ptr<SessionTable>(new SessionTable(std::move(impl)));
}

Outcome6 SessionTable::from_ipv6(const Tuple6& tuple, TcpFlags flags, Millis now) noexcept {
    Impl& impl = *impl_;
    const StaticIndexEntry* fixed = impl.find_static(tuple.protocol, tuple.source);
    const std::uint32_t shard = fixed ? fixed->shard : impl.client_shard(tuple.source.address);
    const std::uint32_t paired = impl.paired_index(tuple.source.address);
    TableShard& s = *impl.shards[shard];
    std::lock_guard lock(s.mutex());
    return s.from_ipv6(tuple, flags, now, paired);
}

Outcome4 SessionTable::from_ipv4(const Tuple4& tuple, TcpFlags flags, Millis now,
                                 std::span<const std::byte> packet) noexcept {
    Impl& impl = *impl_;
    TableShard& s = *impl.shards[impl.pool.shard_of_port(tuple.destination.port)];
    std::lock_guard lock(s.mutex());
    if (!impl.pool.index_of(tuple.destination.address)) {
        // Not ours at all: nothing to hold or look up.
        s.count_drop(StateDrop::no_bib_entry);
        return {StateVerdict::drop, StateDrop::no_bib_entry, {}};
    }
    return s.from_ipv4(tuple, flags, now, packet);
}

std::optional<Ipv4Transport> SessionTable::find_ipv4_binding(
    L4Protocol protocol, const Ipv6Transport& ipv6) const noexcept {
    const Impl& impl = *impl_;
    const StaticIndexEntry* fixed = impl.find_static(protocol, ipv6);
    const TableShard& s = *impl.shards[fixed ? fixed->shard : impl.client_shard(ipv6.address)];
    std::lock_guard lock(s.mutex());
    return s.find_ipv4(protocol, ipv6);
}

std::optional<Ipv6Transport> SessionTable::find_ipv6_binding(
    L4Protocol protocol, const Ipv4Transport& ipv4) const noexcept {
    const Impl& impl = *impl_;
    const TableShard& s = *impl.shards[impl.pool.shard_of_port(ipv4.port)];
    std::lock_guard lock(s.mutex());
    return s.find_ipv6(protocol, ipv4);
}

std::optional<net::Ipv4Address> SessionTable::paired_address(
    const net::Ipv6Address& client) const noexcept {
    const Impl& impl = *impl_;
    const std::uint32_t index = impl.paired_index(client);
    const TableShard& s = *impl.shards[impl.client_shard(client)];
    bool known = false;
    {
        std::lock_guard lock(s.mutex());
        known = s.has_source(client);
    }
    // A host with a static entry always has a binding on that entry's address.
    if (!known) {
        known = std::binary_search(
            impl.static_addresses.begin(), impl.static_addresses.end(),
            std::pair{client, std::uint32_t{0}},
            [](const auto& a, const auto& b) { return a.first < b.first; });
    }
    if (!known) return std::nullopt;
    return impl.pool.address(index);
}

bool SessionTable::owns_ipv4(net::Ipv4Address address) const noexcept {
    return impl_->pool.index_of(address).has_value();
}

std::vector<net::Ipv4Prefix> SessionTable::routed_ipv4() const {
    // create() keeps every static entry inside pool4, so pool4 is the whole list.
    std::vector<net::Ipv4Prefix> out;
    for (const Pool4Range& range : impl_->pool.ranges()) out.push_back(range.prefix);
    return out;
}

ExpiryReport SessionTable::expire(
    Millis now, const std::function<void(std::span<const std::byte>)>& answer_held_syn) {
    ExpiryReport report;
    for (auto& shard : impl_->shards) {
        std::lock_guard lock(shard->mutex());
        shard->expire(now, report);
    }
    std::array<std::byte, kHeldSynBytes> bytes{};
    while (auto length = impl_->held.pop_expired(now, bytes)) {
        ++report.held_syns_answered;
        if (answer_held_syn) answer_held_syn(std::span<const std::byte>(bytes.data(), *length));
    }
    return report;
}

TableCounters SessionTable::counters() const {
    TableCounters total;
    for (const auto& shard : impl_->shards) {
        std::lock_guard lock(shard->mutex());
        shard->add_counters(total);
    }
    total.held_syns = impl_->held.size();
    total.held_syns_answered = impl_->held.answered();
    total.held_syns_released = impl_->held.released();
    return total;
}

nlohmann::json SessionTable::snapshot(std::size_t max_entries, Millis now) const {
    const Impl& impl = *impl_;
    nlohmann::json pool4 = nlohmann::json::array();
    for (std::uint32_t r = 0; r < impl.pool.ranges().size(); ++r) {
        const Pool4Range& range = impl.pool.ranges()[r];
        nlohmann::json entry{{"prefix", range.prefix.to_string()}};
        for (L4Protocol protocol : {L4Protocol::tcp, L4Protocol::udp, L4Protocol::icmp}) {
            const config::PortRange& ports = impl.pool.ports(r, protocol);
            const std::uint64_t addresses = std::uint64_t{1} << (32 - range.prefix.length());
            const auto first = *impl.pool.index_of(range.prefix.address());
            std::uint64_t used = 0;
            for (const auto& shard : impl.shards) {
                std::lock_guard lock(shard->mutex());
                for (std::uint64_t a = 0; a < addresses; ++a) {
                    used += shard->used_ports(static_cast<std::uint32_t>(first + a), protocol);
                }
            }
            const std::uint64_t size = std::uint64_t{ports.last} - ports.first + 1;
            entry[std::string(to_string(protocol))] = {
                {"range", ports.to_string()}, {"used", used}, {"free", size * addresses - used}};
        }
        pool4.push_back(std::move(entry));
    }
    nlohmann::json bib = nlohmann::json::array();
    nlohmann::json sessions = nlohmann::json::array();
    bool truncated = false;
    for (const auto& shard : impl.shards) {
        std::lock_guard lock(shard->mutex());
        shard->snapshot(bib, sessions, max_entries, now, truncated);
    }
    return {{"pool4", std::move(pool4)},
            {"bib", std::move(bib)},
            {"sessions", std::move(sessions)},
            {"truncated", truncated}};
}

std::size_t SessionTable::memory_bytes() const noexcept {
    std::size_t total = sizeof(SessionTable) + sizeof(Impl) + impl_->held.memory_bytes();
    for (const auto& shard : impl_->shards) {
        std::lock_guard lock(shard->mutex());
        total += shard->memory_bytes();
    }
    return total;
}

}  // namespace sixgate::plat
