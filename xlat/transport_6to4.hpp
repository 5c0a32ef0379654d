#pragma once
// RFC 7915 5.5 (TCP/UDP checksums across IPv6 to IPv4), 5.2 (ICMPv6 informational checksum), with
// RFC 1624 incremental updates. Entry points: update_transport_checksum_6to4,
// rewrite_icmp_header_6to4.

#include <cstdint>
#include <span>

#include "net/ip_address.hpp"
#include "xlat/icmp_mapping.hpp"

namespace sixgate::xlat {

// The addresses of one packet before and after translation.
struct AddressChange6to4 {
    net::Ipv6Address source6{};
    net::Ipv6Address destination6{};
    net::Ipv4Address source4{};
    net::Ipv4Address destination4{};
};

// RFC 7915 5.5: the TCP or UDP checksum after the pseudo-header changed from IPv6 to IPv4 addresses
// (length and protocol are the same in both pseudo-headers, so only the addresses count). `segment`
// is what is present of the upper-layer data (a quoted segment may be cut short): a checksum field
// that is not there is left alone, as is any other protocol. A UDP checksum of zero (no checksum:
// RFC 6936 tunnels) stays zero; a computed zero is sent as all ones (RFC 768).
void update_transport_checksum_6to4(std::span<std::byte> segment, std::uint8_t protocol,
                                    const AddressChange6to4& addresses) noexcept;

// RFC 7915 5.2: rewrites an ICMPv6 message's type and code into the ICMPv4 ones `icmp` gives and
// updates the checksum incrementally: the ICMPv6 pseudo-header (addresses, `icmpv6_length`, 58)
// leaves the sum, since ICMPv4 has none (RFC 792), and the type/code word changes. The rest of the
// message is unchanged, so this suits echo messages; `message` must hold at least the 4 bytes of
// type, code and checksum.
void rewrite_icmp_header_6to4(std::span<std::byte> message, const IcmpTranslation& icmp,
                              const net::Ipv6Address& source, const net::Ipv6Address& destination,
                              std::uint32_t icmpv6_length) noexcept;

}  // namespace sixgate::xlat
