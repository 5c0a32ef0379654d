// KernelState, routes, addresses, interfaces and sysctls against the real kernel, each test in a
// fresh namespace "sg-nl-PID-N" with a veth pair v0/v1, checked with iproute2's own view.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>

#include "net/netlink/kernel_state.hpp"
#include "net/netlink/sysctl.hpp"
#include "tests/netns/netns_guard.hpp"

namespace sixgate::net::netlink {
namespace {

using sixgate::testing::NetnsEntry;
using sixgate::testing::NetnsGuard;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

Route route_to(const char* prefix, const char* device = "v0") {
    Route route;
    route.destination = Ipv6Prefix::parse(prefix).value();
    route.device = device;
    return route;
}

InterfaceAddress address_on(const char* address, const char* device = "v0", int length = 64) {
    InterfaceAddress a;
    a.device = device;
    a.address = Ipv6Address::parse(address).value();
    a.prefix_length = length;
    a.flags = kAddressFlagNoDad;
    return a;
}

class NetlinkNetnsTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_TRUE(netns.ok()) << netns.error();
        const auto setup = netns.run(
            "ip link add v0 type veth peer name v1 && ip link set v0 up && ip link set v1 up && ip "
            "link set lo up");
        ASSERT_EQ(setup.exit_code, 0) << setup.output;
        entry.emplace(netns.enter());
        ASSERT_TRUE(entry->ok()) << "setns into " << netns.name() << " failed";
        auto opened = NetlinkKernel::open();
        ASSERT_TRUE(opened) << opened.error().message;
        kernel.emplace(std::move(*opened));
    }
    void TearDown() override {
        kernel.reset();
        entry.reset();  // back to the original namespace before the guard deletes this one
    }
    std::string ip(const std::string& arguments) { return netns.run("ip " + arguments).output; }

    NetnsGuard netns{"nl"};
    std::optional<NetnsEntry> entry;
    std::optional<NetlinkKernel> kernel;
};

TEST_F(NetlinkNetnsTest, InterfaceHelpersReadIndexMtuMacAndIpv4Addresses) {
    ASSERT_EQ(netns.run("ip link set v0 mtu 1400 && ip addr add 192.0.2.1/24 dev v0").exit_code, 0);
    RouteSocket& socket = kernel->socket();
    auto index = interface_index(socket, "v0");
    ASSERT_TRUE(index) << index.error().message;
    EXPECT_THAT(ip("-o link show v0"), HasSubstr(std::to_string(*index) + ": v0@v1"));
    EXPECT_EQ(interface_mtu(socket, "v0").value(), 1400u);
    auto mac = interface_link_layer_address(socket, "v0");
    ASSERT_TRUE(mac);
    ASSERT_EQ(mac->size(), 6u);
    char text[18];
    std::snprintf(text, sizeof(text), "%02x:%02x:%02x:%02x:%02x:%02x", (*mac)[0], (*mac)[1],
                  (*mac)[2], (*mac)[3], (*mac)[4], (*mac)[5]);
    EXPECT_THAT(ip("link show v0"), HasSubstr(std::string("link/ether ") + text));
    auto v4 = interface_ipv4_addresses(socket, "v0");
    ASSERT_TRUE(v4);
    ASSERT_EQ(v4->size(), 1u);
    EXPECT_EQ((*v4)[0].address, Ipv4Address(192, 0, 2, 1));
    EXPECT_EQ((*v4)[0].prefix_length, 24);

    auto missing = interface_index(socket, "nope0");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, std::errc::no_such_device);
    EXPECT_EQ(missing.error().message, "interface nope0: No such device");
    EXPECT_FALSE(interface_ipv4_addresses(socket, "nope0"));
}

