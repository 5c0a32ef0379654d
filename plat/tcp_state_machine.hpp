#pragma once
// The TCP state machine of RFC 6146 3.5.2.2 as a pure function: (state, direction, flags) -> next
// state and what happens to the session's timer. The session table applies the result.

#include <cstdint>
#include <string_view>

#include "plat/plat_types.hpp"

namespace sixgate::plat {

enum class TcpState : std::uint8_t {
    closed,             // no session (a fictional state: the entry does not exist)
    v4_init,            // a V4 SYN went through; waiting for the V6 SYN
    v6_init,            // a V6 SYN went through; waiting for the V4 SYN
    established,
    v4_fin_rcv,         // FIN from the IPv4 side
    v6_fin_rcv,         // FIN from the IPv6 side
    v4_fin_v6_fin_rcv,  // FIN from both sides
    trans,              // RST seen or TCP_EST ran out: TCP_TRANS left
};
std::string_view to_string(TcpState state) noexcept;  // "v4_init", ...

enum class PacketSide : std::uint8_t { ipv6, ipv4 };  // where the packet arrived

enum class TimerAction : std::uint8_t {
    keep,          // lifetime unchanged
    transitory,    // lifetime = now + TCP_TRANS
    established,   // lifetime = now + TCP_EST
    drop,          // CLOSED and not a SYN: no session, the packet is dropped
};

struct TcpTransition {
    TcpState state = TcpState::closed;
    TimerAction timer = TimerAction::keep;
    bool operator==(const TcpTransition&) const = default;
};

// One packet of an existing session (or CLOSED: none). A V4 SYN in CLOSED that the table decides
// to hold never reaches this function.
TcpTransition tcp_transition(TcpState state, PacketSide side, TcpFlags flags) noexcept;

// TCP_EST ran out for a session in `state`: the state it moves to with TCP_TRANS, or closed when
// the session is removed.
TcpState tcp_established_expired(TcpState state) noexcept;

}  // namespace sixgate::plat
