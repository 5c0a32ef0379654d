// The lease on the uplink (FakeKernel): address with the lease time as its lifetime, default route
// via option 3, both removed on remove() and in the destructor; a foreign default route refuses.

#include <gtest/gtest.h>

#include "clat/dhcpv4_lease.hpp"
#include "net/netlink/fake_kernel.hpp"

namespace sixgate::clat {
namespace {

namespace netlink = net::netlink;
using namespace std::chrono_literals;

DhcpLease lease() {
    DhcpLease l;
    l.address = net::Ipv4Address(192, 0, 2, 50);
    l.prefix_length = 24;
    l.router = net::Ipv4Address(192, 0, 2, 1);
    l.server = net::Ipv4Address(192, 0, 2, 1);
    l.lease_time_s = 120;
    return l;
}

std::size_t ipv4_defaults(netlink::FakeKernel& kernel) {
    std::size_t count = 0;
    for (const auto& route : kernel.routes())
        if (route.destination == netlink::AnyIpPrefix(net::Ipv4Prefix(net::Ipv4Address(), 0)))
            ++count;
    return count;
}

TEST(DhcpLeaseInstaller, PutsTheAddressAndDefaultRouteOnTheUplinkAndRemovesThem) {
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0");
    {
        DhcpLeaseInstaller installer(kernel, "eth0");
        ASSERT_TRUE(installer.install(lease()));
        ASSERT_EQ(kernel.addresses().size(), 1u);
        EXPECT_EQ(netlink::describe(kernel.addresses()[0]), "192.0.2.50/24 dev eth0");
        EXPECT_EQ(kernel.addresses()[0].valid_lifetime_s, 120u);
        EXPECT_EQ(ipv4_defaults(kernel), 1u);
        installer.remove();
        EXPECT_TRUE(kernel.addresses().empty());
        EXPECT_EQ(ipv4_defaults(kernel), 0u);
        ASSERT_TRUE(installer.install(lease()));
    }
    EXPECT_TRUE(kernel.addresses().empty()) << "the destructor removes the lease";
    EXPECT_EQ(ipv4_defaults(kernel), 0u);
}

TEST(DhcpLeaseInstaller, AnotherDefaultRouteRefusesAndLeavesNothingBehind) {
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0");
    netlink::Route foreign;
    foreign.destination = net::Ipv4Prefix(net::Ipv4Address(), 0);
    foreign.gateway = net::Ipv4Address(192, 0, 2, 1);
    foreign.device = "eth0";
    foreign.protocol = 4;  // static: the administrator's
    kernel.routes().push_back(foreign);
    DhcpLeaseInstaller installer(kernel, "eth0");
    auto done = installer.install(lease());
    ASSERT_FALSE(done);
    EXPECT_NE(done.error().message.find("another IPv4 default route"), std::string::npos)
        << done.error().message;
    EXPECT_TRUE(kernel.addresses().empty());
    EXPECT_EQ(ipv4_defaults(kernel), 1u);
}

TEST(DhcpLeaseInstaller, ALeaseWithoutARouterAddsOnlyTheAddress) {
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0");
    DhcpLeaseInstaller installer(kernel, "eth0");
    DhcpLease l = lease();
    l.router.reset();
    ASSERT_TRUE(installer.install(l));
    EXPECT_EQ(kernel.addresses().size(), 1u);
    EXPECT_EQ(ipv4_defaults(kernel), 0u);
}

}  // namespace
}  // namespace sixgate::clat
