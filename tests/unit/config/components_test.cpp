// isatap, clat, plat and translation sections, plus logging and control.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/effective.hpp"
#include "config_test_util.hpp"

namespace sixgate::config {
namespace {

using ::testing::ElementsAre;
using testing::errors;
using testing::load;
using testing::warnings;

constexpr const char* kPublic = "public_ipv4: 131.107.0.2\n";
std::string with(const std::string& text) { return kPublic + text; }

TEST(ConfigLogging, ReadsTheLevel) {
    auto result = load("logging: {level: debug}\n");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(*result.config.logging.level, LogLevel::debug);
}

TEST(ConfigControl, RejectsARelativeSocketPath) {
    EXPECT_THAT(errors("control: {socket: run/x.sock}\n"),
                ElementsAre("t.yaml:1:19: error: control.socket: expected an absolute path of at most 107 bytes "
                            "(sockaddr_un), found 'run/x.sock'"));
}

TEST(ConfigControl, DefaultsTheSocket) {
    EXPECT_EQ(*load("logging: {}\n").config.control.socket, "/run/sixgate/sixgate.sock");
}

TEST(ConfigIsatap, RouterModeTakesThePlanPrefixAndTheAllowList) {
    auto result = load(with("isatap: {mode: router, interface: eth0, allow: [192.0.2.10, 192.0.2.0/28]}\n"));
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    const IsatapConfig& isatap = result.config.isatap;
    EXPECT_TRUE(*isatap.enabled);
    EXPECT_EQ(isatap.prefix->value().to_string(), "2002:836b:2:8000::/64");
    EXPECT_EQ(*isatap.tun, "isatap0");
    ASSERT_EQ(isatap.allow.size(), 2u);
    EXPECT_EQ(isatap.allow[0].to_string(), "192.0.2.10/32");
    EXPECT_EQ(isatap.allow[1].to_string(), "192.0.2.0/28");
}

TEST(ConfigIsatap, RequiresMode) {
    EXPECT_THAT(errors("isatap:\n  interface: eth0\n"),
                ElementsAre("t.yaml:2:3: error: isatap.mode: required when enabled: expected router or host"));
}

TEST(ConfigIsatap, RouterModeRequiresAnAllowList) {
    EXPECT_THAT(errors(with("isatap:\n  mode: router\n  interface: eth0\n")),
                ElementsAre("t.yaml:3:3: error: isatap.allow: required in router mode: expected the IPv4 addresses or "
                            "prefixes allowed to use the ISATAP router"));
}

TEST(ConfigIsatap, RouterModeRejectsAnEmptyAllowList) {
    EXPECT_THAT(errors(with("isatap: {mode: router, interface: eth0, allow: []}\n")),
                ElementsAre("t.yaml:2:48: error: isatap.allow: expected at least one IPv4 address or prefix allowed to "
                            "use the ISATAP router, found an empty list"));
}

TEST(ConfigIsatap, RejectsAPrefixThatIsNotA64) {
    EXPECT_THAT(errors(with("isatap: {mode: router, interface: eth0, allow: [192.0.2.1], prefix: site}\n")),
                ElementsAre("t.yaml:2:69: error: isatap.prefix: must be a /64 (RFC 5214 6.1: the ISATAP interface "
                            "identifier is 64 bits), found 2002:836b:2::/48"));
}

TEST(ConfigIsatap, HostModeRequiresRouters) {
    EXPECT_THAT(errors("isatap: {mode: host, interface: eth0}\n"),
                ElementsAre("t.yaml:1:9: error: isatap.routers: required in host mode: expected the potential router "
                            "list, IPv4 addresses or DNS names (RFC 5214 8.3.2)"));
}

TEST(ConfigIsatap, RouterNamedIsatapIsAWarning) {
    const std::string text = "isatap: {mode: host, interface: eth0, routers: [192.0.2.1, isatap.corp.example]}\n";
    EXPECT_TRUE(errors(text).empty());
    EXPECT_THAT(warnings(text),
                ElementsAre("t.yaml:1:60: warning: isatap.routers[1]: 'isatap.corp.example' may never resolve: DNS "
                            "servers block names whose first label is 'isatap' by default (the Windows DNS global "
                            "query block list); use an address or another name"));
}

TEST(ConfigIsatap, RouterNameMerelyStartingWithIsatapIsQuiet) {
    EXPECT_TRUE(warnings("isatap: {mode: host, interface: eth0, routers: [isatap2.corp.example]}\n").empty());
}

TEST(ConfigIsatap, HostModeReadsRoutersAndInterval) {
    auto result = load("isatap: {mode: host, interface: eth0, routers: [192.0.2.1, gw.corp.example], resolicit_interval: 60}\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_EQ(result.config.isatap.routers.at(0).address, net::Ipv4Address(192, 0, 2, 1));
    EXPECT_FALSE(result.config.isatap.routers.at(1).address);
    EXPECT_EQ(*result.config.isatap.resolicit_interval, 60u);
}

TEST(ConfigIsatap, KeysOfTheOtherModeAreWarnings) {
    EXPECT_THAT(warnings("isatap: {mode: host, interface: eth0, routers: [192.0.2.1], allow: [192.0.2.2]}\n"),
                ElementsAre("t.yaml:1:68: warning: isatap.allow: ignored in host mode (a router mode setting)"));
}

TEST(ConfigIsatap, RouterModeReadsOtherRouters) {
    auto result = load(with("isatap: {mode: router, interface: eth0, allow: [10.20.0.10], "
                            "other_routers: [10.20.0.2, 192.88.99.0/24]}\n"));
    ASSERT_TRUE(result.ok());
    const IsatapConfig& isatap = result.config.isatap;
    ASSERT_EQ(isatap.other_routers.size(), 2u);
    EXPECT_EQ(isatap.other_routers[0].to_string(), "10.20.0.2/32");
    EXPECT_EQ(isatap.other_routers[1].to_string(), "192.88.99.0/24");
    EXPECT_TRUE(result.warnings.empty());
}

TEST(ConfigIsatap, OtherRoutersDefaultToNone) {
    auto result = load(with("isatap: {mode: router, interface: eth0, allow: [10.20.0.10]}\n"));
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result.config.isatap.other_routers.empty());
}

TEST(ConfigIsatap, OtherRoutersInHostModeAreAWarning) {
    EXPECT_THAT(warnings("isatap: {mode: host, interface: eth0, routers: [192.0.2.1], other_routers: [192.0.2.2]}\n"),
                ElementsAre("t.yaml:1:76: warning: isatap.other_routers: ignored in host mode (a router mode setting)"));
}

TEST(ConfigIsatap, RejectsABadOtherRoutersEntry) {
    const auto found = errors(with("isatap: {mode: router, interface: eth0, allow: [10.0.0.1], other_routers: [gw.example]}\n"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_THAT(found[0], ::testing::StartsWith("t.yaml:2:76: error: isatap.other_routers[0]: expected an IPv4 address or "));
}

TEST(ConfigIsatap, EffectiveConfigRoundTripsOtherRouters) {
    auto first = load(with("isatap: {mode: router, interface: eth0, allow: [10.20.0.10], "
                           "other_routers: [10.20.0.2, 192.88.99.0/24]}\n"));
    ASSERT_TRUE(first.ok());
    const std::string effective = effective_config_yaml(first.config);
    EXPECT_NE(effective.find("other_routers: [10.20.0.2, 192.88.99.0/24]"), std::string::npos) << effective;
    auto second = load(effective);
    ASSERT_TRUE(second.ok()) << effective;
    EXPECT_EQ(second.config.isatap.other_routers, first.config.isatap.other_routers);
}

TEST(ConfigIsatap, RejectsABadAllowEntry) {
    const auto found = errors(with("isatap: {mode: router, interface: eth0, allow: [192.0.2.300]}\n"));
    ASSERT_EQ(found.size(), 1u);
    EXPECT_THAT(found[0], ::testing::StartsWith("t.yaml:2:49: error: isatap.allow[0]: expected an IPv4 address or "
                                                "prefix, found '192.0.2.300'"));
}

TEST(ConfigClat, DefaultsFollowRfc7335AndPref64) {
    auto result = load("clat: {uplink: eth0}\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    const ClatConfig& clat = result.config.clat;
    EXPECT_EQ(*clat.tun, "clat0");
    EXPECT_EQ(*clat.queues, 1u);
    EXPECT_EQ(*clat.ipv4_address, net::Ipv4Address(192, 0, 0, 1));
    EXPECT_FALSE(*clat.ipv6_address);
    EXPECT_EQ(clat.plat_prefix->source, PlatPrefixSource::pref64);
    EXPECT_FALSE(*clat.mtu);
}

TEST(ConfigClat, RequiresUplinkWhenEnabled) {
    EXPECT_THAT(errors("clat:\n  queues: 2\n"),
                ElementsAre("t.yaml:2:3: error: clat.uplink: required when enabled: expected the interface toward the "
                            "IPv6-only network"));
}

TEST(ConfigClat, RejectsTooManyQueues) {
    EXPECT_THAT(errors("clat: {uplink: eth0, queues: 65}\n"),
                ElementsAre("t.yaml:1:30: error: clat.queues: must be 1..64 queues, found 65"));
}

TEST(ConfigClat, AcceptsDns64AndLiteralPlatPrefixes) {
    EXPECT_EQ(load("clat: {uplink: eth0, plat_prefix: dns64}\n").config.clat.plat_prefix->source, PlatPrefixSource::dns64);
    auto result = load("clat: {uplink: eth0, plat_prefix: '64:ff9b::/96'}\n");
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.config.clat.plat_prefix->prefix->to_string(), "64:ff9b::/96");
}

TEST(ConfigClat, AcceptsAPlanNamePlatPrefix) {
    auto result = load(with("clat: {uplink: eth0, plat_prefix: nat64}\n"));
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_EQ(result.config.clat.plat_prefix->prefix->to_string(), "2002:836b:2:7777::/96");
}

TEST(ConfigClat, RejectsAPlatPrefixLengthOutsideRfc6052) {
    EXPECT_THAT(errors("clat: {uplink: eth0, plat_prefix: '64:ff9b::/72'}\n"),
                ElementsAre("t.yaml:1:35: error: clat.plat_prefix: prefix length must be 32, 40, 48, 56, 64 or 96 (RFC "
                            "6052 2.2), found 64:ff9b::/72"));
}

TEST(ConfigClat, RejectsAMisspeltPlatPrefixSource) {
    EXPECT_THAT(errors("clat: {uplink: eth0, plat_prefix: dns46}\n"),
                ElementsAre("t.yaml:1:35: error: clat.plat_prefix: expected pref64, dns64 (RFC 7050), a plan name or "
                            "an IPv6 prefix, found 'dns46' (did you mean 'dns64'?)"));
}

TEST(ConfigClat, RejectsAnMtuBelow576) {
    EXPECT_THAT(errors("clat: {uplink: eth0, mtu: 500}\n"),
                ElementsAre("t.yaml:1:27: error: clat.mtu: must be 576..65535 bytes (RFC 791 3.1), found 500"));
}

TEST(ConfigPlat, ReadsPoolAndDefaults) {
    auto result = load(with("plat: {pool4: [{prefix: 131.107.0.4}]}\n"));
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    const PlatConfig& plat = result.config.plat;
    EXPECT_EQ(plat.prefix->value().to_string(), "2002:836b:2:7777::/96");
    EXPECT_EQ(plat.pool4.at(0).prefix.to_string(), "131.107.0.4/32");
    EXPECT_EQ(plat.pool4.at(0).tcp_ports->to_string(), "1024-65535");
    EXPECT_EQ(plat.pool4.at(0).icmp_ids->to_string(), "0-65535");
    EXPECT_EQ(*plat.filtering, Filtering::endpoint_independent);
    EXPECT_EQ(*plat.timeouts.udp, 300u);
    EXPECT_EQ(*plat.timeouts.tcp_established, 7440u);
    EXPECT_EQ(*plat.max_sessions, 65536u);
}

TEST(ConfigPlat, RequiresPool4WhenEnabled) {
    EXPECT_THAT(errors(with("plat:\n  tun: plat0\n")),
                ElementsAre("t.yaml:3:3: error: plat.pool4: required when enabled: expected the IPv4 addresses the "
                            "PLAT translates to (RFC 6146 3.5)"));
}

TEST(ConfigPlat, DefaultPrefixNeedsPublicIpv4) {
    EXPECT_THAT(errors("plat:\n  pool4: [192.0.2.1/32]\n"),
                ElementsAre("t.yaml:2:3: error: plat.prefix: the default 'nat64' needs public_ipv4 to resolve 'nat64'; "
                            "set public_ipv4 or give plat.prefix a literal value",
                            "t.yaml:2:11: error: plat.pool4[0]: expected a map of keys, found '192.0.2.1/32'"));
}

TEST(ConfigPlat, WellKnownPrefixNeedsNoPlan) {
    auto result = load("plat: {prefix: '64:ff9b::/96', pool4: [{prefix: 192.0.2.0/28}]}\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_EQ(result.config.plat.prefix->value().to_string(), "64:ff9b::/96");
}

TEST(ConfigPlat, RejectsUdpTimeoutBelowTwoMinutes) {
    EXPECT_THAT(errors(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n  timeouts: {udp: 60}\n")),
                ElementsAre("t.yaml:4:19: error: plat.timeouts.udp: must be at least 120 s (RFC 6146 3.5.1: UDP_MIN is "
                            "2 minutes), found 60"));
}

TEST(ConfigPlat, RejectsTcpTimeoutsBelowRfc6146) {
    EXPECT_THAT(errors(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n"
                            "  timeouts: {tcp_established: 7439, tcp_transitory: 239}\n")),
                ElementsAre("t.yaml:4:31: error: plat.timeouts.tcp_established: must be at least 7440 s (RFC 6146 "
                            "3.5.2.2: TCP_EST is at least 2 hours 4 minutes), found 7439",
                            "t.yaml:4:53: error: plat.timeouts.tcp_transitory: must be at least 240 s (RFC 6146 "
                            "3.5.2.2: TCP_TRANS is at least 4 minutes), found 239"));
}

TEST(ConfigPlat, AllowBelowRfcMinimumIsOffByDefault) {
    auto result = load(with("plat: {pool4: [{prefix: 131.107.0.4}]}\n"));
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_FALSE(*result.config.plat.timeouts.allow_below_rfc_minimum);
    EXPECT_TRUE(result.warnings.empty());
}

TEST(ConfigPlat, AllowBelowRfcMinimumTakesOneSecondTimeoutsWithAWarning) {
    const std::string text = with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n"
                                  "  timeouts: {udp: 2, icmp: 1, tcp_established: 3, tcp_transitory: 1,\n"
                                  "             tcp_incoming_syn: 1, allow_below_rfc_minimum: true}\n");
    auto result = load(text);
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    const PlatTimeouts& timeouts = result.config.plat.timeouts;
    EXPECT_TRUE(*timeouts.allow_below_rfc_minimum);
    EXPECT_EQ(*timeouts.udp, 2u);
    EXPECT_EQ(*timeouts.icmp, 1u);
    EXPECT_EQ(*timeouts.tcp_established, 3u);
    EXPECT_EQ(*timeouts.tcp_transitory, 1u);
    EXPECT_EQ(*timeouts.tcp_incoming_syn, 1u);
    EXPECT_THAT(warnings(text),
                ElementsAre("t.yaml:5:60: warning: plat.timeouts.allow_below_rfc_minimum: timeouts may go down to "
                            "1 s, below RFC 6146's minimums (UDP_MIN 120 s, ICMP 60 s, TCP_EST 7440 s, TCP_TRANS "
                            "240 s, TCP_INCOMING_SYN 6 s): for tests and labs, not for a production NAT64"));
}

TEST(ConfigPlat, AllowBelowRfcMinimumIsShownInTheEffectiveConfigAndLoadsAgain) {
    auto first = load(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n"
                           "  timeouts: {udp: 2, allow_below_rfc_minimum: true}\n"));
    ASSERT_TRUE(first.ok()) << to_string(first.errors);
    const std::string effective = effective_config_yaml(first.config);
    EXPECT_THAT(effective, ::testing::HasSubstr("allow_below_rfc_minimum: true"));
    auto second = load(effective);
    ASSERT_TRUE(second.ok()) << to_string(second.errors) << effective;
    EXPECT_EQ(second.config.plat, first.config.plat);
    EXPECT_THAT(effective_config_yaml(load(with("plat: {pool4: [{prefix: 131.107.0.4}]}\n")).config),
                ::testing::HasSubstr("allow_below_rfc_minimum: false  # default"));
}

TEST(ConfigPlat, AllowBelowRfcMinimumStillRejectsZero) {
    EXPECT_THAT(errors(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n"
                            "  timeouts: {allow_below_rfc_minimum: true, udp: 0}\n")),
                ElementsAre("t.yaml:4:50: error: plat.timeouts.udp: must be at least 1 s (allow_below_rfc_minimum), "
                            "found 0"));
}

TEST(ConfigPlat, ShortTimeoutsWithoutTheOptInStillNameTheRfc) {
    EXPECT_THAT(errors(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n"
                            "  timeouts: {allow_below_rfc_minimum: false, udp: 2, tcp_incoming_syn: 1}\n")),
                ElementsAre("t.yaml:4:51: error: plat.timeouts.udp: must be at least 120 s (RFC 6146 3.5.1: UDP_MIN "
                            "is 2 minutes), found 2",
                            "t.yaml:4:72: error: plat.timeouts.tcp_incoming_syn: must be at least 6 s (RFC 6146 "
                            "3.5.2.2: TCP_INCOMING_SYN is at least 6 s), found 1"));
}

TEST(ConfigPlat, AllowBelowRfcMinimumMustBeABoolean) {
    EXPECT_THAT(errors(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n"
                            "  timeouts: {allow_below_rfc_minimum: sometimes, udp: 2}\n")),
                ::testing::Contains(::testing::HasSubstr("plat.timeouts.allow_below_rfc_minimum")));
}

