#include "net/ip_prefix.hpp"

#include <algorithm>
#include <charconv>

namespace sixgate::net {
namespace {

// Splits "ADDR/LEN"; checks LEN is a decimal in 0..max_length.
Result<std::pair<std::string_view, int>> split_prefix(std::string_view text, int max_length) {
    const auto bad = [&](const std::string& why) {
        return make_error(std::errc::invalid_argument,
                          "'" + std::string(text) + "' is not a valid prefix: " + why);
    };
    const std::size_t slash = text.find('/');
    if (slash == std::string_view::npos) return bad("no '/LENGTH' found");
    const std::string_view length_text = text.substr(slash + 1);
    int length = -1;
    auto [end, ec] = std::from_chars(length_text.data(), length_text.data() + length_text.size(), length);
    if (length_text.empty() || ec != std::errc{} || end != length_text.data() + length_text.size())
        return bad("length '" + std::string(length_text) + "' is not a number");
    if (length < 0 || length > max_length)
        return bad("length " + std::to_string(length) + " is outside 0.." + std::to_string(max_length));
    return std::pair{text.substr(0, slash), length};
}

Error host_bits_error(std::string_view text, const std::string& meant) {
    return make_error(std::errc::invalid_argument, "'" + std::string(text) +
                                                       "' has host bits set; did you mean " + meant + "?");
}

}  // namespace

Ipv4Prefix::Ipv4Prefix(Ipv4Address address, int length)
    : address_(length == 0 ? 0u : address.to_uint() & ~((1ull << (32 - length)) - 1)), length_(length) {}

Result<Ipv4Prefix> Ipv4Prefix::parse(std::string_view text) {
    auto parts = split_prefix(text, 32);
    if (!parts) return parts.error();
    auto address = Ipv4Address::parse(parts->first);
    if (!address) return address.error();
    Ipv4Prefix prefix(*address, parts->second);
    if (prefix.address() != *address) return host_bits_error(text, prefix.to_string());
    return prefix;
}

bool Ipv4Prefix::contains(Ipv4Address address) const noexcept {
    return Ipv4Prefix(address, length_).address_ == address_;
}

std::string Ipv4Prefix::to_string() const {
    return address_.to_string() + "/" + std::to_string(length_);
}

Ipv6Prefix::Ipv6Prefix(const Ipv6Address& address, int length) : length_(length) {
    auto bytes = address.bytes();
    for (int i = 0; i < 16; ++i) {
        const int keep = std::clamp(length - 8 * i, 0, 8);
        bytes[i] &= std::uint8_t(0xff00 >> keep);
    }
    address_ = Ipv6Address(bytes);
}

Result<Ipv6Prefix> Ipv6Prefix::parse(std::string_view text) {
    auto parts = split_prefix(text, 128);
    if (!parts) return parts.error();
    auto address = Ipv6Address::parse(parts->first);
    if (!address) return address.error();
    Ipv6Prefix prefix(*address, parts->second);
    if (prefix.address() != *address) return host_bits_error(text, prefix.to_string());
    return prefix;
}

bool Ipv6Prefix::contains(const Ipv6Address& address) const noexcept {
    return Ipv6Prefix(address, length_).address_ == address_;
}

bool Ipv6Prefix::contains(const Ipv6Prefix& other) const noexcept {
    return other.length_ >= length_ && contains(other.address_);
}

Ipv6Address Ipv6Prefix::with_host(const Ipv6Address& interface_id) const noexcept {
    auto bytes = address_.bytes();
    for (int i = 0; i < 16; ++i) {
        const int keep = std::clamp(length_ - 8 * i, 0, 8);
        bytes[i] |= interface_id.bytes()[i] & std::uint8_t(0xff >> keep);
    }
    return Ipv6Address(bytes);
}

std::string Ipv6Prefix::to_string() const {
    return address_.to_string() + "/" + std::to_string(length_);
}

}  // namespace sixgate::net