TEST_F(NetlinkNetnsTest, AddsTaggedAddressAndRouteAndRemovesThemOnDestruction) {
    {
        KernelState state(*kernel);
        EXPECT_EQ(state.add_address(address_on("2001:db8:1::1")).value(), Ownership::kAdded);
        Route via = route_to("2001:db8:99::/64");
        via.gateway = Ipv6Address::parse("2001:db8:1::2").value();
        EXPECT_EQ(state.add_route(via).value(), Ownership::kAdded);

        EXPECT_THAT(ip("-6 route show proto 115"),
                    HasSubstr("2001:db8:99::/64 via 2001:db8:1::2 dev v0"));
        EXPECT_THAT(ip("-6 addr show dev v0"), HasSubstr("inet6 2001:db8:1::1/64 scope global"));
        // IFA_PROTO really is stored: a dump reads sixgate's tag back.
        auto tagged = list_addresses_with_protocol(kernel->socket(), kSixgateAddressProtocol);
        ASSERT_TRUE(tagged) << tagged.error().message;
        ASSERT_EQ(tagged->size(), 1u);
        EXPECT_EQ(describe((*tagged)[0]), "2001:db8:1::1/64 dev v0");
        EXPECT_TRUE((*tagged)[0].flags & kAddressFlagNoDad);
        // The kernel tags its own link-local addresses IFAPROT_KERNEL_LL (3): the attribute is
        // real.
        auto link_local = list_addresses_with_protocol(kernel->socket(), 3);
        ASSERT_TRUE(link_local);
        EXPECT_THAT(describe(link_local->at(0)), HasSubstr("fe80::"));
        auto routes = list_routes_with_protocol(kernel->socket(), kSixgateRouteProtocol);
        ASSERT_TRUE(routes);
        ASSERT_EQ(routes->size(), 1u);
        EXPECT_EQ(describe((*routes)[0]), "2001:db8:99::/64 via 2001:db8:1::2 dev v0 metric 1024");
    }
    EXPECT_EQ(ip("-6 route show proto 115"), "");
    EXPECT_THAT(ip("-6 addr show dev v0"), Not(HasSubstr("2001:db8:1::1")));
}

TEST_F(NetlinkNetnsTest, AddressLifetimesAndIpv4StateForLaterComponents) {
    {
        KernelState state(*kernel);
        InterfaceAddress temporary = address_on("2001:db8:5::1");
        temporary.preferred_lifetime_s = 600;
        temporary.valid_lifetime_s = 1200;
        ASSERT_EQ(state.add_address(temporary).value(), Ownership::kAdded);
        InterfaceAddress clat;
        clat.device = "v0";
        clat.address = Ipv4Address(192, 0, 0, 1);
        clat.prefix_length = 29;
        ASSERT_EQ(state.add_address(clat).value(), Ownership::kAdded);
        Route v4;
        v4.destination = Ipv4Prefix::parse("198.51.100.0/24").value();
        v4.device = "v0";
        ASSERT_EQ(state.add_route(v4).value(), Ownership::kAdded);
        Route blackhole;
        blackhole.destination = Ipv6Prefix::parse("64:ff9b::/96").value();
        blackhole.type = RouteType::kBlackhole;
        ASSERT_EQ(state.add_route(blackhole).value(), Ownership::kAdded);

        EXPECT_THAT(ip("-6 addr show dev v0"), HasSubstr("valid_lft 1"));
        EXPECT_THAT(ip("-4 addr show dev v0"), HasSubstr("inet 192.0.0.1/29"));
        EXPECT_THAT(ip("-4 route show proto 115"), HasSubstr("198.51.100.0/24 dev v0 scope link"));
        EXPECT_THAT(ip("-6 route show proto 115"), HasSubstr("blackhole 64:ff9b::/96"));
        auto tagged = list_addresses_with_protocol(kernel->socket(), kSixgateAddressProtocol);
        ASSERT_TRUE(tagged);
        EXPECT_EQ(tagged->size(), 2u);
    }
    EXPECT_EQ(ip("-4 route show proto 115"), "");
    EXPECT_EQ(ip("-6 route show proto 115"), "");
    EXPECT_THAT(ip("addr show dev v0"), Not(HasSubstr("192.0.0.1")));
    EXPECT_THAT(ip("addr show dev v0"), Not(HasSubstr("2001:db8:5::1")));
}

TEST_F(NetlinkNetnsTest, TheAdministratorsAddressAndRouteSurvive) {
    ASSERT_EQ(netns
                  .run("ip -6 addr add 2001:db8:2::1/64 dev v0 nodad && "
                       "ip -6 route add 2001:db8:98::/64 via 2001:db8:2::2 dev v0")
                  .exit_code,
              0);
    {
        KernelState state(*kernel);
        EXPECT_EQ(state.add_address(address_on("2001:db8:2::1")).value(),
                  Ownership::kPresentNotOurs);
        EXPECT_EQ(state.add_route(route_to("2001:db8:98::/64")).value(),
                  Ownership::kPresentNotOurs);
        EXPECT_EQ(state.add_route(route_to("2001:db8:97::/64")).value(), Ownership::kAdded);
        // The kernel itself refuses to delete another protocol's route on sixgate's behalf.
        Route admins = route_to("2001:db8:98::/64");
        auto refused = delete_route(kernel->socket(), admins);
        ASSERT_FALSE(refused);
        EXPECT_EQ(refused.error().code, std::errc::no_such_process);
    }
    EXPECT_THAT(ip("-6 addr show dev v0"), HasSubstr("2001:db8:2::1/64"));
    EXPECT_THAT(ip("-6 route show"),
                HasSubstr("2001:db8:98::/64 via 2001:db8:2::2 dev v0 metric 1024"));
    EXPECT_THAT(ip("-6 route show"), Not(HasSubstr("2001:db8:97::")));
}