TEST(ConfigPlat, RejectsPerSourceLimitAboveTheTotal) {
    EXPECT_THAT(errors(with("plat: {pool4: [{prefix: 131.107.0.4}], max_sessions: 100, max_sessions_per_source: 200}\n")),
                ElementsAre("t.yaml:2:84: error: plat.max_sessions_per_source: must be 1..100 sessions (at most "
                            "max_sessions), found 200"));
}

TEST(ConfigPlat, RejectsAReversedPortRange) {
    EXPECT_THAT(errors(with("plat: {pool4: [{prefix: 131.107.0.4, tcp_ports: 2000-1000}]}\n")),
                ElementsAre("t.yaml:2:49: error: plat.pool4[0].tcp_ports: expected a range FIRST-LAST within 0..65535 "
                            "with FIRST <= LAST, found '2000-1000'"));
}

TEST(ConfigPlat, StaticBibMustLieInPool4) {
    EXPECT_THAT(errors(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n  static_bib:\n"
                            "    - {protocol: tcp, ipv4: '10.0.0.100:3389', ipv6: '[org::5]:3389'}\n")),
                ElementsAre("t.yaml:5:29: error: plat.static_bib[0].ipv4: must lie in pool4 (a transport address the "
                            "PLAT owns), found 10.0.0.100, which no pool4 prefix holds"));
}

