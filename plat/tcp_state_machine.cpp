#include "plat/tcp_state_machine.hpp"

namespace sixgate::plat {

std::string_view to_string(TcpState state) noexcept {
    switch (state) {
        case TcpState::closed: return "closed";
        case TcpState::v4_init: return "v4_init";
        case TcpState::v6_init: return "v6_init";
        case TcpState::established: return "established";
        case TcpState::v4_fin_rcv: return "v4_fin_rcv";
        case TcpState::v6_fin_rcv: return "v6_fin_rcv";
        case TcpState::v4_fin_v6_fin_rcv: return "v4_fin_v6_fin_rcv";
        case TcpState::trans: return "trans";
    }
    return "unknown";
}

TcpTransition tcp_transition(TcpState state, PacketSide side, TcpFlags flags) noexcept {
    const bool from6 = side == PacketSide::ipv6;
    switch (state) {
        case TcpState::closed:
            // RFC 6146 3.5.2.2: only a SYN opens a session, with TCP_TRANS until the other
            // side's SYN; anything else without a session is dropped.
            if (!flags.syn) return {TcpState::closed, TimerAction::drop};
            return {from6 ? TcpState::v6_init : TcpState::v4_init, TimerAction::transitory};
        case TcpState::v4_init:
            // The SYN from the other side: the connection is up, TCP_EST.
            if (from6 && flags.syn) return {TcpState::established, TimerAction::established};
            return {state, TimerAction::keep};
        case TcpState::v6_init:
            if (!from6 && flags.syn) return {TcpState::established, TimerAction::established};
            // A retransmitted V6 SYN renews TCP_TRANS.
            if (from6 && flags.syn) return {state, TimerAction::transitory};
            return {state, TimerAction::keep};
        case TcpState::established:
            // A FIN moves on without touching the lifetime; RST leaves TCP_TRANS; any other
            // packet renews TCP_EST.
            if (flags.fin) {
                return {from6 ? TcpState::v6_fin_rcv : TcpState::v4_fin_rcv, TimerAction::keep};
            }
            if (flags.rst) return {TcpState::trans, TimerAction::transitory};
            return {state, TimerAction::established};
        case TcpState::v4_fin_rcv:
            if (from6 && flags.fin) return {TcpState::v4_fin_v6_fin_rcv, TimerAction::transitory};
            return {state, TimerAction::established};
        case TcpState::v6_fin_rcv:
            if (!from6 && flags.fin) return {TcpState::v4_fin_v6_fin_rcv, TimerAction::transitory};
            return {state, TimerAction::established};
        case TcpState::v4_fin_v6_fin_rcv:
            // Both FINs seen: only TCP_TRANS running out ends it; packets pass unchanged.
            return {state, TimerAction::keep};
        case TcpState::trans:
            // A packet other than RST brings the connection back to ESTABLISHED.
            if (!flags.rst) return {TcpState::established, TimerAction::established};
            return {state, TimerAction::keep};
    }
    return {TcpState::closed, TimerAction::drop};
}

TcpState tcp_established_expired(TcpState state) noexcept {
    // DEVIATION(RFC 6146 3.5.2.2): when TCP_EST runs out for an ESTABLISHED session the RFC lets
    // the NAT64 probe the IPv6 end with a TCP keepalive; we send no probe and move straight to
    // TRANS, so a live connection has TCP_TRANS to show a packet before it is removed.
    if (state == TcpState::established) return TcpState::trans;
    return TcpState::closed;  // V4/V6 FIN RCV: half-closed and idle for TCP_EST, removed
}

}  // namespace sixgate::plat
