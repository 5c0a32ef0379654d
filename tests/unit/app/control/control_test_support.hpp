#pragma once
// Test helpers for the control socket: a server on its own io_context thread, fresh socket paths
// in the test temp directory, a sample snapshot and raw socket clients.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <nlohmann/json.hpp>

#include "app/control_server.hpp"

namespace sixgate::app::testing_support {

// Removes the directories fresh_directory() made when the test program ends.
class TempDirectories : public testing::Environment {
public:
    static std::string make() {
        static std::atomic<int> counter{0};
        const std::string directory = testing::TempDir() + "sg-control-" +
                                      std::to_string(::getpid()) + "-" + std::to_string(counter++);
        std::filesystem::remove_all(directory);
        std::filesystem::create_directories(directory);
        return directory;
    }
    void TearDown() override {
        std::error_code ignored;
        for (int i = 0;; ++i) {
            const std::string directory = testing::TempDir() + "sg-control-" +
                                          std::to_string(::getpid()) + "-" + std::to_string(i);
            if (!std::filesystem::exists(directory, ignored)) break;
            std::filesystem::remove_all(directory, ignored);
        }
    }
};

inline testing::Environment* const kTempDirectories =
    testing::AddGlobalTestEnvironment(new TempDirectories);

// A directory of its own for each call, short enough for sun_path (107 bytes).
inline std::string fresh_directory() {
    return TempDirectories::make();
}

// What the router component reports (router/ra_status.cpp), trimmed to what the tests need.
inline nlohmann::json sample_snapshot() {
    return nlohmann::json::parse(R"({
      "version": "0.1.0",
      "pid": 4242,
      "started_at": "2024-05-01T10:00:00Z",
      "components": {
        "router": {
          "uptime_s": 3723,
          "interfaces": [
            {
              "name": "eth1",
              "uptime_s": 3722,
              "next_ra_in_ms": 1500,
              "ras_sent_multicast": 12,
              "ras_sent_unicast": 2,
              "rs_received": 5,
              "rs_answered_multicast": 3,
              "rs_answered_unicast": 2,
              "rs_rate_limited": 0,
              "send_errors": 0,
              "drops": {"bad_checksum": 1, "bad_hop_limit": 2, "too_short": 0},
              "options": {
                "cur_hop_limit": 64,
                "managed": false,
                "router_lifetime": 1800,
                "rdnss": {"servers": ["2002:836b:2:3333::1"], "lifetime": 1200},
                "prefixes": [
                  {"prefix": "2002:836b:2:3333::/64", "autonomous": true, "valid_lifetime": 86400}
                ],
                "routes": [
                  {"prefix": "2002:836b:2:1000::/64", "preference": "medium", "lifetime": 1800}
                ],
                "dnssl": {"domains": [], "lifetime": 1800}
              }
            },
            {
              "name": "eth2",
              "uptime_s": 3722,
              "next_ra_in_ms": 250,
              "ras_sent_multicast": 3,
              "ras_sent_unicast": 0,
              "rs_received": 0,
              "rs_answered_multicast": 0,
              "rs_answered_unicast": 0,
              "rs_rate_limited": 0,
              "send_errors": 0,
              "drops": {"bad_checksum": 0, "bad_hop_limit": 0, "too_short": 0},
              "options": {"cur_hop_limit": 64, "managed": true}
            }
          ],
          "kernel": {
            "addresses": ["2002:836b:2:3333::1/64 dev eth1"],
            "routes": ["2002:836b:2:1000::/64 dev tun0 metric 1024", "2002:836b:2:7777::/96 dev nat64"]
          }
        }
      }
    })");
}

// A ControlServer running on an io_context in a thread of its own, as in the daemon.
class RunningServer {
public:
    // Starts the server; check ok() (or error()) before using it.
    explicit RunningServer(ControlServerOptions options, bool with_status = true) {
        auto started = ControlServer::start(io_, std::move(options));
        if (!started) {
            error_ = started.error();
            return;
        }
        server_.emplace(std::move(started).value());
        if (with_status) server_->set_status_source([] { return sample_snapshot(); });
    }
    ~RunningServer() { stop(); }

    bool ok() const { return server_.has_value(); }
    const Error& error() const { return error_; }
    ControlServer& server() { return *server_; }

    // Register commands before run(): the server is not thread-safe.
    void run() {
        thread_ = std::thread([this] { io_.run(); });
    }

    // Stops the server on its own thread and waits until every connection is closed.
    void stop() {
        if (thread_.joinable()) {
            boost::asio::post(io_, [this] { server_.reset(); });
            guard_.reset();
            thread_.join();
        }
        server_.reset();
    }

private:
    boost::asio::io_context io_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_{
        io_.get_executor()};
    std::optional<ControlServer> server_;
    Error error_;
    std::thread thread_;
};

// A plain connected socket, or -1.
inline int connect_raw(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

// A socket file with nobody behind it, as a crashed sixgate leaves.
inline void make_stale_socket(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    ASSERT_EQ(::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)), 0);
    ::close(fd);
}

inline bool send_all(int fd, const std::string& data) {
    std::size_t sent = 0;
    while (sent < data.size()) {
        const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

// Everything until the peer closes; nothing if it does not within `timeout`.
inline std::optional<std::string> read_until_closed(int fd, std::chrono::milliseconds timeout) {
    std::string data;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) return std::nullopt;
        pollfd poll_fd{fd, POLLIN, 0};
        if (::poll(&poll_fd, 1, static_cast<int>(left.count())) <= 0) return std::nullopt;
        char buffer[4096];
        const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
        if (n == 0) return data;
        if (n < 0) return errno == ECONNRESET ? std::optional<std::string>(data) : std::nullopt;
        data.append(buffer, static_cast<std::size_t>(n));
    }
}

}  // namespace sixgate::app::testing_support