TEST(ConfigPlat, StaticBibPortMustLieInThePoolRange) {
    EXPECT_THAT(errors(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n  static_bib:\n"
                            "    - {protocol: tcp, ipv4: '131.107.0.4:80', ipv6: '[org::5]:80'}\n")),
                ElementsAre("t.yaml:5:29: error: plat.static_bib[0].ipv4: port must lie in pool4's tcp range "
                            "1024-65535 for 131.107.0.4/32, found 80"));
}

TEST(ConfigPlat, StaticBibResolvesANameSuffix) {
    auto result = load(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n  static_bib:\n"
                            "    - {protocol: udp, ipv4: '131.107.0.4:5000', ipv6: '[org::5]:53'}\n"));
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    const StaticBibEntry& entry = result.config.plat.static_bib.at(0);
    EXPECT_EQ(entry.protocol, Protocol::udp);
    EXPECT_EQ(entry.ipv4_port, 5000);
    EXPECT_EQ(entry.ipv6->to_string(), "2002:836b:2:3333::5");
    EXPECT_EQ(entry.ipv6_port, 53);
}

TEST(ConfigPlat, RejectsAnUnbracketedIpv6TransportAddress) {
    EXPECT_THAT(errors(with("plat:\n  pool4: [{prefix: 131.107.0.4}]\n  static_bib:\n"
                            "    - {protocol: udp, ipv4: '131.107.0.4:5000', ipv6: '2001:db8::5:53'}\n")),
                ElementsAre("t.yaml:5:55: error: plat.static_bib[0].ipv6: expected [ADDRESS]:PORT (e.g. "
                            "[org::5]:3389), found '2001:db8::5:53'"));
}

