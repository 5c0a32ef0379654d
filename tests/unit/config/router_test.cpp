// The router section: RA timing bounds (RFC 4861, 8319), defaults (RFC 9096), options
// (RFC 4191, 8106, 8781) and kernel routes.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace sixgate::config {
namespace {

using ::testing::ElementsAre;
using testing::errors;
using testing::load;
using testing::warnings;

std::string with(const std::string& keys) { return std::string(testing::kPublicRouter) + keys; }
net::Ipv6Prefix prefix(const char* text) { return *net::Ipv6Prefix::parse(text); }

RouterInterface interface_of(const std::string& text) {
    auto result = load(text);
    EXPECT_TRUE(result.ok()) << to_string(result.errors);
    return result.ok() ? result.config.router.interfaces.at(0) : RouterInterface{};
}

TEST(ConfigRouter, RejectsMaxIntervalBelowFour) {
    EXPECT_THAT(errors(with("      max_rtr_adv_interval: 3\n")),
                ElementsAre("t.yaml:5:29: error: router.interfaces[0].max_rtr_adv_interval: must be 4..65535 s (RFC "
                            "4861 6.2.1, as updated by RFC 8319), found 3"));
}

TEST(ConfigRouter, RejectsMaxIntervalAbove65535) {
    EXPECT_THAT(errors(with("      max_rtr_adv_interval: 65536\n")),
                ElementsAre("t.yaml:5:29: error: router.interfaces[0].max_rtr_adv_interval: must be 4..65535 s (RFC "
                            "4861 6.2.1, as updated by RFC 8319), found 65536"));
}

TEST(ConfigRouter, AcceptsMaxIntervalUpTo65535AfterRfc8319) {
    EXPECT_EQ(*interface_of(with("      max_rtr_adv_interval: 65535\n")).max_rtr_adv_interval, 65535u);
}

TEST(ConfigRouter, RejectsMinIntervalAboveThreeQuartersOfMax) {
    EXPECT_THAT(errors(with("      max_rtr_adv_interval: 600\n      min_rtr_adv_interval: 451\n")),
                ElementsAre("t.yaml:6:29: error: router.interfaces[0].min_rtr_adv_interval: must be 3..450 s (RFC "
                            "4861 6.2.1: 3 s to 0.75 * max_rtr_adv_interval), found 451"));
}

TEST(ConfigRouter, RejectsMinIntervalBelowThree) {
    EXPECT_THAT(errors(with("      min_rtr_adv_interval: 2\n")),
                ElementsAre("t.yaml:5:29: error: router.interfaces[0].min_rtr_adv_interval: must be 3..450 s (RFC "
                            "4861 6.2.1: 3 s to 0.75 * max_rtr_adv_interval), found 2"));
}

TEST(ConfigRouter, MinIntervalIsNotCheckedAgainstAnInvalidMax) {
    EXPECT_EQ(errors(with("      max_rtr_adv_interval: 2\n      min_rtr_adv_interval: 100\n")).size(), 1u);
}

TEST(ConfigRouter, MinIntervalDefaultsToAThirdOfMax) {
    const RouterInterface i = interface_of(with("      max_rtr_adv_interval: 600\n"));
    EXPECT_EQ(*i.min_rtr_adv_interval, 198u);
    EXPECT_EQ(i.min_rtr_adv_interval.origin, Origin::derived);
}

TEST(ConfigRouter, MinIntervalDefaultStaysWithinItsOwnBoundForSmallMax) {
    EXPECT_EQ(*interface_of(with("      max_rtr_adv_interval: 4\n")).min_rtr_adv_interval, 3u);
    EXPECT_EQ(*interface_of(with("      max_rtr_adv_interval: 9\n")).min_rtr_adv_interval, 3u);
}

TEST(ConfigRouter, RejectsRouterLifetimeBetweenZeroAndMax) {
    EXPECT_THAT(errors(with("      router_lifetime: 300\n")),
                ElementsAre("t.yaml:5:24: error: router.interfaces[0].router_lifetime: must be 0 or 600..65535 s "
                            "(RFC 4861 6.2.1, as updated by RFC 8319: 0 or max_rtr_adv_interval ..65535), found 300"));
}

TEST(ConfigRouter, AcceptsRouterLifetimeUpTo65535) {
    EXPECT_EQ(*interface_of(with("      router_lifetime: 65535\n")).router_lifetime, 65535u);
}

TEST(ConfigRouter, NonMediumPreferenceWithZeroLifetimeIsAWarning) {
    const std::string text = with("      router_preference: high\n");
    EXPECT_TRUE(errors(text).empty());
    EXPECT_THAT(warnings(text),
                ElementsAre("t.yaml:5:26: warning: router.interfaces[0].router_preference: sent as medium: "
                            "router_lifetime is 0, and a router that is not a default router sends preference "
                            "medium (RFC 4191 2.2)"));
}

TEST(ConfigRouter, HighPreferenceWithALifetimeIsQuiet) {
    EXPECT_TRUE(warnings(with("      router_lifetime: 1800\n      router_preference: high\n")).empty());
}

TEST(ConfigRouter, RejectsReachableTimeAboveOneHour) {
    EXPECT_THAT(errors(with("      reachable_time: 3600001\n")),
                ElementsAre("t.yaml:5:23: error: router.interfaces[0].reachable_time: must be 0..3600000 ms (RFC "
                            "4861 6.2.1), found 3600001"));
}

TEST(ConfigRouter, RejectsLinkMtuBelow1280) {
    EXPECT_THAT(errors(with("      link_mtu: 1000\n")),
                ElementsAre("t.yaml:5:17: error: router.interfaces[0].link_mtu: must be 1280..65535 bytes (RFC 8200 "
                            "5), found 1000"));
}

TEST(ConfigRouter, RejectsCurHopLimitAbove255) {
    EXPECT_THAT(errors(with("      cur_hop_limit: 256\n")),
                ElementsAre("t.yaml:5:22: error: router.interfaces[0].cur_hop_limit: must be 0..255 (RFC 4861 4.2: 8 "
                            "bits, 0 = unspecified), found 256"));
}

TEST(ConfigRouter, RejectsUnicastReplyLimitZero) {
    EXPECT_THAT(errors(with("      unicast_reply_limit: 0\n")),
                ElementsAre("t.yaml:5:28: error: router.interfaces[0].unicast_reply_limit: must be 1..1000 replies "
                            "per second, found 0"));
}

TEST(ConfigRouter, RejectsBadInterfaceName) {
    EXPECT_THAT(errors("public_ipv4: 131.107.0.2\nrouter: {interfaces: [{name: averyveryverylongname}]}\n"),
                ElementsAre("t.yaml:2:30: error: router.interfaces[0].name: expected a Linux interface name (1..15 "
                            "characters, not '.' or '..', no '/', ':' or whitespace), found 'averyveryverylongname'"));
}

TEST(ConfigRouter, RejectsDuplicateInterfaceNames) {
    EXPECT_THAT(errors("public_ipv4: 131.107.0.2\nrouter:\n  interfaces:\n    - name: eth1\n    - name: eth1\n"),
                ElementsAre("t.yaml:5:13: error: router.interfaces[1].name: interface 'eth1' is already configured in "
                            "router.interfaces[0]"));
}

TEST(ConfigRouter, RequiresInterfaceName) {
    EXPECT_THAT(errors("public_ipv4: 131.107.0.2\nrouter:\n  interfaces:\n    - managed: true\n"),
                ElementsAre("t.yaml:4:7: error: router.interfaces[0].name: required: expected the interface name to "
                            "advertise on"));
}

TEST(ConfigRouter, RequiresInterfacesWhenEnabled) {
    EXPECT_THAT(errors("public_ipv4: 131.107.0.2\nrouter:\n"),
                ElementsAre("t.yaml:2:1: error: router.interfaces: required when the router is enabled: expected a "
                            "list of interfaces to advertise on"));
}

TEST(ConfigRouter, DisabledRouterNeedsNoInterfaces) {
    auto result = load("router: {enabled: false}\n");
    EXPECT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_FALSE(*result.config.router.enabled);
}

TEST(ConfigRouter, AbsentRouterIsDisabled) {
    auto result = load("public_ipv4: 131.107.0.2\n");
    ASSERT_TRUE(result.ok());
    EXPECT_FALSE(*result.config.router.enabled);
    EXPECT_EQ(result.config.router.enabled.origin, Origin::defaulted);
}

TEST(ConfigRouter, DefaultsFollowRfc4861AndRfc9096) {
    auto result = load(with(""));
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    const RouterConfig& router = result.config.router;
    EXPECT_TRUE(*router.enabled);
    EXPECT_TRUE(*router.forwarding);
    EXPECT_EQ(router.server_address->value().to_string(), "2002:836b:2:3333::1/64");
    const RouterInterface& i = router.interfaces.at(0);
    EXPECT_EQ(*i.max_rtr_adv_interval, 600u);
    EXPECT_EQ(*i.min_rtr_adv_interval, 198u);
    EXPECT_EQ(*i.router_lifetime, 0u);
    EXPECT_EQ(*i.router_preference, RouterPreference::medium);
    EXPECT_EQ(*i.cur_hop_limit, 64u);
    EXPECT_FALSE(*i.managed);
    EXPECT_FALSE(*i.other_config);
    EXPECT_EQ(*i.reachable_time, 0u);
    EXPECT_EQ(*i.retrans_timer, 0u);
    EXPECT_FALSE(*i.link_mtu);
    EXPECT_TRUE(*i.source_link_address);
    EXPECT_FALSE(*i.unicast_solicited_replies);
    EXPECT_EQ(*i.unicast_reply_limit, 10u);
    ASSERT_EQ(i.prefixes.size(), 1u);
    EXPECT_EQ(*i.prefixes[0].prefix, prefix("2002:836b:2:3333::/64"));
    EXPECT_TRUE(*i.prefixes[0].on_link);
    EXPECT_TRUE(*i.prefixes[0].autonomous);
    // RFC 9096 3.3: 90 and 45 minutes.
    EXPECT_EQ(*i.prefixes[0].valid_lifetime, 5400u);
    EXPECT_EQ(*i.prefixes[0].preferred_lifetime, 2700u);
    EXPECT_EQ(i.prefixes[0].valid_lifetime.origin, Origin::defaulted);
}

TEST(ConfigRouter, DefaultRoutesAreIphttpsTeredoAndNat64WhenPublic) {
    const RouterInterface i = interface_of(with(""));
    ASSERT_EQ(i.routes.size(), 3u);
    EXPECT_EQ(*i.routes[0].prefix, prefix("2002:836b:2:1000::/64"));
    EXPECT_EQ(*i.routes[1].prefix, prefix("2001:0:836b:2::/64"));
    EXPECT_EQ(*i.routes[2].prefix, prefix("2002:836b:2:7777::/96"));
    EXPECT_EQ(i.routes[2].prefix.source, "pref64");
    EXPECT_EQ(*i.routes[0].lifetime, 1800u);  // 3 * max_rtr_adv_interval
    EXPECT_EQ(*i.routes[0].preference, RouterPreference::medium);
}

TEST(ConfigRouter, DefaultRoutesBehindNatLeaveTeredoOut) {
    const RouterInterface i = interface_of(
        "public_ipv4: 10.0.0.2\nula: fd12:3456:789a::/48\nrouter: {interfaces: [{name: eth1}]}\n");
    ASSERT_EQ(i.routes.size(), 2u);
    EXPECT_EQ(*i.routes[0].prefix, prefix("fd12:3456:789a:1000::/64"));
    EXPECT_EQ(*i.routes[1].prefix, prefix("fd12:3456:789a:7777::/96"));
}

TEST(ConfigRouter, Nat64RouteIsAddedToExplicitRoutes) {
    const RouterInterface i = interface_of(with("      routes: [{prefix: iphttps, lifetime: 600}]\n"));
    ASSERT_EQ(i.routes.size(), 2u);
    EXPECT_EQ(*i.routes[0].lifetime, 600u);
    EXPECT_EQ(*i.routes[1].prefix, prefix("2002:836b:2:7777::/96"));
}

TEST(ConfigRouter, Nat64RouteIsNotAddedTwice) {
    const RouterInterface i = interface_of(with("      routes: [{prefix: nat64, preference: high}]\n"));
    ASSERT_EQ(i.routes.size(), 1u);
    EXPECT_EQ(*i.routes[0].preference, RouterPreference::high);
}

TEST(ConfigRouter, Nat64RouteFollowsALiteralPref64) {
    const RouterInterface i = interface_of(with("      routes: []\n      pref64: {prefix: '64:ff9b::/96'}\n"));
    ASSERT_EQ(i.routes.size(), 1u);
    EXPECT_EQ(*i.routes[0].prefix, prefix("64:ff9b::/96"));
}

TEST(ConfigRouter, NoNat64RouteWhenPref64IsOff) {
    const RouterInterface i = interface_of(with("      routes: []\n      pref64: off\n"));
    EXPECT_TRUE(i.routes.empty());
    EXPECT_FALSE(*i.pref64.enabled);
}

TEST(ConfigRouter, ValidLifetimeAcceptsInfinity) {
    const RouterInterface i =
        interface_of(with("      prefixes: [{prefix: org, valid_lifetime: infinity, preferred_lifetime: infinity}]\n"));
    EXPECT_EQ(*i.prefixes[0].valid_lifetime, kInfiniteLifetime);
    EXPECT_EQ(*i.prefixes[0].preferred_lifetime, kInfiniteLifetime);
}

TEST(ConfigRouter, ValidLifetimeAcceptsAllOnes) {
    EXPECT_EQ(*interface_of(with("      prefixes: [{prefix: org, valid_lifetime: 4294967295}]\n")).prefixes[0].valid_lifetime,
              kInfiniteLifetime);
}

TEST(ConfigRouter, RejectsPreferredLifetimeAboveValid) {
    EXPECT_THAT(errors(with("      prefixes:\n        - prefix: org\n          valid_lifetime: 100\n"
                            "          preferred_lifetime: 200\n")),
                ElementsAre("t.yaml:8:31: error: router.interfaces[0].prefixes[0].preferred_lifetime: "
                            "preferred_lifetime must be at most valid_lifetime (RFC 4861 4.6.2), found preferred "
                            "200 s > valid 100 s"));
}

TEST(ConfigRouter, RejectsValidLifetimeBelowTheDefaultPreferred) {
    EXPECT_THAT(errors(with("      prefixes: [{prefix: org, valid_lifetime: 600}]\n")),
                ElementsAre("t.yaml:5:48: error: router.interfaces[0].prefixes[0].valid_lifetime: preferred_lifetime "
                            "must be at most valid_lifetime (RFC 4861 4.6.2), found preferred 2700 s > valid 600 s"));
}

TEST(ConfigRouter, RejectsNegativeLifetime) {
    EXPECT_THAT(errors(with("      prefixes: [{prefix: org, valid_lifetime: -1}]\n")),
                ElementsAre("t.yaml:5:48: error: router.interfaces[0].prefixes[0].valid_lifetime: must be at least 0 "
                            "s, found -1"));
}

TEST(ConfigRouter, RejectsWordLifetime) {
    EXPECT_THAT(errors(with("      prefixes: [{prefix: org, valid_lifetime: forever}]\n")),
                ElementsAre("t.yaml:5:48: error: router.interfaces[0].prefixes[0].valid_lifetime: expected a number "
                            "of seconds or infinity, found 'forever'"));
}

TEST(ConfigRouter, NonSlash64AutonomousPrefixIsAWarning) {
    const std::string text = with("      prefixes: [{prefix: '2001:db8::/48'}]\n");
    EXPECT_TRUE(errors(text).empty());
    EXPECT_THAT(warnings(text),
                ElementsAre("t.yaml:5:27: warning: router.interfaces[0].prefixes[0].prefix: autonomous is true but "
                            "2001:db8::/48 is not a /64: hosts will not form SLAAC addresses from it (RFC 4862 5.5.3)"));
}

TEST(ConfigRouter, NonSlash64OnLinkOnlyPrefixIsQuiet) {
    EXPECT_TRUE(warnings(with("      prefixes: [{prefix: '2001:db8::/48', autonomous: false}]\n")).empty());
}

TEST(ConfigRouter, RequiresPrefixInAPrefixEntry) {
    EXPECT_THAT(errors(with("      prefixes:\n        - on_link: true\n")),
                ElementsAre("t.yaml:6:11: error: router.interfaces[0].prefixes[0].prefix: required: expected an IPv6 "
                            "prefix or a plan name"));
}

TEST(ConfigRouter, RejectsPrefixWithHostBits) {
    EXPECT_THAT(errors(with("      prefixes: [{prefix: '2001:db8::1/64'}]\n")),
                ElementsAre("t.yaml:5:27: error: router.interfaces[0].prefixes[0].prefix: expected an IPv6 prefix, "
                            "found '2001:db8::1/64': '2001:db8::1/64' has host bits set; did you mean 2001:db8::/64?"));
}

TEST(ConfigRouter, RejectsBadRoutePreference) {
    EXPECT_THAT(errors(with("      routes: [{prefix: iphttps, preference: hihg}]\n")),
                ElementsAre("t.yaml:5:46: error: router.interfaces[0].routes[0].preference: expected one of low, "
                            "medium or high, found 'hihg' (did you mean 'high'?)"));
}

TEST(ConfigRouter, RdnssLifetimeDefaultsToThreeTimesMax) {
    const RouterInterface i = interface_of(with("      max_rtr_adv_interval: 100\n      rdnss: {servers: [org::1]}\n"));
    EXPECT_EQ(*i.rdnss->lifetime, 300u);
    EXPECT_EQ(i.rdnss->lifetime.origin, Origin::derived);
}

TEST(ConfigRouter, RejectsEmptyRdnssServers) {
    EXPECT_THAT(errors(with("      rdnss: {servers: []}\n")),
                ElementsAre("t.yaml:5:24: error: router.interfaces[0].rdnss.servers: expected at least one server "
                            "address (RFC 8106 5.1), found an empty list"));
}

TEST(ConfigRouter, RejectsMulticastRdnssServer) {
    EXPECT_THAT(errors(with("      rdnss: {servers: ['ff02::1']}\n")),
                ElementsAre("t.yaml:5:25: error: router.interfaces[0].rdnss.servers[0]: expected a unicast DNS server "
                            "address (RFC 8106 5.1), found ff02::1"));
}

TEST(ConfigRouter, RejectsUnspecifiedRdnssServer) {
    EXPECT_THAT(errors(with("      rdnss: {servers: ['::']}\n")),
                ElementsAre("t.yaml:5:25: error: router.interfaces[0].rdnss.servers[0]: expected a unicast DNS server "
                            "address (RFC 8106 5.1), found ::"));
}

TEST(ConfigRouter, RejectsBadDnsslDomain) {
    EXPECT_THAT(errors(with("      dnssl: {domains: [corp.example, 'bad..name']}\n")),
                ElementsAre("t.yaml:5:39: error: router.interfaces[0].dnssl.domains[1]: expected a DNS name (labels "
                            "of 1..63 letters, digits or inner hyphens, at most 253 characters; RFC 1035 2.3.4), "
                            "found 'bad..name'"));
}

TEST(ConfigRouter, RejectsDnsslLabelOver63) {
    EXPECT_EQ(errors(with("      dnssl: {domains: [" + std::string(64, 'a') + ".example]}\n")).size(), 1u);
    EXPECT_TRUE(errors(with("      dnssl: {domains: [" + std::string(63, 'a') + ".example]}\n")).empty());
}

TEST(ConfigRouter, Pref64DefaultsToThePlanNat64) {
    const RouterInterface i = interface_of(with(""));
    EXPECT_TRUE(*i.pref64.enabled);
    EXPECT_EQ(*i.pref64.prefix, prefix("2002:836b:2:7777::/96"));
    EXPECT_EQ(*i.pref64.lifetime, 1800u);
}

TEST(ConfigRouter, Pref64LifetimeIsRoundedUpToEightWithAWarning) {
    const std::string text = with("      pref64: {prefix: nat64, lifetime: 1801}\n");
    EXPECT_EQ(*interface_of(text).pref64.lifetime, 1808u);
    EXPECT_THAT(warnings(text),
                ElementsAre("t.yaml:5:41: warning: router.interfaces[0].pref64.lifetime: rounded up to 1808 s: RFC "
                            "8781 4 carries the lifetime in units of 8 s, found 1801"));
}

TEST(ConfigRouter, Pref64DefaultLifetimeIsRoundedUp) {
    EXPECT_EQ(*interface_of(with("      max_rtr_adv_interval: 601\n")).pref64.lifetime, 1808u);
}

TEST(ConfigRouter, Pref64DefaultLifetimeIsCappedAt65528) {
    EXPECT_EQ(*interface_of(with("      max_rtr_adv_interval: 30000\n")).pref64.lifetime, 65528u);
}

TEST(ConfigRouter, RejectsPref64LifetimeAbove65528) {
    EXPECT_THAT(errors(with("      pref64: {lifetime: 65529}\n")),
                ElementsAre("t.yaml:5:26: error: router.interfaces[0].pref64.lifetime: must be 0..65528 s (RFC 8781 4: "
                            "13 bits in units of 8 s), found 65529"));
}

TEST(ConfigRouter, RejectsPref64PrefixLengthOutsideRfc6052) {
    EXPECT_THAT(errors(with("      pref64: {prefix: '64:ff9b::/80'}\n")),
                ElementsAre("t.yaml:5:24: error: router.interfaces[0].pref64.prefix: prefix length must be 32, 40, 48, "
                            "56, 64 or 96 (RFC 8781 4, RFC 6052 2.2), found 64:ff9b::/80"));
}

TEST(ConfigRouter, RejectsPref64Word) {
    EXPECT_THAT(errors(with("      pref64: on\n")),
                ElementsAre("t.yaml:5:15: error: router.interfaces[0].pref64: expected a map {prefix, lifetime} or off, "
                            "found 'on'"));
}

TEST(ConfigRouter, ServerAddressTakesANameSuffixAndLength) {
    auto result = load(with("") + "  server_address: org::2/64\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_EQ(result.config.router.server_address->value().to_string(), "2002:836b:2:3333::2/64");
}

TEST(ConfigRouter, RejectsServerAddressWithoutLength) {
    EXPECT_THAT(errors(with("") + "  server_address: org::2\n"),
                ElementsAre("t.yaml:5:19: error: router.server_address: expected ADDRESS/LENGTH with a length 0..128 "
                            "(e.g. org::1/64), found 'org::2'"));
}

TEST(ConfigRouter, KernelRouteNeedsViaOrDev) {
    EXPECT_THAT(errors(with("") + "  routes:\n    - prefix: iphttps\n"),
                ElementsAre("t.yaml:6:7: error: router.routes[0]: expected at least one of via or dev, found neither"));
}

TEST(ConfigRouter, KernelRouteWithLinkLocalViaNeedsDev) {
    EXPECT_THAT(errors(with("") + "  routes:\n    - {prefix: iphttps, via: 'fe80::2'}\n"),
                ElementsAre("t.yaml:6:30: error: router.routes[0].via: next hop fe80::2 is link-local (RFC 4291 "
                            "2.5.6): dev is needed to say which link"));
}

TEST(ConfigRouter, KernelRouteReadsEveryField) {
    auto result = load(with("") + "  routes:\n    - {prefix: iphttps, via: 'fe80::2', dev: eth2, metric: 10}\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    const KernelRoute& route = result.config.router.routes.at(0);
    EXPECT_EQ(*route.prefix, prefix("2002:836b:2:1000::/64"));
    EXPECT_EQ(route.via->value.to_string(), "fe80::2");
    EXPECT_EQ(*route.dev, "eth2");
    EXPECT_EQ(*route.metric, 10u);
}

}  // namespace
}  // namespace sixgate::config
