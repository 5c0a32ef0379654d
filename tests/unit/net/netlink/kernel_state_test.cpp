// KernelState against the in-memory FakeKernel: ownership, undo order, the administrator's
// configuration, reconcile after a killed run, sysctl restore, and errors with context.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "net/netlink/fake_kernel.hpp"
#include "net/netlink/kernel_state.hpp"

namespace sixgate::net::netlink {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using Op = FakeKernel::Operation;

constexpr const char* kForwarding = "/proc/sys/net/ipv6/conf/all/forwarding";
constexpr const char* kAcceptRa = "/proc/sys/net/ipv6/conf/eth1/accept_ra";

Route route_to(const char* prefix, const char* device = "eth1") {
    Route route;
    route.destination = Ipv6Prefix::parse(prefix).value();
    route.device = device;
    return route;
}

InterfaceAddress address_on(const char* address, const char* device = "eth1", int length = 64) {
    InterfaceAddress a;
    a.device = device;
    a.address = Ipv6Address::parse(address).value();
    a.prefix_length = length;
    a.flags = kAddressFlagNoDad;
    return a;
}

class KernelStateTest : public ::testing::Test {
  protected:
    KernelStateTest() {
        kernel.add_interface("eth0");
        kernel.add_interface("eth1");
        kernel.sysctls()[kForwarding] = "0";
        kernel.sysctls()[kAcceptRa] = "1";
    }
    FakeKernel kernel;
};

TEST_F(KernelStateTest, RemovesWhatItAddedInReverseOrder) {
    {
        KernelState state(kernel);
        EXPECT_EQ(state.set_sysctl(kForwarding, "1").value(), SysctlOutcome::kChanged);
        EXPECT_EQ(state.add_address(address_on("2002:836b:2:1000::1")).value(), Ownership::kAdded);
        EXPECT_EQ(state.add_route(route_to("2002:836b:2:1001::/64")).value(), Ownership::kAdded);
        EXPECT_EQ(kernel.sysctls()[kForwarding], "1");
        ASSERT_EQ(kernel.routes().size(), 1u);
        EXPECT_EQ(kernel.routes()[0].protocol, kSixgateRouteProtocol);
        ASSERT_EQ(kernel.addresses().size(), 1u);
        EXPECT_EQ(kernel.addresses()[0].protocol, kSixgateAddressProtocol);
    }
    EXPECT_THAT(kernel.changes(),
                ElementsAre("write sysctl /proc/sys/net/ipv6/conf/all/forwarding=1",
                            "add address 2002:836b:2:1000::1/64 dev eth1",
                            "add route 2002:836b:2:1001::/64 dev eth1",
                            "delete route 2002:836b:2:1001::/64 dev eth1",
                            "delete address 2002:836b:2:1000::1/64 dev eth1",
                            "write sysctl /proc/sys/net/ipv6/conf/all/forwarding=0"));
    EXPECT_THAT(kernel.routes(), IsEmpty());
    EXPECT_THAT(kernel.addresses(), IsEmpty());
}

TEST_F(KernelStateTest, RemoveAllEmptiesTheJournalSoTheDestructorDoesNothingMore) {
    KernelState state(kernel);
    ASSERT_TRUE(state.add_route(route_to("2001:db8:1::/64")));
    EXPECT_THAT(state.remove_all(), IsEmpty());
    EXPECT_THAT(state.owned_routes(), IsEmpty());
    EXPECT_EQ(kernel.changes().size(), 2u);
}

TEST_F(KernelStateTest, LeavesTheAdministratorsRouteToTheSameDestinationAlone) {
    Route admin = route_to("2002:836b:2:1000::/64", "eth0");
    admin.protocol = 4;  // RTPROT_STATIC
    admin.metric = 1024;
    kernel.routes().push_back(admin);
    {
        KernelState state(kernel);
        EXPECT_EQ(state.add_route(route_to("2002:836b:2:1000::/64")).value(),
                  Ownership::kPresentNotOurs);
        EXPECT_THAT(state.owned_routes(), IsEmpty());
    }
    ASSERT_EQ(kernel.routes().size(), 1u);
    EXPECT_EQ(kernel.routes()[0].device, "eth0");
    EXPECT_THAT(kernel.changes(), IsEmpty());
}

TEST_F(KernelStateTest, LeavesTheAdministratorsAddressAlone) {
    InterfaceAddress admin = address_on("2002:836b:2:1000::1");
    admin.protocol = 0;
    kernel.addresses().push_back(admin);
    {
        KernelState state(kernel);
        EXPECT_EQ(state.add_address(address_on("2002:836b:2:1000::1")).value(),
                  Ownership::kPresentNotOurs);
    }
    EXPECT_EQ(kernel.addresses().size(), 1u);
    EXPECT_THAT(kernel.changes(), IsEmpty());
}

TEST_F(KernelStateTest, OurProtocolWithAnotherPrefixLengthIsNotAdopted) {
    InterfaceAddress other = address_on("2002:836b:2:1000::1", "eth1", 48);
    kernel.addresses().push_back(other);
    KernelState state(kernel);
    EXPECT_EQ(state.add_address(address_on("2002:836b:2:1000::1")).value(),
              Ownership::kPresentNotOurs);
}

TEST_F(KernelStateTest, AddingTheSameRouteTwiceIsAlreadyOwnedAndRemovedOnce) {
    {
        KernelState state(kernel);
        EXPECT_EQ(state.add_route(route_to("2001:db8:1::/64")).value(), Ownership::kAdded);
        EXPECT_EQ(state.add_route(route_to("2001:db8:1::/64")).value(), Ownership::kAlreadyOwned);
        EXPECT_EQ(state.add_address(address_on("2001:db8::1")).value(), Ownership::kAdded);
        EXPECT_EQ(state.add_address(address_on("2001:db8::1")).value(), Ownership::kAlreadyOwned);
    }
    EXPECT_EQ(kernel.changes().size(), 4u);
}

TEST_F(KernelStateTest, AddRouteFailureCarriesContextAndRecordsNothing) {
    kernel.fail_next(Op::kAddRoute, std::errc::operation_not_permitted);
    KernelState state(kernel);
    auto added = state.add_route(route_to("2002:836b:2:1000::/64"));
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, std::errc::operation_not_permitted);
    EXPECT_EQ(added.error().message,
              "add route 2002:836b:2:1000::/64 dev eth1: Operation not permitted");
    EXPECT_THAT(state.owned_routes(), IsEmpty());
    EXPECT_THAT(state.remove_all(), IsEmpty());
    EXPECT_THAT(kernel.changes(), IsEmpty());
}

