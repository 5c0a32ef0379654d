#include "net/packet/ipv4_view.hpp"

#include <gtest/gtest.h>

#include "net/packet/protocol_numbers.hpp"
#include "vector_fields.hpp"

namespace sixgate::net::packet {
namespace {

using namespace vectors;

// Every accessor against scapy's dissection of the same bytes.
void expect_matches_scapy(const Ipv4View& ip, const PacketVector& v) {
    EXPECT_EQ(ip.header_length(), number(v, "IP.ihl") * 4);
    EXPECT_EQ(ip.tos(), number(v, "IP.tos"));
    EXPECT_EQ(ip.dscp(), number(v, "IP.tos") >> 2);
    EXPECT_EQ(ip.ecn(), number(v, "IP.tos") & 3);
    EXPECT_EQ(ip.total_length(), number(v, "IP.len"));
    EXPECT_EQ(ip.identification(), number(v, "IP.id"));
    // scapy's IP flags: MF = 1, DF = 2, evil (reserved) = 4.
    EXPECT_EQ(ip.more_fragments(), (number(v, "IP.flags") & 1) != 0);
    EXPECT_EQ(ip.dont_fragment(), (number(v, "IP.flags") & 2) != 0);
    EXPECT_EQ(ip.reserved_flag(), (number(v, "IP.flags") & 4) != 0);
    EXPECT_EQ(ip.fragment_offset(), number(v, "IP.frag") * 8);
    EXPECT_EQ(ip.ttl(), number(v, "IP.ttl"));
    EXPECT_EQ(ip.protocol(), number(v, "IP.proto"));
    EXPECT_EQ(ip.header_checksum(), number(v, "IP.chksum"));
    EXPECT_TRUE(ip.header_checksum_valid());
    EXPECT_EQ(ip.source(), ipv4(v, "IP.src"));
    EXPECT_EQ(ip.destination(), ipv4(v, "IP.dst"));
    EXPECT_EQ(ip.bytes().size(), number(v, "IP.len"));
    EXPECT_EQ(ip.bytes().data(), bytes(v).data());
    EXPECT_EQ(ip.header().size(), ip.header_length());
    EXPECT_EQ(ip.options().size(), ip.header_length() - 20);
    EXPECT_EQ(ip.payload().size(), ip.total_length() - ip.header_length());
    EXPECT_EQ(ip.payload().data(), bytes(v).data() + ip.header_length());
    EXPECT_FALSE(ip.truncated());
}

TEST(Ipv4View, ParsesEveryFieldOfEachScapyPacket) {
    for (const auto& v : kAll) {
        if (v.bytes[0] >> 4 != 4) continue;
        SCOPED_TRACE(v.name);
        const auto ip = Ipv4View::parse(bytes(v));
        ASSERT_TRUE(ip);
        expect_matches_scapy(*ip, v);
    }
}

TEST(Ipv4View, ExposesOptionsBetweenTheFixedHeaderAndThePayload) {
    const auto ip = Ipv4View::parse(bytes(kIpv4OptionsUdp));
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->header_length(), 28u);
    ASSERT_EQ(ip->options().size(), 8u);
    // Router Alert (RFC 2113): type 148, length 4; then NOPs.
    EXPECT_EQ(ip->options()[0], std::byte{148});
    EXPECT_EQ(ip->options()[1], std::byte{4});
    EXPECT_EQ(ip->options()[4], std::byte{1});
    EXPECT_EQ(ip->payload().data(),
              bytes(kIpv4OptionsUdp).data() + number(kIpv4OptionsUdp, "UDP.@start"));
    EXPECT_TRUE(ip->dont_fragment());
    EXPECT_FALSE(ip->is_fragment());
    EXPECT_FALSE(ip->is_first_fragment());
    EXPECT_TRUE(ip->has_upper_layer_header());
}

TEST(Ipv4View, TellsFirstMiddleAndLastFragmentsApart) {
    const auto first = Ipv4View::parse(bytes(kIpv4FirstFragment));
    const auto middle = Ipv4View::parse(bytes(kIpv4MiddleFragment));
    const auto last = Ipv4View::parse(bytes(kIpv4LastFragment));
    ASSERT_TRUE(first && middle && last);
    EXPECT_TRUE(first->is_fragment());
    EXPECT_TRUE(first->is_first_fragment());
    EXPECT_TRUE(first->has_upper_layer_header());
    EXPECT_EQ(first->fragment_offset(), 0);

    EXPECT_TRUE(middle->is_fragment());
    EXPECT_FALSE(middle->is_first_fragment());
    EXPECT_FALSE(middle->has_upper_layer_header());
    EXPECT_TRUE(middle->more_fragments());
    EXPECT_EQ(middle->fragment_offset(), 24);

    EXPECT_TRUE(last->is_fragment());
    EXPECT_FALSE(last->is_first_fragment());
    EXPECT_FALSE(last->more_fragments());
    EXPECT_GT(last->fragment_offset(), middle->fragment_offset());
    EXPECT_EQ(first->identification(), last->identification());
}

TEST(Ipv4View, IgnoresEthernetPaddingAfterTotalLength) {
    const auto all = bytes(kIpv4PaddedIcmpEcho);
    ASSERT_EQ(all.size(), 46u);
    const auto ip = Ipv4View::parse(all);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->bytes().size(), 28u);
    EXPECT_EQ(ip->payload().size(), 8u);
    EXPECT_FALSE(ip->truncated());
}

