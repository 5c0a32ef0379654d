#include "app/prefix_plan_output.hpp"

#include <gtest/gtest.h>

namespace sixgate::app {
namespace {

PlanReport seed_report() {
    PlanReport report;
    report.plan = *net::derive_prefix_plan(net::Ipv4Address(131, 107, 0, 2), std::nullopt);
    return report;
}

TEST(PlanTable, ListsEveryRoleOfTheSeedExample) {
    EXPECT_EQ(render_plan_table(seed_report()),
              "prefix plan for 131.107.0.2 (globally reachable)\n"
              "\n"
              "  role              prefix                 note\n"
              "  organisation /48  2002:836b:2::/48       6to4 prefix of 131.107.0.2 (RFC 3056)\n"
              "  organisation /64  2002:836b:2:3333::/64  manage-out hosts (SLAAC), name 'org'\n"
              "  server            2002:836b:2:3333::1    the sixgate server on the organisation /64\n"
              "  IP-HTTPS clients  2002:836b:2:1000::/64  remote clients over IP-HTTPS, name 'iphttps'\n"
              "  Teredo clients    2001:0:836b:2::/64     name 'teredo'; needs a 2nd consecutive public IPv4: 131.107.0.3\n"
              "  ISATAP hosts      2002:836b:2:8000::/64  limited-scope ISATAP (::0:5efe:a.b.c.d), name 'isatap'\n"
              "  NAT64             2002:836b:2:7777::/96  PLAT prefix (RFC 6052), sent as PREF64, name 'nat64'\n");
}

TEST(PlanTable, SaysWhyTeredoIsMissingBehindNat) {
    PlanReport report;
    report.plan = *net::derive_prefix_plan(net::Ipv4Address(10, 0, 0, 2), net::Ipv6Prefix::parse("fd12:3456:789a::/48").value());
    const std::string table = render_plan_table(report);
    EXPECT_NE(table.find("not globally reachable: private-use, 10.0.0.0/8, RFC 1918"), std::string::npos);
    EXPECT_NE(table.find("Teredo clients    -"), std::string::npos);
    EXPECT_NE(table.find("pinned ULA (RFC 4193)"), std::string::npos);
}

TEST(PlanWindows, RoutesNoTeredoPrefixBehindNat) {
    PlanReport report;
    report.plan = *net::derive_prefix_plan(net::Ipv4Address(10, 0, 0, 2), net::Ipv6Prefix::parse("fd12:3456:789a::/48").value());
    WindowsHostOptions options;
    options.host_id = *net::Ipv6Address::parse("::100");
    const std::string lines = render_plan_windows(report, options);
    EXPECT_EQ(lines.find("2001:0:"), std::string::npos);
    EXPECT_NE(lines.find("-DestinationPrefix fd12:3456:789a:1000::/64 -NextHop fd12:3456:789a:3333::1"),
              std::string::npos);
    EXPECT_NE(lines.find("-DestinationPrefix fd12:3456:789a:7777::/96"), std::string::npos);
}

}  // namespace
}  // namespace sixgate::app
