#pragma once
// Shared set-up for the IPv4 -> IPv6 translator tests: the mapping the scapy vectors assume
// (pool6 2001:db8:64::/96, translator 192.0.2.1), a buffer, and byte comparisons.

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "net/checksum.hpp"
#include "net/ip_prefix.hpp"
#include "net/packet/packet.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/ipv4_to_ipv6.hpp"

namespace sixgate::xlat::testing {

inline net::Ipv4Address v4(const char* text) {
    return *net::Ipv4Address::parse(text);
}
inline net::Ipv6Address v6(const char* text) {
    return *net::Ipv6Address::parse(text);
}

// pool6 2001:db8:64::/96 (or the WKP), the translator's own 192.0.2.1 and 2001:db8:ffff::1.
inline AddressMapping make_mapping(bool well_known = false) {
    AddressMappingConfig config;
    config.pool6 = well_known ? Rfc6052Prefix::well_known()
                              : *Rfc6052Prefix::create(*net::Ipv6Prefix::parse("2001:db8:64::/96"));
    config.own_ipv4 = v4("192.0.2.1");
    config.own_ipv6 = v6("2001:db8:ffff::1");
    return *AddressMapping::create(config);
}

// No pool6: only the two hosts of the vectors, by EAM (RFC 7757).
inline AddressMapping make_eam_mapping() {
    AddressMappingConfig config;
    (void)config.eam.insert(
        {*net::Ipv4Prefix::parse("203.0.113.5/32"), *net::Ipv6Prefix::parse("2001:db8:6::5/128")});
    (void)config.eam.insert({*net::Ipv4Prefix::parse("198.51.100.10/32"),
                             *net::Ipv6Prefix::parse("2001:db8:4::10/128")});
    config.own_ipv4 = v4("192.0.2.1");
    config.own_ipv6 = v6("2001:db8:ffff::1");
    return *AddressMapping::create(config);
}

template <std::size_t N>
std::vector<std::uint8_t> bytes_of(const std::array<std::uint8_t, N>& array) {
    return {array.begin(), array.end()};
}

inline std::vector<std::uint8_t> bytes_of(std::span<const std::byte> span) {
    std::vector<std::uint8_t> out(span.size());
    for (std::size_t i = 0; i < span.size(); ++i) out[i] = std::to_integer<std::uint8_t>(span[i]);
    return out;
}

// Equal bytes, or the first offset that differs (with both values) and the lengths.
inline ::testing::AssertionResult same_bytes(const std::vector<std::uint8_t>& actual,
                                             const std::vector<std::uint8_t>& expected) {
    for (std::size_t i = 0; i < actual.size() && i < expected.size(); ++i) {
        if (actual[i] != expected[i]) {
            return ::testing::AssertionFailure()
                   << "byte " << i << ": got " << int{actual[i]} << ", scapy says "
                   << int{expected[i]} << " (lengths " << actual.size() << " / " << expected.size()
                   << ")";
        }
    }
    if (actual.size() != expected.size())
        return ::testing::AssertionFailure()
               << "length " << actual.size() << ", scapy says " << expected.size();
    return ::testing::AssertionSuccess();
}

// Recomputes an IPv4 header checksum after a test edits the header.
inline void fix_ipv4_checksum(std::vector<std::uint8_t>& packet) {
    const std::size_t header = std::size_t{packet[0] & 0x0fu} * 4;
    packet[10] = packet[11] = 0;
    net::ChecksumAccumulator sum;
    sum.add(std::span<const std::uint8_t>(packet.data(), header));
    const std::uint16_t checksum = sum.checksum();
    packet[10] = static_cast<std::uint8_t>(checksum >> 8);
    packet[11] = static_cast<std::uint8_t>(checksum);
}

class Translate4to6Fixture : public ::testing::Test {
protected:
    TranslationResult translate(const std::vector<std::uint8_t>& input) {
        auto span = std::span<const std::uint8_t>(input);
        EXPECT_TRUE(buffer_->assign(std::as_bytes(span)));
        return translate_ipv4_to_ipv6(*buffer_, fragments_, mapping_, settings_);
    }
    template <std::size_t N>
    TranslationResult translate(const std::array<std::uint8_t, N>& input) {
        return translate(bytes_of(input));
    }
    std::vector<std::uint8_t> output() const { return bytes_of(buffer_->data()); }
    std::vector<std::uint8_t> fragment(const TranslationResult& result, std::size_t index) const {
        std::size_t offset = 0;
        for (std::size_t i = 0; i < index; ++i) offset += result.fragment_lengths[i];
        return bytes_of(
            std::span<const std::byte>(fragments_).subspan(offset, result.fragment_lengths[index]));
    }

    std::unique_ptr<net::packet::PacketBuffer> buffer_ =
        std::make_unique<net::packet::PacketBuffer>();
    std::vector<std::byte> fragments_ = std::vector<std::byte>(70000);
    AddressMapping mapping_ = make_mapping();
    TranslatorSettings settings_{};
};

// Translated in place, byte for byte what scapy built.
#define EXPECT_TRANSLATES_TO(input, expected)                                         \
    do {                                                                              \
        const TranslationResult result_ = translate(input);                           \
        ASSERT_EQ(result_.verdict, Verdict::translated) << to_string(result_.reason); \
        EXPECT_EQ(result_.fragment_count, 1u);                                        \
        EXPECT_EQ(result_.length, buffer_->size());                                   \
        EXPECT_TRUE(same_bytes(output(), bytes_of(expected)));                        \
    } while (false)

#define EXPECT_DROPPED(input, why)                            \
    do {                                                      \
        const TranslationResult result_ = translate(input);   \
        EXPECT_EQ(result_.verdict, Verdict::drop);            \
        EXPECT_EQ(to_string(result_.reason), to_string(why)); \
    } while (false)

}  // namespace sixgate::xlat::testing
