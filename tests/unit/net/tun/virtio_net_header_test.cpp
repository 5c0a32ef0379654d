#include "net/tun/virtio_net_header.hpp"

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace sixgate::net::tun {
namespace {

std::vector<std::byte> bytes(std::initializer_list<int> values) {
    std::vector<std::byte> out;
    for (int v : values) out.push_back(static_cast<std::byte>(v));
    return out;
}

VirtioNetHeader sample() {
    VirtioNetHeader h;
    h.flags = VirtioNetHeader::kFlagNeedsChecksum;
    h.gso_type = VirtioNetHeader::kGsoTcpV4;
    h.hdr_len = 0x0034;
    h.gso_size = 0x05a8;
    h.csum_start = 0x0014;
    h.csum_offset = 0x0010;
    h.num_buffers = 0x0102;
    return h;
}

// The kernel's struct: u8 flags, u8 gso_type, then __virtio16 hdr_len, gso_size, csum_start,
// csum_offset (and num_buffers in the mergeable-buffers form).
TEST(VirtioNetHeader, SerializesTwelveLittleEndianBytesInKernelFieldOrder) {
    std::array<std::byte, 12> out{};
    ASSERT_TRUE(sample().serialize(out));
    EXPECT_EQ(std::vector<std::byte>(out.begin(), out.end()),
              bytes({0x01, 0x01, 0x34, 0x00, 0xa8, 0x05, 0x14, 0x00, 0x10, 0x00, 0x02, 0x01}));
}

TEST(VirtioNetHeader, SerializesBigEndianWhenAskedTo) {
    std::array<std::byte, 12> out{};
    ASSERT_TRUE(sample().serialize(out, VirtioNetHeader::kSize, VnetByteOrder::kBig));
    EXPECT_EQ(std::vector<std::byte>(out.begin(), out.end()),
              bytes({0x01, 0x01, 0x00, 0x34, 0x05, 0xa8, 0x00, 0x14, 0x00, 0x10, 0x01, 0x02}));
}

TEST(VirtioNetHeader, LegacyTenByteFormHasNoNumBuffers) {
    std::array<std::byte, 12> out{};
    out.fill(std::byte{0xee});
    ASSERT_TRUE(sample().serialize(out, VirtioNetHeader::kLegacySize));
    EXPECT_EQ(out[10], std::byte{0xee});
    const auto parsed = VirtioNetHeader::parse(out, VirtioNetHeader::kLegacySize);
    ASSERT_TRUE(parsed);
    auto expected = sample();
    expected.num_buffers = 0;
    EXPECT_EQ(*parsed, expected);
}

TEST(VirtioNetHeader, ParseReadsWhatSerializeWroteInEitherOrder) {
    for (const auto order : {VnetByteOrder::kLittle, VnetByteOrder::kBig}) {
        std::array<std::byte, 12> out{};
        ASSERT_TRUE(sample().serialize(out, VirtioNetHeader::kSize, order));
        const auto parsed = VirtioNetHeader::parse(out, VirtioNetHeader::kSize, order);
        ASSERT_TRUE(parsed);
        EXPECT_EQ(*parsed, sample());
    }
}

TEST(VirtioNetHeader, ParseRejectsShortInputAndOddSizes) {
    const auto eleven = bytes({1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    EXPECT_FALSE(VirtioNetHeader::parse(eleven));
    EXPECT_TRUE(VirtioNetHeader::parse(eleven, VirtioNetHeader::kLegacySize));
    EXPECT_FALSE(VirtioNetHeader::parse(eleven, 11));
    std::array<std::byte, 9> small{};
    EXPECT_FALSE(VirtioNetHeader{}.serialize(small, VirtioNetHeader::kLegacySize));
}

TEST(VirtioNetHeader, GsoKindIgnoresTheEcnBit) {
    VirtioNetHeader h;
    h.gso_type = VirtioNetHeader::kGsoTcpV6 | VirtioNetHeader::kGsoEcn;
    EXPECT_EQ(h.gso_kind(), VirtioNetHeader::kGsoTcpV6);
    EXPECT_TRUE(h.is_gso());
    EXPECT_FALSE(h.needs_checksum());
    EXPECT_FALSE(VirtioNetHeader{}.is_gso());
}

}  // namespace
}  // namespace sixgate::net::tun
