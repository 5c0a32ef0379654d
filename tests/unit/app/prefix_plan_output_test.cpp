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

TEST(PlanWindows, JumpHostSectionEnablesIsatapTowardTheNamedRouter) {
    WindowsHostOptions options;
    options.host_id = *net::Ipv6Address::parse("::100");
    options.isatap_router = "gw6.corp.example";
    const std::string lines = render_plan_windows(seed_report(), options);
    EXPECT_NE(lines.find("\nSet-NetIsatapConfiguration -Router gw6.corp.example -State Enabled\n"), std::string::npos)
        << lines;
    EXPECT_NE(lines.find("\nnetsh interface isatap set router gw6.corp.example enabled\n"), std::string::npos) << lines;
    EXPECT_NE(lines.find("# DNS: an A record gw6.corp.example must resolve to the sixgate server's intranet IPv4"),
              std::string::npos)
        << lines;
    EXPECT_NE(lines.find("Do not name it 'isatap'"), std::string::npos);
    EXPECT_NE(lines.find("Only hosts on the server's isatap.allow list"), std::string::npos);
    EXPECT_NE(lines.find("2002:836b:2:8000::/64 + ::5efe:<its IPv4>"), std::string::npos) << lines;
}

TEST(PlanWindows, KeepsTheStaticManageOutLinesBeforeTheJumpHostSection) {
    WindowsHostOptions options;
    options.host_id = *net::Ipv6Address::parse("::100");
    const std::string lines = render_plan_windows(seed_report(), options);
    const auto disabled = lines.find("Set-NetIsatapConfiguration -State Disabled\n");
    const auto netsh_disabled = lines.find("netsh interface isatap set state disabled\n");
    const auto enabled = lines.find("Set-NetIsatapConfiguration -Router sixgate-isatap -State Enabled\n");
    ASSERT_NE(disabled, std::string::npos);
    ASSERT_NE(netsh_disabled, std::string::npos);
    ASSERT_NE(enabled, std::string::npos) << lines;
    EXPECT_LT(disabled, enabled);
    EXPECT_LT(netsh_disabled, enabled);
    EXPECT_NE(lines.find("New-NetIPAddress -InterfaceAlias \"Ethernet\" -IPAddress 2002:836b:2:3333::100"),
              std::string::npos);
}

TEST(PlanWindows, DefinesAndAssignsDhcpOption108WithV6OnlyWait1800) {
    RecordProperty("rfc", "8925 3.1 3.4");
    const std::string lines = render_plan_windows(seed_report(), WindowsHostOptions{});
    const auto definition = lines.find(
        "Add-DhcpServerv4OptionDefinition -Name \"IPv6-Only Preferred\" -OptionId 108 -Type DWord");
    const auto value = lines.find("Set-DhcpServerv4OptionValue -OptionId 108 -Value 1800\n");
    const auto netsh_definition = lines.find("netsh dhcp server add optiondef 108 \"IPv6-Only Preferred\" DWORD 0 ");
    const auto netsh_value = lines.find("netsh dhcp server set optionvalue 108 DWORD 1800\n");
    ASSERT_NE(definition, std::string::npos) << lines;
    ASSERT_NE(value, std::string::npos) << lines;
    ASSERT_NE(netsh_definition, std::string::npos) << lines;
    ASSERT_NE(netsh_value, std::string::npos) << lines;
    // A value can only be set once its definition exists.
    EXPECT_LT(definition, value);
    EXPECT_LT(netsh_definition, netsh_value);
    EXPECT_NE(lines.find("464XLAT through 2002:836b:2:7777::/96"), std::string::npos) << lines;
}

TEST(IsatapRouterName, AcceptsDnsNamesAndIpv4Addresses) {
    EXPECT_FALSE(isatap_router_name_problem("sixgate-isatap"));
    EXPECT_FALSE(isatap_router_name_problem("gw6.corp.example"));
    EXPECT_FALSE(isatap_router_name_problem("isatap2.corp.example"));
    EXPECT_FALSE(isatap_router_name_problem("10.20.0.1"));
}

TEST(IsatapRouterName, RejectsTheBlockedNameIsatapInAnyCase) {
    for (const char* name : {"isatap", "ISATAP.corp.example", "Isatap"}) {
        SCOPED_TRACE(name);
        const auto problem = isatap_router_name_problem(name);
        ASSERT_TRUE(problem);
        EXPECT_NE(problem->find("global query block list"), std::string::npos) << *problem;
    }
}

TEST(IsatapRouterName, RejectsTextThatIsNoDnsName) {
    EXPECT_EQ(isatap_router_name_problem(""), "expected a DNS name or an IPv4 address, found an empty name");
    EXPECT_EQ(isatap_router_name_problem("gw..corp"),
              "'gw..corp' is not a DNS name: each dot-separated label must be 1..63 characters");
    EXPECT_EQ(isatap_router_name_problem("gw_6"), "'gw_6' is not a DNS name: '_' is not a letter, digit or hyphen");
    EXPECT_EQ(isatap_router_name_problem("-gw"), "'-gw' is not a DNS name: a label cannot start or end with a hyphen");
    EXPECT_TRUE(isatap_router_name_problem(std::string(64, 'a')));
}

}  // namespace
}  // namespace sixgate::app
