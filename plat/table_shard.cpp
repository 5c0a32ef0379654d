#include "plat/table_shard.hpp"

namespace sixgate::plat {
namespace {

ProtocolCounters& of(TableCounters& counters, L4Protocol protocol) noexcept {
    return counters.by_protocol[static_cast<std::size_t>(protocol)];
}

Outcome6 drop6(StateDrop reason) noexcept { return {StateVerdict::drop, reason, {}}; }
Outcome4 drop4(StateDrop reason) noexcept { return {StateVerdict::drop, reason, {}}; }

}  // namespace

TableShard::TableShard(const TableContext& context, std::uint32_t index,
                       std::uint32_t initial_buckets)
    : context_(&context),
      ports_(*context.pool, index),
      bib6_index_(initial_buckets),
      bib4_index_(initial_buckets),
      session_index_(initial_buckets),
      source_index_(initial_buckets / 4) {}

Millis TableShard::lifetime(TimerClass timer) const noexcept {
    const SessionTimeouts& t = context_->timeouts;
    switch (timer) {
        case TimerClass::udp: return t.udp;
        case TimerClass::icmp: return t.icmp;
        case TimerClass::tcp_established: return t.tcp_established;
        case TimerClass::tcp_transitory: break;
    }
    return t.tcp_transitory;
}

std::uint32_t TableShard::find_bib6(L4Protocol protocol, const Ipv6Transport& ipv6) const noexcept {
    return bib6_index_.find(
        bib_hash6(protocol, ipv6, context_->seed),
        [this](std::uint32_t i) { return bibs_[i].chain; },
        [&](std::uint32_t i) {
            const BibEntry& b = bibs_[i];
            return b.protocol == protocol && b.ipv6_port == ipv6.port && b.ipv6 == ipv6.address;
        });
}

std::uint32_t TableShard::find_bib4(L4Protocol protocol, const Ipv4Transport& ipv4) const noexcept {
    return bib4_index_.find(
        bib_hash4(protocol, ipv4, context_->seed),
        [this](std::uint32_t i) { return bibs_[i].chain4; },
        [&](std::uint32_t i) {
            const BibEntry& b = bibs_[i];
            return b.protocol == protocol && b.ipv4_port == ipv4.port && b.ipv4 == ipv4.address;
        });
}

std::uint32_t TableShard::find_session(std::uint32_t bib,
                                       const Ipv4Transport& remote) const noexcept {
    return session_index_.find(
        session_hash(bib, remote, context_->seed),
        [this](std::uint32_t i) { return sessions_[i].chain; },
        [&](std::uint32_t i) {
            const Session& s = sessions_[i];
            return s.bib == bib && s.remote_port == remote.port && s.remote == remote.address;
        });
}

std::uint32_t TableShard::find_source(const net::Ipv6Address& client) const noexcept {
    return source_index_.find(
        address_hash(client, context_->seed),
        [this](std::uint32_t i) { return sources_[i].chain; },
        [&](std::uint32_t i) { return sources_[i].address == client; });
}

bool TableShard::has_session_with(std::uint32_t bib, net::Ipv4Address remote) const noexcept {
    for (std::uint32_t s = bibs_[bib].sessions; s != kNil; s = sessions_[s].bib_next) {
        if (sessions_[s].remote == remote) return true;
    }
    return false;
}

bool TableShard::has_source(const net::Ipv6Address& client) const noexcept {
    return find_source(client) != kNil;
}

std::uint32_t TableShard::create_bib(L4Protocol protocol, const Ipv6Transport& ipv6,
                                     std::uint32_t address_index, std::uint16_t port,
                                     bool is_static) noexcept {
    const std::uint32_t b = bibs_.allocate();
    if (b == kNil) return kNil;
    BibEntry& entry = bibs_[b];
    entry = BibEntry{};
    entry.ipv6 = ipv6.address;
    entry.ipv6_port = ipv6.port;
    entry.ipv4 = context_->pool->address(address_index);
    entry.ipv4_port = port;
    entry.address_index = address_index;
    entry.protocol = protocol;
    entry.is_static = is_static;
    const std::uint64_t seed = context_->seed;
    bib6_index_.insert(b, bib_hash6(protocol, ipv6, seed), bib_next6(), [this, seed](std::uint32_t i) {
        return bib_hash6(bibs_[i].protocol, bibs_[i].transport6(), seed);
    });
    bib4_index_.insert(b, bib_hash4(protocol, entry.transport4(), seed), bib_next4(),
                       [this, seed](std::uint32_t i) {
                           return bib_hash4(bibs_[i].protocol, bibs_[i].transport4(), seed);
                       });
    ProtocolCounters& c = of(counters_, protocol);
    ++(is_static ? c.bib_static : c.bib_dynamic);
    ++c.bib_created;
    return b;
}

void TableShard::remove_bib(std::uint32_t b, bool expired) noexcept {
    BibEntry& entry = bibs_[b];
    const std::uint64_t seed = context_->seed;
    bib6_index_.erase(b, bib_hash6(entry.protocol, entry.transport6(), seed), bib_next6());
    bib4_index_.erase(b, bib_hash4(entry.protocol, entry.transport4(), seed), bib_next4());
    // RFC 6146 3.5.1: the dynamic entry goes with its last session; its port is free again.
    ports_.release(entry.address_index, entry.protocol, entry.ipv4_port);
    ProtocolCounters& c = of(counters_, entry.protocol);
    --c.bib_dynamic;
    if (expired) {
        ++c.bib_expired;
    } else {
        --c.bib_created;
    }
    bibs_.release(b);
}

bool TableShard::add_static(const StaticBinding& binding, std::uint32_t address_index) noexcept {
    if (find_bib6(binding.protocol, binding.ipv6) != kNil) return false;
    if (!ports_.reserve(address_index, binding.protocol, binding.ipv4.port)) return false;
    if (create_bib(binding.protocol, binding.ipv6, address_index, binding.ipv4.port, true) ==
        kNil) {
        ports_.release(address_index, binding.protocol, binding.ipv4.port);
        return false;
    }
    return true;
}

std::optional<StateDrop> TableShard::check_limits(const net::Ipv6Address& client) noexcept {
    const std::uint32_t source = find_source(client);
    if (source != kNil && sources_[source].sessions >= context_->max_sessions_per_source) {
        return StateDrop::source_session_limit;
    }
    // RFC 6888 REQ-4 (limits per subscriber) and an overall bound on memory.
    const std::uint64_t before = context_->total_sessions->fetch_add(1, std::memory_order_relaxed);
    if (before >= context_->max_sessions) {
        context_->total_sessions->fetch_sub(1, std::memory_order_relaxed);
        return StateDrop::session_limit;
    }
    return std::nullopt;
}

void TableShard::unreserve() noexcept {
    context_->total_sessions->fetch_sub(1, std::memory_order_relaxed);
}

std::uint32_t TableShard::create_session(std::uint32_t b, const Ipv4Transport& remote, Millis now,
                                         TimerClass timer, TcpState state,
                                         StateDrop& reason) noexcept {
    // The caller has passed check_limits(): one session is reserved in the overall count.
    const net::Ipv6Address client = bibs_[b].ipv6;
    std::uint32_t source = find_source(client);
    if (source == kNil) {
        source = sources_.allocate();
        if (source == kNil) {
            reason = StateDrop::session_limit;
            return kNil;
        }
        sources_[source] = SourceEntry{client, 0, kNil};
        const std::uint64_t seed = context_->seed;
        source_index_.insert(source, address_hash(client, seed), source_next(),
                             [this, seed](std::uint32_t i) {
                                 return address_hash(sources_[i].address, seed);
                             });
    }
    const std::uint32_t s = sessions_.allocate();
    if (s == kNil) {
        if (sources_[source].sessions == 0) {
            source_index_.erase(source, address_hash(client, context_->seed), source_next());
            sources_.release(source);
        }
        reason = StateDrop::session_limit;
        return kNil;
    }
    ++sources_[source].sessions;
    Session& entry = sessions_[s];
    entry = Session{};
    entry.bib = b;
    entry.remote = remote.address;
    entry.remote_port = remote.port;
    entry.state = state;
    entry.timer = timer;
    entry.expires = now + lifetime(timer);
    timers_[static_cast<std::size_t>(timer)].push_back(sessions_, s);
    const std::uint64_t seed = context_->seed;
    session_index_.insert(s, session_hash(b, remote, seed), session_next(),
                          [this, seed](std::uint32_t i) {
                              return session_hash(sessions_[i].bib,
                                                  {sessions_[i].remote, sessions_[i].remote_port},
                                                  seed);
                          });
    BibEntry& bib = bibs_[b];
    entry.bib_next = bib.sessions;
    if (bib.sessions != kNil) sessions_[bib.sessions].bib_prev = s;
    bib.sessions = s;
    ++bib.session_count;
    ProtocolCounters& c = of(counters_, bib.protocol);
    ++c.sessions;
    ++c.sessions_created;
    return s;
}

void TableShard::remove_session(std::uint32_t s) noexcept {
    Session& entry = sessions_[s];
    const std::uint32_t b = entry.bib;
    BibEntry& bib = bibs_[b];
    timers_[static_cast<std::size_t>(entry.timer)].unlink(sessions_, s);
    session_index_.erase(s, session_hash(b, {entry.remote, entry.remote_port}, context_->seed),
                         session_next());
    if (entry.bib_prev != kNil) {
        sessions_[entry.bib_prev].bib_next = entry.bib_next;
    } else {
        bib.sessions = entry.bib_next;
    }
    if (entry.bib_next != kNil) sessions_[entry.bib_next].bib_prev = entry.bib_prev;
    --bib.session_count;
    const std::uint32_t source = find_source(bib.ipv6);
    if (source != kNil && --sources_[source].sessions == 0) {
        source_index_.erase(source, address_hash(bib.ipv6, context_->seed), source_next());
        sources_.release(source);
    }
    context_->total_sessions->fetch_sub(1, std::memory_order_relaxed);
    ProtocolCounters& c = of(counters_, bib.protocol);
    --c.sessions;
    ++c.sessions_expired;
    sessions_.release(s);
    if (!bib.is_static && bib.session_count == 0) remove_bib(b);
}

void TableShard::set_timer(std::uint32_t s, TimerClass timer, Millis now) noexcept {
    Session& entry = sessions_[s];
    auto& from = timers_[static_cast<std::size_t>(entry.timer)];
    auto& to = timers_[static_cast<std::size_t>(timer)];
    entry.expires = now + lifetime(timer);
    if (entry.timer == timer) {
        to.move_to_back(sessions_, s);
        return;
    }
    from.unlink(sessions_, s);
    entry.timer = timer;
    to.push_back(sessions_, s);
}

void TableShard::apply_tcp(std::uint32_t s, PacketSide side, TcpFlags flags, Millis now) noexcept {
    const TcpTransition next = tcp_transition(sessions_[s].state, side, flags);
    sessions_[s].state = next.state;
    switch (next.timer) {
        case TimerAction::transitory: set_timer(s, TimerClass::tcp_transitory, now); break;
        case TimerAction::established: set_timer(s, TimerClass::tcp_established, now); break;
        case TimerAction::keep:
        case TimerAction::drop: break;
    }
}

Outcome6 TableShard::from_ipv6(const Tuple6& tuple_in, TcpFlags flags, Millis now,
                               std::uint32_t paired) noexcept {
    const L4Protocol protocol = tuple_in.protocol;
    Tuple6 tuple = tuple_in;
    // RFC 6146 3.5.3: an ICMP query session is (BIB entry, Y); the identifier is the BIB's.
    if (protocol == L4Protocol::icmp) tuple.destination.port = 0;
    std::uint32_t b = find_bib6(protocol, tuple.source);
    if (b != kNil) {
        const std::uint32_t s = find_session(b, tuple.destination);
        if (s != kNil) {
            if (protocol == L4Protocol::tcp) {
                apply_tcp(s, PacketSide::ipv6, flags, now);
            } else {
                // RFC 6146 3.5.1 / 3.5.3: a packet from the IPv6 client refreshes the session.
                set_timer(s, sessions_[s].timer, now);
            }
            return {StateVerdict::forward, StateDrop::no_bib_entry, bibs_[b].transport4()};
        }
    }
    // RFC 6146 3.5.2.2: in CLOSED only a V6 SYN creates state.
    if (protocol == L4Protocol::tcp && !flags.syn) {
        count_drop(StateDrop::tcp_no_session);
        return drop6(StateDrop::tcp_no_session);
    }
    if (const auto limit = check_limits(tuple.source.address)) {
        count_drop(*limit);
        return drop6(*limit);
    }
    bool new_bib = false;
    if (b == kNil) {
        // RFC 6146 3.5.1.1 / RFC 6888 REQ-2: the client's paired address only; when it has no
        // free port the packet is refused rather than moved to another address.
        const auto port = ports_.allocate(paired, protocol, tuple.source.port);
        if (!port) {
            unreserve();
            count_drop(StateDrop::pool4_exhausted);
            return drop6(StateDrop::pool4_exhausted);
        }
        b = create_bib(protocol, tuple.source, paired, *port, false);
        if (b == kNil) {
            ports_.release(paired, protocol, *port);
            unreserve();
            count_drop(StateDrop::session_limit);
            return drop6(StateDrop::session_limit);
        }
        new_bib = true;
    }
    TcpState state = TcpState::closed;
    TimerClass timer = timer_class_for(protocol);
    if (protocol == L4Protocol::tcp) {
        // RFC 6146 3.5.2.2: a V6 SYN for a connection whose V4 SYN is held is a simultaneous
        // open: V4 INIT + V6 SYN = ESTABLISHED, and the held SYN is not answered.
        const Tuple4 key{L4Protocol::tcp, tuple.destination, bibs_[b].transport4()};
        if (context_->held->release(key)) {
            state = TcpState::established;
            timer = TimerClass::tcp_established;
        } else {
            state = TcpState::v6_init;
            timer = TimerClass::tcp_transitory;
        }
    }
    StateDrop reason = StateDrop::session_limit;
    if (create_session(b, tuple.destination, now, timer, state, reason) == kNil) {
        unreserve();
        if (new_bib) remove_bib(b, false);  // it never had a session
        count_drop(reason);
        return drop6(reason);
    }
    return {StateVerdict::forward, StateDrop::no_bib_entry, bibs_[b].transport4()};
}

Outcome4 TableShard::hold(const Tuple4& tuple, Millis now,
                          std::span<const std::byte> packet) noexcept {
    switch (context_->held->add(tuple, packet, now)) {
        case HeldSynStore::AddResult::held:
            count_drop(StateDrop::v4_syn_held);
            return {StateVerdict::held, StateDrop::v4_syn_held, {}};
        case HeldSynStore::AddResult::duplicate:
            count_drop(StateDrop::held_syn_duplicate);
            return drop4(StateDrop::held_syn_duplicate);
        case HeldSynStore::AddResult::full: break;
    }
    count_drop(StateDrop::held_syn_limit);
    return drop4(StateDrop::held_syn_limit);
}

Outcome4 TableShard::from_ipv4(const Tuple4& tuple_in, TcpFlags flags, Millis now,
                               std::span<const std::byte> packet) noexcept {
    const L4Protocol protocol = tuple_in.protocol;
    Tuple4 tuple = tuple_in;
    if (protocol == L4Protocol::icmp) tuple.source.port = 0;  // 3.5.3: (BIB entry, Z)
    const bool tcp = protocol == L4Protocol::tcp;
    const std::uint32_t b = find_bib4(protocol, tuple.destination);
    if (b == kNil) {
        if (tcp) {
            if (!flags.syn) {
                count_drop(StateDrop::tcp_no_session);
                return drop4(StateDrop::tcp_no_session);
            }
            // RFC 6146 3.5.2.2: a V4 SYN for a transport address with no BIB entry is kept
            // for TCP_INCOMING_SYN, not translated.
            return hold(tuple, now, packet);
        }
        count_drop(StateDrop::no_bib_entry);
        return drop4(StateDrop::no_bib_entry);
    }
    const std::uint32_t s = find_session(b, tuple.source);
    if (s != kNil) {
        if (tcp) {
            apply_tcp(s, PacketSide::ipv4, flags, now);
        } else {
            // RFC 6146 3.5.1 / 3.5.3: an IPv4 packet of an existing session refreshes it too.
            set_timer(s, sessions_[s].timer, now);
        }
        return {StateVerdict::forward, StateDrop::no_bib_entry, bibs_[b].transport6()};
    }
    if (tcp && !flags.syn) {
        count_drop(StateDrop::tcp_no_session);
        return drop4(StateDrop::tcp_no_session);
    }
    // RFC 6146 3.5.1 (UDP), 3.5.3 (ICMP), 3.5.2.2 (TCP): address-dependent filtering lets a
    // peer in only if the client already has a session with that peer's address.
    const bool filtered = context_->filtering == Filtering::address_dependent &&
                          !has_session_with(b, tuple.source.address);
    if (filtered) {
        if (tcp) return hold(tuple, now, packet);  // 3.5.2.2: kept, as with no BIB entry
        count_drop(StateDrop::filtered);
        return drop4(StateDrop::filtered);
    }
    if (const auto limit = check_limits(bibs_[b].ipv6)) {
        count_drop(*limit);
        return drop4(*limit);
    }
    // RFC 6146 3.5.2.2: a V4 SYN that may pass opens V4 INIT with TCP_TRANS until the V6 SYN.
    const TimerClass timer = tcp ? TimerClass::tcp_transitory : timer_class_for(protocol);
    const TcpState state = tcp ? TcpState::v4_init : TcpState::closed;
    StateDrop reason = StateDrop::session_limit;
    if (create_session(b, tuple.source, now, timer, state, reason) == kNil) {
        unreserve();
        count_drop(reason);
        return drop4(reason);
    }
    return {StateVerdict::forward, StateDrop::no_bib_entry, bibs_[b].transport6()};
}

std::optional<Ipv4Transport> TableShard::find_ipv4(L4Protocol protocol,
                                                   const Ipv6Transport& ipv6) const noexcept {
    const std::uint32_t b = find_bib6(protocol, ipv6);
    if (b == kNil) return std::nullopt;
    return bibs_[b].transport4();
}

std::optional<Ipv6Transport> TableShard::find_ipv6(L4Protocol protocol,
                                                   const Ipv4Transport& ipv4) const noexcept {
    const std::uint32_t b = find_bib4(protocol, ipv4);
    if (b == kNil) return std::nullopt;
    return bibs_[b].transport6();
}

void TableShard::expire(Millis now, ExpiryReport& report) noexcept {
    const std::uint64_t bib_before = [&] {
        std::uint64_t n = 0;
        for (const auto& c : counters_.by_protocol) n += c.bib_expired;
        return n;
    }();
    for (std::size_t t = 0; t < kTimerClassCount; ++t) {
        ExpiryList<Session>& list = timers_[t];
        while (!list.empty()) {
            const std::uint32_t s = list.head();
            Session& entry = sessions_[s];
            if (entry.expires > now) break;
            if (static_cast<TimerClass>(t) == TimerClass::tcp_established) {
                const TcpState next = tcp_established_expired(entry.state);
                if (next != TcpState::closed) {
                    entry.state = next;
                    set_timer(s, TimerClass::tcp_transitory, now);
                    continue;
                }
            }
            remove_session(s);
            ++report.sessions_expired;
        }
    }
    std::uint64_t bib_after = 0;
    for (const auto& c : counters_.by_protocol) bib_after += c.bib_expired;
    report.bib_expired += bib_after - bib_before;
}

void TableShard::add_counters(TableCounters& total) const noexcept {
    for (std::size_t p = 0; p < kL4ProtocolCount; ++p) {
        const ProtocolCounters& c = counters_.by_protocol[p];
        ProtocolCounters& t = total.by_protocol[p];
        t.bib_static += c.bib_static;
        t.bib_dynamic += c.bib_dynamic;
        t.sessions += c.sessions;
        t.sessions_created += c.sessions_created;
        t.sessions_expired += c.sessions_expired;
        t.bib_created += c.bib_created;
        t.bib_expired += c.bib_expired;
    }
    for (std::size_t d = 0; d < kStateDropCount; ++d) total.drops[d] += counters_.drops[d];
}

void TableShard::snapshot(nlohmann::json& bib, nlohmann::json& sessions, std::size_t max_entries,
                          Millis now, bool& truncated) const {
    bib4_index_.for_each(
        [this](std::uint32_t i) { return bibs_[i].chain4; },
        [&](std::uint32_t b) {
            const BibEntry& entry = bibs_[b];
            if (bib.size() < max_entries) {
                bib.push_back({{"protocol", to_string(entry.protocol)},
                               {"ipv6", to_string(entry.transport6())},
                               {"ipv4", to_string(entry.transport4())},
                               {"static", entry.is_static}});
            } else {
                truncated = true;
            }
            for (std::uint32_t s = entry.sessions; s != kNil; s = sessions_[s].bib_next) {
                if (sessions.size() >= max_entries) {
                    truncated = true;
                    break;
                }
                const Session& session = sessions_[s];
                sessions.push_back(
                    {{"protocol", to_string(entry.protocol)},
                     {"ipv6", to_string(entry.transport6())},
                     {"ipv4", to_string(entry.transport4())},
                     {"remote", to_string(Ipv4Transport{session.remote, session.remote_port})},
                     {"state", session_state_name(entry.protocol, session.state)},
                     {"expires_in_ms", session.expires > now ? session.expires - now : 0}});
            }
            return true;
        });
}

std::size_t TableShard::memory_bytes() const noexcept {
    return sizeof(*this) + ports_.memory_bytes() + bibs_.memory_bytes() +
           sessions_.memory_bytes() + sources_.memory_bytes() + bib6_index_.memory_bytes() +
           bib4_index_.memory_bytes() + session_index_.memory_bytes() +
           source_index_.memory_bytes();
}

}  // namespace sixgate::plat
