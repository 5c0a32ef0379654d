// `lab graph` and `lab export` over the model: the DOT text is golden for the 464xlat topology,
// Graphviz renders it, and the committed container files are exactly what export generates.

#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include "lab/export.hpp"
#include "lab/graph.hpp"
#include "lab/host_script.hpp"
#include "lab/topology_loader.hpp"
#include "tests/unit/lab/source_file.hpp"

namespace sixgate::lab {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

using testing::read_source_file;

Topology builtin(const char* name) {
    TopologyLoadResult result = load_topology(name);
    EXPECT_TRUE(result.ok()) << result.report();
    return result.topology;
}

TEST(LabGraph, DotFor464xlatMatchesTheGoldenFile) {
    EXPECT_EQ(topology_dot(builtin("464xlat")), read_source_file("tests/unit/lab/golden/464xlat.dot"));
}

TEST(LabGraph, DotShowsRolesComponentsAddressesAndSegmentPrefixes) {
    const std::string dot = topology_dot(builtin("directaccess"));
    EXPECT_THAT(dot, StartsWith("graph \"directaccess\" {\n"));
    EXPECT_THAT(dot, HasSubstr("sixgate: router, isatap router, plat"));
    EXPECT_THAT(dot, HasSubstr("eth0: 131.107.0.2/24 2002:836b:2:1000::1/64 2001:0:836b:2::1/64"));
    EXPECT_THAT(dot, HasSubstr("label=\"mgmt\\n198.51.100.0/24\\n2002:836b:2:3333::/64 (RA)\""));
    EXPECT_THAT(dot, HasSubstr("label=\"intranet4\\n192.0.2.0/24\\n2002:836b:2:8000::/64 (ISATAP)\""));
    EXPECT_THAT(dot, HasSubstr("\"host:jump-v4\" -- \"segment:intranet4\" [label=\"eth0\"]"));
    EXPECT_THAT(dot, Not(HasSubstr("\n\n")));
}

TEST(LabGraph, QuotesAndBackslashesInNamesAreEscaped) {
    Topology topology;
    topology.name = "q";
    topology.hosts.push_back(Host{"h", "says \"hi\" \\ bye", {}, {}, {}, {}, {}});
    EXPECT_THAT(topology_dot(topology), HasSubstr("label=\"h\\nsays \\\"hi\\\" \\\\ bye\""));
}

TEST(LabGraph, SvgRenderingProducesAnSvgDocument) {
    auto svg = render_dot(topology_dot(builtin("directaccess")), "svg");
    ASSERT_TRUE(svg) << svg.error().message;
    EXPECT_THAT(*svg, HasSubstr("<svg"));
    EXPECT_THAT(*svg, HasSubstr("131.107.0.2/24"));
    EXPECT_THAT(*svg, HasSubstr("</svg>"));
}

TEST(LabGraph, MissingGraphvizIsAClearError) {
    auto result = render_dot("graph g {}\n", "svg", "sixgate-no-such-dot-program");
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, std::errc::no_such_file_or_directory);
    EXPECT_THAT(result.error().message, HasSubstr("apt-get install graphviz"));
}

TEST(LabGraph, DotFailureCarriesWhatDotSaid) {
    auto result = render_dot("this is not dot\n", "svg");
    ASSERT_FALSE(result);
    EXPECT_THAT(result.error().message, HasSubstr("'dot -Tsvg' failed with status"));
    EXPECT_THAT(result.error().message, HasSubstr("syntax error"));
}

TEST(LabExport, CommittedContainerFilesAreWhatExportGenerates) {
    for (const char* name : {"directaccess", "464xlat"}) {
        const Topology topology = builtin(name);
        EXPECT_EQ(export_topology(topology, ExportFormat::containerlab, name),
                  read_source_file(std::string("containers/") + name + ".clab.yml"))
            << "containers/" << name << ".clab.yml is stale: regenerate it with "
            << "sixgate lab export --format containerlab " << name << " -o containers/" << name << ".clab.yml";
        EXPECT_EQ(export_topology(topology, ExportFormat::compose, name),
                  read_source_file(std::string("containers/") + name + ".compose.yml"))
            << "containers/" << name << ".compose.yml is stale: regenerate it with "
            << "sixgate lab export --format compose " << name << " -o containers/" << name << ".compose.yml";
    }
}

