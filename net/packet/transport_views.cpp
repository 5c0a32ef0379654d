#include "net/packet/transport_views.hpp"

#include "net/checksum.hpp"
#include "net/packet/protocol_numbers.hpp"

namespace sixgate::net::packet {

namespace {

// The datagram's bytes: Length of them, or all there are when truncation is allowed.
std::optional<std::span<const std::byte>> udp_bytes(std::span<const std::byte> bytes,
                                                    bool allow_truncated) noexcept {
    if (bytes.size() < UdpView::kHeaderLength) return std::nullopt;
    const std::size_t length = load_be16(bytes, 4);
    if (length < UdpView::kHeaderLength) return std::nullopt;
    if (bytes.size() < length) {
        if (!allow_truncated) return std::nullopt;
        return bytes;
    }
    return bytes.first(length);
}

}  // namespace

std::optional<UdpView> UdpView::parse(std::span<const std::byte> bytes) noexcept {
    const auto datagram = udp_bytes(bytes, false);
    if (!datagram) return std::nullopt;
    return UdpView(*datagram);
}

std::optional<UdpView> UdpView::parse_truncated(std::span<const std::byte> bytes) noexcept {
    const auto datagram = udp_bytes(bytes, true);
    if (!datagram) return std::nullopt;
    return UdpView(*datagram);
}

std::optional<TcpView> TcpView::parse(std::span<const std::byte> bytes) noexcept {
    if (bytes.size() < kMinHeaderLength) return std::nullopt;
    const std::size_t header_length =
        std::size_t{std::to_integer<std::uint8_t>(bytes[12])} >> 4 << 2;
    if (header_length < kMinHeaderLength || header_length > bytes.size()) return std::nullopt;
    return TcpView(bytes);
}

std::optional<IcmpView> IcmpView::parse(std::span<const std::byte> bytes) noexcept {
    if (bytes.size() < kHeaderLength) return std::nullopt;
    return IcmpView(bytes);
}

bool IcmpView::is_error() const noexcept {
    switch (type()) {
        case kDestinationUnreachable:
        case kSourceQuench:
        case kRedirect:
        case kTimeExceeded:
        case kParameterProblem:
            return true;
        default:
            return false;
    }
}

bool IcmpView::checksum_valid() const noexcept {
    ChecksumAccumulator sum;
    sum.add(bytes_);
    return sum.folded_sum() == 0xffff;
}

std::optional<Icmpv6View> Icmpv6View::parse(std::span<const std::byte> bytes) noexcept {
    if (bytes.size() < kHeaderLength) return std::nullopt;
    return Icmpv6View(bytes);
}

bool Icmpv6View::checksum_valid(const Ipv6Address& source,
                                const Ipv6Address& destination) const noexcept {
    return upper_layer_checksum(source, destination, kProtoIcmpv6, bytes_) == 0;
}

std::uint16_t upper_layer_checksum(const Ipv4Address& source, const Ipv4Address& destination,
                                   std::uint8_t protocol,
                                   std::span<const std::byte> segment) noexcept {
    // RFC 768: source, destination, zero, protocol, UDP/TCP length (16 bits).
    ChecksumAccumulator sum;
    sum.add(source);
    sum.add(destination);
    sum.add_u16(protocol);
    sum.add_u16(static_cast<std::uint16_t>(segment.size()));
    sum.add(segment);
    return sum.checksum();
}

std::uint16_t upper_layer_checksum(const Ipv6Address& source, const Ipv6Address& destination,
                                   std::uint8_t next_header,
                                   std::span<const std::byte> segment) noexcept {
    ChecksumAccumulator sum;
    add_ipv6_pseudo_header(sum, source, destination, static_cast<std::uint32_t>(segment.size()),
                           next_header);
    sum.add(segment);
    return sum.checksum();
}

}  // namespace sixgate::net::packet
