#include "xlat/icmp6_error_reply.hpp"

#include <cstring>
#include <optional>
#include <span>

#include "net/byte_order.hpp"
#include "net/checksum.hpp"
#include "net/packet/header_writers.hpp"
#include "net/packet/ipv6_view.hpp"
#include "net/packet/protocol_numbers.hpp"

namespace sixgate::xlat {

namespace {

namespace pk = net::packet;

// RFC 4443 2.4(c): an error message may not exceed the minimum IPv6 MTU.
constexpr std::size_t kMaxErrorLength = 1280;
constexpr std::size_t kErrorHeaders = pk::Ipv6View::kHeaderLength + 8;
// RFC 7915 5.4 leaves the hop limit to the translator; 64 is the usual initial value (RFC 1700).
constexpr std::uint8_t kErrorHopLimit = 64;

TranslationResult dropped(DropReason reason) noexcept {
    TranslationResult result;
    result.verdict = Verdict::drop;
    result.reason = reason;
    return result;
}

// RFC 4443 2.4(e): no error about an ICMPv6 error, nor about a packet whose source is not one
// unicast node (unspecified or multicast). The packet was parsed by the caller; a packet that no
// longer parses gets no error either.
bool error_allowed(std::span<const std::byte> packet) noexcept {
    const auto view = pk::Ipv6View::parse(packet);
    if (!view) return false;
    const net::Ipv6Address source = view->source();
    if (source.bytes()[0] == 0xff || source == net::Ipv6Address()) return false;
    if (view->upper_layer_protocol() == pk::kProtoIcmpv6 &&
        view->chain_end() == pk::ChainEnd::upper_layer) {
        const auto l4 = view->upper_layer_payload();
        if (!l4.empty() && std::to_integer<std::uint8_t>(l4[0]) < 128) return false;
    }
    return true;
}

}  // namespace

TranslationResult reply_with_icmpv6_error(net::packet::PacketBuffer& buffer,
                                          std::size_t packet_length, const AddressMapping& mapping,
                                          const Icmpv6ErrorFields& error,
                                          DropReason reason) noexcept {
    if (packet_length > buffer.size() || packet_length < pk::Ipv6View::kHeaderLength)
        return dropped(reason);
    // RFC 7915 5.4: the error comes from the translator's own IPv6 address; without one there is
    // nothing valid to send from, so the packet is dropped silently (and counted).
    if (!mapping.own_ipv6()) return dropped(reason);
    if (!error_allowed(buffer.data().first(packet_length))) return dropped(reason);

    net::Ipv6Address::Bytes source_bytes;
    std::memcpy(source_bytes.data(), buffer.data().data() + 8, source_bytes.size());
    const net::Ipv6Address destination(source_bytes);
    const net::Ipv6Address source = *mapping.own_ipv6();

    // RFC 4443 2.4(c): as much of the invoking packet as fits.
    const std::size_t quoted = packet_length < kMaxErrorLength - kErrorHeaders
                                   ? packet_length
                                   : kMaxErrorLength - kErrorHeaders;
    if (!buffer.prepend(kErrorHeaders)) {
        // Not enough headroom: move the quote back to the default headroom. The storage is
        // inline, so the old bytes are still there after reset().
        const std::byte* old = buffer.data().data();
        const auto space = buffer.reset();
        std::memmove(space.data() + kErrorHeaders, old, quoted);
    }
    if (!buffer.set_length(kErrorHeaders + quoted)) return dropped(DropReason::output_too_small);
    const auto out = buffer.data();

    pk::Ipv6HeaderFields ip;
    ip.payload_length = static_cast<std::uint16_t>(8 + quoted);
    ip.next_header = pk::kProtoIcmpv6;
    ip.hop_limit = kErrorHopLimit;
    ip.source = source;
    ip.destination = destination;
    if (pk::write_ipv6_header(out, ip) == 0) return dropped(DropReason::output_too_small);

    const auto icmp = out.subspan(pk::Ipv6View::kHeaderLength);
    icmp[0] = std::byte{error.type};
    icmp[1] = std::byte{error.code};
    net::store_be16(icmp, 2, 0);
    net::store_be32(icmp, 4, error.rest_of_header);
    // RFC 4443 2.3: the checksum covers the IPv6 pseudo-header and the whole message.
    net::ChecksumAccumulator sum;
    net::add_ipv6_pseudo_header(sum, source, destination, static_cast<std::uint32_t>(icmp.size()),
                                pk::kProtoIcmpv6);
    sum.add(std::span<const std::byte>(icmp));
    net::store_be16(icmp, 2, sum.checksum());

    TranslationResult result;
    result.verdict = Verdict::icmp_error;
    result.reason = reason;
    result.length = buffer.size();
    result.fragment_count = 1;
    result.fragment_lengths[0] = static_cast<std::uint16_t>(buffer.size());
    return result;
}

}  // namespace sixgate::xlat