TEST(Ipv4View, RejectsIhlBelowFive) {
    for (std::uint8_t ihl = 0; ihl < 5; ++ihl) {
        auto packet = copy(kIpv4UdpZeroChecksum);
        packet[0] = std::byte(0x40 | ihl);
        EXPECT_FALSE(Ipv4View::parse(packet)) << int(ihl);
        EXPECT_FALSE(Ipv4View::parse_truncated(packet)) << int(ihl);
    }
}

TEST(Ipv4View, RejectsIhlBeyondTotalLength) {
    auto packet = copy(kIpv4UdpZeroChecksum);  // total length 39
    packet[0] = std::byte{0x4f};               // 60-byte header
    EXPECT_FALSE(Ipv4View::parse(packet));
}

TEST(Ipv4View, RejectsAVersionOtherThanFour) {
    auto packet = copy(kIpv4UdpZeroChecksum);
    packet[0] = std::byte{0x65};
    EXPECT_FALSE(Ipv4View::parse(packet));
}

TEST(Ipv4View, RejectsTotalLengthBeyondTheBuffer) {
    const auto all = bytes(kIpv4TcpOptions);
    EXPECT_FALSE(Ipv4View::parse(all.first(all.size() - 1)));
    auto packet = copy(kIpv4TcpOptions);
    packet.push_back(std::byte{0});
    packet[3] = std::byte(std::to_integer<int>(packet[3]) + 2);  // total length 1 past the buffer
    EXPECT_FALSE(Ipv4View::parse(packet));
}

TEST(Ipv4View, RejectsTotalLengthBelowTheHeaderLength) {
    auto packet = copy(kIpv4UdpZeroChecksum);
    packet[2] = std::byte{0};
    packet[3] = std::byte{19};
    EXPECT_FALSE(Ipv4View::parse(packet));
    EXPECT_FALSE(Ipv4View::parse_truncated(packet));
}

TEST(Ipv4View, RejectsEveryBufferShorterThanTheHeader) {
    const auto all = bytes(kIpv4OptionsUdp);
    for (std::size_t n = 0; n < 28; ++n) {
        EXPECT_FALSE(Ipv4View::parse(all.first(n))) << n;
        EXPECT_FALSE(Ipv4View::parse_truncated(all.first(n))) << n;
    }
}

TEST(Ipv4View, ParseTruncatedAcceptsAQuotedPacketCutAfterItsHeader) {
    const auto all = bytes(kIpv4OptionsUdp);
    for (std::size_t n = 28; n < all.size(); ++n) {
        EXPECT_FALSE(Ipv4View::parse(all.first(n)));
        const auto ip = Ipv4View::parse_truncated(all.first(n));
        ASSERT_TRUE(ip) << n;
        EXPECT_TRUE(ip->truncated());
        EXPECT_EQ(ip->payload().size(), n - 28);
        EXPECT_EQ(ip->total_length(), all.size());
    }
    const auto whole = Ipv4View::parse_truncated(all);
    ASSERT_TRUE(whole);
    EXPECT_FALSE(whole->truncated());
}

TEST(Ipv4View, ReadsTheQuotedPacketOfAnIcmpError) {
    const auto& v = kIpv4IcmpFragNeeded;
    const auto outer = Ipv4View::parse(bytes(v));
    ASSERT_TRUE(outer);
    const auto inner = Ipv4View::parse_truncated(outer->payload().subspan(8));
    ASSERT_TRUE(inner);
    EXPECT_TRUE(inner->truncated());
    EXPECT_EQ(inner->total_length(), number(v, "IPerror.len"));
    EXPECT_EQ(inner->identification(), number(v, "IPerror.id"));
    EXPECT_EQ(inner->ttl(), number(v, "IPerror.ttl"));
    EXPECT_EQ(inner->protocol(), kProtoUdp);
    EXPECT_EQ(inner->header_checksum(), number(v, "IPerror.chksum"));
    EXPECT_TRUE(inner->header_checksum_valid());
    EXPECT_TRUE(inner->dont_fragment());
    EXPECT_EQ(inner->source(), ipv4(v, "IPerror.src"));
    EXPECT_EQ(inner->destination(), ipv4(v, "IPerror.dst"));
    EXPECT_EQ(inner->payload().size(), 8u);
}

TEST(Ipv4View, DetectsABadHeaderChecksum) {
    auto packet = copy(kIpv4OptionsUdp);
    packet[10] ^= std::byte{0x01};
    const auto ip = Ipv4View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_FALSE(ip->header_checksum_valid());
}

}  // namespace
}  // namespace sixgate::net::packet
