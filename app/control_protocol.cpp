#include "app/control_protocol.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>
#include <optional>

#include <fmt/format.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

namespace sixgate::app {
namespace {

using boost::asio::local::stream_protocol;

std::string seconds_text(std::chrono::milliseconds duration) {
    return fmt::format("{:g} s", static_cast<double>(duration.count()) / 1000.0);
}

}  // namespace

Result<ControlRequest> parse_control_request(std::string_view line) {
    if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    nlohmann::json body = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded()) {
        return make_error(
            std::errc::bad_message,
            "malformed request: not JSON (send one line such as {\"command\":\"status\"})");
    }
    if (!body.is_object()) {
        return make_error(std::errc::bad_message, "malformed request: not a JSON object");
    }
    const auto command = body.find("command");
    if (command == body.end() || !command->is_string()) {
        return make_error(std::errc::bad_message, "malformed request: no string \"command\"");
    }
    return ControlRequest{command->get<std::string>(), std::move(body)};
}

std::string encode_control_request(const nlohmann::json& request) {
    return request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

nlohmann::json control_error_reply(std::string message) {
    return nlohmann::json{{"error", std::move(message)}};
}

Error describe_control_connect_error(const std::string& path, std::error_code code) {
    const int value =
        code.category() == std::system_category() || code.category() == std::generic_category()
            ? code.value()
            : 0;
    switch (value) {
        case ENOENT:
            return make_error(std::errc::no_such_file_or_directory,
                              "no sixgate is running: " + path +
                                  " does not exist (start one with 'sixgate run -c FILE', or give "
                                  "--socket)");
        case ECONNREFUSED:
            return make_error(std::errc::connection_refused,
                              path +
                                  " is stale (no process answers); a previous sixgate did not exit "
                                  "cleanly");
        case EACCES:
        case EPERM:
            return make_error(
                std::errc::permission_denied,
                "permission denied on " + path + ": the control socket is root-only; run as root");
        case ENOTSOCK:
            return make_error(std::errc::not_a_socket,
                              path + " is not a socket (is the --socket path right?)");
        default:
            return Error{code, "cannot connect to " + path + ": " + code.message()};
    }
}

Result<nlohmann::json> request_control(const std::string& path, const nlohmann::json& request,
                                       std::chrono::milliseconds timeout) {
    // Look before connecting: connect() says "refused" for a regular file too.
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) {
        return describe_control_connect_error(path,
                                              std::error_code(errno, std::generic_category()));
    }
    if (!S_ISSOCK(status.st_mode)) {
        return describe_control_connect_error(path, std::make_error_code(std::errc::not_a_socket));
    }
    if (path.size() >= sizeof(sockaddr_un::sun_path)) {
        return make_error(std::errc::filename_too_long,
                          "socket path " + path + " is too long (a unix socket path has at most " +
                              std::to_string(sizeof(sockaddr_un::sun_path) - 1) + " bytes)");
    }

    boost::asio::io_context io;
    stream_protocol::socket socket(io);
    const std::string out = encode_control_request(request);
    std::string reply;
    std::optional<Error> failure;
    bool connected = false;
    bool done = false;

    socket.async_connect(stream_protocol::endpoint(path), [&](const boost::system::error_code& ec) {
        if (ec) {
            failure = describe_control_connect_error(
                path, std::error_code(ec.value(), std::generic_category()));
            done = true;
            return;
        }
        connected = true;
        boost::asio::async_write(
            socket, boost::asio::buffer(out),
            [&](const boost::system::error_code& write_ec, std::size_t) {
                // Read even when the write failed: a server that refuses (busy) answers and closes
                // before reading, and its answer is still there to read.
                boost::asio::async_read(
                    socket, boost::asio::dynamic_buffer(reply, kMaxControlReplyBytes),
                    [&, write_ec](const boost::system::error_code& ec, std::size_t) {
                        // The reply ends where the server closes; it may close without reading
                        // all we sent, which resets the connection after its reply.
                        const bool complete =
                            ec == boost::asio::error::eof ||
                            (ec == boost::asio::error::connection_reset && !reply.empty());
                        if (!complete && write_ec) {
                            failure = Error{
                                std::error_code(write_ec.value(), std::generic_category()),
                                "cannot send the request to " + path + ": " + write_ec.message()};
                        } else if (!complete && ec) {
                            failure =
                                Error{std::error_code(ec.value(), std::generic_category()),
                                      "cannot read the reply from " + path + ": " + ec.message()};
                        }
                        done = true;
                    });
            });
    });
    io.run_for(timeout);
    if (!done) {
        return make_error(std::errc::timed_out,
                          path +
                              (connected ? " did not answer" : " did not accept the connection") +
                              " within " + seconds_text(timeout) + "; sixgate may be busy or hung");
    }
    if (failure) return *failure;

    nlohmann::json parsed = nlohmann::json::parse(reply, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded()) {
        return make_error(std::errc::bad_message,
                          path + " answered with something that is not JSON (" +
                              std::to_string(reply.size()) + " bytes)");
    }
    if (parsed.is_object()) {
        const auto error = parsed.find("error");
        if (error != parsed.end() && error->is_string()) {
            return make_error(std::errc::protocol_error,
                              "sixgate answered: " + error->get<std::string>());
        }
    }
    return parsed;
}

std::string format_utc_time(std::chrono::system_clock::time_point time) {
    const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
    std::tm utc{};
    ::gmtime_r(&seconds, &utc);
    char text[32];
    const std::size_t length = std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &utc);
    return std::string(text, length);
}

nlohmann::json status_snapshot_base(std::chrono::system_clock::time_point started_at) {
    return nlohmann::json{{"version", SIXGATE_VERSION},
                          {"pid", static_cast<long long>(::getpid())},
                          {"started_at", format_utc_time(started_at)}};
}

}  // namespace sixgate::app
