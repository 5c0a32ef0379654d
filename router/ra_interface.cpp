#include "router/ra_interface.hpp"

#include <netinet/icmp6.h>
#include <sys/socket.h>

#include <algorithm>
#include <random>
#include <utility>

#include <boost/asio/post.hpp>

#include <spdlog/spdlog.h>

#include "net/nd/option_builders.hpp"
#include "router/ra_consistency.hpp"
#include "router/ra_status.hpp"

namespace sixgate::router {

namespace nd = net::nd;
using std::chrono::duration_cast;

namespace {

constexpr std::size_t kReceiveBufferSize = 65536;
constexpr std::size_t kMaxAdvertisementSize = 65535;
constexpr int kLogLinesPerSecond = 20;
constexpr std::chrono::seconds kSendRetryInterval{1};

RaScheduleParams schedule_params(const config::RouterInterface& config) {
    RaScheduleParams params;
    params.min_interval = Milliseconds(std::int64_t(*config.min_rtr_adv_interval) * 1000);
    params.max_interval = Milliseconds(std::int64_t(*config.max_rtr_adv_interval) * 1000);
    params.unicast_replies = *config.unicast_solicited_replies;
    params.unicast_reply_limit = *config.unicast_reply_limit;
    return params;
}

std::int64_t milliseconds_between(TimePoint from, TimePoint to) {
    return duration_cast<Milliseconds>(to - from).count();
}

bool is_unspecified(const net::Ipv6Address& address) { return address == net::Ipv6Address(); }

}  // namespace

Result<std::unique_ptr<RaInterface>> RaInterface::start(boost::asio::io_context& io,
                                                        const config::RouterInterface& config,
                                                        const std::optional<nd::MacAddress>& mac) {
    auto socket = net::Icmpv6Socket::open(config.name, {ND_ROUTER_SOLICIT, ND_ROUTER_ADVERT}, {net::kAllRouters});
    if (!socket) return socket.error();
    std::unique_ptr<RaInterface> interface(new RaInterface(io, config, std::move(*socket), mac));
    interface->rebuild();
    interface->schedule_.start(Clock::now());
    interface->arm_multicast_timer();
    interface->wait_readable();
    spdlog::info("router interface={} started max_rtr_adv_interval={}s min_rtr_adv_interval={}s router_lifetime={}s",
                 config.name, *config.max_rtr_adv_interval, *config.min_rtr_adv_interval, *config.router_lifetime);
    return interface;
}

RaInterface::RaInterface(boost::asio::io_context& io, const config::RouterInterface& config,
                         net::Icmpv6Socket socket, std::optional<nd::MacAddress> mac)
    : io_(io),
      config_(config),
      socket_(std::move(socket)),
      descriptor_(io, socket_.fd()),
      multicast_timer_(io),
      unicast_timer_(io),
      mac_(mac),
      schedule_(schedule_params(config), std::random_device{}()),
      receive_buffer_(kReceiveBufferSize) {}

RaInterface::~RaInterface() {
    // The socket owns the descriptor; asio must not close it a second time.
    boost::system::error_code ignored;
    descriptor_.cancel(ignored);
    descriptor_.release();
}

void RaInterface::rebuild() {
    advertisement_ = compose_advertisement(config_, mac_, retired_, Clock::now());
    message_.assign(kMaxAdvertisementSize, 0);
    auto length = nd::build_router_advertisement(advertisement_, message_);
    if (!length) {
        // Config validation bounds every field, so this means too many options for one RA.
        spdlog::error("router interface={} cannot encode its advertisement: {}", config_.name, length.error().message);
        message_.clear();
        return;
    }
    message_.resize(*length);
    if (config_.link_mtu.value && *length + 40 > *config_.link_mtu.value)
        spdlog::warn("router interface={} advertisement of {} bytes exceeds link_mtu {}: it will be fragmented",
                     config_.name, *length, *config_.link_mtu.value);
}

void RaInterface::update(const config::RouterInterface& config) {
    const TimePoint now = Clock::now();
    const nd::RouterAdvertisement before = advertisement_;
    config_ = config;
    schedule_.set_params(schedule_params(config));
    const nd::RouterAdvertisement after = compose_advertisement(config_, mac_, {}, now);
    Retired more = retire_changes(before, after, now);
    // Entries advertised again are no longer retired; new retirements join the old ones.
    std::erase_if(retired_.prefixes, [&](const RetiredPrefix& r) {
        return std::any_of(config_.prefixes.begin(), config_.prefixes.end(),
                           [&](const auto& p) { return *p.prefix == r.option.prefix; });
    });
    std::erase_if(retired_.routes, [&](const RetiredRoute& r) {
        return std::any_of(config_.routes.begin(), config_.routes.end(),
                           [&](const auto& p) { return *p.prefix == r.prefix; });
    });
    for (auto& p : more.prefixes) {
        spdlog::info("router interface={} retire prefix={} preferred_lifetime=0 valid_lifetime_left={}s",
                     config_.name, p.option.prefix.to_string(),
                     duration_cast<std::chrono::seconds>(p.valid_until - now).count());
        retired_.prefixes.push_back(p);
    }
    for (auto& r : more.routes) {
        spdlog::info("router interface={} retire route={} route_lifetime=0", config_.name, r.prefix.to_string());
        retired_.routes.push_back(r);
    }
    for (auto& p : more.pref64) retired_.pref64.push_back(p);
    retired_.advertise_until = std::max(retired_.advertise_until, more.advertise_until);
    rebuild();
    if (advertisement_ != before) {
        spdlog::info("router interface={} advertisement changed: fast RAs follow", config_.name);
        schedule_.start(now);  // RFC 4861 6.2.4: changes may be announced with the initial RAs
        arm_multicast_timer();
    }
}

void RaInterface::wait_readable() {
    descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read, [this](boost::system::error_code error) {
        if (error) return;  // cancelled: the interface is going away
        receive_all();
        wait_readable();
    });
}

