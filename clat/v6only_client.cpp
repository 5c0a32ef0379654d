#include "clat/v6only_client.hpp"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include <spdlog/spdlog.h>

namespace sixgate::clat {

namespace {

constexpr std::size_t kReceiveBufferSize = 1500;  // RFC 2131 2: at most an Ethernet MTU here

Error system_error(const std::string& context) {
    const int code = errno;
    return Error{std::error_code(code, std::generic_category()),
                 context + ": " + std::strerror(code)};
}

std::int64_t seconds_until(DhcpClock::time_point when) {
    if (when == DhcpClock::time_point::max()) return -1;
    return std::max<std::int64_t>(
        0, std::chrono::duration_cast<std::chrono::seconds>(when - DhcpClock::now()).count());
}

// "2026-11-23T22:40:00Z" for a steady-clock deadline.
std::string wall_clock(DhcpClock::time_point when) {
    const auto wall =
        std::chrono::system_clock::now() +
        std::chrono::duration_cast<std::chrono::system_clock::duration>(when - DhcpClock::now());
    const std::time_t t = std::chrono::system_clock::to_time_t(wall);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

// One line a person reads in `sixgate status`.
std::string summary(const Rfc8925Client& logic) {
    switch (logic.state()) {
        case Rfc8925State::ipv6_only:
            return "offered ipv6-only (RFC 8925, V6ONLY_WAIT " +
                   std::to_string(logic.v6only_wait_s()) +
                   " s): no lease, clat runs, asking again in " +
                   std::to_string(seconds_until(logic.resume_at())) + " s at " +
                   wall_clock(logic.resume_at());
        case Rfc8925State::leased: {
            const DhcpLease& lease = *logic.lease();
            std::string text = "leased " + lease.address.to_string() + "/" +
                               std::to_string(lease.prefix_length) + " from " +
                               lease.server.to_string();
            text += lease.expires == DhcpClock::time_point::max()
                        ? std::string(" forever")
                        : " until " + wall_clock(lease.expires) + " (in " +
                              std::to_string(seconds_until(lease.expires)) + " s)";
            return text + ": ipv4 is native, clat off";
        }
        case Rfc8925State::no_server:
            return "no dhcpv4 server answered: clat runs, asking again in " +
                   std::to_string(seconds_until(logic.resume_at())) + " s at " +
                   wall_clock(logic.resume_at());
        case Rfc8925State::discovering:
            return "asking: DHCPDISCOVER with option 108 sent";
        case Rfc8925State::requesting:
            return "requesting the offered address (no option 108 in the offer)";
    }
    return "unknown";
}

}  // namespace

Result<std::unique_ptr<V6OnlyClient>> V6OnlyClient::start(boost::asio::io_context& io,
                                                          const std::string& uplink,
                                                          net::netlink::KernelApi& kernel,
                                                          Rfc8925ClientOptions options,
                                                          OnModeChange on_change) {
    auto info = kernel.interface_info(uplink);
    if (!info) return with_context(info.error(), "dhcpv4 client on " + uplink);
    if (info->link_layer_address.size() != 6)
        return make_error(std::errc::invalid_argument,
                          "dhcpv4 client on " + uplink +
                              ": needs an Ethernet uplink (a 6-byte hardware address for chaddr); "
                              "set clat.dhcpv4.v6only_preferred to false");
    std::array<std::uint8_t, 6> mac{};
    std::copy(info->link_layer_address.begin(), info->link_layer_address.end(), mac.begin());

    // Measured: with no IPv4 address on the link, a UDP socket bound to 0.0.0.0:68 on the device
    // sends from 0.0.0.0 to 255.255.255.255 and receives the server's broadcast replies.
    net::UniqueFd fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_UDP));
    if (!fd) return system_error("dhcpv4 client on " + uplink + ": socket");
    const int one = 1;
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_BROADCAST, &one, sizeof one) != 0)
        return system_error("dhcpv4 client on " + uplink + ": SO_BROADCAST");
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_BINDTODEVICE, uplink.c_str(),
                     socklen_t(uplink.size())) != 0)
        return system_error("dhcpv4 client on " + uplink + ": SO_BINDTODEVICE");
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_port = htons(kDhcpClientPort);
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
        Error error = system_error("dhcpv4 client on " + uplink + ": bind 0.0.0.0:68");
        if (error.code == std::errc::address_in_use)
            error.message +=
                " (another DHCP client, e.g. dhclient or systemd-networkd, runs on "
                "this host: stop it or set clat.dhcpv4.v6only_preferred to false)";
        return error;
    }
    std::unique_ptr<V6OnlyClient> client(new V6OnlyClient(
        io, std::move(fd), uplink, mac, kernel, std::move(options), std::move(on_change)));
    const Rfc8925State before = client->logic_.state();
    client->send(client->logic_.start(DhcpClock::now()));
    spdlog::info("dhcpv4 client uplink={} xid={:#010x} asking with option 108 (RFC 8925)", uplink,
                 client->logic_.xid());
    client->wait_readable();
    client->after_event(Ipv4Mode::undecided, before);
    return client;
}

