#include "isatap/solicitation_schedule.hpp"

#include <algorithm>

namespace sixgate::isatap {

SolicitationSchedule::SolicitationSchedule(Milliseconds resolicit_interval, std::uint64_t seed)
    : resolicit_interval_(std::max(resolicit_interval, kRtrSolicitationInterval)), random_(seed) {}

void SolicitationSchedule::start(SolicitTime now) {
    phase_ = Phase::initial_delay;
    burst_sent_ = 0;
    interval_ = Milliseconds{0};
    // RFC 4861 6.3.7: delay the first RS by a random time in 0..MAX_RTR_SOLICITATION_DELAY so that
    // many hosts starting together do not solicit at once.
    std::uniform_int_distribution<std::int64_t> delay(0, kMaxRtrSolicitationDelay.count());
    next_ = now + Milliseconds{delay(random_)};
}

Milliseconds SolicitationSchedule::jitter(Milliseconds base) {
    std::uniform_int_distribution<std::int64_t> permille(-100, 100);
    return Milliseconds{base.count() * permille(random_) / 1000};
}

void SolicitationSchedule::on_solicitation_sent(SolicitTime now) {
    switch (phase_) {
        case Phase::initial_delay:
        case Phase::initial_burst:
            ++burst_sent_;
            if (burst_sent_ < kMaxRtrSolicitations) {
                // RFC 4861 6.3.7: RTR_SOLICITATION_INTERVAL between the initial RSs.
                phase_ = Phase::initial_burst;
                interval_ = kRtrSolicitationInterval;
                break;
            }
            // RFC 7559 2: after the initial RSs, the host keeps retransmitting; the first
            // retransmission interval follows the last initial one: RT = 2*RTprev + RAND*RTprev.
            phase_ = Phase::backoff;
            interval_ = 2 * kRtrSolicitationInterval + jitter(kRtrSolicitationInterval);
            break;
        case Phase::answered:
            // RFC 7559 2 applied to a refresh: the first retransmission after IRT + RAND*IRT.
            phase_ = Phase::refreshing;
            interval_ = kRtrSolicitationInterval + jitter(kRtrSolicitationInterval);
            break;
        case Phase::backoff:
        case Phase::refreshing:
            interval_ = 2 * interval_ + jitter(interval_);
            break;
    }
    // RFC 7559 2: RT = MRT + RAND*MRT once the doubling passes MRT.
    if (interval_ > kMaxRtrSolicitationInterval)
        interval_ = kMaxRtrSolicitationInterval + jitter(kMaxRtrSolicitationInterval);
    next_ = now + interval_;
}

void SolicitationSchedule::on_advertisement(SolicitTime now, std::optional<SolicitTime> earliest_expiry) {
    phase_ = Phase::answered;
    burst_sent_ = 0;
    interval_ = Milliseconds{0};
    // RFC 5214 8.3.4: re-solicit the PRL routers periodically, and before the advertised
    // information expires, so routes and the address never lapse while the router is there.
    SolicitTime next = now + resolicit_interval_;
    if (earliest_expiry && *earliest_expiry < next) {
        const auto left = std::max(SolicitClock::duration::zero(), *earliest_expiry - now);
        next = std::min(next, now + left * 3 / 4);
    }
    next_ = std::max(next, now + kRtrSolicitationInterval);
}

const char* to_string(SolicitationSchedule::Phase phase) noexcept {
    switch (phase) {
        case SolicitationSchedule::Phase::initial_delay:
            return "initial_delay";
        case SolicitationSchedule::Phase::initial_burst:
            return "initial_burst";
        case SolicitationSchedule::Phase::backoff:
            return "backoff";
        case SolicitationSchedule::Phase::answered:
            return "answered";
        case SolicitationSchedule::Phase::refreshing:
            return "refreshing";
    }
    return "unknown";
}

}  // namespace sixgate::isatap
