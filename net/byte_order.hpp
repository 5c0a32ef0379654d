#pragma once
// Big-endian (network order) loads and stores on byte spans: memcpy into a local array, then
// shifts, so nothing is assumed about the buffer's alignment and no header struct is overlaid on
// it.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace sixgate::net {
namespace byte_order_detail {

inline std::uint16_t load16(const void* at) noexcept {
    std::array<std::uint8_t, 2> b;
    std::memcpy(b.data(), at, b.size());
    return static_cast<std::uint16_t>(b[0] << 8 | b[1]);
}

inline std::uint32_t load32(const void* at) noexcept {
    std::array<std::uint8_t, 4> b;
    std::memcpy(b.data(), at, b.size());
    return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
}

inline void store16(void* at, std::uint16_t value) noexcept {
    const std::array<std::uint8_t, 2> b{std::uint8_t(value >> 8), std::uint8_t(value)};
    std::memcpy(at, b.data(), b.size());
}

inline void store32(void* at, std::uint32_t value) noexcept {
    const std::array<std::uint8_t, 4> b{std::uint8_t(value >> 24), std::uint8_t(value >> 16),
                                        std::uint8_t(value >> 8), std::uint8_t(value)};
    std::memcpy(at, b.data(), b.size());
}

}  // namespace byte_order_detail

// Each function reads or writes at `offset`; the caller guarantees offset + width <= size (views
// check bounds once when they are parsed, builders before they write).
inline std::uint16_t load_be16(std::span<const std::uint8_t> bytes, std::size_t offset) noexcept {
    return byte_order_detail::load16(bytes.data() + offset);
}
inline std::uint16_t load_be16(std::span<const std::byte> bytes, std::size_t offset) noexcept {
    return byte_order_detail::load16(bytes.data() + offset);
}
inline std::uint32_t load_be32(std::span<const std::uint8_t> bytes, std::size_t offset) noexcept {
    return byte_order_detail::load32(bytes.data() + offset);
}
inline std::uint32_t load_be32(std::span<const std::byte> bytes, std::size_t offset) noexcept {
    return byte_order_detail::load32(bytes.data() + offset);
}

inline void store_be16(std::span<std::uint8_t> bytes, std::size_t offset,
                       std::uint16_t value) noexcept {
    byte_order_detail::store16(bytes.data() + offset, value);
}
inline void store_be16(std::span<std::byte> bytes, std::size_t offset,
                       std::uint16_t value) noexcept {
    byte_order_detail::store16(bytes.data() + offset, value);
}
inline void store_be32(std::span<std::uint8_t> bytes, std::size_t offset,
                       std::uint32_t value) noexcept {
    byte_order_detail::store32(bytes.data() + offset, value);
}
inline void store_be32(std::span<std::byte> bytes, std::size_t offset,
                       std::uint32_t value) noexcept {
    byte_order_detail::store32(bytes.data() + offset, value);
}

}  // namespace sixgate::net
