// The session table (RFC 6146 3.5.1 UDP, 3.5.3 ICMP query): endpoint-independent mapping,
// filtering, limits, timeouts, static BIB entries, lookups, status snapshot, churn and threads.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "plat_state_test_util.hpp"

namespace sixgate::plat {
namespace {

using namespace test;

const std::string kClient = "2001:db8:1::10";

TEST(SessionTable, EndpointIndependentMappingGivesOneTransportAddressForAllDestinations) {
    RecordProperty("rfc", "6146 3.5.1 (RFC 4787 REQ-1)");
    auto table = make_table(small_config());
    ASSERT_TRUE(table);
    auto first = table->from_ipv6(t6(L4Protocol::udp, kClient, 5353, "198.51.100.1", 53), {}, 0);
    auto second = table->from_ipv6(t6(L4Protocol::udp, kClient, 5353, "203.0.113.9", 123), {}, 0);
    ASSERT_EQ(first.verdict, StateVerdict::forward);
    ASSERT_EQ(second.verdict, StateVerdict::forward);
    EXPECT_EQ(first.source4, second.source4);
    const auto c = table->counters();
    EXPECT_EQ(c.by_protocol[1].sessions, 2u);
    EXPECT_EQ(c.by_protocol[1].bib_dynamic, 1u);
}

TEST(SessionTable, EndpointIndependentFilteringLetsAnyPeerUseAMapping) {
    RecordProperty("rfc", "6146 3.5.1 (RFC 4787 REQ-8)");
    auto table = make_table(small_config());
    ASSERT_TRUE(table);
    auto out = table->from_ipv6(t6(L4Protocol::udp, kClient, 5000, "198.51.100.1", 53), {}, 0);
    auto in = table->from_ipv4(t4(L4Protocol::udp, "203.0.113.77", 999, out.source4), {}, 1, {});
    ASSERT_EQ(in.verdict, StateVerdict::forward);
    EXPECT_EQ(in.destination6, (Ipv6Transport{a6(kClient), 5000}));
    EXPECT_EQ(table->counters().by_protocol[1].sessions, 2u);  // a new session for the new peer
}

TEST(SessionTable, AddressDependentFilteringOnlyAdmitsKnownPeerAddresses) {
    RecordProperty("rfc", "6146 3.5.1");
    auto config = small_config();
    config.filtering = Filtering::address_dependent;
    auto table = make_table(config);
    ASSERT_TRUE(table);
    auto out = table->from_ipv6(t6(L4Protocol::udp, kClient, 5000, "198.51.100.1", 53), {}, 0);
    // Same address, another port: allowed (address-dependent, not address-and-port).
    auto known = table->from_ipv4(t4(L4Protocol::udp, "198.51.100.1", 5353, out.source4), {}, 1, {});
    EXPECT_EQ(known.verdict, StateVerdict::forward);
    auto stranger = table->from_ipv4(t4(L4Protocol::udp, "203.0.113.77", 53, out.source4), {}, 1, {});
    EXPECT_EQ(stranger.verdict, StateVerdict::drop);
    EXPECT_EQ(stranger.reason, StateDrop::filtered);
    EXPECT_EQ(table->counters().drop(StateDrop::filtered), 1u);
}

TEST(SessionTable, IcmpQueryFilteringUsesTheIdentifier) {
    RecordProperty("rfc", "6146 3.5.3");
    auto config = small_config();
    config.filtering = Filtering::address_dependent;
    auto table = make_table(config);
    ASSERT_TRUE(table);
    auto out = table->from_ipv6(t6(L4Protocol::icmp, kClient, 77, "198.51.100.1", 77), {}, 0);
    ASSERT_EQ(out.verdict, StateVerdict::forward);
    auto reply = table->from_ipv4(
        Tuple4{L4Protocol::icmp, {a4("198.51.100.1"), out.source4.port}, out.source4}, {}, 1, {});
    ASSERT_EQ(reply.verdict, StateVerdict::forward);
    EXPECT_EQ(reply.destination6.port, 77);
    auto stranger = table->from_ipv4(
        Tuple4{L4Protocol::icmp, {a4("203.0.113.1"), out.source4.port}, out.source4}, {}, 1, {});
    EXPECT_EQ(stranger.reason, StateDrop::filtered);
}

TEST(SessionTable, IpV4PacketWithoutBibEntryIsDropped) {
    RecordProperty("rfc", "6146 3.5.1");
    auto table = make_table(small_config());
    ASSERT_TRUE(table);
    auto in = table->from_ipv4(t4(L4Protocol::udp, "203.0.113.1", 53, {a4("192.0.2.1"), 4000}), {},
                               0, {});
    EXPECT_EQ(in.reason, StateDrop::no_bib_entry);
    auto foreign = table->from_ipv4(t4(L4Protocol::tcp, "203.0.113.1", 53, {a4("10.0.0.1"), 4000}),
                                    kSyn, 0, {});
    EXPECT_EQ(foreign.reason, StateDrop::no_bib_entry);
    EXPECT_EQ(table->counters().held_syns, 0u);
}

TEST(SessionTable, OverallSessionLimitRefusesNewSessions) {
    RecordProperty("rfc", "6888 REQ-4");
    auto config = small_config();
    config.max_sessions = 10;
    auto table = make_table(config);
    ASSERT_TRUE(table);
    for (int i = 0; i < 10; ++i) {
        auto out = table->from_ipv6(
            t6(L4Protocol::udp, "2001:db8:1::" + std::to_string(i + 1), 4000, "198.51.100.1", 53),
            {}, 0);
        ASSERT_EQ(out.verdict, StateVerdict::forward);
    }
    auto over = table->from_ipv6(t6(L4Protocol::udp, "2001:db8:2::1", 4000, "198.51.100.1", 53), {}, 0);
    EXPECT_EQ(over.reason, StateDrop::session_limit);
    // Existing sessions still pass; the refused one left no BIB entry behind.
    auto existing = table->from_ipv6(t6(L4Protocol::udp, "2001:db8:1::1", 4000, "198.51.100.1", 53), {}, 1);
    EXPECT_EQ(existing.verdict, StateVerdict::forward);
    const auto c = table->counters();
    EXPECT_EQ(c.sessions(), 10u);
    EXPECT_EQ(c.by_protocol[1].bib_dynamic, 10u);
    EXPECT_EQ(c.drop(StateDrop::session_limit), 1u);
}

TEST(SessionTable, PerSourceLimitCountsOneClientsSessionsInBothDirections) {
    RecordProperty("rfc", "6888 REQ-4");
    auto config = small_config();
    config.max_sessions_per_source = 3;
    auto table = make_table(config);
    ASSERT_TRUE(table);
    auto out = table->from_ipv6(t6(L4Protocol::udp, kClient, 4000, "198.51.100.1", 53), {}, 0);
    EXPECT_EQ(table->from_ipv6(t6(L4Protocol::udp, kClient, 4001, "198.51.100.1", 53), {}, 0).verdict,
              StateVerdict::forward);
    EXPECT_EQ(table->from_ipv4(t4(L4Protocol::udp, "203.0.113.1", 1, out.source4), {}, 0, {}).verdict,
              StateVerdict::forward);
    EXPECT_EQ(table->from_ipv6(t6(L4Protocol::udp, kClient, 4002, "198.51.100.1", 53), {}, 0).reason,
              StateDrop::source_session_limit);
    EXPECT_EQ(table->from_ipv4(t4(L4Protocol::udp, "203.0.113.2", 1, out.source4), {}, 0, {}).reason,
              StateDrop::source_session_limit);
    // Another client is not affected.
    EXPECT_EQ(table->from_ipv6(t6(L4Protocol::udp, "2001:db8:9::1", 4002, "198.51.100.1", 53), {}, 0)
                  .verdict,
              StateVerdict::forward);
}

TEST(SessionTable, UdpSessionExpiresAtTheTimeoutNotBefore) {
    RecordProperty("rfc", "6146 3.5.1");
    auto table = make_table(small_config());
    ASSERT_TRUE(table);
    const Millis udp = SessionTimeouts{}.udp;
    const Millis start = 1000;
    auto out = table->from_ipv6(t6(L4Protocol::udp, kClient, 4000, "198.51.100.1", 53), {}, start);
    EXPECT_EQ(table->expire(start + udp - 1, nullptr).sessions_expired, 0u);
    EXPECT_TRUE(table->find_ipv6_binding(L4Protocol::udp, out.source4));
    const auto report = table->expire(start + udp, nullptr);
    EXPECT_EQ(report.sessions_expired, 1u);
    EXPECT_EQ(report.bib_expired, 1u);
    EXPECT_FALSE(table->find_ipv6_binding(L4Protocol::udp, out.source4));
    EXPECT_FALSE(table->paired_address(a6(kClient)));
}

TEST(SessionTable, PacketsInEitherDirectionRefreshUdp) {
    RecordProperty("rfc", "6146 3.5.1");
    auto table = make_table(small_config());
    ASSERT_TRUE(table);
    const Millis udp = SessionTimeouts{}.udp;
    auto out = table->from_ipv6(t6(L4Protocol::udp, kClient, 4000, "198.51.100.1", 53), {}, 0);
    table->from_ipv6(t6(L4Protocol::udp, kClient, 4000, "198.51.100.1", 53), {}, 100'000);
    EXPECT_EQ(table->expire(udp, nullptr).sessions_expired, 0u);
    table->from_ipv4(t4(L4Protocol::udp, "198.51.100.1", 53, out.source4), {}, 200'000, {});
    EXPECT_EQ(table->expire(100'000 + udp, nullptr).sessions_expired, 0u);
    EXPECT_EQ(table->expire(200'000 + udp - 1, nullptr).sessions_expired, 0u);
    EXPECT_EQ(table->expire(200'000 + udp, nullptr).sessions_expired, 1u);
}

TEST(SessionTable, IcmpQuerySessionLastsSixtySecondsAndIsRefreshed) {
    RecordProperty("rfc", "6146 3.5.3");
    auto table = make_table(small_config());
    ASSERT_TRUE(table);
    auto out = table->from_ipv6(t6(L4Protocol::icmp, kClient, 9, "198.51.100.1", 9), {}, 0);
    table->from_ipv4(Tuple4{L4Protocol::icmp, {a4("198.51.100.1"), out.source4.port}, out.source4},
                     {}, 30'000, {});
    EXPECT_EQ(table->expire(60'000, nullptr).sessions_expired, 0u);
    EXPECT_EQ(table->expire(89'999, nullptr).sessions_expired, 0u);
    EXPECT_EQ(table->expire(90'000, nullptr).sessions_expired, 1u);
}

TEST(SessionTable, ConfiguredTimeoutsApply) {
    auto config = small_config();
    config.timeouts.udp = 2'000;
    auto table = make_table(config);
    ASSERT_TRUE(table);
    table->from_ipv6(t6(L4Protocol::udp, kClient, 4000, "198.51.100.1", 53), {}, 0);
    EXPECT_EQ(table->expire(1'999, nullptr).sessions_expired, 0u);
    EXPECT_EQ(table->expire(2'000, nullptr).sessions_expired, 1u);
}

SessionTableConfig static_config() {
    auto config = small_config("192.0.2.0/30");
    config.static_bib.push_back(
        StaticBinding{L4Protocol::tcp, {a6("2001:db8::80"), 80}, {a4("192.0.2.2"), 8080}});
    config.static_bib.push_back(
        StaticBinding{L4Protocol::udp, {a6("2001:db8::80"), 53}, {a4("192.0.2.2"), 5353}});
    return config;
}

TEST(SessionTable, StaticBibEntryLetsTheIpv4SideReachTheIpv6Host) {
    RecordProperty("rfc", "6146 3.1");
    auto table = make_table(static_config());
    ASSERT_TRUE(table);
    const auto c = table->counters();
    EXPECT_EQ(c.by_protocol[0].bib_static, 1u);
    EXPECT_EQ(c.by_protocol[1].bib_static, 1u);
    auto in = table->from_ipv4(t4(L4Protocol::udp, "203.0.113.5", 4444, {a4("192.0.2.2"), 5353}), {},
                               0, {});
    ASSERT_EQ(in.verdict, StateVerdict::forward);
    EXPECT_EQ(in.destination6, (Ipv6Transport{a6("2001:db8::80"), 53}));
    auto syn = table->from_ipv4(t4(L4Protocol::tcp, "203.0.113.5", 4444, {a4("192.0.2.2"), 8080}),
                                kSyn, 0, {});
    ASSERT_EQ(syn.verdict, StateVerdict::forward);
    EXPECT_EQ(syn.destination6, (Ipv6Transport{a6("2001:db8::80"), 80}));
    // The static entry outlives its sessions.
    table->expire(100'000'000, nullptr);
    EXPECT_EQ(table->counters().sessions(), 0u);
    EXPECT_EQ(table->find_ipv6_binding(L4Protocol::udp, {a4("192.0.2.2"), 5353}),
              (Ipv6Transport{a6("2001:db8::80"), 53}));
}

TEST(SessionTable, StaticHostUsesItsStaticTransportAddressOutbound) {
    RecordProperty("rfc", "6146 3.1");
    auto table = make_table(static_config());
    ASSERT_TRUE(table);
    auto out = table->from_ipv6(t6(L4Protocol::tcp, "2001:db8::80", 80, "198.51.100.1", 443), kSyn, 0);
    ASSERT_EQ(out.verdict, StateVerdict::forward);
    EXPECT_EQ(out.source4, (Ipv4Transport{a4("192.0.2.2"), 8080}));
    // Its dynamic entries are paired with the static entry's address (RFC 6888 REQ-2).
    auto dynamic =
        table->from_ipv6(t6(L4Protocol::udp, "2001:db8::80", 7000, "198.51.100.1", 53), {}, 0);
    ASSERT_EQ(dynamic.verdict, StateVerdict::forward);
    EXPECT_EQ(dynamic.source4.address, a4("192.0.2.2"));
    EXPECT_EQ(table->paired_address(a6("2001:db8::80")), a4("192.0.2.2"));
    // Its port is never handed out dynamically.
    for (int i = 0; i < 200; ++i) {
        auto other = table->from_ipv6(
            t6(L4Protocol::tcp, "2001:db8:5::" + std::to_string(i + 1), 8080, "198.51.100.1", 1),
            kSyn, 0);
        ASSERT_EQ(other.verdict, StateVerdict::forward);
        EXPECT_NE(other.source4, (Ipv4Transport{a4("192.0.2.2"), 8080}));
    }
}

TEST(SessionTable, FindBindingsNeitherCreateNorRefresh) {
    RecordProperty("rfc", "6146 3.5");
    auto table = make_table(small_config());
    ASSERT_TRUE(table);
    EXPECT_FALSE(table->find_ipv4_binding(L4Protocol::udp, {a6(kClient), 4000}));
    auto out = table->from_ipv6(t6(L4Protocol::udp, kClient, 4000, "198.51.100.1", 53), {}, 0);
    EXPECT_EQ(table->find_ipv4_binding(L4Protocol::udp, {a6(kClient), 4000}), out.source4);
    EXPECT_FALSE(table->find_ipv4_binding(L4Protocol::tcp, {a6(kClient), 4000}));
    EXPECT_EQ(table->find_ipv6_binding(L4Protocol::udp, out.source4),
              (Ipv6Transport{a6(kClient), 4000}));
    EXPECT_EQ(table->counters().sessions(), 1u);
    EXPECT_EQ(table->expire(SessionTimeouts{}.udp, nullptr).sessions_expired, 1u);
}

TEST(SessionTable, OwnsPool4AddressesOnly) {
    auto table = make_table(static_config());
    ASSERT_TRUE(table);
    EXPECT_TRUE(table->owns_ipv4(a4("192.0.2.0")));
    EXPECT_TRUE(table->owns_ipv4(a4("192.0.2.3")));
    EXPECT_FALSE(table->owns_ipv4(a4("192.0.2.4")));
    ASSERT_EQ(table->routed_ipv4().size(), 1u);
    EXPECT_EQ(table->routed_ipv4()[0], p4("192.0.2.0/30"));
    EXPECT_FALSE(table->paired_address(a6("2001:db8:7::1")));
}

TEST(SessionTable, SnapshotHasTheDocumentedShape) {
    auto table = make_table(static_config());
    ASSERT_TRUE(table);
    table->from_ipv6(t6(L4Protocol::udp, kClient, 4000, "198.51.100.1", 53), {}, 0);
    table->from_ipv6(t6(L4Protocol::tcp, kClient, 4000, "198.51.100.1", 80), kSyn, 0);
    const auto json = table->snapshot(100, 1000);
    ASSERT_EQ(json["pool4"].size(), 1u);
    EXPECT_EQ(json["pool4"][0]["prefix"], "192.0.2.0/30");
    EXPECT_EQ(json["pool4"][0]["tcp"]["range"], "1024-65535");
    EXPECT_EQ(json["pool4"][0]["tcp"]["used"], 2);  // the static entry and one dynamic
    EXPECT_EQ(json["pool4"][0]["tcp"]["free"], 4 * 64512 - 2);
    EXPECT_EQ(json["pool4"][0]["icmp"]["used"], 0);
    EXPECT_EQ(json["bib"].size(), 4u);
    EXPECT_EQ(json["sessions"].size(), 2u);
    EXPECT_FALSE(json["truncated"].get<bool>());
    bool saw_tcp = false;
    for (const auto& s : json["sessions"]) {
        EXPECT_EQ(s["ipv6"], "[2001:db8:1::10]:4000");
        EXPECT_TRUE(s.contains("ipv4"));
        if (s["protocol"] == "tcp") {
            saw_tcp = true;
            EXPECT_EQ(s["state"], "v6_init");
            EXPECT_EQ(s["remote"], "198.51.100.1:80");
            EXPECT_EQ(s["expires_in_ms"], SessionTimeouts{}.tcp_transitory - 1000);
        } else {
            EXPECT_EQ(s["state"], "active");
        }
    }
    EXPECT_TRUE(saw_tcp);
    bool saw_static = false;
    for (const auto& b : json["bib"]) saw_static |= b["static"].get<bool>();
    EXPECT_TRUE(saw_static);
    const auto small = table->snapshot(1, 0);
    EXPECT_EQ(small["bib"].size(), 1u);
    EXPECT_EQ(small["sessions"].size(), 1u);
    EXPECT_TRUE(small["truncated"].get<bool>());
}

TEST(SessionTable, ChurnOfAHundredThousandFlowsExpiresCleanly) {
    RecordProperty("rfc", "6146 3.5.1");
    auto config = small_config("192.0.2.0/29");
    config.max_sessions = 200'000;
    auto table = make_table(config);
    ASSERT_TRUE(table);
    auto run = [&](Millis now) {
        for (int source = 0; source < 1000; ++source) {
            const Ipv6Transport client{a6("2001:db8:c::" + std::to_string(source + 1)), 0};
            for (int flow = 0; flow < 100; ++flow) {
                const Tuple6 tuple{L4Protocol::udp,
                                   {client.address, static_cast<std::uint16_t>(20000 + flow)},
                                   {a4("198.51.100.1"), 53}};
                ASSERT_EQ(table->from_ipv6(tuple, {}, now).verdict, StateVerdict::forward);
            }
        }
    };
    run(0);
    auto c = table->counters();
    EXPECT_EQ(c.sessions(), 100'000u);
    EXPECT_EQ(c.by_protocol[1].bib_dynamic, 100'000u);
    EXPECT_EQ(table->snapshot(0, 0)["pool4"][0]["udp"]["used"], 100'000);
    EXPECT_EQ(table->expire(SessionTimeouts{}.udp - 1, nullptr).sessions_expired, 0u);
    const auto report = table->expire(SessionTimeouts{}.udp, nullptr);
    EXPECT_EQ(report.sessions_expired, 100'000u);
    EXPECT_EQ(report.bib_expired, 100'000u);
    c = table->counters();
    EXPECT_EQ(c.sessions(), 0u);
    EXPECT_EQ(c.by_protocol[1].bib_dynamic, 0u);
    EXPECT_EQ(table->snapshot(0, 0)["pool4"][0]["udp"]["used"], 0);
    // Every port is free again: the same 100,000 flows get mappings once more.
    run(SessionTimeouts{}.udp);
    EXPECT_EQ(table->counters().sessions(), 100'000u);
}

TEST(SessionTable, ConcurrentThreadsKeepTheTotalsConsistent) {
    auto config = small_config("192.0.2.0/28");
    config.max_sessions = 1'000'000;
    auto table = make_table(config);
    ASSERT_TRUE(table);
    constexpr int kThreads = 4;
    constexpr int kFlows = 20'000;
    std::atomic<std::uint64_t> forwarded{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kFlows; ++i) {
                const auto client = "2001:db8:" + std::to_string(t + 1) + "::" + std::to_string(i % 500 + 1);
                const Tuple6 tuple{L4Protocol::udp,
                                   {a6(client), static_cast<std::uint16_t>(10000 + i / 500)},
                                   {a4("198.51.100.1"), 53}};
                auto out = table->from_ipv6(tuple, {}, 0);
                if (out.verdict != StateVerdict::forward) continue;
                ++forwarded;
                // Look the mapping up from the IPv4 side (the reply) and expire nothing yet.
                auto back = table->from_ipv4(
                    Tuple4{L4Protocol::udp, {a4("198.51.100.1"), 53}, out.source4}, {}, 1, {});
                EXPECT_EQ(back.destination6, tuple.source);
                if (i % 1000 == 0) table->expire(2, nullptr);
            }
        });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(forwarded.load(), std::uint64_t{kThreads} * kFlows);
    auto c = table->counters();
    EXPECT_EQ(c.sessions(), std::uint64_t{kThreads} * kFlows);
    EXPECT_EQ(c.by_protocol[1].sessions_created, std::uint64_t{kThreads} * kFlows);
    EXPECT_EQ(c.by_protocol[1].bib_dynamic, std::uint64_t{kThreads} * kFlows);
    // Expire from several threads at once: everything goes exactly once.
    std::atomic<std::uint64_t> expired{0};
    threads.clear();
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] { expired += table->expire(SessionTimeouts{}.udp + 1, nullptr).sessions_expired; });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(expired.load(), std::uint64_t{kThreads} * kFlows);
    c = table->counters();
    EXPECT_EQ(c.sessions(), 0u);
    EXPECT_EQ(c.by_protocol[1].bib_dynamic, 0u);
    EXPECT_EQ(c.by_protocol[1].bib_expired, std::uint64_t{kThreads} * kFlows);
}

TEST(SessionTableConfig, ConvertsThePlatSection) {
    config::PlatConfig plat;
    config::Pool4Entry entry;
    entry.prefix = p4("192.0.2.0/30");
    entry.udp_ports = config::PortRange{2000, 3000};
    plat.pool4.push_back(entry);
    plat.filtering = config::Filtering::address_dependent;
    plat.timeouts.udp = 120;
    plat.timeouts.tcp_incoming_syn = 7;
    plat.max_sessions = 1000;
    plat.max_sessions_per_source = 10;
    config::StaticBibEntry bib;
    bib.protocol = config::Protocol::udp;
    bib.ipv4 = a4("192.0.2.1");
    bib.ipv4_port = 2500;
    bib.ipv6 = a6("2001:db8::1");
    bib.ipv6_port = 53;
    plat.static_bib.push_back(bib);
    const SessionTableConfig out = session_table_config(plat);
    ASSERT_EQ(out.pool4.size(), 1u);
    EXPECT_EQ(out.pool4[0].udp_ports, (config::PortRange{2000, 3000}));
    EXPECT_EQ(out.pool4[0].tcp_ports, (config::PortRange{1024, 65535}));
    EXPECT_EQ(out.filtering, Filtering::address_dependent);
    EXPECT_EQ(out.timeouts.udp, 120'000u);
    EXPECT_EQ(out.timeouts.tcp_incoming_syn, 7'000u);
    EXPECT_EQ(out.timeouts.tcp_established, 7'440'000u);
    EXPECT_EQ(out.max_sessions, 1000u);
    EXPECT_EQ(out.max_sessions_per_source, 10u);
    ASSERT_EQ(out.static_bib.size(), 1u);
    EXPECT_EQ(out.static_bib[0].protocol, L4Protocol::udp);
    EXPECT_EQ(out.static_bib[0].ipv4, (Ipv4Transport{a4("192.0.2.1"), 2500}));
    EXPECT_EQ(out.static_bib[0].ipv6, (Ipv6Transport{a6("2001:db8::1"), 53}));
    EXPECT_TRUE(SessionTable::create(out));
}

TEST(StateDropNames, AreStableCounterNames) {
    EXPECT_EQ(to_string(StateDrop::pool4_exhausted), "pool4_exhausted");
    EXPECT_EQ(to_string(StateDrop::held_syn_duplicate), "held_syn_duplicate");
    EXPECT_EQ(to_string(L4Protocol::icmp), "icmp");
}

}  // namespace
}  // namespace sixgate::plat
