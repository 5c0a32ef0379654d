// PlatComponent: its start-up refusals against a FakeKernel (nothing is put in the kernel, no
// TUN is opened), and, where root and iproute2 allow, a real start and stop in a namespace this
// test creates (sg-platc-PID-N, always removed): TUN, routes with protocol 115, forwarding,
// status, routes put back after someone removed them, everything gone after stop or a failed
// start.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "net/netlink/fake_kernel.hpp"
#include "plat/plat_component.hpp"
#include "tests/netns/netns_guard.hpp"

namespace sixgate::plat {
namespace {

namespace netlink = net::netlink;
using sixgate::testing::NetnsGuard;

config::Config plat_config() {
    config::Config config;
    config.plat.enabled = true;
    config.plat.tun = std::string("plat0");
    config.plat.prefix.set(net::Ipv6Prefix::parse("2001:db8:64::/96").value(),
                           config::Origin::configured);
    config::Pool4Entry entry;
    entry.prefix = net::Ipv4Prefix::parse("203.0.113.0/30").value();
    config.plat.pool4.push_back(entry);
    return config;
}

std::string start_error(netlink::FakeKernel& kernel, const config::Config& config) {
    boost::asio::io_context io;
    auto started = PlatComponent::start(io, config, kernel);
    if (started) return "started";
    return started.error().message;
}

TEST(PlatComponentStart, RefusesAPool4AddressOfThisHostAndLeavesNothing) {
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0");
    netlink::InterfaceAddress local;
    local.device = "eth0";
    local.address = net::Ipv4Address(203, 0, 113, 2);
    local.prefix_length = 24;
    kernel.addresses().push_back(local);
    const std::string error = start_error(kernel, plat_config());
    EXPECT_NE(error.find("203.0.113.0/30 holds 203.0.113.2, a local address"), std::string::npos)
        << error;
    EXPECT_TRUE(kernel.changes().empty());
}

TEST(PlatComponentStart, RefusesAPool6PrefixAnotherRouteUses) {
    netlink::FakeKernel kernel;
    kernel.add_interface("nat64");
    netlink::Route tayga;
    tayga.destination = net::Ipv6Prefix::parse("2001:db8:64::/96").value();
    tayga.device = "nat64";
    tayga.protocol = 4;
    kernel.routes().push_back(tayga);
    const std::string error = start_error(kernel, plat_config());
    EXPECT_NE(error.find("overlaps the route 2001:db8:64::/96 dev nat64 (protocol 4)"),
              std::string::npos)
        << error;
    EXPECT_TRUE(kernel.changes().empty());
}

TEST(PlatComponentStart, AnInvalidPoolIsTheTablesError) {
    netlink::FakeKernel kernel;
    config::Config config = plat_config();
    config.plat.pool4.clear();
    const std::string error = start_error(kernel, config);
    EXPECT_EQ(error.rfind("plat session table: ", 0), 0u) << error;
    EXPECT_TRUE(kernel.changes().empty());
}

TEST(PlatComponentStart, ATunThatCannotBeOpenedIsAClearErrorAndLeavesNothing) {
    netlink::FakeKernel kernel;
    config::Config config = plat_config();
    config.plat.tun = std::string("a-name-longer-than-ifnamsiz");
    const std::string error = start_error(kernel, config);
    EXPECT_NE(error.find("plat tun a-name-longer-than-ifnamsiz (plat.tun)"), std::string::npos)
        << error;
    EXPECT_TRUE(kernel.changes().empty());
}

class PlatComponentNetns : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!sixgate::testing::netns_available(&why)) GTEST_SKIP() << why;
        netns = std::make_unique<NetnsGuard>("platc");
        ASSERT_TRUE(netns->ok()) << netns->error();
        ASSERT_EQ(netns->run("ip link set lo up").exit_code, 0);
    }
    std::string in_netns(const std::string& command) { return netns->run(command).output; }
    std::unique_ptr<NetnsGuard> netns;
};