TEST_F(KernelStateTest, ExistingRouteWithSameMetricIsEexistWithContext) {
    Route ours_elsewhere = route_to("2002:836b:2:1000::/64", "eth0");
    ours_elsewhere.metric = 1024;
    kernel.routes().push_back(ours_elsewhere);  // sixgate's protocol, another device: not identical
    KernelState state(kernel);
    auto added = state.add_route(route_to("2002:836b:2:1000::/64"));
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, std::errc::file_exists);
    EXPECT_EQ(added.error().message, "add route 2002:836b:2:1000::/64 dev eth1: File exists");
}

TEST_F(KernelStateTest, UnknownDeviceIsEnodevWithContext) {
    KernelState state(kernel);
    auto added = state.add_address(address_on("2001:db8::1", "eth9"));
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, std::errc::no_such_device);
    EXPECT_EQ(added.error().message, "add address 2001:db8::1/64 dev eth9: No such device");
}

TEST_F(KernelStateTest, ListFailureWhileCheckingIsReportedWithTheRoute) {
    kernel.fail_next(Op::kListRoutes, std::errc::operation_not_permitted);
    KernelState state(kernel);
    auto added = state.add_route(route_to("2001:db8:1::/64"));
    ASSERT_FALSE(added);
    EXPECT_EQ(added.error().code, std::errc::operation_not_permitted);
    EXPECT_EQ(added.error().message,
              "add route 2001:db8:1::/64 dev eth1: list routes: Operation not permitted");
}

TEST_F(KernelStateTest, RemoveAllIgnoresWhatIsAlreadyGone) {
    KernelState state(kernel);
    ASSERT_TRUE(state.add_address(address_on("2001:db8::1", "eth0")));
    ASSERT_TRUE(state.add_route(route_to("2001:db8:1::/64", "eth0")));
    ASSERT_TRUE(state.add_route(route_to("2001:db8:2::/64", "eth1")));
    ASSERT_TRUE(state.set_sysctl(kAcceptRa, "2"));
    kernel.routes().clear();          // someone deleted our routes
    kernel.remove_interface("eth0");  // and a device went away
    kernel.sysctls().erase(kAcceptRa);
    EXPECT_THAT(state.remove_all(), IsEmpty());
}

TEST_F(KernelStateTest, RemoveAllReportsOtherFailuresAndGoesOn) {
    KernelState state(kernel);
    ASSERT_TRUE(state.add_address(address_on("2001:db8::1")));
    ASSERT_TRUE(state.add_route(route_to("2001:db8:1::/64")));
    kernel.fail_next(Op::kDeleteRoute, std::errc::operation_not_permitted);
    auto failures = state.remove_all();
    ASSERT_EQ(failures.size(), 1u);
    EXPECT_EQ(failures[0].message,
              "delete route 2001:db8:1::/64 dev eth1: Operation not permitted");
    EXPECT_THAT(kernel.addresses(), IsEmpty());
}

