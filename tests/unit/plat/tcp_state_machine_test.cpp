// The pure TCP state machine of RFC 6146 3.5.2.2: every transition and the timer it sets.
#include <gtest/gtest.h>

#include "plat/tcp_state_machine.hpp"
#include "plat_state_test_util.hpp"

namespace sixgate::plat {
namespace {

using test::kAck;
using test::kFin;
using test::kRst;
using test::kSyn;
constexpr auto v6 = PacketSide::ipv6;
constexpr auto v4 = PacketSide::ipv4;
using S = TcpState;
using T = TimerAction;

TEST(TcpStateMachine, ClosedOpensOnlyOnSyn) {
    RecordProperty("rfc", "6146 3.5.2.2");
    EXPECT_EQ(tcp_transition(S::closed, v6, kSyn), (TcpTransition{S::v6_init, T::transitory}));
    EXPECT_EQ(tcp_transition(S::closed, v4, kSyn), (TcpTransition{S::v4_init, T::transitory}));
    EXPECT_EQ(tcp_transition(S::closed, v6, kAck).timer, T::drop);
    EXPECT_EQ(tcp_transition(S::closed, v4, kFin).timer, T::drop);
    EXPECT_EQ(tcp_transition(S::closed, v4, kRst).timer, T::drop);
}

TEST(TcpStateMachine, InitStatesBecomeEstablishedOnTheOtherSidesSyn) {
    RecordProperty("rfc", "6146 3.5.2.2");
    EXPECT_EQ(tcp_transition(S::v4_init, v6, kSyn), (TcpTransition{S::established, T::established}));
    EXPECT_EQ(tcp_transition(S::v6_init, v4, kSyn), (TcpTransition{S::established, T::established}));
    // Anything else leaves them (and their TCP_TRANS) alone; a repeated V6 SYN renews TCP_TRANS.
    EXPECT_EQ(tcp_transition(S::v4_init, v4, kSyn), (TcpTransition{S::v4_init, T::keep}));
    EXPECT_EQ(tcp_transition(S::v4_init, v6, kAck), (TcpTransition{S::v4_init, T::keep}));
    EXPECT_EQ(tcp_transition(S::v6_init, v6, kSyn), (TcpTransition{S::v6_init, T::transitory}));
    EXPECT_EQ(tcp_transition(S::v6_init, v4, kAck), (TcpTransition{S::v6_init, T::keep}));
}

TEST(TcpStateMachine, EstablishedHandlesFinRstAndData) {
    RecordProperty("rfc", "6146 3.5.2.2");
    EXPECT_EQ(tcp_transition(S::established, v4, kFin), (TcpTransition{S::v4_fin_rcv, T::keep}));
    EXPECT_EQ(tcp_transition(S::established, v6, kFin), (TcpTransition{S::v6_fin_rcv, T::keep}));
    EXPECT_EQ(tcp_transition(S::established, v4, kRst), (TcpTransition{S::trans, T::transitory}));
    EXPECT_EQ(tcp_transition(S::established, v6, kRst), (TcpTransition{S::trans, T::transitory}));
    EXPECT_EQ(tcp_transition(S::established, v6, kAck),
              (TcpTransition{S::established, T::established}));
    EXPECT_EQ(tcp_transition(S::established, v4, kAck),
              (TcpTransition{S::established, T::established}));
}

TEST(TcpStateMachine, FinFromBothSidesGoesToTransitory) {
    RecordProperty("rfc", "6146 3.5.2.2");
    EXPECT_EQ(tcp_transition(S::v4_fin_rcv, v6, kFin),
              (TcpTransition{S::v4_fin_v6_fin_rcv, T::transitory}));
    EXPECT_EQ(tcp_transition(S::v6_fin_rcv, v4, kFin),
              (TcpTransition{S::v4_fin_v6_fin_rcv, T::transitory}));
    // Other packets in a half-closed connection renew TCP_EST.
    EXPECT_EQ(tcp_transition(S::v4_fin_rcv, v4, kFin), (TcpTransition{S::v4_fin_rcv, T::established}));
    EXPECT_EQ(tcp_transition(S::v4_fin_rcv, v6, kAck), (TcpTransition{S::v4_fin_rcv, T::established}));
    EXPECT_EQ(tcp_transition(S::v6_fin_rcv, v6, kAck), (TcpTransition{S::v6_fin_rcv, T::established}));
    EXPECT_EQ(tcp_transition(S::v4_fin_v6_fin_rcv, v6, kAck),
              (TcpTransition{S::v4_fin_v6_fin_rcv, T::keep}));
    EXPECT_EQ(tcp_transition(S::v4_fin_v6_fin_rcv, v4, kRst),
              (TcpTransition{S::v4_fin_v6_fin_rcv, T::keep}));
}

TEST(TcpStateMachine, TransReturnsToEstablishedOnAnyPacketButRst) {
    RecordProperty("rfc", "6146 3.5.2.2");
    EXPECT_EQ(tcp_transition(S::trans, v6, kAck), (TcpTransition{S::established, T::established}));
    EXPECT_EQ(tcp_transition(S::trans, v4, kAck), (TcpTransition{S::established, T::established}));
    EXPECT_EQ(tcp_transition(S::trans, v4, kRst), (TcpTransition{S::trans, T::keep}));
}

TEST(TcpStateMachine, EstablishedTimeoutMovesToTransHalfClosedAreRemoved) {
    RecordProperty("rfc", "6146 3.5.2.2");
    EXPECT_EQ(tcp_established_expired(S::established), S::trans);
    EXPECT_EQ(tcp_established_expired(S::v4_fin_rcv), S::closed);
    EXPECT_EQ(tcp_established_expired(S::v6_fin_rcv), S::closed);
    EXPECT_EQ(to_string(S::v4_fin_v6_fin_rcv), "v4_fin_v6_fin_rcv");
}

}  // namespace
}  // namespace sixgate::plat
