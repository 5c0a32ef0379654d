// The topology's checks: list: probes with a counter that must rise, reload steps and SIGHUPs,
// and every mistake in them reported at file:line:column.

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lab/builtin_topologies.hpp"
#include "lab/topology_loader.hpp"

namespace sixgate::lab {
namespace {

using ::testing::ElementsAre;

// r: an ISATAP router (allow-list 192.0.2.10), h: an ISATAP host not on it, s: a plain server.
constexpr const char* kTopology = R"(name: scope
segments:
  - name: lan
    members:
      - {host: r, interface: eth0}
      - {host: h, interface: eth0}
      - {host: s, interface: eth0}
hosts:
  - name: r
    interfaces:
      - name: eth0
        addresses: [192.0.2.1/24]
    sixgate:
      control: {socket: /run/sixgate/r.sock}
      isatap: {enabled: true, mode: router, interface: eth0, tun: isatap0, prefix: 2001:db8:5::/64, allow: [192.0.2.10]}
  - name: h
    interfaces:
      - name: eth0
        addresses: [192.0.2.20/24]
    sixgate:
      control: {socket: /run/sixgate/h.sock}
      isatap: {mode: host, interface: eth0, tun: isatap0, routers: [192.0.2.1]}
  - name: s
    interfaces:
      - name: eth0
        addresses: [192.0.2.30/24, 2001:db8::30/64]
checks:
)";

std::vector<std::string> errors(const std::string& checks) {
    std::vector<std::string> lines;
    for (const auto& error : parse_topology(std::string(kTopology) + checks, "t.yaml").errors) lines.push_back(error.to_string());
    return lines;
}

TEST(CheckLoader, CounterAndSighupAreRead) {
    auto result = parse_topology(std::string(kTopology) +
                                     "  - {from: h, to: s, protocol: ping, family: ipv6, expect: failure, sighup: [h],\n"
                                     "     counter_rises: {host: r, counter: isatap.isatap_drops.source_not_allowed}}\n",
                                 "t.yaml");
    ASSERT_TRUE(result.ok()) << result.report();
    ASSERT_EQ(result.topology.checks.size(), 1u);
    const Check& check = result.topology.checks.front();
    ASSERT_TRUE(check.counter_rises);
    EXPECT_EQ(check.counter_rises->host, "r");
    EXPECT_EQ(check.counter_rises->counter, "isatap.isatap_drops.source_not_allowed");
    EXPECT_THAT(check.sighup, ElementsAre("h"));
    EXPECT_FALSE(check.is_reload());
    EXPECT_EQ(check.describe(), "h -> s ping ipv6: failure, r isatap.isatap_drops.source_not_allowed rises");
}

TEST(CheckLoader, ReloadStepIsRead) {
    auto result = parse_topology(std::string(kTopology) +
                                     "  - reload: {host: r, isatap_allow_add: [192.0.2.20, 198.51.100.0/24], sighup: [h]}\n",
                                 "t.yaml");
    ASSERT_TRUE(result.ok()) << result.report();
    ASSERT_EQ(result.topology.checks.size(), 1u);
    const Check& step = result.topology.checks.front();
    ASSERT_TRUE(step.is_reload());
    EXPECT_EQ(step.reload->host, "r");
    ASSERT_EQ(step.reload->isatap_allow_add.size(), 2u);
    EXPECT_EQ(step.reload->isatap_allow_add[0].to_string(), "192.0.2.20/32");
    EXPECT_EQ(step.reload->isatap_allow_add[1].to_string(), "198.51.100.0/24");
    EXPECT_THAT(step.reload->sighup, ElementsAre("h"));
    EXPECT_EQ(step.describe(), "reload r: isatap.allow +192.0.2.20/32,198.51.100.0/24, sighup h");
}

TEST(CheckLoader, ReloadOfAHostWithoutIsatapRouterIsAnErrorAtTheHost) {
    EXPECT_THAT(errors("  - reload: {host: h, isatap_allow_add: [192.0.2.20]}\n"),
                ElementsAre("t.yaml:28:20: error: checks[0].reload.host: host 'h' runs no ISATAP router: no "
                            "allow-list to change"));
}

TEST(CheckLoader, ReloadOfAHostWithoutSixgateIsAnError) {
    EXPECT_THAT(errors("  - reload: {host: s, isatap_allow_add: [192.0.2.20]}\n"),
                ElementsAre("t.yaml:28:20: error: checks[0].reload.host: host 's' runs no sixgate (add sixgate: to it)"));
}

TEST(CheckLoader, ReloadNeedsAnAllowListAddition) {
    EXPECT_THAT(errors("  - reload: {host: r}\n"),
                ElementsAre("t.yaml:28:13: error: checks[0].reload: a reload step needs host: (the ISATAP router) and "
                            "isatap_allow_add: [IPV4, ...]"));
    EXPECT_THAT(errors("  - reload: {host: r, isatap_allow_add: []}\n"),
                ElementsAre("t.yaml:28:41: error: checks[0].reload.isatap_allow_add: needs at least one IPv4 address or "
                            "prefix to add"));
}

TEST(CheckLoader, ReloadAllowEntryMustBeIpv4) {
    const auto lines = errors("  - reload: {host: r, isatap_allow_add: [2001:db8::1]}\n");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_THAT(lines[0], ::testing::StartsWith("t.yaml:28:42: error: checks[0].reload.isatap_allow_add[0]:"));
}

TEST(CheckLoader, UnknownKeyInAReloadStepIsNamed) {
    const auto lines = errors("  - reload: {host: r, isatap_allow_add: [192.0.2.20], signal: [h]}\n");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_THAT(lines[0], ::testing::StartsWith("t.yaml:28:55: error: checks[0].reload.signal:"));
}

TEST(CheckLoader, SighupOfAHostWithoutSixgateIsAnError) {
    EXPECT_THAT(errors("  - {from: h, to: s, protocol: ping, family: ipv4, expect: success, sighup: [s]}\n"),
                ElementsAre("t.yaml:28:78: error: checks[0].sighup[0]: host 's' runs no sixgate (add sixgate: to it)"));
}

TEST(CheckLoader, CounterPathMustBeStatusKeys) {
    EXPECT_THAT(errors("  - {from: h, to: s, protocol: ping, family: ipv4, expect: failure,\n"
                       "     counter_rises: {host: r, counter: isatap..drops}}\n"),
                ElementsAre("t.yaml:29:40: error: checks[0].counter_rises.counter: expected a dot path of status keys "
                            "under components (isatap.isatap_drops.source_not_allowed), found 'isatap..drops'"));
}

TEST(CheckLoader, CounterNeedsHostAndCounter) {
    EXPECT_THAT(errors("  - {from: h, to: s, protocol: ping, family: ipv4, expect: failure, counter_rises: {host: r}}\n"),
                ElementsAre("t.yaml:28:84: error: checks[0].counter_rises: counter_rises needs host: (a host running "
                            "sixgate) and counter: (a status path)"));
}

TEST(CheckLoader, CounterOnAnUnknownHostSuggestsOne) {
    const auto lines =
        errors("  - {from: h, to: s, protocol: ping, family: ipv4, expect: failure, counter_rises: {host: rr, counter: a.b}}\n");
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_THAT(lines[0], ::testing::HasSubstr("t.yaml:28:91: error: checks[0].counter_rises.host: no host named 'rr'"));
}

TEST(CheckLoader, BuiltInDirectAccessHasTheReloadStepBetweenRefusalAndSuccess) {
    auto result = load_topology("directaccess");
    ASSERT_TRUE(result.ok()) << result.report();
    const auto& checks = result.topology.checks;
    const auto reload = std::find_if(checks.begin(), checks.end(), [](const Check& c) { return c.is_reload(); });
    ASSERT_NE(reload, checks.end());
    EXPECT_EQ(reload->reload->host, "da-server");
    EXPECT_EQ(reload->reload->isatap_allow_add.front().to_string(), "192.0.2.20/32");
    bool refused_before = false, allowed_after = false;
    for (auto it = checks.begin(); it != checks.end(); ++it) {
        if (it->from != "other-v4" || it->is_reload()) continue;
        if (it < reload) refused_before = refused_before || (it->expect == Expectation::failure && it->counter_rises);
        else allowed_after = allowed_after || it->expect == Expectation::success;
    }
    EXPECT_TRUE(refused_before);
    EXPECT_TRUE(allowed_after);
}

}  // namespace
}  // namespace sixgate::lab