void RaInterface::receive_all() {
    for (int budget = 64; budget > 0; --budget) {
        auto received = socket_.receive(receive_buffer_);
        if (!received) {
            if (may_log(Clock::now()))
                spdlog::warn("router interface={} receive failed: {}", config_.name, received.error().message);
            return;
        }
        if (!received->has_value()) return;
        const net::ReceivedIcmpv6& packet = **received;
        const std::span<const std::uint8_t> icmp(receive_buffer_.data(), packet.length);
        if (icmp.empty()) continue;
        if (icmp[0] == ND_ROUTER_SOLICIT) handle_solicitation(packet, icmp);
        else if (icmp[0] == ND_ROUTER_ADVERT) handle_advertisement(packet, icmp);
    }
}

void RaInterface::handle_solicitation(const net::ReceivedIcmpv6& packet, std::span<const std::uint8_t> icmp) {
    const TimePoint now = Clock::now();
    auto rs = nd::parse_router_solicitation(icmp, std::uint8_t(std::clamp(packet.hop_limit, 0, 255)),
                                            packet.source, packet.destination);
    if (!rs) {
        ++counters_.drops[std::size_t(rs.reason())];
        if (may_log(now))
            spdlog::debug("router interface={} drop rs from={} reason={}", config_.name, packet.source.to_string(),
                          nd::to_string(rs.reason()));
        return;
    }
    ++counters_.rs_received;
    if (stopping_) return;
    const RsDecision decision = schedule_.on_solicitation(now, !is_unspecified(packet.source));
    if (may_log(now))
        spdlog::debug("router interface={} rs from={} answer={} rule={} delay_ms={} send_in_ms={}", config_.name,
                      packet.source.to_string(), to_string(decision.kind), to_string(decision.rule),
                      decision.delay.count(), milliseconds_between(now, decision.when));
    switch (decision.kind) {
        case RsDecision::Kind::multicast:
            ++pending_solicitations_;
            arm_multicast_timer();
            break;
        case RsDecision::Kind::unicast:
            pending_unicast_.push_back({decision.when, packet.source});
            arm_unicast_timer();
            break;
        case RsDecision::Kind::unicast_rate_limited:
            ++counters_.rs_rate_limited;
            break;
    }
}

void RaInterface::handle_advertisement(const net::ReceivedIcmpv6& packet, std::span<const std::uint8_t> icmp) {
    const TimePoint now = Clock::now();
    auto ra = nd::parse_router_advertisement(icmp, std::uint8_t(std::clamp(packet.hop_limit, 0, 255)),
                                             packet.source, packet.destination);
    if (!ra) {
        ++counters_.drops[std::size_t(ra.reason())];
        if (may_log(now))
            spdlog::debug("router interface={} drop ra from={} reason={}", config_.name, packet.source.to_string(),
                          nd::to_string(ra.reason()));
        return;
    }
    ++counters_.ras_received;
    const auto disagreements = find_inconsistencies(advertisement_, *ra);
    if (disagreements.empty()) return;
    counters_.ras_inconsistent += disagreements.size();
    if (may_log(now))
        for (const auto& d : disagreements)
            spdlog::warn("router interface={} inconsistent ra from={} {} (RFC 4861 6.2.7)", config_.name,
                         packet.source.to_string(), d);
}

void RaInterface::arm_multicast_timer() {
    multicast_timer_.expires_at(schedule_.next_multicast());
    multicast_timer_.async_wait([this](boost::system::error_code error) {
        if (!error && !stopping_) send_multicast();
    });
}

