#include "net/packet/ipv6_view.hpp"

#include <gtest/gtest.h>

#include "vector_fields.hpp"

namespace sixgate::net::packet {
namespace {

using namespace vectors;

TEST(Ipv6View, ParsesTheFixedHeaderOfEachScapyPacket) {
    for (const auto& v : kAll) {
        if (v.bytes[0] >> 4 != 6 || v.name == "Ipv6NineDestinationOptions" ||
            v.name == "Ipv6Jumbo") {
            continue;
        }
        SCOPED_TRACE(v.name);
        const auto ip = Ipv6View::parse(bytes(v));
        ASSERT_TRUE(ip);
        EXPECT_EQ(ip->traffic_class(), number(v, "IPv6.tc"));
        EXPECT_EQ(ip->dscp(), number(v, "IPv6.tc") >> 2);
        EXPECT_EQ(ip->ecn(), number(v, "IPv6.tc") & 3);
        EXPECT_EQ(ip->flow_label(), number(v, "IPv6.fl"));
        EXPECT_EQ(ip->payload_length(), number(v, "IPv6.plen"));
        EXPECT_EQ(ip->next_header(), number(v, "IPv6.nh"));
        EXPECT_EQ(ip->hop_limit(), number(v, "IPv6.hlim"));
        EXPECT_EQ(ip->source(), ipv6(v, "IPv6.src"));
        EXPECT_EQ(ip->destination(), ipv6(v, "IPv6.dst"));
        EXPECT_EQ(ip->bytes().size(), 40 + number(v, "IPv6.plen"));
        EXPECT_EQ(ip->header().size(), 40u);
        EXPECT_EQ(ip->payload().size(), number(v, "IPv6.plen"));
        EXPECT_FALSE(ip->truncated());
        EXPECT_EQ(ip->upper_layer_payload().size(), ip->bytes().size() - ip->upper_layer_offset());
        EXPECT_EQ(ip->extension_headers().size(), ip->extension_headers_length());
    }
}

TEST(Ipv6View, ReadsTrafficClassAndFlowLabel) {
    const auto ip = Ipv6View::parse(bytes(kIpv6Udp));
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->traffic_class(), 0xb8);
    EXPECT_EQ(ip->dscp(), 46);
    EXPECT_EQ(ip->flow_label(), 0xabcdeu);
    EXPECT_EQ(ip->chain_end(), ChainEnd::upper_layer);
    EXPECT_EQ(ip->upper_layer_protocol(), kProtoUdp);
    EXPECT_EQ(ip->upper_layer_offset(), number(kIpv6Udp, "UDP.@start"));
    EXPECT_EQ(ip->extension_headers_length(), 0u);
    EXPECT_FALSE(ip->has_fragment_header());
    EXPECT_FALSE(ip->has_routing_header());
    EXPECT_FALSE(ip->is_fragment());
    EXPECT_EQ(ip->fragment_header_offset(), 0u);
    EXPECT_EQ(ip->routing_header_offset(), 0u);
}

TEST(Ipv6View, WalksHopByHopRoutingFragmentAndDestinationOptions) {
    const auto& v = kIpv6Chain;
    const auto ip = Ipv6View::parse(bytes(v));
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->chain_end(), ChainEnd::upper_layer);
    EXPECT_EQ(ip->chain().header_count(), 4u);
    EXPECT_EQ(ip->upper_layer_protocol(), number(v, "IPv6ExtHdrDestOpt.nh"));
    EXPECT_EQ(ip->upper_layer_offset(), number(v, "UDP.@start"));
    EXPECT_EQ(ip->extension_headers_length(), number(v, "UDP.@start") - 40);
    EXPECT_EQ(ip->upper_layer_payload().size(), number(v, "UDP.len"));

