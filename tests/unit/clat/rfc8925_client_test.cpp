// The RFC 8925 client's decisions on a fake clock: replies are scapy's (dhcpv4_scapy_vectors.py),
// the time is whatever the test says.

#include <gtest/gtest.h>

#include <set>

#include "clat/rfc8925_client.hpp"
#include "dhcpv4_test_vectors.hpp"

namespace sixgate::clat {
namespace {

using namespace std::chrono_literals;
using testing::scapy_message;

const std::array<std::uint8_t, 6> kMac{0x02, 0x00, 0x5e, 0x00, 0x53, 0xc1};
constexpr std::uint32_t kXid = 0x12345678;  // the scapy replies carry this one

DhcpMessageType sent_type(const std::vector<std::byte>& message) {
    // Option 53 is the first option the client writes (after the 240-byte header and cookie).
    return static_cast<DhcpMessageType>(std::to_integer<std::uint8_t>(message.at(242)));
}

class Rfc8925ClientTest : public ::testing::Test {
protected:
    Rfc8925ClientTest() : client_(kMac, options()) {}
    static Rfc8925ClientOptions options() {
        Rfc8925ClientOptions o;
        o.no_server_wait = 10s;
        o.new_xid = [] { return kXid; };
        o.jitter = [] { return std::chrono::milliseconds(0); };
        return o;
    }
    Rfc8925Client::Outgoing receive(const char* name, DhcpClock::duration after) {
        return client_.on_datagram(scapy_message(name), t0_ + after);
    }
    DhcpClock::time_point t0_{DhcpClock::duration(1000s)};
    Rfc8925Client client_;
};

TEST_F(Rfc8925ClientTest, StartsWithOneDiscoverAndNoDecision) {
    const auto sent = client_.start(t0_);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent_type(sent[0]), DhcpMessageType::discover);
    EXPECT_EQ(client_.state(), Rfc8925State::discovering);
    EXPECT_EQ(client_.mode(), Ipv4Mode::undecided);
    EXPECT_EQ(client_.next_deadline(), t0_ + 4s);  // RFC 2131 4.1: first retransmission
}

TEST(Rfc8925ClientJitter, RetransmissionsAreRandomizedWithinOneSecond) {
    RecordProperty("rfc", "2131 4.1");
    Rfc8925ClientOptions options;  // default jitter and xid: random
    std::set<DhcpClock::duration> first_delays;
    std::set<std::uint32_t> xids;
    const DhcpClock::time_point t0{DhcpClock::duration(1000s)};
    for (int i = 0; i < 20; ++i) {
        Rfc8925Client client(kMac, options);
        client.start(t0);
        const auto delay = client.next_deadline() - t0;
        EXPECT_GE(delay, 3s);
        EXPECT_LE(delay, 5s);
        first_delays.insert(delay);
        xids.insert(client.xid());
    }
    EXPECT_GT(first_delays.size(), 1u);
    EXPECT_GT(xids.size(), 1u);
}

TEST_F(Rfc8925ClientTest, OfferWith108TakesNoLeaseAndWaitsV6OnlyWait) {
    RecordProperty("rfc", "8925 3.2");
    client_.start(t0_);
    const auto sent = receive("offer_with_108", 1s);
    EXPECT_TRUE(sent.empty()) << "no DHCPREQUEST after an offer with option 108";
    EXPECT_EQ(client_.state(), Rfc8925State::ipv6_only);
    EXPECT_EQ(client_.mode(), Ipv4Mode::clat);
    EXPECT_FALSE(client_.lease());
    EXPECT_EQ(client_.v6only_wait_s(), 1800u);
    EXPECT_EQ(client_.next_deadline(), t0_ + 1s + 1800s);
    // Nothing is sent during V6ONLY_WAIT; then a new DISCOVER.
    EXPECT_TRUE(client_.on_timer(t0_ + 1000s).empty());
    const auto again = client_.on_timer(t0_ + 1801s);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(sent_type(again[0]), DhcpMessageType::discover);
    EXPECT_EQ(client_.mode(), Ipv4Mode::clat) << "the CLAT keeps running while it asks again";
}

TEST_F(Rfc8925ClientTest, V6OnlyWaitBelow300IsRaisedToMinV6OnlyWait) {
    RecordProperty("rfc", "8925 3.4");
    client_.start(t0_);
    receive("offer_108_below_minimum", 1s);
    EXPECT_EQ(client_.v6only_wait_s(), kMinV6OnlyWait);
    EXPECT_EQ(client_.next_deadline(), t0_ + 1s + 300s);
}

TEST_F(Rfc8925ClientTest, OfferWithout108IsRequestedAndTheAckGivesANativeLease) {
    client_.start(t0_);
    const auto request = receive("offer_without_108", 1s);
    ASSERT_EQ(request.size(), 1u);
    EXPECT_EQ(sent_type(request[0]), DhcpMessageType::request);
    EXPECT_EQ(client_.state(), Rfc8925State::requesting);
    EXPECT_EQ(client_.mode(), Ipv4Mode::undecided);
    EXPECT_TRUE(receive("ack", 2s).empty());
    EXPECT_EQ(client_.state(), Rfc8925State::leased);
    EXPECT_EQ(client_.mode(), Ipv4Mode::native);
    ASSERT_TRUE(client_.lease());
    EXPECT_EQ(client_.lease()->address, net::Ipv4Address(192, 0, 2, 50));
    EXPECT_EQ(client_.lease()->prefix_length, 24);
    EXPECT_EQ(client_.lease()->router, net::Ipv4Address(192, 0, 2, 1));
    EXPECT_EQ(client_.lease()->expires, t0_ + 2s + 120s);
}

TEST_F(Rfc8925ClientTest, AnExpiredLeaseIsGivenUpAndTheClientAsksAgain) {
    client_.start(t0_);
    receive("offer_without_108", 1s);
    receive("ack", 2s);
    const auto sent = client_.on_timer(t0_ + 122s);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent_type(sent[0]), DhcpMessageType::discover);
    EXPECT_FALSE(client_.lease());
    EXPECT_EQ(client_.mode(), Ipv4Mode::undecided);
}

