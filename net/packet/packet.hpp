#pragma once
// RFC 791, 8200 (extension headers, 4.5 fragments), 768, 9293, 792, 4443, 1071/1624 (checksums).
// Entry points: Ipv4View/Ipv6View::parse(_truncated), UdpView, TcpView, IcmpView, Icmpv6View,
// Mutable*Header::wrap, write_ipv4_header/write_ipv6_header, PacketBuffer.

#include "net/packet/extension_headers.hpp"  // IWYU pragma: export
#include "net/packet/header_writers.hpp"     // IWYU pragma: export
#include "net/packet/ipv4_view.hpp"          // IWYU pragma: export
#include "net/packet/ipv6_view.hpp"          // IWYU pragma: export
#include "net/packet/mutable_headers.hpp"    // IWYU pragma: export
#include "net/packet/packet_buffer.hpp"      // IWYU pragma: export
#include "net/packet/protocol_numbers.hpp"   // IWYU pragma: export
#include "net/packet/transport_views.hpp"    // IWYU pragma: export
