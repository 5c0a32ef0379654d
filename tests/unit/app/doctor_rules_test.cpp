// doctor's rules over hand-made snapshots: each known failure mode gives its finding with the
// exact Linux and Windows lines; a healthy host gives none.

#include <algorithm>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/doctor/doctor_rules.hpp"
#include "doctor_snapshots.hpp"

namespace sixgate::app::doctor {
namespace {

using namespace testing;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Contains;
using ::testing::IsEmpty;

std::vector<Finding> problems(const std::vector<Finding>& findings) {
    std::vector<Finding> out;
    std::copy_if(findings.begin(), findings.end(), std::back_inserter(out), [](const Finding& f) { return !f.ok; });
    return out;
}

Finding only_problem(const std::vector<Finding>& findings, const std::string& check) {
    Finding none;
    const auto found = problems(findings);
    EXPECT_EQ(found.size(), 1u) << "problems: " << found.size();
    for (const Finding& f : findings)
        if (!f.ok && f.check == check) return f;
    ADD_FAILURE() << "no problem " << check;
    return none;
}

DiagnoseOptions target(const char* address) {
    DiagnoseOptions options;
    if (auto parsed = net::Ipv6Address::parse(address)) options.target = *parsed;
    else options.target = v4(address);
    return options;
}

TargetProbe answered(const char* address) {
    return TargetProbe{net::netlink::AnyIpAddress(v6(address)), true, 1.5, {}};
}

TEST(DoctorRules, AHealthyManageOutHostHasNoProblemAndSaysWhatIsOk) {
    HostSnapshot s = healthy_manage_out_host();
    s.probe = answered(kClient);
    const auto findings = diagnose(s, target(kClient));
    EXPECT_THAT(problems(findings), IsEmpty());
    std::vector<std::string> checks;
    for (const Finding& f : findings) checks.push_back(f.check);
    EXPECT_THAT(checks, ElementsAre("ra_acceptance", "route_information", "global_address", "target_route",
                                    "target_reply"));
}

TEST(DoctorRules, RouteInformationDroppedBelowSlash64GivesTheSysctlAndASolicitation) {
    HostSnapshot s = healthy_manage_out_host();
    interface(s, "eth0").conf.accept_ra_rt_info_max_plen = 0;
    const Finding f = only_problem(diagnose(s, {}), "route_information");
    EXPECT_THAT(f.summary, HasSubstr("eth0: accept_ra_rt_info_max_plen=0"));
    EXPECT_THAT(f.why, HasSubstr("RFC 4191"));
    EXPECT_THAT(f.linux_fix, ElementsAre("sysctl -w net.ipv6.conf.eth0.accept_ra_rt_info_max_plen=128", "rdisc6 eth0"));
    EXPECT_THAT(f.windows_fix,
                ElementsAre("Set-NetIPInterface -InterfaceAlias \"eth0\" -AddressFamily IPv6 -RouterDiscovery Enabled",
                            "netsh interface ipv6 set interface \"eth0\" routerdiscovery=enabled"));
}

TEST(DoctorRules, TheNat64TargetNeedsRoutesUpToSlash96) {
    HostSnapshot s = healthy_manage_out_host();
    s.dns64_prefix = prefix6("2002:836b:2:7777::/96");
    s.routes.push_back(route6("2002:836b:2:7777::/96", kRouterLinkLocal, "eth0"));
    const auto findings = diagnose(s, target("2002:836b:2:7777::c633:640a"));
    EXPECT_EQ(only_problem(findings, "route_information").linux_fix.front(),
              "sysctl -w net.ipv6.conf.eth0.accept_ra_rt_info_max_plen=128");
}

TEST(DoctorRules, ForwardingWithAcceptRaOneIgnoresRasAndNeedsAcceptRaTwo) {
    HostSnapshot s = healthy_manage_out_host();
    interface(s, "eth0").conf.forwarding = 1;
    const Finding f = only_problem(diagnose(s, {}), "ra_acceptance");
    EXPECT_THAT(f.summary, HasSubstr("accept_ra=1 forwarding=1"));
    EXPECT_THAT(f.linux_fix, ElementsAre("sysctl -w net.ipv6.conf.eth0.accept_ra=2", "rdisc6 eth0"));
    EXPECT_THAT(f.windows_fix, Contains("netsh interface ipv6 set interface \"eth0\" routerdiscovery=enabled"));
}

TEST(DoctorRules, AcceptRaZeroIsTurnedBackOn) {
    HostSnapshot s = healthy_manage_out_host();
    interface(s, "eth0").conf.accept_ra = 0;
    const Finding f = only_problem(diagnose(s, {}), "ra_acceptance");
    EXPECT_THAT(f.linux_fix, ElementsAre("sysctl -w net.ipv6.conf.eth0.accept_ra=1", "rdisc6 eth0"));
}

TEST(DoctorRules, WindowsLinesUseTheGivenInterfaceAlias) {
    HostSnapshot s = healthy_manage_out_host();
    interface(s, "eth0").conf.accept_ra = 0;
    DiagnoseOptions options;
    options.interface_alias = "Ethernet";
    const Finding f = only_problem(diagnose(s, options), "ra_acceptance");
    EXPECT_EQ(f.windows_fix.front(), "Set-NetIPInterface -InterfaceAlias \"Ethernet\" -AddressFamily IPv6 -RouterDiscovery Enabled");
}

TEST(DoctorRules, ASixgateRouterWithoutForwardingGetsItBack) {
    HostSnapshot s = healthy_manage_out_host();
    s.sixgate = SixgateState{true, "/s.sock", {}, false, 42, "/etc/sixgate/sixgate.yaml", {"lan0"}, false, false, {}, {}, {}};
    const Finding f = only_problem(diagnose(s, {}), "router_forwarding");
    EXPECT_THAT(f.linux_fix, ElementsAre("sysctl -w net.ipv6.conf.all.forwarding=1"));
    EXPECT_THAT(f.windows_fix, ElementsAre("Set-NetIPInterface -InterfaceAlias \"lan0\" -AddressFamily IPv6 -Forwarding Enabled",
                                           "netsh interface ipv6 set interface \"lan0\" forwarding=enabled"));
    s.all.forwarding = 1;
    EXPECT_THAT(problems(diagnose(s, {})), IsEmpty());
}

HostSnapshot isatap_jump_host(const std::string& prl_entry) {
    HostSnapshot s;
    s.hostname = "jump-v4";
    s.interfaces = {HostInterface{"lan0", true, false, Ipv6Conf{0, 1, 0, 1, 1, 1, 0},
                                  {{v6("fe80::1:2"), 64, false, false, false}}, {{v4("10.20.0.10"), 24}}, {}},
                    HostInterface{"isatap0", true, false, Ipv6Conf{0, 1, 0, 1, 1, 1, 0},
                                  {{v6("2002:836b:2:8000:0:5efe:a14:a"), 64, false, false, false}}, {}, {}}};
    s.routes = {route6("2002:836b:2:1000::/64", "fe80::5efe:a14:1", "isatap0", 115)};
    IsatapHostState host{"lan0", "isatap0", {{prl_entry, v4("10.20.0.1"), {}}}, "10.20.0.1"};
    s.sixgate = SixgateState{true, "/j.sock", {}, false, 4242, "/tmp/lab/jump.yaml", {}, false, false, {}, host, {}};
    return s;
}

TEST(DoctorRules, AnIsatapRouterNamedIsatapIsRenamedToItsAddressInTheConfig) {
    const Finding f = only_problem(diagnose(isatap_jump_host("isatap.corp.example"), {}), "isatap_router_name");
    EXPECT_THAT(f.why, HasSubstr("RFC 5214 8.3.2"));
    EXPECT_THAT(f.linux_fix,
                ElementsAre("sed -i -E '/^[[:space:]]*routers:/s/([[, ]|^)isatap\\.corp\\.example([], ]|$)/\\110.20.0.1\\2/' "
                            "/tmp/lab/jump.yaml",
                            "kill -HUP 4242"));
    EXPECT_THAT(f.windows_fix, ElementsAre("Set-NetIsatapConfiguration -Router 10.20.0.1 -State Enabled",
                                           "netsh interface isatap set router 10.20.0.1 enabled"));
}

TEST(DoctorRules, AnIsatapHostWithItsRouterByAddressIsHealthy) {
    const auto findings = diagnose(isatap_jump_host("10.20.0.1"), target(kClient));
    EXPECT_THAT(problems(findings), IsEmpty());
}

TEST(DoctorRules, AnIsatapHostNobodyAnswersIsToldAboutTheAllowList) {
    HostSnapshot s = isatap_jump_host("10.20.0.1");
    s.sixgate.isatap_host->router.clear();
    const auto findings = problems(diagnose(s, {}));
    ASSERT_FALSE(findings.empty());
    EXPECT_EQ(findings.back().check, "isatap_router");
    EXPECT_THAT(findings.back().linux_fix.front(), HasSubstr("add 10.20.0.10 to isatap.allow"));
}

HostSnapshot clat_host() {
    HostSnapshot s = healthy_manage_out_host();
    s.hostname = "v6only";
    s.routes.push_back(route6("2001:db8:64::/96", kRouterLinkLocal, "eth0"));
    ClatState clat{"waiting_for_plat_prefix", {}, "eth0", "clat0", std::nullopt, "pref64"};
    s.sixgate = SixgateState{true, "/c.sock", {}, false, 77, "/etc/sixgate/clat.yaml", {}, false, false, {}, {}, clat};
    return s;
}

TEST(DoctorRules, AClatWithoutPlatPrefixGetsTheDns64PrefixWrittenIntoItsConfig) {
    HostSnapshot s = clat_host();
    s.dns64_prefix = prefix6("2001:db8:64::/96");
    const Finding f = only_problem(diagnose(s, {}), "plat_prefix");
    EXPECT_THAT(f.why, HasSubstr("RFC 8781"));
    EXPECT_THAT(f.linux_fix, ElementsAre("sed -i -E 's|^([[:space:]]*plat_prefix:).*|\\1 2001:db8:64::/96|' "
                                         "/etc/sixgate/clat.yaml",
                                         "kill -HUP 77"));
    EXPECT_THAT(f.windows_note, HasSubstr("no CLAT"));
}

TEST(DoctorRules, WithoutDns64TheWellKnownPrefixIsProposedAndSaidSo) {
    const Finding f = only_problem(diagnose(clat_host(), {}), "plat_prefix");
    EXPECT_THAT(f.linux_fix.front(), HasSubstr("64:ff9b::/96"));
    EXPECT_THAT(f.why, HasSubstr("well-known prefix"));
}

TEST(DoctorRules, ARunningClatWithItsPrefixIsOk) {
    HostSnapshot s = clat_host();
    s.sixgate.clat->state = "running";
    s.sixgate.clat->plat_prefix = prefix6("2001:db8:64::/96");
    EXPECT_THAT(problems(diagnose(s, {})), IsEmpty());
}

TEST(DoctorRules, NoRouteToTheNat64PrefixAddsTheSlash96ViaTheRoutersLinkLocal) {
    HostSnapshot s = healthy_manage_out_host();
    s.dns64_prefix = prefix6("2002:836b:2:7777::/96");
    interface(s, "eth0").conf.accept_ra_rt_info_max_plen = 128;
    const Finding f = only_problem(diagnose(s, target("2002:836b:2:7777::c633:640a")), "target_route");
    EXPECT_THAT(f.why, HasSubstr("NAT64 prefix 2002:836b:2:7777::/96"));
    EXPECT_THAT(f.linux_fix, ElementsAre("ip -6 route add 2002:836b:2:7777::/96 via fe80::1 dev eth0"));
    EXPECT_THAT(f.windows_fix,
                ElementsAre("New-NetRoute -DestinationPrefix 2002:836b:2:7777::/96 -InterfaceAlias \"eth0\" -NextHop fe80::1",
                            "netsh interface ipv6 add route 2002:836b:2:7777::/96 \"eth0\" fe80::1"));
}

TEST(DoctorRules, NoRouteToAClientAddsItsSlash64) {
    HostSnapshot s = healthy_manage_out_host();
    s.routes.pop_back();
    const Finding f = only_problem(diagnose(s, target("2002:836b:2:1000::10")), "target_route");
    EXPECT_THAT(f.linux_fix, ElementsAre("ip -6 route add 2002:836b:2:1000::/64 via fe80::1 dev eth0"));
}

TEST(DoctorRules, NoGlobalAddressAsksTheRouterForAnRa) {
    HostSnapshot s = healthy_manage_out_host();
    auto& eth0 = interface(s, "eth0");
    eth0.ipv6.erase(eth0.ipv6.begin());
    eth0.conf.autoconf = 0;
    const Finding f = only_problem(diagnose(s, {}), "global_address");
    EXPECT_THAT(f.linux_fix, ElementsAre("sysctl -w net.ipv6.conf.eth0.autoconf=1", "rdisc6 eth0"));
}

TEST(DoctorRules, ATargetThatDoesNotAnswerNamesTheNextHop) {
    HostSnapshot s = healthy_manage_out_host();
    s.probe = TargetProbe{net::netlink::AnyIpAddress(v6(kClient)), false, 0, {}};
    const Finding f = only_problem(diagnose(s, target(kClient)), "target_reply");
    EXPECT_THAT(f.summary, HasSubstr("sent via fe80::1 on eth0"));
    EXPECT_THAT(f.linux_fix.front(), HasSubstr("ping -c 3 fe80::1%eth0"));
}

TEST(DoctorRules, ALinkWithoutRasIsNotAskedForRouteInformation) {
    // A router known only from its Neighbor Advertisements (R flag), as on a statically
    // configured IPv6-only host: RIOs do not matter there.
    HostSnapshot s = healthy_manage_out_host();
    auto& eth0 = interface(s, "eth0");
    eth0.conf.accept_ra_rt_info_max_plen = 0;
    eth0.ipv6.front().from_ra = false;
    s.routes = {route6("2002:836b:2:3333::/64", nullptr, "eth0", 2), route6("::/0", kRouterLinkLocal, "eth0", 3)};
    EXPECT_THAT(problems(diagnose(s, target(kClient))), IsEmpty());
}

TEST(DoctorRules, RouteLookupTakesTheLongestPrefixThenTheLowestMetric) {
    HostSnapshot s = healthy_manage_out_host();
    auto wide = route6("2002:836b:2::/48", "fe80::2", "eth0");
    auto worse = route6("2002:836b:2:1000::/64", "fe80::3", "eth0");
    worse.metric = 2048;
    s.routes.insert(s.routes.begin(), {wide, worse});
    const auto* route = lookup_route(s, v6(kClient));
    ASSERT_NE(route, nullptr);
    EXPECT_EQ(net::netlink::to_string(*route->gateway), "fe80::1");
    EXPECT_EQ(lookup_route(s, v6("2001:db8::1")), nullptr);
}

TEST(DoctorRules, TheHostsRouterLinksAndTunnelsAreNotRaInterfaces) {
    HostSnapshot s = isatap_jump_host("10.20.0.1");
    std::vector<std::string> names;
    for (const HostInterface* i : ra_interfaces(s)) names.push_back(i->name);
    EXPECT_THAT(names, ElementsAre("lan0"));
}

}  // namespace
}  // namespace sixgate::app::doctor
