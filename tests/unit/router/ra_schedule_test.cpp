#include "router/ra_schedule.hpp"

#include <gtest/gtest.h>

namespace sixgate::router {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const TimePoint kStart = TimePoint() + seconds(1000);

RaScheduleParams params(int min_s, int max_s) {
    RaScheduleParams p;
    p.min_interval = seconds(min_s);
    p.max_interval = seconds(max_s);
    return p;
}

TEST(RaSchedule, SendsTheFirstAdvertisementAtOnce) {
    RaSchedule schedule(params(198, 600), 1);
    schedule.start(kStart);
    EXPECT_EQ(schedule.next_multicast(), kStart);
}

// RFC 4861 6.2.4: the first MAX_INITIAL_RTR_ADVERTISEMENTS RAs are at most 16 s apart.
TEST(RaSchedule, CapsTheInitialIntervalsAtSixteenSeconds) {
    RecordProperty("rfc", "4861 6.2.4");
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        RaSchedule schedule(params(198, 600), seed);
        schedule.start(kStart);
        TimePoint now = kStart;
        int fast = 0;
        for (int i = 0; i < 10; ++i) {
            schedule.on_multicast_sent(now);
            const auto interval = schedule.next_multicast() - now;
            if (interval <= kMaxInitialRtrAdvertInterval) ++fast;
            now = schedule.next_multicast();
        }
        // The first RA plus two more intervals are the three initial RAs; then 198..600 s.
        EXPECT_EQ(fast, kMaxInitialRtrAdvertisements - 1) << "seed " << seed;
    }
}

TEST(RaSchedule, DrawsUnsolicitedIntervalsBetweenMinAndMax) {
    RecordProperty("rfc", "4861 6.2.4");
    RaSchedule schedule(params(30, 40), 7);
    schedule.start(kStart);
    TimePoint now = kStart;
    for (int i = 0; i < 3; ++i) {
        schedule.on_multicast_sent(now);
        now = schedule.next_multicast();
    }
    for (int i = 0; i < 200; ++i) {
        schedule.on_multicast_sent(now);
        const auto interval = schedule.next_multicast() - now;
        EXPECT_GE(interval, seconds(30));
        EXPECT_LE(interval, seconds(40));
        now = schedule.next_multicast();
    }
}

// RFC 4861 6.2.6: a random delay of 0..MAX_RA_DELAY_TIME before the solicited RA.
TEST(RaSchedule, DelaysASolicitedAnswerByAtMostHalfASecond) {
    RecordProperty("rfc", "4861 6.2.6");
    for (std::uint64_t seed = 0; seed < 100; ++seed) {
        RaSchedule schedule(params(198, 600), seed);
        schedule.start(kStart);
        schedule.on_multicast_sent(kStart);
        // Past MIN_DELAY_BETWEEN_RAS, and before the next unsolicited RA (16 s: an initial one).
        const TimePoint now = kStart + seconds(5);
        const RsDecision decision = schedule.on_solicitation(now, true);
        EXPECT_EQ(decision.kind, RsDecision::Kind::multicast);
        EXPECT_EQ(decision.rule, RsDecision::Rule::random_delay);
        EXPECT_GE(decision.when - now, milliseconds(0));
        EXPECT_LE(decision.when - now, kMaxRaDelayTime);
        EXPECT_EQ(schedule.next_multicast(), decision.when);
        EXPECT_TRUE(schedule.next_multicast_is_solicited());
    }
}

// RFC 4861 6.2.6: no more than one multicast RA per MIN_DELAY_BETWEEN_RAS.
TEST(RaSchedule, WaitsMinDelayBetweenRasAfterTheLastMulticast) {
    RecordProperty("rfc", "4861 6.2.6");
    for (std::uint64_t seed = 0; seed < 100; ++seed) {
        RaSchedule schedule(params(198, 600), seed);
        schedule.start(kStart);
        schedule.on_multicast_sent(kStart);
        const RsDecision decision = schedule.on_solicitation(kStart + milliseconds(1000), true);
        EXPECT_EQ(decision.rule, RsDecision::Rule::min_delay_between_ras);
        EXPECT_GE(decision.when - kStart, kMinDelayBetweenRas);
        EXPECT_LE(decision.when - kStart, kMinDelayBetweenRas + kMaxRaDelayTime);
    }
}

