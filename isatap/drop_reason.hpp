#pragma once
// Why the ISATAP data path dropped a packet: one counter per reason in `sixgate status`
// (components.isatap.isatap_drops), the name being the key.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sixgate::isatap {

enum class IsatapDrop : std::uint8_t {
    // The outer IPv4 packet (RFC 4213 3.6)
    outer_malformed,          // shorter than its header or total length, bad header checksum, IHL < 5
    outer_not_protocol_41,    // protocol field is not 41
    outer_not_for_us,         // destination is not this node's IPv4 address on the interface
    source_not_allowed,       // router mode: outer source not on the allow-list (no answer)
    // The inner IPv6 packet, validated before it reaches the TUN
    inner_malformed,          // version != 6, shorter than 40 bytes or than its payload length
    inner_source_invalid,     // multicast, unspecified, loopback or IPv4-mapped source (RFC 4291 2.5.2)
    inner_destination_invalid,// unspecified or loopback destination
    inner_source_mismatch,    // RFC 5214 7.3: source does not embed the outer IPv4 source (and
                              // the outer source is not a PRL router)
    // Loops (RFC 6324 3.2): packets that would go back to an ISATAP router or a 6to4 relay
    loop_isatap_router,       // the IPv6 source or destination embeds a known ISATAP router's IPv4
    loop_6to4_relay,          // the IPv6 source or destination is a 6to4 address of a relay or of us
    // Outbound (from the TUN toward the IPv4 network)
    destination_not_isatap,   // no ISATAP interface identifier: no IPv4 address to send to
    destination_not_allowed,  // router mode: the embedded IPv4 address is not on the allow-list
    no_router,                // host mode: no router has answered yet
    // ND over the tunnel
    bad_solicitation,         // a Router Solicitation failing RFC 4861 6.1.1
    bad_advertisement,        // a Router Advertisement failing RFC 4861 6.1.2, or not from a PRL router
    // I/O
    tun_write_failed,
    send_failed,
    count_,
};

inline constexpr std::size_t kIsatapDropCount = static_cast<std::size_t>(IsatapDrop::count_);

std::string_view to_string(IsatapDrop reason) noexcept;

// Counters written by one data-path thread (plain integers; see IsatapCounters in tunnel_link.hpp
// for how they are published).
using IsatapDropCounts = std::array<std::uint64_t, kIsatapDropCount>;

}  // namespace sixgate::isatap
