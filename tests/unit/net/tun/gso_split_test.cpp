#include "net/tun/gso_split.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

#include "tests/unit/net/tun/gso_vectors.hpp"

namespace sixgate::net::tun {
namespace {

using packet::PacketBuffer;
using testing::Bytes;
using testing::gso_vectors;
using testing::to_hex;

// PacketBuffers are 64 KiB each: on the heap.
struct Buffers {
    explicit Buffers(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) owned.push_back(std::make_unique<PacketBuffer>());
        for (auto& b : owned) pointers.push_back(b.get());
    }
    std::vector<std::unique_ptr<PacketBuffer>> owned;
    std::vector<PacketBuffer*> pointers;
};

const testing::GsoVector& vector_named(const std::string& name) {
    const auto& vectors = gso_vectors();
    EXPECT_EQ(vectors.error, "");
    static const testing::GsoVector empty;
    const auto found = vectors.cases.find(name);
    if (found == vectors.cases.end()) {
        ADD_FAILURE() << "no scapy vector " << name;
        return empty;
    }
    return found->second;
}

void expect_segments(const std::vector<PacketBuffer*>& got, std::size_t count,
                     const std::vector<Bytes>& expected) {
    ASSERT_EQ(count, expected.size());
    for (std::size_t i = 0; i < count; ++i) {
        EXPECT_EQ(to_hex(got[i]->data()), to_hex(expected[i])) << "segment " << i;
        EXPECT_EQ(got[i]->headroom(), PacketBuffer::kHeadroom) << "segment " << i;
    }
}

class GsoSplitMatchesScapy : public ::testing::TestWithParam<const char*> {};

TEST_P(GsoSplitMatchesScapy, SegmentsAreByteExact) {
    const auto& v = vector_named(GetParam());
    ASSERT_FALSE(v.input.empty());
    Buffers out(v.expected.size() + 2);
    const auto split = split_gso(v.input, v.header, out.pointers);
    ASSERT_TRUE(split) << to_string(split.error());
    expect_segments(out.pointers, *split, v.expected);
}

TEST_P(GsoSplitMatchesScapy, InPlaceSplitGivesTheSameSegments) {
    const auto& v = vector_named(GetParam());
    ASSERT_FALSE(v.input.empty());
    Buffers all(v.expected.size());
    ASSERT_TRUE(all.pointers[0]->assign(v.input));
    const auto split =
        split_gso_in_place(*all.pointers[0], v.header, std::span(all.pointers).subspan(1));
    ASSERT_TRUE(split) << to_string(split.error());
    expect_segments(all.pointers, *split, v.expected);
}

TEST_P(GsoSplitMatchesScapy, SplitContinuesFromAGivenSegmentWhenOutputRunsShort) {
    const auto& v = vector_named(GetParam());
    ASSERT_FALSE(v.input.empty());
    Buffers out(2);
    std::vector<Bytes> got;
    for (std::size_t next = 0; next < v.expected.size();) {
        const auto split = split_gso(v.input, v.header, out.pointers, next);
        ASSERT_TRUE(split);
        ASSERT_GT(*split, 0u);
        for (std::size_t i = 0; i < *split; ++i) {
            const auto data = out.pointers[i]->data();
            got.emplace_back(data.begin(), data.end());
        }
        next += *split;
    }
    EXPECT_EQ(got, v.expected);
}

std::string case_name(const ::testing::TestParamInfo<const char*>& info) {
    return info.param;
}

INSTANTIATE_TEST_SUITE_P(ScapyVectors, GsoSplitMatchesScapy,
                         ::testing::Values("tcp4", "tcp6", "udp4", "udp6"), case_name);

TEST(GsoSplit, InspectReportsTheLayoutOfATcpv4SuperPacket) {
    const auto& v = vector_named("tcp4");
    const auto layout = inspect_gso(v.input, v.header);
    ASSERT_TRUE(layout);
    EXPECT_EQ(layout->ip_version, 4);
    EXPECT_EQ(layout->protocol, 6);
    EXPECT_EQ(layout->transport_offset, 20u);
    EXPECT_EQ(layout->header_length, 40u);
    EXPECT_EQ(layout->payload_length, 3u * 1448 + 100);
    EXPECT_EQ(layout->segment_count, 4u);
}

TEST(GsoSplit, HeaderLengthHintFromTheKernelIsNotTrusted) {
    const auto& v = vector_named("tcp6");
    auto header = v.header;
    header.hdr_len = 1500;  // as on forwarded traffic: the whole first packet
    Buffers out(v.expected.size());
    const auto split = split_gso(v.input, header, out.pointers);
    ASSERT_TRUE(split);
    expect_segments(out.pointers, *split, v.expected);
}

TEST(GsoSplit, RefusesUfoAndUnknownTypes) {
    const auto& v = vector_named("udp4");
    auto header = v.header;
    header.gso_type = VirtioNetHeader::kGsoUdp;
    Buffers out(4);
    EXPECT_EQ(split_gso(v.input, header, out.pointers).error(), GsoError::kUnsupportedType);
    header.gso_type = 9;
    EXPECT_EQ(split_gso(v.input, header, out.pointers).error(), GsoError::kUnsupportedType);
}

TEST(GsoSplit, RefusesATypeThatDoesNotMatchTheIpVersion) {
    const auto& v = vector_named("tcp6");
    auto header = v.header;
    header.gso_type = VirtioNetHeader::kGsoTcpV4;
    EXPECT_EQ(inspect_gso(v.input, header).error(), GsoError::kIpVersionMismatch);
}

TEST(GsoSplit, RefusesZeroSegmentSize) {
    const auto& v = vector_named("tcp4");
    auto header = v.header;
    header.gso_size = 0;
    EXPECT_EQ(inspect_gso(v.input, header).error(), GsoError::kZeroSegmentSize);
}

TEST(GsoSplit, RefusesChecksumStartOtherThanTheIpv4HeaderLength) {
    const auto& v = vector_named("tcp4");
    auto header = v.header;
    header.csum_start = 24;
    EXPECT_EQ(inspect_gso(v.input, header).error(), GsoError::kBadChecksumStart);
}

TEST(GsoSplit, RefusesChecksumOffsetOtherThanTheTransportChecksum) {
    const auto& v = vector_named("udp6");
    auto header = v.header;
    header.csum_offset = 16;
    EXPECT_EQ(inspect_gso(v.input, header).error(), GsoError::kBadChecksumOffset);
}

TEST(GsoSplit, RefusesTruncatedPacketsAtEveryLength) {
    const auto& v = vector_named("tcp4");
    for (std::size_t length = 0; length <= 40; ++length) {
        const auto result = inspect_gso(std::span(v.input).first(length), v.header);
        EXPECT_FALSE(result) << "length " << length;
    }
    EXPECT_EQ(inspect_gso(std::span(v.input).first(40), v.header).error(), GsoError::kNoPayload);
}

TEST(GsoSplit, RefusesAnIpv4Fragment) {
    const auto& v = vector_named("udp4");
    Bytes fragment = v.input;
    fragment[6] = std::byte{0x20};  // MF
    EXPECT_EQ(inspect_gso(fragment, v.header).error(), GsoError::kBadIpHeader);
}

TEST(GsoSplit, InPlaceRefusesTooFewBuffersAndLeavesThePacketAlone) {
    const auto& v = vector_named("tcp4");
    Buffers all(3);  // 4 segments
    ASSERT_TRUE(all.pointers[0]->assign(v.input));
    const auto split =
        split_gso_in_place(*all.pointers[0], v.header, std::span(all.pointers).subspan(1));
    EXPECT_EQ(split.error(), GsoError::kOutputTooSmall);
    EXPECT_EQ(to_hex(all.pointers[0]->data()), to_hex(v.input));
}

class PartialChecksumMatchesScapy : public ::testing::TestWithParam<const char*> {};

TEST_P(PartialChecksumMatchesScapy, CompletedPacketIsByteExact) {
    const auto& v = vector_named(GetParam());
    ASSERT_EQ(v.expected.size(), 1u);
    Bytes packet = v.input;
    ASSERT_TRUE(complete_partial_checksum(packet, v.header.csum_start, v.header.csum_offset));
    EXPECT_EQ(to_hex(packet), to_hex(v.expected[0]));
}

INSTANTIATE_TEST_SUITE_P(ScapyVectors, PartialChecksumMatchesScapy,
                         ::testing::Values("csum_tcp4", "csum_udp6"), case_name);

TEST(PartialChecksum, RefusesOffsetsOutsideThePacket) {
    Bytes packet(40);
    EXPECT_FALSE(complete_partial_checksum(packet, 41, 0));
    EXPECT_FALSE(complete_partial_checksum(packet, 20, 19));
    EXPECT_TRUE(complete_partial_checksum(packet, 20, 18));
}

TEST(PartialChecksum, UdpResultOfZeroIsSentAsAllOnes) {
    // Sum of the data is 0xffff, so the checksum would be 0: RFC 768 sends 0xffff.
    Bytes packet{std::byte{0xff}, std::byte{0xff}, std::byte{0}, std::byte{0},
                 std::byte{0},    std::byte{0},    std::byte{0}, std::byte{0}};
    ASSERT_TRUE(complete_partial_checksum(packet, 0, 6));
    EXPECT_EQ(packet[6], std::byte{0xff});
    EXPECT_EQ(packet[7], std::byte{0xff});
}

}  // namespace
}  // namespace sixgate::net::tun
