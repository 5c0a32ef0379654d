// What the CLAT puts in the kernel for a config: the plan itself, and the plan applied through
// KernelState to a FakeKernel (added, then every change undone).
#include <gtest/gtest.h>

#include <algorithm>

#include "clat/clat_kernel_plan.hpp"
#include "net/netlink/fake_kernel.hpp"
#include "net/netlink/kernel_state.hpp"

namespace sixgate::clat {
namespace {

namespace netlink = net::netlink;

ClatKernelInputs inputs_for(ForwardingMethod forwarding, bool with_ipv6 = true) {
    ClatKernelInputs inputs;
    inputs.tun = "clat0";
    inputs.uplink = "eth0";
    inputs.mtus = plan_clat_mtus(1500, std::nullopt);
    inputs.forwarding = forwarding;
    if (with_ipv6) inputs.clat_ipv6 = net::Ipv6Address::parse("2001:db8:1::c1a7").value();
    return inputs;
}

std::vector<std::string> described(const ClatKernelPlan& plan) {
    std::vector<std::string> lines;
    for (const auto& a : plan.addresses) lines.push_back("address " + netlink::describe(a));
    for (const auto& r : plan.routes) lines.push_back("route " + netlink::describe(r));
    for (const auto& s : plan.sysctls) lines.push_back("sysctl " + s.path + "=" + s.value);
    return lines;
}

TEST(ClatMtus, Ipv4RouteIsTheUplinkMinus28SoHostFragmentsFitToo) {
    RecordProperty("rfc", "7915 4.1");
    const ClatMtus mtus = plan_clat_mtus(1500, std::nullopt);
    EXPECT_EQ(mtus.uplink, 1500u);
    EXPECT_EQ(mtus.ipv4_route, 1472u);
    EXPECT_EQ(mtus.tun, 1500u);  // IPv6 packets forwarded from the uplink must fit the TUN
    EXPECT_FALSE(mtus.configured);
    EXPECT_EQ(plan_clat_mtus(1280, std::nullopt).ipv4_route, 1252u);
}

TEST(ClatMtus, ConfiguredMtuOverridesAndWidensTheTunWhenLarger) {
    ClatMtus mtus = plan_clat_mtus(1500, 1400);
    EXPECT_EQ(mtus.ipv4_route, 1400u);
    EXPECT_EQ(mtus.tun, 1500u);
    EXPECT_TRUE(mtus.configured);
    mtus = plan_clat_mtus(1500, 9000);
    EXPECT_EQ(mtus.ipv4_route, 9000u);
    EXPECT_EQ(mtus.tun, 9000u);
}

TEST(ClatMtus, NeverExceed65535) {
    const ClatMtus mtus = plan_clat_mtus(65536, std::nullopt);  // the loopback's MTU
    EXPECT_EQ(mtus.ipv4_route, 65508u);
    EXPECT_EQ(mtus.tun, 65535u);
}

TEST(ClatKernelPlan, WithoutTheIpv6AddressOnlyTheIpv4SideIsPlanned) {
    const auto plan = plan_clat_kernel_state(inputs_for(ForwardingMethod::force_forwarding, false));
    EXPECT_EQ(described(plan), (std::vector<std::string>{
                                   "address 192.0.0.1/32 dev clat0",
                                   "route 0.0.0.0/0 dev clat0 mtu 1472",
                               }));
}

TEST(ClatKernelPlan, ForceForwardingOnTheTunAndTheUplinkOnly) {
    RecordProperty("rfc", "6877 6.3");
    const auto plan = plan_clat_kernel_state(inputs_for(ForwardingMethod::force_forwarding));
    EXPECT_EQ(described(plan), (std::vector<std::string>{
                                   "address 192.0.0.1/32 dev clat0",
                                   "route 0.0.0.0/0 dev clat0 mtu 1472",
                                   "route 2001:db8:1::c1a7/128 dev clat0",
                                   "sysctl /proc/sys/net/ipv6/conf/clat0/force_forwarding=1",
                                   "sysctl /proc/sys/net/ipv6/conf/eth0/force_forwarding=1",
                               }));
}

TEST(ClatKernelPlan, WithoutForceForwardingAcceptRa2ComesBeforeAllForwarding) {
    const auto plan = plan_clat_kernel_state(inputs_for(ForwardingMethod::accept_ra_2));
    ASSERT_EQ(plan.sysctls.size(), 2u);
    EXPECT_EQ(plan.sysctls[0], (SysctlSetting{"/proc/sys/net/ipv6/conf/eth0/accept_ra", "2"}));
    EXPECT_EQ(plan.sysctls[1], (SysctlSetting{"/proc/sys/net/ipv6/conf/all/forwarding", "1"}));
    EXPECT_EQ(to_string(ForwardingMethod::accept_ra_2), "accept_ra=2");
    EXPECT_EQ(to_string(ForwardingMethod::force_forwarding), "force_forwarding");
}

TEST(ClatKernelPlan, UsesTheConfiguredHostAddressAndMtu) {
    ClatKernelInputs inputs = inputs_for(ForwardingMethod::force_forwarding, false);
    inputs.host_ipv4 = net::Ipv4Address(192, 0, 0, 4);
    inputs.mtus = plan_clat_mtus(1500, 1400);
    EXPECT_EQ(described(plan_clat_kernel_state(inputs)), (std::vector<std::string>{
                                                             "address 192.0.0.4/32 dev clat0",
                                                             "route 0.0.0.0/0 dev clat0 mtu 1400",
                                                         }));
}

TEST(ClatKernelPlan, AppliedThroughKernelStateItIsAddedAndEveryChangeUndone) {
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0");
    kernel.add_interface("clat0");
    kernel.sysctls()["/proc/sys/net/ipv6/conf/eth0/accept_ra"] = "1";
    kernel.sysctls()["/proc/sys/net/ipv6/conf/all/forwarding"] = "0";
    const auto plan = plan_clat_kernel_state(inputs_for(ForwardingMethod::accept_ra_2));
    {
        netlink::KernelState state(kernel);
        for (const auto& a : plan.addresses) ASSERT_TRUE(state.add_address(a));
        for (const auto& r : plan.routes) ASSERT_TRUE(state.add_route(r));
        for (const auto& s : plan.sysctls) ASSERT_TRUE(state.set_sysctl(s.path, s.value));
        const auto& routes = kernel.routes();
        const auto ipv4_default =
            std::find_if(routes.begin(), routes.end(), [](const netlink::Route& r) {
                return netlink::family_of(r.destination) == netlink::IpFamily::kIpv4;
            });
        ASSERT_NE(ipv4_default, routes.end());
        EXPECT_EQ(ipv4_default->mtu, 1472u);
        EXPECT_EQ(kernel.sysctls()["/proc/sys/net/ipv6/conf/all/forwarding"], "1");
        EXPECT_EQ(kernel.sysctls()["/proc/sys/net/ipv6/conf/eth0/accept_ra"], "2");
    }
    EXPECT_TRUE(kernel.routes().empty());
    EXPECT_TRUE(kernel.addresses().empty());
    EXPECT_EQ(kernel.sysctls()["/proc/sys/net/ipv6/conf/all/forwarding"], "0");
    EXPECT_EQ(kernel.sysctls()["/proc/sys/net/ipv6/conf/eth0/accept_ra"], "1");
    // Restored in reverse: forwarding off before RAs are handled as before.
    const auto& changes = kernel.changes();
    const auto forwarding_off = std::find(changes.begin(), changes.end(),
                                          "write sysctl /proc/sys/net/ipv6/conf/all/forwarding=0");
    const auto accept_ra_back = std::find(changes.begin(), changes.end(),
                                          "write sysctl /proc/sys/net/ipv6/conf/eth0/accept_ra=1");
    ASSERT_NE(forwarding_off, changes.end());
    ASSERT_NE(accept_ra_back, changes.end());
    EXPECT_LT(forwarding_off, accept_ra_back);
}

}  // namespace
}  // namespace sixgate::clat
