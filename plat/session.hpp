#pragma once
// Session table entries (RFC 6146 3.2): a BIB entry plus the IPv4 remote (Y,y) = (Z,z); the IPv6
// form of the remote is pool6 + Y and lives with the translator. Also the per-client session count
// (max_sessions_per_source) and the lifetime classes the expiry lists are kept by.

#include <cstdint>
#include <string_view>

#include "net/ip_address.hpp"
#include "plat/plat_types.hpp"
#include "plat/slab.hpp"
#include "plat/tcp_state_machine.hpp"

namespace sixgate::plat {

// One expiry list per class: every entry in a list has the same lifetime.
enum class TimerClass : std::uint8_t { udp, icmp, tcp_established, tcp_transitory };
inline constexpr std::size_t kTimerClassCount = 4;

struct Session {  // 40 bytes
    Millis expires = 0;
    std::uint32_t bib = kNil;
    std::uint32_t chain = kNil;  // session index chain / slab free list
    std::uint32_t timer_prev = kNil;
    std::uint32_t timer_next = kNil;
    std::uint32_t bib_prev = kNil;
    std::uint32_t bib_next = kNil;
    net::Ipv4Address remote;
    std::uint16_t remote_port = 0;
    TcpState state = TcpState::closed;  // TCP only
    TimerClass timer = TimerClass::udp;
};

struct SourceEntry {  // sessions of one IPv6 client in one shard
    net::Ipv6Address address;
    std::uint32_t sessions = 0;
    std::uint32_t chain = kNil;
};

std::uint64_t session_hash(std::uint32_t bib, const Ipv4Transport& remote,
                           std::uint64_t seed) noexcept;
TimerClass timer_class_for(L4Protocol protocol) noexcept;  // the class a new UDP/ICMP session uses
std::string_view session_state_name(L4Protocol protocol, TcpState state) noexcept;

}  // namespace sixgate::plat
