#pragma once
// RFC 6146 3.5 "Filtering and Updating Binding and Session Information": the session table does
// the work (SessionTable::from_ipv6 / from_ipv4); this step says which packets reach it (3.5: IPv6
// sources under pool6 are dropped, only pool6 / pool4 destinations are processed) and turns a
// refusal into the ICMP error the RFC asks for. Entry points: valid_ipv6_client,
// reply_for_state_drop, send_state_error.

#include <cstdint>

#include "net/ip_address.hpp"
#include "net/packet/ipv4_view.hpp"
#include "net/packet/packet_buffer.hpp"
#include "plat/plat_types.hpp"
#include "plat/session_table.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/translation.hpp"

namespace sixgate::plat {

// RFC 6146 3.5: an IPv6 client address the PLAT serves: unicast, not unspecified or loopback, not
// under pool6 (that would loop back through the PLAT) and not an IPv4-mapped stand-in.
bool valid_ipv6_client(const net::Ipv6Address& source,
                       const xlat::AddressMapping& mapping) noexcept;

// The error owed to the sender of a packet the table refused.
enum class StateReply : std::uint8_t {
    none,                        // silently dropped (or held)
    icmpv6_address_unreachable,  // 3.5.1.1, 3.5.2.2, 3.5.3: no transport address or session
    icmpv4_host_unreachable,     // 3.5.1, 3.5.3: no BIB entry for the IPv4 destination
    icmpv4_admin_prohibited,     // 3.5.1: address-dependent filtering
};

// RFC 6146 3.5.1-3.5.3 for each StateDrop, by direction and protocol.
StateReply reply_for_state_drop(StateDrop reason, L4Protocol protocol, bool from_ipv6) noexcept;

// Replaces the refused packet in `buffer` by the error `reply` names: an ICMPv6 Destination
// Unreachable from the translator's own IPv6 address, or an ICMPv4 Destination Unreachable from
// the pool4 address the packet was sent to. Verdict icmp_error, or drop when none may be sent
// (RFC 4443 2.4(e), RFC 1812 4.3.2.7) or reply is none.
xlat::TranslationResult send_state_error(net::packet::PacketBuffer& buffer, StateReply reply,
                                         const xlat::AddressMapping& mapping) noexcept;

// An ICMPv4 error about the IPv4 packet in `buffer` (viewed by `original`), sent from `source`
// (the pool4 address the packet was for) instead of the translator's own address.
bool icmp4_error_from(net::packet::PacketBuffer& buffer, const net::packet::Ipv4View& original,
                      std::uint8_t type, std::uint8_t code, net::Ipv4Address source,
                      const xlat::AddressMapping& mapping) noexcept;

}  // namespace sixgate::plat