TEST(ConfigPlat, ClatAndPlatMayNotShareATun) {
    EXPECT_THAT(errors("clat: {uplink: eth0, tun: xlat0}\nplat: {tun: xlat0, prefix: '64:ff9b::/96', pool4: [{prefix: 192.0.2.1}]}\n"),
                ElementsAre("t.yaml:2:13: error: plat.tun: 'xlat0' is also clat.tun: each translator needs its own TUN"));
}

TEST(ConfigTranslation, ReadsEamAndPool) {
    auto result = load("translation:\n  eam: [{ipv4: 192.0.2.0/24, ipv6: '2001:db8:1::/120'}]\n"
                       "  rfc6791_pool: [192.0.0.8]\n  ipv4_address: ~\n  udp_zero_checksum: drop\n");
    ASSERT_TRUE(result.ok()) << to_string(result.errors);
    EXPECT_EQ(result.config.translation.eam.at(0).ipv6.to_string(), "2001:db8:1::/120");
    EXPECT_EQ(result.config.translation.rfc6791_pool.at(0).to_string(), "192.0.0.8/32");
    EXPECT_FALSE(*result.config.translation.ipv4_address);
    EXPECT_EQ(*result.config.translation.udp_zero_checksum, UdpZeroChecksum::drop);
}

TEST(ConfigTranslation, RejectsEamWithUnequalSuffixes) {
    EXPECT_THAT(errors("translation:\n  eam: [{ipv4: 192.0.2.0/24, ipv6: '2001:db8:1::/112'}]\n"),
                ElementsAre("t.yaml:2:36: error: translation.eam[0].ipv6: suffix lengths must match (RFC 7757 3.2): "
                            "192.0.2.0/24 leaves 8 bits, so the IPv6 prefix must be a /120, found 2001:db8:1::/112"));
}

TEST(ConfigTranslation, RejectsLowestMtuBelow1280) {
    EXPECT_THAT(errors("translation: {lowest_ipv6_mtu: 1200}\n"),
                ElementsAre("t.yaml:1:32: error: translation.lowest_ipv6_mtu: must be 1280..65535 bytes (RFC 8200 5), "
                            "found 1200"));
}

}  // namespace
}  // namespace sixgate::config
