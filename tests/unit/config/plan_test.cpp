// public_ipv4, ula and plan names: each resolution, and each failure at the value's position.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace sixgate::config {
namespace {

using ::testing::ElementsAre;
using testing::errors;
using testing::load;
using testing::warnings;

net::Ipv6Prefix prefix(const char* text) { return *net::Ipv6Prefix::parse(text); }
net::Ipv6Address address(const char* text) { return *net::Ipv6Address::parse(text); }

TEST(ConfigPlan, DerivesThePlanFromAPublicAddress) {
    auto result = load("public_ipv4: 131.107.0.2\n");
    ASSERT_TRUE(result.ok());
    ASSERT_TRUE(result.config.plan);
    EXPECT_EQ(result.config.plan->organization, prefix("2002:836b:2:3333::/64"));
    EXPECT_EQ(result.config.public_ipv4->value, net::Ipv4Address(131, 107, 0, 2));
}

TEST(ConfigPlan, ResolvesPrefixNamesToThePlan) {
    auto result = load(std::string(testing::kPublicRouter) +
                       "      prefixes: [{prefix: org}]\n"
                       "      routes: [{prefix: iphttps}, {prefix: teredo}, {prefix: isatap}, {prefix: site}]\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    const RouterInterface& i = result.config.router.interfaces.at(0);
    EXPECT_EQ(*i.prefixes.at(0).prefix, prefix("2002:836b:2:3333::/64"));
    EXPECT_EQ(i.prefixes.at(0).prefix.origin, Origin::derived);
    EXPECT_EQ(i.prefixes.at(0).prefix.source, "org");
    EXPECT_EQ(*i.routes.at(0).prefix, prefix("2002:836b:2:1000::/64"));
    EXPECT_EQ(*i.routes.at(1).prefix, prefix("2001:0:836b:2::/64"));
    EXPECT_EQ(*i.routes.at(2).prefix, prefix("2002:836b:2:8000::/64"));
    EXPECT_EQ(*i.routes.at(3).prefix, prefix("2002:836b:2::/48"));
}

TEST(ConfigPlan, ResolvesNameSuffixAddresses) {
    auto result = load(std::string(testing::kPublicRouter) + "      rdnss: {servers: [org::1, 'site::53', 2001:db8::1]}\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    const auto& servers = result.config.router.interfaces.at(0).rdnss->servers;
    EXPECT_EQ(*servers.at(0), address("2002:836b:2:3333::1"));
    EXPECT_EQ(servers.at(0).source, "org::1");
    EXPECT_EQ(*servers.at(1), address("2002:836b:2::53"));
    EXPECT_EQ(*servers.at(2), address("2001:db8::1"));
    EXPECT_EQ(servers.at(2).origin, Origin::configured);
}

TEST(ConfigPlan, HexLookingHeadIsALiteralNotAName) {
    auto result = load(std::string(testing::kPublicRouter) + "      rdnss: {servers: ['beef::1']}\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_EQ(*result.config.router.interfaces.at(0).rdnss->servers.at(0), address("beef::1"));
}

TEST(ConfigPlan, SuffixThatDoesNotFitTheHostPartIsAnError) {
    EXPECT_THAT(errors(std::string(testing::kPublicRouter) + "      rdnss: {servers: ['org::1:0:0:0:1']}\n"),
                ElementsAre("t.yaml:5:25: error: router.interfaces[0].rdnss.servers[0]: suffix ::1:0:0:0:1 does "
                            "not fit in the host part of 'org' (2002:836b:2:3333::/64), found 'org::1:0:0:0:1'"));
}

TEST(ConfigPlan, UnknownNameSuggestsThePlanName) {
    EXPECT_THAT(errors(std::string(testing::kPublicRouter) + "      prefixes: [{prefix: ogr}]\n"),
                ElementsAre("t.yaml:5:27: error: router.interfaces[0].prefixes[0].prefix: expected an IPv6 prefix "
                            "or a plan name (site, org, iphttps, teredo, isatap, nat64), found 'ogr' (did you "
                            "mean 'org'?)"));
}

TEST(ConfigPlan, TeredoBehindNatIsAnErrorAtItsValue) {
    EXPECT_THAT(errors("public_ipv4: 10.0.0.2\n"
                       "ula: fd12:3456:789a::/48\n"
                       "router:\n"
                       "  interfaces:\n"
                       "    - name: eth1\n"
                       "      routes:\n"
                       "        - prefix: teredo\n"),
                ElementsAre("t.yaml:7:19: error: router.interfaces[0].routes[0].prefix: 'teredo' does not apply: "
                            "behind NAT: Teredo needs two consecutive public IPv4 addresses"));
}

TEST(ConfigPlan, TeredoWithoutASecondPublicAddressIsAnError) {
    // 131.107.255.255 + 1 = 131.108.0.0 is public, so pick one whose next address is not.
    EXPECT_THAT(errors("public_ipv4: 100.63.255.255\nrouter: {interfaces: [{name: eth1, routes: [{prefix: teredo}]}]}\n"),
                ElementsAre("t.yaml:2:54: error: router.interfaces[0].routes[0].prefix: 'teredo' does not apply: the "
                            "next address 100.64.0.0 is not globally reachable, and Teredo needs two consecutive "
                            "public IPv4 addresses"));
}

TEST(ConfigPlan, PrivateAddressWithoutUlaProposesOne) {
    EXPECT_THAT(errors("public_ipv4: 10.0.0.2\n"),
                ElementsAre("t.yaml:1:14: error: public_ipv4: 10.0.0.2 is not globally reachable (private-use, "
                            "10.0.0.0/8, RFC 1918): the server is behind NAT, so 6to4 does not apply and the prefix "
                            "plan needs a ULA /48 (RFC 4193); pin it: ula: fd11:2233:4455::/48"));
}

TEST(ConfigPlan, DefaultProposalIsAFreshLocalUla) {
    auto result = parse_config("public_ipv4: 10.0.0.2\n", "t.yaml");
    ASSERT_EQ(result.errors.size(), 1u);
    EXPECT_THAT(result.errors[0].message, ::testing::MatchesRegex(".*pin it: ula: fd[0-9a-f]*:[0-9a-f]*:[0-9a-f]*::/48"));
}

TEST(ConfigPlan, MissingUlaIsReportedOnceNotAtEveryUse) {
    EXPECT_EQ(errors("public_ipv4: 10.0.0.2\nrouter: {interfaces: [{name: eth1, routes: [{prefix: org}]}]}\n").size(), 1u);
}

TEST(ConfigPlan, PinnedUlaBuildsThePlanBehindNat) {
    auto result = load("public_ipv4: 10.0.0.2\nula: fd12:3456:789a::/48\n");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config.plan->organization, prefix("fd12:3456:789a:3333::/64"));
    EXPECT_FALSE(result.config.plan->teredo);
}

TEST(ConfigPlan, UlaThatIsNotA48IsAnErrorAtTheUla) {
    EXPECT_THAT(errors("public_ipv4: 10.0.0.2\nula: fd12:3456::/32\n"),
                ElementsAre("t.yaml:2:6: error: ula: must be a /48 in fd00::/8 (RFC 4193 3.1: L bit set, then a "
                            "40-bit Global ID), found fd12:3456::/32"));
}

TEST(ConfigPlan, UlaOutsideFd00IsAnError) {
    EXPECT_THAT(errors("ula: fc00:1:2::/48\n"),
                ElementsAre("t.yaml:1:6: error: ula: must be a /48 in fd00::/8 (RFC 4193 3.1: L bit set, then a "
                            "40-bit Global ID), found fc00:1:2::/48"));
}

TEST(ConfigPlan, UlaWithAPublicAddressIsAWarning) {
    EXPECT_THAT(warnings("public_ipv4: 131.107.0.2\nula: fd12:3456:789a::/48\n"),
                ElementsAre("t.yaml:2:6: warning: ula: not used: public_ipv4 131.107.0.2 is globally reachable, so "
                            "the plan uses its 6to4 prefix (RFC 3056)"));
}

TEST(ConfigPlan, LoopbackPublicAddressIsAnError) {
    EXPECT_THAT(errors("public_ipv4: 127.0.0.1\n"),
                ElementsAre("t.yaml:1:14: error: public_ipv4: expected a unicast IPv4 address a server can own, found "
                            "127.0.0.1 (loopback, 127.0.0.0/8, RFC 1122)"));
}

TEST(ConfigPlan, MalformedPublicAddressIsATypeError) {
    const auto found = errors("public_ipv4: 131.107.0\n");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_THAT(found[0], ::testing::StartsWith("t.yaml:1:14: error: public_ipv4: expected an IPv4 address, found '131.107.0'"));
}

TEST(ConfigPlan, NameWithoutPublicAddressIsAnErrorAtTheName) {
    EXPECT_THAT(errors("router:\n  server_address: 2001:db8::1/64\n  interfaces:\n    - name: eth1\n      prefixes: [{prefix: org}]\n"),
                ElementsAre("t.yaml:5:27: error: router.interfaces[0].prefixes[0].prefix: needs public_ipv4 to "
                            "resolve 'org' (plan names come from the prefix plan of public_ipv4); set public_ipv4 "
                            "or write a literal"));
}

TEST(ConfigPlan, DefaultFromThePlanWithoutPublicAddressIsAnErrorAtTheMap) {
    EXPECT_THAT(errors("router:\n  server_address: 2001:db8::1/64\n  interfaces:\n    - name: eth1\n"),
                ElementsAre("t.yaml:4:7: error: router.interfaces[0].prefixes: the default 'org' needs public_ipv4 to "
                            "resolve 'org'; set public_ipv4 or give router.interfaces[0].prefixes a literal value"));
}

TEST(ConfigPlan, LiteralsNeedNoPublicAddress) {
    auto result = load("router:\n  server_address: 2001:db8::1/64\n  interfaces:\n    - name: eth1\n"
                       "      prefixes: [{prefix: 2001:db8::/64}]\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_TRUE(result.config.router.interfaces.at(0).routes.empty());
    EXPECT_FALSE(*result.config.router.interfaces.at(0).pref64.enabled);
}

TEST(ConfigPlan, FromInterfaceUsesTheResolver) {
    auto result = load("public_ipv4: {from_interface: wan0}\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_EQ(result.config.public_ipv4->value, net::Ipv4Address(131, 107, 0, 2));
    EXPECT_EQ(result.config.public_ipv4->source, "from_interface: wan0");
}

TEST(ConfigPlan, FromInterfaceFailureIsAnErrorAtTheInterfaceName) {
    EXPECT_THAT(errors("public_ipv4: {from_interface: eth9}\n"),
                ElementsAre("t.yaml:1:31: error: public_ipv4.from_interface: cannot read the IPv4 address of 'eth9': "
                            "no interface named 'eth9'"));
}

TEST(ConfigPlan, FromInterfaceWithAPrivateAddressStillNeedsAUla) {
    const auto found = errors("public_ipv4:\n  from_interface: lan0\n");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_THAT(found[0], ::testing::HasSubstr("pin it: ula: fd11:2233:4455::/48"));
}

TEST(ConfigPlan, FromInterfaceMisspeltSuggestsTheKey) {
    EXPECT_THAT(errors("public_ipv4: {from_interfce: eth0}\n"),
                ElementsAre("t.yaml:1:14: error: public_ipv4: expected an IPv4 address or {from_interface: NAME}, "
                            "found an empty map",
                            "t.yaml:1:15: error: public_ipv4.from_interfce: unknown key 'from_interfce' (did you mean "
                            "'from_interface'?)"));
}

TEST(ConfigPlan, PlanBlockThatMatchesIsAccepted) {
    EXPECT_TRUE(load("public_ipv4: 131.107.0.2\nplan: {org: '2002:836b:2:3333::/64'}\n").ok());
}

TEST(ConfigPlan, PlanBlockThatDisagreesIsAnError) {
    EXPECT_THAT(errors("public_ipv4: 131.107.0.3\nplan: {org: '2002:836b:2:3333::/64'}\n"),
                ElementsAre("t.yaml:2:13: error: plan.org: the plan block is output only and must match the plan "
                            "derived from public_ipv4: expected '2002:836b:3:3333::/64', found "
                            "'2002:836b:2:3333::/64'"));
}

}  // namespace
}  // namespace sixgate::config