TEST_F(KernelStateTest, DestructorSendsCleanupFailuresToTheSink) {
    std::vector<std::string> reported;
    {
        KernelState state(kernel);
        state.set_error_sink([&](const Error& e) { reported.push_back(e.message); });
        ASSERT_TRUE(state.add_route(route_to("2001:db8:1::/64")));
        kernel.fail_next(Op::kDeleteRoute, std::errc::device_or_resource_busy);
    }
    EXPECT_THAT(reported,
                ElementsAre("delete route 2001:db8:1::/64 dev eth1: Device or resource busy"));
}

TEST_F(KernelStateTest, ReconcileRemovesStaleEntriesAndAdoptsWantedOnes) {
    // Left by a killed run (sixgate's protocol) and configured by the administrator.
    Route wanted_route = route_to("2002:836b:2:1000::/64");
    Route stale_route = route_to("2002:836b:2:2000::/64");
    Route admin_route = route_to("2002:836b:2:3000::/64");
    admin_route.protocol = 3;  // RTPROT_BOOT
    kernel.routes() = {wanted_route, stale_route, admin_route};
    InterfaceAddress wanted_address = address_on("2002:836b:2:1000::1");
    InterfaceAddress stale_address = address_on("2002:836b:2:2000::1");
    InterfaceAddress admin_address = address_on("2002:836b:2:3000::1");
    admin_address.protocol = 0;
    kernel.addresses() = {wanted_address, stale_address, admin_address};

    KernelState state(kernel);
    DesiredKernelState wanted{{route_to("2002:836b:2:1000::/64")},
                              {address_on("2002:836b:2:1000::1")}};
    auto report = state.reconcile(kSixgateRouteProtocol, wanted);
    ASSERT_TRUE(report) << report.error().message;
    ASSERT_EQ(report->removed_routes.size(), 1u);
    EXPECT_EQ(describe(report->removed_routes[0]), "2002:836b:2:2000::/64 dev eth1");
    ASSERT_EQ(report->removed_addresses.size(), 1u);
    EXPECT_EQ(describe(report->removed_addresses[0]), "2002:836b:2:2000::1/64 dev eth1");
    ASSERT_EQ(report->adopted_routes.size(), 1u);
    ASSERT_EQ(report->adopted_addresses.size(), 1u);
    EXPECT_THAT(report->failures, IsEmpty());
    EXPECT_EQ(kernel.routes().size(), 2u);
    EXPECT_EQ(kernel.addresses().size(), 2u);

    // Adding what was adopted is a no-op; exit removes the adopted ones, route first.
    EXPECT_EQ(state.add_route(route_to("2002:836b:2:1000::/64")).value(), Ownership::kAlreadyOwned);
    EXPECT_EQ(state.add_address(address_on("2002:836b:2:1000::1")).value(),
              Ownership::kAlreadyOwned);
    EXPECT_THAT(state.remove_all(), IsEmpty());
    ASSERT_EQ(kernel.routes().size(), 1u);
    EXPECT_EQ(kernel.routes()[0].protocol, 3);
    ASSERT_EQ(kernel.addresses().size(), 1u);
    EXPECT_EQ(kernel.addresses()[0].protocol, 0);
    const auto& changes = kernel.changes();
    ASSERT_EQ(changes.size(), 4u);
    EXPECT_EQ(changes[2], "delete route 2002:836b:2:1000::/64 dev eth1");
    EXPECT_EQ(changes[3], "delete address 2002:836b:2:1000::1/64 dev eth1");
}

TEST_F(KernelStateTest, ReconcileReportsWhatItCouldNotRemove) {
    kernel.routes() = {route_to("2001:db8:1::/64"), route_to("2001:db8:2::/64")};
    kernel.fail_next(Op::kDeleteRoute, std::errc::operation_not_permitted);
    KernelState state(kernel);
    auto report = state.reconcile(kSixgateRouteProtocol, {});
    ASSERT_TRUE(report);
    ASSERT_EQ(report->failures.size(), 1u);
    EXPECT_EQ(report->failures[0].code, std::errc::operation_not_permitted);
    EXPECT_EQ(report->removed_routes.size(), 1u);
}

TEST_F(KernelStateTest, ReconcileFailsWhenTheKernelCannotBeListed) {
    kernel.fail_next(Op::kListAddresses, std::errc::permission_denied);
    KernelState state(kernel);
    auto report = state.reconcile(kSixgateRouteProtocol, {});
    ASSERT_FALSE(report);
    EXPECT_EQ(report.error().message, "list addresses: Permission denied");
}

