// What the PLAT puts in the kernel (plan_plat_kernel_state), the checks that refuse a start
// (check_plat_kernel_conflicts) and applying / removing it through a KernelState, on FakeKernel.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "net/netlink/fake_kernel.hpp"
#include "net/netlink/kernel_state.hpp"
#include "plat/plat_kernel_plan.hpp"

namespace sixgate::plat {
namespace {

namespace netlink = net::netlink;

PlatKernelInputs inputs() {
    PlatKernelInputs in;
    in.tun = "plat0";
    in.pool6 = net::Ipv6Prefix::parse("64:ff9b::/96").value();
    in.routed_ipv4 = {net::Ipv4Prefix::parse("198.51.100.0/30").value(),
                      net::Ipv4Prefix::parse("203.0.113.7/32").value()};
    return in;
}

// A host with eth0 (2001:db8:1::1/64, 192.0.2.1/24), forwarding off, plat0 open.
struct Host {
    Host() {
        kernel.add_interface("eth0");
        kernel.add_interface("plat0");
        netlink::InterfaceAddress v6;
        v6.device = "eth0";
        v6.address = net::Ipv6Address::parse("2001:db8:1::1").value();
        v6.prefix_length = 64;
        v6.protocol = 0;
        kernel.addresses().push_back(v6);
        netlink::InterfaceAddress v4;
        v4.device = "eth0";
        v4.address = net::Ipv4Address(192, 0, 2, 1);
        v4.prefix_length = 24;
        v4.protocol = 0;
        kernel.addresses().push_back(v4);
        add_route("2001:db8:1::/64", "eth0", 2);  // kernel
        add_route("192.0.2.0/24", "eth0", 2);     // kernel
        add_route("::/0", "eth0", 9);             // RA default (never a conflict)
        add_route("0.0.0.0/0", "eth0", 4);        // static default
        kernel.sysctls()[kIpv6ForwardingSysctl] = "0";
        kernel.sysctls()[kIpv4ForwardingSysctl] = "0";
    }
    void add_route(const std::string& prefix, const std::string& device, std::uint8_t protocol) {
        netlink::Route route;
        if (prefix.find(':') != std::string::npos)
            route.destination = net::Ipv6Prefix::parse(prefix).value();
        else
            route.destination = net::Ipv4Prefix::parse(prefix).value();
        route.device = device;
        route.protocol = protocol;
        kernel.routes().push_back(route);
    }
    std::size_t routes_on(const std::string& device) {
        return static_cast<std::size_t>(
            std::count_if(kernel.routes().begin(), kernel.routes().end(),
                          [&](const netlink::Route& r) { return r.device == device; }));
    }
    netlink::FakeKernel kernel;
};

TEST(PlatKernelPlan, RoutesPool6AndEveryIpv4PrefixIntoTheTun) {
    RecordProperty("rfc", "6146 3.4");
    const PlatKernelPlan plan = plan_plat_kernel_state(inputs());
    ASSERT_EQ(plan.routes.size(), 3u);
    EXPECT_EQ(netlink::describe(plan.routes[0]), "64:ff9b::/96 dev plat0");
    EXPECT_EQ(netlink::describe(plan.routes[1]), "198.51.100.0/30 dev plat0");
    EXPECT_EQ(netlink::describe(plan.routes[2]), "203.0.113.7/32 dev plat0");
    for (const auto& route : plan.routes) EXPECT_EQ(route.protocol, netlink::kSixgateRouteProtocol);
}

TEST(PlatKernelPlan, TurnsOnIpv6AndIpv4ForwardingGlobally) {
    const PlatKernelPlan plan = plan_plat_kernel_state(inputs());
    ASSERT_EQ(plan.sysctls.size(), 2u);
    EXPECT_EQ(plan.sysctls[0], (PlatSysctl{"/proc/sys/net/ipv6/conf/all/forwarding", "1"}));
    EXPECT_EQ(plan.sysctls[1], (PlatSysctl{"/proc/sys/net/ipv4/ip_forward", "1"}));
}

TEST(PlatKernelConflicts, AnOrdinaryHostHasNone) {
    Host host;
    const auto checked = check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(inputs()));
    EXPECT_TRUE(checked) << checked.error().message;
}

TEST(PlatKernelConflicts, RefusesAPool4AddressThatIsALocalAddress) {
    Host host;
    PlatKernelInputs in = inputs();
    in.routed_ipv4.push_back(net::Ipv4Prefix::parse("192.0.2.0/31").value());  // holds 192.0.2.1
    const auto checked = check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(in));
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code, std::errc::file_exists);
    EXPECT_NE(checked.error().message.find("192.0.2.0/31 holds 192.0.2.1, a local address"),
              std::string::npos)
        << checked.error().message;
    EXPECT_NE(checked.error().message.find("deliver its packets locally"), std::string::npos);
}

TEST(PlatKernelConflicts, RefusesAPool6PrefixThatHoldsALocalAddress) {
    Host host;
    PlatKernelInputs in = inputs();
    in.pool6 = net::Ipv6Prefix::parse("2001:db8:1::/96").value();
    const auto checked = check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(in));
    ASSERT_FALSE(checked);
    EXPECT_NE(
        checked.error().message.find("plat.prefix (pool6) 2001:db8:1::/96 holds 2001:db8:1::1"),
        std::string::npos)
        << checked.error().message;
}

