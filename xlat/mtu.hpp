#pragma once
// RFC 7915 4.1, 4.2, 5, 5.1, 5.1.1, 5.2 (sizes, MTUs and DF across the translator), RFC 1191 7
// (plateau table), RFC 8021 (no atomic fragments). Entry points: packet_too_big_mtu,
// frag_needed_mtu, rfc1191_plateau_below, decide_ipv4_to_ipv6_size, decide_ipv6_to_ipv4_size.
//
// Pure arithmetic on header fields and link MTUs; no packet I/O. A link MTU the caller does not
// know is passed as kUnknownMtu and never limits anything.

#include <array>
#include <cstdint>

namespace sixgate::xlat {

// clang-format off
inline constexpr std::uint32_t kIpv6MinimumMtu = 1280;     // RFC 8200 5
inline constexpr std::uint32_t kIpv4MinimumMtu = 68;       // RFC 791
inline constexpr std::uint32_t kIpv4MaximumMtu = 65535;    // 16-bit MTU and Total Length fields
inline constexpr std::uint32_t kIpv4HeaderLength = 20;     // without options
inline constexpr std::uint32_t kIpv6HeaderLength = 40;
inline constexpr std::uint32_t kFragmentHeaderLength = 8;
inline constexpr std::uint32_t kIpv6Ipv4HeaderDelta = kIpv6HeaderLength - kIpv4HeaderLength;
// RFC 7915 5: 1280 on the IPv6 side is 1260 on the IPv4 side.
inline constexpr std::uint32_t kIpv4DfThreshold = kIpv6MinimumMtu - kIpv6Ipv4HeaderDelta;
inline constexpr std::uint32_t kDefaultLowestIpv6Mtu = kIpv6MinimumMtu;  // RFC 7915 4.1 default
inline constexpr std::uint32_t kUnknownMtu = 0xFFFFFFFF;
// clang-format on

// RFC 1191 7, Table 7-1: the plateaus, largest first.
inline constexpr std::array<std::uint16_t, 11> kRfc1191Plateaus = {
    65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68};

// The greatest plateau strictly less than total_length, or 0 when there is none.
constexpr std::uint16_t rfc1191_plateau_below(std::uint32_t total_length) noexcept {
    for (const std::uint16_t plateau : kRfc1191Plateaus) {
        if (plateau < total_length) return plateau;
    }
    return 0;
}

namespace detail {
constexpr std::uint64_t min3(std::uint64_t a, std::uint64_t b, std::uint64_t c) noexcept {
    const std::uint64_t ab = a < b ? a : b;
    return ab < c ? ab : c;
}
constexpr std::uint64_t minus(std::uint64_t a, std::uint64_t b) noexcept {
    return a > b ? a - b : 0;
}
}  // namespace detail

// ---- ICMPv4 Fragmentation Needed -> ICMPv6 Packet Too Big (RFC 7915 4.2, Type 3 Code 4) --------

struct FragNeededToPacketTooBig {
    std::uint16_t icmp4_mtu = 0;            // the Next-Hop MTU field of the ICMPv4 message
    std::uint16_t quoted_total_length = 0;  // Total Length field of the quoted IPv4 header
    std::uint32_t ipv6_next_hop_mtu =
        kUnknownMtu;  // the translator's link toward the ICMPv6 destination
    std::uint32_t ipv4_next_hop_mtu =
        kUnknownMtu;  // the translator's IPv4 link the error came in on
};

// RFC 7915 4.2: adjust the MTU for the 20-byte header difference, bounded by both of the
// translator's links, and never below the IPv6 minimum MTU:
//   max(1280, min(MTU + 20, MTU_of_IPv6_nexthop, MTU_of_IPv4_nexthop + 20)).
// An MTU field of zero comes from a router without RFC 1191: the greatest plateau below the
// quoted Total Length stands in for it; the "but at least 1280" of the plateau sentence is the
// outer max(1280, ...).
constexpr std::uint32_t packet_too_big_mtu(const FragNeededToPacketTooBig& in) noexcept {
    const std::uint64_t icmp4_mtu =
        in.icmp4_mtu != 0 ? in.icmp4_mtu : rfc1191_plateau_below(in.quoted_total_length);
    const std::uint64_t mtu =
        detail::min3(icmp4_mtu + kIpv6Ipv4HeaderDelta, in.ipv6_next_hop_mtu,
                     std::uint64_t{in.ipv4_next_hop_mtu} + kIpv6Ipv4HeaderDelta);
    if (mtu < kIpv6MinimumMtu) return kIpv6MinimumMtu;
    return mtu > kUnknownMtu ? kUnknownMtu : static_cast<std::uint32_t>(mtu);
}

// ---- ICMPv6 Packet Too Big -> ICMPv4 Fragmentation Needed (RFC 7915 5.2, Type 2) --------------

struct PacketTooBigToFragNeeded {
    std::uint32_t icmp6_mtu = 0;              // the MTU field of the Packet Too Big
    bool quoted_has_fragment_header = false;  // the quoted IPv6 packet carries a Fragment Header
    std::uint32_t ipv4_next_hop_mtu =
        kUnknownMtu;  // the translator's link toward the ICMPv4 destination
    std::uint32_t ipv6_next_hop_mtu =
        kUnknownMtu;  // the translator's IPv6 link the error came in on
};

// RFC 7915 5.2: min(MTU - 20, MTU_of_IPv4_nexthop, MTU_of_IPv6_nexthop - 20), "taking into
// account whether or not the packet in error includes a Fragment Header": a quoted packet with a
// Fragment Header was an IPv4 fragment, 28 bytes smaller than its IPv6 form, so both IPv6 terms
// lose 28 instead of 20. Clamped to the 16-bit field and to the IPv4 minimum of 68 (the RFC says
// nothing for Packet Too Big MTUs below 88, which no conforming IPv6 link produces).
constexpr std::uint16_t frag_needed_mtu(const PacketTooBigToFragNeeded& in) noexcept {
    const std::uint64_t delta =
        kIpv6Ipv4HeaderDelta + (in.quoted_has_fragment_header ? kFragmentHeaderLength : 0);
    std::uint64_t mtu = detail::min3(detail::minus(in.icmp6_mtu, delta), in.ipv4_next_hop_mtu,
                                     detail::minus(in.ipv6_next_hop_mtu, delta));
    if (mtu > kIpv4MaximumMtu) mtu = kIpv4MaximumMtu;
    if (mtu < kIpv4MinimumMtu) mtu = kIpv4MinimumMtu;
    return static_cast<std::uint16_t>(mtu);
}

// ---- IPv4 -> IPv6: Fragment Header, fragmentation, Fragmentation Needed (RFC 7915 4, 4.1) -----

struct Ipv4ToIpv6Packet {
    std::uint16_t total_length = 0;   // IPv4 Total Length
    std::uint8_t header_length = 20;  // IHL * 4 (options are not translated, RFC 7915 1.2)
    bool dont_fragment = false;
    bool is_fragment = false;  // MF set or Fragment Offset non-zero
    std::uint32_t ipv6_next_hop_mtu = kUnknownMtu;
    std::uint32_t lowest_ipv6_mtu = kDefaultLowestIpv6Mtu;
};

enum class SizeAction : std::uint8_t {
    forward,           // translate as one packet
    fragment,          // translate into fragments, each carrying a Fragment Header
    send_too_big,      // drop and answer with Fragmentation Needed (4->6) / Packet Too Big (6->4)
    bad_next_hop_mtu,  // the next hop's MTU is below the family's minimum: configuration error
};

struct Ipv4ToIpv6SizeDecision {
    SizeAction action = SizeAction::forward;
    bool fragment_header = false;  // forward: whether the one IPv6 packet carries a Fragment Header
    std::uint32_t ipv6_length = 0;  // forward: the IPv6 packet's length, headers included
    std::uint32_t fragment_payload =
        0;                              // fragment: IPv4 payload bytes per fragment (multiple of 8)
    std::uint16_t frag_needed_mtu = 0;  // send_too_big: the MTU for the ICMPv4 error
    friend constexpr bool operator==(const Ipv4ToIpv6SizeDecision&,
                                     const Ipv4ToIpv6SizeDecision&) = default;
};

// RFC 7915 4 and 4.1:
//  - a Fragment Header is added only if the IPv4 packet is already a fragment; an unfragmented
//    packet never gets one, DF or not (4: "MUST NOT include the Fragment Header for the
//    non-fragmented IPv6 packets"; RFC 8021: no atomic fragments);
//  - DF set and too big for the IPv6 next hop: ICMPv4 Fragmentation Needed to the source;
//  - DF clear and bigger than lowest-ipv6-mtu (or the next hop): fragment so that every IPv6
//    fragment, Fragment Header included, fits.
// DEVIATION(RFC 7915 4.1): the DF test compares the next-hop MTU with the real IPv6 size (payload
// + 40, + 8 for a fragment) rather than "Total Length + 20": equal for option-less unfragmented
// packets, and the only one that never sends a fragment past the link MTU.
constexpr Ipv4ToIpv6SizeDecision decide_ipv4_to_ipv6_size(const Ipv4ToIpv6Packet& in) noexcept {
    Ipv4ToIpv6SizeDecision out;
    if (in.ipv6_next_hop_mtu < kIpv6MinimumMtu) {
        out.action = SizeAction::bad_next_hop_mtu;
        return out;
    }
    const std::uint32_t payload =
        static_cast<std::uint32_t>(detail::minus(in.total_length, in.header_length));
    const std::uint32_t frag = in.is_fragment ? kFragmentHeaderLength : 0;
    const std::uint32_t ipv6_length = kIpv6HeaderLength + frag + payload;

    if (in.dont_fragment) {
        if (ipv6_length <= in.ipv6_next_hop_mtu) {
            out.fragment_header = in.is_fragment;
            out.ipv6_length = ipv6_length;
            return out;
        }
        // The IPv4 size that would have fit, for the source's next attempt.
        std::uint64_t mtu = detail::minus(in.ipv6_next_hop_mtu, kIpv6Ipv4HeaderDelta + frag);
        if (mtu > kIpv4MaximumMtu) mtu = kIpv4MaximumMtu;
        out.action = SizeAction::send_too_big;
        out.frag_needed_mtu = static_cast<std::uint16_t>(mtu);
        return out;
    }

    // The administrator may only raise the threshold above 1280 (4.1).
    const std::uint32_t lowest =
        in.lowest_ipv6_mtu < kIpv6MinimumMtu ? kIpv6MinimumMtu : in.lowest_ipv6_mtu;
    const std::uint32_t limit = lowest < in.ipv6_next_hop_mtu ? lowest : in.ipv6_next_hop_mtu;
    if (ipv6_length <= limit) {
        out.fragment_header = in.is_fragment;
        out.ipv6_length = ipv6_length;
        return out;
    }
    // 4.1: fragments of at most lowest-ipv6-mtu with their Fragment Header (1232 payload bytes
    // at 1280); offsets count 8-byte units, so every fragment but the last is a multiple of 8.
    out.action = SizeAction::fragment;
    out.fragment_payload = (limit - kIpv6HeaderLength - kFragmentHeaderLength) & ~std::uint32_t{7};
    return out;
}

// ---- IPv6 -> IPv4: DF, fragmentation, Packet Too Big (RFC 7915 5, 5.1, 5.1.1) -----------------

// RFC 7915 5 and 5.1: without a Fragment Header, DF is clear up to 1260 bytes and set above;
// 5.1.1: a packet with a Fragment Header gets DF clear so IPv4 routers may fragment it further.
constexpr bool ipv4_dont_fragment(std::uint32_t ipv4_total_length,
                                  bool has_fragment_header) noexcept {
    if (has_fragment_header) return false;
    return ipv4_total_length > kIpv4DfThreshold;
}

struct Ipv6ToIpv4Packet {
    std::uint32_t ipv4_total_length = 0;  // the translated packet's Total Length
    bool has_fragment_header = false;
    std::uint32_t ipv4_next_hop_mtu = kUnknownMtu;
};

struct Ipv6ToIpv4SizeDecision {
    SizeAction action = SizeAction::forward;
    bool dont_fragment = false;  // forward / fragment: the DF bit of what is sent
    std::uint32_t fragment_payload =
        0;  // fragment: payload bytes per IPv4 fragment (multiple of 8)
    std::uint32_t packet_too_big_mtu = 0;  // send_too_big: the MTU for the ICMPv6 error
    friend constexpr bool operator==(const Ipv6ToIpv4SizeDecision&,
                                     const Ipv6ToIpv4SizeDecision&) = default;
};

// RFC 7915 1.4: the translator is a router: a packet too big for the IPv4 next hop is fragmented
// when its DF is clear (at most 1260 bytes, or already a fragment) and answered with Packet Too
// Big otherwise. That MTU is the IPv4 link's plus 20, but at least 1280: a host that then sends
// 1280 bytes produces 1260-byte IPv4 packets with DF clear, which IPv4 may fragment (RFC 7915 5).
constexpr Ipv6ToIpv4SizeDecision decide_ipv6_to_ipv4_size(const Ipv6ToIpv4Packet& in) noexcept {
    Ipv6ToIpv4SizeDecision out;
    if (in.ipv4_next_hop_mtu < kIpv4MinimumMtu) {
        out.action = SizeAction::bad_next_hop_mtu;
        return out;
    }
    out.dont_fragment = ipv4_dont_fragment(in.ipv4_total_length, in.has_fragment_header);
    if (in.ipv4_total_length <= in.ipv4_next_hop_mtu) return out;
    if (out.dont_fragment) {
        const std::uint64_t mtu = std::uint64_t{in.ipv4_next_hop_mtu} + kIpv6Ipv4HeaderDelta;
        out.action = SizeAction::send_too_big;
        out.dont_fragment = false;
        out.packet_too_big_mtu =
            mtu < kIpv6MinimumMtu ? kIpv6MinimumMtu : static_cast<std::uint32_t>(mtu);
        return out;
    }
    const std::uint32_t mtu =
        in.ipv4_next_hop_mtu > kIpv4MaximumMtu ? kIpv4MaximumMtu : in.ipv4_next_hop_mtu;
    out.action = SizeAction::fragment;
    out.fragment_payload = (mtu - kIpv4HeaderLength) & ~std::uint32_t{7};
    return out;
}

}  // namespace sixgate::xlat
