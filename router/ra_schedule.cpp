#include "router/ra_schedule.hpp"

#include <algorithm>

namespace sixgate::router {

const char* to_string(RsDecision::Kind kind) noexcept {
    switch (kind) {
        case RsDecision::Kind::multicast: return "multicast";
        case RsDecision::Kind::unicast: return "unicast";
        case RsDecision::Kind::unicast_rate_limited: return "unicast_rate_limited";
    }
    return "unknown";
}

const char* to_string(RsDecision::Rule rule) noexcept {
    switch (rule) {
        case RsDecision::Rule::random_delay: return "random_delay";
        case RsDecision::Rule::already_scheduled: return "already_scheduled";
        case RsDecision::Rule::min_delay_between_ras: return "min_delay_between_ras";
        case RsDecision::Rule::merged: return "merged";
        case RsDecision::Rule::rate_limit: return "rate_limit";
    }
    return "unknown";
}

RaSchedule::RaSchedule(RaScheduleParams params, std::uint64_t seed) : params_(params), random_(seed) {}

void RaSchedule::set_params(const RaScheduleParams& params) { params_ = params; }

Milliseconds RaSchedule::random_between(Milliseconds low, Milliseconds high) {
    std::uniform_int_distribution<std::int64_t> distribution(low.count(), std::max(low, high).count());
    return Milliseconds(distribution(random_));
}

Milliseconds RaSchedule::next_interval() {
    Milliseconds interval = random_between(params_.min_interval, params_.max_interval);
    // RFC 4861 6.2.4: the first few advertisements come at most 16 s apart.
    if (initial_left_ > 0) {
        --initial_left_;
        interval = std::min(interval, kMaxInitialRtrAdvertInterval);
    }
    return interval;
}

void RaSchedule::start(TimePoint now) {
    initial_left_ = kMaxInitialRtrAdvertisements;
    solicited_pending_ = false;
    // The first RA goes out at once, unless that would break MIN_DELAY_BETWEEN_RAS.
    next_multicast_ = now;
    if (last_multicast_) next_multicast_ = std::max(now, *last_multicast_ + kMinDelayBetweenRas);
    if (initial_left_ > 0) --initial_left_;  // that first RA is one of the initial ones
}

void RaSchedule::on_multicast_sent(TimePoint now) {
    last_multicast_ = now;
    solicited_pending_ = false;
    // RFC 4861 6.2.4: every multicast RA, solicited or not, resets the unsolicited timer.
    next_multicast_ = now + next_interval();
}

RsDecision RaSchedule::on_solicitation(TimePoint now, bool unicast_source) {
    // RFC 4861 6.2.6: one RA may answer several solicitations; the delay counts from the first.
    if (solicited_pending_ && !(params_.unicast_replies && unicast_source))
        return {RsDecision::Kind::multicast, RsDecision::Rule::merged, next_multicast_, Milliseconds(0)};

    const Milliseconds delay = random_between(Milliseconds(0), kMaxRaDelayTime);

    // RFC 4861 6.2.6 allows a unicast answer to an RS from a unicast source; it is not subject to
    // MIN_DELAY_BETWEEN_RAS (that limits multicast RAs), so cap it ourselves against floods.
    if (params_.unicast_replies && unicast_source) {
        if (now - unicast_window_start_ >= Milliseconds(1000)) {
            unicast_window_start_ = now;
            unicast_in_window_ = 0;
        }
        if (unicast_in_window_ >= params_.unicast_reply_limit)
            return {RsDecision::Kind::unicast_rate_limited, RsDecision::Rule::rate_limit, now, delay};
        ++unicast_in_window_;
        return {RsDecision::Kind::unicast, RsDecision::Rule::random_delay, now + delay, delay};
    }

    TimePoint when = now + delay;
    RsDecision::Rule rule = RsDecision::Rule::random_delay;
    if (when > next_multicast_) {
        // The scheduled multicast RA comes sooner: it answers this RS.
        when = next_multicast_;
        rule = RsDecision::Rule::already_scheduled;
    } else if (last_multicast_ && now - *last_multicast_ < kMinDelayBetweenRas) {
        when = *last_multicast_ + kMinDelayBetweenRas + delay;
        rule = RsDecision::Rule::min_delay_between_ras;
        if (when > next_multicast_) when = next_multicast_, rule = RsDecision::Rule::already_scheduled;
    }
    next_multicast_ = when;
    solicited_pending_ = true;
    return {RsDecision::Kind::multicast, rule, when, delay};
}

}  // namespace sixgate::router
