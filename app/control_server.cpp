#include "app/control_server.hpp"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>
#include <boost/asio/buffer.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>

namespace sixgate::app {
namespace {

using boost::asio::local::stream_protocol;

// Who is on the other end, for the log (SO_PEERCRED; -1 when unknown).
struct Peer {
    long pid = -1;
    long uid = -1;
};

Peer peer_of(int fd) {
    ucred credentials{};
    socklen_t length = sizeof(credentials);
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return {};
    return Peer{static_cast<long>(credentials.pid), static_cast<long>(credentials.uid)};
}

// The daemon may start helper processes; the control socket must not leak into them.
void set_close_on_exec(int fd) {
    const int flags = ::fcntl(fd, F_GETFD);
    if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

std::error_code errno_code(int value) {
    return std::error_code(value, std::generic_category());
}

Error system_error(const std::string& what, int value) {
    return Error{errno_code(value), what + ": " + std::strerror(value)};
}

// What answers at an existing socket file.
enum class Probe { answering, stale, gone };

Result<Probe> probe_socket(const std::string& path) {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) return system_error("cannot create a socket to probe " + path, errno);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path.copy(address.sun_path, sizeof(address.sun_path) - 1);
    const int rc = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address));
    const int error = rc == 0 ? 0 : errno;
    ::close(fd);
    // Non-blocking: a listener with a full backlog says EAGAIN, which still means it is alive.
    if (rc == 0 || error == EAGAIN || error == EINPROGRESS) return Probe::answering;
    if (error == ECONNREFUSED) return Probe::stale;
    if (error == ENOENT) return Probe::gone;
    return system_error("cannot check the existing socket " + path, error);
}

// Creates the missing directories above the socket, each 0755 whatever the umask.
Result<void> make_parent_directories(const std::filesystem::path& directory) {
    if (directory.empty()) return {};
    std::vector<std::filesystem::path> missing;
    for (std::filesystem::path at = directory; !at.empty(); at = at.parent_path()) {
        struct stat status {};
        if (::stat(at.c_str(), &status) == 0) {
            if (!S_ISDIR(status.st_mode)) {
                return make_error(
                    std::errc::not_a_directory,
                    "cannot create the control socket: " + at.string() + " is not a directory");
            }
            break;
        }
        missing.push_back(at);
        if (at == at.parent_path()) break;
    }
    for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
        if (::mkdir(it->c_str(), 0755) != 0 && errno != EEXIST) {
            return system_error(
                "cannot create directory " + it->string() + " for the control socket", errno);
        }
        ::chmod(it->c_str(), 0755);
        spdlog::info("control socket directory created path={} mode=0755", it->string());
    }
    return {};
}

}  // namespace

class ControlSession;

namespace detail {

struct ControlServerState : std::enable_shared_from_this<ControlServerState> {
    ControlServerState(boost::asio::io_context& io_context, ControlServerOptions server_options)
        : io(io_context),
          options(std::move(server_options)),
          acceptor(io_context),
          retry(io_context) {}

    void accept();
    void stop();
    nlohmann::json answer(const std::string& line, const Peer& peer);

    boost::asio::io_context& io;
    ControlServerOptions options;
    stream_protocol::acceptor acceptor;
    boost::asio::steady_timer retry;  // after a failed accept (e.g. out of file descriptors)
    std::map<std::string, ControlHandler, std::less<>> commands;
    std::set<ControlSession*> sessions;  // open connections, to close them on stop
    dev_t device = 0;                    // identity of our socket file, so stop() never removes
    ino_t inode = 0;                     // a successor's
    bool stopped = false;
};

}  // namespace detail

using detail::ControlServerState;

// One connection: read one line (bounded in size and time), answer, close.
class ControlSession : public std::enable_shared_from_this<ControlSession> {
public:
    ControlSession(std::shared_ptr<ControlServerState> state, stream_protocol::socket socket)
        : state_(std::move(state)), socket_(std::move(socket)), deadline_(state_->io) {
        peer_ = peer_of(socket_.native_handle());
        state_->sessions.insert(this);
    }
    ~ControlSession() { state_->sessions.erase(this); }

