#include "clat/pref64_listener.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <spdlog/spdlog.h>

#include "net/icmpv6_socket.hpp"
#include "net/nd/option_parsers.hpp"
#include "net/nd/router_messages.hpp"

namespace sixgate::clat {

namespace {

constexpr std::size_t kReceiveBufferSize = 65536;
// RFC 4861 10: MAX_RTR_SOLICITATIONS and RTR_SOLICITATION_INTERVAL.
constexpr int kMaxSolicitations = 3;
constexpr std::chrono::seconds kSolicitationInterval{4};
constexpr std::size_t kNdUserOptHeaderSize = sizeof(nduseroptmsg);  // 16 on every ABI

Error system_error(const std::string& what) {
    return Error{std::error_code(errno, std::generic_category()),
                 what + ": " + std::strerror(errno)};
}

std::string describe(const net::Ipv6Address& router, const std::string& interface) {
    return "pref64 from " + router.to_string() + " on " + interface;
}

}  // namespace

Pref64Tracker::Pref64Tracker(std::string interface, int interface_index)
    : interface_(std::move(interface)), interface_index_(interface_index) {}

bool Pref64Tracker::handle_datagram(std::span<const std::uint8_t> datagram, Clock::time_point now) {
    bool changed = false;
    // Walk the netlink messages (RFC 3549 2.3.2): each starts NLMSG_ALIGNTO-aligned.
    while (datagram.size() >= sizeof(nlmsghdr)) {
        nlmsghdr header;
        std::memcpy(&header, datagram.data(), sizeof header);
        if (header.nlmsg_len < sizeof(nlmsghdr) || header.nlmsg_len > datagram.size()) {
            ++counters_.malformed;
            return changed;
        }
        if (header.nlmsg_type == RTM_NEWNDUSEROPT) {
            ++counters_.messages;
            handle_message(datagram.subspan(sizeof(nlmsghdr), header.nlmsg_len - sizeof(nlmsghdr)),
                           now, changed);
        }
        const std::size_t advance =
            std::min<std::size_t>(NLMSG_ALIGN(header.nlmsg_len), datagram.size());
        datagram = datagram.subspan(advance);
    }
    return changed;
}

void Pref64Tracker::handle_message(std::span<const std::uint8_t> payload, Clock::time_point now,
                                   bool& changed) {
    if (payload.size() < kNdUserOptHeaderSize) {
        ++counters_.malformed;
        return;
    }
    nduseroptmsg message;
    std::memcpy(&message, payload.data(), sizeof message);
    const std::size_t options_length = message.nduseropt_opts_len;
    if (message.nduseropt_family != AF_INET6 ||
        options_length > payload.size() - kNdUserOptHeaderSize) {
        ++counters_.malformed;
        return;
    }
    if (message.nduseropt_ifindex != interface_index_) {
        // The interface may have been re-created under a new index.
        const int index = resolve_index ? resolve_index() : 0;
        if (index == 0 || index != message.nduseropt_ifindex) {
            ++counters_.ignored_other_interface;
            return;
        }
        interface_index_ = index;
    }
    // Only RA options carry PREF64 (RFC 8781 4); the kernel reports the ICMPv6 type it came in.
    if (message.nduseropt_icmp_type != ND_ROUTER_ADVERT || message.nduseropt_icmp_code != 0) {
        ++counters_.ignored_other_option;
        return;
    }
    const auto option = payload.subspan(kNdUserOptHeaderSize, options_length);
    if (option.size() < 2) {
        ++counters_.malformed;
        return;
    }
    if (option[0] != std::uint8_t(net::nd::NdOptionType::pref64)) {
        ++counters_.ignored_other_option;
        return;
    }
    // The router's address follows as NDUSEROPT_SRCADDR (an rtattr after the aligned option).
    std::optional<net::Ipv6Address> router;
    auto attributes = payload.subspan(
        std::min(payload.size(), kNdUserOptHeaderSize + NLMSG_ALIGN(options_length)));
    while (attributes.size() >= sizeof(rtattr)) {
        rtattr attribute;
        std::memcpy(&attribute, attributes.data(), sizeof attribute);
        if (attribute.rta_len < sizeof(rtattr) || attribute.rta_len > attributes.size()) break;
        if (attribute.rta_type == NDUSEROPT_SRCADDR && attribute.rta_len == RTA_LENGTH(16)) {
            net::Ipv6Address::Bytes bytes;
            std::memcpy(bytes.data(), attributes.data() + RTA_LENGTH(0), 16);
            router = net::Ipv6Address(bytes);
        }
        attributes = attributes.subspan(
            std::min<std::size_t>(RTA_ALIGN(attribute.rta_len), attributes.size()));
    }
    auto pref64 = net::nd::parse_pref64_option(option);
    if (!pref64 || !router) {
        // RFC 8781 4: a PREF64 with a Length other than 2 or an undefined PLC is ignored.
        ++counters_.malformed;
        return;
    }
    ++counters_.options_seen;
    if (apply(*pref64, *router, now)) changed = true;
}

const Pref64Tracker::Entry* Pref64Tracker::current_entry() const {
    const Entry* best = nullptr;
    for (const Entry& entry : entries_)
        if (!best || entry.first_advertised > best->first_advertised) best = &entry;
    return best;
}

bool Pref64Tracker::apply(const net::nd::Pref64Option& option, const net::Ipv6Address& router,
                          Clock::time_point now) {
    const std::optional<PlatPrefix> before = current();
    auto it = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) {
        return e.router == router && e.prefix == option.prefix;
    });
    if (option.scaled_lifetime == 0) {
        // RFC 8781 4: lifetime 0 means the prefix must no longer be used.
        if (it != entries_.end()) {
            entries_.erase(it);
            ++counters_.withdrawals;
        }
    } else {
        const Clock::time_point expires = now + std::chrono::seconds(option.lifetime_seconds());
        if (it != entries_.end()) {
            it->expires = expires;  // a refresh keeps its place in the order
        } else {
            entries_.push_back(Entry{router, option.prefix, expires, ++sequence_});
        }
    }
    const std::optional<PlatPrefix> after = current();
    const bool changed =
        before.has_value() != after.has_value() ||
        (before && (before->prefix != after->prefix || before->source != after->source));
    if (changed) ++counters_.changes;
    return changed;
}