TEST_F(Rfc8925ClientTest, NoServerRunsTheClatAfterTheWaitAndKeepsAskingWithBackoff) {
    client_.start(t0_);
    auto sent = client_.on_timer(t0_ + 4s);
    ASSERT_EQ(sent.size(), 1u) << "retransmission at 4 s";
    EXPECT_EQ(client_.next_deadline(), t0_ + 10s) << "no_server_wait";
    EXPECT_TRUE(client_.on_timer(t0_ + 10s).empty());
    EXPECT_EQ(client_.state(), Rfc8925State::no_server);
    EXPECT_EQ(client_.mode(), Ipv4Mode::clat);
    EXPECT_EQ(client_.next_deadline(), t0_ + 12s) << "4 + 8 s";
    // The intervals double up to 64 s (RFC 2131 4.1).
    DhcpClock::time_point now = client_.next_deadline();
    std::vector<DhcpClock::duration> gaps;
    for (int i = 0; i < 6; ++i) {
        EXPECT_EQ(client_.on_timer(now).size(), 1u);
        gaps.push_back(client_.next_deadline() - now);
        now = client_.next_deadline();
    }
    EXPECT_EQ(gaps, (std::vector<DhcpClock::duration>{16s, 32s, 64s, 64s, 64s, 64s}));
    EXPECT_EQ(client_.counters().discovers_sent, 8u);
}

TEST_F(Rfc8925ClientTest, ALateOfferWith108KeepsTheClatAndStopsAsking) {
    client_.start(t0_);
    client_.on_timer(t0_ + 4s);
    client_.on_timer(t0_ + 10s);
    receive("offer_with_108", 11s);
    EXPECT_EQ(client_.state(), Rfc8925State::ipv6_only);
    EXPECT_EQ(client_.mode(), Ipv4Mode::clat);
}

