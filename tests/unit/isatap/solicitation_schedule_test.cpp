// When the ISATAP host solicits: RFC 4861 6.3.7, RFC 7559 2, RFC 5214 8.3.4.

#include "isatap/solicitation_schedule.hpp"

#include <gtest/gtest.h>

namespace sixgate::isatap {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Phase = SolicitationSchedule::Phase;

const SolicitTime kT0 = SolicitTime{} + std::chrono::hours{1};

TEST(SolicitationSchedule, FirstSolicitationComesWithinOneSecondOfStart) {
    RecordProperty("rfc", "4861 6.3.7");
    bool saw_nonzero_delay = false;
    for (std::uint64_t seed = 0; seed < 64; ++seed) {
        SolicitationSchedule schedule(seconds{900}, seed);
        schedule.start(kT0);
        EXPECT_EQ(schedule.phase(), Phase::initial_delay);
        EXPECT_GE(schedule.next_solicitation(), kT0);
        EXPECT_LE(schedule.next_solicitation(), kT0 + kMaxRtrSolicitationDelay);
        saw_nonzero_delay = saw_nonzero_delay || schedule.next_solicitation() != kT0;
    }
    EXPECT_TRUE(saw_nonzero_delay) << "the delay is drawn, not fixed";
}

TEST(SolicitationSchedule, InitialBurstSendsThreeSolicitationsFourSecondsApart) {
    RecordProperty("rfc", "4861 6.3.7");
    SolicitationSchedule schedule(seconds{900}, 1);
    schedule.start(kT0);
    SolicitTime now = schedule.next_solicitation();
    EXPECT_TRUE(schedule.due(now));
    EXPECT_FALSE(schedule.due(now - milliseconds{1}));
    schedule.on_solicitation_sent(now);
    EXPECT_EQ(schedule.phase(), Phase::initial_burst);
    EXPECT_EQ(schedule.next_solicitation(), now + seconds{4});
    now = schedule.next_solicitation();
    schedule.on_solicitation_sent(now);
    EXPECT_EQ(schedule.phase(), Phase::initial_burst);
    EXPECT_EQ(schedule.next_solicitation(), now + seconds{4});
    now = schedule.next_solicitation();
    schedule.on_solicitation_sent(now);  // the third: MAX_RTR_SOLICITATIONS reached
    EXPECT_EQ(schedule.phase(), Phase::backoff);
    const auto interval = schedule.next_solicitation() - now;
    EXPECT_GE(interval, milliseconds{7'200});  // RFC 7559: 2 * 4 s - 10%
    EXPECT_LE(interval, milliseconds{8'800});
}

TEST(SolicitationSchedule, UnansweredSolicitationsBackOffDoublingUpToAnHourWithJitter) {
    RecordProperty("rfc", "7559 2");
    SolicitationSchedule schedule(seconds{900}, 7);
    schedule.start(kT0);
    SolicitTime now = schedule.next_solicitation();
    for (int i = 0; i < kMaxRtrSolicitations; ++i) {
        schedule.on_solicitation_sent(now);
        now = schedule.next_solicitation();
    }
    auto previous = schedule.retransmission_interval();
    bool reached_cap = false;
    bool saw_jitter = false;
    for (int i = 0; i < 20; ++i) {
        schedule.on_solicitation_sent(now);
        const auto interval = schedule.next_solicitation() - now;
        EXPECT_EQ(schedule.phase(), Phase::backoff);
        EXPECT_LE(interval, milliseconds{3'960'000}) << "MRT + 10% at most";
        if (interval >= milliseconds{3'240'000}) {
            reached_cap = true;
        } else {
            EXPECT_GE(interval, previous * 19 / 10) << "RT = 2 RTprev + RAND RTprev, RAND >= -0.1";
            EXPECT_LE(interval, previous * 21 / 10);
            saw_jitter = saw_jitter || interval != previous * 2;
        }
        previous = schedule.retransmission_interval();
        now = schedule.next_solicitation();
    }
    EXPECT_TRUE(reached_cap);
    EXPECT_TRUE(saw_jitter);
}

TEST(SolicitationSchedule, AnsweredHostResolicitsAfterTheConfiguredInterval) {
    RecordProperty("rfc", "5214 8.3.4");
    SolicitationSchedule schedule(seconds{900}, 3);
    schedule.start(kT0);
    schedule.on_solicitation_sent(kT0);
    schedule.on_advertisement(kT0 + seconds{1}, std::nullopt);
    EXPECT_EQ(schedule.phase(), Phase::answered);
    EXPECT_EQ(schedule.next_solicitation(), kT0 + seconds{901});
    // What expires after the interval does not make it sooner.
    schedule.on_advertisement(kT0 + seconds{2}, kT0 + seconds{5000});
    EXPECT_EQ(schedule.next_solicitation(), kT0 + seconds{902});
}

TEST(SolicitationSchedule, ResolicitsEarlierWhenAdvertisedInformationIsAboutToExpire) {
    RecordProperty("rfc", "5214 8.3.4");
    SolicitationSchedule schedule(seconds{900}, 3);
    schedule.start(kT0);
    schedule.on_advertisement(kT0, kT0 + seconds{600});
    EXPECT_EQ(schedule.next_solicitation(), kT0 + seconds{450}) << "three quarters of the time left";
}

TEST(SolicitationSchedule, NeverResolicitsSoonerThanTheSolicitationInterval) {
    RecordProperty("rfc", "4861 6.3.7");
    SolicitationSchedule schedule(seconds{900}, 3);
    schedule.start(kT0);
    schedule.on_advertisement(kT0, kT0 + seconds{1});
    EXPECT_EQ(schedule.next_solicitation(), kT0 + seconds{4});
    schedule.on_advertisement(kT0, kT0 - seconds{10});  // already expired
    EXPECT_EQ(schedule.next_solicitation(), kT0 + seconds{4});
    SolicitationSchedule tiny(seconds{1}, 3);  // isatap.resolicit_interval: 1
    tiny.start(kT0);
    tiny.on_advertisement(kT0, std::nullopt);
    EXPECT_EQ(tiny.next_solicitation(), kT0 + seconds{4});
}

TEST(SolicitationSchedule, UnansweredResolicitationBacksOffFromFourSeconds) {
    RecordProperty("rfc", "7559 2");
    SolicitationSchedule schedule(seconds{900}, 11);
    schedule.start(kT0);
    schedule.on_advertisement(kT0, std::nullopt);
    SolicitTime now = schedule.next_solicitation();
    schedule.on_solicitation_sent(now);
    EXPECT_EQ(schedule.phase(), Phase::refreshing);
    auto interval = schedule.next_solicitation() - now;
    EXPECT_GE(interval, milliseconds{3'600});
    EXPECT_LE(interval, milliseconds{4'400});
    now = schedule.next_solicitation();
    const auto previous = schedule.retransmission_interval();
    schedule.on_solicitation_sent(now);
    interval = schedule.next_solicitation() - now;
    EXPECT_GE(interval, previous * 19 / 10);
    EXPECT_LE(interval, previous * 21 / 10);
    // An answer ends the backoff.
    schedule.on_advertisement(now, std::nullopt);
    EXPECT_EQ(schedule.phase(), Phase::answered);
    EXPECT_EQ(schedule.next_solicitation(), now + seconds{900});
}

TEST(SolicitationSchedule, SameSeedGivesTheSameSchedule) {
    SolicitationSchedule a(seconds{900}, 42);
    SolicitationSchedule b(seconds{900}, 42);
    a.start(kT0);
    b.start(kT0);
    for (int i = 0; i < 8; ++i) {
        ASSERT_EQ(a.next_solicitation(), b.next_solicitation());
        a.on_solicitation_sent(a.next_solicitation());
        b.on_solicitation_sent(b.next_solicitation());
    }
}

}  // namespace
}  // namespace sixgate::isatap
