#pragma once
// Internet checksums: the RFC 1071 one's-complement sum, the ICMPv6/upper-layer checksum over the
// IPv6 pseudo-header (RFC 8200 8.1), and RFC 1624 incremental updates for rewritten fields.

#include <cstddef>
#include <cstdint>
#include <span>

#include "net/ip_address.hpp"

namespace sixgate::net {

inline constexpr std::uint8_t kIpProtocolIcmpv6 = 58;

// Running RFC 1071 sum. Data may arrive in pieces of any length: bytes are paired as if all pieces
// were one buffer, so an odd-length piece followed by another gives the sum of the concatenation.
class ChecksumAccumulator {
public:
    void add(std::span<const std::uint8_t> bytes) noexcept;
    void add(std::span<const std::byte> bytes) noexcept;
    // A 16-bit or 32-bit field in host order, as if its big-endian bytes were added at an even
    // offset. The caller keeps these at even offsets (all header fields are).
    void add_u16(std::uint16_t value) noexcept;
    void add_u32(std::uint32_t value) noexcept;
    void add(const Ipv6Address& address) noexcept;
    void add(const Ipv4Address& address) noexcept;

    // The 16-bit one's-complement sum, carries folded in (0x0000 only if nothing non-zero was
    // added).
    std::uint16_t folded_sum() const noexcept;
    // The checksum field value: the complement of the folded sum.
    std::uint16_t checksum() const noexcept { return static_cast<std::uint16_t>(~folded_sum()); }

private:
    template <class Byte>
    void add_bytes(std::span<const Byte> bytes) noexcept;

    std::uint64_t sum_ = 0;
    bool odd_ = false;  // the next byte is the low half of a 16-bit word
};

// RFC 1071 checksum of one buffer.
std::uint16_t internet_checksum(std::span<const std::uint8_t> bytes) noexcept;

// Adds the IPv6 pseudo-header of RFC 8200 8.1: source, destination, 32-bit upper-layer length,
// three zero bytes and the next-header value.
void add_ipv6_pseudo_header(ChecksumAccumulator& sum, const Ipv6Address& source,
                            const Ipv6Address& destination, std::uint32_t upper_layer_length,
                            std::uint8_t next_header) noexcept;

// The checksum of an ICMPv6 message (its checksum field must hold zero when computing it for
// sending). Verifying a received message: the same sum over the message as received, checksum
// field included, must fold to 0xffff; icmpv6_checksum_is_valid does that.
std::uint16_t icmpv6_checksum(const Ipv6Address& source, const Ipv6Address& destination,
                              std::span<const std::uint8_t> icmp_message) noexcept;
bool icmpv6_checksum_is_valid(const Ipv6Address& source, const Ipv6Address& destination,
                              std::span<const std::uint8_t> icmp_message) noexcept;

// RFC 1624 3: the new checksum after a 16-bit word changed from old_word to new_word is
// HC' = ~(~HC + ~m + m'). That form (not RFC 1141's HC - ~m - m') handles the one's-complement
// zero correctly, so the result equals a full recomputation (except over all-zero data, where it
// gives 0x0000 for 0xffff: the same one's-complement number).
std::uint16_t checksum_update16(std::uint16_t checksum, std::uint16_t old_word,
                                std::uint16_t new_word) noexcept;
std::uint16_t checksum_update32(std::uint16_t checksum, std::uint32_t old_value,
                                std::uint32_t new_value) noexcept;
// The same for a whole region replaced by another (e.g. a translator swapping IPv4 for IPv6
// addresses): old_sum and new_sum are folded one's-complement sums of the removed and added bytes.
std::uint16_t checksum_update(std::uint16_t checksum, std::uint16_t old_sum,
                              std::uint16_t new_sum) noexcept;

}  // namespace sixgate::net
