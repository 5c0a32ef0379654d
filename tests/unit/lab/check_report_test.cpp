// `sixgate lab test` output: the table with the doctor's explanations under it, the verdict, JSON.

#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lab/check_report.hpp"

namespace sixgate::lab {
namespace {

using ::testing::HasSubstr;

CheckRow met_ping() {
    CheckRow row;
    row.from = "mgmt-v6";
    row.to = "client-iphttps";
    row.target = "2002:836b:2:1000::10";
    row.protocol = "ping";
    row.expected = "success";
    row.result = "success";
    row.detail = "echo reply";
    row.met = true;
    row.rtt_ms = 0.423;
    row.elapsed_ms = 1.5;
    return row;
}

CheckRow unmet_tcp() {
    CheckRow row;
    row.from = "v6only";
    row.to = "intranet-v4";
    row.target = "192.0.2.30";
    row.protocol = "tcp/80";
    row.expected = "success";
    row.result = "failure";
    row.detail = "connection refused";
    row.elapsed_ms = 10000;
    row.doctor = "no route to 192.0.2.30\nfix: ip route add ...\n";
    return row;
}

TEST(CheckReport, AllMetVerdictCountsEveryRow) {
    CheckReport report{"directaccess", {met_ping(), met_ping()}};
    EXPECT_TRUE(report.all_met());
    EXPECT_EQ(report.verdict(), "lab directaccess: all 2 checks met their expectation");
}

TEST(CheckReport, UnmetVerdictSaysHowManyOfHowMany) {
    CheckReport report{"directaccess", {met_ping(), unmet_tcp(), unmet_tcp()}};
    EXPECT_FALSE(report.all_met());
    EXPECT_EQ(report.verdict(), "lab directaccess: 2 of 3 checks did not meet their expectation");
    report.rows.pop_back();
    EXPECT_EQ(report.verdict(), "lab directaccess: 1 of 2 checks did not meet its expectation");
}

TEST(CheckReport, TableHasAlignedColumnsAndMarksUnmetRows) {
    const std::string table = format_check_table(CheckReport{"directaccess", {met_ping(), unmet_tcp()}});
    EXPECT_EQ(table,
              "  FROM     TO                                   PROTOCOL  EXPECTED  RESULT                        RTT\n"
              "  mgmt-v6  client-iphttps 2002:836b:2:1000::10  ping      success   success (echo reply)          0.42 ms\n"
              "! v6only   intranet-v4 192.0.2.30               tcp/80    success   failure (connection refused)  -\n"
              "\n"
              "v6only -> intranet-v4 192.0.2.30 tcp/80: sixgate doctor says\n"
              "    no route to 192.0.2.30\n"
              "    fix: ip route add ...\n"
              "\n"
              "lab directaccess: 1 of 2 checks did not meet its expectation\n");
}

TEST(CheckReport, NoDoctorOutputMeansNoExplanationBlock) {
    CheckRow row = unmet_tcp();
    row.doctor.clear();
    const std::string table = format_check_table(CheckReport{"x", {row}});
    EXPECT_THAT(table, ::testing::Not(HasSubstr("doctor says")));
}

TEST(CheckReport, JsonHasEveryRowAndTheVerdict) {
    const auto json = check_report_json(CheckReport{"directaccess", {met_ping(), unmet_tcp()}});
    EXPECT_EQ(json["lab"], "directaccess");
    EXPECT_EQ(json["total"], 2);
    EXPECT_EQ(json["met"], 1);
    EXPECT_EQ(json["all_met"], false);
    EXPECT_EQ(json["verdict"], "lab directaccess: 1 of 2 checks did not meet its expectation");
    ASSERT_EQ(json["checks"].size(), 2u);
    EXPECT_EQ(json["checks"][0]["from"], "mgmt-v6");
    EXPECT_EQ(json["checks"][0]["target"], "2002:836b:2:1000::10");
    EXPECT_DOUBLE_EQ(json["checks"][0]["rtt_ms"].get<double>(), 0.423);
    EXPECT_TRUE(json["checks"][0]["doctor"].is_null());
    EXPECT_TRUE(json["checks"][1]["rtt_ms"].is_null());
    EXPECT_EQ(json["checks"][1]["met"], false);
    EXPECT_EQ(json["checks"][1]["detail"], "connection refused");
    EXPECT_THAT(json["checks"][1]["doctor"].get<std::string>(), HasSubstr("no route"));
}

}  // namespace
}  // namespace sixgate::lab