    ASSERT_TRUE(ip->has_routing_header());
    EXPECT_EQ(ip->routing_header_offset(), number(v, "IPv6ExtHdrRouting.@start"));
    EXPECT_EQ(ip->routing_type(), number(v, "IPv6ExtHdrRouting.type"));
    EXPECT_EQ(ip->segments_left(), number(v, "IPv6ExtHdrRouting.segleft"));

    ASSERT_TRUE(ip->has_fragment_header());
    EXPECT_EQ(ip->fragment_header_offset(), number(v, "IPv6ExtHdrFragment.@start"));
    EXPECT_EQ(ip->fragment_offset(), number(v, "IPv6ExtHdrFragment.offset") * 8);
    EXPECT_EQ(ip->more_fragments(), number(v, "IPv6ExtHdrFragment.m") != 0);
    EXPECT_EQ(ip->fragment_identification(), number(v, "IPv6ExtHdrFragment.id"));
    EXPECT_EQ(ip->chain().fragment_next_header(), number(v, "IPv6ExtHdrFragment.nh"));
    EXPECT_TRUE(ip->is_fragment());
    EXPECT_TRUE(ip->is_first_fragment());
}

TEST(Ipv6View, StopsAtTheDataOfANonFirstFragment) {
    for (const auto* v : {&kIpv6FragmentMiddle, &kIpv6FragmentLast}) {
        SCOPED_TRACE(v->name);
        const auto ip = Ipv6View::parse(bytes(*v));
        ASSERT_TRUE(ip);
        EXPECT_EQ(ip->chain_end(), ChainEnd::fragment_data);
        EXPECT_EQ(ip->upper_layer_protocol(), number(*v, "IPv6ExtHdrFragment.nh"));
        EXPECT_EQ(ip->upper_layer_offset(), 48u);
        EXPECT_EQ(ip->fragment_header_offset(), number(*v, "IPv6ExtHdrFragment.@start"));
        EXPECT_EQ(ip->fragment_offset(), number(*v, "IPv6ExtHdrFragment.offset") * 8);
        EXPECT_EQ(ip->more_fragments(), number(*v, "IPv6ExtHdrFragment.m") != 0);
        EXPECT_EQ(ip->fragment_identification(), number(*v, "IPv6ExtHdrFragment.id"));
        EXPECT_TRUE(ip->is_fragment());
        EXPECT_FALSE(ip->is_first_fragment());
    }
}

TEST(Ipv6View, TreatsAnAtomicFragmentAsNoFragment) {
    auto packet = copy(kIpv6FragmentLast);
    packet[42] = std::byte{0};  // offset 0, M clear
    packet[43] = std::byte{0};
    const auto ip = Ipv6View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_TRUE(ip->has_fragment_header());
    EXPECT_FALSE(ip->is_fragment());
    EXPECT_EQ(ip->chain_end(), ChainEnd::upper_layer);
}

TEST(Ipv6View, ReportsAnUnsupportedExtensionHeader) {
    const auto ip = Ipv6View::parse(bytes(kIpv6UnknownNextHeader));
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->chain_end(), ChainEnd::unsupported_extension);
    EXPECT_EQ(ip->upper_layer_protocol(), 253);
    EXPECT_EQ(ip->upper_layer_offset(), 40u);
}

TEST(Ipv6View, StopsAtEsp) {
    const auto ip = Ipv6View::parse(bytes(kIpv6Esp));
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->chain_end(), ChainEnd::esp);
    EXPECT_EQ(ip->upper_layer_protocol(), kProtoEsp);
    EXPECT_EQ(ip->upper_layer_offset(), number(kIpv6Esp, "ESP.@start"));
}

TEST(Ipv6View, StopsAtAuthenticationHeader) {
    auto packet = copy(kIpv6Esp);
    packet[40] = std::byte{kProtoAh};
    const auto ip = Ipv6View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->chain_end(), ChainEnd::authentication_header);
    EXPECT_EQ(ip->upper_layer_protocol(), kProtoAh);
}

