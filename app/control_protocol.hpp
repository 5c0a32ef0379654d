#pragma once
// The control socket protocol and its client: one JSON request line in, one JSON reply out, then
// the server closes. Requests are {"command":"status", ...}; errors are {"error":"..."}.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <system_error>

#include <nlohmann/json.hpp>

#include "net/result.hpp"

namespace sixgate::app {

inline constexpr const char* kDefaultControlSocketPath = "/run/sixgate/sixgate.sock";
// A request is one short line; anything longer is a confused or hostile client.
inline constexpr std::size_t kMaxControlRequestBytes = 64 * 1024;
// A reply carries every counter of every component; this only bounds a runaway peer.
inline constexpr std::size_t kMaxControlReplyBytes = 16 * 1024 * 1024;
inline constexpr std::chrono::milliseconds kDefaultControlTimeout{5000};

// A request line, validated: a JSON object with a string "command". The whole object is kept so
// later commands (e.g. "reload") can carry arguments.
struct ControlRequest {
    std::string command;
    nlohmann::json body;
};

// Error codes: std::errc::bad_message for anything that is not such an object.
Result<ControlRequest> parse_control_request(std::string_view line);

// The request as sent on the wire: compact JSON and a newline.
std::string encode_control_request(const nlohmann::json& request);

// {"error": message}
nlohmann::json control_error_reply(std::string message);

// Connects to the socket at `path`, sends `request`, returns the parsed reply. Never blocks past
// `timeout`. Error codes a caller can branch on, each with a message for the user:
//   no_such_file_or_directory  nothing at path: no sixgate is running
//   connection_refused         a socket file nobody listens on: stale
//   permission_denied          the socket is root-only
//   timed_out                  connected, but no reply in time
//   not_a_socket               path is something else
//   bad_message                the reply is not JSON
//   protocol_error             the server answered {"error": ...}
//   anything else              the system error, with the path
Result<nlohmann::json> request_control(const std::string& path, const nlohmann::json& request,
                                       std::chrono::milliseconds timeout = kDefaultControlTimeout);

// The user-facing error for a failed connect() to path (the codes above).
Error describe_control_connect_error(const std::string& path, std::error_code code);

// The fields every status snapshot starts with: {"version", "pid", "started_at"} (UTC,
// RFC 3339). The daemon adds "components".
nlohmann::json status_snapshot_base(std::chrono::system_clock::time_point started_at);

// 2024-05-01T10:00:00Z
std::string format_utc_time(std::chrono::system_clock::time_point time);

}  // namespace sixgate::app