TEST_F(NetlinkNetnsTest, KernelErrorsCarryContext) {
    RouteSocket& socket = kernel->socket();
    ASSERT_TRUE(add_route(socket, route_to("2002:836b:2:1000::/64")));
    auto again = add_route(socket, route_to("2002:836b:2:1000::/64"));
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, std::errc::file_exists);
    EXPECT_THAT(again.error().message,
                HasSubstr("add route 2002:836b:2:1000::/64 dev v0: File exists"));
    EXPECT_TRUE(delete_route(socket, route_to("2002:836b:2:1000::/64")));

    auto no_device = add_address(socket, address_on("2001:db8::1", "nope0"));
    ASSERT_FALSE(no_device);
    EXPECT_EQ(no_device.error().code, std::errc::no_such_device);
    EXPECT_EQ(no_device.error().message, "add address 2001:db8::1/64 dev nope0: No such device");

    auto gone = delete_address(socket, address_on("2001:db8::7"));
    ASSERT_FALSE(gone);
    EXPECT_EQ(gone.error().code, std::errc::address_not_available);

    Route unreachable_gateway = route_to("2001:db8:96::/64");
    unreachable_gateway.gateway = Ipv6Address::parse("2001:db8:4444::1").value();
    auto refused = add_route(socket, unreachable_gateway);
    ASSERT_FALSE(refused);
    EXPECT_THAT(refused.error().message,
                HasSubstr("add route 2001:db8:96::/64 via 2001:db8:4444::1 dev v0: "));
    EXPECT_EQ(refused.error().code, std::errc::host_unreachable);

    // Where the kernel explains itself (extended ack), the explanation is kept.
    Route v4;
    v4.destination = Ipv4Prefix::parse("10.0.0.0/8").value();
    v4.gateway = Ipv4Address(10, 9, 9, 9);
    v4.device = "v0";
    auto explained = add_route(socket, v4);
    ASSERT_FALSE(explained);
    EXPECT_THAT(explained.error().message,
                HasSubstr("add route 10.0.0.0/8 via 10.9.9.9 dev v0: Network is unreachable "
                          "(kernel: Nexthop has invalid gateway)"));
}

TEST_F(NetlinkNetnsTest, ReconcileAfterSigkillRemovesStaleStateAndAdoptsWantedState) {
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // A previous run: adds its state, then dies without cleaning up.
        auto k = NetlinkKernel::open();
        if (!k) ::_exit(2);
        auto* state = new KernelState(*k);  // never destroyed: SIGKILL follows
        if (!state->add_address(address_on("2001:db8:10::1"))) ::_exit(3);
        if (!state->add_address(address_on("2001:db8:11::1"))) ::_exit(4);
        if (!state->add_route(route_to("2001:db8:20::/64"))) ::_exit(5);
        if (!state->add_route(route_to("2001:db8:21::/64"))) ::_exit(6);
        ::raise(SIGKILL);
        ::_exit(7);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;
    ASSERT_THAT(ip("-6 route show proto 115"), HasSubstr("2001:db8:21::/64"));

    ASSERT_EQ(netns
                  .run("ip -6 route add 2001:db8:30::/64 dev v0 && ip -6 addr add "
                       "2001:db8:31::1/64 dev v0 nodad")
                  .exit_code,
              0);
    {
        KernelState state(*kernel);
        DesiredKernelState wanted{{route_to("2001:db8:20::/64")}, {address_on("2001:db8:10::1")}};
        auto report = state.reconcile(kSixgateRouteProtocol, wanted);
        ASSERT_TRUE(report) << report.error().message;
        EXPECT_THAT(report->failures, IsEmpty());
        ASSERT_EQ(report->removed_routes.size(), 1u);
        EXPECT_EQ(describe(report->removed_routes[0]), "2001:db8:21::/64 dev v0 metric 1024");
        ASSERT_EQ(report->removed_addresses.size(), 1u);
        EXPECT_EQ(describe(report->removed_addresses[0]), "2001:db8:11::1/64 dev v0");
        EXPECT_EQ(report->adopted_routes.size(), 1u);
        EXPECT_EQ(report->adopted_addresses.size(), 1u);

        const std::string routes = ip("-6 route show proto 115");
        EXPECT_THAT(routes, HasSubstr("2001:db8:20::/64"));
        EXPECT_THAT(routes, Not(HasSubstr("2001:db8:21::")));
        EXPECT_THAT(ip("-6 addr show dev v0"), Not(HasSubstr("2001:db8:11::1")));
        EXPECT_EQ(state.add_route(route_to("2001:db8:20::/64")).value(), Ownership::kAlreadyOwned);
    }
    // Adopted state goes at exit; the administrator's stays.
    EXPECT_EQ(ip("-6 route show proto 115"), "");
    EXPECT_THAT(ip("-6 addr show dev v0"), Not(HasSubstr("2001:db8:10::1")));
    EXPECT_THAT(ip("-6 route show"), HasSubstr("2001:db8:30::/64 dev v0"));
    EXPECT_THAT(ip("-6 addr show dev v0"), HasSubstr("2001:db8:31::1/64"));
}

