// pool4 (RFC 6146 3.5.1.1, RFC 6888): paired address pooling, port parity and range, exhaustion,
// and what create() refuses.
#include <gtest/gtest.h>

#include <set>

#include "plat/pool4.hpp"
#include "plat_state_test_util.hpp"

namespace sixgate::plat {
namespace {

using namespace test;

std::string client(int i) { return "2001:db8:1::" + std::to_string(i); }

TEST(Pool4, KeepsPortParityAndRangeWhenThePortIsTaken) {
    RecordProperty("rfc", "6146 3.5.1.1");
    auto config = small_config("192.0.2.1/32");
    config.pool4[0].udp_ports = {0, 65535};
    config.shard_count = 1;
    auto table = make_table(config);
    ASSERT_TRUE(table);
    // Port preservation first.
    auto first = table->from_ipv6(t6(L4Protocol::udp, client(1), 5000, "198.51.100.1", 53), {}, 0);
    ASSERT_EQ(first.verdict, StateVerdict::forward);
    EXPECT_EQ(first.source4.port, 5000);
    auto low = table->from_ipv6(t6(L4Protocol::udp, client(1), 123, "198.51.100.1", 123), {}, 0);
    EXPECT_EQ(low.source4.port, 123);
    // The same ports from other clients: taken, so another port of the same parity and range.
    for (int i = 2; i < 40; ++i) {
        auto even = table->from_ipv6(t6(L4Protocol::udp, client(i), 5000, "198.51.100.1", 53), {}, 0);
        ASSERT_EQ(even.verdict, StateVerdict::forward);
        EXPECT_EQ(even.source4.port % 2, 0);
        EXPECT_GE(even.source4.port, 1024);
        auto odd = table->from_ipv6(t6(L4Protocol::udp, client(i), 5001, "198.51.100.1", 53), {}, 0);
        EXPECT_EQ(odd.source4.port % 2, 1);
        EXPECT_GE(odd.source4.port, 1024);
        auto well_known =
            table->from_ipv6(t6(L4Protocol::udp, client(i), 123, "198.51.100.1", 123), {}, 0);
        EXPECT_LT(well_known.source4.port, 1024);
        EXPECT_EQ(well_known.source4.port % 2, 1);
    }
}

TEST(Pool4, WellKnownClientPortGetsAHighPortWhenPoolHasNoLowPorts) {
    RecordProperty("rfc", "6146 3.5.1.1");
    auto table = make_table(small_config("192.0.2.1/32"));  // default 1024-65535
    ASSERT_TRUE(table);
    auto out = table->from_ipv6(t6(L4Protocol::tcp, client(1), 80, "198.51.100.1", 80), kSyn, 0);
    ASSERT_EQ(out.verdict, StateVerdict::forward);
    EXPECT_GE(out.source4.port, 1024);
    EXPECT_EQ(out.source4.port % 2, 0);
}

TEST(Pool4, PairedPoolingKeepsOneClientOnOneAddress) {
    RecordProperty("rfc", "6888 REQ-2");
    auto table = make_table(small_config("192.0.2.0/28"));
    ASSERT_TRUE(table);
    std::set<std::uint32_t> addresses;
    for (std::uint16_t port = 1000; port < 1040; ++port) {
        for (auto protocol : {L4Protocol::udp, L4Protocol::tcp, L4Protocol::icmp}) {
            auto out = table->from_ipv6(t6(protocol, client(7), port, "198.51.100.1", 9), kSyn, 0);
            ASSERT_EQ(out.verdict, StateVerdict::forward);
            addresses.insert(out.source4.address.to_uint());
        }
    }
    EXPECT_EQ(addresses.size(), 1u);
    EXPECT_EQ(table->paired_address(a6(client(7)))->to_uint(), *addresses.begin());
}

TEST(Pool4, DifferentClientsSpreadOverTheAddresses) {
    RecordProperty("rfc", "6888 REQ-2");
    auto table = make_table(small_config("192.0.2.0/28"));
    ASSERT_TRUE(table);
    std::set<std::uint32_t> addresses;
    for (int i = 0; i < 200; ++i) {
        auto out = table->from_ipv6(t6(L4Protocol::udp, client(i), 4000, "198.51.100.1", 9), {}, 0);
        ASSERT_EQ(out.verdict, StateVerdict::forward);
        addresses.insert(out.source4.address.to_uint());
    }
    EXPECT_GE(addresses.size(), 12u);  // 16 addresses, 200 clients
}

TEST(Pool4, ExhaustedPairedAddressRefusesAndRecoversAfterExpiry) {
    RecordProperty("rfc", "6146 3.5.1.1");
    auto config = small_config("192.0.2.1/32");
    config.pool4[0].udp_ports = {2000, 2003};
    auto table = make_table(config);
    ASSERT_TRUE(table);
    std::set<std::uint16_t> ports;
    for (std::uint16_t p = 0; p < 4; ++p) {
        auto out = table->from_ipv6(t6(L4Protocol::udp, client(1), 6000 + p, "198.51.100.1", 9), {}, 0);
        ASSERT_EQ(out.verdict, StateVerdict::forward);
        ports.insert(out.source4.port);
    }
    EXPECT_EQ(ports, (std::set<std::uint16_t>{2000, 2001, 2002, 2003}));
    auto fifth = table->from_ipv6(t6(L4Protocol::udp, client(1), 6004, "198.51.100.1", 9), {}, 0);
    EXPECT_EQ(fifth.verdict, StateVerdict::drop);
    EXPECT_EQ(fifth.reason, StateDrop::pool4_exhausted);
    EXPECT_EQ(table->counters().drop(StateDrop::pool4_exhausted), 1u);
    // Another client on the same (only) address: also exhausted, never moved elsewhere.
    auto other = table->from_ipv6(t6(L4Protocol::udp, client(2), 6000, "198.51.100.1", 9), {}, 0);
    EXPECT_EQ(other.reason, StateDrop::pool4_exhausted);
    // The ports come back when the BIB entries expire with their sessions.
    const auto report = table->expire(SessionTimeouts{}.udp, nullptr);
    EXPECT_EQ(report.sessions_expired, 4u);
    EXPECT_EQ(report.bib_expired, 4u);
    auto again = table->from_ipv6(t6(L4Protocol::udp, client(1), 6004, "198.51.100.1", 9), {},
                                  SessionTimeouts{}.udp);
    EXPECT_EQ(again.verdict, StateVerdict::forward);
}

TEST(Pool4, IcmpIdentifiersComeFromTheirOwnRange) {
    RecordProperty("rfc", "6146 3.5.3");
    auto config = small_config("192.0.2.1/32");
    config.pool4[0].icmp_ids = {100, 163};
    config.shard_count = 1;  // with 2 shards each client sees only its shard's half
    auto table = make_table(config);
    ASSERT_TRUE(table);
    for (int i = 0; i < 64; ++i) {
        auto out = table->from_ipv6(t6(L4Protocol::icmp, client(i), 7, "198.51.100.1", 7), {}, 0);
        ASSERT_EQ(out.verdict, StateVerdict::forward) << i;
        EXPECT_GE(out.source4.port, 100);
        EXPECT_LE(out.source4.port, 163);
    }
    EXPECT_EQ(table->from_ipv6(t6(L4Protocol::icmp, client(99), 7, "198.51.100.1", 7), {}, 0).reason,
              StateDrop::pool4_exhausted);
}

TEST(Pool4Layout, LowersTheShardCountUntilEveryShardOwnsPorts) {
    std::vector<Pool4Range> ranges{Pool4Range{p4("192.0.2.0/30")}};
    ranges[0].tcp_ports = {2000, 2255};  // 4 or 5 blocks of 64
    auto layout = Pool4Layout::create(ranges, 16);
    ASSERT_TRUE(layout);
    EXPECT_EQ(layout->shard_count(), 4u);
    EXPECT_EQ(layout->address_count(), 4u);
    EXPECT_EQ(layout->address(3), a4("192.0.2.3"));
    EXPECT_EQ(layout->index_of(a4("192.0.2.2")), 2u);
    EXPECT_FALSE(layout->index_of(a4("192.0.2.4")));
}

TEST(PortAllocator, FallsBackToTheOtherParityOnlyWhenItsOwnIsGone) {
    RecordProperty("rfc", "6146 3.5.1.1");
    std::vector<Pool4Range> ranges{Pool4Range{p4("192.0.2.1/32")}};
    ranges[0].udp_ports = {2000, 2003};
    auto layout = Pool4Layout::create(ranges, 16);
    ASSERT_TRUE(layout);
    ASSERT_EQ(layout->shard_count(), 1u);
    PortAllocator ports(*layout, 0);
    EXPECT_EQ(ports.allocate(0, L4Protocol::udp, 3000), 2000);
    EXPECT_EQ(ports.allocate(0, L4Protocol::udp, 3000), 2002);
    EXPECT_EQ(ports.allocate(0, L4Protocol::udp, 3000), 2001);  // no even port left
    EXPECT_EQ(ports.allocate(0, L4Protocol::udp, 2001), 2003);
    EXPECT_FALSE(ports.allocate(0, L4Protocol::udp, 3000));
    EXPECT_EQ(ports.used(0, L4Protocol::udp), 4u);
    ports.release(0, L4Protocol::udp, 2002);
    EXPECT_EQ(ports.used(0, L4Protocol::udp), 3u);
    EXPECT_EQ(ports.allocate(0, L4Protocol::udp, 3001), 2002);
    // Other protocols are separate; a reserved (static) port is never handed out.
    EXPECT_TRUE(ports.reserve(0, L4Protocol::tcp, 1024));
    EXPECT_FALSE(ports.reserve(0, L4Protocol::tcp, 1024));
    EXPECT_NE(ports.allocate(0, L4Protocol::tcp, 1024), 1024);
}

TEST(SessionTableCreate, RejectsAnEmptyPool) {
    auto result = SessionTable::create(SessionTableConfig{});
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("pool4 is empty"), std::string::npos);
}

TEST(SessionTableCreate, RejectsOverlappingPrefixesNamingBoth) {
    auto config = small_config("192.0.2.0/24");
    config.pool4.push_back(Pool4Range{p4("192.0.2.128/25")});
    auto result = SessionTable::create(config);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("pool4[1] 192.0.2.128/25 overlaps pool4[0] 192.0.2.0/24"),
              std::string::npos)
        << result.error().message;
}

