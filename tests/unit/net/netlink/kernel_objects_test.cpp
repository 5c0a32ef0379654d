// Descriptions, identities and error conversion of kernel objects; no kernel needed.
#include <netlink/errno.h>

#include <gtest/gtest.h>

#include "net/netlink/kernel_addresses.hpp"
#include "net/netlink/kernel_routes.hpp"
#include "net/netlink/route_socket.hpp"
#include "net/netlink/sysctl.hpp"

namespace sixgate::net::netlink {
namespace {

Ipv6Prefix p6(const char* text) {
    return Ipv6Prefix::parse(text).value();
}
Ipv6Address a6(const char* text) {
    return Ipv6Address::parse(text).value();
}

TEST(DescribeRoute, LeavesDefaultsOut) {
    Route route;
    route.destination = p6("2002:836b:2:1000::/64");
    route.device = "eth1";
    EXPECT_EQ(describe(route), "2002:836b:2:1000::/64 dev eth1");
}

TEST(DescribeRoute, NamesGatewayMetricTableAndType) {
    Route route;
    route.destination = p6("64:ff9b::/96");
    route.gateway = a6("fe80::1");
    route.device = "eth0";
    route.metric = 50;
    route.table = 100;
    EXPECT_EQ(describe(route), "64:ff9b::/96 via fe80::1 dev eth0 metric 50 table 100");
    route.type = RouteType::kBlackhole;
    route.gateway.reset();
    route.device.clear();
    EXPECT_EQ(describe(route), "blackhole 64:ff9b::/96 metric 50 table 100");
}

TEST(DescribeRoute, ShowsTheRouteMtuAfterTheMetric) {
    Route route;
    route.destination = Ipv4Prefix::parse("0.0.0.0/0").value();
    route.device = "clat0";
    route.mtu = 1472;
    EXPECT_EQ(describe(route), "0.0.0.0/0 dev clat0 mtu 1472");
    route.metric = 2048;
    route.table = 100;
    EXPECT_EQ(describe(route), "0.0.0.0/0 dev clat0 metric 2048 mtu 1472 table 100");
}

TEST(RouteIdentity, TheMtuIsNotPartOfIt) {
    Route a;
    a.destination = p6("2001:db8::/64");
    Route b = a;
    b.mtu = 1400;
    EXPECT_TRUE(a.same_route_as(b));  // the kernel keys routes on destination, table, metric
}

TEST(DescribeRoute, PrintsIpv4Routes) {
    Route route;
    route.destination = Ipv4Prefix::parse("198.51.100.0/24").value();
    route.gateway = Ipv4Address(192, 0, 2, 1);
    EXPECT_EQ(describe(route), "198.51.100.0/24 via 192.0.2.1");
}

TEST(RouteIdentity, Ipv6MetricZeroIsTheKernelDefault1024) {
    Route a;
    a.destination = p6("2001:db8::/64");
    Route b = a;
    b.metric = kDefaultIpv6Metric;
    EXPECT_TRUE(a.same_route_as(b));
    b.protocol = 4;  // the protocol is a tag, not part of the identity
    EXPECT_TRUE(a.same_route_as(b));
    b.metric = 256;
    EXPECT_FALSE(a.same_route_as(b));
}

TEST(RouteIdentity, Ipv4MetricZeroStaysZero) {
    Route a;
    a.destination = Ipv4Prefix::parse("10.0.0.0/8").value();
    EXPECT_EQ(effective_metric(a), 0u);
}

TEST(DescribeAddress, ShowsAddressLengthAndDevice) {
    InterfaceAddress address;
    address.device = "eth1";
    address.address = a6("2002:836b:2:1000::1");
    EXPECT_EQ(describe(address), "2002:836b:2:1000::1/64 dev eth1");
    address.address = Ipv4Address(192, 0, 0, 1);
    address.prefix_length = 29;
    EXPECT_EQ(describe(address), "192.0.0.1/29 dev eth1");
}

TEST(KernelError, CarriesErrnoContextAndExtendedAck) {
    const Error error = kernel_error(EEXIST, "add route 2002:836b:2:1000::/64 dev eth1");
    EXPECT_EQ(error.code, std::errc::file_exists);
    EXPECT_EQ(error.message, "add route 2002:836b:2:1000::/64 dev eth1: File exists");
    const Error with_ack = kernel_error(ENETDOWN, "add route x", "Nexthop device is not up");
    EXPECT_EQ(with_ack.message, "add route x: Network is down (kernel: Nexthop device is not up)");
}

TEST(LibnlError, MapsToTheNearestErrno) {
    EXPECT_EQ(libnl_error(-NLE_EXIST, "x").code, std::errc::file_exists);
    EXPECT_EQ(libnl_error(NLE_NODEV, "x").code, std::errc::no_such_device);
    EXPECT_EQ(libnl_error(-NLE_PERM, "x").code, std::errc::operation_not_permitted);
    EXPECT_EQ(libnl_error(-NLE_NOMEM, "open").message.rfind("open: ", 0), 0u);
}

TEST(Sysctl, RefusesPathsOutsideProcSys) {
    auto read = read_sysctl("/etc/passwd");
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().code, std::errc::invalid_argument);
    auto write = write_sysctl("/proc/sys/net/../../../etc/x", "1");
    ASSERT_FALSE(write);
    EXPECT_EQ(write.error().code, std::errc::invalid_argument);
}

TEST(Sysctl, Ipv6ConfPathNamesTheInterface) {
    EXPECT_EQ(ipv6_conf_path("eth1", "accept_ra"), "/proc/sys/net/ipv6/conf/eth1/accept_ra");
}

TEST(Sysctl, ReadsAValueWithoutTheNewline) {
    auto value = read_sysctl("/proc/sys/kernel/ostype");
    ASSERT_TRUE(value) << value.error().message;
    EXPECT_EQ(*value, "Linux");
}

}  // namespace
}  // namespace sixgate::net::netlink
