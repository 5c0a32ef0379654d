// The effective config: every value literal, commented with its origin, and loadable again.

#include <fstream>
#include <sstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/effective.hpp"
#include "config_test_util.hpp"

namespace sixgate::config {
namespace {

using ::testing::HasSubstr;
using testing::load;

// Loads text, writes it out, loads that: no errors, and the same settings.
void expect_round_trip(const std::string& text) {
    const LoadResult first = load(text);
    ASSERT_TRUE(first.ok()) << to_string(first.errors);
    const std::string effective = effective_config_yaml(first.config);
    const LoadResult second = load(effective);
    ASSERT_TRUE(second.ok()) << to_string(second.errors) << effective;
    // Rounding notes (pref64 lifetime) do not come back: the written value is already rounded.
    EXPECT_LE(second.warnings.size(), first.warnings.size()) << effective;
    const Config& a = first.config;
    const Config& b = second.config;
    EXPECT_TRUE(a.public_ipv4 == b.public_ipv4 && a.ula == b.ula) << effective;
    EXPECT_TRUE(a.logging == b.logging && a.control == b.control) << effective;
    EXPECT_TRUE(a.router == b.router) << effective;
    EXPECT_TRUE(a.isatap == b.isatap) << effective;
    EXPECT_TRUE(a.clat == b.clat) << effective;
    EXPECT_TRUE(a.plat == b.plat) << effective;
    EXPECT_TRUE(a.translation == b.translation) << effective;
    EXPECT_TRUE(a == b);
    EXPECT_EQ(effective_config_yaml(second.config).size() > 0, true);
}

std::string read(const char* path) {
    std::ifstream file(path);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

TEST(ConfigEffective, WritesDerivedValuesLiterallyWithTheirSource) {
    const std::string effective = effective_config_yaml(load(std::string(testing::kPublicRouter)).config);
    EXPECT_THAT(effective, HasSubstr("server_address: 2002:836b:2:3333::1/64  # derived: org::1/64, default"));
    EXPECT_THAT(effective, HasSubstr("- prefix: 2002:836b:2:3333::/64  # derived: org, default"));
    EXPECT_THAT(effective, HasSubstr("min_rtr_adv_interval: 198  # derived: 0.33 * max_rtr_adv_interval"));
    EXPECT_THAT(effective, HasSubstr("valid_lifetime: 5400  # default"));
    EXPECT_THAT(effective, HasSubstr("- prefix: 2002:836b:2:7777::/96  # derived: pref64"));
}

TEST(ConfigEffective, WritesThePlanBlock) {
    const std::string effective = effective_config_yaml(load("public_ipv4: 10.0.0.2\nula: fd12:3456:789a::/48\n").config);
    EXPECT_THAT(effective, HasSubstr("plan:\n  public_ipv4: 10.0.0.2\n  behind_nat: true\n  site: fd12:3456:789a::/48\n"
                                     "  org: fd12:3456:789a:3333::/64\n  server: fd12:3456:789a:3333::1\n"
                                     "  iphttps: fd12:3456:789a:1000::/64\n"
                                     "  teredo: \"unavailable: behind NAT: Teredo needs two consecutive public IPv4 "
                                     "addresses\"\n  isatap: fd12:3456:789a:8000::/64\n  nat64: fd12:3456:789a:7777::/96\n"));
}

TEST(ConfigEffective, WritesEverySectionEvenWhenDisabled) {
    const std::string effective = effective_config_yaml(load("logging: {level: warn}\n").config);
    for (const char* section : {"\nlogging:", "\ncontrol:", "\nrouter:", "\nisatap:", "\nclat:", "\nplat:", "\ntranslation:"})
        EXPECT_THAT(effective, HasSubstr(section));
    EXPECT_THAT(effective, HasSubstr("router:\n  enabled: false  # default"));
}

TEST(ConfigEffective, WritesInfinityAsAWord) {
    const std::string effective = effective_config_yaml(
        load(std::string(testing::kPublicRouter) + "      prefixes: [{prefix: org, valid_lifetime: infinity}]\n").config);
    EXPECT_THAT(effective, HasSubstr("valid_lifetime: infinity"));
}

TEST(ConfigEffective, RoundTripsDefaults) { expect_round_trip(testing::kPublicRouter); }

TEST(ConfigEffective, RoundTripsAnEmptyishFile) { expect_round_trip("logging: {level: info}\n"); }

TEST(ConfigEffective, RoundTripsFromInterface) {
    expect_round_trip("public_ipv4: {from_interface: wan0}\nrouter: {interfaces: [{name: eth1}]}\n");
}

TEST(ConfigEffective, RoundTripsEverySection) {
    expect_round_trip(
        "public_ipv4: 131.107.0.2\n"
        "router:\n"
        "  interfaces:\n"
        "    - name: eth1\n"
        "      max_rtr_adv_interval: 601\n"
        "      router_lifetime: 1800\n"
        "      router_preference: high\n"
        "      link_mtu: 1400\n"
        "      prefixes: [{prefix: org, valid_lifetime: infinity, preferred_lifetime: 600}]\n"
        "      routes: [{prefix: teredo, preference: low}]\n"
        "      rdnss: {servers: [org::1]}\n"
        "      dnssl: {domains: [corp.example]}\n"
        "      pref64: {lifetime: 1801}\n"
        "    - name: eth2\n"
        "      pref64: off\n"
        "      router_preference: low\n"
        "  routes: [{prefix: iphttps, via: 'fe80::2', dev: eth2}]\n"
        "isatap: {mode: host, interface: eth0, routers: [192.0.2.1, gw.corp.example]}\n"
        "clat: {enabled: false, uplink: eth0, plat_prefix: nat64, mtu: 1400, ipv6_address: org::64}\n"
        "plat:\n"
        "  pool4: [{prefix: 131.107.0.4/32, tcp_ports: 2000-3000}]\n"
        "  filtering: address_dependent\n"
        "  static_bib: [{protocol: tcp, ipv4: '131.107.0.4:2222', ipv6: '[org::5]:22'}]\n"
        "translation:\n"
        "  eam: [{ipv4: 192.0.2.0/24, ipv6: '2001:db8:1::/120'}]\n"
        "  rfc6791_pool: [192.0.0.8/32]\n"
        "  ipv4_address: 192.0.0.2\n"
        "  ipv6_address: org::ff\n");
}

TEST(ConfigEffective, RoundTripsBehindNat) {
    expect_round_trip("public_ipv4: 10.0.0.2\nula: fd12:3456:789a::/48\nrouter: {interfaces: [{name: eth1}]}\n"
                      "isatap: {mode: router, interface: eth0, allow: [10.0.0.0/8]}\n");
}

TEST(ConfigEffective, RoundTripsEachExample) {
    for (const char* path : {"config/examples/directaccess.yaml", "config/examples/behind-nat.yaml",
                             "config/examples/clat.yaml", "config/examples/isatap-router.yaml",
                             "config/examples/isatap-host.yaml"}) {
        SCOPED_TRACE(path);
        expect_round_trip(read(path));
    }
}

}  // namespace
}  // namespace sixgate::config