V6OnlyClient::V6OnlyClient(boost::asio::io_context& io, net::UniqueFd fd, std::string uplink,
                           std::array<std::uint8_t, 6> mac, net::netlink::KernelApi& kernel,
                           Rfc8925ClientOptions options, OnModeChange on_change)
    : fd_(std::move(fd)),
      descriptor_(io, fd_.get()),
      timer_(io),
      uplink_(std::move(uplink)),
      logic_(mac, std::move(options)),
      lease_(kernel, uplink_),
      on_change_(std::move(on_change)),
      buffer_(kReceiveBufferSize) {}

V6OnlyClient::~V6OnlyClient() {
    timer_.cancel();
    boost::system::error_code ignored;
    descriptor_.cancel(ignored);
    descriptor_.release();  // fd_ closes it
    lease_.remove();
}

void V6OnlyClient::wait_readable() {
    descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this](boost::system::error_code error) {
                               if (error) return;  // cancelled: the client is going away
                               receive_all();
                               wait_readable();
                           });
}

void V6OnlyClient::receive_all() {
    for (int budget = 16; budget > 0; --budget) {
        const ssize_t length = ::recv(fd_.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT);
        if (length < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                spdlog::warn("dhcpv4 client uplink={} receive failed: {}", uplink_,
                             std::strerror(errno));
            return;
        }
        ++datagrams_received_;
        const Ipv4Mode mode = logic_.mode();
        const Rfc8925State state = logic_.state();
        send(logic_.on_datagram(std::span(buffer_).first(std::size_t(length)), DhcpClock::now()));
        after_event(mode, state);
    }
}

void V6OnlyClient::send(const Rfc8925Client::Outgoing& messages) {
    sockaddr_in server{};
    server.sin_family = AF_INET;
    server.sin_port = htons(kDhcpServerPort);
    server.sin_addr.s_addr = htonl(INADDR_BROADCAST);
    for (const auto& message : messages) {
        if (::sendto(fd_.get(), message.data(), message.size(), 0,
                     reinterpret_cast<const sockaddr*>(&server), sizeof server) < 0) {
            if (send_errors_++ == 0)  // the first one says why; the counter says how often
                spdlog::warn("dhcpv4 client uplink={} send failed: {}", uplink_,
                             std::strerror(errno));
        }
    }
}

