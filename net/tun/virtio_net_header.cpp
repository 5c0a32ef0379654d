#include "net/tun/virtio_net_header.hpp"

#include <array>
#include <cstring>

namespace sixgate::net::tun {
namespace {

bool valid_size(std::size_t size) noexcept {
    return size == VirtioNetHeader::kLegacySize || size == VirtioNetHeader::kSize;
}

std::uint16_t load16(std::span<const std::byte> bytes, std::size_t at,
                     VnetByteOrder order) noexcept {
    std::array<std::uint8_t, 2> b;
    std::memcpy(b.data(), bytes.data() + at, b.size());
    return order == VnetByteOrder::kLittle ? static_cast<std::uint16_t>(b[1] << 8 | b[0])
                                           : static_cast<std::uint16_t>(b[0] << 8 | b[1]);
}

void store16(std::span<std::byte> bytes, std::size_t at, std::uint16_t value,
             VnetByteOrder order) noexcept {
    const auto high = std::uint8_t(value >> 8);
    const auto low = std::uint8_t(value);
    const std::array<std::uint8_t, 2> b = order == VnetByteOrder::kLittle
                                              ? std::array<std::uint8_t, 2>{low, high}
                                              : std::array<std::uint8_t, 2>{high, low};
    std::memcpy(bytes.data() + at, b.data(), b.size());
}

}  // namespace

std::optional<VirtioNetHeader> VirtioNetHeader::parse(std::span<const std::byte> bytes,
                                                      std::size_t size,
                                                      VnetByteOrder order) noexcept {
    if (!valid_size(size) || bytes.size() < size) return std::nullopt;
    VirtioNetHeader header;
    header.flags = std::to_integer<std::uint8_t>(bytes[0]);
    header.gso_type = std::to_integer<std::uint8_t>(bytes[1]);
    header.hdr_len = load16(bytes, 2, order);
    header.gso_size = load16(bytes, 4, order);
    header.csum_start = load16(bytes, 6, order);
    header.csum_offset = load16(bytes, 8, order);
    if (size == kSize) header.num_buffers = load16(bytes, 10, order);
    return header;
}

bool VirtioNetHeader::serialize(std::span<std::byte> out, std::size_t size,
                                VnetByteOrder order) const noexcept {
    if (!valid_size(size) || out.size() < size) return false;
    out[0] = std::byte{flags};
    out[1] = std::byte{gso_type};
    store16(out, 2, hdr_len, order);
    store16(out, 4, gso_size, order);
    store16(out, 6, csum_start, order);
    store16(out, 8, csum_offset, order);
    if (size == kSize) store16(out, 10, num_buffers, order);
    return true;
}

}  // namespace sixgate::net::tun
