#pragma once
// The control socket: a root-only unix stream socket on the control-plane io_context, answering
// one JSON request per connection (app/control_protocol.hpp) from registered command handlers.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>

#include "app/control_protocol.hpp"
#include "net/result.hpp"

namespace sixgate::app {

namespace detail {
struct ControlServerState;
}  // namespace detail

struct ControlServerOptions {
    std::string socket_path = kDefaultControlSocketPath;
    // A client that has not sent its request and read the reply by then is dropped.
    std::chrono::milliseconds client_timeout{2000};
    std::size_t max_request_bytes = kMaxControlRequestBytes;
    // Connections beyond this get {"error":"busy ..."} at once, so slow clients cannot pile up.
    std::size_t max_clients = 16;
};

// Answers a request (the whole JSON object, "command" included) with a reply. Runs on the
// io_context thread; may throw std::exception, which becomes {"error": ...}.
using ControlHandler = std::function<nlohmann::json(const nlohmann::json& request)>;

// Not thread-safe: create, register, stop and destroy it on the io_context's thread (or before
// the io_context runs). Destroying it stops it; the io_context must outlive it.
class ControlServer {
public:
    // Binds and listens: creates the parent directory (0755) if missing, refuses when another
    // process answers on the path, removes a stale socket file, makes the socket 0600.
    static Result<ControlServer> start(boost::asio::io_context& io, ControlServerOptions options);

    ControlServer(ControlServer&&) noexcept;
    ControlServer& operator=(ControlServer&&) noexcept;
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;
    ~ControlServer();

    // Adds or replaces the handler for requests whose "command" is `name`.
    void register_command(std::string name, ControlHandler handler);
    // Registers "status": the reply is the snapshot (see docs/status.md for its shape).
    void set_status_source(std::function<nlohmann::json()> snapshot);

    // Closes the listener and every open connection and removes the socket file (only if it is
    // still ours). Idempotent.
    void stop();

    const std::string& socket_path() const;

private:
    explicit ControlServer(std::shared_ptr<detail::ControlServerState> state);
    std::shared_ptr<detail::ControlServerState> state_;
};

}  // namespace sixgate::app
