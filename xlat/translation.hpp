#pragma once
// What both directions of the stateless translator (RFC 7915) share: the settings, the outcome of
// translating one packet, and the drop reasons (one counter each, DESIGN.md "The data path").
// Entry points: translate_ipv4_to_ipv6() in xlat/ipv4_to_ipv6.hpp, translate_ipv6_to_ipv4() in
// xlat/ipv6_to_ipv4.hpp.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "xlat/mtu.hpp"

namespace sixgate::xlat {

enum class UdpZeroChecksumAction : std::uint8_t {
    compute,  // RFC 7915 4.5: a stateless translator may compute the checksum and forward
    drop,     // RFC 7915 4.5: or drop the packet (and count it)
};

struct TranslatorSettings {
    std::uint32_t lowest_ipv6_mtu = kDefaultLowestIpv6Mtu;  // RFC 7915 4.1 "lowest-ipv6-mtu"
    std::uint32_t ipv6_next_hop_mtu = kUnknownMtu;          // MTU of the link IPv6 packets leave on
    std::uint32_t ipv4_next_hop_mtu = kUnknownMtu;          // MTU of the link IPv4 packets leave on
    UdpZeroChecksumAction udp_zero_checksum = UdpZeroChecksumAction::compute;
    // As a router (CLAT, PLAT, `sixgate translate`): TTL / hop limit is decremented, and a packet
    // that arrives with 1 is answered with ICMP Time Exceeded instead (RFC 7915 4.1, 5.1).
    bool decrement_ttl = true;
};

enum class Verdict : std::uint8_t {
    translated,  // `out` holds the translated packet (possibly several fragments: see below)
    icmp_error,  // not translated; `out` holds an ICMP error to send back to the source
    drop,        // nothing to send; `reason` says why
};

// Every reason a packet is dropped, in either direction. Names are stable counter names.
enum class DropReason : std::uint8_t {
    malformed_ipv4,             // Ipv4View::parse failed (bad version, IHL, lengths)
    malformed_ipv6,             // Ipv6View::parse failed (lengths, extension header chain)
    bad_ipv4_header_checksum,
    malformed_transport,        // TCP/UDP/ICMP header missing or shorter than its minimum
    bad_transport_checksum,     // the incoming L4 checksum is wrong (only where it is verified)
    source_unmapped,            // the source address has no mapping
    destination_unmapped,       // the destination address has no mapping
    well_known_prefix_non_global,  // RFC 6052 3.1
    ttl_expired,                // TTL / hop limit reached 0; an ICMP error was built instead
    ipv4_options_source_route,  // RFC 7915 4.1: an unexpired source route option
    ipv6_routing_header,        // RFC 7915 5.1: a routing header with segments left
    ipv6_unsupported_extension, // ESP, AH (translated? no: dropped), unknown extension headers
    fragmented_icmp,            // RFC 7915 4.1 / 5.1: fragmented ICMP cannot be translated
    udp_zero_checksum,          // RFC 7915 4.5 with UdpZeroChecksumAction::drop
    udp_zero_checksum_fragment, // RFC 7915 4.5: zero checksum on a fragment: cannot compute
    icmp_untranslatable,        // type/code/pointer the RFC says to drop (xlat/icmp_mapping.hpp)
    icmp_error_in_error,        // an ICMP error quoting an ICMP error (RFC 7915 4.2/5.2, RFC 1812)
    icmp_inner_malformed,       // the packet quoted in an ICMP error cannot be parsed or mapped
    packet_too_big,             // needs fragmenting but DF set: an ICMP error was built instead
    unsupported_protocol,       // e.g. IGMP, or IPv6 next header with no IPv4 equivalent
    output_too_small,           // the caller's output buffer cannot hold the result
    hairpin,                    // RFC 7757: sent back to IPv6 instead (counted, not an error)
    fragment_beyond_65535,      // offset + length past 65535: no datagram holds it (RFC 8200 4.5)
};

inline constexpr std::size_t kDropReasonCount = 23;

std::string_view to_string(DropReason reason) noexcept;

// The outcome for one input packet.
struct TranslationResult {
    Verdict verdict = Verdict::drop;
    DropReason reason = DropReason::malformed_ipv4;  // meaningful for drop and icmp_error
    // Bytes written into the caller's output buffer. When the translator fragments (IPv4 to IPv6
    // of a packet larger than the IPv6 MTU with DF clear), the fragments are written back to
    // back and `fragment_count` > 1; `fragment_lengths[i]` gives each one's length.
    std::size_t length = 0;
    std::size_t fragment_count = 0;
    std::array<std::uint16_t, 64> fragment_lengths{};  // 65535 bytes at 1280 need 54
};

// Per-reason drop counters; per thread (no atomics needed inside one thread).
struct DropCounters {
    std::array<std::uint64_t, kDropReasonCount> by_reason{};
    std::uint64_t translated = 0;
    std::uint64_t icmp_errors_sent = 0;
    void count(const TranslationResult& result) noexcept {
        if (result.verdict == Verdict::translated) ++translated;
        else ++by_reason[static_cast<std::size_t>(result.reason)];
        if (result.verdict == Verdict::icmp_error) ++icmp_errors_sent;
    }
};

}  // namespace sixgate::xlat
