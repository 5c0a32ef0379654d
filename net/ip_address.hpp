#pragma once
// IPv4 and IPv6 address value types: strict text parsing with specific errors, RFC 5952 output.

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/result.hpp"

namespace sixgate::net {

class Ipv4Address {
public:
    constexpr Ipv4Address() = default;
    constexpr explicit Ipv4Address(std::uint32_t host_order) : value_(host_order) {}
    constexpr Ipv4Address(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d)
        : value_(std::uint32_t{a} << 24 | std::uint32_t{b} << 16 | std::uint32_t{c} << 8 | d) {}

    // Dotted quad only: four decimal parts 0..255, no leading zeros (they read as octal elsewhere).
    static Result<Ipv4Address> parse(std::string_view text);

    constexpr std::uint32_t to_uint() const noexcept { return value_; }
    constexpr std::array<std::uint8_t, 4> bytes() const noexcept {
        return {std::uint8_t(value_ >> 24), std::uint8_t(value_ >> 16), std::uint8_t(value_ >> 8),
                std::uint8_t(value_)};
    }
    std::string to_string() const;

    constexpr auto operator<=>(const Ipv4Address&) const = default;

private:
    std::uint32_t value_ = 0;
};

class Ipv6Address {
public:
    using Bytes = std::array<std::uint8_t, 16>;

    constexpr Ipv6Address() = default;
    constexpr explicit Ipv6Address(const Bytes& bytes) : bytes_(bytes) {}

    static Result<Ipv6Address> parse(std::string_view text);

    constexpr const Bytes& bytes() const noexcept { return bytes_; }
    constexpr std::uint16_t group(int index) const noexcept {
        return std::uint16_t(bytes_[2 * index] << 8 | bytes_[2 * index + 1]);
    }
    void set_group(int index, std::uint16_t value) noexcept {
        bytes_[2 * index] = std::uint8_t(value >> 8);
        bytes_[2 * index + 1] = std::uint8_t(value);
    }
    // Writes a 32-bit value at byte offset (big-endian), e.g. an IPv4 address in an interface ID.
    void set_u32(int byte_offset, std::uint32_t value) noexcept;

    // RFC 5952 text: lower case, no leading zeros, the longest run (first on a tie) of two or
    // more zero groups as "::", and dotted IPv4 for ::ffff:0:0/96 (RFC 5952 5).
    std::string to_string() const;

    constexpr auto operator<=>(const Ipv6Address&) const = default;

private:
    Bytes bytes_{};
};

}  // namespace sixgate::net
