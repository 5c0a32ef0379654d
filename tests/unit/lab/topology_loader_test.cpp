// The lab topology model: the built-in topologies load and their sixgate configs validate; every
// kind of mistake in a topology file is reported at its file:line:column.

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/loader.hpp"
#include "lab/builtin_topologies.hpp"
#include "lab/topology_loader.hpp"
#include "tests/unit/lab/source_file.hpp"

namespace sixgate::lab {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using testing::read_source_file;

std::vector<std::string> error_lines(const std::string& yaml) {
    std::vector<std::string> lines;
    for (const auto& error : parse_topology(yaml, "t.yaml").errors) lines.push_back(error.to_string());
    return lines;
}

// A small valid topology; the error tests change one line of it.
constexpr const char* kValid = R"(name: small
segments:
  - name: lan
    members:
      - {host: a, interface: eth0}
      - {host: b, interface: eth0}
hosts:
  - name: a
    interfaces:
      - name: eth0
        addresses: [192.0.2.1/24, 2001:db8::1/64]
  - name: b
    interfaces:
      - name: eth0
        addresses: [192.0.2.2/24]
checks:
  - {from: a, to: b, protocol: ping, family: ipv4, expect: success}
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

TEST(LabTopology, BuiltInTopologiesAreTheShippedFiles) {
    ASSERT_EQ(builtin_topologies().size(), 2u);
    for (const BuiltinTopology& builtin : builtin_topologies())
        EXPECT_EQ(builtin.text, read_source_file(std::string(builtin.path))) << builtin.path;
    EXPECT_NE(find_builtin_topology("directaccess"), nullptr);
    EXPECT_NE(find_builtin_topology("464xlat"), nullptr);
    EXPECT_EQ(find_builtin_topology("nope"), nullptr);
}

TEST(LabTopology, BothBuiltInTopologiesLoadWithoutDiagnostics) {
    for (const char* name : {"directaccess", "464xlat"}) {
        const TopologyLoadResult result = load_topology(name);
        EXPECT_TRUE(result.ok()) << result.report();
        EXPECT_TRUE(result.warnings.empty()) << result.report();
        EXPECT_EQ(result.topology.name, name);
        EXPECT_FALSE(result.topology.checks.empty());
    }
    EXPECT_EQ(load_topology("").topology.name, "directaccess");
}

TEST(LabTopology, DirectAccessHasEveryHostOfTheIssueWithItsComponents) {
    const TopologyLoadResult result = load_topology("directaccess");
    ASSERT_TRUE(result.ok()) << result.report();
    const Topology& topology = result.topology;
    std::vector<std::string> names;
    for (const Host& host : topology.hosts) names.push_back(host.name);
    EXPECT_THAT(names, ElementsAre("da-server", "mgmt-v6", "jump-v4", "other-v4", "client-iphttps", "client-teredo",
                                   "v6only", "intranet-v4"));
    const Host& server = *topology.find_host("da-server");
    ASSERT_TRUE(server.sixgate);
    EXPECT_THAT(server.sixgate->components, ElementsAre("router", "isatap router", "plat"));
    EXPECT_EQ(server.find_interface("eth0")->addresses.front().to_string(), "131.107.0.2/24");
    ASSERT_TRUE(server.services.dns64);
    EXPECT_EQ(server.services.dns64->prefix.to_string(), "2002:836b:2:7777::/96");
    ASSERT_TRUE(server.services.dhcpv4);
    EXPECT_EQ(server.services.dhcpv4->v6only_wait, 300u);
    EXPECT_TRUE(topology.find_host("mgmt-v6")->find_interface("eth0")->slaac);
    EXPECT_FALSE(topology.find_host("mgmt-v6")->sixgate);
    EXPECT_THAT(topology.find_host("jump-v4")->sixgate->components, ElementsAre("isatap host"));
    EXPECT_THAT(topology.find_host("other-v4")->sixgate->components, ElementsAre("isatap host"));
    EXPECT_THAT(topology.find_host("v6only")->sixgate->components, ElementsAre("clat"));
    for (const char* client : {"client-iphttps", "client-teredo"})
        EXPECT_THAT(topology.find_host(client)->services.tcp_listen, ElementsAre(3389, 5985)) << client;
    EXPECT_EQ(topology.find_host("client-iphttps")->find_interface("eth0")->addresses[1].to_string(),
              "2002:836b:2:1000::10/64");
    EXPECT_EQ(topology.find_host("client-teredo")->find_interface("eth0")->addresses[1].to_string(),
              "2001:0:836b:2::10/64");
    // The mgmt segment carries the org prefix the router advertises.
    EXPECT_THAT(topology.segment_sixgate_prefixes(topology.segments[2]), ElementsAre("2002:836b:2:3333::/64 (RA)"));
    // other-v4 is the negative check: expected to fail.
    int other_failures = 0;
    for (const Check& check : topology.checks)
        if (check.from == "other-v4") other_failures += check.expect == Expectation::failure;
    EXPECT_EQ(other_failures, 2);
}

TEST(LabTopology, EverySixgateConfigInBothTopologiesValidatesWithParseConfig) {
    for (const char* name : {"directaccess", "464xlat"}) {
        const TopologyLoadResult result = load_topology(name);
        ASSERT_TRUE(result.ok()) << result.report();
        int configs = 0;
        for (const Host& host : result.topology.hosts) {
            if (!host.sixgate) continue;
            ++configs;
            const config::LoadResult loaded = config::parse_config(host.sixgate->config_yaml, host.name + ".yaml");
            EXPECT_TRUE(loaded.ok()) << host.name << "\n" << config::to_string(loaded.errors);
            EXPECT_TRUE(loaded.warnings.empty()) << host.name << "\n" << config::to_string(loaded.warnings);
        }
        EXPECT_GE(configs, 2) << name;
    }
}

TEST(LabTopology, TheSmallExampleLoads) {
    const TopologyLoadResult result = parse_topology(kValid, "t.yaml");
    ASSERT_TRUE(result.ok()) << result.report();
    ASSERT_EQ(result.topology.segments.size(), 1u);
    EXPECT_EQ(result.topology.segments[0].kind, SegmentKind::veth);
    EXPECT_EQ(result.topology.checks[0].describe(), "a -> b ping ipv4: success");
}

TEST(LabTopologyErrors, UnknownKeyNamesItsPositionAndSuggestion) {
    EXPECT_THAT(error_lines(replace(kValid, "  - name: b\n", "  - name: b\n    rol: x\n")),
                ElementsAre("t.yaml:13:5: error: hosts[1].rol: unknown key 'rol' (did you mean 'role'?)"));
    EXPECT_THAT(error_lines(std::string(kValid) + "link: []\n"),
                ElementsAre(HasSubstr("t.yaml:18:1: error: link: unknown key 'link'")));
}

TEST(LabTopologyErrors, DuplicateHostName) {
    EXPECT_THAT(error_lines(replace(kValid, "  - name: b\n", "  - name: a\n")),
                ElementsAre("t.yaml:6:16: error: segments[0].members[1].host: no host named 'b' in this topology "
                            "(did you mean 'a'?)",
                            "t.yaml:12:11: error: hosts[1].name: host 'a' appears twice (first at line 8)",
                            HasSubstr("t.yaml:17:19: error: checks[0].to: no host named 'b'")));
}

TEST(LabTopologyErrors, SegmentMemberNamesAnUnknownHost) {
    EXPECT_THAT(error_lines(replace(kValid, "{host: b, interface: eth0}", "{host: bb, interface: eth0}")),
                ElementsAre("t.yaml:6:16: error: segments[0].members[1].host: no host named 'bb' in this topology "
                            "(did you mean 'b'?)",
                            HasSubstr("t.yaml:12:11: error: hosts.b: interface 'eth0' of host 'b' is on no segment")));
}

TEST(LabTopologyErrors, InterfaceNameLongerThanFifteenCharacters) {
    const std::string text = replace(replace(kValid, "{host: b, interface: eth0}", "{host: b, interface: a-very-long-name0}"),
                                     "  - name: b\n    interfaces:\n      - name: eth0", "  - name: b\n    interfaces:\n      - name: a-very-long-name0");
    const auto lines = error_lines(text);
    ASSERT_GE(lines.size(), 2u);
    EXPECT_THAT(lines[0], HasSubstr("t.yaml:6:30: error: segments[0].members[1].interface: expected a Linux interface name "
                                    "(1..15 characters"));
    EXPECT_THAT(lines[1], HasSubstr("t.yaml:14:15: error: hosts[1].interfaces[0].name: expected a Linux interface name"));
}

TEST(LabTopologyErrors, AddressesThatDoNotParse) {
    EXPECT_THAT(error_lines(replace(kValid, "[192.0.2.2/24]", "[192.0.2.300/24, 2001:db8::2, 10.0.0.1/33]")),
                ElementsAre(HasSubstr("t.yaml:15:21: error: hosts[1].interfaces[0].addresses[0]: expected an IPv4 or IPv6 "
                                      "address with its prefix length"),
                            HasSubstr("t.yaml:15:37: error: hosts[1].interfaces[0].addresses[1]: expected an IPv4 or IPv6 "
                                      "address with its prefix length"),
                            "t.yaml:15:50: error: hosts[1].interfaces[0].addresses[2]: the prefix length must be 0..32, "
                            "found '10.0.0.1/33'",
                            "t.yaml:17:46: error: checks[0].family: host 'b' has no ipv4 address to check"));
}

TEST(LabTopologyErrors, CheckNamingAnUnknownHost) {
    EXPECT_THAT(error_lines(replace(kValid, "{from: a, to: b,", "{from: a, to: c,")),
                ElementsAre(StartsWith("t.yaml:17:19: error: checks[0].to: no host named 'c' in this topology")));
}

TEST(LabTopologyErrors, CheckRulesPerProtocol) {
    EXPECT_THAT(error_lines(replace(kValid, "protocol: ping, family: ipv4", "protocol: tcp, family: ipv4")),
                ElementsAre("t.yaml:17:5: error: checks[0]: a tcp check needs port:"));
    EXPECT_THAT(error_lines(replace(kValid, "family: ipv4", "family: ipv6")),
                ElementsAre("t.yaml:17:46: error: checks[0].family: host 'b' has no ipv6 address to check"));
    EXPECT_THAT(error_lines(replace(kValid, "expect: success", "expect: sucess")),
                ElementsAre(HasSubstr("t.yaml:17:60: error: checks[0].expect: expected one of success or failure, found "
                                      "'sucess' (did you mean 'success'?)")));
}

TEST(LabTopologyErrors, SegmentShapes) {
    const std::string three = replace(kValid, "      - {host: b, interface: eth0}\n",
                                      "      - {host: b, interface: eth0}\n      - {host: a, interface: eth0}\n");
    EXPECT_THAT(error_lines(three),
                ElementsAre("t.yaml:7:30: error: segments[0].members[2].interface: interface 'eth0' of host 'a' is already "
                            "on segment 'lan'"));
    const std::string veth3 = replace(replace(kValid, "  - name: lan\n", "  - name: lan\n    kind: veth\n"),
                                      "      - {host: b, interface: eth0}\n",
                                      "      - {host: b, interface: eth0}\n      - {host: a, interface: eth1}\n");
    EXPECT_THAT(error_lines(veth3),
                ElementsAre("t.yaml:4:11: error: segments[0].kind: a veth pair joins exactly two interfaces, this segment "
                            "has 3 (use kind: bridge)"));
}

TEST(LabTopologyErrors, EmbeddedSixgateConfigErrorsPointIntoTheTopologyFile) {
    const std::string text = replace(kValid, "  - name: b\n",
                                     "  - name: b\n"
                                     "    sixgate:\n"
                                     "      logging:\n"
                                     "        level: loud\n"
                                     "      clat:\n"
                                     "        uplink: eth0\n"
                                     "        queues: 100\n");
    EXPECT_THAT(error_lines(text),
                ElementsAre(StartsWith("t.yaml:15:16: error: hosts[1].sixgate.logging.level: expected one of trace, "),
                            StartsWith("t.yaml:18:17: error: hosts[1].sixgate.clat.queues: must be 1..64")));
    // The loaded topology keeps the config text that `sixgate run` will get.
    const TopologyLoadResult fine = parse_topology(replace(text, "level: loud", "level: info").replace(
                                                       text.find("queues: 100"), 11, "queues: 2"), "t.yaml");
    ASSERT_TRUE(fine.ok()) << fine.report();
    ASSERT_TRUE(fine.topology.find_host("b")->sixgate);
    EXPECT_TRUE(config::parse_config(fine.topology.find_host("b")->sixgate->config_yaml, "b.yaml").ok());
    EXPECT_EQ(fine.topology.find_host("b")->sixgate->components, std::vector<std::string>{"clat"});
}

TEST(LabTopologyErrors, SixgateConfigFileThatCannotBeRead) {
    const std::string text = replace(kValid, "  - name: b\n", "  - name: b\n    sixgate: no-such-config.yaml\n");
    EXPECT_THAT(error_lines(text), ElementsAre(HasSubstr("t.yaml:13:14: error: hosts[1].sixgate: cannot read the sixgate "
                                                         "config './no-such-config.yaml'")));
}

TEST(LabTopologyErrors, ServicesAreChecked) {
    const std::string text = replace(kValid, "  - name: b\n",
                                     "  - name: b\n"
                                     "    services:\n"
                                     "      tcp_listen: [80, 80, 70000]\n"
                                     "      dhcpv4: {interface: eth9, range: 192.0.2.9-192.0.2.3, v6only_wait: 60}\n");
    EXPECT_THAT(error_lines(text),
                ElementsAre("t.yaml:14:24: error: hosts[1].services.tcp_listen[1]: port 80 is listed twice",
                            HasSubstr("t.yaml:14:28: error: hosts[1].services.tcp_listen[2]: must be 1..65535"),
                            "t.yaml:15:27: error: hosts[1].services.dhcpv4.interface: 'eth9' is not an interface of "
                            "host 'b' (list it under interfaces)",
                            "t.yaml:15:40: error: hosts[1].services.dhcpv4.range: expected an IPv4 range FIRST-LAST "
                            "with FIRST <= LAST, found '192.0.2.9-192.0.2.3'",
                            "t.yaml:15:74: error: hosts[1].services.dhcpv4.v6only_wait: must be at least 300 s "
                            "(RFC 8925 3.4, MIN_V6ONLY_WAIT), found 60"));
}

TEST(LabTopologyErrors, YamlSyntaxAndUnreadableFile) {
    EXPECT_THAT(error_lines("name: [unclosed\n"), ElementsAre(HasSubstr("t.yaml:2:1: error: YAML syntax")));
    const TopologyLoadResult missing = load_topology("/nonexistent/topology.yaml");
    ASSERT_EQ(missing.errors.size(), 1u);
    EXPECT_THAT(missing.errors[0].to_string(), HasSubstr("/nonexistent/topology.yaml: error: cannot read the file"));
}

}  // namespace
}  // namespace sixgate::lab
