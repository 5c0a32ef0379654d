#pragma once
// RFC 7915 4.5: TCP and UDP checksums across the IPv4 to IPv6 translation, the UDP zero
// checksum, and the pseudo-header change that ICMPv6 (4.2) and quoted packets (4.3) also need.
// Entry points: pseudo_header_change, translate_transport_4to6, translate_quoted_transport_4to6.

#include <cstddef>
#include <cstdint>
#include <span>

#include "net/ip_address.hpp"
#include "xlat/translation.hpp"

namespace sixgate::xlat {

// The four addresses of one packet before and after translation, and the folded one's-complement
// sums of the address part of each pseudo-header. TCP and UDP carry the same length and protocol
// in both pseudo-headers (RFC 768, RFC 8200 8.1), so the addresses are all that changes.
struct PseudoHeaderChange {
    net::Ipv6Address source{};
    net::Ipv6Address destination{};
    std::uint16_t ipv4_sum = 0;
    std::uint16_t ipv6_sum = 0;
};

PseudoHeaderChange pseudo_header_change(net::Ipv4Address source4, net::Ipv4Address destination4,
                                        const net::Ipv6Address& source6,
                                        const net::Ipv6Address& destination6) noexcept;

// DEVIATION(RFC 7915 4.1): Next Header is the copied Protocol, but a number IPv6 reads as an
// extension header (Hop-by-Hop, Routing, Fragment, Destination Options, Mobility, HIP, Shim6,
// the experimental 253/254) or as ICMPv6 has no meaning in IPv4: copied, it would make the IPv6
// side parse the payload as headers it never had (a spoofed Fragment or Hop-by-Hop header), so
// such a packet is dropped (unsupported_protocol).
bool is_translatable_protocol(std::uint8_t protocol) noexcept;

enum class TransportOutcome : std::uint8_t {
    translated,                  // checksum updated (or nothing to do for this protocol)
    malformed,                   // the TCP/UDP header is missing or inconsistent
    udp_zero_checksum,           // zero checksum and UdpZeroChecksumAction::drop
    udp_zero_checksum_fragment,  // zero checksum on a first fragment: cannot be computed
};

// The outer packet. `segment` is the IPv4 payload of an unfragmented packet or of a first
// fragment (more_fragments); non-first fragments carry no header and must not be passed.
// Rewrites the checksum in place. Protocols other than TCP and UDP are left alone (ICMP has its
// own step, xlat/icmp_4to6.hpp).
TransportOutcome translate_transport_4to6(std::span<std::byte> segment, std::uint8_t protocol,
                                          bool more_fragments, const PseudoHeaderChange& change,
                                          UdpZeroChecksumAction zero_checksum) noexcept;

// A packet quoted in an ICMP error (RFC 7915 4.3): usually truncated, so checksums are updated
// only incrementally and only when the field is in the bytes present; a zero UDP checksum stays
// zero (the datagram is not all there to compute one).
void translate_quoted_transport_4to6(std::span<std::byte> segment, std::uint8_t protocol,
                                     const PseudoHeaderChange& change) noexcept;

}  // namespace sixgate::xlat
