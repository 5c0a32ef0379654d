#include "net/checksum.hpp"

namespace sixgate::net {
namespace {

std::uint16_t fold(std::uint64_t sum) noexcept {
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(sum);
}

}  // namespace

template <class Byte>
void ChecksumAccumulator::add_bytes(std::span<const Byte> bytes) noexcept {
    const auto at = [&](std::size_t i) { return static_cast<std::uint32_t>(bytes[i]); };
    std::size_t i = 0;
    if (odd_ && !bytes.empty()) {
        sum_ += at(0);
        i = 1;
        odd_ = false;
    }
    // A 64-bit accumulator absorbs 2^48 words before it could overflow; no buffer is that large.
    for (; i + 1 < bytes.size(); i += 2) sum_ += at(i) << 8 | at(i + 1);
    if (i < bytes.size()) {
        // RFC 1071 4.1: an odd trailing byte is padded with a zero low byte.
        sum_ += at(i) << 8;
        odd_ = true;
    }
}

void ChecksumAccumulator::add(std::span<const std::uint8_t> bytes) noexcept {
    add_bytes(bytes);
}
void ChecksumAccumulator::add(std::span<const std::byte> bytes) noexcept {
    add_bytes(bytes);
}

void ChecksumAccumulator::add_u16(std::uint16_t value) noexcept {
    sum_ += value;
}

void ChecksumAccumulator::add_u32(std::uint32_t value) noexcept {
    sum_ += value >> 16;
    sum_ += value & 0xffff;
}

void ChecksumAccumulator::add(const Ipv6Address& address) noexcept {
    for (int i = 0; i < 8; ++i) sum_ += address.group(i);
}

void ChecksumAccumulator::add(const Ipv4Address& address) noexcept {
    add_u32(address.to_uint());
}

std::uint16_t ChecksumAccumulator::folded_sum() const noexcept {
    return fold(sum_);
}

std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes) noexcept {
    ChecksumAccumulator sum;
    sum.add(bytes);
    return sum.checksum();
}

void add_ipv6_pseudo_header(ChecksumAccumulator& sum, const Ipv6Address& source,
                            const Ipv6Address& destination, std::uint32_t upper_layer_length,
                            std::uint8_t next_header) noexcept {
    sum.add(source);
    sum.add(destination);
    sum.add_u32(upper_layer_length);
    sum.add_u32(next_header);  // three zero bytes, then the next-header byte
}

namespace {

ChecksumAccumulator icmpv6_sum(const Ipv6Address& source, const Ipv6Address& destination,
                               std::span<const std::uint8_t> icmp_message) noexcept {
    ChecksumAccumulator sum;
    add_ipv6_pseudo_header(sum, source, destination,
                           static_cast<std::uint32_t>(icmp_message.size()), kIpProtocolIcmpv6);
    sum.add(icmp_message);
    return sum;
}

}  // namespace

std::uint16_t icmpv6_checksum(const Ipv6Address& source, const Ipv6Address& destination,
                              std::span<const std::uint8_t> icmp_message) noexcept {
    return icmpv6_sum(source, destination, icmp_message).checksum();
}

bool icmpv6_checksum_is_valid(const Ipv6Address& source, const Ipv6Address& destination,
                              std::span<const std::uint8_t> icmp_message) noexcept {
    return icmpv6_sum(source, destination, icmp_message).folded_sum() == 0xffff;
}

std::uint16_t checksum_update(std::uint16_t checksum, std::uint16_t old_sum,
                              std::uint16_t new_sum) noexcept {
    // ~HC + ~(old) + new, folded and complemented.
    const std::uint64_t sum = std::uint64_t{static_cast<std::uint16_t>(~checksum)} +
                              static_cast<std::uint16_t>(~old_sum) + new_sum;
    return static_cast<std::uint16_t>(~fold(sum));
}

std::uint16_t checksum_update16(std::uint16_t checksum, std::uint16_t old_word,
                                std::uint16_t new_word) noexcept {
    return checksum_update(checksum, old_word, new_word);
}

std::uint16_t checksum_update32(std::uint16_t checksum, std::uint32_t old_value,
                                std::uint32_t new_value) noexcept {
    return checksum_update(checksum, fold(std::uint64_t{old_value >> 16} + (old_value & 0xffff)),
                           fold(std::uint64_t{new_value >> 16} + (new_value & 0xffff)));
}

}  // namespace sixgate::net
