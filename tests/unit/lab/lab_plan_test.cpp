#include "lab/lab_plan.hpp"

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lab/host_script.hpp"
#include "lab/topology_loader.hpp"

namespace sixgate::lab {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

Topology builtin(const std::string& name) {
    TopologyLoadResult loaded = load_topology(name);
    EXPECT_TRUE(loaded.ok()) << loaded.report();
    return loaded.topology;
}

LabPlan plan_of(const std::string& name) {
    LabPlanOptions options;
    options.sixgate_program = "/opt/sixgate/bin/sixgate";
    auto plan = plan_lab(builtin(name), options);
    EXPECT_TRUE(plan.ok()) << (plan ? "" : plan.error().message);
    return *plan;
}

TEST(LabPlan, DirectaccessHasANamespacePerHostThenOnePerSharedSegment) {
    const LabPlan plan = plan_of("directaccess");
    EXPECT_EQ(plan.run_directory, "/run/sixgate/lab/directaccess");
    EXPECT_THAT(plan.namespaces,
                ElementsAre("sglab.directaccess.da-server", "sglab.directaccess.mgmt-v6", "sglab.directaccess.jump-v4",
                            "sglab.directaccess.other-v4", "sglab.directaccess.client-iphttps",
                            "sglab.directaccess.client-teredo", "sglab.directaccess.v6only",
                            "sglab.directaccess.intranet-v4", "sglab.directaccess.internet",
                            "sglab.directaccess.intranet4", "sglab.directaccess.mgmt"));
}

TEST(LabPlan, DirectaccessSegmentsAreBridgesWithAPortPerMemberNamedAsTheHostsInterface) {
    const LabPlan plan = plan_of("directaccess");
    ASSERT_EQ(plan.bridges.size(), 3u);
    EXPECT_EQ(plan.bridges[1].segment, "intranet4");
    EXPECT_EQ(plan.bridges[1].namespace_name, "sglab.directaccess.intranet4");
    EXPECT_THAT(plan.bridges[1].ports, ElementsAre("p1", "p2", "p3", "p4"));
    ASSERT_EQ(plan.links.size(), 10u);  // 3 + 4 + 3 members
    const PlannedLink& jump = plan.links[4];
    EXPECT_EQ(jump.segment, "intranet4");
    EXPECT_EQ(jump.namespace_a, "sglab.directaccess.intranet4");
    EXPECT_EQ(jump.name_a, "p2");
    EXPECT_EQ(jump.namespace_b, "sglab.directaccess.jump-v4");
    EXPECT_EQ(jump.name_b, "eth0");
}

TEST(LabPlan, TwoMemberSegmentsAreVethPairsStraightBetweenTheHosts) {
    const LabPlan plan = plan_of("464xlat");
    EXPECT_TRUE(plan.bridges.empty());
    EXPECT_EQ(plan.namespaces.size(), 3u);
    ASSERT_EQ(plan.links.size(), 2u);
    EXPECT_EQ(plan.links[0].segment, "v6net");
    EXPECT_EQ(plan.links[0].namespace_a, "sglab.464xlat.v6only");
    EXPECT_EQ(plan.links[0].name_a, "eth0");
    EXPECT_EQ(plan.links[0].namespace_b, "sglab.464xlat.gateway");
    EXPECT_EQ(plan.links[0].name_b, "eth0");
    EXPECT_EQ(plan.links[1].namespace_b, "sglab.464xlat.server4");
}

TEST(LabPlan, SaysWhichHostRunsWhatAndWhatMustBeReady) {
    const LabPlan plan = plan_of("directaccess");
    const PlannedHost* server = plan.find_host("da-server");
    ASSERT_NE(server, nullptr);
    EXPECT_EQ(server->summary, "router, isatap router, plat; dnsmasq, unbound");
    EXPECT_EQ(server->control_socket, "/run/sixgate/lab-da-server.sock");
    EXPECT_EQ(server->log_file, "/run/sixgate/lab/directaccess/da-server.log");
    ASSERT_EQ(server->listeners.size(), 2u);
    EXPECT_EQ(server->listeners[0].what, "dnsmasq");
    EXPECT_EQ(server->listeners[1].port, 53);

    const PlannedHost* mgmt = plan.find_host("mgmt-v6");
    EXPECT_THAT(mgmt->slaac_interfaces, ElementsAre("eth0"));
    EXPECT_FALSE(mgmt->control_socket);
    EXPECT_EQ(mgmt->summary, "addresses only");

    const PlannedHost* client = plan.find_host("client-iphttps");
    EXPECT_EQ(client->summary, "socat tcp/3389, tcp/5985");
    EXPECT_EQ(client->listeners.size(), 2u);
    EXPECT_EQ(plan.find_host("jump-v4")->summary, "isatap host");
    EXPECT_EQ(plan.find_host("v6only")->summary, "clat");
    EXPECT_THAT(plan.control_sockets,
                ElementsAre("/run/sixgate/lab-da-server.sock", "/run/sixgate/lab-jump-v4.sock",
                            "/run/sixgate/lab-other-v4.sock", "/run/sixgate/lab-v6only.sock"));
}

TEST(LabPlan, HostScriptsRunTheGivenProgramWithFilesInTheRunDirectory) {
    const LabPlan plan = plan_of("directaccess");
    const std::string& script = plan.find_host("da-server")->script;
    EXPECT_THAT(script, HasSubstr("exec /opt/sixgate/bin/sixgate run -c /run/sixgate/lab/directaccess/da-server.yaml\n"));
    EXPECT_THAT(script, HasSubstr("unbound -d -c /run/sixgate/lab/directaccess/da-server-unbound.conf &\n"));
    // Namespaces share the filesystem: dnsmasq must not write the system's lease file.
    EXPECT_THAT(script, HasSubstr("--dhcp-leasefile=/run/sixgate/lab/directaccess/da-server-dnsmasq.leases"));
    EXPECT_THAT(script, Not(HasSubstr(" /run/sixgate/da-server")));
}

TEST(LabPlan, RefusesTwoHostsSharingAControlSocket) {
    Topology topology = builtin("464xlat");
    Host& gateway = topology.hosts[1];
    ASSERT_EQ(gateway.name, "gateway");
    const std::string from = "/run/sixgate/lab-gateway.sock";
    gateway.sixgate->config_yaml.replace(gateway.sixgate->config_yaml.find(from), from.size(), "/run/sixgate/lab-v6only.sock");
    auto plan = plan_lab(topology);
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.error().message, "hosts 'v6only' and 'gateway' both use the control socket "
                                    "/run/sixgate/lab-v6only.sock: give each its own control.socket");
}

