// TCP in the session table (RFC 6146 3.5.2): the state machine through real packets, each timer
// (TCP_TRANS, TCP_EST, TCP_INCOMING_SYN) and held V4 SYNs.
#include <gtest/gtest.h>

#include <vector>

#include "plat_state_test_util.hpp"

namespace sixgate::plat {
namespace {

using namespace test;

const std::string kClient = "2001:db8:1::10";
constexpr Millis kTrans = SessionTimeouts{}.tcp_transitory;
constexpr Millis kEst = SessionTimeouts{}.tcp_established;
constexpr Millis kSynWait = SessionTimeouts{}.tcp_incoming_syn;

class TcpSession : public ::testing::Test {
protected:
    void SetUp() override {
        table_ = make_table(config_);
        ASSERT_TRUE(table_);
    }
    Outcome6 out(TcpFlags flags, Millis now, std::uint16_t port = 40000) {
        auto r = table_->from_ipv6(t6(L4Protocol::tcp, kClient, port, "198.51.100.1", 80), flags, now);
        if (r.verdict == StateVerdict::forward) mapped_ = r.source4;
        return r;
    }
    Outcome4 in(TcpFlags flags, Millis now, const std::string& peer = "198.51.100.1") {
        return table_->from_ipv4(t4(L4Protocol::tcp, peer, 80, mapped_), flags, now, {});
    }
    std::string state() {
        const auto json = table_->snapshot(10, 0);
        if (json["sessions"].empty()) return "none";
        return json["sessions"][0]["state"];
    }
    std::uint64_t expire(Millis now) { return table_->expire(now, nullptr).sessions_expired; }

    SessionTableConfig config_ = small_config();
    std::unique_ptr<SessionTable> table_;
    Ipv4Transport mapped_;
};

TEST_F(TcpSession, NonSynWithoutSessionIsDropped) {
    RecordProperty("rfc", "6146 3.5.2.2");
    EXPECT_EQ(out(kAck, 0).reason, StateDrop::tcp_no_session);
    EXPECT_EQ(out(kFin, 0).reason, StateDrop::tcp_no_session);
    EXPECT_EQ(table_->counters().drop(StateDrop::tcp_no_session), 2u);
    EXPECT_EQ(table_->counters().by_protocol[0].bib_dynamic, 0u);
}

TEST_F(TcpSession, V6SynThenV4SynEstablishes) {
    RecordProperty("rfc", "6146 3.5.2.2");
    ASSERT_EQ(out(kSyn, 0).verdict, StateVerdict::forward);
    EXPECT_EQ(state(), "v6_init");
    ASSERT_EQ(in(kSyn, 10).verdict, StateVerdict::forward);
    EXPECT_EQ(state(), "established");
    EXPECT_EQ(out(kAck, 20).verdict, StateVerdict::forward);
    EXPECT_EQ(state(), "established");
}

TEST_F(TcpSession, V6InitLastsTcpTrans) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    EXPECT_EQ(expire(kTrans - 1), 0u);
    EXPECT_EQ(expire(kTrans), 1u);
    EXPECT_EQ(table_->counters().by_protocol[0].bib_dynamic, 0u);
}

TEST_F(TcpSession, EstablishedLastsTcpEstThenTransThenGoes) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    in(kSyn, 0);
    out(kAck, 1000);
    EXPECT_EQ(expire(1000 + kEst - 1), 0u);
    EXPECT_EQ(state(), "established");
    // TCP_EST ran out: TRANS (no probe) with TCP_TRANS left.
    EXPECT_EQ(expire(1000 + kEst), 0u);
    EXPECT_EQ(state(), "trans");
    EXPECT_EQ(expire(1000 + kEst + kTrans - 1), 0u);
    EXPECT_EQ(expire(1000 + kEst + kTrans), 1u);
}

TEST_F(TcpSession, PacketInTransReturnsToEstablished) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    in(kSyn, 0);
    expire(kEst);
    ASSERT_EQ(state(), "trans");
    in(kAck, kEst + 10);
    EXPECT_EQ(state(), "established");
    EXPECT_EQ(expire(kEst + kTrans + 10), 0u);  // TCP_EST again, not TCP_TRANS
    EXPECT_EQ(expire(2 * kEst + 9), 0u);
    EXPECT_EQ(expire(2 * kEst + 10), 0u);
    EXPECT_EQ(state(), "trans");
}

