#pragma once
// RFC 7915 4.2 (ICMPv4 to ICMPv6 messages) and 4.3 (the IPv4 packet quoted in an ICMPv4 error),
// with RFC 4884 multi-part messages. Entry points: translate_icmp4_informational,
// translate_icmp4_error. The type/code/pointer tables are xlat/icmp_mapping.hpp's, the MTU rule
// xlat/mtu.hpp's.

#include <cstdint>
#include <span>

#include "net/packet/ipv4_view.hpp"
#include "net/packet/packet_buffer.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/icmp_mapping.hpp"
#include "xlat/translation.hpp"
#include "xlat/transport_4to6.hpp"

namespace sixgate::xlat {

// An ICMPv4 query (echo request or reply) already decided to translate: rewrites type and code
// in place and updates the checksum by RFC 1624 for the type change and the ICMPv6
// pseudo-header (which ICMPv4 lacks), so a corrupt message stays corrupt end to end.
// `message` is the whole ICMPv4 message (at least 8 bytes).
void translate_icmp4_informational(std::span<std::byte> message, const IcmpTranslation& decision,
                                   const net::Ipv6Address& source,
                                   const net::Ipv6Address& destination) noexcept;

// The outer IPv6 header of the translated error, already decided by the caller (4.1).
struct OuterIpv6 {
    std::uint8_t traffic_class = 0;
    std::uint8_t hop_limit = 0;
    net::Ipv6Address source{};
    net::Ipv6Address destination{};
};

// An ICMPv4 error message already decided to translate (decision.is_error): verifies its
// checksum, translates the quoted packet (4.3), keeps or strips an RFC 4884 extension, bounds
// the result to 1280 bytes and computes the ICMPv6 checksum. On success `buffer` holds the
// whole IPv6 packet (verdict translated); otherwise a drop with its reason. `outer` views the
// IPv4 packet in `buffer`; it must not be a fragment.
TranslationResult translate_icmp4_error(net::packet::PacketBuffer& buffer,
                                        const net::packet::Ipv4View& outer,
                                        const IcmpTranslation& decision, const OuterIpv6& header,
                                        const AddressMapping& mapping,
                                        const TranslatorSettings& settings) noexcept;

}  // namespace sixgate::xlat
