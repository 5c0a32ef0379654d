// Runs the built sixgate binary and checks its output forms and exit codes.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/unit/app/run_sixgate.hpp"

namespace {

using testing::HasSubstr;
using testing::Not;
using testing::StartsWith;

using sixgate::testing::Invocation;

Invocation sixgate(const std::string& arguments) { return sixgate::testing::run_sixgate(arguments); }

int line_count(const std::string& text) {
    int lines = 0;
    for (char c : text) lines += c == '\n';
    return lines;
}

TEST(CliPrefixes, PrintsTheSeedPlanAsATable) {
    const Invocation run = sixgate("prefixes --public-ipv4 131.107.0.2");
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_THAT(run.out, HasSubstr("2002:836b:2::/48"));
    EXPECT_THAT(run.out, HasSubstr("2002:836b:2:3333::/64"));
    EXPECT_THAT(run.out, HasSubstr("2002:836b:2:3333::1 "));
    EXPECT_THAT(run.out, HasSubstr("2002:836b:2:1000::/64"));
    EXPECT_THAT(run.out, HasSubstr("2001:0:836b:2::/64"));
    EXPECT_THAT(run.out, HasSubstr("131.107.0.3"));
    EXPECT_THAT(run.out, HasSubstr("2002:836b:2:7777::/96"));
    EXPECT_EQ(run.err, "");
}

TEST(CliPrefixes, AlignsTheTableColumns) {
    const Invocation run = sixgate("prefixes --public-ipv4 131.107.0.2");
    // Every row's prefix column starts at the same offset as the header's.
    const auto header = run.out.find("  role");
    ASSERT_NE(header, std::string::npos);
    const auto column = run.out.find("prefix", header) - header;
    for (const char* value : {"2002:836b:2::/48", "2002:836b:2:1000::/64", "2002:836b:2:7777::/96"}) {
        const auto at = run.out.find(value);
        const auto line_start = run.out.rfind('\n', at) + 1;
        EXPECT_EQ(at - line_start, column) << value;
    }
}

TEST(CliPrefixes, ShowsTheSixToFourClientAddress) {
    const Invocation run = sixgate("prefixes --public-ipv4 131.107.0.2 --client-ipv4 198.51.100.83");
    EXPECT_EQ(run.status, 0);
    EXPECT_THAT(run.out, HasSubstr("2002:c633:6453::c633:6453"));
    // A documentation address is accepted with a warning: it is only an illustration.
    EXPECT_THAT(run.err, HasSubstr("warning: 198.51.100.83 is a documentation address (RFC 5737)"));
}

TEST(CliPrefixes, RefusesAPrivateClientIpv4) {
    const Invocation run = sixgate("prefixes --public-ipv4 131.107.0.2 --client-ipv4 10.1.2.3");
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(run.err,
              "sixgate prefixes: error: --client-ipv4: a 6to4 client needs a globally reachable IPv4 "
              "address; 10.1.2.3 is in 10.0.0.0/8 (private-use, RFC 1918)\n");
}

TEST(CliPrefixes, PrintsStableJsonKeys) {
    const Invocation run = sixgate("prefixes --public-ipv4 131.107.0.2 --client-ipv4 198.51.100.83 --json");
    ASSERT_EQ(run.status, 0);
    const auto json = nlohmann::json::parse(run.out);
    EXPECT_EQ(json["public_ipv4"], "131.107.0.2");
    EXPECT_EQ(json["globally_reachable"], true);
    EXPECT_EQ(json["behind_nat"], false);
    EXPECT_TRUE(json["special_purpose"].is_null());
    EXPECT_EQ(json["site"], "2002:836b:2::/48");
    EXPECT_EQ(json["ula_generated"], false);
    EXPECT_EQ(json["organization"], "2002:836b:2:3333::/64");
    EXPECT_EQ(json["server"], "2002:836b:2:3333::1");
    EXPECT_EQ(json["iphttps"], "2002:836b:2:1000::/64");
    EXPECT_EQ(json["teredo"]["prefix"], "2001:0:836b:2::/64");
    EXPECT_EQ(json["teredo"]["second_ipv4"], "131.107.0.3");
    EXPECT_TRUE(json["teredo_unavailable"].is_null());
    EXPECT_EQ(json["isatap"], "2002:836b:2:8000::/64");
    EXPECT_EQ(json["nat64"], "2002:836b:2:7777::/96");
    EXPECT_EQ(json["client"]["sixtofour_address"], "2002:c633:6453::c633:6453");
    EXPECT_EQ(json.size(), 14u);
}

TEST(CliPrefixes, UsesAGeneratedUlaBehindNatAndSaysToPinIt) {
    const Invocation run = sixgate("prefixes --public-ipv4 192.168.1.10 --json");
    ASSERT_EQ(run.status, 0) << run.err;
    const auto json = nlohmann::json::parse(run.out);
    EXPECT_EQ(json["behind_nat"], true);
    EXPECT_EQ(json["ula_generated"], true);
    EXPECT_EQ(json["special_purpose"]["rfc"], "RFC 1918");
    EXPECT_THAT(json["site"].get<std::string>(), StartsWith("fd"));
    EXPECT_TRUE(json["teredo"].is_null());
    EXPECT_THAT(run.err, HasSubstr("pin it with --ula"));
}

TEST(CliPrefixes, UsesAPinnedUlaBehindNat) {
    const Invocation run = sixgate("prefixes --public-ipv4 100.64.1.1 --ula fd12:3456:789a::/48");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_THAT(run.out, HasSubstr("fd12:3456:789a:3333::/64"));
    EXPECT_THAT(run.out, HasSubstr("fd12:3456:789a:1000::/64"));
    EXPECT_THAT(run.out, HasSubstr("fd12:3456:789a:7777::/96"));
    EXPECT_THAT(run.out, HasSubstr("RFC 6598"));
    EXPECT_THAT(run.out, HasSubstr("Teredo clients"));
    EXPECT_THAT(run.out, Not(HasSubstr("2001:0:")));
    EXPECT_EQ(run.err, "");
}

TEST(CliPrefixes, PrintsWindowsManageOutLines) {
    const Invocation run = sixgate("prefixes --public-ipv4 131.107.0.2 --windows");
    ASSERT_EQ(run.status, 0);
    EXPECT_THAT(run.out, HasSubstr("New-NetIPAddress -InterfaceAlias \"Ethernet\" -IPAddress "
                                   "2002:836b:2:3333::100 -PrefixLength 64"));
    EXPECT_THAT(run.out, HasSubstr("New-NetRoute -InterfaceAlias \"Ethernet\" -DestinationPrefix "
                                   "2002:836b:2:1000::/64 -NextHop 2002:836b:2:3333::1"));
    EXPECT_THAT(run.out, HasSubstr("-DestinationPrefix 2001:0:836b:2::/64"));
    EXPECT_THAT(run.out, HasSubstr("Set-NetIsatapConfiguration -State Disabled"));
    EXPECT_THAT(run.out, HasSubstr("netsh interface ipv6 add route prefix=2002:836b:2:1000::/64 "
                                   "interface=\"Ethernet\" nexthop=2002:836b:2:3333::1"));
    EXPECT_THAT(run.out, HasSubstr("netsh interface ipv6 add address interface=\"Ethernet\" "
                                   "address=2002:836b:2:3333::100/64"));
}

TEST(CliPrefixes, TakesTheWindowsInterfaceAliasAndHostId) {
    const Invocation run = sixgate("prefixes --public-ipv4 131.107.0.2 --windows --interface-alias LAN --host-id ::5");
    ASSERT_EQ(run.status, 0);
    EXPECT_THAT(run.out, HasSubstr("-InterfaceAlias \"LAN\" -IPAddress 2002:836b:2:3333::5 "));
}

TEST(CliPrefixes, WindowsLinesEnableIsatapTowardTheDefaultRouterName) {
    const Invocation run = sixgate("prefixes --public-ipv4 131.107.0.2 --windows");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_THAT(run.out, HasSubstr("Set-NetIsatapConfiguration -Router sixgate-isatap -State Enabled\n"));
    EXPECT_THAT(run.out, HasSubstr("netsh interface isatap set router sixgate-isatap enabled\n"));
}

TEST(CliPrefixes, TakesTheIsatapRouterName) {
    const Invocation run = sixgate("prefixes --public-ipv4 131.107.0.2 --windows --isatap-router gw6.corp.example");
    ASSERT_EQ(run.status, 0) << run.err;
    EXPECT_THAT(run.out, HasSubstr("Set-NetIsatapConfiguration -Router gw6.corp.example -State Enabled\n"));
    EXPECT_THAT(run.out, HasSubstr("A record gw6.corp.example must resolve"));
    EXPECT_THAT(run.out, Not(HasSubstr("sixgate-isatap")));
}

TEST(CliPrefixes, HelpNamesTheIsatapRouterOption) {
    const Invocation run = sixgate("prefixes --help");
    EXPECT_EQ(run.status, 0);
    EXPECT_THAT(run.out, HasSubstr("--isatap-router"));
}

struct BadInput {
    const char* arguments;
    const char* error;
};

// Printed in test names: the arguments, never the struct's bytes (pointers change every run).
void PrintTo(const BadInput& input, std::ostream* out) { *out << input.arguments; }

class CliPrefixesRejects : public testing::TestWithParam<BadInput> {};

TEST_P(CliPrefixesRejects, WithOneErrorLineAndStatusTwo) {
    const Invocation run = sixgate(GetParam().arguments);
    EXPECT_EQ(run.status, 2);
    EXPECT_EQ(run.out, "");
    EXPECT_EQ(line_count(run.err), 1) << run.err;
    EXPECT_THAT(run.err, HasSubstr(GetParam().error));
    EXPECT_THAT(run.err, Not(HasSubstr("terminate")));
}

INSTANTIATE_TEST_SUITE_P(
    BadAddresses, CliPrefixesRejects,
    testing::Values(
        BadInput{"prefixes --public-ipv4 1.2.3", "'1.2.3' is not a valid address: expected 4 dot-separated parts, found 3"},
        BadInput{"prefixes --public-ipv4 300.1.1.1", "'300.1.1.1' is not a valid address: part 1 '300' is above 255"},
        BadInput{"prefixes --public-ipv4 ::1", "this is IPv6 text, an IPv4 address (A.B.C.D) is expected"},
        BadInput{"prefixes --public-ipv4 ''", "'' is not a valid address: empty"},
        BadInput{"prefixes --public-ipv4 131.107.0.2/24", "a prefix length is not allowed here"},
        BadInput{"prefixes --public-ipv4 127.0.0.1", "127.0.0.1 cannot be a server's address: it is in 127.0.0.0/8 (loopback, RFC 1122)"},
        BadInput{"prefixes --public-ipv4 0.0.0.0", "cannot be a server's address: it is in 0.0.0.0/8"},
        BadInput{"prefixes --public-ipv4 224.0.0.5", "it is in 224.0.0.0/4 (multicast, RFC 5771)"},
        BadInput{"prefixes --public-ipv4 240.0.0.1", "it is in 240.0.0.0/4 (reserved, RFC 1112)"},
        BadInput{"prefixes --public-ipv4 255.255.255.255", "255.255.255.255/32 (limited broadcast, RFC 919)"},
        BadInput{"prefixes --public-ipv4 10.0.0.1 --ula fd00::/32", "must be a /48 in fd00::/8"},
        BadInput{"prefixes --public-ipv4 10.0.0.1 --ula nonsense", "--ula: 'nonsense' is not a valid prefix"},
        BadInput{"prefixes", "--public-ipv4 is required"},
        BadInput{"prefixes --public-ipv4 131.107.0.2 --json --windows", "excludes"},
        BadInput{"prefixes --public-ipv4 131.107.0.2 --windows --isatap-router isatap.corp.example",
                 "--isatap-router: 'isatap.corp.example' would never resolve on most Windows networks"},
        BadInput{"prefixes --public-ipv4 131.107.0.2 --windows --isatap-router 'gw 6'",
                 "--isatap-router: 'gw 6' is not a DNS name"},
        BadInput{"frobnicate", "frobnicate"},
        BadInput{"--log-level loud prefixes --public-ipv4 131.107.0.2", "--log-level: 'loud' is not one of"}));

TEST(Cli, PrintsTheVersion) {
    const Invocation run = sixgate("--version");
    EXPECT_EQ(run.status, 0);
    EXPECT_THAT(run.out, StartsWith("sixgate "));
}

TEST(Cli, HelpListsEveryCommandWithExamples) {
    const Invocation run = sixgate("--help");
    EXPECT_EQ(run.status, 0);
    for (const char* command : {"prefixes", "check", "run", "status", "translate", "lab", "doctor"})
        EXPECT_THAT(run.out, HasSubstr(command));
    EXPECT_THAT(run.out, HasSubstr("Examples:"));
    EXPECT_THAT(run.out, HasSubstr("Exit status:"));
}

TEST(Cli, DoctorRefusesATargetThatIsNotAnAddress) {
    const Invocation run = sixgate("doctor --target not-an-address");
    EXPECT_EQ(run.status, 2);
    EXPECT_THAT(run.err, HasSubstr("--target: 'not-an-address' is not an IPv6 or IPv4 address"));
}

TEST(Cli, RequiresACommand) {
    const Invocation run = sixgate("");
    EXPECT_EQ(run.status, 2);
    EXPECT_THAT(run.err, HasSubstr("A subcommand is required"));
}

}  // namespace