TEST_F(TcpSession, RstMovesToTransAndItsTimer) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    in(kSyn, 0);
    in(kRst, 500);
    EXPECT_EQ(state(), "trans");
    // A further RST keeps TRANS and does not refresh.
    out(kRst, 1000);
    EXPECT_EQ(state(), "trans");
    EXPECT_EQ(expire(500 + kTrans - 1), 0u);
    EXPECT_EQ(expire(500 + kTrans), 1u);
}

TEST_F(TcpSession, FinFromBothSidesClosesAfterTcpTrans) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    in(kSyn, 0);
    out(kFin, 100);
    EXPECT_EQ(state(), "v6_fin_rcv");
    in(kAck, 200);  // data still flows and renews TCP_EST
    EXPECT_EQ(state(), "v6_fin_rcv");
    in(kFin, 300);
    EXPECT_EQ(state(), "v4_fin_v6_fin_rcv");
    out(kAck, 400);  // the last ACK: no refresh in this state
    EXPECT_EQ(expire(300 + kTrans - 1), 0u);
    EXPECT_EQ(expire(300 + kTrans), 1u);
}

TEST_F(TcpSession, V4FinThenV6Fin) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    in(kSyn, 0);
    in(kFin, 100);
    EXPECT_EQ(state(), "v4_fin_rcv");
    out(kFin, 200);
    EXPECT_EQ(state(), "v4_fin_v6_fin_rcv");
}

TEST_F(TcpSession, HalfClosedSessionIdleForTcpEstIsRemoved) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    in(kSyn, 0);
    out(kAck, 100);
    in(kFin, 200);  // FIN does not touch the lifetime: TCP_EST from 100
    EXPECT_EQ(expire(100 + kEst - 1), 0u);
    EXPECT_EQ(expire(100 + kEst), 1u);
}

TEST_F(TcpSession, V4SynOnExistingMappingOpensV4InitUnderEndpointIndependentFiltering) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    in(kSyn, 0);
    // Another IPv4 peer opens a connection to the same mapping.
    auto syn = in(kSyn, 10, "203.0.113.9");
    ASSERT_EQ(syn.verdict, StateVerdict::forward);
    EXPECT_EQ(syn.destination6, (Ipv6Transport{a6(kClient), 40000}));
    auto answer = table_->from_ipv6(t6(L4Protocol::tcp, kClient, 40000, "203.0.113.9", 80), kSyn, 20);
    EXPECT_EQ(answer.verdict, StateVerdict::forward);
    bool established = false;
    const auto json = table_->snapshot(10, 0);
    for (const auto& s : json["sessions"]) {
        if (s["remote"] == "203.0.113.9:80") established = s["state"] == "established";
    }
    EXPECT_TRUE(established) << json.dump();
}

TEST_F(TcpSession, V4InitWithoutTheV6SynLastsTcpTrans) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    in(kSyn, 0);
    out(kAck, 0);
    in(kSyn, 10, "203.0.113.9");
    EXPECT_EQ(expire(10 + kTrans - 1), 0u);
    EXPECT_EQ(expire(10 + kTrans), 1u);
}

std::vector<std::byte> packet_of(std::size_t size) {
    std::vector<std::byte> bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = std::byte(i & 0xff);
    return bytes;
}

