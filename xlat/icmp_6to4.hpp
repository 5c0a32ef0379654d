#pragma once
// RFC 7915 5.2 (ICMPv6 to ICMPv4 headers and error payloads), 5.3 (the quoted packet, via
// xlat/inner_packet_6to4.hpp), RFC 4884 (multi-part messages), RFC 1812 4.3.2.3 (576 bytes).
// Entry point: translate_icmp_6to4.

#include <cstddef>

#include "net/packet/ipv6_view.hpp"
#include "net/packet/packet_buffer.hpp"
#include "net/result.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/translation.hpp"

namespace sixgate::xlat {

// Where the translated ICMPv4 message lies in the buffer.
struct TranslatedIcmp6to4 {
    std::size_t ipv4_header_offset = 0;  // from the packet's start: where the IPv4 header goes
    std::size_t message_length = 0;      // ICMPv4 bytes right after that header
    bool is_error = false;
};

// Translates the unfragmented ICMPv6 message of `packet` (a view over `buffer`'s bytes) into ICMPv4
// in place. Informational messages keep their place and length; errors get their quoted packet
// translated (5.3), cut to fit a 576-byte ICMPv4 error, RFC 4884 extension moved behind it, and a
// fresh checksum. Nothing is written unless the result is a value. Drop reasons:
// malformed_transport, bad_transport_checksum (errors only), icmp_untranslatable,
// icmp_error_in_error, icmp_inner_malformed.
Expected<TranslatedIcmp6to4, DropReason> translate_icmp_6to4(
    net::packet::PacketBuffer& buffer, const net::packet::Ipv6View& packet,
    const AddressMapping& mapping, const TranslatorSettings& settings) noexcept;

}  // namespace sixgate::xlat