TEST(Ipv6View, StopsAtNoNextHeader) {
    const auto ip = Ipv6View::parse(bytes(kIpv6NoNextHeader));
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->chain_end(), ChainEnd::no_next_header);
    EXPECT_EQ(ip->upper_layer_protocol(), kProtoNoNextHeader);
    EXPECT_EQ(ip->upper_layer_offset(), 48u);
    EXPECT_TRUE(ip->upper_layer_payload().empty());
}

TEST(Ipv6View, RejectsMoreThanEightExtensionHeaders) {
    EXPECT_FALSE(Ipv6View::parse(bytes(kIpv6NineDestinationOptions)));
    // Eight are accepted: the same packet with the first header removed.
    auto packet = copy(kIpv6NineDestinationOptions);
    packet.erase(packet.begin() + 40, packet.begin() + 48);
    packet[5] = std::byte(std::to_integer<int>(packet[5]) - 8);
    const auto ip = Ipv6View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->chain().header_count(), 8u);
    EXPECT_EQ(ip->upper_layer_protocol(), kProtoUdp);
}

TEST(Ipv6View, RejectsMoreThan512BytesOfExtensionHeaders) {
    // Hop-by-Hop of 256 bytes and Destination Options of 264 bytes, then No Next Header.
    std::vector<std::byte> packet(40 + 256 + 264);
    packet[0] = std::byte{0x60};
    packet[4] = std::byte{(256 + 264) >> 8};
    packet[5] = std::byte{(256 + 264) & 0xff};
    packet[6] = std::byte{kProtoHopByHop};
    packet[40] = std::byte{kProtoDestinationOptions};
    packet[41] = std::byte{31};
    packet[40 + 256] = std::byte{kProtoNoNextHeader};
    packet[40 + 257] = std::byte{32};
    EXPECT_FALSE(Ipv6View::parse(packet));
    packet[40 + 257] = std::byte{31};  // 256 + 256 = 512: accepted
    packet[5] = std::byte{(256 + 256) & 0xff};
    packet[4] = std::byte{(256 + 256) >> 8};
    const auto ip = Ipv6View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->extension_headers_length(), 512u);
}

TEST(Ipv6View, RejectsHopByHopAfterAnotherHeader) {
    auto packet = copy(kIpv6NoNextHeader);
    packet[40] = std::byte{kProtoHopByHop};  // Destination Options -> Hop-by-Hop
    EXPECT_FALSE(Ipv6View::parse(packet));
}

TEST(Ipv6View, RejectsTwoFragmentHeaders) {
    auto packet = copy(kIpv6FragmentLast);
    packet[40] = std::byte{kProtoFragment};
    packet[42] = std::byte{0};  // first fragment, so the walk goes on into the data
    packet[43] = std::byte{1};
    EXPECT_FALSE(Ipv6View::parse(packet));
}

TEST(Ipv6View, RejectsJumbograms) {
    EXPECT_FALSE(Ipv6View::parse(bytes(kIpv6Jumbo)));
    EXPECT_FALSE(Ipv6View::parse_truncated(bytes(kIpv6Jumbo)));
}

TEST(Ipv6View, AcceptsAnEmptyPayload) {
    auto packet = copy(kIpv6UnknownNextHeader);
    packet.resize(40);
    packet[4] = packet[5] = std::byte{0};
    packet[6] = std::byte{kProtoNoNextHeader};
    const auto ip = Ipv6View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->chain_end(), ChainEnd::no_next_header);
}

TEST(Ipv6View, RejectsAVersionOtherThanSix) {
    auto packet = copy(kIpv6Udp);
    packet[0] = std::byte{0x4b};
    EXPECT_FALSE(Ipv6View::parse(packet));
}

TEST(Ipv6View, IgnoresBytesAfterThePayloadLength) {
    auto packet = copy(kIpv6Udp);
    packet.resize(packet.size() + 10);
    const auto ip = Ipv6View::parse(packet);
    ASSERT_TRUE(ip);
    EXPECT_EQ(ip->bytes().size(), kIpv6Udp.bytes.size());
}