TEST_F(NetlinkNetnsTest, SysctlsAreRestoredOnExit) {
    const std::string accept_ra = ipv6_conf_path("v0", "accept_ra");
    const std::string forwarding = ipv6_conf_path("all", "forwarding");
    const std::string original_ra = netns.run("cat " + accept_ra).output;
    const std::string original_forwarding = netns.run("cat " + forwarding).output;
    const std::string new_ra = original_ra == "2\n" ? "0" : "2";
    {
        KernelState state(*kernel);
        EXPECT_EQ(state.set_sysctl(accept_ra, new_ra).value(), SysctlOutcome::kChanged);
        EXPECT_EQ(state.set_sysctl(forwarding, "1").value(), original_forwarding == "1\n"
                                                                 ? SysctlOutcome::kAlreadySet
                                                                 : SysctlOutcome::kChanged);
        EXPECT_TRUE(state.set_sysctl(ipv6_conf_path("v0", "accept_ra_rt_info_max_plen"), "64"));
        EXPECT_EQ(netns.run("cat " + accept_ra).output, new_ra + "\n");
        EXPECT_EQ(netns.run("cat " + forwarding).output, "1\n");
        EXPECT_EQ(netns.run("cat " + ipv6_conf_path("v0", "accept_ra_rt_info_max_plen")).output,
                  "64\n");
    }
    EXPECT_EQ(netns.run("cat " + accept_ra).output, original_ra);
    EXPECT_EQ(netns.run("cat " + forwarding).output, original_forwarding);
    EXPECT_EQ(netns.run("cat " + ipv6_conf_path("v0", "accept_ra_rt_info_max_plen")).output, "0\n");
}

TEST_F(NetlinkNetnsTest, ADeletedDeviceCountsAsAlreadyGone) {
    KernelState state(*kernel);
    ASSERT_EQ(state.add_address(address_on("2001:db8:40::1", "v1")).value(), Ownership::kAdded);
    ASSERT_EQ(state.add_route(route_to("2001:db8:41::/64", "v1")).value(), Ownership::kAdded);
    ASSERT_TRUE(state.set_sysctl(ipv6_conf_path("v1", "accept_ra"), "0"));
    ASSERT_EQ(netns.run("ip link del v0").exit_code, 0);  // takes its peer v1 with it
    EXPECT_THAT(state.remove_all(), IsEmpty());
}

TEST(NetnsGuard, LeavesNoNamespaceBehind) {
    std::string name;
    {
        NetnsGuard guard("nl");
        ASSERT_TRUE(guard.ok()) << guard.error();
        name = guard.name();
        EXPECT_EQ(name.rfind("sg-nl-" + std::to_string(::getpid()) + "-", 0), 0u);
        EXPECT_GT(guard.spawn("sleep 600"), 0);
        EXPECT_THAT(sixgate::testing::run_command("ip netns list").output, HasSubstr(name));
    }
    EXPECT_THAT(sixgate::testing::run_command("ip netns list").output, Not(HasSubstr(name)));
}

}  // namespace
}  // namespace sixgate::net::netlink

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    std::string why;
    if (!sixgate::testing::netns_available(&why)) {
        std::printf("skipped: network namespace tests need root and iproute2 (%s)\n", why.c_str());
        return 77;  // ctest SKIP_RETURN_CODE
    }
    return RUN_ALL_TESTS();
}
