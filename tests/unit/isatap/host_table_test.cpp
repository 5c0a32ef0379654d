// HostTable: the ISATAP router's hosts, fixed capacity, counts per host and in total.

#include <gtest/gtest.h>

#include "isatap/host_table.hpp"

namespace sixgate::isatap {
namespace {

using Clock = HostTable::Clock;

net::Ipv4Address v4(const char* text) {
    return *net::Ipv4Address::parse(text);
}

TEST(HostTable, TheFirstPacketOfAHostAddsItAndLaterOnesCountOnIt) {
    HostTable table;
    const auto t0 = Clock::now();
    EXPECT_EQ(table.record_in(v4("10.0.0.5"), true, 100, t0), HostTable::Recorded::added);
    EXPECT_EQ(table.record_in(v4("10.0.0.5"), true, 60, t0 + std::chrono::seconds(3)),
              HostTable::Recorded::existing);
    const auto host = table.find(v4("10.0.0.5"));
    ASSERT_TRUE(host);
    EXPECT_TRUE(host->allowed);
    EXPECT_EQ(host->packets_in, 2u);
    EXPECT_EQ(host->bytes_in, 160u);
    EXPECT_EQ(host->first_seen, t0);
    EXPECT_EQ(host->last_seen, t0 + std::chrono::seconds(3));
}

TEST(HostTable, CountsAllowedAndRefusedHosts) {
    HostTable table;
    const auto now = Clock::now();
    (void)table.record_in(v4("10.0.0.5"), true, 1, now);
    (void)table.record_in(v4("10.0.0.6"), true, 1, now);
    (void)table.record_in(v4("192.168.1.9"), false, 1, now);
    const HostTableSummary summary = table.summary();
    EXPECT_EQ(summary.seen, 3u);
    EXPECT_EQ(summary.allowed, 2u);
    EXPECT_EQ(summary.refused, 1u);
    EXPECT_EQ(summary.table_full, 0u);
}

TEST(HostTable, AFullTableCountsNewHostsWithoutStoringThem) {
    HostTable table(3);
    const auto now = Clock::now();
    for (std::uint32_t i = 0; i < 3; ++i)
        EXPECT_EQ(table.record_in(net::Ipv4Address(0x0a000001 + i), true, 1, now),
                  HostTable::Recorded::added);
    EXPECT_EQ(table.record_in(v4("10.9.9.9"), true, 1, now), HostTable::Recorded::full);
    EXPECT_EQ(table.record_in(v4("10.9.9.9"), true, 1, now), HostTable::Recorded::full);
    // Known hosts still count.
    EXPECT_EQ(table.record_in(v4("10.0.0.2"), true, 1, now), HostTable::Recorded::existing);
    EXPECT_EQ(table.summary().seen, 3u);
    EXPECT_EQ(table.summary().table_full, 2u);
    EXPECT_FALSE(table.find(v4("10.9.9.9")));
}

TEST(HostTable, ManyHostsAreAllFoundAgain) {
    HostTable table;
    const auto now = Clock::now();
    for (std::uint32_t i = 0; i < HostTable::kDefaultCapacity; ++i)
        ASSERT_EQ(table.record_in(net::Ipv4Address(0x0a000000 + i * 7), i % 2 == 0, i, now),
                  HostTable::Recorded::added);
    for (std::uint32_t i = 0; i < HostTable::kDefaultCapacity; ++i) {
        const auto host = table.find(net::Ipv4Address(0x0a000000 + i * 7));
        ASSERT_TRUE(host) << i;
        EXPECT_EQ(host->bytes_in, i);
    }
    EXPECT_EQ(table.summary().allowed, HostTable::kDefaultCapacity / 2);
}

TEST(HostTable, PerHostCountersOnlyApplyToKnownHosts) {
    HostTable table;
    const auto address = *net::Ipv6Address::parse("2002:836b:2:8000::5efe:a00:5");
    (void)table.record_in(v4("10.0.0.5"), true, 1, Clock::now());
    table.record_out(v4("10.0.0.5"), 80);
    table.record_out(v4("10.0.0.99"), 80);  // never seen: nothing
    table.record_solicitation(v4("10.0.0.5"));
    table.record_advertisement(v4("10.0.0.5"));
    table.record_dropped(v4("10.0.0.5"));
    table.record_isatap_address(v4("10.0.0.5"), address);
    const auto host = table.find(v4("10.0.0.5"));
    ASSERT_TRUE(host);
    EXPECT_EQ(host->packets_out, 1u);
    EXPECT_EQ(host->bytes_out, 80u);
    EXPECT_EQ(host->solicitations, 1u);
    EXPECT_EQ(host->advertisements, 1u);
    EXPECT_EQ(host->packets_dropped, 1u);
    EXPECT_EQ(host->isatap_address, address);
    EXPECT_FALSE(table.find(v4("10.0.0.99")));
    EXPECT_EQ(table.summary().seen, 1u);
}

TEST(HostTable, TheSnapshotListsTheMostRecentlySeenFirstUpToTheLimit) {
    HostTable table;
    const auto t0 = Clock::now();
    (void)table.record_in(v4("10.0.0.1"), true, 1, t0);
    (void)table.record_in(v4("10.0.0.2"), true, 1, t0 + std::chrono::seconds(2));
    (void)table.record_in(v4("10.0.0.3"), false, 1, t0 + std::chrono::seconds(1));
    const auto two = table.snapshot(2);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[0].ipv4, v4("10.0.0.2"));
    EXPECT_EQ(two[1].ipv4, v4("10.0.0.3"));
    EXPECT_EQ(table.snapshot(10).size(), 3u);
}

}  // namespace
}  // namespace sixgate::isatap
