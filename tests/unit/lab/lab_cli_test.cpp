// `sixgate lab`: the command functions (graph, export) and the real binary's dispatch, including
// the runner subcommands' refusal of an unknown topology before they touch the machine.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "app/exit_codes.hpp"
#include "app/lab_command.hpp"
#include "tests/unit/app/run_sixgate.hpp"

namespace sixgate::app {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using sixgate::testing::Invocation;

Invocation sixgate(const std::string& arguments) { return sixgate::testing::run_sixgate(arguments); }

std::string read_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string temp_path(const std::string& name) {
    return ::testing::TempDir() + "sixgate_lab_" + std::to_string(::getpid()) + "_" + name;
}

TEST(LabCli, GraphPrintsDotForTheDefaultTopology) {
    std::ostringstream out, err;
    EXPECT_EQ(run_lab_graph(LabGraphOptions{}, out, err), kExitOk);
    EXPECT_THAT(out.str(), StartsWith("graph \"directaccess\" {"));
    EXPECT_EQ(err.str(), "");
}

TEST(LabCli, GraphWritesSvgToAFile) {
    const std::string path = temp_path("graph.svg");
    std::ostringstream out, err;
    EXPECT_EQ(run_lab_graph(LabGraphOptions{"464xlat", "svg", path}, out, err), kExitOk) << err.str();
    EXPECT_EQ(out.str(), "");
    EXPECT_THAT(read_file(path), HasSubstr("<svg"));
    std::remove(path.c_str());
}

TEST(LabCli, GraphWithoutGraphvizExitsUnavailable) {
    std::ostringstream out, err;
    EXPECT_EQ(run_lab_graph(LabGraphOptions{"464xlat", "png", "", "sixgate-no-such-dot-program"}, out, err), kExitUnavailable);
    EXPECT_THAT(err.str(), HasSubstr("sixgate lab graph: error: 'sixgate-no-such-dot-program' (Graphviz) is not installed"));
}

TEST(LabCli, GraphRejectsAnUnknownFormat) {
    std::ostringstream out, err;
    EXPECT_EQ(run_lab_graph(LabGraphOptions{"464xlat", "jpeg", ""}, out, err), kExitUsage);
    EXPECT_THAT(err.str(), HasSubstr("--format must be dot, svg or png, found 'jpeg'"));
}

TEST(LabCli, TopologyErrorsArePrintedWithFileLineColumnAndStatusTwo) {
    const std::string path = temp_path("bad.yaml");
    std::ofstream(path) << "name: bad\nhosts:\n  - name: a\n    colour: red\n";
    std::ostringstream out, err;
    EXPECT_EQ(run_lab_export(LabExportOptions{path, "compose", ""}, out, err), kExitUsage);
    EXPECT_THAT(err.str(), HasSubstr(path + ":4:5: error: hosts[0].colour: unknown key 'colour'"));
    EXPECT_THAT(err.str(), HasSubstr("sixgate lab export: error: the topology has 1 error\n"));
    EXPECT_EQ(out.str(), "");
    std::remove(path.c_str());
}

TEST(LabCli, ExportWritesTheCommittedFile) {
    const std::string path = temp_path("464xlat.clab.yml");
    std::ostringstream out, err;
    EXPECT_EQ(run_lab_export(LabExportOptions{"464xlat", "containerlab", path}, out, err), kExitOk) << err.str();
    EXPECT_EQ(read_file(path), read_file("containers/464xlat.clab.yml"));
    std::remove(path.c_str());
}

TEST(LabCli, ExportRejectsAnUnknownFormat) {
    std::ostringstream out, err;
    EXPECT_EQ(run_lab_export(LabExportOptions{"", "kubernetes", ""}, out, err), kExitUsage);
    EXPECT_THAT(err.str(), HasSubstr("--format must be containerlab or compose, found 'kubernetes'"));
}

TEST(LabCli, BinaryRegeneratesEveryCommittedContainerFile) {
    for (const char* name : {"directaccess", "464xlat"})
        for (const auto& [format, suffix] : {std::pair{"containerlab", ".clab.yml"}, std::pair{"compose", ".compose.yml"}}) {
            const Invocation run = sixgate(std::string("lab export --format ") + format + " " + name);
            EXPECT_EQ(run.status, 0) << run.err;
            EXPECT_EQ(run.out, read_file(std::string("containers/") + name + suffix)) << name << suffix;
        }
}

TEST(LabCli, BinaryGraphMatchesTheGoldenDot) {
    const Invocation run = sixgate("lab graph 464xlat --format dot");
    EXPECT_EQ(run.status, 0) << run.err;
    EXPECT_EQ(run.out, read_file("tests/unit/lab/golden/464xlat.dot"));
}

TEST(LabCli, RunnerSubcommandsRefuseAnUnknownTopologyWithStatusTwo) {
    // Before anything is made: no namespace, no process, no file.
    for (const char* command : {"lab up no-such-lab", "lab test no-such-lab", "lab down no-such-lab",
                                "lab run no-such-lab"}) {
        const Invocation run = sixgate(command);
        EXPECT_EQ(run.status, 2) << command << ": " << run.err;
        EXPECT_THAT(run.err, HasSubstr("no-such-lab")) << command;
    }
}

TEST(LabCli, LabWithoutASubcommandIsAUsageError) {
    const Invocation run = sixgate("lab");
    EXPECT_EQ(run.status, 2);
    EXPECT_THAT(run.err, HasSubstr("subcommand"));
}

TEST(LabCli, ExportWithoutFormatIsAUsageError) {
    const Invocation run = sixgate("lab export 464xlat");
    EXPECT_EQ(run.status, 2);
    EXPECT_THAT(run.err, HasSubstr("--format"));
}

}  // namespace
}  // namespace sixgate::app
