// `sixgate status` end to end in process: CLI11 parsing, the control socket, output and exit
// status.

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/status_format.hpp"
#include "tests/unit/app/control/control_test_support.hpp"

namespace sixgate::app {
namespace {

using testing_support::fresh_directory;
using testing_support::make_stale_socket;
using testing_support::RunningServer;
using testing_support::sample_snapshot;

struct Outcome {
    int status = -1;
    std::string out;
    std::string err;
};

// Parses `arguments` after "sixgate status" and runs the command, capturing its output.
Outcome run_status_command(std::vector<std::string> arguments) {
    CLI::App app{"sixgate", "sixgate"};
    CommandRunner run;
    add_status_command(app, run);
    arguments.insert(arguments.begin(), "status");
    std::vector<std::string> reversed(arguments.rbegin(), arguments.rend());
    app.parse(reversed);
    Outcome outcome;
    std::ostringstream out;
    std::ostringstream err;
    std::streambuf* const old_out = std::cout.rdbuf(out.rdbuf());
    std::streambuf* const old_err = std::cerr.rdbuf(err.rdbuf());
    outcome.status = run ? run() : -1;
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    outcome.out = out.str();
    outcome.err = err.str();
    return outcome;
}

ControlServerOptions options_at(const std::string& path) {
    ControlServerOptions options;
    options.socket_path = path;
    return options;
}

TEST(StatusCommand, PrintsTheTextFormByDefault) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    const Outcome outcome = run_status_command({"--socket", path});
    EXPECT_EQ(outcome.status, kExitOk) << outcome.err;
    EXPECT_EQ(outcome.out, render_status_text(sample_snapshot()));
    EXPECT_EQ(outcome.err, "");
}

TEST(StatusCommand, PrintsTheSnapshotAsPrettyJson) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    const Outcome outcome = run_status_command({"--socket", path, "--json"});
    EXPECT_EQ(outcome.status, kExitOk) << outcome.err;
    EXPECT_EQ(nlohmann::json::parse(outcome.out), sample_snapshot());
    EXPECT_EQ(outcome.out, sample_snapshot().dump(2) + "\n");
}

TEST(StatusCommand, PrintsPrometheusMetrics) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    const Outcome outcome = run_status_command({"--socket", path, "--prometheus"});
    EXPECT_EQ(outcome.status, kExitOk) << outcome.err;
    EXPECT_EQ(outcome.out, render_status_prometheus(sample_snapshot()));
}

TEST(StatusCommand, SaysNoSixgateIsRunningAndExitsOneWhenTheSocketIsMissing) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    const Outcome outcome = run_status_command({"--socket", path});
    EXPECT_EQ(outcome.status, kExitFailure);
    EXPECT_EQ(outcome.out, "");
    EXPECT_EQ(outcome.err,
              "sixgate status: no sixgate is running: " + path +
                  " does not exist (start one with 'sixgate run -c FILE', or give --socket)\n");
}

TEST(StatusCommand, SaysTheSocketIsStaleAndExitsOne) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    make_stale_socket(path);
    const Outcome outcome = run_status_command({"--socket", path});
    EXPECT_EQ(outcome.status, kExitFailure);
    EXPECT_EQ(outcome.err,
              "sixgate status: " + path +
                  " is stale (no process answers); a previous sixgate did not exit cleanly\n");
}

TEST(StatusCommand, SaysRunAsRootAndExitsThreeWhenPermissionIsDenied) {
    const std::string directory = fresh_directory();
    const std::string path = directory + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    const std::string expected_err = "sixgate status: permission denied on " + path +
                                     ": the control socket is root-only; run as root\n";
    if (::geteuid() != 0) {
        ASSERT_EQ(::chmod(path.c_str(), 0), 0);  // even the owner cannot connect now
        const Outcome outcome = run_status_command({"--socket", path});
        EXPECT_EQ(outcome.status, kExitUnavailable);
        EXPECT_EQ(outcome.err, expected_err);
        return;
    }
    // As root: run the command in a child that has become nobody.
    ASSERT_EQ(::chmod(directory.c_str(), 0755), 0);
    const std::string err_file = directory + "/stderr.txt";
    const int err_fd = ::open(err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    ASSERT_GE(err_fd, 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(100);
        const Outcome outcome = run_status_command({"--socket", path});
        const ssize_t written = ::write(err_fd, outcome.err.data(), outcome.err.size());
        ::_exit(written < 0 ? 101 : outcome.status);
    }
    ::close(err_fd);
    int wait_status = 0;
    ASSERT_EQ(::waitpid(child, &wait_status, 0), child);
    ASSERT_TRUE(WIFEXITED(wait_status));
    EXPECT_EQ(WEXITSTATUS(wait_status), kExitUnavailable);
    std::ifstream err_stream(err_file);
    const std::string err((std::istreambuf_iterator<char>(err_stream)),
                          std::istreambuf_iterator<char>());
    EXPECT_EQ(err, expected_err);
}

TEST(StatusCommand, RejectsJsonTogetherWithPrometheus) {
    EXPECT_THROW(run_status_command({"--json", "--prometheus"}), CLI::ParseError);
}

TEST(StatusCommand, RejectsANonPositiveTimeout) {
    const Outcome outcome = run_status_command({"--timeout", "0"});
    EXPECT_EQ(outcome.status, kExitUsage);
    EXPECT_EQ(outcome.err,
              "sixgate status: error: --timeout must be more than 0 and at most 3600 seconds\n");
}

}  // namespace
}  // namespace sixgate::app