TEST(PlatKernelConflicts, RefusesAPool6PrefixOverlappingAnotherOwnersRoute) {
    Host host;
    host.add_route("64:ff9b::/96", "nat64", 4);  // e.g. a TAYGA set up by hand
    const auto checked = check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(inputs()));
    ASSERT_FALSE(checked);
    EXPECT_NE(checked.error().message.find(
                  "plat.prefix (pool6) 64:ff9b::/96 overlaps the route 64:ff9b::/96 dev nat64 "
                  "(protocol 4)"),
              std::string::npos)
        << checked.error().message;
}

TEST(PlatKernelConflicts, RefusesPool4InsideOrAroundAnotherRoute) {
    {
        Host host;
        host.add_route("198.51.100.0/24", "eth0", 4);  // around 198.51.100.0/30
        const auto checked =
            check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(inputs()));
        ASSERT_FALSE(checked);
        EXPECT_NE(
            checked.error().message.find("198.51.100.0/30 overlaps the route 198.51.100.0/24"),
            std::string::npos)
            << checked.error().message;
    }
    {
        Host host;
        host.add_route("198.51.100.2/32", "eth0", 4);  // inside it
        EXPECT_FALSE(check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(inputs())));
    }
    {
        Host host;
        host.add_route("198.51.100.4/30", "eth0", 4);  // next to it: fine
        EXPECT_TRUE(check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(inputs())));
    }
}

TEST(PlatKernelConflicts, AnotherSixgateRouteElsewhereIsAConflictButAKilledRunsOwnIsNot) {
    {
        Host host;
        host.add_route("64:ff9b::/96", "nat64", netlink::kSixgateRouteProtocol);  // the router's
        EXPECT_FALSE(check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(inputs())));
    }
    {
        Host host;
        host.add_route("64:ff9b::/96", "plat0", netlink::kSixgateRouteProtocol);  // adopted
        EXPECT_TRUE(check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(inputs())));
    }
}

TEST(PlatKernelConflicts, AKernelThatCannotBeAskedIsAnError) {
    Host host;
    host.kernel.fail_next(netlink::FakeKernel::Operation::kListRoutes,
                          std::errc::permission_denied);
    const auto checked = check_plat_kernel_conflicts(host.kernel, plan_plat_kernel_state(inputs()));
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code, std::errc::permission_denied);
    EXPECT_NE(checked.error().message.find("plat: listing the routes"), std::string::npos);
}

TEST(PlatKernelApply, AddsTheRoutesAndForwardingAndRemoveAllUndoesEverything) {
    Host host;
    const std::size_t routes_before = host.kernel.routes().size();
    {
        netlink::KernelState state(host.kernel);
        const auto applied = apply_plat_kernel_plan(state, plan_plat_kernel_state(inputs()));
        ASSERT_TRUE(applied) << applied.error().message;
        EXPECT_EQ(host.routes_on("plat0"), 3u);
        EXPECT_EQ(host.kernel.sysctls()[kIpv6ForwardingSysctl], "1");
        EXPECT_EQ(host.kernel.sysctls()[kIpv4ForwardingSysctl], "1");
        EXPECT_TRUE(state.remove_all().empty());
    }
    EXPECT_EQ(host.routes_on("plat0"), 0u);
    EXPECT_EQ(host.kernel.routes().size(), routes_before);
    EXPECT_EQ(host.kernel.sysctls()[kIpv6ForwardingSysctl], "0");
    EXPECT_EQ(host.kernel.sysctls()[kIpv4ForwardingSysctl], "0");
}

TEST(PlatKernelApply, ForwardingAlreadyOnIsLeftOnAtRemoval) {
    Host host;
    host.kernel.sysctls()[kIpv4ForwardingSysctl] = "1";
    netlink::KernelState state(host.kernel);
    ASSERT_TRUE(apply_plat_kernel_plan(state, plan_plat_kernel_state(inputs())));
    EXPECT_TRUE(state.remove_all().empty());
    EXPECT_EQ(host.kernel.sysctls()[kIpv4ForwardingSysctl], "1");
    EXPECT_EQ(host.kernel.sysctls()[kIpv6ForwardingSysctl], "0");
}

TEST(PlatKernelApply, AFailureHalfWayIsReportedAndWhatWasAddedIsRemoved) {
    Host host;
    host.kernel.fail_next(netlink::FakeKernel::Operation::kWriteSysctl,
                          std::errc::permission_denied);
    netlink::KernelState state(host.kernel);
    const auto applied = apply_plat_kernel_plan(state, plan_plat_kernel_state(inputs()));
    ASSERT_FALSE(applied);
    EXPECT_NE(applied.error().message.find("plat sysctl /proc/sys/net/ipv6/conf/all/forwarding=1"),
              std::string::npos)
        << applied.error().message;
    EXPECT_EQ(host.routes_on("plat0"), 3u);  // in place until the owner removes them
    EXPECT_TRUE(state.remove_all().empty());
    EXPECT_EQ(host.routes_on("plat0"), 0u);
}

TEST(PlatKernelApply, ARouteOfAnotherOwnerToTheSamePrefixIsRefused) {
    Host host;
    host.add_route("203.0.113.7/32", "eth0", 4);
    netlink::KernelState state(host.kernel);
    const auto applied = apply_plat_kernel_plan(state, plan_plat_kernel_state(inputs()));
    ASSERT_FALSE(applied);
    EXPECT_NE(applied.error().message.find("another route to 203.0.113.7/32 is already there"),
              std::string::npos)
        << applied.error().message;
}

}  // namespace
}  // namespace sixgate::plat