TEST_F(Rfc8925ClientTest, ALateOfferWithout108EndsInNativeIpv4) {
    client_.start(t0_);
    client_.on_timer(t0_ + 4s);
    client_.on_timer(t0_ + 10s);
    ASSERT_EQ(client_.mode(), Ipv4Mode::clat);
    receive("offer_without_108", 11s);
    receive("ack", 12s);
    EXPECT_EQ(client_.mode(), Ipv4Mode::native);
}

TEST_F(Rfc8925ClientTest, MalformedAndForeignRepliesAreCountedAndChangeNothing) {
    client_.start(t0_);
    for (const char* name :
         {"malformed_truncated_option", "malformed_no_cookie", "wrong_xid", "wrong_chaddr"})
        EXPECT_TRUE(receive(name, 1s).empty()) << name;
    EXPECT_EQ(client_.state(), Rfc8925State::discovering);
    EXPECT_EQ(client_.mode(), Ipv4Mode::undecided);
    const auto& dropped = client_.counters().dropped;
    EXPECT_EQ(dropped[std::size_t(DhcpDropReason::truncated_option)], 1u);
    EXPECT_EQ(dropped[std::size_t(DhcpDropReason::no_magic_cookie)], 1u);
    EXPECT_EQ(dropped[std::size_t(DhcpDropReason::wrong_xid)], 1u);
    EXPECT_EQ(dropped[std::size_t(DhcpDropReason::wrong_chaddr)], 1u);
}

TEST_F(Rfc8925ClientTest, Option108OfWrongLengthIsIgnoredSoTheOfferIsRequested) {
    RecordProperty("rfc", "8925 3.1");
    client_.start(t0_);
    const auto sent = receive("offer_108_length_3", 1s);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent_type(sent[0]), DhcpMessageType::request);
    EXPECT_EQ(client_.counters().malformed_option_108, 1u);
}

TEST_F(Rfc8925ClientTest, AnAckOutsideRequestingIsIgnored) {
    client_.start(t0_);
    EXPECT_TRUE(receive("ack", 1s).empty());
    EXPECT_EQ(client_.state(), Rfc8925State::discovering);
    EXPECT_EQ(client_.counters().ignored_in_state, 1u);
}

TEST_F(Rfc8925ClientTest, ANakSendsTheClientBackToDiscover) {
    RecordProperty("rfc", "2131 3.1.4");
    client_.start(t0_);
    receive("offer_without_108", 1s);
    const auto sent = receive("nak", 2s);
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent_type(sent[0]), DhcpMessageType::discover);
    EXPECT_EQ(client_.state(), Rfc8925State::discovering);
}

TEST_F(Rfc8925ClientTest, AnUnansweredRequestIsRetriedThenTheClientStartsOver) {
    client_.start(t0_);
    receive("offer_without_108", 1s);
    DhcpClock::time_point now = t0_ + 1s;
    int requests = 0;
    for (int i = 0; i < 3; ++i) {
        now = client_.next_deadline();
        const auto sent = client_.on_timer(now);
        ASSERT_EQ(sent.size(), 1u);
        EXPECT_EQ(sent_type(sent[0]), DhcpMessageType::request);
        ++requests;
    }
    const auto sent = client_.on_timer(client_.next_deadline());
    ASSERT_EQ(sent.size(), 1u);
    EXPECT_EQ(sent_type(sent[0]), DhcpMessageType::discover);
    EXPECT_EQ(client_.counters().requests_sent, 4u);
}

TEST_F(Rfc8925ClientTest, AnAckWith108IsTakenAsIpv6OnlyWithoutTheLease) {
    client_.start(t0_);
    receive("offer_without_108", 1s);
    receive("ack_with_108", 2s);
    EXPECT_EQ(client_.state(), Rfc8925State::ipv6_only);
    EXPECT_EQ(client_.mode(), Ipv4Mode::clat);
    EXPECT_FALSE(client_.lease());
    EXPECT_EQ(client_.v6only_wait_s(), 900u);
}

}  // namespace
}  // namespace sixgate::clat