bool Pref64Tracker::expire(Clock::time_point now) {
    const std::optional<PlatPrefix> before = current();
    const std::size_t erased =
        std::erase_if(entries_, [&](const Entry& e) { return e.expires <= now; });
    counters_.expirations += erased;
    const std::optional<PlatPrefix> after = current();
    const bool changed =
        before.has_value() != after.has_value() ||
        (before && (before->prefix != after->prefix || before->source != after->source));
    if (changed) ++counters_.changes;
    return changed;
}

std::optional<PlatPrefix> Pref64Tracker::current() const {
    const Entry* entry = current_entry();
    if (!entry) return std::nullopt;
    return PlatPrefix{entry->prefix, entry->expires, describe(entry->router, interface_)};
}

std::optional<Pref64Tracker::Clock::time_point> Pref64Tracker::next_expiry() const {
    std::optional<Clock::time_point> earliest;
    for (const Entry& entry : entries_)
        if (!earliest || entry.expires < *earliest) earliest = entry.expires;
    return earliest;
}

Result<std::unique_ptr<Pref64Listener>> Pref64Listener::start(boost::asio::io_context& io,
                                                              std::string interface,
                                                              OnChange on_change,
                                                              Pref64ListenerOptions options) {
    const int index = int(::if_nametoindex(interface.c_str()));
    if (index == 0) return system_error("pref64 listener: interface " + interface);
    net::UniqueFd fd(::socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, NETLINK_ROUTE));
    if (!fd) return system_error("pref64 listener on " + interface + ": netlink socket");
    sockaddr_nl address{};
    address.nl_family = AF_NETLINK;
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        return system_error("pref64 listener on " + interface + ": netlink bind");
    const int group = RTNLGRP_ND_USEROPT;
    if (::setsockopt(fd.get(), SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, &group, sizeof group) != 0)
        return system_error("pref64 listener on " + interface + ": join RTNLGRP_ND_USEROPT");
    Pref64Tracker tracker(interface, index);
    tracker.resolve_index = [interface] { return int(::if_nametoindex(interface.c_str())); };
    std::unique_ptr<Pref64Listener> listener(
        new Pref64Listener(io, std::move(fd), std::move(tracker), std::move(on_change)));
    listener->wait_readable();
    spdlog::info("pref64 listener interface={} ifindex={} started", interface, index);
    if (options.solicit) listener->solicit(kMaxSolicitations);
    return listener;
}

Pref64Listener::Pref64Listener(boost::asio::io_context& io, net::UniqueFd fd, Pref64Tracker tracker,
                               OnChange on_change)
    : fd_(std::move(fd)),
      descriptor_(io, fd_.get()),
      expiry_timer_(io),
      solicit_timer_(io),
      tracker_(std::move(tracker)),
      on_change_(std::move(on_change)),
      buffer_(kReceiveBufferSize) {}

Pref64Listener::~Pref64Listener() {
    boost::system::error_code ignored;
    descriptor_.cancel(ignored);
    descriptor_.release();  // fd_ closes it
}

