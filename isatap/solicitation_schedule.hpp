#pragma once
// When an ISATAP host sends Router Solicitations to its potential routers: RFC 4861 6.3.7 (a
// random initial delay, then MAX_RTR_SOLICITATIONS spaced RTR_SOLICITATION_INTERVAL apart),
// RFC 7559 (no answer: keep retransmitting with exponential backoff instead of giving up) and
// RFC 5214 8.3.4 (once a router answered, re-solicit periodically and before what it advertised
// runs out). Pure logic over a caller-given clock and seed, so every rule is testable.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace sixgate::isatap {

using SolicitClock = std::chrono::steady_clock;
using SolicitTime = SolicitClock::time_point;
using Milliseconds = std::chrono::milliseconds;

// RFC 4861 10, host constants.
inline constexpr Milliseconds kMaxRtrSolicitationDelay{1'000};
inline constexpr Milliseconds kRtrSolicitationInterval{4'000};
inline constexpr int kMaxRtrSolicitations = 3;
// RFC 7559 2: the retransmission interval grows up to MAX_RTR_SOLICITATION_INTERVAL.
inline constexpr Milliseconds kMaxRtrSolicitationInterval{3'600'000};

class SolicitationSchedule {
public:
    enum class Phase {
        initial_delay,  // 6.3.7: waiting the random delay before the first RS
        initial_burst,  // 6.3.7: the first MAX_RTR_SOLICITATIONS
        backoff,        // RFC 7559: nobody answered, retransmitting with a growing interval
        answered,       // a router answered; the next RS is the periodic re-solicitation
        refreshing,     // a re-solicitation went unanswered: RFC 7559 backoff again
    };

    // resolicit_interval: isatap.resolicit_interval (RFC 5214 8.3.4).
    SolicitationSchedule(Milliseconds resolicit_interval, std::uint64_t seed);

    // The interface comes up: the first RS after a random delay in 0..MAX_RTR_SOLICITATION_DELAY.
    void start(SolicitTime now);

    SolicitTime next_solicitation() const noexcept { return next_; }
    bool due(SolicitTime now) const noexcept { return now >= next_; }
    Phase phase() const noexcept { return phase_; }
    // The interval the last retransmission was scheduled with (backoff and refreshing only).
    Milliseconds retransmission_interval() const noexcept { return interval_; }

    // An RS round was sent at `now`: draws when the next one is due if nothing answers.
    void on_solicitation_sent(SolicitTime now);

    // A router answered at `now`. earliest_expiry: when the first piece of what the routers
    // advertised (address, route, default route) runs out, if anything finite was learned.
    // The next RS: resolicit_interval from now, or sooner, at three quarters of the time left
    // before that expiry, but never sooner than RTR_SOLICITATION_INTERVAL.
    void on_advertisement(SolicitTime now, std::optional<SolicitTime> earliest_expiry);

private:
    Milliseconds jitter(Milliseconds base);  // base * RAND, RAND in -0.1..+0.1 (RFC 7559 2)

    Milliseconds resolicit_interval_;
    std::mt19937_64 random_;
    Phase phase_ = Phase::initial_delay;
    SolicitTime next_{};
    int burst_sent_ = 0;
    Milliseconds interval_{0};
};

const char* to_string(SolicitationSchedule::Phase phase) noexcept;

}  // namespace sixgate::isatap
