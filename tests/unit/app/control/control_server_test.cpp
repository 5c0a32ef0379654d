// The control socket server: lifecycle of the socket file, and robustness against bad clients.

#include "app/control_server.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include <gtest/gtest.h>

#include "tests/unit/app/control/control_test_support.hpp"

namespace sixgate::app {
namespace {

using namespace std::chrono_literals;
using testing_support::connect_raw;
using testing_support::fresh_directory;
using testing_support::make_stale_socket;
using testing_support::read_until_closed;
using testing_support::RunningServer;
using testing_support::sample_snapshot;
using testing_support::send_all;

ControlServerOptions options_at(const std::string& path) {
    ControlServerOptions options;
    options.socket_path = path;
    return options;
}

TEST(ControlServer, AnswersStatusWithTheSnapshot) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    auto reply = request_control(path, {{"command", "status"}}, 5s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(*reply, sample_snapshot());
}

TEST(ControlServer, MakesTheSocketRootOnly) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    struct stat status {};
    ASSERT_EQ(::lstat(path.c_str(), &status), 0);
    EXPECT_TRUE(S_ISSOCK(status.st_mode));
    EXPECT_EQ(status.st_mode & 07777, 0600u);
}

TEST(ControlServer, CreatesAMissingParentDirectoryWithMode0755) {
    const std::string directory = fresh_directory() + "/run/sixgate";
    const mode_t old_mask = ::umask(0077);  // the directory mode must not depend on the umask
    RunningServer running(options_at(directory + "/sixgate.sock"));
    ::umask(old_mask);
    ASSERT_TRUE(running.ok()) << running.error().message;
    struct stat status {};
    ASSERT_EQ(::stat(directory.c_str(), &status), 0);
    EXPECT_TRUE(S_ISDIR(status.st_mode));
    EXPECT_EQ(status.st_mode & 07777, 0755u);
}

TEST(ControlServer, ReplacesAStaleSocket) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    make_stale_socket(path);
    ASSERT_TRUE(std::filesystem::exists(path));
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    auto reply = request_control(path, {{"command", "status"}}, 5s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(reply->at("pid"), 4242);
}

TEST(ControlServer, RefusesToStartWhileAnotherAnswersOnThePath) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer first(options_at(path));
    ASSERT_TRUE(first.ok()) << first.error().message;
    first.run();
    RunningServer second(options_at(path));
    ASSERT_FALSE(second.ok());
    EXPECT_EQ(second.error().code, std::errc::address_in_use);
    EXPECT_EQ(second.error().message, "another sixgate is running on " + path);
    // The first one is untouched and still answers.
    auto reply = request_control(path, {{"command", "status"}}, 5s);
    EXPECT_TRUE(reply) << reply.error().message;
}

TEST(ControlServer, RefusesToReplaceAFileThatIsNotASocket) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    { std::ofstream(path) << "not a socket"; }
    RunningServer running(options_at(path));
    ASSERT_FALSE(running.ok());
    EXPECT_EQ(running.error().message,
              path + " exists and is not a socket; refusing to replace it");
    EXPECT_TRUE(std::filesystem::is_regular_file(path));
}

TEST(ControlServer, RefusesAPathTooLongForAUnixSocket) {
    const std::string path = fresh_directory() + "/" + std::string(120, 's');
    RunningServer running(options_at(path));
    ASSERT_FALSE(running.ok());
    EXPECT_EQ(running.error().code, std::errc::filename_too_long);
}

TEST(ControlServer, RemovesItsSocketWhenStopped) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    ASSERT_TRUE(std::filesystem::exists(path));
    running.stop();
    EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(ControlServer, LeavesASocketThatIsNoLongerItsOwn) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    // Someone replaced the file (a successor); stopping must not remove theirs.
    ASSERT_EQ(::unlink(path.c_str()), 0);
    make_stale_socket(path);
    running.stop();
    EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(ControlServer, AnswersAMalformedRequestWithAnErrorAndKeepsServing) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    for (const std::string request :
         {"this is not json\n", "[1, 2]\n", "{\"verb\":\"status\"}\n"}) {
        const int fd = connect_raw(path);
        ASSERT_GE(fd, 0);
        ASSERT_TRUE(send_all(fd, request));
        const auto reply = read_until_closed(fd, 5s);
        ::close(fd);
        ASSERT_TRUE(reply.has_value()) << request;
        const auto body = nlohmann::json::parse(*reply);
        EXPECT_TRUE(body.at("error").get<std::string>().starts_with("malformed request: "))
            << *reply;
    }
    auto reply = request_control(path, {{"command", "status"}}, 5s);
    EXPECT_TRUE(reply) << reply.error().message;
}

