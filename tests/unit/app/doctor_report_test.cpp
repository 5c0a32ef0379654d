// doctor's output: the text a user reads (ok lines, problem + why + fix lines, Linux or Windows),
// the JSON, and the local sixgate's status as doctor reads it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/doctor/doctor_report.hpp"
#include "app/doctor/sixgate_state.hpp"
#include "doctor_snapshots.hpp"

namespace sixgate::app::doctor {
namespace {

using namespace testing;
using ::testing::HasSubstr;
using ::testing::Not;

std::vector<Finding> one_ok_one_problem() {
    Finding ok{"global_address", true, "eth0: global IPv6 address 2002:836b:2:3333::5/64", {}, {}, {}, {}};
    Finding problem{"route_information", false, "eth0: accept_ra_rt_info_max_plen=0: RFC 4191 routes in RAs are dropped",
                    "the kernel drops them",
                    {"sysctl -w net.ipv6.conf.eth0.accept_ra_rt_info_max_plen=128", "rdisc6 eth0"},
                    {"Set-NetIPInterface -InterfaceAlias \"eth0\" -AddressFamily IPv6 -RouterDiscovery Enabled"},
                    "Windows keeps RFC 4191 routes of any length whenever router discovery is on"};
    return {ok, problem};
}

TEST(DoctorReport, TextHasAnOkLinePerPassedCheckAndWhyAndFixLinesPerProblem) {
    const std::string text = render_doctor_text(healthy_manage_out_host(), one_ok_one_problem(), FixForm::kLinux);
    EXPECT_EQ(text,
              "note: no sixgate on /run/sixgate/sixgate.sock: its checks skipped\n"
              "ok: eth0: global IPv6 address 2002:836b:2:3333::5/64\n"
              "problem: eth0: accept_ra_rt_info_max_plen=0: RFC 4191 routes in RAs are dropped\n"
              "  why: the kernel drops them\n"
              "  fix: sysctl -w net.ipv6.conf.eth0.accept_ra_rt_info_max_plen=128\n"
              "  fix: rdisc6 eth0\n"
              "doctor: 1 problem, 1 checks ok\n");
}

TEST(DoctorReport, WindowsTextPrintsTheWindowsLinesAndNoteInstead) {
    const std::string text = render_doctor_text(healthy_manage_out_host(), one_ok_one_problem(), FixForm::kWindows);
    EXPECT_THAT(text, HasSubstr("  windows: Windows keeps RFC 4191 routes"));
    EXPECT_THAT(text, HasSubstr("  fix: Set-NetIPInterface -InterfaceAlias \"eth0\" -AddressFamily IPv6 -RouterDiscovery Enabled\n"));
    EXPECT_THAT(text, Not(HasSubstr("sysctl")));
}

TEST(DoctorReport, NothingWrongSaysSo) {
    const std::vector<Finding> findings{one_ok_one_problem().front()};
    EXPECT_THAT(render_doctor_text(healthy_manage_out_host(), findings, FixForm::kLinux),
                HasSubstr("doctor: nothing wrong (1 checks ok)\n"));
    EXPECT_EQ(count_problems(findings), 0u);
}

TEST(DoctorReport, JsonCarriesBothFixFormsAndTheProblemCount) {
    const auto json = doctor_json(healthy_manage_out_host(), std::string(kClient), one_ok_one_problem());
    EXPECT_EQ(json["host"], "mgmt-v6");
    EXPECT_EQ(json["target"], kClient);
    EXPECT_EQ(json["problems"], 1);
    EXPECT_EQ(json["sixgate"]["running"], false);
    EXPECT_EQ(json["findings"][0]["ok"], true);
    EXPECT_FALSE(json["findings"][0].contains("fix"));
    const auto& fix = json["findings"][1]["fix"];
    EXPECT_EQ(fix["linux"][1], "rdisc6 eth0");
    EXPECT_EQ(fix["windows"].size(), 1u);
    EXPECT_THAT(fix["windows_note"].get<std::string>(), HasSubstr("router discovery"));
}

TEST(SixgateStatusForDoctor, ReadsTheIsatapHostsPrlAndTheClatsPrefix) {
    const auto status = nlohmann::json::parse(R"({
      "pid": 4242, "config": "/tmp/j.yaml",
      "components": {
        "isatap": {"mode": "host", "interface": "lan0", "tun": "isatap0", "router": "10.20.0.1",
                   "prl": [{"entry": "isatap", "ipv4": "10.20.0.1", "error": null},
                           {"entry": "gone.example", "ipv4": null, "error": "no such name"}]},
        "clat": {"state": "running", "uplink": "eth0", "tun": "clat0", "plat_prefix": "2001:db8:64::/96",
                 "options": {"plat_prefix_setting": "pref64"}},
        "router": {"interfaces": [{"name": "lan0", "options": {"pref64": {"prefix": "2002:836b:2:7777::/96"}}}]}
      }})");
    const SixgateState state = parse_sixgate_status(status);
    EXPECT_TRUE(state.running);
    EXPECT_EQ(state.pid, 4242);
    EXPECT_EQ(state.config, "/tmp/j.yaml");
    ASSERT_TRUE(state.isatap_host);
    ASSERT_EQ(state.isatap_host->prl.size(), 2u);
    EXPECT_EQ(state.isatap_host->prl[0].ipv4->to_string(), "10.20.0.1");
    EXPECT_EQ(state.isatap_host->prl[1].error, "no such name");
    EXPECT_EQ(state.isatap_host->router, "10.20.0.1");
    ASSERT_TRUE(state.clat);
    EXPECT_EQ(state.clat->plat_prefix->to_string(), "2001:db8:64::/96");
    EXPECT_EQ(state.clat->plat_prefix_setting, "pref64");
    EXPECT_EQ(state.router_interfaces, std::vector<std::string>{"lan0"});
    EXPECT_EQ(state.nat64_prefix->to_string(), "2002:836b:2:7777::/96");
}

}  // namespace
}  // namespace sixgate::app::doctor