void V6OnlyClient::after_event(Ipv4Mode before, Rfc8925State state_before) {
    const Ipv4Mode mode = logic_.mode();
    const Rfc8925State state = logic_.state();
    if (state != state_before) {
        if (state == Rfc8925State::ipv6_only)
            spdlog::info(
                "dhcpv4 uplink={} offered ipv6-only (RFC 8925) v6only_wait_s={}: no "
                "lease taken, clat runs",
                uplink_, logic_.v6only_wait_s());
        else if (state == Rfc8925State::leased)
            spdlog::info(
                "dhcpv4 uplink={} leased address={} server={} lease_time_s={}: ipv4 is "
                "native, clat stays off",
                uplink_, logic_.lease()->address.to_string(), logic_.lease()->server.to_string(),
                logic_.lease()->lease_time_s);
        else
            spdlog::info("dhcpv4 uplink={} state={} xid={:#010x}", uplink_, to_string(state),
                         logic_.xid());
    }
    if (mode == Ipv4Mode::native) {
        if (before != Ipv4Mode::native) on_change_(mode);
        if (auto done = lease_.install(*logic_.lease()); !done) {
            if (done.error().message != lease_error_)
                spdlog::error("dhcpv4 uplink={}: {}", uplink_, done.error().message);
            lease_error_ = done.error().message;
        } else {
            lease_error_.clear();
        }
    } else {
        lease_.remove();
        lease_error_.clear();
        if (before != mode) on_change_(mode);
    }
    arm_timer();
}

void V6OnlyClient::arm_timer() {
    const auto deadline = logic_.next_deadline();
    if (deadline == DhcpClock::time_point::max()) {
        timer_.cancel();
        return;
    }
    timer_.expires_at(deadline);
    timer_.async_wait([this](boost::system::error_code error) {
        if (error) return;
        const Ipv4Mode mode = logic_.mode();
        const Rfc8925State state = logic_.state();
        send(logic_.on_timer(DhcpClock::now()));
        after_event(mode, state);
    });
}

nlohmann::json V6OnlyClient::status() const {
    using nlohmann::json;
    json status;
    status["uplink"] = uplink_;
    status["state"] = std::string(to_string(logic_.state()));
    status["summary"] = summary(logic_);
    status["ipv4"] = std::string(to_string(logic_.mode()));
    status["xid"] = fmt::format("{:#010x}", logic_.xid());  // text: not a metric
    switch (logic_.state()) {
        case Rfc8925State::ipv6_only:
            status["v6only_wait_s"] = logic_.v6only_wait_s();
            status["asking_again_in_s"] = seconds_until(logic_.resume_at());
            break;
        case Rfc8925State::no_server:
            status["asking_again_in_s"] = seconds_until(logic_.resume_at());
            break;
        default:
            break;
    }
    if (const auto& lease = logic_.lease()) {
        status["lease"] = {{"address", lease->address.to_string()},
                           {"prefix_length", lease->prefix_length},
                           {"router", lease->router ? json(lease->router->to_string()) : json()},
                           {"server", lease->server.to_string()},
                           {"lease_time_s", lease->lease_time_s},
                           {"expires_in_s", seconds_until(lease->expires)},
                           {"installed", lease_.installed().has_value()}};
    }
    if (!lease_error_.empty()) status["error"] = lease_error_;
    const Rfc8925Counters& c = logic_.counters();
    json dropped = json::object();
    for (std::size_t i = 0; i < kDhcpDropReasonCount; ++i)
        dropped[std::string(to_string(static_cast<DhcpDropReason>(i)))] = c.dropped[i];
    status["counters"] = {{"discovers_sent", c.discovers_sent},
                          {"requests_sent", c.requests_sent},
                          {"received", datagrams_received_},
                          {"offers", c.offers},
                          {"offers_ipv6_only", c.offers_ipv6_only},
                          {"acks", c.acks},
                          {"naks", c.naks},
                          {"ignored_in_state", c.ignored_in_state},
                          {"unusable_offers", c.unusable_offers},
                          {"malformed_option_108", c.malformed_option_108},
                          {"send_errors", send_errors_},
                          {"drops", std::move(dropped)}};
    return status;
}

}  // namespace sixgate::clat
