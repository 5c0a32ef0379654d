#include "clat/rfc8925_client.hpp"

#include <algorithm>
#include <bit>
#include <random>

namespace sixgate::clat {

using std::chrono::duration_cast;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

constexpr std::uint32_t kInfiniteLease = 0xffffffff;  // RFC 2132 9.2

int prefix_length_of(std::optional<net::Ipv4Address> mask) {
    if (!mask) return 32;
    const std::uint32_t bits = mask->to_uint();
    const int length = std::countl_one(bits);
    // A mask with holes is not a prefix: take the host route rather than guess.
    return (length == 32 || (bits << length) == 0) ? length : 32;
}

}  // namespace

std::string_view to_string(Rfc8925State state) noexcept {
    switch (state) {
        case Rfc8925State::discovering:
            return "discovering";
        case Rfc8925State::requesting:
            return "requesting";
        case Rfc8925State::ipv6_only:
            return "ipv6_only";
        case Rfc8925State::leased:
            return "leased";
        case Rfc8925State::no_server:
            return "no_server";
    }
    return "unknown";
}

std::string_view to_string(Ipv4Mode mode) noexcept {
    switch (mode) {
        case Ipv4Mode::undecided:
            return "undecided";
        case Ipv4Mode::clat:
            return "clat";
        case Ipv4Mode::native:
            return "native";
    }
    return "unknown";
}

Rfc8925Client::Rfc8925Client(std::array<std::uint8_t, 6> mac, Rfc8925ClientOptions options)
    : options_(std::move(options)) {
    fields_.mac = mac;
    if (!options_.new_xid) {
        options_.new_xid = [engine = std::mt19937(std::random_device{}())]() mutable {
            return static_cast<std::uint32_t>(engine());
        };
    }
    if (!options_.jitter) {
        options_.jitter = [engine = std::mt19937(std::random_device{}())]() mutable {
            return milliseconds(std::uniform_int_distribution<int>(-1000, 1000)(engine));
        };
    }
}

Rfc8925Client::Outgoing Rfc8925Client::start(DhcpClock::time_point now) {
    return begin_discovery(now);
}

Rfc8925Client::Outgoing Rfc8925Client::begin_discovery(DhcpClock::time_point now) {
    // RFC 2131 4.4.1: a new transaction (xid) for each DISCOVER round.
    fields_.xid = options_.new_xid();
    fields_.secs = 0;
    state_ = Rfc8925State::discovering;
    asking_since_ = now;
    give_up_at_ = now + options_.no_server_wait;
    interval_ = options_.first_retransmit;
    retransmit_at_ = now + next_interval();
    deadline_ = std::min(retransmit_at_, give_up_at_);
    return {discover()};
}

std::vector<std::byte> Rfc8925Client::discover() {
    ++counters_.discovers_sent;
    return build_dhcp_discover(fields_);
}

std::vector<std::byte> Rfc8925Client::request() {
    ++counters_.requests_sent;
    return build_dhcp_request(fields_, offered_, offered_server_);
}

// RFC 2131 4.1: 4 s before the first retransmission, doubled each time up to 64 s, +-1 s.
milliseconds Rfc8925Client::next_interval() {
    const milliseconds delay = duration_cast<milliseconds>(interval_) + options_.jitter();
    interval_ = std::min(interval_ * 2, options_.max_retransmit);
    return std::max(delay, milliseconds(1));
}

Rfc8925Client::Outgoing Rfc8925Client::on_timer(DhcpClock::time_point now) {
    Outgoing out;
    if (now < deadline_) return out;
    const auto since = duration_cast<seconds>(now - asking_since_).count();
    fields_.secs = static_cast<std::uint16_t>(std::clamp<std::int64_t>(since, 0, 0xffff));
    switch (state_) {
        case Rfc8925State::ipv6_only:
            // RFC 8925 3.2: V6ONLY_WAIT is over: ask again (the CLAT keeps running meanwhile).
            return begin_discovery(now);
        case Rfc8925State::leased:
            // The lease ran out without renewal (not implemented): give it up and start over.
            lease_.reset();
            mode_ = Ipv4Mode::undecided;
            return begin_discovery(now);
        case Rfc8925State::requesting:
            if (++request_tries_ >= options_.request_attempts) return begin_discovery(now);
            out.push_back(request());
            retransmit_at_ = now + next_interval();
            deadline_ = retransmit_at_;
            return out;
        case Rfc8925State::discovering:
        case Rfc8925State::no_server:
            if (now >= give_up_at_) {
                // Nobody answered: an IPv6-only link without DHCPv4. Run the CLAT; keep asking.
                state_ = Rfc8925State::no_server;
                give_up_at_ = DhcpClock::time_point::max();
                if (mode_ == Ipv4Mode::undecided) mode_ = Ipv4Mode::clat;
            }
            if (now >= retransmit_at_) {
                out.push_back(discover());
                retransmit_at_ = now + next_interval();
            }
            deadline_ = std::min(retransmit_at_, give_up_at_);
            return out;
    }
    return out;
}