TEST(SessionTableCreate, RejectsReservedAddressesAndBackwardRanges) {
    EXPECT_FALSE(SessionTable::create(small_config("127.0.0.0/30")));
    EXPECT_FALSE(SessionTable::create(small_config("224.0.0.0/30")));
    auto config = small_config();
    config.pool4[0].udp_ports = {3000, 2000};
    auto result = SessionTable::create(config);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("udp range 3000-2000"), std::string::npos);
    auto shards = small_config();
    shards.shard_count = 3;
    EXPECT_FALSE(SessionTable::create(shards));
}

TEST(SessionTableCreate, RejectsStaticEntriesOutsidePool4OrItsRange) {
    auto config = small_config("192.0.2.0/30");
    config.static_bib.push_back(
        StaticBinding{L4Protocol::tcp, {a6("2001:db8::5"), 80}, {a4("203.0.113.1"), 8080}});
    auto outside = SessionTable::create(config);
    ASSERT_FALSE(outside);
    EXPECT_NE(outside.error().message.find("static_bib[0] tcp 203.0.113.1:8080"), std::string::npos);
    EXPECT_NE(outside.error().message.find("not in pool4"), std::string::npos);

    config.static_bib[0].ipv4 = {a4("192.0.2.1"), 80};  // pool's tcp range is 1024-65535
    auto range = SessionTable::create(config);
    ASSERT_FALSE(range);
    EXPECT_NE(range.error().message.find("outside pool4's tcp range 1024-65535"), std::string::npos);
}

TEST(SessionTableCreate, RejectsTwoStaticEntriesOnOneTransportAddress) {
    auto config = small_config("192.0.2.0/30");
    config.static_bib.push_back(
        StaticBinding{L4Protocol::tcp, {a6("2001:db8::5"), 80}, {a4("192.0.2.1"), 8080}});
    config.static_bib.push_back(
        StaticBinding{L4Protocol::tcp, {a6("2001:db8::6"), 80}, {a4("192.0.2.1"), 8080}});
    auto result = SessionTable::create(config);
    ASSERT_FALSE(result);
    EXPECT_NE(result.error().message.find("static_bib[1]"), std::string::npos);
    EXPECT_NE(result.error().message.find("static_bib[0]"), std::string::npos);
    // The same IPv4 transport address for different protocols is fine.
    config.static_bib[1].protocol = L4Protocol::udp;
    EXPECT_TRUE(SessionTable::create(config));
}

}  // namespace
}  // namespace sixgate::plat
