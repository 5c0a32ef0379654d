#include "net/checksum.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <random>
#include <vector>

#include "nd_test_vectors.hpp"

namespace sixgate::net {
namespace {

using nd::test::address;
using nd::test::from_hex;

// RFC 1071 3: the bytes 00 01 f2 03 f4 f5 f6 f7 sum to ddf2.
constexpr std::array<std::uint8_t, 8> kRfc1071Example{0x00, 0x01, 0xf2, 0x03,
                                                      0xf4, 0xf5, 0xf6, 0xf7};

TEST(InternetChecksum, SumsTheRfc1071ExampleToDdf2) {
    ChecksumAccumulator sum;
    sum.add(kRfc1071Example);
    EXPECT_EQ(sum.folded_sum(), 0xddf2);
    EXPECT_EQ(sum.checksum(), 0x220d);
    EXPECT_EQ(internet_checksum(kRfc1071Example), 0x220d);
}

TEST(InternetChecksum, PadsAnOddTrailingByteWithZero) {
    const std::array<std::uint8_t, 3> odd{0x12, 0x34, 0x56};
    const std::array<std::uint8_t, 4> padded{0x12, 0x34, 0x56, 0x00};
    EXPECT_EQ(internet_checksum(odd), internet_checksum(padded));
    EXPECT_EQ(internet_checksum(odd), 0xffff - 0x6834);
}

TEST(InternetChecksum, IsAllOnesForNoData) {
    EXPECT_EQ(internet_checksum({}), 0xffff);
}

TEST(ChecksumAccumulator, GivesTheSameSumForAnySplitOfTheData) {
    for (std::size_t split = 0; split <= kRfc1071Example.size(); ++split) {
        for (std::size_t second = split; second <= kRfc1071Example.size(); ++second) {
            ChecksumAccumulator sum;
            const std::span<const std::uint8_t> all(kRfc1071Example);
            sum.add(all.subspan(0, split));
            sum.add(all.subspan(split, second - split));
            sum.add(all.subspan(second));
            EXPECT_EQ(sum.folded_sum(), 0xddf2) << "split at " << split << " and " << second;
        }
    }
}

TEST(ChecksumAccumulator, AcceptsStdByteSpansAndFieldsAlike) {
    std::array<std::byte, 8> as_bytes;
    for (std::size_t i = 0; i < as_bytes.size(); ++i) as_bytes[i] = std::byte{kRfc1071Example[i]};
    ChecksumAccumulator from_bytes;
    from_bytes.add(as_bytes);
    ChecksumAccumulator from_fields;
    from_fields.add_u16(0x0001);
    from_fields.add_u16(0xf203);
    from_fields.add_u32(0xf4f5f6f7);
    EXPECT_EQ(from_bytes.folded_sum(), 0xddf2);
    EXPECT_EQ(from_fields.folded_sum(), 0xddf2);
}

TEST(ChecksumAccumulator, AddsIpv4AddressesAsTwoWords) {
    ChecksumAccumulator sum;
    sum.add(Ipv4Address(192, 0, 2, 1));
    EXPECT_EQ(sum.folded_sum(), 0xc000 + 0x0201);
}

TEST(Icmpv6Checksum, MatchesTheChecksumScapyComputedForTheRouterSolicitation) {
    // hex::kRsSlla carries c929, computed by scapy over the pseudo-header fe80::2 -> ff02::2.
    auto message = from_hex(nd::test::hex::kRsSlla);
    message[2] = message[3] = 0;
    EXPECT_EQ(icmpv6_checksum(address("fe80::2"), address("ff02::2"), message), 0xc929);
}

TEST(Icmpv6Checksum, VerifiesAReceivedMessageAndRejectsOneWithAFlippedBit) {
    auto message = from_hex(nd::test::hex::kRaFull);
    EXPECT_TRUE(icmpv6_checksum_is_valid(address("fe80::1"), address("ff02::1"), message));
    EXPECT_FALSE(icmpv6_checksum_is_valid(address("fe80::1"), address("ff02::2"), message));
    message[20] ^= 0x01;
    EXPECT_FALSE(icmpv6_checksum_is_valid(address("fe80::1"), address("ff02::1"), message));
}

TEST(Ipv6PseudoHeader, AddsLengthAndNextHeaderAsRfc8200Says) {
    // Pseudo-header of :: -> :: with length 0x00012345 and next header 58: the only non-zero
    // words are 0x0001, 0x2345 and 0x003a.
    ChecksumAccumulator sum;
    add_ipv6_pseudo_header(sum, Ipv6Address(), Ipv6Address(), 0x00012345, 58);
    EXPECT_EQ(sum.folded_sum(), 0x0001 + 0x2345 + 0x003a);
}

TEST(ChecksumIncrementalUpdate, GivesZeroNotAllOnesInTheRfc1624Example) {
    // RFC 1624 4: HC 0xdd2f, a word going from 0x5555 to 0x3285; eqn. 3 gives 0x0000.
    EXPECT_EQ(checksum_update16(0xdd2f, 0x5555, 0x3285), 0x0000);
}

TEST(ChecksumIncrementalUpdate, MatchesFullRecomputationForRandomRewrites) {
    std::mt19937 random(1624);
    for (int round = 0; round < 2000; ++round) {
        std::vector<std::uint8_t> data(2 + 2 * (random() % 40));
        for (auto& b : data) b = static_cast<std::uint8_t>(random());
        // (All-zero data is left out: there eqn. 3 gives 0x0000 where recomputation gives
        // 0xffff, the same one's-complement number; no real header is all zeros.)
        const std::uint16_t before = internet_checksum(data);

        // One 16-bit word.
        const std::size_t at = 2 * (random() % (data.size() / 2));
        const std::uint16_t old_word = static_cast<std::uint16_t>(data[at] << 8 | data[at + 1]);
        const auto new_word = static_cast<std::uint16_t>(round % 5 == 0 ? 0 : random());
        data[at] = static_cast<std::uint8_t>(new_word >> 8);
        data[at + 1] = static_cast<std::uint8_t>(new_word);
        const std::uint16_t after16 = internet_checksum(data);
        if (std::all_of(data.begin(), data.end(), [](std::uint8_t b) { return b == 0; })) continue;
        EXPECT_EQ(checksum_update16(before, old_word, new_word), after16);

        // One 32-bit value, when there is room.
        if (data.size() >= 4) {
            const std::uint32_t old_value =
                std::uint32_t{data[0]} << 24 | data[1] << 16 | data[2] << 8 | data[3];
            const std::uint32_t new_value = static_cast<std::uint32_t>(random());
            for (int i = 0; i < 4; ++i)
                data[i] = static_cast<std::uint8_t>(new_value >> (24 - 8 * i));
            EXPECT_EQ(checksum_update32(after16, old_value, new_value), internet_checksum(data));
        }
    }
}

TEST(ChecksumIncrementalUpdate, ReplacesARegionGivenTheSumsOfOldAndNewBytes) {
    // As a translator does: an IPv4 address pair (8 bytes) replaced by an IPv6 pair (32 bytes).
    const std::vector<std::uint8_t> v4 = from_hex("c0000201c6336405");
    const std::vector<std::uint8_t> v6 = from_hex(
        "0064ff9b0000000000000000c0000201"
        "20010db8000000000000000000000005");
    const std::vector<std::uint8_t> payload = from_hex("1f90c3500000000050021000");
    std::vector<std::uint8_t> before(v4);
    before.insert(before.end(), payload.begin(), payload.end());
    std::vector<std::uint8_t> after(v6);
    after.insert(after.end(), payload.begin(), payload.end());
    ChecksumAccumulator old_sum, new_sum;
    old_sum.add(v4);
    new_sum.add(v6);
    EXPECT_EQ(
        checksum_update(internet_checksum(before), old_sum.folded_sum(), new_sum.folded_sum()),
        internet_checksum(after));
}

}  // namespace
}  // namespace sixgate::net
