#include "lab/lab_state.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lab/lab_process.hpp"

namespace sixgate::lab {
namespace {

using ::testing::HasSubstr;

LabState example_state(const std::string& run_directory) {
    LabState state;
    state.lab = "directaccess";
    state.topology = "";
    state.run_directory = run_directory;
    state.namespaces = {"sglab.directaccess.da-server", "sglab.directaccess.internet"};
    state.control_sockets = {"/run/sixgate/lab-da-server.sock"};
    state.processes = {{"da-server", 4242}};
    return state;
}

// A fresh directory under the test's temporary directory, removed afterwards.
class LabStateFile : public ::testing::Test {
protected:
    void SetUp() override {
        char pattern[] = "/tmp/sg-lab-state-XXXXXX";
        ASSERT_NE(::mkdtemp(pattern), nullptr);
        directory_ = pattern;
    }
    void TearDown() override { std::filesystem::remove_all(directory_); }
    std::string directory_;
};

TEST_F(LabStateFile, RoundTripsThroughTheFile) {
    const LabState state = example_state(directory_ + "/run");
    ASSERT_TRUE(write_lab_state(state).ok());
    auto read = read_lab_state(directory_ + "/run");
    ASSERT_TRUE(read.ok()) << read.error().message;
    ASSERT_TRUE(read->has_value());
    EXPECT_EQ(**read, state);
    EXPECT_FALSE(std::filesystem::exists(lab_state_path(directory_ + "/run") + ".tmp"));
}

TEST_F(LabStateFile, NoFileMeansNoState) {
    auto read = read_lab_state(directory_ + "/nothing");
    ASSERT_TRUE(read.ok());
    EXPECT_FALSE(read->has_value());
}

TEST_F(LabStateFile, CorruptFileIsAClearErrorNamingIt) {
    std::ofstream(lab_state_path(directory_)) << "{\"version\": 1, \"lab\": \"x\", \"namesp";
    auto read = read_lab_state(directory_);
    ASSERT_FALSE(read.ok());
    EXPECT_EQ(read.error().code, std::errc::bad_message);
    EXPECT_THAT(read.error().message, HasSubstr(directory_ + "/state.json: the lab state file is not JSON"));
}

TEST(LabStateParse, MissingKeyOrWrongTypeOrVersionIsNamed) {
    auto missing = parse_lab_state(R"({"version": 1, "lab": "x"})", "s.json");
    ASSERT_FALSE(missing.ok());
    EXPECT_THAT(missing.error().message, HasSubstr("s.json: not a lab state file"));
    EXPECT_THAT(missing.error().message, HasSubstr("'topology' not found"));
    auto wrong = parse_lab_state(
        R"({"version": 1, "lab": "x", "topology": "", "run_directory": "/r", "namespaces": [1], "control_sockets": [], "processes": []})",
        "s.json");
    ASSERT_FALSE(wrong.ok());
    EXPECT_THAT(wrong.error().message, HasSubstr("type must be string"));
    auto version = parse_lab_state(R"({"version": 7})", "s.json");
    ASSERT_FALSE(version.ok());
    EXPECT_EQ(version.error().message, "s.json: lab state version 7 is not 1");
}

TEST(LabCommand, RunsAProgramAndCollectsItsOutputAndStatus) {
    auto result = run_command({"sh", "-c", "echo out; echo err >&2; exit 3"});
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->status, 3);
    EXPECT_EQ(result->output, "out\nerr\n");
    EXPECT_EQ(describe_failure({"sh", "-c", "x"}, *result), "sh -c x failed (3): out err");
    auto missing = run_command({"/nonexistent/sg-program"});
    EXPECT_TRUE(!missing.ok() || missing->status == 127);
}

TEST(LabCommand, ADetachedChildIsSeenExitingWithItsStatusAndItsLogKept) {
    char pattern[] = "/tmp/sg-lab-log-XXXXXX";
    ASSERT_NE(::mkdtemp(pattern), nullptr);
    const std::string log = std::string(pattern) + "/host.log";
    auto pid = spawn_detached({"sh", "-c", "echo one; echo two; echo three >&2; exit 4"}, log);
    ASSERT_TRUE(pid.ok());
    std::string how;
    for (int i = 0; i < 200 && how.empty(); ++i) {
        how = child_exit(*pid);
        if (how.empty()) ::usleep(10000);
    }
    EXPECT_EQ(how, "exited with status 4");
    EXPECT_EQ(last_lines(log, 2), "two\nthree\n");
    std::filesystem::remove_all(pattern);
}

}  // namespace
}  // namespace sixgate::lab
