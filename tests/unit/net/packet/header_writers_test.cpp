#include "net/packet/header_writers.hpp"

#include <gtest/gtest.h>

#include <array>

#include "net/packet/ipv4_view.hpp"
#include "net/packet/ipv6_view.hpp"
#include "net/packet/mutable_headers.hpp"
#include "net/packet/transport_views.hpp"
#include "vector_fields.hpp"

namespace sixgate::net::packet {
namespace {

using namespace vectors;

TEST(WriteIpv4Header, ReproducesScapysFirstFragmentHeaderByteForByte) {
    const auto& v = kIpv4FirstFragment;
    const auto ip = Ipv4View::parse(bytes(v));
    ASSERT_TRUE(ip);
    std::array<std::byte, 20> out{};
    const Ipv4HeaderFields fields{.tos = ip->tos(),
                                  .total_length = ip->total_length(),
                                  .identification = ip->identification(),
                                  .dont_fragment = ip->dont_fragment(),
                                  .more_fragments = ip->more_fragments(),
                                  .fragment_offset = ip->fragment_offset(),
                                  .ttl = ip->ttl(),
                                  .protocol = ip->protocol(),
                                  .source = ip->source(),
                                  .destination = ip->destination()};
    ASSERT_EQ(write_ipv4_header(out, fields), 20u);
    EXPECT_TRUE(std::equal(out.begin(), out.end(), bytes(v).begin()));
}

TEST(WriteIpv4Header, ReproducesScapysMiddleFragmentHeader) {
    const auto& v = kIpv4MiddleFragment;
    std::array<std::byte, 24> out{};
    const Ipv4HeaderFields fields{.total_length = std::uint16_t(number(v, "IP.len")),
                                  .identification = std::uint16_t(number(v, "IP.id")),
                                  .more_fragments = true,
                                  .fragment_offset = std::uint32_t(number(v, "IP.frag") * 8),
                                  .ttl = std::uint8_t(number(v, "IP.ttl")),
                                  .protocol = std::uint8_t(number(v, "IP.proto")),
                                  .source = ipv4(v, "IP.src"),
                                  .destination = ipv4(v, "IP.dst")};
    ASSERT_EQ(write_ipv4_header(out, fields), 20u);
    EXPECT_TRUE(std::equal(out.begin(), out.begin() + 20, bytes(v).begin()));
}

TEST(WriteIpv4Header, RefusesAShortBufferOrAnUnrepresentableOffset) {
    std::array<std::byte, 20> out{};
    EXPECT_EQ(write_ipv4_header(std::span(out).first(19), {}), 0u);
    EXPECT_EQ(write_ipv4_header(out, {.fragment_offset = 12}), 0u);
    EXPECT_EQ(write_ipv4_header(out, {.fragment_offset = 65536}), 0u);
    EXPECT_EQ(write_ipv4_header(out, {.fragment_offset = 65528}), 20u);
}

TEST(WriteIpv6Header, ReproducesScapysHeaderByteForByte) {
    const auto& v = kIpv6Udp;
    std::array<std::byte, 40> out{};
    const Ipv6HeaderFields fields{.traffic_class = std::uint8_t(number(v, "IPv6.tc")),
                                  .flow_label = std::uint32_t(number(v, "IPv6.fl")),
                                  .payload_length = std::uint16_t(number(v, "IPv6.plen")),
                                  .next_header = std::uint8_t(number(v, "IPv6.nh")),
                                  .hop_limit = std::uint8_t(number(v, "IPv6.hlim")),
                                  .source = ipv6(v, "IPv6.src"),
                                  .destination = ipv6(v, "IPv6.dst")};
    ASSERT_EQ(write_ipv6_header(out, fields), 40u);
    EXPECT_TRUE(std::equal(out.begin(), out.end(), bytes(v).begin()));
    EXPECT_EQ(write_ipv6_header(std::span(out).first(39), fields), 0u);
    EXPECT_EQ(write_ipv6_header(out, {.flow_label = 0x100000}), 0u);
}

TEST(WriteIpv6FragmentHeader, ReproducesScapysFragmentHeader) {
    const auto& v = kIpv6FragmentMiddle;
    std::array<std::byte, 8> out{};
    const Ipv6FragmentHeaderFields fields{
        .next_header = std::uint8_t(number(v, "IPv6ExtHdrFragment.nh")),
        .fragment_offset = std::uint32_t(number(v, "IPv6ExtHdrFragment.offset") * 8),
        .more_fragments = number(v, "IPv6ExtHdrFragment.m") != 0,
        .identification = std::uint32_t(number(v, "IPv6ExtHdrFragment.id"))};
    ASSERT_EQ(write_ipv6_fragment_header(out, fields), 8u);
    EXPECT_TRUE(std::equal(out.begin(), out.end(), bytes(v).begin() + 40));
    EXPECT_EQ(write_ipv6_fragment_header(std::span(out).first(7), fields), 0u);
    EXPECT_EQ(write_ipv6_fragment_header(out, {.fragment_offset = 4}), 0u);
}

TEST(MutableIpv4Header, RewritesFieldsAndRecomputesTheChecksum) {
    auto packet = copy(kIpv4OptionsUdp);
    auto header = MutableIpv4Header::wrap(packet);
    ASSERT_TRUE(header);
    EXPECT_EQ(header->header_length(), 28u);
    header->set_tos(0x10);
    header->set_total_length(std::uint16_t(packet.size()));
    header->set_identification(0x7777);
    ASSERT_TRUE(header->set_fragment(false, true, 1480));
    EXPECT_FALSE(header->set_fragment(false, true, 1481));
    header->set_ttl(9);
    header->set_protocol(kProtoTcp);
    header->set_source(Ipv4Address(10, 0, 0, 1));
    header->set_destination(Ipv4Address(10, 0, 0, 2));
    header->fill_header_checksum();
    const auto ip = Ipv4View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_TRUE(ip->header_checksum_valid());
    EXPECT_EQ(ip->tos(), 0x10);
    EXPECT_EQ(ip->identification(), 0x7777);
    EXPECT_FALSE(ip->dont_fragment());
    EXPECT_TRUE(ip->more_fragments());
    EXPECT_EQ(ip->fragment_offset(), 1480);
    EXPECT_EQ(ip->ttl(), 9);
    EXPECT_EQ(ip->protocol(), kProtoTcp);
    EXPECT_EQ(ip->source(), Ipv4Address(10, 0, 0, 1));
    EXPECT_EQ(ip->destination(), Ipv4Address(10, 0, 0, 2));
    EXPECT_EQ(ip->header_checksum(), header->header_checksum());
    header->set_header_checksum(0x1234);
    EXPECT_EQ(Ipv4View::parse(packet)->header_checksum(), 0x1234);
}

TEST(MutableIpv4Header, DecrementsTtlKeepingTheChecksumValid) {
    auto packet = copy(kIpv4TcpOptions);
    auto header = MutableIpv4Header::wrap(packet);
    ASSERT_TRUE(header);
    const auto ttl = header->ttl();
    header->decrement_ttl();
    const auto ip = Ipv4View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->ttl(), ttl - 1);
    EXPECT_TRUE(ip->header_checksum_valid());
}

TEST(MutableIpv4Header, WrapsOnlyAWholeIpv4Header) {
    auto packet = copy(kIpv4OptionsUdp);
    EXPECT_FALSE(MutableIpv4Header::wrap(std::span(packet).first(27)));
    packet[0] = std::byte{0x44};
    EXPECT_FALSE(MutableIpv4Header::wrap(packet));
    packet[0] = std::byte{0x65};
    EXPECT_FALSE(MutableIpv4Header::wrap(packet));
}

TEST(MutableIpv6Header, RewritesEveryField) {
    auto packet = copy(kIpv6Udp);
    auto header = MutableIpv6Header::wrap(packet);
    ASSERT_TRUE(header);
    header->set_traffic_class(0x2e);
    header->set_flow_label(0xfff12345);  // only the low 20 bits
    header->set_payload_length(std::uint16_t(packet.size() - 40));
    header->set_next_header(kProtoUdp);
    header->set_hop_limit(7);
    const auto source = *Ipv6Address::parse("64:ff9b::c000:201");
    const auto destination = *Ipv6Address::parse("2001:db8:ffff::1");
    header->set_source(source);
    header->set_destination(destination);
    EXPECT_EQ(header->hop_limit(), 7);
    EXPECT_EQ(header->header().size(), 40u);
    const auto ip = Ipv6View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->traffic_class(), 0x2e);
    EXPECT_EQ(ip->flow_label(), 0x12345u);
    EXPECT_EQ(ip->hop_limit(), 7);
    EXPECT_EQ(ip->source(), source);
    EXPECT_EQ(ip->destination(), destination);
    EXPECT_FALSE(MutableIpv6Header::wrap(std::span(packet).first(39)));
    packet[0] = std::byte{0x45};
    EXPECT_FALSE(MutableIpv6Header::wrap(packet));
}

