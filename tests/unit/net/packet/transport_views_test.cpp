#include "net/packet/transport_views.hpp"

#include <gtest/gtest.h>

#include "net/packet/ipv4_view.hpp"
#include "net/packet/ipv6_view.hpp"
#include "vector_fields.hpp"

namespace sixgate::net::packet {
namespace {

using namespace vectors;

std::span<const std::byte> ipv4_payload(const PacketVector& v) {
    const auto ip = Ipv4View::parse(bytes(v));
    EXPECT_TRUE(ip);
    return ip ? ip->payload() : std::span<const std::byte>();
}

std::span<const std::byte> ipv6_payload(const PacketVector& v) {
    const auto ip = Ipv6View::parse(bytes(v));
    EXPECT_TRUE(ip);
    return ip ? ip->upper_layer_payload() : std::span<const std::byte>();
}

TEST(UdpView, ReadsEveryField) {
    const auto& v = kIpv6Udp;
    const auto ip = Ipv6View::parse(bytes(v));
    ASSERT_TRUE(ip);
    const auto udp = UdpView::parse(ip->upper_layer_payload());
    ASSERT_TRUE(udp);
    EXPECT_EQ(udp->source_port(), number(v, "UDP.sport"));
    EXPECT_EQ(udp->destination_port(), number(v, "UDP.dport"));
    EXPECT_EQ(udp->length(), number(v, "UDP.len"));
    EXPECT_EQ(udp->checksum(), number(v, "UDP.chksum"));
    EXPECT_FALSE(udp->has_zero_checksum());
    EXPECT_FALSE(udp->truncated());
    EXPECT_EQ(udp->header().size(), 8u);
    EXPECT_EQ(udp->bytes().size(), number(v, "UDP.len"));
    ASSERT_EQ(udp->payload().size(), 5u);
    EXPECT_EQ(udp->payload()[0], std::byte{'p'});
    EXPECT_EQ(upper_layer_checksum(ip->source(), ip->destination(), kProtoUdp, udp->bytes()), 0);
}

TEST(UdpView, DetectsAZeroChecksum) {
    const auto& v = kIpv4UdpZeroChecksum;
    const auto udp = UdpView::parse(ipv4_payload(v));
    ASSERT_TRUE(udp);
    EXPECT_EQ(number(v, "UDP.chksum"), 0u);
    EXPECT_TRUE(udp->has_zero_checksum());
}

TEST(UdpView, ComputesTheIpv4ChecksumScapyComputed) {
    const auto& v = kIpv4OptionsUdp;
    const auto ip = Ipv4View::parse(bytes(v));
    ASSERT_TRUE(ip);
    const auto udp = UdpView::parse(ip->payload());
    ASSERT_TRUE(udp);
    EXPECT_EQ(udp->checksum(), number(v, "UDP.chksum"));
    EXPECT_EQ(upper_layer_checksum(ip->source(), ip->destination(), kProtoUdp, udp->bytes()), 0);
    std::vector<std::byte> zeroed(udp->bytes().begin(), udp->bytes().end());
    zeroed[6] = zeroed[7] = std::byte{0};
    EXPECT_EQ(upper_layer_checksum(ip->source(), ip->destination(), kProtoUdp, zeroed),
              number(v, "UDP.chksum"));
}

TEST(UdpView, RejectsLengthBelowEightOrBeyondTheBuffer) {
    auto segment = copy(kIpv4UdpZeroChecksum);
    std::span<std::byte> udp = std::span(segment).subspan(20);
    udp[5] = std::byte{7};
    EXPECT_FALSE(UdpView::parse(udp));
    EXPECT_FALSE(UdpView::parse_truncated(udp));
    udp[5] = std::byte(udp.size() + 1);
    EXPECT_FALSE(UdpView::parse(udp));
    const auto truncated = UdpView::parse_truncated(udp);
    ASSERT_TRUE(truncated);
    EXPECT_TRUE(truncated->truncated());
    for (std::size_t n = 0; n < 8; ++n) EXPECT_FALSE(UdpView::parse_truncated(udp.first(n)));
}

TEST(UdpView, IgnoresBytesAfterLength) {
    auto segment = copy(kIpv4UdpZeroChecksum);
    auto udp = std::span<const std::byte>(segment).subspan(20);
    segment.push_back(std::byte{0xee});
    udp = std::span<const std::byte>(segment).subspan(20);
    const auto view = UdpView::parse(udp);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->bytes().size(), udp.size() - 1);
}

TEST(UdpView, ReadsTheQuotedHeaderOfAnIcmpError) {
    const auto& v = kIpv4IcmpFragNeeded;
    const auto icmp = IcmpView::parse(ipv4_payload(v));
    ASSERT_TRUE(icmp);
    const auto inner = Ipv4View::parse_truncated(icmp->body());
    ASSERT_TRUE(inner);
    EXPECT_FALSE(UdpView::parse(inner->payload()));
    const auto udp = UdpView::parse_truncated(inner->payload());
    ASSERT_TRUE(udp);
    EXPECT_TRUE(udp->truncated());
    EXPECT_EQ(udp->source_port(), number(v, "UDPerror.sport"));
    EXPECT_EQ(udp->destination_port(), number(v, "UDPerror.dport"));
    EXPECT_EQ(udp->length(), number(v, "UDPerror.len"));
    EXPECT_EQ(udp->checksum(), number(v, "UDPerror.chksum"));
    EXPECT_TRUE(udp->payload().empty());
}

TEST(TcpView, ReadsEveryFieldAndTheOptions) {
    const auto& v = kIpv4TcpOptions;
    const auto ip = Ipv4View::parse(bytes(v));
    ASSERT_TRUE(ip);
    const auto tcp = TcpView::parse(ip->payload());
    ASSERT_TRUE(tcp);
    EXPECT_EQ(tcp->source_port(), number(v, "TCP.sport"));
    EXPECT_EQ(tcp->destination_port(), number(v, "TCP.dport"));
    EXPECT_EQ(tcp->sequence_number(), number(v, "TCP.seq"));
    EXPECT_EQ(tcp->acknowledgment_number(), number(v, "TCP.ack"));
    EXPECT_EQ(tcp->data_offset(), number(v, "TCP.dataofs"));
    EXPECT_EQ(tcp->header_length(), number(v, "TCP.dataofs") * 4);
    EXPECT_EQ(tcp->flags(), number(v, "TCP.flags") & 0xff);
    EXPECT_TRUE(tcp->syn());
    EXPECT_TRUE(tcp->ack());
    EXPECT_FALSE(tcp->fin());
    EXPECT_FALSE(tcp->rst());
    EXPECT_FALSE(tcp->psh());
    EXPECT_FALSE(tcp->urg());
    EXPECT_FALSE(tcp->ece());
    EXPECT_FALSE(tcp->cwr());
    EXPECT_EQ(tcp->window(), number(v, "TCP.window"));
    EXPECT_EQ(tcp->checksum(), number(v, "TCP.chksum"));
    EXPECT_EQ(tcp->urgent_pointer(), number(v, "TCP.urgptr"));
    EXPECT_EQ(tcp->header().size(), tcp->header_length());
    ASSERT_EQ(tcp->options().size(), tcp->header_length() - 20);
    EXPECT_EQ(tcp->options()[0], std::byte{2});  // MSS
    EXPECT_EQ(tcp->payload().size(), 5u);
    EXPECT_EQ(upper_layer_checksum(ip->source(), ip->destination(), kProtoTcp, tcp->bytes()), 0);
}

TEST(TcpView, RejectsDataOffsetBelowFiveOrBeyondTheBuffer) {
    auto packet = copy(kIpv4TcpOptions);
    auto tcp = std::span<std::byte>(packet).subspan(20);
    for (int offset = 0; offset < 5; ++offset) {
        tcp[12] = std::byte(offset << 4);
        EXPECT_FALSE(TcpView::parse(tcp)) << offset;
    }
    tcp[12] = std::byte{0xf0};  // 60 bytes, only 45 present
    EXPECT_FALSE(TcpView::parse(tcp));
    tcp[12] = std::byte{0x50};
    for (std::size_t n = 0; n < 20; ++n) EXPECT_FALSE(TcpView::parse(tcp.first(n))) << n;
    EXPECT_TRUE(TcpView::parse(tcp.first(20)));
}

TEST(TcpView, ReadsTheQuotedHeaderOfAnIcmpError) {
    const auto& v = kIpv4IcmpTimeExceededTcp;
    const auto icmp = IcmpView::parse(ipv4_payload(v));
    ASSERT_TRUE(icmp);
    const auto inner = Ipv4View::parse_truncated(icmp->body());
    ASSERT_TRUE(inner);
    const auto tcp = TcpView::parse(inner->payload());
    ASSERT_TRUE(tcp);
    EXPECT_EQ(tcp->source_port(), number(v, "TCPerror.sport"));
    EXPECT_EQ(tcp->destination_port(), number(v, "TCPerror.dport"));
    EXPECT_EQ(tcp->sequence_number(), number(v, "TCPerror.seq"));
    EXPECT_EQ(tcp->acknowledgment_number(), number(v, "TCPerror.ack"));
    EXPECT_EQ(tcp->flags(), number(v, "TCPerror.flags") & 0xff);
    EXPECT_TRUE(tcp->psh());
    EXPECT_EQ(tcp->checksum(), number(v, "TCPerror.chksum"));
    EXPECT_EQ(tcp->payload().size(), 16u);
}

TEST(IcmpView, ReadsAnErrorAndItsQuotedPacket) {
    const auto& v = kIpv4IcmpFragNeeded;
    const auto icmp = IcmpView::parse(ipv4_payload(v));
    ASSERT_TRUE(icmp);
    EXPECT_EQ(icmp->type(), number(v, "ICMP.type"));
    EXPECT_EQ(icmp->code(), number(v, "ICMP.code"));
    EXPECT_EQ(icmp->checksum(), number(v, "ICMP.chksum"));
    EXPECT_EQ(icmp->next_hop_mtu(), number(v, "ICMP.nexthopmtu"));
    EXPECT_EQ(icmp->rest_of_header(), number(v, "ICMP.nexthopmtu"));
    EXPECT_TRUE(icmp->is_error());
    EXPECT_TRUE(icmp->checksum_valid());
    EXPECT_EQ(icmp->header().size(), 8u);
    EXPECT_EQ(icmp->body().size(), 28u);
    EXPECT_EQ(icmp->bytes().size(), 36u);
}

TEST(IcmpView, ReadsAnEchoRequest) {
    const auto& v = kIpv4PaddedIcmpEcho;
    const auto icmp = IcmpView::parse(ipv4_payload(v));
    ASSERT_TRUE(icmp);
    EXPECT_EQ(icmp->type(), IcmpView::kEchoRequest);
    EXPECT_EQ(icmp->identifier(), number(v, "ICMP.id"));
    EXPECT_EQ(icmp->sequence(), number(v, "ICMP.seq"));
    EXPECT_FALSE(icmp->is_error());
    EXPECT_TRUE(icmp->checksum_valid());
    EXPECT_TRUE(icmp->body().empty());
}

TEST(IcmpView, ClassifiesErrorTypes) {
    std::array<std::byte, 8> message{};
    for (int type = 0; type < 256; ++type) {
        message[0] = std::byte(type);
        const auto icmp = IcmpView::parse(message);
        ASSERT_TRUE(icmp);
        const bool error = type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
        EXPECT_EQ(icmp->is_error(), error) << type;
    }
    EXPECT_FALSE(IcmpView::parse(std::span(message).first(7)));
}

TEST(IcmpView, ReadsTheParameterProblemPointer) {
    std::array<std::byte, 8> message{std::byte{12}, std::byte{0}, std::byte{0}, std::byte{0},
                                     std::byte{9}};
    const auto icmp = IcmpView::parse(message);
    ASSERT_TRUE(icmp);
    EXPECT_EQ(icmp->pointer(), 9);
}

TEST(Icmpv6View, ReadsPacketTooBig) {
    const auto& v = kIpv6PacketTooBigTcp;
    const auto ip = Ipv6View::parse(bytes(v));
    ASSERT_TRUE(ip);
    const auto icmp = Icmpv6View::parse(ip->upper_layer_payload());
    ASSERT_TRUE(icmp);
    EXPECT_EQ(icmp->type(), number(v, "ICMPv6PacketTooBig.type"));
    EXPECT_EQ(icmp->code(), number(v, "ICMPv6PacketTooBig.code"));
    EXPECT_EQ(icmp->checksum(), number(v, "ICMPv6PacketTooBig.cksum"));
    EXPECT_EQ(icmp->mtu(), number(v, "ICMPv6PacketTooBig.mtu"));
    EXPECT_TRUE(icmp->is_error());
    EXPECT_TRUE(icmp->checksum_valid(ip->source(), ip->destination()));
    EXPECT_FALSE(icmp->checksum_valid(ip->source(), *Ipv6Address::parse("2001:db8::99")));
    const auto inner = Ipv6View::parse_truncated(icmp->body());
    ASSERT_TRUE(inner);
    const auto tcp = TcpView::parse(inner->upper_layer_payload());
    ASSERT_TRUE(tcp);
    EXPECT_EQ(tcp->source_port(), number(v, "TCPerror.sport"));
    EXPECT_EQ(tcp->sequence_number(), number(v, "TCPerror.seq"));
    EXPECT_EQ(tcp->checksum(), number(v, "TCPerror.chksum"));
}

TEST(Icmpv6View, ReadsDestinationUnreachableQuotingAFirstFragment) {
    const auto& v = kIpv6UnreachableFragmentedUdp;
    const auto icmp = Icmpv6View::parse(ipv6_payload(v));
    ASSERT_TRUE(icmp);
    EXPECT_EQ(icmp->type(), Icmpv6View::kDestinationUnreachable);
    EXPECT_EQ(icmp->code(), number(v, "ICMPv6DestUnreach.code"));
    EXPECT_EQ(icmp->rest_of_header(), 0u);
    const auto inner = Ipv6View::parse_truncated(icmp->body());
    ASSERT_TRUE(inner);
    const auto udp = UdpView::parse_truncated(inner->upper_layer_payload());
    ASSERT_TRUE(udp);
    EXPECT_TRUE(udp->truncated());
    EXPECT_EQ(udp->length(), number(v, "UDP.len"));
    EXPECT_EQ(udp->source_port(), number(v, "UDP.sport"));
}

TEST(Icmpv6View, ReadsAnEchoRequest) {
    const auto& v = kIpv6EchoRequest;
    const auto ip = Ipv6View::parse(bytes(v));
    ASSERT_TRUE(ip);
    const auto icmp = Icmpv6View::parse(ip->upper_layer_payload());
    ASSERT_TRUE(icmp);
    EXPECT_EQ(icmp->type(), Icmpv6View::kEchoRequest);
    EXPECT_EQ(icmp->identifier(), number(v, "ICMPv6EchoRequest.id"));
    EXPECT_EQ(icmp->sequence(), number(v, "ICMPv6EchoRequest.seq"));
    EXPECT_EQ(icmp->checksum(), number(v, "ICMPv6EchoRequest.cksum"));
    EXPECT_FALSE(icmp->is_error());
    EXPECT_TRUE(icmp->checksum_valid(ip->source(), ip->destination()));
    EXPECT_EQ(icmp->body().size(), 4u);
}

TEST(Icmpv6View, ClassifiesTypesBelow128AsErrors) {
    std::array<std::byte, 8> message{};
    for (int type = 0; type < 256; ++type) {
        message[0] = std::byte(type);
        const auto icmp = Icmpv6View::parse(message);
        ASSERT_TRUE(icmp);
        EXPECT_EQ(icmp->is_error(), type < 128) << type;
    }
    EXPECT_FALSE(Icmpv6View::parse(std::span(message).first(7)));
}

}  // namespace
}  // namespace sixgate::net::packet
