#include "net/packet/ipv4_view.hpp"

#include "net/checksum.hpp"

namespace sixgate::net::packet {

std::optional<Ipv4View> Ipv4View::parse(std::span<const std::byte> bytes) noexcept {
    return parse(bytes, false);
}

std::optional<Ipv4View> Ipv4View::parse_truncated(std::span<const std::byte> bytes) noexcept {
    return parse(bytes, true);
}

std::optional<Ipv4View> Ipv4View::parse(std::span<const std::byte> bytes,
                                        bool allow_truncated) noexcept {
    if (bytes.size() < kMinHeaderLength) return std::nullopt;
    const auto first = std::to_integer<std::uint8_t>(bytes[0]);
    if (first >> 4 != 4) return std::nullopt;
    const std::size_t header_length = std::size_t{first & 0x0fu} * 4;
    if (header_length < kMinHeaderLength) return std::nullopt;
    const std::size_t total_length = load_be16(bytes, 2);
    if (total_length < header_length) return std::nullopt;
    // Even a quoted packet must carry its whole header: a translator rewrites all of it.
    if (bytes.size() < header_length) return std::nullopt;
    if (bytes.size() < total_length) {
        if (!allow_truncated) return std::nullopt;
        return Ipv4View(bytes);
    }
    return Ipv4View(bytes.first(total_length));
}

bool Ipv4View::header_checksum_valid() const noexcept {
    ChecksumAccumulator sum;
    sum.add(header());
    return sum.folded_sum() == 0xffff;
}

}  // namespace sixgate::net::packet
