#include "xlat/rfc6791_pool.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "mapping_test_util.hpp"

namespace sixgate::xlat {
namespace {

using namespace sixgate::xlat::testing;

Rfc6791Pool make(std::vector<net::Ipv4Prefix> prefixes) {
    auto pool = Rfc6791Pool::create(prefixes);
    EXPECT_TRUE(pool) << (pool ? "" : pool.error().message);
    return pool ? *pool : Rfc6791Pool();
}

TEST(Rfc6791Pool, PicksStayInsideThePool) {
    RecordProperty("rfc", "6791 4");
    const auto pool = make({p4("192.0.2.0/29"), p4("198.51.100.64/30"), p4("203.0.113.77/32")});
    EXPECT_EQ(pool.size(), 13u);
    for (std::uint32_t hash = 0; hash < 20000; ++hash) {
        const net::Ipv4Address picked = pool.pick(hash * 2654435761u);
        ASSERT_TRUE(pool.contains(picked)) << picked.to_string();
    }
}

TEST(Rfc6791Pool, SpreadsPicksEvenlyOverEveryAddress) {
    RecordProperty("rfc", "6791 4");
    const auto pool = make({p4("192.0.2.0/29"), p4("198.51.100.64/30")});
    std::map<net::Ipv4Address, int> counts;
    // Consecutive hashes, the worst case for a plain modulo.
    for (std::uint32_t hash = 0; hash < 12000; ++hash) ++counts[pool.pick(hash)];
    ASSERT_EQ(counts.size(), 12u);
    for (const auto& [address, count] : counts) {
        EXPECT_GT(count, 800) << address.to_string();
        EXPECT_LT(count, 1200) << address.to_string();
    }
}

TEST(Rfc6791Pool, GivesTheSameAddressForTheSameHash) {
    const auto pool = make({p4("192.0.2.0/24")});
    for (std::uint32_t hash : {0u, 1u, 0xdeadbeefu, 0xffffffffu})
        EXPECT_EQ(pool.pick(hash), pool.pick(hash));
}

TEST(Rfc6791Pool, CoversASingleAddressAndTheWholeUnicastSpaceEdges) {
    const auto single = make({p4("203.0.113.1/32")});
    for (std::uint32_t hash : {0u, 7u, 0xffffffffu})
        EXPECT_EQ(single.pick(hash), v4("203.0.113.1"));
    const auto wide = make({p4("1.0.0.0/8"), p4("128.0.0.0/2")});
    EXPECT_EQ(wide.size(), (1ull << 24) + (1ull << 30));
    for (std::uint32_t hash = 0; hash < 1000; ++hash)
        ASSERT_TRUE(wide.contains(wide.pick(hash * 40503u)));
}

TEST(Rfc6791Pool, IsEmptyByDefault) {
    const Rfc6791Pool pool;
    EXPECT_TRUE(pool.empty());
    EXPECT_EQ(pool.size(), 0u);
    EXPECT_EQ(pool.pick(42), net::Ipv4Address());
    EXPECT_TRUE(Rfc6791Pool::create({}));
}

TEST(Rfc6791PoolCreate, RefusesOverlappingPrefixes) {
    auto pool = Rfc6791Pool::create(std::vector{p4("192.0.2.0/24"), p4("192.0.2.128/25")});
    ASSERT_FALSE(pool);
    EXPECT_EQ(pool.error().message,
              "rfc6791 pool prefixes 192.0.2.0/24 and 192.0.2.128/25 overlap; list each "
              "address once");
    EXPECT_FALSE(Rfc6791Pool::create(std::vector{p4("192.0.2.1/32"), p4("192.0.2.1/32")}));
}

TEST(Rfc6791PoolCreate, RefusesAddressesThatCanNeverBeASource) {
    for (const char* text : {"127.0.0.0/8", "120.0.0.0/5", "224.0.0.0/4", "192.0.0.0/2",
                             "0.0.0.0/0", "0.0.0.0/8", "255.255.255.255/32", "240.0.0.0/4"}) {
        auto pool = Rfc6791Pool::create(std::vector{p4(text)});
        ASSERT_FALSE(pool) << text;
        EXPECT_NE(pool.error().message.find("can never be the source of an ICMP error"),
                  std::string::npos)
            << pool.error().message;
    }
    auto loopback = Rfc6791Pool::create(std::vector{p4("127.0.0.0/8")});
    ASSERT_FALSE(loopback);
    EXPECT_EQ(loopback.error().message,
              "rfc6791 pool prefix 127.0.0.0/8 reaches into 127.0.0.0/8 (loopback, "
              "RFC 1122), which can never be the source of an ICMP error");
}

TEST(Rfc6791PoolCreate, AcceptsPrivateAndSharedSpace) {
    EXPECT_TRUE(Rfc6791Pool::create(
        std::vector{p4("10.0.0.0/8"), p4("100.64.0.0/10"), p4("192.0.0.8/32")}));
}

}  // namespace
}  // namespace sixgate::xlat
