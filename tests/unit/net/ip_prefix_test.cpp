#include "net/ip_prefix.hpp"

#include <gtest/gtest.h>

namespace sixgate::net {
namespace {

TEST(Ipv6PrefixParse, AcceptsACanonicalPrefix) {
    auto prefix = Ipv6Prefix::parse("2002:836b:2:3333::/64");
    ASSERT_TRUE(prefix);
    EXPECT_EQ(prefix->length(), 64);
    EXPECT_EQ(prefix->to_string(), "2002:836b:2:3333::/64");
}

TEST(Ipv6PrefixParse, RejectsHostBitsAndProposesThePrefix) {
    auto prefix = Ipv6Prefix::parse("2001:db8::1/64");
    ASSERT_FALSE(prefix);
    EXPECT_EQ(prefix.error().message, "'2001:db8::1/64' has host bits set; did you mean 2001:db8::/64?");
}

TEST(Ipv6PrefixParse, RejectsLengthOutOfRange) {
    auto prefix = Ipv6Prefix::parse("2001:db8::/129");
    ASSERT_FALSE(prefix);
    EXPECT_EQ(prefix.error().message, "'2001:db8::/129' is not a valid prefix: length 129 is outside 0..128");
}

TEST(Ipv6PrefixParse, RejectsMissingLength) {
    EXPECT_FALSE(Ipv6Prefix::parse("2001:db8::"));
    EXPECT_FALSE(Ipv6Prefix::parse("2001:db8::/"));
    EXPECT_FALSE(Ipv6Prefix::parse("2001:db8::/6x"));
}

TEST(Ipv6Prefix, ContainsAddressesAndLongerPrefixes) {
    auto org = *Ipv6Prefix::parse("2002:836b:2::/48");
    EXPECT_TRUE(org.contains(*Ipv6Address::parse("2002:836b:2:3333::1")));
    EXPECT_FALSE(org.contains(*Ipv6Address::parse("2002:836b:3::1")));
    EXPECT_TRUE(org.contains(*Ipv6Prefix::parse("2002:836b:2:7777::/96")));
    EXPECT_FALSE(org.contains(*Ipv6Prefix::parse("2002::/16")));
}

TEST(Ipv6Prefix, WithHostKeepsThePrefixBits) {
    auto org = *Ipv6Prefix::parse("2002:836b:2:3333::/64");
    EXPECT_EQ(org.with_host(*Ipv6Address::parse("ffff:ffff:ffff:ffff::1")).to_string(), "2002:836b:2:3333::1");
}

TEST(Ipv6Prefix, ClearsHostBitsAtOddLengths) {
    Ipv6Prefix prefix(*Ipv6Address::parse("2001:db8:ffff::"), 37);
    EXPECT_EQ(prefix.to_string(), "2001:db8:f800::/37");
}

TEST(Ipv4PrefixParse, AcceptsAndChecksHostBits) {
    auto prefix = Ipv4Prefix::parse("192.0.2.0/24");
    ASSERT_TRUE(prefix);
    EXPECT_TRUE(prefix->contains(Ipv4Address(192, 0, 2, 255)));
    EXPECT_FALSE(prefix->contains(Ipv4Address(192, 0, 3, 0)));
    auto bad = Ipv4Prefix::parse("192.0.2.1/24");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "'192.0.2.1/24' has host bits set; did you mean 192.0.2.0/24?");
    EXPECT_TRUE(Ipv4Prefix::parse("0.0.0.0/0"));
    EXPECT_FALSE(Ipv4Prefix::parse("1.2.3.4/33"));
}

}  // namespace
}  // namespace sixgate::net
