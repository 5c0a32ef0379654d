#include "xlat/eam.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mapping_test_util.hpp"

namespace sixgate::xlat {
namespace {

using namespace sixgate::xlat::testing;

EamEntry entry(std::string_view ipv4, std::string_view ipv6) {
    return {p4(ipv4), p6(ipv6)};
}

// The example table of RFC 7757 section 3 (its Table 1).
EamTable rfc7757_table() {
    const std::vector<EamEntry> entries{
        entry("192.0.2.1/32", "2001:db8:aaaa::/128"),
        entry("192.0.2.2/32", "2001:db8:bbbb::b/128"),
        entry("192.0.2.16/28", "2001:db8:cccc::/124"),
        entry("192.0.2.128/26", "2001:db8:dddd::/64"),
        entry("192.0.2.192/29", "2001:db8:eeee:8::/62"),
        entry("192.0.2.224/31", "64:ff9b::/127"),
    };
    auto table = EamTable::create(entries);
    EXPECT_TRUE(table) << (table ? "" : table.error().message);
    return table ? *table : EamTable();
}

struct Pair {
    const char* ipv4;
    const char* ipv6;
};

TEST(EamTable, MapsTheRfcExampleTableInBothDirections) {
    RecordProperty("rfc", "7757 3.2");
    const EamTable table = rfc7757_table();
    for (const Pair& pair : {
             Pair{"192.0.2.1", "2001:db8:aaaa::"},
             Pair{"192.0.2.2", "2001:db8:bbbb::b"},
             Pair{"192.0.2.16", "2001:db8:cccc::"},
             Pair{"192.0.2.24", "2001:db8:cccc::8"},
             Pair{"192.0.2.31", "2001:db8:cccc::f"},
             Pair{"192.0.2.128", "2001:db8:dddd::"},
             Pair{"192.0.2.152", "2001:db8:dddd:0:6000::"},  // suffix 011000 right after the /64
             Pair{"192.0.2.191", "2001:db8:dddd:0:fc00::"},
             Pair{"192.0.2.192", "2001:db8:eeee:8::"},
             Pair{"192.0.2.197", "2001:db8:eeee:a:8000::"},  // suffix 101 across bits 62..64
             Pair{"192.0.2.224", "64:ff9b::"},
             Pair{"192.0.2.225", "64:ff9b::1"},
         }) {
        SCOPED_TRACE(pair.ipv4);
        EXPECT_EQ(table.to_ipv6(v4(pair.ipv4)), v6(pair.ipv6));
        EXPECT_EQ(table.to_ipv4(v6(pair.ipv6)), v4(pair.ipv4));
    }
}

TEST(EamTable, IgnoresIpv6SuffixBitsBeyondTheIpv4Suffix) {
    RecordProperty("rfc", "7757 3.2");
    const EamTable table = rfc7757_table();
    EXPECT_EQ(table.to_ipv4(v6("2001:db8:dddd:0:6000:beef::")), v4("192.0.2.152"));
    EXPECT_EQ(table.to_ipv4(v6("2001:db8:dddd:0:63ff:ffff:ffff:ffff")), v4("192.0.2.152"));
    EXPECT_EQ(table.to_ipv4(v6("2001:db8:eeee:a:bfff::1")), v4("192.0.2.197"));
}

TEST(EamTable, FindsNothingOutsideItsPrefixes) {
    const EamTable table = rfc7757_table();
    EXPECT_FALSE(table.to_ipv6(v4("192.0.2.3")));
    EXPECT_FALSE(table.to_ipv6(v4("192.0.2.32")));
    EXPECT_FALSE(table.to_ipv6(v4("198.51.100.1")));
    EXPECT_FALSE(table.to_ipv4(v6("2001:db8:aaaa::1")));
    EXPECT_FALSE(table.to_ipv4(v6("2001:db8:cccc::10")));
    EXPECT_FALSE(table.to_ipv4(v6("64:ff9b::2")));
    EXPECT_FALSE(EamTable().to_ipv6(v4("192.0.2.1")));
    EXPECT_FALSE(EamTable().to_ipv4(v6("2001:db8:aaaa::")));
}

TEST(EamTable, PicksTheLongestMatchWhenEntriesNest) {
    RecordProperty("rfc", "7757 3.2");
    auto table = EamTable::create(std::vector<EamEntry>{
        entry("192.0.2.0/24", "2001:db8:aaaa::/120"),
        entry("192.0.2.8/29", "2001:db8:bbbb::/125"),
        entry("0.0.0.0/0", "2001:db8:ffff::/96"),
    });
    ASSERT_TRUE(table) << table.error().message;
    EXPECT_EQ(table->to_ipv6(v4("192.0.2.9")), v6("2001:db8:bbbb::1"));
    EXPECT_EQ(table->to_ipv6(v4("192.0.2.7")), v6("2001:db8:aaaa::7"));
    EXPECT_EQ(table->to_ipv6(v4("198.51.100.1")), v6("2001:db8:ffff::c633:6401"));
    // The nesting is asymmetric, as RFC 7757 allows: the /120 still maps its ::9 to .9.
    EXPECT_EQ(table->to_ipv4(v6("2001:db8:aaaa::9")), v4("192.0.2.9"));
    EXPECT_EQ(table->find_ipv4(v4("192.0.2.9"))->ipv4, p4("192.0.2.8/29"));
}

TEST(EamTable, PicksTheLongestIpv6MatchWhenEntriesNest) {
    RecordProperty("rfc", "7757 3.2");
    auto table = EamTable::create(std::vector<EamEntry>{
        entry("198.51.100.0/24", "2001:db8::/120"),
        entry("203.0.113.5/32", "2001:db8::5/128"),
    });
    ASSERT_TRUE(table) << table.error().message;
    EXPECT_EQ(table->to_ipv4(v6("2001:db8::5")), v4("203.0.113.5"));
    EXPECT_EQ(table->to_ipv4(v6("2001:db8::6")), v4("198.51.100.6"));
}

TEST(EamTable, CopiesAFullIpv4AddressAsSuffixAtAnyOffset) {
    auto table = EamTable::create(std::vector<EamEntry>{entry("0.0.0.0/0", "2001:db8:1:2:3::/83")});
    ASSERT_TRUE(table) << table.error().message;
    const net::Ipv6Address mapped = *table->to_ipv6(v4("255.1.128.3"));
    EXPECT_EQ(table->to_ipv4(mapped), v4("255.1.128.3"));
    EXPECT_TRUE(p6("2001:db8:1:2:3::/83").contains(mapped));
    // 83 + 32 = 115: the last 13 bits stay zero.
    EXPECT_EQ(mapped.bytes()[14] & 0x1f, 0);
    EXPECT_EQ(mapped.bytes()[15], 0);
}

TEST(EamTableCreate, RefusesAnIpv4SuffixLongerThanTheIpv6Suffix) {
    RecordProperty("rfc", "7757 3.2");
    auto table = EamTable::create(std::vector<EamEntry>{entry("192.0.2.0/24", "2001:db8::/126")});
    ASSERT_FALSE(table);
    EXPECT_EQ(table.error().message,
              "EAM 192.0.2.0/24 -> 2001:db8::/126: the IPv4 suffix (8 bits) is longer than the "
              "IPv6 suffix "
              "(2 bits), so its bits cannot be carried (RFC 7757 3.2)");
}

TEST(EamTableCreate, RefusesTheSamePrefixInTwoEntries) {
    auto table = EamTable::create(std::vector<EamEntry>{
        entry("192.0.2.0/24", "2001:db8:1::/120"),
        entry("192.0.2.0/24", "2001:db8:2::/120"),
        entry("198.51.100.0/24", "2001:db8:1::/120"),
    });
    ASSERT_FALSE(table);
    const std::string& message = table.error().message;
    EXPECT_NE(
        message.find(
            "EAM 192.0.2.0/24 -> 2001:db8:2::/120: IPv4 prefix 192.0.2.0/24 is already mapped by "
            "EAM 192.0.2.0/24 -> 2001:db8:1::/120"),
        std::string::npos)
        << message;
    EXPECT_NE(
        message.find(
            "EAM 198.51.100.0/24 -> 2001:db8:1::/120: IPv6 prefix 2001:db8:1::/120 is already "
            "mapped"),
        std::string::npos)
        << message;
    EXPECT_NE(message.find('\n'), std::string::npos) << "every problem listed";
}

TEST(EamTableInsert, AddsAnEntryOrLeavesTheTableUnchanged) {
    EamTable table = rfc7757_table();
    ASSERT_TRUE(table.insert(entry("198.51.100.0/24", "2001:db8:ffff::/120")));
    EXPECT_EQ(table.size(), 7u);
    EXPECT_EQ(table.to_ipv6(v4("198.51.100.200")), v6("2001:db8:ffff::c8"));
    auto refused = table.insert(entry("198.51.100.0/24", "2001:db8:ffff::/120"));
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().message,
              "EAM 198.51.100.0/24 -> 2001:db8:ffff::/120: the entry is listed twice");
    EXPECT_EQ(table.size(), 7u);
}

TEST(EamTable, LooksUpThousandsOfEntries) {
    std::vector<EamEntry> entries;
    for (std::uint32_t i = 0; i < 4096; ++i) {
        net::Ipv6Address::Bytes bytes{0x20,           0x01, 0x0d, 0xb8, std::uint8_t(i >> 8),
                                      std::uint8_t(i)};
        // Mixed lengths: /32 <-> /128 and /28 <-> /124 alternate.
        const int length4 = i % 2 ? 32 : 28;
        entries.push_back({net::Ipv4Prefix(net::Ipv4Address(0x0a000000u + (i << 4)), length4),
                           net::Ipv6Prefix(net::Ipv6Address(bytes), 96 + length4)});
    }
    auto table = EamTable::create(entries);
    ASSERT_TRUE(table) << table.error().message;
    for (std::uint32_t i = 0; i < 4096; i += 97) {
        const net::Ipv4Address address(0x0a000000u + (i << 4));
        const auto mapped = table->to_ipv6(address);
        ASSERT_TRUE(mapped) << i;
        EXPECT_EQ(table->to_ipv4(*mapped), address);
    }
}

}  // namespace
}  // namespace sixgate::xlat
