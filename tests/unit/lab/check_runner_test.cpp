// The check runner's pure parts: where a check goes (static and live SLAAC addresses), counters in
// a status snapshot, finding `sixgate run -c PATH` on a command line, the reload's config rewrite.

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "lab/check_runner.hpp"
#include "lab/lab_host_process.hpp"
#include "lab/topology_loader.hpp"

namespace sixgate::lab {
namespace {

constexpr const char* kTopology = R"(name: t
segments:
  - name: lan
    members:
      - {host: a, interface: eth0}
      - {host: b, interface: eth0}
hosts:
  - name: a
    interfaces:
      - name: eth0
        slaac: true
  - name: b
    interfaces:
      - name: eth0
        addresses: [fe80::2/64, 192.0.2.2/24, 2001:db8::2/64]
checks:
  - {from: b, to: a, protocol: ping, family: ipv6, expect: success}
  - {from: a, to: b, protocol: ping, family: ipv6, expect: success}
  - {from: a, to: b, protocol: tcp, port: 80, family: ipv4, expect: success}
  - {from: a, to: b, protocol: udp, port: 7, address: 198.51.100.7, expect: failure}
  - {from: a, to: b, protocol: dns, server: 2001:db8::53, query: x.example, expect: success}
)";

Topology topology() {
    auto result = parse_topology(kTopology, "t.yaml");
    EXPECT_TRUE(result.ok()) << result.report();
    return result.topology;
}

IpAddress v6(const char* text) { return *net::Ipv6Address::parse(text); }

TEST(ResolveTarget, StaticAddressSkipsLinkLocal) {
    const Topology t = topology();
    auto target = resolve_target(t, t.checks[1], nullptr);
    ASSERT_TRUE(target);
    EXPECT_EQ(to_string(*target), "2001:db8::2");
    target = resolve_target(t, t.checks[2], nullptr);
    ASSERT_TRUE(target);
    EXPECT_EQ(to_string(*target), "192.0.2.2");
}

TEST(ResolveTarget, ExplicitAddressAndDnsServerWin) {
    const Topology t = topology();
    EXPECT_EQ(to_string(*resolve_target(t, t.checks[3], nullptr)), "198.51.100.7");
    EXPECT_EQ(to_string(*resolve_target(t, t.checks[4], nullptr)), "2001:db8::53");
}

TEST(ResolveTarget, SlaacHostUsesItsLiveGlobalAddressOnTheSlaacInterface) {
    const Topology t = topology();
    std::string asked;
    const LiveAddressLookup live = [&](const std::string& host) {
        asked = host;
        return std::vector<LiveAddress>{{"clat0", v6("2001:db8:ff::1")}, {"eth0", v6("2001:db8::a")}};
    };
    auto target = resolve_target(t, t.checks[0], live);
    ASSERT_TRUE(target) << target.error().message;
    EXPECT_EQ(asked, "a");
    EXPECT_EQ(to_string(*target), "2001:db8::a");
}

TEST(ResolveTarget, SlaacHostWithoutAddressYetIsRetryable) {
    const Topology t = topology();
    auto target = resolve_target(t, t.checks[0], [](const std::string&) { return std::vector<LiveAddress>{}; });
    ASSERT_FALSE(target);
    EXPECT_EQ(target.error().code, std::make_error_code(std::errc::resource_unavailable_try_again));
    EXPECT_EQ(target.error().message, "host a has no ipv6 address (yet)");
}

TEST(StatusCounter, ReadsANumberUnderComponents) {
    const auto snapshot = nlohmann::json::parse(
        R"({"version":"0.1.0","components":{"isatap":{"isatap_drops":{"source_not_allowed":7},"mode":"router"}}})");
    auto value = status_counter(snapshot, "isatap.isatap_drops.source_not_allowed");
    ASSERT_TRUE(value);
    EXPECT_EQ(*value, 7u);
    EXPECT_FALSE(status_counter(snapshot, "isatap.mode"));
    auto missing = status_counter(snapshot, "plat.sessions");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, "no counter components.plat.sessions in the status");
}

TEST(SixgateRunConfig, FindsTheConfigInEachSpelling) {
    using V = std::vector<std::string>;
    EXPECT_EQ(sixgate_run_config(V{"/usr/bin/sixgate", "run", "-c", "/run/sixgate/a.yaml"}), "/run/sixgate/a.yaml");
    EXPECT_EQ(sixgate_run_config(V{"sixgate", "run", "--config=/x.yaml"}), "/x.yaml");
    EXPECT_EQ(sixgate_run_config(V{"sixgate", "run", "--config", "x.yaml"}), "x.yaml");
    EXPECT_EQ(sixgate_run_config(V{"./sixgate", "run", "-cx.yaml"}), "x.yaml");
    EXPECT_EQ(sixgate_run_config(V{"sixgate", "status", "-c", "x.yaml"}), std::nullopt);
    EXPECT_EQ(sixgate_run_config(V{"sleep", "run", "-c", "x.yaml"}), std::nullopt);
    EXPECT_EQ(sixgate_run_config(V{}), std::nullopt);
}

TEST(ControlSocketOf, ReadsTheConfigsSocketOrTheDefault) {
    EXPECT_EQ(*control_socket_of("control:\n  socket: /run/sixgate/lab-da-server.sock\n"), "/run/sixgate/lab-da-server.sock");
    EXPECT_EQ(*control_socket_of("isatap:\n  mode: host\n"), "/run/sixgate/sixgate.sock");
    EXPECT_FALSE(control_socket_of("control: [unclosed"));
}

TEST(WithIsatapAllow, AppendsNewEntriesOnceAndKeepsTheRest) {
    const std::string config = "public_ipv4: 131.107.0.2\nisatap:\n  enabled: true\n  allow: [192.0.2.10]\n";
    auto changed = with_isatap_allow(config, {*net::Ipv4Prefix::parse("192.0.2.20/32"), *net::Ipv4Prefix::parse("192.0.2.10/32"),
                                              *net::Ipv4Prefix::parse("198.51.100.0/24")});
    ASSERT_TRUE(changed) << changed.error().message;
    const YAML::Node root = YAML::Load(*changed);
    EXPECT_EQ(root["public_ipv4"].Scalar(), "131.107.0.2");
    ASSERT_EQ(root["isatap"]["allow"].size(), 3u);
    EXPECT_EQ(root["isatap"]["allow"][0].Scalar(), "192.0.2.10");
    EXPECT_EQ(root["isatap"]["allow"][1].Scalar(), "192.0.2.20");
    EXPECT_EQ(root["isatap"]["allow"][2].Scalar(), "198.51.100.0/24");
}

TEST(WithIsatapAllow, ConfigWithoutAllowListIsRefused) {
    auto changed = with_isatap_allow("isatap:\n  mode: host\n", {*net::Ipv4Prefix::parse("192.0.2.20/32")});
    ASSERT_FALSE(changed);
    EXPECT_EQ(changed.error().message, "the sixgate config has no isatap.allow list to add to");
}

}  // namespace
}  // namespace sixgate::lab