TEST(LabHostScript, DefaultsAreWhatTheContainersRun) {
    const Topology topology = builtin("directaccess");
    const Host& server = *topology.find_host("da-server");
    EXPECT_EQ(host_script(topology, server), host_script(topology, server, HostScriptOptions{}));
    EXPECT_THAT(host_script(topology, server), HasSubstr("exec sixgate run -c /run/sixgate/da-server.yaml\n"));
    EXPECT_THAT(host_script(topology, server), Not(HasSubstr("dhcp-leasefile")));
}

TEST(LabHostScript, QuotesAProgramPathThatNeedsIt) {
    const Topology topology = builtin("464xlat");
    HostScriptOptions options;
    options.sixgate_program = "/home/a b/it's/sixgate";
    options.run_directory = "/tmp/lab";
    const std::string script = host_script(topology, *topology.find_host("v6only"), options);
    EXPECT_THAT(script, HasSubstr("exec '/home/a b/it'\\''s/sixgate' run -c /tmp/lab/v6only.yaml\n"));
    EXPECT_THAT(script, HasSubstr("mkdir -p /tmp/lab\n"));
    EXPECT_EQ(shell_word("/usr/bin/sixgate"), "/usr/bin/sixgate");
    EXPECT_EQ(shell_word(""), "''");
}

}  // namespace
}  // namespace sixgate::lab
