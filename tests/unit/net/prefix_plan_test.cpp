#include "net/prefix_plan.hpp"

#include <gtest/gtest.h>

namespace sixgate::net {
namespace {

Ipv4Address v4(const char* text) { return *Ipv4Address::parse(text); }
Ipv6Prefix v6(const char* text) { return *Ipv6Prefix::parse(text); }

struct PublicCase {
    const char* ipv4;
    const char* site;
    const char* organization;
    const char* server;
    const char* iphttps;
    const char* teredo;  // "" when Teredo does not apply
    const char* second;
    const char* isatap;
    const char* nat64;
};

void PrintTo(const PublicCase& input, std::ostream* out) { *out << input.ipv4; }

class PrefixPlanForPublicIpv4 : public testing::TestWithParam<PublicCase> {};

TEST_P(PrefixPlanForPublicIpv4, DerivesSixToFourPrefixes) {
    const PublicCase& c = GetParam();
    auto plan = derive_prefix_plan(v4(c.ipv4), std::nullopt);
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_FALSE(plan->behind_nat);
    EXPECT_EQ(plan->site.to_string(), c.site);
    EXPECT_EQ(plan->organization.to_string(), c.organization);
    EXPECT_EQ(plan->server.to_string(), c.server);
    EXPECT_EQ(plan->iphttps.to_string(), c.iphttps);
    EXPECT_EQ(plan->isatap.to_string(), c.isatap);
    EXPECT_EQ(plan->nat64.to_string(), c.nat64);
    if (*c.teredo) {
        ASSERT_TRUE(plan->teredo);
        EXPECT_EQ(plan->teredo->prefix.to_string(), c.teredo);
        EXPECT_EQ(plan->teredo->second_ipv4.to_string(), c.second);
    } else {
        EXPECT_FALSE(plan->teredo);
        EXPECT_NE(plan->teredo_unavailable.find(c.second), std::string::npos) << plan->teredo_unavailable;
    }
}

INSTANTIATE_TEST_SUITE_P(
    Seeds, PrefixPlanForPublicIpv4,
    testing::Values(
        PublicCase{"131.107.0.2", "2002:836b:2::/48", "2002:836b:2:3333::/64", "2002:836b:2:3333::1",
                   "2002:836b:2:1000::/64", "2001:0:836b:2::/64", "131.107.0.3", "2002:836b:2:8000::/64",
                   "2002:836b:2:7777::/96"},
        PublicCase{"1.0.0.1", "2002:100:1::/48", "2002:100:1:3333::/64", "2002:100:1:3333::1",
                   "2002:100:1:1000::/64", "2001:0:100:1::/64", "1.0.0.2", "2002:100:1:8000::/64",
                   "2002:100:1:7777::/96"},
        PublicCase{"223.255.255.254", "2002:dfff:fffe::/48", "2002:dfff:fffe:3333::/64",
                   "2002:dfff:fffe:3333::1", "2002:dfff:fffe:1000::/64", "2001:0:dfff:fffe::/64",
                   "223.255.255.255", "2002:dfff:fffe:8000::/64", "2002:dfff:fffe:7777::/96"},
        // The next address is the broadcast of nothing but still global: Teredo applies.
        PublicCase{"131.107.0.255", "2002:836b:ff::/48", "2002:836b:ff:3333::/64", "2002:836b:ff:3333::1",
                   "2002:836b:ff:1000::/64", "2001:0:836b:ff::/64", "131.107.1.0", "2002:836b:ff:8000::/64",
                   "2002:836b:ff:7777::/96"},
        // Public but the next address is not: no Teredo, and the note names the next address.
        PublicCase{"223.255.255.255", "2002:dfff:ffff::/48", "2002:dfff:ffff:3333::/64",
                   "2002:dfff:ffff:3333::1", "2002:dfff:ffff:1000::/64", "", "224.0.0.0",
                   "2002:dfff:ffff:8000::/64", "2002:dfff:ffff:7777::/96"},
        PublicCase{"100.63.255.255", "2002:643f:ffff::/48", "2002:643f:ffff:3333::/64",
                   "2002:643f:ffff:3333::1", "2002:643f:ffff:1000::/64", "", "100.64.0.0",
                   "2002:643f:ffff:8000::/64", "2002:643f:ffff:7777::/96"},
        PublicCase{"192.0.0.9", "2002:c000:9::/48", "2002:c000:9:3333::/64", "2002:c000:9:3333::1",
                   "2002:c000:9:1000::/64", "2001:0:c000:9::/64", "192.0.0.10", "2002:c000:9:8000::/64",
                   "2002:c000:9:7777::/96"}));

TEST(PrefixPlanBehindNat, UsesTheUlaForEveryPrefix) {
    auto plan = derive_prefix_plan(v4("10.0.0.2"), v6("fd12:3456:789a::/48"));
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_TRUE(plan->behind_nat);
    EXPECT_EQ(plan->scope.rfc, "RFC 1918");
    EXPECT_EQ(plan->organization.to_string(), "fd12:3456:789a:3333::/64");
    EXPECT_EQ(plan->server.to_string(), "fd12:3456:789a:3333::1");
    EXPECT_EQ(plan->iphttps.to_string(), "fd12:3456:789a:1000::/64");
    EXPECT_EQ(plan->nat64.to_string(), "fd12:3456:789a:7777::/96");
    EXPECT_FALSE(plan->teredo);
    EXPECT_EQ(plan->teredo_unavailable, "behind NAT: Teredo needs two consecutive public IPv4 addresses");
}

TEST(PrefixPlanBehindNat, AppliesToEveryNonGlobalRange) {
    for (const char* address : {"10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.1.1",
                                "192.0.2.1", "198.51.100.1", "203.0.113.1", "198.18.0.1", "192.0.0.1"}) {
        EXPECT_TRUE(plan_needs_ula(v4(address))) << address;
        auto plan = derive_prefix_plan(v4(address), v6("fd00:1:2::/48"));
        ASSERT_TRUE(plan) << address;
        EXPECT_TRUE(plan->behind_nat) << address;
    }
}

TEST(PrefixPlanBehindNat, RequiresAUla) {
    auto plan = derive_prefix_plan(v4("192.168.1.1"), std::nullopt);
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().message,
              "192.168.1.1 is not globally reachable (private-use, RFC 1918): the server is behind NAT "
              "and the plan needs a ULA /48");
}

TEST(PrefixPlanBehindNat, RejectsAUlaThatIsNotAnFdSlash48) {
    EXPECT_FALSE(derive_prefix_plan(v4("10.0.0.1"), v6("fd12:3456::/32")));
    auto plan = derive_prefix_plan(v4("10.0.0.1"), v6("fc12:3456:789a::/48"));
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().message, "ULA fc12:3456:789a::/48 must be a /48 in fd00::/8 (RFC 4193 3.1, L bit set)");
}