TEST(MutableTransportHeaders, SetPortsLengthsAndChecksums) {
    auto packet = copy(kIpv6Udp);
    auto udp_bytes = std::span(packet).subspan(40);
    auto udp = MutableUdpHeader::wrap(udp_bytes);
    ASSERT_TRUE(udp);
    udp->set_source_port(1);
    udp->set_destination_port(2);
    udp->set_length(13);
    udp->set_checksum(0);
    EXPECT_EQ(udp->checksum(), 0);
    const auto ip = Ipv6View::parse(packet);
    ASSERT_TRUE(ip);
    udp->set_checksum(upper_layer_checksum(ip->source(), ip->destination(), kProtoUdp, udp_bytes));
    const auto view = UdpView::parse(udp_bytes);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->source_port(), 1);
    EXPECT_EQ(view->destination_port(), 2);
    EXPECT_EQ(upper_layer_checksum(ip->source(), ip->destination(), kProtoUdp, udp_bytes), 0);
    EXPECT_FALSE(MutableUdpHeader::wrap(udp_bytes.first(7)));

    auto tcp_packet = copy(kIpv4TcpOptions);
    auto tcp_bytes = std::span(tcp_packet).subspan(20);
    auto tcp = MutableTcpHeader::wrap(tcp_bytes);
    ASSERT_TRUE(tcp);
    EXPECT_EQ(tcp->checksum(), number(kIpv4TcpOptions, "TCP.chksum"));
    tcp->set_source_port(80);
    tcp->set_destination_port(8080);
    tcp->set_checksum(0xabcd);
    const auto tcp_view = TcpView::parse(tcp_bytes);
    ASSERT_TRUE(tcp_view);
    EXPECT_EQ(tcp_view->source_port(), 80);
    EXPECT_EQ(tcp_view->destination_port(), 8080);
    EXPECT_EQ(tcp_view->checksum(), 0xabcd);
    EXPECT_FALSE(MutableTcpHeader::wrap(tcp_bytes.first(19)));

    auto icmp_packet = copy(kIpv6EchoRequest);
    auto icmp_bytes = std::span(icmp_packet).subspan(40);
    auto icmp = MutableIcmpHeader::wrap(icmp_bytes);
    ASSERT_TRUE(icmp);
    icmp->set_type(IcmpView::kEchoRequest);
    icmp->set_code(0);
    icmp->set_rest_of_header(0x01020304);
    icmp->set_checksum(0xbeef);
    EXPECT_EQ(icmp->checksum(), 0xbeef);
    const auto icmp_view = IcmpView::parse(icmp_bytes);
    ASSERT_TRUE(icmp_view);
    EXPECT_EQ(icmp_view->type(), 8);
    EXPECT_EQ(icmp_view->identifier(), 0x0102);
    EXPECT_EQ(icmp_view->sequence(), 0x0304);
    EXPECT_FALSE(MutableIcmpHeader::wrap(icmp_bytes.first(7)));
}

}  // namespace
}  // namespace sixgate::net::packet