TEST_F(PlatComponentNetns, StartsRoutesIntoItsTunReportsAndRemovesEverythingOnStop) {
    RecordProperty("rfc", "6146 3.4");
    ASSERT_EQ(in_netns("sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding"), "0\n0\n");
    {
        auto entry = netns->enter();
        ASSERT_TRUE(entry.ok());
        auto kernel = netlink::NetlinkKernel::open();
        ASSERT_TRUE(kernel) << kernel.error().message;
        boost::asio::io_context io;
        config::Config config = plat_config();
        config.plat.queues = 2u;
        auto started = PlatComponent::start(io, config, *kernel);
        ASSERT_TRUE(started) << started.error().message;
        PlatComponent& plat = **started;
        EXPECT_EQ(plat.tun_name(), "plat0");

        EXPECT_NE(in_netns("ip -6 route show proto 115").find("2001:db8:64::/96 dev plat0"),
                  std::string::npos);
        EXPECT_NE(in_netns("ip -4 route show proto 115").find("203.0.113.0/30 dev plat0"),
                  std::string::npos);
        EXPECT_EQ(in_netns("sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding"), "1\n1\n");
        EXPECT_NE(in_netns("ip link show plat0").find("UP"), std::string::npos);

        const nlohmann::json status = plat.status();
        EXPECT_EQ(status["state"], "running");
        EXPECT_EQ(status["tun"], "plat0");
        EXPECT_EQ(status["prefix"], "2001:db8:64::/96");
        EXPECT_EQ(status["filtering"], "endpoint_independent");
        EXPECT_EQ(status["options"]["queues"], 2);
        EXPECT_EQ(status["options"]["limits"]["max_sessions"], 65536);
        EXPECT_TRUE(status["pool4"].is_array());
        EXPECT_EQ(status["table"]["udp"]["current_sessions"], 0);
        EXPECT_TRUE(status["plat_drops"].contains("unknown_ip_version"));
        EXPECT_TRUE(status["xlat_drops"].contains("malformed_ipv6"));
        EXPECT_TRUE(status["state_drops"].contains("no_bib_entry"));
        EXPECT_EQ(status["entries"]["truncated"], false);
        EXPECT_TRUE(status["tun_counters"].contains("write_errors"));
        const ExpiryReport nothing = plat.expire_now();
        EXPECT_EQ(nothing.sessions_expired, 0u);

        // Someone (another sixgate's router reconcile) removes a route: it is put back.
        ASSERT_EQ(netns->run("ip -4 route del 203.0.113.0/30 dev plat0").exit_code, 0);
        EXPECT_EQ(plat.restore_missing_routes(), 1u);
        EXPECT_NE(in_netns("ip -4 route show proto 115").find("203.0.113.0/30 dev plat0"),
                  std::string::npos);
        EXPECT_EQ(plat.status()["routes_restored"], 1);

        plat.stop();
        plat.stop();
        EXPECT_EQ(plat.status()["state"], "stopped");
    }
    EXPECT_EQ(in_netns("ip route show proto 115; ip -6 route show proto 115"), "");
    EXPECT_EQ(in_netns("sysctl -n net.ipv4.ip_forward net.ipv6.conf.all.forwarding"), "0\n0\n");
    EXPECT_NE(netns->run("ip link show plat0").exit_code, 0);
}

TEST_F(PlatComponentNetns, AFailedStartAfterTheTunOpenedRemovesWhatItAdded) {
    auto entry = netns->enter();
    ASSERT_TRUE(entry.ok());
    // The TUN is real (in the namespace); the kernel state goes to a FakeKernel that refuses the
    // second sysctl write.
    netlink::FakeKernel kernel;
    kernel.add_interface("plat0");
    kernel.sysctls()[kIpv6ForwardingSysctl] = "0";
    kernel.sysctls()[kIpv4ForwardingSysctl] = "0";
    boost::asio::io_context io;
    // The first write succeeds only if it is not the failing one: fail the IPv4 one by making
    // the IPv6 one a no-op.
    kernel.sysctls()[kIpv6ForwardingSysctl] = "1";
    kernel.fail_next(netlink::FakeKernel::Operation::kWriteSysctl, std::errc::permission_denied);
    auto started = PlatComponent::start(io, plat_config(), kernel);
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().message.find("plat sysctl /proc/sys/net/ipv4/ip_forward=1"),
              std::string::npos)
        << started.error().message;
    EXPECT_TRUE(kernel.routes().empty());
    EXPECT_EQ(kernel.sysctls()[kIpv4ForwardingSysctl], "0");
    // Added then removed, newest first.
    ASSERT_EQ(kernel.changes().size(), 4u);
    EXPECT_EQ(kernel.changes()[0].rfind("add route 2001:db8:64::/96 dev plat0", 0), 0u);
    EXPECT_EQ(kernel.changes()[3].rfind("delete route 2001:db8:64::/96 dev plat0", 0), 0u)
        << kernel.changes()[3];
    EXPECT_NE(sixgate::testing::run_command("ip link show plat0").exit_code, 0);
}

}  // namespace
}  // namespace sixgate::plat
