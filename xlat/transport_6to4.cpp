#include "xlat/transport_6to4.hpp"

#include "net/byte_order.hpp"
#include "net/checksum.hpp"
#include "net/packet/protocol_numbers.hpp"

namespace sixgate::xlat {

namespace pk = net::packet;

namespace {

constexpr std::size_t kTcpChecksumOffset = 16;
constexpr std::size_t kUdpChecksumOffset = 6;
constexpr std::size_t kIcmpChecksumOffset = 2;

}  // namespace

void update_transport_checksum_6to4(std::span<std::byte> segment, std::uint8_t protocol,
                                    const AddressChange6to4& addresses) noexcept {
    std::size_t at = 0;
    if (protocol == pk::kProtoTcp)
        at = kTcpChecksumOffset;
    else if (protocol == pk::kProtoUdp)
        at = kUdpChecksumOffset;
    else
        return;
    if (segment.size() < at + 2) return;
    const std::uint16_t old_checksum = net::load_be16(segment, at);
    // RFC 768 / RFC 6936: UDP without a checksum stays without one (IPv4 allows it).
    if (protocol == pk::kProtoUdp && old_checksum == 0) return;
    net::ChecksumAccumulator old_sum;
    old_sum.add(addresses.source6);
    old_sum.add(addresses.destination6);
    net::ChecksumAccumulator new_sum;
    new_sum.add(addresses.source4);
    new_sum.add(addresses.destination4);
    std::uint16_t checksum =
        net::checksum_update(old_checksum, old_sum.folded_sum(), new_sum.folded_sum());
    // RFC 768: a computed checksum of zero is transmitted as all ones.
    if (protocol == pk::kProtoUdp && checksum == 0) checksum = 0xffff;
    net::store_be16(segment, at, checksum);
}

void rewrite_icmp_header_6to4(std::span<std::byte> message, const IcmpTranslation& icmp,
                              const net::Ipv6Address& source, const net::Ipv6Address& destination,
                              std::uint32_t icmpv6_length) noexcept {
    if (message.size() < kIcmpChecksumOffset + 2) return;
    const std::uint16_t old_word = net::load_be16(message, 0);
    const auto new_word = static_cast<std::uint16_t>(std::uint16_t{icmp.type} << 8 | icmp.code);
    net::ChecksumAccumulator old_sum;
    net::add_ipv6_pseudo_header(old_sum, source, destination, icmpv6_length, pk::kProtoIcmpv6);
    old_sum.add_u16(old_word);
    net::ChecksumAccumulator new_sum;
    new_sum.add_u16(new_word);
    const std::uint16_t old_checksum = net::load_be16(message, kIcmpChecksumOffset);
    net::store_be16(message, 0, new_word);
    net::store_be16(message, kIcmpChecksumOffset,
                    net::checksum_update(old_checksum, old_sum.folded_sum(), new_sum.folded_sum()));
}

}  // namespace sixgate::xlat
