#pragma once
// RFC 7915 5.3: the IPv6 packet quoted in an ICMPv6 error, translated to IPv4 like an outer packet
// but without the hop-limit decrement. Entry points: plan_inner_packet_6to4,
// write_inner_packet_6to4.

#include <cstddef>
#include <cstdint>
#include <span>

#include "net/packet/header_writers.hpp"
#include "net/result.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/icmp_mapping.hpp"
#include "xlat/translation.hpp"
#include "xlat/transport_6to4.hpp"

namespace sixgate::xlat {

// Everything needed to rewrite a quoted packet, decided before a byte is written (so a packet that
// cannot be translated is dropped unchanged).
struct InnerPacket6to4 {
    net::packet::Ipv4HeaderFields header{};  // the translated IPv4 header
    std::size_t upper_layer_offset = 0;  // in the quoted bytes: the first byte after the IPv6 chain
    std::size_t end = 0;                 // bytes of the quoted packet present (at most its length)
    std::uint8_t ipv6_protocol = 0;      // the chain's last Next Header
    bool has_upper_layer_header = false;  // unfragmented or first fragment, chain ended normally
    bool has_fragment_header = false;
    AddressChange6to4 addresses{};
    // A quoted ICMPv6 informational message (RFC 7915 5.3: translated like an outer one).
    IcmpTranslation icmp{};
    bool rewrite_icmp = false;
    std::uint32_t icmpv6_length = 0;  // the quoted ICMPv6 message's full length (pseudo-header)

    // Where the IPv4 header goes in the quoted bytes, and how long the translated quote is.
    std::size_t ipv4_offset() const noexcept { return upper_layer_offset - 20; }
    std::size_t translated_length() const noexcept { return end - ipv4_offset(); }
};

// Reads and checks the quoted packet: parse_truncated (the fixed header and the whole extension
// chain must be present), both addresses mapped (RFC 7915 5.3), not itself an ICMPv6 error (RFC
// 4443 2.4(e), RFC 7915 5.2). Drop reasons: icmp_inner_malformed, icmp_error_in_error,
// icmp_untranslatable.
Expected<InnerPacket6to4, DropReason> plan_inner_packet_6to4(
    std::span<const std::byte> quoted, const AddressMapping& mapping) noexcept;

// Rewrites the quoted bytes in place: upper-layer checksum (and ICMP type) first, then the IPv4
// header at plan.ipv4_offset(), over the end of the IPv6 header chain.
void write_inner_packet_6to4(std::span<std::byte> quoted, const InnerPacket6to4& plan) noexcept;

}  // namespace sixgate::xlat
