// Route MTU (RTA_METRICS / RTAX_MTU) against the real kernel: added by add_route, read back by
// list_routes, in a namespace this test creates (sg-rmtu-PID-N) and always deletes. Needs root
// and iproute2; skipped otherwise.
#include <gtest/gtest.h>

#include <optional>

#include "net/netlink/kernel_routes.hpp"
#include "net/netlink/route_socket.hpp"
#include "tests/netns/netns_guard.hpp"

namespace sixgate::net::netlink {
namespace {

using sixgate::testing::NetnsGuard;

TEST(RouteMtu, IsSentAsRtaxMtuAndReadBackByListRoutes) {
    std::string why;
    if (!sixgate::testing::netns_available(&why)) GTEST_SKIP() << why;
    NetnsGuard netns("rmtu");
    ASSERT_TRUE(netns.ok()) << netns.error();
    ASSERT_EQ(netns.run("ip link set lo up").exit_code, 0);
    {
        auto entry = netns.enter();
        ASSERT_TRUE(entry.ok());
        auto socket = RouteSocket::open();
        ASSERT_TRUE(socket) << socket.error().message;

        Route ipv4;
        ipv4.destination = Ipv4Prefix::parse("198.51.100.0/24").value();
        ipv4.device = "lo";
        ipv4.mtu = 1472;
        ASSERT_TRUE(add_route(*socket, ipv4));
        Route ipv6;
        ipv6.destination = Ipv6Prefix::parse("2001:db8:c1a7::1/128").value();
        ipv6.device = "lo";
        ipv6.mtu = 1400;
        ASSERT_TRUE(add_route(*socket, ipv6));
        Route plain;
        plain.destination = Ipv4Prefix::parse("203.0.113.0/24").value();
        plain.device = "lo";
        ASSERT_TRUE(add_route(*socket, plain));

        auto listed = list_routes_with_protocol(*socket, kSixgateRouteProtocol);
        ASSERT_TRUE(listed) << listed.error().message;
        std::optional<std::uint32_t> ipv4_mtu, ipv6_mtu, plain_mtu = 0;
        for (const Route& route : *listed) {
            if (route.same_route_as(ipv4)) ipv4_mtu = route.mtu;
            if (route.same_route_as(ipv6)) ipv6_mtu = route.mtu;
            if (route.same_route_as(plain)) plain_mtu = route.mtu;
        }
        EXPECT_EQ(ipv4_mtu, 1472u);
        EXPECT_EQ(ipv6_mtu, 1400u);
        EXPECT_EQ(plain_mtu, std::nullopt);
        // Deleting does not need the MTU.
        EXPECT_TRUE(delete_route(*socket, ipv4));
    }
    // iproute2 agrees.
    const auto shown = netns.run("ip -6 route show 2001:db8:c1a7::1");
    EXPECT_NE(shown.output.find("mtu 1400"), std::string::npos) << shown.output;
}

}  // namespace
}  // namespace sixgate::net::netlink