TEST(LabExport, ContainerlabHasEveryHostAndSwitchAndTheLinks) {
    const Topology topology = builtin("directaccess");
    const YAML::Node file = YAML::Load(export_topology(topology, ExportFormat::containerlab, "directaccess"));
    EXPECT_EQ(file["name"].as<std::string>(), "directaccess");
    EXPECT_EQ(file["topology"]["defaults"]["image"].as<std::string>(), "sixgate:latest");
    EXPECT_EQ(file["topology"]["defaults"]["network-mode"].as<std::string>(), "none");
    const YAML::Node nodes = file["topology"]["nodes"];
    for (const Host& host : topology.hosts) EXPECT_TRUE(nodes[host.name]) << host.name;
    for (const char* segment : {"internet", "intranet4", "mgmt"}) EXPECT_TRUE(nodes[segment]) << segment;
    // 3 + 4 + 3 members of the three bridges, each a veth to a switch port.
    const YAML::Node links = file["topology"]["links"];
    ASSERT_EQ(links.size(), 10u);
    EXPECT_EQ(links[0]["endpoints"][0].as<std::string>(), "da-server:eth0");
    EXPECT_EQ(links[0]["endpoints"][1].as<std::string>(), "internet:p1");
    EXPECT_THAT(nodes["da-server"]["cmd"].as<std::string>(), StartsWith("sh -ec 'set -e\n"));
    EXPECT_THAT(nodes["da-server"]["cmd"].as<std::string>(), HasSubstr("exec sixgate run -c /run/sixgate/da-server.yaml"));
}

TEST(LabExport, ComposeRunsEachHostsScriptWithoutANetwork) {
    const Topology topology = builtin("464xlat");
    const YAML::Node file = YAML::Load(export_topology(topology, ExportFormat::compose, "464xlat"));
    const YAML::Node gateway = file["services"]["gateway"];
    EXPECT_EQ(gateway["image"].as<std::string>(), "sixgate:latest");
    EXPECT_EQ(gateway["network_mode"].as<std::string>(), "none");
    ASSERT_EQ(gateway["command"].size(), 3u);
    EXPECT_EQ(gateway["command"][2].as<std::string>(), host_script(topology, *topology.find_host("gateway")));
    EXPECT_EQ(file["x-sixgate-links"].size(), 2u);
    EXPECT_EQ(file["x-sixgate-links"][0][0].as<std::string>(), "v6only:eth0");
    EXPECT_EQ(file["x-sixgate-links"][0][1].as<std::string>(), "gateway:eth0");
}

TEST(LabExport, ComposeEscapesDollarSigns) {
    Topology topology;
    topology.name = "d";
    Host host{"h", "", {}, {}, {}, {}, {}};
    host.sixgate = SixgateRun{"logging: {level: info}  # costs $5\n", "", {}, {}};
    topology.hosts.push_back(host);
    const std::string text = export_topology(topology, ExportFormat::compose, "d");
    EXPECT_THAT(text, HasSubstr("costs $$5"));
    EXPECT_THAT(text, Not(HasSubstr("costs $5")));
}

TEST(LabHostScript, SetsUpAddressesRoutesServicesAndRunsSixgate) {
    const Topology topology = builtin("directaccess");
    const std::string server = host_script(topology, *topology.find_host("da-server"));
    EXPECT_THAT(server, HasSubstr("ip address add 131.107.0.2/24 dev eth0\n"));
    EXPECT_THAT(server, HasSubstr("sysctl -qw net.ipv4.ip_forward=1\n"));
    // RFC 8925 3.3: V6ONLY_WAIT 300 s as four bytes.
    EXPECT_THAT(server, HasSubstr("--dhcp-option=108,00:00:01:2c"));
    EXPECT_THAT(server, HasSubstr("dns64-prefix: 2002:836b:2:7777::/96\n"));
    EXPECT_THAT(server, HasSubstr("intranet-v4.corp.example. 300 IN A 192.0.2.30\n"));
    EXPECT_THAT(server, HasSubstr("exec sixgate run -c /run/sixgate/da-server.yaml\n"));
    const std::string client = host_script(topology, *topology.find_host("client-iphttps"));
    EXPECT_THAT(client, HasSubstr("ip -6 route add 2002:836b:2::/48 via 2002:836b:2:1000::1\n"));
    EXPECT_THAT(client, HasSubstr("socat TCP6-LISTEN:3389,ipv6only=0,reuseaddr,fork EXEC:cat &\n"));
    EXPECT_THAT(client, HasSubstr("exec sleep infinity\n"));
    const std::string mgmt = host_script(topology, *topology.find_host("mgmt-v6"));
    EXPECT_THAT(mgmt, HasSubstr("sysctl -qw net.ipv6.conf.eth0.accept_ra=2\n"));
    EXPECT_THAT(mgmt, HasSubstr("sysctl -qw net.ipv6.conf.eth0.accept_ra_rt_info_max_plen=128\n"));
    EXPECT_THAT(host_script(topology, *topology.find_host("intranet-v4")), HasSubstr("socat TCP4-LISTEN:80,reuseaddr"));
}

}  // namespace
}  // namespace sixgate::lab