    void start() {
        deadline_.expires_after(state_->options.client_timeout);
        deadline_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
            if (ec) return;
            if (auto self = weak.lock()) {
                spdlog::debug("control client timed out peer_pid={} timeout_ms={}", self->peer_.pid,
                              self->state_->options.client_timeout.count());
                self->close();
            }
        });
        boost::asio::async_read_until(
            socket_, boost::asio::dynamic_buffer(request_, state_->options.max_request_bytes), '\n',
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t length) {
                self->on_read(ec, length);
            });
    }

    void reply(const nlohmann::json& body) {
        reply_ = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
        boost::asio::async_write(
            socket_, boost::asio::buffer(reply_),
            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                if (ec && ec != boost::asio::error::operation_aborted) {
                    spdlog::debug("control reply not sent peer_pid={} error=\"{}\"",
                                  self->peer_.pid, ec.message());
                }
                self->close();
            });
    }

    void close() {
        deadline_.cancel();
        boost::system::error_code ignored;
        socket_.shutdown(stream_protocol::socket::shutdown_both, ignored);
        socket_.close(ignored);
    }

private:
    void on_read(const boost::system::error_code& ec, std::size_t length) {
        if (ec == boost::asio::error::operation_aborted) return;
        if (ec == boost::asio::error::not_found) {
            // The buffer filled up without a newline.
            spdlog::info("control request rejected reason=too_large peer_pid={} limit_bytes={}",
                         peer_.pid, state_->options.max_request_bytes);
            reply(control_error_reply("request too large: no newline within " +
                                      std::to_string(state_->options.max_request_bytes) +
                                      " bytes"));
            return;
        }
        if (ec == boost::asio::error::eof) {
            // A client may send its line without the newline and shut down its side.
            if (request_.empty()) {
                spdlog::debug("control client closed without a request peer_pid={}", peer_.pid);
                close();
                return;
            }
            length = request_.size();
        } else if (ec) {
            spdlog::debug("control read failed peer_pid={} error=\"{}\"", peer_.pid, ec.message());
            close();
            return;
        }
        reply(state_->answer(request_.substr(0, length), peer_));
    }

    std::shared_ptr<ControlServerState> state_;
    stream_protocol::socket socket_;
    boost::asio::steady_timer deadline_;
    Peer peer_;
    std::string request_;
    std::string reply_;
};

nlohmann::json ControlServerState::answer(const std::string& line, const Peer& peer) {
    auto request = parse_control_request(line);
    if (!request) {
        spdlog::info("control request rejected reason=malformed peer_pid={} error=\"{}\"", peer.pid,
                     request.error().message);
        return control_error_reply(request.error().message);
    }
    const auto handler = commands.find(request->command);
    if (handler == commands.end()) {
        std::string known;
        for (const auto& [name, unused] : commands) known += (known.empty() ? "" : ", ") + name;
        spdlog::info("control request rejected reason=unknown_command command=\"{}\" peer_pid={}",
                     request->command, peer.pid);
        return control_error_reply("unknown command '" + request->command +
                                   "' (known: " + (known.empty() ? "none" : known) + ")");
    }
    spdlog::debug("control request command={} peer_pid={} peer_uid={}", request->command, peer.pid,
                  peer.uid);
    try {
        return handler->second(request->body);
    } catch (const std::exception& error) {
        spdlog::error("control command failed command={} error=\"{}\"", request->command,
                      error.what());
        return control_error_reply("command '" + request->command + "' failed: " + error.what());
    }
}

void ControlServerState::accept() {
    acceptor.async_accept([self = shared_from_this()](const boost::system::error_code& ec,
                                                      stream_protocol::socket socket) {
        if (self->stopped || ec == boost::asio::error::operation_aborted) return;
        if (ec) {
            // Out of descriptors and the like: back off instead of spinning.
            spdlog::warn("control accept failed path={} error=\"{}\"", self->options.socket_path,
                         ec.message());
            self->retry.expires_after(std::chrono::milliseconds(100));
            self->retry.async_wait([self](const boost::system::error_code& wait_ec) {
                if (!wait_ec && !self->stopped) self->accept();
            });
            return;
        }
        set_close_on_exec(socket.native_handle());
        auto session = std::make_shared<ControlSession>(self, std::move(socket));
        if (self->sessions.size() > self->options.max_clients) {
            spdlog::info("control request rejected reason=busy clients={}",
                         self->sessions.size() - 1);
            session->reply(
                control_error_reply("busy: " + std::to_string(self->options.max_clients) +
                                    " control clients are connected; try again"));
        } else {
            session->start();
        }
        self->accept();
    });
}

