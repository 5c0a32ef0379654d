#include "plat/outgoing_tuple.hpp"

#include <cstring>

#include "net/byte_order.hpp"
#include "net/packet/protocol_numbers.hpp"
#include "net/packet/transport_views.hpp"

namespace sixgate::plat {

namespace {

constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kIcmpIdentifierOffset = 4;

thread_local std::uint16_t next_identification = 0;

void add_port(net::ChecksumAccumulator& sum, std::uint16_t port) noexcept {
    sum.add_u16(port);
}

}  // namespace

net::Ipv6Address stand_in_address(net::Ipv4Address address) noexcept {
    net::Ipv6Address::Bytes bytes{};
    bytes[10] = 0xff;
    bytes[11] = 0xff;
    const auto v4 = address.bytes();
    std::memcpy(bytes.data() + 12, v4.data(), 4);
    return net::Ipv6Address(bytes);
}

net::Ipv6Prefix stand_in_prefix(const net::Ipv4Prefix& prefix) {
    return net::Ipv6Prefix(stand_in_address(prefix.address()), 96 + prefix.length());
}

bool is_stand_in(const net::Ipv6Address& address) noexcept {
    const auto& b = address.bytes();
    for (int i = 0; i < 10; ++i)
        if (b[i] != 0) return false;
    return b[10] == 0xff && b[11] == 0xff;
}

std::size_t checksum_offset(L4Protocol protocol) noexcept {
    switch (protocol) {
        case L4Protocol::tcp:
            return 16;
        case L4Protocol::udp:
            return 6;
        case L4Protocol::icmp:
            return 2;
    }
    return 6;
}

std::size_t port_offset(L4Protocol protocol, bool source) noexcept {
    if (protocol == L4Protocol::icmp) return kIcmpIdentifierOffset;
    return source ? 0 : 2;
}

bool read_endpoint_port(std::span<const std::byte> bytes, const Ipv6Endpoint& endpoint,
                        std::uint16_t& port) noexcept {
    if (endpoint.upper_layer_at == kNoUpperLayer) return false;
    const std::size_t at =
        endpoint.upper_layer_at + port_offset(endpoint.protocol, endpoint.source);
    if (at + 2 > bytes.size()) return false;
    port = net::load_be16(bytes, at);
    return true;
}

ChecksumDelta rewrite_ipv6_endpoint(std::span<std::byte> bytes, const Ipv6Endpoint& endpoint,
                                    const Ipv6Transport& to, bool change_port) noexcept {
    ChecksumDelta delta;
    if (endpoint.address_at + 16 > bytes.size()) return delta;
    net::Ipv6Address::Bytes old_bytes;
    std::memcpy(old_bytes.data(), bytes.data() + endpoint.address_at, 16);
    const net::Ipv6Address old_address(old_bytes);
    std::memcpy(bytes.data() + endpoint.address_at, to.address.bytes().data(), 16);
    // The address is in the pseudo-header of the upper layer's checksum (RFC 8200 8.1) and in
    // whatever covers the header bytes themselves.
    net::ChecksumAccumulator inner_removed;
    net::ChecksumAccumulator inner_added;
    inner_removed.add(old_address);
    inner_added.add(to.address);
    delta.removed.add(old_address);
    delta.added.add(to.address);

    if (endpoint.upper_layer_at == kNoUpperLayer) return delta;
    const std::size_t l4 = endpoint.upper_layer_at;
    if (change_port) {
        const std::size_t at = l4 + port_offset(endpoint.protocol, endpoint.source);
        if (at + 2 <= bytes.size()) {
            const std::uint16_t old_port = net::load_be16(bytes, at);
            net::store_be16(bytes, at, to.port);
            add_port(inner_removed, old_port);
            add_port(inner_added, to.port);
            add_port(delta.removed, old_port);
            add_port(delta.added, to.port);
        }
    }
    const std::size_t at = l4 + checksum_offset(endpoint.protocol);
    if (at + 2 > bytes.size()) return delta;
    const std::uint16_t old_checksum = net::load_be16(bytes, at);
    // RFC 768 / RFC 6936: a UDP datagram sent without a checksum keeps none.
    if (endpoint.protocol == L4Protocol::udp && old_checksum == 0) return delta;
    std::uint16_t checksum =
        net::checksum_update(old_checksum, inner_removed.folded_sum(), inner_added.folded_sum());
    // RFC 768: a computed zero is sent as all ones.
    if (endpoint.protocol == L4Protocol::udp && checksum == 0) checksum = 0xffff;
    net::store_be16(bytes, at, checksum);
    delta.removed.add_u16(old_checksum);
    delta.added.add_u16(checksum);
    return delta;
}

bool fill_icmpv6_checksum(std::span<std::byte> packet) noexcept {
    if (packet.size() < kIpv6Header + 4) return false;
    if (std::to_integer<std::uint8_t>(packet[6]) != net::packet::kProtoIcmpv6) return false;
    const std::size_t length = kIpv6Header + net::load_be16(packet, 4);
    if (length > packet.size()) return false;
    net::Ipv6Address::Bytes source{};
    net::Ipv6Address::Bytes destination{};
    std::memcpy(source.data(), packet.data() + 8, 16);
    std::memcpy(destination.data(), packet.data() + 24, 16);
    const auto message = packet.subspan(kIpv6Header, length - kIpv6Header);
    net::store_be16(message, 2, 0);
    net::store_be16(
        message, 2,
        net::packet::upper_layer_checksum(net::Ipv6Address(source), net::Ipv6Address(destination),
                                          net::packet::kProtoIcmpv6, message));
    return true;
}

std::uint16_t next_ipv4_identification() noexcept {
    return next_identification++;
}

void seed_ipv4_identification(std::uint16_t next) noexcept {
    next_identification = next;
}

}  // namespace sixgate::plat