TEST(PrefixPlan, IgnoresAUlaForAPublicServer) {
    auto plan = derive_prefix_plan(v4("131.107.0.2"), v6("fd12:3456:789a::/48"));
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->site.to_string(), "2002:836b:2::/48");
}

TEST(PrefixPlan, RejectsAddressesThatCannotBeAServers) {
    for (const char* address : {"0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1", "239.1.1.1", "240.0.0.1",
                                "255.255.255.255"}) {
        auto plan = derive_prefix_plan(v4(address), std::nullopt);
        ASSERT_FALSE(plan) << address;
        EXPECT_NE(plan.error().message.find("cannot be a server's address"), std::string::npos);
    }
    EXPECT_EQ(derive_prefix_plan(v4("127.0.0.1"), std::nullopt).error().message,
              "127.0.0.1 cannot be a server's address: it is in 127.0.0.0/8 (loopback, RFC 1122)");
}

TEST(PrefixPlanNames, ResolveToThePlansPrefixes) {
    auto plan = *derive_prefix_plan(v4("131.107.0.2"), std::nullopt);
    EXPECT_EQ(resolve_plan_name(plan, "org")->to_string(), "2002:836b:2:3333::/64");
    EXPECT_EQ(resolve_plan_name(plan, "site")->to_string(), "2002:836b:2::/48");
    EXPECT_EQ(resolve_plan_name(plan, "iphttps")->to_string(), "2002:836b:2:1000::/64");
    EXPECT_EQ(resolve_plan_name(plan, "teredo")->to_string(), "2001:0:836b:2::/64");
    EXPECT_EQ(resolve_plan_name(plan, "isatap")->to_string(), "2002:836b:2:8000::/64");
    EXPECT_EQ(resolve_plan_name(plan, "nat64")->to_string(), "2002:836b:2:7777::/96");
    EXPECT_FALSE(resolve_plan_name(plan, "orgg"));
}

TEST(PrefixPlanNames, TeredoDoesNotApplyBehindNat) {
    auto plan = *derive_prefix_plan(v4("10.0.0.2"), v6("fd12:3456:789a::/48"));
    auto teredo = resolve_plan_name(plan, "teredo");
    ASSERT_FALSE(teredo);
    EXPECT_EQ(teredo.error().message,
              "'teredo' does not apply: behind NAT: Teredo needs two consecutive public IPv4 addresses");
}

TEST(SixToFourAddress, EmbedsTheClientIpv4TwiceAsWindowsDoes) {
    EXPECT_EQ(sixtofour_address(v4("198.51.100.83")).to_string(), "2002:c633:6453::c633:6453");
    EXPECT_EQ(sixtofour_address(v4("131.107.0.2")).to_string(), "2002:836b:2::836b:2");
}

}  // namespace
}  // namespace sixgate::net