TEST(RaSchedule, AnswersWithTheScheduledRaWhenItComesSooner) {
    RecordProperty("rfc", "4861 6.2.6");
    RaSchedule schedule(params(198, 600), 3);
    schedule.start(kStart);  // the first RA is due now
    const RsDecision decision = schedule.on_solicitation(kStart, true);
    EXPECT_EQ(decision.kind, RsDecision::Kind::multicast);
    if (decision.delay > milliseconds(0)) {
        EXPECT_EQ(decision.rule, RsDecision::Rule::already_scheduled);
    }
    EXPECT_EQ(decision.when, kStart);
}

TEST(RaSchedule, MergesSolicitationsIntoOnePendingRa) {
    RecordProperty("rfc", "4861 6.2.6");
    RaSchedule schedule(params(198, 600), 5);
    schedule.start(kStart);
    schedule.on_multicast_sent(kStart);
    const RsDecision first = schedule.on_solicitation(kStart + seconds(10), true);
    for (int i = 1; i < 1000; ++i) {
        const RsDecision next = schedule.on_solicitation(kStart + seconds(10) + milliseconds(i / 10), true);
        EXPECT_EQ(next.rule, RsDecision::Rule::merged);
        EXPECT_EQ(next.when, first.when);  // the delay counts from the first solicitation
    }
}

// A flood of 1000 RS/s for 5 s yields at most one multicast RA per MIN_DELAY_BETWEEN_RAS.
TEST(RaSchedule, FloodYieldsAtMostOneMulticastRaPerMinDelay) {
    RecordProperty("rfc", "4861 6.2.6");
    RaSchedule schedule(params(198, 600), 11);
    schedule.start(kStart);
    schedule.on_multicast_sent(kStart);
    std::vector<TimePoint> sent{kStart};
    for (int ms = 0; ms < 5000; ++ms) {
        const TimePoint now = kStart + milliseconds(ms);
        if (schedule.next_multicast() <= now) {
            sent.push_back(now);
            schedule.on_multicast_sent(now);
        }
        schedule.on_solicitation(now, true);
    }
    for (std::size_t i = 1; i < sent.size(); ++i) EXPECT_GE(sent[i] - sent[i - 1], kMinDelayBetweenRas);
    EXPECT_LE(sent.size(), 1u + 5000 / 3000 + 1);
}

TEST(RaSchedule, CapsUnicastRepliesPerSecond) {
    RaScheduleParams p = params(198, 600);
    p.unicast_replies = true;
    p.unicast_reply_limit = 10;
    RaSchedule schedule(p, 13);
    schedule.start(kStart);
    int unicast = 0, limited = 0;
    for (int ms = 0; ms < 5000; ++ms) {
        const RsDecision d = schedule.on_solicitation(kStart + milliseconds(ms), true);
        if (d.kind == RsDecision::Kind::unicast) {
            ++unicast;
            EXPECT_LE(d.delay, kMaxRaDelayTime);
        }
        if (d.kind == RsDecision::Kind::unicast_rate_limited) ++limited;
    }
    EXPECT_EQ(unicast, 50);
    EXPECT_EQ(limited, 4950);
}

// RFC 4861 6.2.6: an RS from the unspecified address must be answered by multicast.
TEST(RaSchedule, AnswersAnUnspecifiedSourceByMulticastEvenInUnicastMode) {
    RecordProperty("rfc", "4861 6.2.6");
    RaScheduleParams p = params(198, 600);
    p.unicast_replies = true;
    RaSchedule schedule(p, 17);
    schedule.start(kStart);
    schedule.on_multicast_sent(kStart);
    EXPECT_EQ(schedule.on_solicitation(kStart + seconds(30), false).kind, RsDecision::Kind::multicast);
}

TEST(RaSchedule, RestartKeepsMinDelayAfterTheLastMulticast) {
    RaSchedule schedule(params(198, 600), 19);
    schedule.start(kStart);
    schedule.on_multicast_sent(kStart);
    schedule.start(kStart + seconds(1));  // a config change right after an RA
    EXPECT_EQ(schedule.next_multicast(), kStart + kMinDelayBetweenRas);
}

}  // namespace
}  // namespace sixgate::router
