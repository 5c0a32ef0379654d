#pragma once
// Types every step of the stateful NAT64 (RFC 6146) shares: the three session protocols, IPv4 and
// IPv6 transport addresses (an ICMP query's Identifier is its "port", RFC 6146 3.5.3), the 5-tuples
// as the steps see them, the TCP flags the state machine reads, and the time base.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "net/ip_address.hpp"

namespace sixgate::plat {

enum class L4Protocol : std::uint8_t { tcp, udp, icmp };
inline constexpr std::size_t kL4ProtocolCount = 3;
std::string_view to_string(L4Protocol protocol) noexcept;  // "tcp", "udp", "icmp"

// (address, port) on either side; for ICMP queries the port is the Identifier.
struct Ipv6Transport {
    net::Ipv6Address address;
    std::uint16_t port = 0;
    bool operator==(const Ipv6Transport&) const = default;
};

struct Ipv4Transport {
    net::Ipv4Address address;
    std::uint16_t port = 0;
    bool operator==(const Ipv4Transport&) const = default;
};

// A packet arriving from the IPv6 side, RFC 6146 3.4 "incoming tuple": (X',x) -> (Y',y), with Y'
// already stripped of the pool6 prefix (the IPv4 server, Y).
struct Tuple6 {
    L4Protocol protocol = L4Protocol::udp;
    Ipv6Transport source;       // the IPv6 client (X', x)
    Ipv4Transport destination;  // the IPv4 server (Y, y), extracted from Y' (RFC 6052)
    bool operator==(const Tuple6&) const = default;
};

// A packet arriving from the IPv4 side: (Z,z) -> (T,t), T a pool4 (or static BIB) address.
struct Tuple4 {
    L4Protocol protocol = L4Protocol::udp;
    Ipv4Transport source;       // the IPv4 peer (Z, z)
    Ipv4Transport destination;  // the NAT64's own transport address (T, t)
    bool operator==(const Tuple4&) const = default;
};

// The TCP flags RFC 6146 3.5.2.2 looks at; all false for UDP and ICMP.
struct TcpFlags {
    bool syn = false;
    bool fin = false;
    bool rst = false;
};

// Milliseconds on a monotonic clock. The data path reads the clock once per batch; tests pass any
// value (a fake clock), so every timer rule runs without waiting.
using Millis = std::uint64_t;

}  // namespace sixgate::plat
