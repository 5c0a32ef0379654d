#include "xlat/icmp4_error.hpp"

#include <algorithm>

#include "net/byte_order.hpp"
#include "net/checksum.hpp"
#include "net/ipv4_scope.hpp"
#include "net/packet/header_writers.hpp"
#include "net/packet/protocol_numbers.hpp"
#include "net/packet/transport_views.hpp"

namespace sixgate::xlat {

namespace {

namespace packet = net::packet;

constexpr std::size_t kIcmpHeaderLength = 8;
constexpr std::size_t kHeadersLength = 20 + kIcmpHeaderLength;
// RFC 1812 4.3.2.3: an ICMP error carries as much of the original as fits in 576 bytes.
constexpr std::size_t kMaxErrorLength = 576;
constexpr std::uint8_t kErrorTtl = 64;
// RFC 1812 4.3.2.5: errors a router originates use precedence 6 (Internetwork Control).
constexpr std::uint8_t kErrorTos = 0xc0;

bool quotes_an_icmp_error(const packet::Ipv4View& original) noexcept {
    if (original.protocol() != packet::kProtoIcmp || !original.has_upper_layer_header())
        return false;
    const auto icmp = packet::IcmpView::parse(original.payload());
    // Too short to tell: treat it as an error, never answer it.
    return !icmp || icmp->is_error();
}

// RFC 1812 4.3.2.7: never an error about an ICMP error, a non-first fragment, a packet to a
// multicast or broadcast address, or from an address that is no single host.
bool may_answer(const packet::Ipv4View& original) noexcept {
    if (original.fragment_offset() != 0) return false;
    if (quotes_an_icmp_error(original)) return false;
    if (net::classify_ipv4(original.source()).reach == net::Ipv4Reach::not_unicast) return false;
    if (net::classify_ipv4(original.destination()).reach == net::Ipv4Reach::not_unicast)
        return false;
    return true;
}

}  // namespace

bool build_icmp4_error(packet::PacketBuffer& buffer, const packet::Ipv4View& original,
                       const Icmp4Error& error, const AddressMapping& mapping) noexcept {
    if (!may_answer(original) || buffer.headroom() < kHeadersLength) return false;
    const auto destination = original.source();
    const std::uint32_t hash = original.source().to_uint() ^
                               (original.destination().to_uint() * 2654435761u) ^
                               original.identification();
    const auto source = mapping.own_ipv4() ? *mapping.own_ipv4() : mapping.icmp_error_source(hash);
    const std::size_t quoted = std::min(original.bytes().size(), kMaxErrorLength - kHeadersLength);
    const auto identification = static_cast<std::uint16_t>(hash ^ (hash >> 16));

    // The original starts at the buffer's data: the headers go in front of it.
    if (!buffer.prepend(kHeadersLength)) return false;
    if (!buffer.set_length(kHeadersLength + quoted)) return false;  // within room: it shrank
    const auto out = buffer.data();
    packet::Ipv4HeaderFields ip;
    ip.tos = kErrorTos;
    ip.total_length = static_cast<std::uint16_t>(out.size());
    ip.identification = identification;
    ip.ttl = kErrorTtl;
    ip.protocol = packet::kProtoIcmp;
    ip.source = source;
    ip.destination = destination;
    if (packet::write_ipv4_header(out, ip) == 0) return false;

    const auto icmp = out.subspan(20);
    icmp[0] = std::byte{error.type};
    icmp[1] = std::byte{error.code};
    net::store_be16(icmp, 2, 0);
    net::store_be32(icmp, 4, error.rest_of_header);
    net::ChecksumAccumulator sum;  // RFC 792: over the ICMP message, no pseudo-header
    sum.add(std::span<const std::byte>(icmp));
    net::store_be16(icmp, 2, sum.checksum());
    return true;
}

}  // namespace sixgate::xlat