void RaInterface::send_multicast() {
    const TimePoint now = Clock::now();
    if (expire_retired(retired_, now)) rebuild();
    const bool solicited = schedule_.next_multicast_is_solicited();
    const auto last = schedule_.last_multicast();
    if (!send(message_, net::kAllNodes)) {
        // No link-local address yet (DAD), or the link is down: try again soon rather than after
        // a whole interval; the solicitations waiting stay pending.
        multicast_timer_.expires_after(kSendRetryInterval);
        multicast_timer_.async_wait([this](boost::system::error_code error) {
            if (!error && !stopping_) send_multicast();
        });
        return;
    }
    ++counters_.ras_sent_multicast;
    counters_.rs_answered_multicast += pending_solicitations_;
    spdlog::debug("router interface={} ra sent to=ff02::1 solicited={} answers_rs={} since_last_multicast_ms={}",
                  config_.name, solicited, pending_solicitations_, last ? milliseconds_between(*last, now) : -1);
    pending_solicitations_ = 0;
    schedule_.on_multicast_sent(now);
    arm_multicast_timer();
}

void RaInterface::arm_unicast_timer() {
    if (pending_unicast_.empty()) return;
    const auto earliest = std::min_element(pending_unicast_.begin(), pending_unicast_.end(),
                                           [](const auto& a, const auto& b) { return a.when < b.when; });
    unicast_timer_.expires_at(earliest->when);
    unicast_timer_.async_wait([this](boost::system::error_code error) {
        if (!error && !stopping_) send_due_unicast();
    });
}

void RaInterface::send_due_unicast() {
    const TimePoint now = Clock::now();
    std::erase_if(pending_unicast_, [&](const PendingUnicast& pending) {
        if (pending.when > now) return false;
        if (send(message_, pending.destination)) {
            ++counters_.ras_sent_unicast;
            ++counters_.rs_answered_unicast;
            if (may_log(now))
                spdlog::debug("router interface={} ra sent to={} solicited=true", config_.name,
                              pending.destination.to_string());
        }
        return true;
    });
    arm_unicast_timer();
}

void RaInterface::stop(std::function<void()> done) {
    stop_callbacks_.push_back(std::move(done));
    if (stopping_) return;  // final RAs are already on their way
    stopping_ = true;
    multicast_timer_.cancel();
    unicast_timer_.cancel();
    pending_unicast_.clear();
    advertisement_ = compose_final_advertisement(advertisement_);
    message_.assign(kMaxAdvertisementSize, 0);
    auto length = nd::build_router_advertisement(advertisement_, message_);
    message_.resize(length ? *length : 0);
    // RFC 4861 6.2.5 with 6.2.6's rate limit: the first final RA once MIN_DELAY_BETWEEN_RAS has
    // passed since the last multicast RA, the others MIN_DELAY_BETWEEN_RAS apart.
    const TimePoint now = Clock::now();
    TimePoint first = now;
    if (auto last = schedule_.last_multicast()) first = std::max(now, *last + kMinDelayBetweenRas);
    multicast_timer_.expires_at(first);
    multicast_timer_.async_wait([this](boost::system::error_code error) {
        if (!error) send_final(kMaxFinalRtrAdvertisements);
    });
}

void RaInterface::send_final(int left) {
    if (!message_.empty() && send(message_, net::kAllNodes)) {
        ++counters_.ras_sent_final;
        spdlog::info("router interface={} final ra sent router_lifetime=0 ({} of {})", config_.name,
                     kMaxFinalRtrAdvertisements - left + 1, kMaxFinalRtrAdvertisements);
    }
    if (left <= 1) {
        // Posted, so a callback may destroy this interface once we are out of it.
        for (auto& callback : std::exchange(stop_callbacks_, {})) boost::asio::post(io_, std::move(callback));
        return;
    }
    multicast_timer_.expires_after(kMinDelayBetweenRas);
    multicast_timer_.async_wait([this, left](boost::system::error_code error) {
        if (!error) send_final(left - 1);
    });
}

bool RaInterface::send(std::span<const std::uint8_t> message, const net::Ipv6Address& destination) {
    if (message.empty()) return false;
    auto sent = socket_.send(message, destination);
    if (sent) return true;
    ++counters_.send_errors;
    if (may_log(Clock::now()))
        spdlog::warn("router interface={} ra not sent to={}: {}", config_.name, destination.to_string(),
                     sent.error().message);
    return false;
}

bool RaInterface::may_log(TimePoint now) {
    if (now - log_window_start_ >= std::chrono::seconds(1)) {
        if (log_suppressed_)
            spdlog::info("router interface={} log_lines_suppressed={}", config_.name, log_suppressed_);
        log_window_start_ = now;
        log_lines_in_window_ = 0;
        log_suppressed_ = 0;
    }
    if (log_lines_in_window_ < kLogLinesPerSecond) {
        ++log_lines_in_window_;
        return true;
    }
    ++log_suppressed_;
    return false;
}

nlohmann::json RaInterface::status() const {
    nlohmann::json json = interface_status(config_.name, counters_, advertisement_);
    json["interface_uptime_s"] = duration_cast<std::chrono::seconds>(Clock::now() - started_).count();
    json["next_ra_in_ms"] = std::max<std::int64_t>(0, milliseconds_between(Clock::now(), schedule_.next_multicast()));
    json["retired"] = {{"current_prefixes", retired_.prefixes.size()}, {"current_routes", retired_.routes.size()}};
    return json;
}

}  // namespace sixgate::router