void Pref64Listener::solicit(int left) {
    if (left <= 0 || tracker_.current()) return;
    // RFC 4861 4.1/6.3.7: an RS to all-routers; the reply RA goes through the kernel, which hands
    // its PREF64 to us. Without CAP_NET_RAW we only wait for unsolicited RAs.
    auto socket = net::Icmpv6Socket::open(tracker_.interface(), {}, {});
    std::array<std::uint8_t, 16> message{};
    auto length = socket ? net::nd::build_router_solicitation({}, message)
                         : Result<std::size_t>(socket.error());
    Result<void> sent =
        length ? socket->send(std::span(message).first(*length), net::kAllRouters) : length.error();
    if (!sent) {
        spdlog::warn("pref64 listener interface={} cannot send router solicitation: {}",
                     tracker_.interface(), sent.error().message);
        return;
    }
    ++tracker_.counters().solicitations_sent;
    spdlog::debug("pref64 listener interface={} sent router solicitation left={}",
                  tracker_.interface(), left - 1);
    solicit_timer_.expires_after(kSolicitationInterval);
    solicit_timer_.async_wait([this, left](boost::system::error_code error) {
        if (!error) solicit(left - 1);
    });
}

void Pref64Listener::wait_readable() {
    descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this](boost::system::error_code error) {
                               if (error) return;  // cancelled: the listener is going away
                               receive_all();
                               wait_readable();
                           });
}

void Pref64Listener::receive_all() {
    bool changed = false;
    for (int budget = 64; budget > 0; --budget) {
        const ssize_t length = ::recv(fd_.get(), buffer_.data(), buffer_.size(), MSG_DONTWAIT);
        if (length < 0) {
            if (errno == ENOBUFS) {
                // The socket overflowed: RAs were lost. Routers repeat them; note it and go on.
                ++tracker_.counters().overruns;
                spdlog::warn(
                    "pref64 listener interface={} netlink overrun: options lost until the next ra",
                    tracker_.interface());
                continue;
            }
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                spdlog::warn("pref64 listener interface={} receive failed: {}",
                             tracker_.interface(), std::strerror(errno));
            break;
        }
        if (length == 0) break;
        if (tracker_.handle_datagram(
                std::span<const std::uint8_t>(buffer_.data(), std::size_t(length)),
                Pref64Tracker::Clock::now()))
            changed = true;
    }
    arm_expiry_timer();
    if (changed) notify();
}

void Pref64Listener::arm_expiry_timer() {
    const auto next = tracker_.next_expiry();
    if (!next) {
        expiry_timer_.cancel();
        return;
    }
    expiry_timer_.expires_at(*next);
    expiry_timer_.async_wait([this](boost::system::error_code error) {
        if (!error) on_expiry();
    });
}

void Pref64Listener::on_expiry() {
    const std::size_t before = tracker_.known_prefixes();
    const bool changed = tracker_.expire(Pref64Tracker::Clock::now());
    if (tracker_.known_prefixes() != before)
        spdlog::info("pref64 listener interface={} expired={} left={}", tracker_.interface(),
                     before - tracker_.known_prefixes(), tracker_.known_prefixes());
    arm_expiry_timer();
    if (changed) notify();
}

void Pref64Listener::notify() {
    const std::optional<PlatPrefix> now = tracker_.current();
    if (now) {
        solicit_timer_.cancel();
        spdlog::info("pref64 listener interface={} prefix={} source=\"{}\" lifetime={}s",
                     tracker_.interface(), now->prefix.to_string(), now->source,
                     std::chrono::duration_cast<std::chrono::seconds>(now->expires -
                                                                      Pref64Tracker::Clock::now())
                         .count());
    } else {
        spdlog::info("pref64 listener interface={} prefix=none", tracker_.interface());
    }
    if (on_change_) on_change_(now);
}

nlohmann::json to_json(const Pref64Counters& c) {
    return {{"messages", c.messages},
            {"options_seen", c.options_seen},
            {"malformed", c.malformed},
            {"ignored_other_interface", c.ignored_other_interface},
            {"ignored_other_option", c.ignored_other_option},
            {"withdrawals", c.withdrawals},
            {"expirations", c.expirations},
            {"changes", c.changes},
            {"overruns", c.overruns},
            {"solicitations_sent", c.solicitations_sent}};
}

nlohmann::json Pref64Listener::status() const {
    nlohmann::json status = {{"interface", tracker_.interface()},
                             {"known_prefixes", tracker_.known_prefixes()},
                             {"counters", to_json(tracker_.counters())}};
    if (const auto current = tracker_.current()) {
        status["prefix"] = current->prefix.to_string();
        status["source"] = current->source;
        status["expires_in_s"] =
            std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(
                                          current->expires - Pref64Tracker::Clock::now())
                                          .count());
    } else {
        status["prefix"] = nullptr;
        status["source"] = nullptr;
        status["expires_in_s"] = nullptr;
    }
    return status;
}

}  // namespace sixgate::clat