TEST(Ipv6View, RejectsAChainTruncatedAtEveryByte) {
    const auto all = bytes(kIpv6Chain);
    const std::size_t chain_end = number(kIpv6Chain, "UDP.@start");
    for (std::size_t n = 0; n < all.size(); ++n) {
        EXPECT_FALSE(Ipv6View::parse(all.first(n))) << n;
        // Quoted packets may be cut in the payload, never in the header chain.
        EXPECT_EQ(Ipv6View::parse_truncated(all.first(n)).has_value(), n >= chain_end) << n;
    }
    EXPECT_TRUE(Ipv6View::parse(all));
}

TEST(Ipv6View, RejectsAChainThatOverrunsThePayloadLength) {
    auto packet = copy(kIpv6Chain);
    packet[5] = std::byte{40};  // the chain is 64 bytes
    EXPECT_FALSE(Ipv6View::parse(packet));
    EXPECT_FALSE(Ipv6View::parse_truncated(packet));
}

TEST(Ipv6View, ReadsTheTruncatedQuotedPacketOfPacketTooBig) {
    const auto& v = kIpv6PacketTooBigTcp;
    const auto outer = Ipv6View::parse(bytes(v));
    ASSERT_TRUE(outer);
    EXPECT_EQ(outer->upper_layer_protocol(), kProtoIcmpv6);
    const auto quoted = outer->upper_layer_payload().subspan(8);
    EXPECT_FALSE(Ipv6View::parse(quoted));
    const auto inner = Ipv6View::parse_truncated(quoted);
    ASSERT_TRUE(inner);
    EXPECT_TRUE(inner->truncated());
    EXPECT_EQ(inner->payload_length(), number(v, "IPerror6.plen"));
    EXPECT_EQ(inner->flow_label(), number(v, "IPerror6.fl"));
    EXPECT_EQ(inner->hop_limit(), number(v, "IPerror6.hlim"));
    EXPECT_EQ(inner->source(), ipv6(v, "IPerror6.src"));
    EXPECT_EQ(inner->destination(), ipv6(v, "IPerror6.dst"));
    EXPECT_EQ(inner->upper_layer_protocol(), kProtoTcp);
    EXPECT_EQ(inner->upper_layer_payload().size(), 120u);
}

TEST(Ipv6View, ReadsTheFragmentHeaderOfAQuotedPacket) {
    const auto& v = kIpv6UnreachableFragmentedUdp;
    const auto outer = Ipv6View::parse(bytes(v));
    ASSERT_TRUE(outer);
    const auto inner = Ipv6View::parse_truncated(outer->upper_layer_payload().subspan(8));
    ASSERT_TRUE(inner);
    EXPECT_TRUE(inner->is_first_fragment());
    EXPECT_EQ(inner->fragment_identification(), number(v, "IPv6ExtHdrFragment.id"));
    EXPECT_EQ(inner->fragment_header_offset(),
              number(v, "IPv6ExtHdrFragment.@start") - number(v, "IPerror6.@start"));
    EXPECT_EQ(inner->upper_layer_protocol(), kProtoUdp);
    EXPECT_EQ(inner->upper_layer_offset(), number(v, "UDP.@start") - number(v, "IPerror6.@start"));
}

TEST(ChainEnd, HasStableNames) {
    EXPECT_EQ(to_string(ChainEnd::upper_layer), "upper_layer");
    EXPECT_EQ(to_string(ChainEnd::no_next_header), "no_next_header");
    EXPECT_EQ(to_string(ChainEnd::fragment_data), "fragment_data");
    EXPECT_EQ(to_string(ChainEnd::esp), "esp");
    EXPECT_EQ(to_string(ChainEnd::authentication_header), "authentication_header");
    EXPECT_EQ(to_string(ChainEnd::unsupported_extension), "unsupported_extension");
}

}  // namespace
}  // namespace sixgate::net::packet
