#include "net/tun/gso_split.hpp"

#include <algorithm>
#include <cstring>

#include "net/byte_order.hpp"
#include "net/checksum.hpp"

namespace sixgate::net::tun {
namespace {

constexpr std::uint8_t kProtocolTcp = 6;
constexpr std::uint8_t kProtocolUdp = 17;
constexpr std::size_t kIpv4HeaderMin = 20;
constexpr std::size_t kIpv6HeaderLength = 40;
constexpr std::size_t kTcpHeaderMin = 20;
constexpr std::size_t kUdpHeaderLength = 8;
constexpr std::size_t kTcpChecksumOffset = 16;
constexpr std::size_t kUdpChecksumOffset = 6;
constexpr std::size_t kMaxIpLength = 65535;
constexpr std::uint8_t kTcpFin = 0x01;
constexpr std::uint8_t kTcpPsh = 0x08;
constexpr std::uint8_t kTcpCwr = 0x80;

std::uint8_t byte_at(std::span<const std::byte> bytes, std::size_t at) noexcept {
    return std::to_integer<std::uint8_t>(bytes[at]);
}

// The IP version the GSO type allows, and the transport protocol it carries.
bool type_matches(std::uint8_t kind, std::uint8_t version, std::uint8_t& protocol) noexcept {
    switch (kind) {
        case VirtioNetHeader::kGsoTcpV4:
            protocol = kProtocolTcp;
            return version == 4;
        case VirtioNetHeader::kGsoTcpV6:
            protocol = kProtocolTcp;
            return version == 6;
        case VirtioNetHeader::kGsoUdpL4:
            protocol = kProtocolUdp;
            return version == 4 || version == 6;
        default:
            return false;
    }
}

// Writes segment `index` of super into `out` (which may be super's own bytes for index 0: the
// header and payload then already sit where they belong and are not copied).
void write_segment(std::span<const std::byte> super, const GsoLayout& layout, std::size_t index,
                   std::span<std::byte> out) noexcept {
    const std::size_t data_at = layout.header_length + index * layout.segment_size;
    const std::size_t data_length = std::min(layout.segment_size, super.size() - data_at);
    const bool last = index + 1 == layout.segment_count;
    const std::size_t total = layout.header_length + data_length;
    if (out.data() != super.data()) {
        std::memcpy(out.data(), super.data(), layout.header_length);
        std::memcpy(out.data() + layout.header_length, super.data() + data_at, data_length);
    }
    const auto packet = out.first(total);
    const std::size_t l4 = layout.transport_offset;
    const std::size_t l4_length = total - l4;

    if (layout.ip_version == 4) {
        const std::size_t ihl = l4;  // checked: csum_start == IHL * 4
        store_be16(packet, 2, static_cast<std::uint16_t>(total));
        // Linux TSO gives each segment the next Identification (unless FIXEDID): do the same.
        store_be16(packet, 4, static_cast<std::uint16_t>(load_be16(super, 4) + index));
        store_be16(packet, 10, 0);
        ChecksumAccumulator ip_sum;
        ip_sum.add(std::span<const std::byte>(packet.first(ihl)));
        store_be16(packet, 10, ip_sum.checksum());
    } else {
        store_be16(packet, 4, static_cast<std::uint16_t>(total - kIpv6HeaderLength));
    }

    std::size_t checksum_at = 0;
    if (layout.protocol == kProtocolTcp) {
        store_be32(
            packet, l4 + 4,
            static_cast<std::uint32_t>(load_be32(super, l4 + 4) + index * layout.segment_size));
        auto flags = byte_at(super, l4 + 13);
        if (!last) flags = static_cast<std::uint8_t>(flags & ~(kTcpFin | kTcpPsh));
        if (index != 0) flags = static_cast<std::uint8_t>(flags & ~kTcpCwr);
        packet[l4 + 13] = std::byte{flags};
        checksum_at = l4 + kTcpChecksumOffset;
    } else {
        store_be16(packet, l4 + 4, static_cast<std::uint16_t>(l4_length));
        checksum_at = l4 + kUdpChecksumOffset;
    }

    // RFC 793 3.1 / RFC 768 / RFC 8200 8.1: pseudo-header (addresses, protocol, transport
    // length) plus the transport header and data. DEVIATION(RFC 8200 8.1): with a Routing header
    // the pseudo-header should carry the final destination; TSO packets from the local stack
    // carry none.
    store_be16(packet, checksum_at, 0);
    ChecksumAccumulator sum;
    const std::span<const std::byte> addresses =
        layout.ip_version == 4 ? std::span<const std::byte>(packet.subspan(12, 8))
                               : std::span<const std::byte>(packet.subspan(8, 32));
    sum.add(addresses);
    sum.add_u16(layout.protocol);
    sum.add_u32(static_cast<std::uint32_t>(l4_length));
    sum.add(std::span<const std::byte>(packet.subspan(l4)));
    std::uint16_t checksum = sum.checksum();
    if (layout.protocol == kProtocolUdp && checksum == 0) checksum = 0xffff;  // RFC 768
    store_be16(packet, checksum_at, checksum);
}

}  // namespace

std::string_view to_string(GsoError error) noexcept {
    switch (error) {
        case GsoError::kUnsupportedType:
            return "unsupported gso type";
        case GsoError::kIpVersionMismatch:
            return "ip version does not match gso type";
        case GsoError::kBadIpHeader:
            return "bad ip header";
        case GsoError::kBadChecksumStart:
            return "csum_start is not the transport header";
        case GsoError::kBadChecksumOffset:
            return "csum_offset is not the transport checksum";
        case GsoError::kBadTransportHeader:
            return "bad transport header";
        case GsoError::kNoPayload:
            return "no payload";
        case GsoError::kZeroSegmentSize:
            return "gso_size is 0";
        case GsoError::kOutputTooSmall:
            return "too few output buffers";
    }
    return "unknown gso error";
}

Expected<GsoLayout, GsoError> inspect_gso(std::span<const std::byte> super,
                                          const VirtioNetHeader& header) noexcept {
    const std::uint8_t kind = header.gso_kind();
    if (kind != VirtioNetHeader::kGsoTcpV4 && kind != VirtioNetHeader::kGsoTcpV6 &&
        kind != VirtioNetHeader::kGsoUdpL4)
        return GsoError::kUnsupportedType;
    if (super.empty()) return GsoError::kBadIpHeader;
    GsoLayout layout;
    layout.ip_version = static_cast<std::uint8_t>(byte_at(super, 0) >> 4);
    if (!type_matches(kind, layout.ip_version, layout.protocol))
        return GsoError::kIpVersionMismatch;
    if (header.gso_size == 0) return GsoError::kZeroSegmentSize;
    layout.segment_size = header.gso_size;
    layout.transport_offset = header.csum_start;

    if (layout.ip_version == 4) {
        if (super.size() < kIpv4HeaderMin) return GsoError::kBadIpHeader;
        const std::size_t ihl = std::size_t{byte_at(super, 0) & 0x0fu} * 4;
        if (ihl < kIpv4HeaderMin || ihl > super.size()) return GsoError::kBadIpHeader;
        // A fragment cannot be segmented (and the stack never hands one to TSO).
        if ((load_be16(super, 6) & 0x3fff) != 0) return GsoError::kBadIpHeader;
        if (byte_at(super, 9) != layout.protocol) return GsoError::kBadIpHeader;
        if (header.csum_start != ihl) return GsoError::kBadChecksumStart;
    } else {
        if (super.size() < kIpv6HeaderLength) return GsoError::kBadIpHeader;
        // Extension headers may sit between; without them Next Header must be the protocol.
        if (header.csum_start < kIpv6HeaderLength) return GsoError::kBadChecksumStart;
        if (header.csum_start == kIpv6HeaderLength && byte_at(super, 6) != layout.protocol)
            return GsoError::kBadIpHeader;
    }

    const std::size_t l4 = layout.transport_offset;
    std::size_t transport_header = kUdpHeaderLength;
    std::size_t checksum_offset = kUdpChecksumOffset;
    if (layout.protocol == kProtocolTcp) {
        if (super.size() < l4 + kTcpHeaderMin) return GsoError::kBadTransportHeader;
        transport_header = std::size_t{byte_at(super, l4 + 12)} / 16 * 4;
        if (transport_header < kTcpHeaderMin) return GsoError::kBadTransportHeader;
        checksum_offset = kTcpChecksumOffset;
    }
    if (header.csum_offset != checksum_offset) return GsoError::kBadChecksumOffset;
    if (super.size() < l4 + transport_header) return GsoError::kBadTransportHeader;
    layout.header_length = l4 + transport_header;
    layout.payload_length = super.size() - layout.header_length;
    if (layout.payload_length == 0) return GsoError::kNoPayload;
    // Each segment must fit a 16-bit IP length field.
    if (layout.header_length + layout.segment_size > kMaxIpLength)
        layout.segment_size = kMaxIpLength - layout.header_length;
    layout.segment_count = (layout.payload_length + layout.segment_size - 1) / layout.segment_size;
    return layout;
}

Expected<std::size_t, GsoError> split_gso(std::span<const std::byte> super,
                                          const VirtioNetHeader& header,
                                          std::span<packet::PacketBuffer* const> out,
                                          std::size_t first_segment) noexcept {
    auto layout = inspect_gso(super, header);
    if (!layout) return layout.error();
    std::size_t written = 0;
    for (std::size_t index = first_segment; index < layout->segment_count && written < out.size();
         ++index, ++written) {
        packet::PacketBuffer& buffer = *out[written];
        write_segment(super, *layout, index, buffer.reset());
        const std::size_t data_length =
            std::min(layout->segment_size,
                     super.size() - layout->header_length - index * layout->segment_size);
        (void)buffer.set_length(layout->header_length + data_length);
    }
    return written;
}

Expected<std::size_t, GsoError> split_gso_in_place(
    packet::PacketBuffer& super, const VirtioNetHeader& header,
    std::span<packet::PacketBuffer* const> rest) noexcept {
    auto layout = inspect_gso(super.data(), header);
    if (!layout) return layout.error();
    if (rest.size() + 1 < layout->segment_count) return GsoError::kOutputTooSmall;
    // Later segments first: they copy the original headers, which segment 0 then overwrites.
    auto written = split_gso(super.data(), header, rest.first(layout->segment_count - 1), 1);
    if (!written) return written.error();
    write_segment(super.data(), *layout, 0, super.data());
    (void)super.set_length(layout->header_length +
                           std::min(layout->segment_size, layout->payload_length));
    return layout->segment_count;
}

bool complete_partial_checksum(std::span<std::byte> packet, std::size_t csum_start,
                               std::size_t csum_offset) noexcept {
    if (csum_start > packet.size() || csum_offset + 2 > packet.size() - csum_start) return false;
    // The field already holds the folded pseudo-header sum, so summing it in adds the
    // pseudo-header.
    ChecksumAccumulator sum;
    sum.add(std::span<const std::byte>(packet.subspan(csum_start)));
    std::uint16_t checksum = sum.checksum();
    if (csum_offset == kUdpChecksumOffset && checksum == 0) checksum = 0xffff;  // RFC 768
    store_be16(packet, csum_start + csum_offset, checksum);
    return true;
}

}  // namespace sixgate::net::tun
