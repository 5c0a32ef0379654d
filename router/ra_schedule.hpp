#pragma once
// When to send Router Advertisements on one interface: RFC 4861 6.2.4 (unsolicited, initial fast
// RAs), 6.2.5 (final RAs), 6.2.6 (answers to Router Solicitations, MIN_DELAY_BETWEEN_RAS).
// Pure logic over a caller-given clock and random source, so every rule is testable.

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>

namespace sixgate::router {

using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;
using Milliseconds = std::chrono::milliseconds;

// RFC 4861 10, router constants.
inline constexpr Milliseconds kMaxInitialRtrAdvertInterval{16'000};
inline constexpr int kMaxInitialRtrAdvertisements = 3;
inline constexpr int kMaxFinalRtrAdvertisements = 3;
inline constexpr Milliseconds kMinDelayBetweenRas{3'000};
inline constexpr Milliseconds kMaxRaDelayTime{500};

struct RaScheduleParams {
    Milliseconds min_interval{198'000};  // MinRtrAdvInterval
    Milliseconds max_interval{600'000};  // MaxRtrAdvInterval
    bool unicast_replies = false;        // answer an RS from a unicast source by unicast
    std::uint32_t unicast_reply_limit = 10;  // unicast replies per second at most
};

// What was decided for one Router Solicitation, with the rule that decided it (for the log).
struct RsDecision {
    enum class Kind {
        multicast,             // answered by the next multicast RA (at `when`)
        unicast,               // answered by a unicast RA at `when`
        unicast_rate_limited,  // over unicast_reply_limit: not answered by unicast, counted
    };
    enum class Rule {
        random_delay,            // 6.2.6: a random delay in 0..MAX_RA_DELAY_TIME
        already_scheduled,       // 6.2.6: the next multicast RA comes sooner than the delay
        min_delay_between_ras,   // 6.2.6: MIN_DELAY_BETWEEN_RAS after the last multicast RA
        merged,                  // a solicited RA is already pending: one RA answers both
        rate_limit,              // unicast_reply_limit reached this second
    };
    Kind kind;
    Rule rule;
    TimePoint when;
    Milliseconds delay;  // the random delay drawn (0 when none was)
};

const char* to_string(RsDecision::Kind kind) noexcept;
const char* to_string(RsDecision::Rule rule) noexcept;

class RaSchedule {
public:
    RaSchedule(RaScheduleParams params, std::uint64_t seed);

    // 6.2.4: the interface starts advertising; the first MAX_INITIAL_RTR_ADVERTISEMENTS intervals
    // are at most MAX_INITIAL_RTR_ADVERT_INTERVAL. Also used after a change of what is
    // advertised, which 6.2.4 lets a router announce with the same fast RAs.
    void start(TimePoint now);

    // New intervals take effect from the next scheduling decision.
    void set_params(const RaScheduleParams& params);

    // The time the next multicast RA is due (unsolicited or a pending solicited one).
    TimePoint next_multicast() const noexcept { return next_multicast_; }
    // Whether the next multicast RA answers solicitations (for the log and counters).
    bool next_multicast_is_solicited() const noexcept { return solicited_pending_; }

    // 6.2.6: a valid RS arrived; `unicast_source` is false for an RS from ::, which must be
    // answered by multicast.
    RsDecision on_solicitation(TimePoint now, bool unicast_source);

    // Call after each multicast RA was sent: 6.2.4 draws the next interval (initial ones capped).
    void on_multicast_sent(TimePoint now);

    std::optional<TimePoint> last_multicast() const noexcept { return last_multicast_; }
    int initial_advertisements_left() const noexcept { return initial_left_; }

private:
    Milliseconds random_between(Milliseconds low, Milliseconds high);
    Milliseconds next_interval();

    RaScheduleParams params_;
    std::mt19937_64 random_;
    TimePoint next_multicast_{};
    std::optional<TimePoint> last_multicast_;
    bool solicited_pending_ = false;
    int initial_left_ = 0;
    // Unicast replies granted in the current one-second window.
    TimePoint unicast_window_start_{};
    std::uint32_t unicast_in_window_ = 0;
};

}  // namespace sixgate::router
