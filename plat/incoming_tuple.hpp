#pragma once
// RFC 6146 3.4 "Determining the Incoming Tuple": the transport addresses of a TCP, UDP or ICMP
// query packet, and for an ICMP error those of the packet it quotes, reversed (the quote travelled
// the other way). Entry points: incoming_tuple_6, incoming_tuple_4.

#include <cstddef>
#include <cstdint>

#include "net/packet/ipv4_view.hpp"
#include "net/packet/ipv6_view.hpp"
#include "net/result.hpp"
#include "plat/outgoing_tuple.hpp"
#include "plat/plat_translator.hpp"
#include "plat/plat_types.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/translation.hpp"

namespace sixgate::plat {

// Why a step refused a packet: one of the PLAT's reasons or one of the translator's.
struct StepDrop {
    bool translator = false;
    PlatDropReason plat = PlatDropReason::unknown_ip_version;
    xlat::DropReason xlat = xlat::DropReason::malformed_ipv4;

    static StepDrop of(PlatDropReason reason) noexcept { return {false, reason, {}}; }
    static StepDrop of(xlat::DropReason reason) noexcept { return {true, {}, reason}; }
};

enum class PacketKind : std::uint8_t {
    query,           // TCP, UDP or ICMP echo, whole or first fragment: the ports are there
    later_fragment,  // a fragment with a non-zero offset: no ports (the tuple's are zero)
    icmp_error,      // an ICMP error: the tuple is the quoted packet's, reversed
};

// From the IPv6 side. query / later_fragment: (X',x) -> (Y,y). icmp_error: the quote is
// (Y',y) -> (X',x); the tuple is (X',x) -> (Y,y), the session the error is about.
struct Incoming6 {
    PacketKind kind = PacketKind::query;
    Tuple6 tuple;
    TcpFlags flags;
    // The endpoint to rewrite: the outer source (query, later_fragment) or the quoted destination
    // (icmp_error), offsets from the start of the packet.
    Ipv6Endpoint endpoint;
    std::size_t icmp_offset = 0;  // icmp_error: the outer ICMPv6 header
};

// From the IPv4 side. query / later_fragment: (Z,z) -> (T,t). icmp_error: the quote is
// (T,t) -> (Z,z); the tuple is (Z,z) -> (T,t).
struct Incoming4 {
    PacketKind kind = PacketKind::query;
    Tuple4 tuple;
    TcpFlags flags;
    std::uint8_t protocol = 0;  // the IP protocol number (fragment key)
    std::uint16_t identification = 0;
    bool first_fragment = false;  // offset 0 and MF set: later fragments will need the client
};

// The IPv6 packet's destination must already be known to be under pool6 (RFC 6146 3.5). Y comes
// through `mapping` (RFC 6052, with its 3.1 refusal of non-global IPv4 addresses under the WKP).
Expected<Incoming6, StepDrop> incoming_tuple_6(const net::packet::Ipv6View& packet,
                                               const xlat::AddressMapping& mapping) noexcept;

Expected<Incoming4, StepDrop> incoming_tuple_4(const net::packet::Ipv4View& packet) noexcept;

}  // namespace sixgate::plat