TEST_F(TcpSession, V4SynWithoutBibIsHeldAndAnsweredOnceAfterIncomingSynTime) {
    RecordProperty("rfc", "6146 3.5.2.2");
    const Ipv4Transport target{a4("192.0.2.1"), 5555};
    const auto packet = packet_of(1000);
    auto held = table_->from_ipv4(t4(L4Protocol::tcp, "203.0.113.9", 4444, target), kSyn, 0, packet);
    EXPECT_EQ(held.verdict, StateVerdict::held);
    EXPECT_EQ(held.reason, StateDrop::v4_syn_held);
    // A retransmission is recognised; it does not take another slot or reset the timer.
    auto again = table_->from_ipv4(t4(L4Protocol::tcp, "203.0.113.9", 4444, target), kSyn, 3000, packet);
    EXPECT_EQ(again.reason, StateDrop::held_syn_duplicate);
    EXPECT_EQ(table_->counters().held_syns, 1u);
    std::vector<std::vector<std::byte>> answered;
    auto collect = [&](std::span<const std::byte> bytes) {
        answered.emplace_back(bytes.begin(), bytes.end());
    };
    EXPECT_EQ(table_->expire(kSynWait - 1, collect).held_syns_answered, 0u);
    EXPECT_EQ(table_->expire(kSynWait, collect).held_syns_answered, 1u);
    EXPECT_EQ(table_->expire(kSynWait + 10'000, collect).held_syns_answered, 0u);
    ASSERT_EQ(answered.size(), 1u);
    ASSERT_EQ(answered[0].size(), 576u);  // at most the first 576 bytes are kept
    EXPECT_TRUE(std::equal(answered[0].begin(), answered[0].end(), packet.begin()));
    const auto c = table_->counters();
    EXPECT_EQ(c.held_syns, 0u);
    EXPECT_EQ(c.held_syns_answered, 1u);
    EXPECT_EQ(c.drop(StateDrop::v4_syn_held), 1u);
}

class TcpSessionOneShard : public TcpSession {
protected:
    void SetUp() override {
        config_.shard_count = 1;  // port preservation then always applies
        TcpSession::SetUp();
    }
};

TEST_F(TcpSessionOneShard, V6SynReleasesAHeldSynWithoutBibSimultaneousOpen) {
    RecordProperty("rfc", "6146 3.5.2.2");
    // Port preservation gives the client (T, 40000): the IPv4 peer aims its SYN there first.
    const auto paired_probe = out(kSyn, 0, 40002);
    ASSERT_EQ(paired_probe.verdict, StateVerdict::forward);
    const Ipv4Transport target{paired_probe.source4.address, 40000};
    const auto packet = packet_of(60);
    auto held = table_->from_ipv4(t4(L4Protocol::tcp, "198.51.100.1", 80, target), kSyn, 0, packet);
    ASSERT_EQ(held.verdict, StateVerdict::held);
    auto open = out(kSyn, 1000);
    ASSERT_EQ(open.verdict, StateVerdict::forward);
    ASSERT_EQ(open.source4, target);
    EXPECT_EQ(table_->counters().held_syns_released, 1u);
    int calls = 0;
    table_->expire(kSynWait + 1, [&](std::span<const std::byte>) { ++calls; });
    EXPECT_EQ(calls, 0);
    bool established = false;
    const auto json = table_->snapshot(10, 0);
    for (const auto& s : json["sessions"]) {
        if (s["ipv6"] == "[2001:db8:1::10]:40000") established = s["state"] == "established";
    }
    EXPECT_TRUE(established) << json.dump();
}

class TcpSessionAdf : public TcpSession {
protected:
    void SetUp() override {
        config_.filtering = Filtering::address_dependent;
        config_.max_held_syns = 2;
        TcpSession::SetUp();
    }
};

TEST_F(TcpSessionAdf, V4SynFromUnknownPeerIsHeldAndReleasedByTheV6Syn) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    in(kSyn, 0);
    auto held = in(kSyn, 100, "203.0.113.9");
    EXPECT_EQ(held.verdict, StateVerdict::held);
    // Held, not a session: its retransmission is still held, not let through.
    EXPECT_EQ(in(kSyn, 200, "203.0.113.9").reason, StateDrop::held_syn_duplicate);
    auto release =
        table_->from_ipv6(t6(L4Protocol::tcp, kClient, 40000, "203.0.113.9", 80), kSyn, 300);
    ASSERT_EQ(release.verdict, StateVerdict::forward);
    EXPECT_EQ(release.source4, mapped_);
    EXPECT_EQ(table_->counters().held_syns_released, 1u);
    int calls = 0;
    table_->expire(100 + kSynWait, [&](std::span<const std::byte>) { ++calls; });
    EXPECT_EQ(calls, 0);
    // Now the peer has a session: its packets pass.
    EXPECT_EQ(in(kAck, 400, "203.0.113.9").verdict, StateVerdict::forward);
}

TEST_F(TcpSessionAdf, HeldSynsAreLimited) {
    RecordProperty("rfc", "6146 3.5.2.2");
    out(kSyn, 0);
    EXPECT_EQ(in(kSyn, 0, "203.0.113.1").verdict, StateVerdict::held);
    EXPECT_EQ(in(kSyn, 0, "203.0.113.2").verdict, StateVerdict::held);
    EXPECT_EQ(in(kSyn, 0, "203.0.113.3").reason, StateDrop::held_syn_limit);
    EXPECT_EQ(table_->counters().drop(StateDrop::held_syn_limit), 1u);
    EXPECT_EQ(table_->expire(kSynWait, nullptr).held_syns_answered, 2u);
    EXPECT_EQ(in(kSyn, kSynWait, "203.0.113.3").verdict, StateVerdict::held);
}

}  // namespace
}  // namespace sixgate::plat
