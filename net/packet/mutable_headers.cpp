#include "net/packet/mutable_headers.hpp"

#include <cstring>

#include "net/checksum.hpp"

namespace sixgate::net::packet {

std::optional<MutableIpv4Header> MutableIpv4Header::wrap(std::span<std::byte> bytes) noexcept {
    if (bytes.size() < 20) return std::nullopt;
    const auto first = std::to_integer<std::uint8_t>(bytes[0]);
    const std::size_t header_length = std::size_t{first & 0x0fu} * 4;
    if (first >> 4 != 4 || header_length < 20 || header_length > bytes.size()) return std::nullopt;
    return MutableIpv4Header(bytes.first(header_length));
}

bool MutableIpv4Header::set_fragment(bool dont_fragment, bool more_fragments,
                                     std::uint32_t offset_bytes) noexcept {
    if (offset_bytes % 8 != 0 || offset_bytes > 65528) return false;
    // Bit 0 (reserved) is kept as it was.
    const std::uint16_t reserved = load_be16(bytes_, 6) & 0x8000;
    const auto value =
        static_cast<std::uint16_t>(reserved | (dont_fragment ? 0x4000 : 0) |
                                   (more_fragments ? 0x2000 : 0) | offset_bytes >> 3);
    store_be16(bytes_, 6, value);
    return true;
}

void MutableIpv4Header::fill_header_checksum() noexcept {
    set_header_checksum(0);
    ChecksumAccumulator sum;
    sum.add(std::span<const std::byte>(bytes_));
    set_header_checksum(sum.checksum());
}

void MutableIpv4Header::decrement_ttl() noexcept {
    // RFC 1624 3: TTL shares a 16-bit word with Protocol.
    const std::uint16_t old_word = load_be16(bytes_, 8);
    set_ttl(static_cast<std::uint8_t>(ttl() - 1));
    set_header_checksum(checksum_update16(header_checksum(), old_word, load_be16(bytes_, 8)));
}

std::optional<MutableIpv6Header> MutableIpv6Header::wrap(std::span<std::byte> bytes) noexcept {
    if (bytes.size() < kHeaderLength || std::to_integer<std::uint8_t>(bytes[0]) >> 4 != 6) {
        return std::nullopt;
    }
    return MutableIpv6Header(bytes.first(kHeaderLength));
}

void MutableIpv6Header::set_traffic_class(std::uint8_t traffic_class) noexcept {
    const std::uint32_t word = load_be32(bytes_, 0);
    store_be32(bytes_, 0, (word & 0xf00fffff) | std::uint32_t{traffic_class} << 20);
}

void MutableIpv6Header::set_flow_label(std::uint32_t flow_label) noexcept {
    const std::uint32_t word = load_be32(bytes_, 0);
    store_be32(bytes_, 0, (word & 0xfff00000) | (flow_label & 0x000fffff));
}

void MutableIpv6Header::set_address(std::size_t at, const Ipv6Address& address) noexcept {
    std::memcpy(bytes_.data() + at, address.bytes().data(), address.bytes().size());
}

std::optional<MutableUdpHeader> MutableUdpHeader::wrap(std::span<std::byte> bytes) noexcept {
    if (bytes.size() < 8) return std::nullopt;
    return MutableUdpHeader(bytes.first(8));
}

std::optional<MutableTcpHeader> MutableTcpHeader::wrap(std::span<std::byte> bytes) noexcept {
    if (bytes.size() < 20) return std::nullopt;
    return MutableTcpHeader(bytes.first(20));
}

std::optional<MutableIcmpHeader> MutableIcmpHeader::wrap(std::span<std::byte> bytes) noexcept {
    if (bytes.size() < 8) return std::nullopt;
    return MutableIcmpHeader(bytes.first(8));
}

}  // namespace sixgate::net::packet