TEST(ControlServer, AnswersAnUnknownCommandWithAnErrorNamingTheKnownOnes) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    auto reply = request_control(path, {{"command", "reload"}}, 5s);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().code, std::errc::protocol_error);
    EXPECT_EQ(reply.error().message, "sixgate answered: unknown command 'reload' (known: status)");
}

TEST(ControlServer, AnswersARequestWithoutNewlineWhenTheClientShutsDownItsSide) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    const int fd = connect_raw(path);
    ASSERT_GE(fd, 0);
    ASSERT_TRUE(send_all(fd, R"({"command":"status"})"));
    ::shutdown(fd, SHUT_WR);
    const auto reply = read_until_closed(fd, 5s);
    ::close(fd);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(nlohmann::json::parse(*reply), sample_snapshot());
}

TEST(ControlServer, RejectsARequestOver64KibAndKeepsServing) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    const int fd = connect_raw(path);
    ASSERT_GE(fd, 0);
    send_all(fd, std::string(kMaxControlRequestBytes + 1, 'x'));  // may fail once the server closes
    const auto reply = read_until_closed(fd, 5s);
    ::close(fd);
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(nlohmann::json::parse(*reply),
              (nlohmann::json{{"error", "request too large: no newline within 65536 bytes"}}));
    auto status = request_control(path, {{"command", "status"}}, 5s);
    EXPECT_TRUE(status) << status.error().message;
}

TEST(ControlServer, ASilentClientDoesNotBlockOthers) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    ControlServerOptions options = options_at(path);
    options.client_timeout = 60s;  // far longer than the second client waits
    RunningServer running(options);
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    const int silent = connect_raw(path);
    ASSERT_GE(silent, 0);
    auto reply = request_control(path, {{"command", "status"}}, 5s);
    EXPECT_TRUE(reply) << reply.error().message;
    ::close(silent);
}

TEST(ControlServer, DropsAClientThatSendsNothingWithinTheTimeout) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    ControlServerOptions options = options_at(path);
    options.client_timeout = 200ms;
    RunningServer running(options);
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    const int silent = connect_raw(path);
    ASSERT_GE(silent, 0);
    const auto received = read_until_closed(silent, 10s);
    ::close(silent);
    ASSERT_TRUE(received.has_value()) << "the server did not close the silent connection";
    EXPECT_EQ(*received, "");
}

TEST(ControlServer, AnswersClientsBeyondTheLimitThatItIsBusy) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    ControlServerOptions options = options_at(path);
    options.max_clients = 1;
    options.client_timeout = 60s;
    RunningServer running(options);
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.run();
    const int silent = connect_raw(path);
    ASSERT_GE(silent, 0);
    auto reply = request_control(path, {{"command", "status"}}, 5s);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().message,
              "sixgate answered: busy: 1 control clients are connected; try again");
    ::close(silent);
}

TEST(ControlServer, RunsARegisteredCommandWithTheWholeRequest) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.server().register_command("echo", [](const nlohmann::json& request) {
        return nlohmann::json{{"echoed", request.at("text")}};
    });
    running.run();
    auto reply = request_control(path, {{"command", "echo"}, {"text", "hello"}}, 5s);
    ASSERT_TRUE(reply) << reply.error().message;
    EXPECT_EQ(*reply, (nlohmann::json{{"echoed", "hello"}}));
}

TEST(ControlServer, TurnsAHandlerExceptionIntoAnErrorReply) {
    const std::string path = fresh_directory() + "/sixgate.sock";
    RunningServer running(options_at(path));
    ASSERT_TRUE(running.ok()) << running.error().message;
    running.server().register_command("reload", [](const nlohmann::json&) -> nlohmann::json {
        throw std::runtime_error("config.yaml:3:1: error: bad key");
    });
    running.run();
    auto reply = request_control(path, {{"command", "reload"}}, 5s);
    ASSERT_FALSE(reply);
    EXPECT_EQ(reply.error().message,
              "sixgate answered: command 'reload' failed: config.yaml:3:1: error: bad key");
    auto status = request_control(path, {{"command", "status"}}, 5s);
    EXPECT_TRUE(status) << status.error().message;
}

TEST(ControlProtocol, ParsesARequestLineAndKeepsItsArguments) {
    auto request = parse_control_request("{\"command\":\"reload\",\"file\":\"a.yaml\"}\r\n");
    ASSERT_TRUE(request) << request.error().message;
    EXPECT_EQ(request->command, "reload");
    EXPECT_EQ(request->body.at("file"), "a.yaml");
}

TEST(ControlProtocol, RejectsARequestWithoutAStringCommand) {
    for (const char* line :
         {"", "null", "\"status\"", "{\"command\":1}", "{\"command\":\"status\""}) {
        auto request = parse_control_request(line);
        ASSERT_FALSE(request) << line;
        EXPECT_EQ(request.error().code, std::errc::bad_message) << line;
    }
}

}  // namespace
}  // namespace sixgate::app
