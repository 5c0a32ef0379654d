// The control socket client: every way of not reaching a sixgate gives an error a user can act on.

#include "app/control_protocol.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "tests/unit/app/control/control_test_support.hpp"

namespace sixgate::app {
namespace {

using namespace std::chrono_literals;
using testing_support::fresh_directory;
using testing_support::make_stale_socket;

const nlohmann::json kStatusRequest = {{"command", "status"}};

TEST(ControlClient, SaysNoSixgateIsRunningWhenTheSocketIsMissing) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    auto reply = request_control(path, kStatusRequest, 1s);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, std::errc::no_such_file_or_directory);
    EXPECT_EQ(reply.error().message,
              "no sixgate is running: " + path +
                  " does not exist (start one with 'sixgate run -c FILE', or give --socket)");
}

TEST(ControlClient, SaysTheSocketIsStaleWhenNothingListens) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    make_stale_socket(path);
    auto reply = request_control(path, kStatusRequest, 1s);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, std::errc::connection_refused);
    EXPECT_EQ(reply.error().message,
              path + " is stale (no process answers); a previous sixgate did not exit cleanly");
}

TEST(ControlClient, SaysWhenThePathIsNotASocket) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    { std::ofstream(path) << "x"; }
    auto reply = request_control(path, kStatusRequest, 1s);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, std::errc::not_a_socket);
    EXPECT_EQ(reply.error().message, path + " is not a socket (is the --socket path right?)");
}

TEST(ControlClient, TimesOutOnAServerThatNeverAnswers) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    // Listening, so connect() succeeds from the backlog, but nobody ever accepts.
    const int listener = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    ASSERT_EQ(::bind(listener, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
    ASSERT_EQ(::listen(listener, 4), 0);
    auto reply = request_control(path, kStatusRequest, 200ms);
    ::close(listener);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, std::errc::timed_out);
    EXPECT_EQ(reply.error().message,
              path + " did not answer within 0.2 s; sixgate may be busy or hung");
}

TEST(ControlClient, NamesRootWhenPermissionIsDenied) {
    const Error error = describe_control_connect_error(
        "/run/sixgate/sixgate.sock", std::make_error_code(std::errc::permission_denied));
    EXPECT_EQ(error.code, std::errc::permission_denied);
    EXPECT_EQ(error.message,
              "permission denied on /run/sixgate/sixgate.sock: the control socket is root-only; "
              "run as root");
}

TEST(ControlClient, NamesThePathAndTheSystemErrorOtherwise) {
    const Error error =
        describe_control_connect_error("/x.sock", std::make_error_code(std::errc::not_a_directory));
    EXPECT_EQ(error.message, "cannot connect to /x.sock: Not a directory");
}

TEST(StatusSnapshotBase, CarriesVersionPidAndStartTime) {
    const auto started = std::chrono::system_clock::time_point(std::chrono::seconds(1714557600));
    const nlohmann::json base = status_snapshot_base(started);
    EXPECT_EQ(base.at("version"), SIXGATE_VERSION);
    EXPECT_EQ(base.at("pid"), ::getpid());
    EXPECT_EQ(base.at("started_at"), "2024-05-01T10:00:00Z");
}

}  // namespace
}  // namespace sixgate::app