TEST_F(KernelStateTest, AddRouteAdoptsAnIdenticalRouteOfAnEarlierRun) {
    Route left = route_to("2001:db8:1::/64");
    left.metric = 1024;
    kernel.routes().push_back(left);
    {
        KernelState state(kernel);
        EXPECT_EQ(state.add_route(route_to("2001:db8:1::/64")).value(), Ownership::kAdopted);
    }
    EXPECT_THAT(kernel.routes(), IsEmpty());
}

TEST_F(KernelStateTest, SysctlRestoresOnlyWhatItChangedToTheOriginalValue) {
    {
        KernelState state(kernel);
        EXPECT_EQ(state.set_sysctl(kForwarding, "0").value(), SysctlOutcome::kAlreadySet);
        EXPECT_EQ(state.set_sysctl(kAcceptRa, "2").value(), SysctlOutcome::kChanged);
        EXPECT_EQ(state.set_sysctl(kAcceptRa, "0").value(), SysctlOutcome::kChanged);
        EXPECT_EQ(kernel.sysctls()[kAcceptRa], "0");
    }
    EXPECT_EQ(kernel.sysctls()[kAcceptRa], "1");
    EXPECT_EQ(kernel.sysctls()[kForwarding], "0");
    EXPECT_EQ(kernel.changes().size(), 3u);  // two writes and one restore
}

TEST_F(KernelStateTest, SysctlOfAMissingInterfaceIsEnoentWithPath) {
    KernelState state(kernel);
    auto set = state.set_sysctl("/proc/sys/net/ipv6/conf/eth9/accept_ra", "2");
    ASSERT_FALSE(set);
    EXPECT_EQ(set.error().code, std::errc::no_such_file_or_directory);
    EXPECT_EQ(set.error().message,
              "read sysctl /proc/sys/net/ipv6/conf/eth9/accept_ra: No such file or directory");
}

TEST_F(KernelStateTest, RemoveRouteWithdrawsOnlyOwnedRoutes) {
    Route admin = route_to("2001:db8:9::/64");
    admin.protocol = 4;
    kernel.routes().push_back(admin);
    KernelState state(kernel);
    ASSERT_TRUE(state.add_route(route_to("2001:db8:1::/64")));
    EXPECT_TRUE(state.remove_route(route_to("2001:db8:1::/64")).value());
    EXPECT_FALSE(state.remove_route(route_to("2001:db8:9::/64")).value());
    ASSERT_EQ(kernel.routes().size(), 1u);
    EXPECT_EQ(kernel.routes()[0].protocol, 4);
    EXPECT_THAT(state.owned_routes(), IsEmpty());
}

TEST_F(KernelStateTest, RemoveAddressWithdrawsOnlyOwnedAddresses) {
    KernelState state(kernel);
    ASSERT_TRUE(state.add_address(address_on("2001:db8::1")));
    EXPECT_FALSE(state.remove_address(address_on("2001:db8::2")).value());
    EXPECT_TRUE(state.remove_address(address_on("2001:db8::1")).value());
    EXPECT_THAT(kernel.addresses(), IsEmpty());
}

TEST_F(KernelStateTest, HandlesIpv4RoutesAndAddressesForLaterComponents) {
    {
        KernelState state(kernel);
        InterfaceAddress clat;
        clat.device = "eth0";
        clat.address = Ipv4Address(192, 0, 0, 1);
        clat.prefix_length = 29;
        EXPECT_EQ(state.add_address(clat).value(), Ownership::kAdded);
        Route route;
        route.destination = Ipv4Prefix::parse("0.0.0.0/0").value();
        route.device = "eth0";
        EXPECT_EQ(state.add_route(route).value(), Ownership::kAdded);
    }
    EXPECT_THAT(
        kernel.changes(),
        ElementsAre("add address 192.0.0.1/29 dev eth0", "add route 0.0.0.0/0 dev eth0",
                    "delete route 0.0.0.0/0 dev eth0", "delete address 192.0.0.1/29 dev eth0"));
}

TEST_F(KernelStateTest, KeepsTheRouteMtuItAdded) {
    Route route;
    route.destination = Ipv4Prefix::parse("0.0.0.0/0").value();
    route.device = "eth1";
    route.mtu = 1472;
    KernelState state(kernel);
    ASSERT_TRUE(state.add_route(route));
    RouteQuery query;
    query.family = IpFamily::kIpv4;
    auto listed = kernel.list_routes(query);
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ(listed->front().mtu, 1472u);
    EXPECT_THAT(kernel.changes(), ElementsAre("add route 0.0.0.0/0 dev eth1 mtu 1472"));
}

TEST(OwnershipText, ReadsAsTheStatusSays) {
    EXPECT_STREQ(to_string(Ownership::kPresentNotOurs), "present, not ours");
    EXPECT_STREQ(to_string(Ownership::kAdded), "added");
}

}  // namespace
}  // namespace sixgate::net::netlink