void ControlServerState::stop() {
    if (stopped) return;
    stopped = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    retry.cancel();
    // Copy: closing does not erase, but keep the loop independent of that.
    const std::vector<ControlSession*> open(sessions.begin(), sessions.end());
    for (ControlSession* session : open) session->close();
    struct stat status {};
    if (::lstat(options.socket_path.c_str(), &status) == 0 && status.st_dev == device &&
        status.st_ino == inode) {
        ::unlink(options.socket_path.c_str());
        spdlog::info("control socket removed path={}", options.socket_path);
    }
}

Result<ControlServer> ControlServer::start(boost::asio::io_context& io,
                                           ControlServerOptions options) {
    const std::string path = options.socket_path;
    if (path.empty())
        return make_error(std::errc::invalid_argument, "the control socket path is empty");
    if (path.size() >= sizeof(sockaddr_un::sun_path)) {
        return make_error(std::errc::filename_too_long,
                          "control socket path " + path + " is too long (" +
                              std::to_string(path.size()) +
                              " bytes; a unix socket path has at most " +
                              std::to_string(sizeof(sockaddr_un::sun_path) - 1) + ")");
    }
    if (auto made = make_parent_directories(std::filesystem::path(path).parent_path()); !made) {
        return made.error();
    }

    struct stat existing {};
    if (::lstat(path.c_str(), &existing) == 0) {
        if (!S_ISSOCK(existing.st_mode)) {
            return make_error(std::errc::file_exists,
                              path + " exists and is not a socket; refusing to replace it");
        }
        auto probe = probe_socket(path);
        if (!probe) return probe.error();
        if (*probe == Probe::answering) {
            return make_error(std::errc::address_in_use, "another sixgate is running on " + path);
        }
        if (*probe == Probe::stale) {
            if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
                return system_error("cannot remove the stale socket " + path, errno);
            }
            spdlog::info("control socket stale, removed path={}", path);
        }
    } else if (errno != ENOENT) {
        return system_error("cannot check " + path, errno);
    }

    auto state = std::make_shared<ControlServerState>(io, std::move(options));
    boost::system::error_code ec;
    state->acceptor.open(stream_protocol(), ec);
    if (ec) return system_error("cannot create the control socket", ec.value());
    set_close_on_exec(state->acceptor.native_handle());
    state->acceptor.bind(stream_protocol::endpoint(path), ec);
    if (ec) return system_error("cannot bind the control socket " + path, ec.value());
    // Root-only before anyone can connect: a bound socket refuses connections until listen().
    if (::chmod(path.c_str(), 0600) != 0) {
        const int error = errno;
        ::unlink(path.c_str());
        return system_error("cannot make the control socket " + path + " root-only", error);
    }
    struct stat bound {};
    if (::lstat(path.c_str(), &bound) == 0) {
        state->device = bound.st_dev;
        state->inode = bound.st_ino;
    }
    state->acceptor.listen(stream_protocol::acceptor::max_listen_connections, ec);
    if (ec) {
        ::unlink(path.c_str());
        return system_error("cannot listen on the control socket " + path, ec.value());
    }
    spdlog::info("control socket listening path={} mode=0600", path);
    state->accept();
    return ControlServer(std::move(state));
}

ControlServer::ControlServer(std::shared_ptr<ControlServerState> state)
    : state_(std::move(state)) {}
ControlServer::ControlServer(ControlServer&&) noexcept = default;
ControlServer& ControlServer::operator=(ControlServer&& other) noexcept {
    if (this != &other) {
        stop();
        state_ = std::move(other.state_);
    }
    return *this;
}
ControlServer::~ControlServer() {
    stop();
}

void ControlServer::register_command(std::string name, ControlHandler handler) {
    state_->commands.insert_or_assign(std::move(name), std::move(handler));
}

void ControlServer::set_status_source(std::function<nlohmann::json()> snapshot) {
    register_command(
        "status", [snapshot = std::move(snapshot)](const nlohmann::json&) { return snapshot(); });
}

void ControlServer::stop() {
    if (state_) state_->stop();
}

const std::string& ControlServer::socket_path() const {
    return state_->options.socket_path;
}

}  // namespace sixgate::app