Rfc8925Client::Outgoing Rfc8925Client::on_datagram(std::span<const std::byte> bytes,
                                                   DhcpClock::time_point now) {
    Outgoing out;
    auto reply = parse_dhcp_reply(bytes, fields_);
    if (!reply) {
        ++counters_.dropped[static_cast<std::size_t>(reply.error())];
        return out;
    }
    if (reply->ipv6_only_option_malformed()) ++counters_.malformed_option_108;
    switch (reply->message_type()) {
        case DhcpMessageType::offer:
            ++counters_.offers;
            if (state_ == Rfc8925State::discovering || state_ == Rfc8925State::no_server)
                on_offer(*reply, now, out);
            else
                ++counters_.ignored_in_state;  // RFC 2131 4.4.1: the first acceptable offer wins
            break;
        case DhcpMessageType::ack:
            ++counters_.acks;
            if (state_ == Rfc8925State::requesting)
                on_ack(*reply, now);
            else
                ++counters_.ignored_in_state;
            break;
        case DhcpMessageType::nak:
            ++counters_.naks;
            // RFC 2131 3.1.4: a NAK sends the client back to DISCOVER.
            if (state_ == Rfc8925State::requesting)
                out = begin_discovery(now);
            else
                ++counters_.ignored_in_state;
            break;
        default:
            break;
    }
    return out;
}

void Rfc8925Client::on_offer(const DhcpReplyView& offer, DhcpClock::time_point now, Outgoing& out) {
    if (auto wait = offer.ipv6_only_wait()) {
        ++counters_.offers_ipv6_only;
        go_ipv6_only(*wait, now);
        return;
    }
    const auto server = offer.server_id();
    if (offer.yiaddr() == net::Ipv4Address() || !server) {
        ++counters_.unusable_offers;  // RFC 2131 4.3.1: an offer carries yiaddr and option 54
        return;
    }
    offered_ = offer.yiaddr();
    offered_server_ = *server;
    state_ = Rfc8925State::requesting;
    request_tries_ = 0;
    interval_ = options_.first_retransmit;
    out.push_back(request());
    retransmit_at_ = now + next_interval();
    deadline_ = retransmit_at_;
}

void Rfc8925Client::on_ack(const DhcpReplyView& ack, DhcpClock::time_point now) {
    if (auto wait = ack.ipv6_only_wait()) {
        // DEVIATION(RFC 8925 3.2): an ACK with option 108 is taken like an offer with it; the
        // address is not configured and no DHCPRELEASE is sent (the server's lease times out).
        ++counters_.offers_ipv6_only;
        go_ipv6_only(*wait, now);
        return;
    }
    DhcpLease lease;
    lease.address = ack.yiaddr();
    lease.prefix_length = prefix_length_of(ack.subnet_mask());
    lease.router = ack.router();
    lease.server = ack.server_id().value_or(offered_server_);
    // RFC 2131 4.3.1: the ACK carries the lease time; without one keep the offer's address for
    // the shortest sensible time rather than forever.
    lease.lease_time_s = ack.lease_time().value_or(kMinV6OnlyWait);
    lease.obtained = now;
    lease.expires = lease.lease_time_s == kInfiniteLease ? DhcpClock::time_point::max()
                                                         : now + seconds(lease.lease_time_s);
    lease_ = lease;
    state_ = Rfc8925State::leased;
    mode_ = Ipv4Mode::native;  // "take the lease and leave IPv4 alone"
    deadline_ = lease.expires;
}

void Rfc8925Client::go_ipv6_only(std::uint32_t offered_wait, DhcpClock::time_point now) {
    // RFC 8925 3.2: no lease is taken (no DHCPREQUEST) and DHCPv4 stops for V6ONLY_WAIT, which
    // is the option's value but at least MIN_V6ONLY_WAIT (3.4).
    v6only_wait_s_ = std::max(offered_wait, kMinV6OnlyWait);
    state_ = Rfc8925State::ipv6_only;
    mode_ = Ipv4Mode::clat;
    lease_.reset();
    give_up_at_ = DhcpClock::time_point::max();
    deadline_ = now + seconds(v6only_wait_s_);
}

}  // namespace sixgate::clat
