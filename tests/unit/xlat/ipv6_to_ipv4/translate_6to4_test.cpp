// Properties of translate_ipv6_to_ipv4 beyond the scapy vectors: never a crash or an invalid packet
// on cut or corrupted input, drops leave the input alone, errors built without headroom, the
// Identification counter, and routers that do not decrement.

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "net/checksum.hpp"
#include "net/packet/packet.hpp"
#include "tests/unit/xlat/ipv6_to_ipv4/translate_6to4_test_util.hpp"
#include "tests/unit/xlat/ipv6_to_ipv4/vectors_6to4.hpp"
#include "xlat/ipv6_to_ipv4.hpp"

namespace sixgate::xlat::testing {
namespace {

namespace pk = net::packet;

const vectors6to4::Vector& vector_named(std::string_view name) {
    for (const auto& vector : vectors6to4::kAll) {
        if (vector.name == name) return vector;
    }
    ADD_FAILURE() << "no vector " << name;
    return vectors6to4::kAll[0];
}

// Whatever comes out is a valid packet: IPv4 fragments with good header checksums, or an ICMPv6
// error with a good checksum; a drop leaves the input as it was.
void expect_valid_outcome(const TranslationResult& result, const pk::PacketBuffer& buffer,
                          const std::vector<std::uint8_t>& input) {
    switch (result.verdict) {
        case Verdict::drop:
            EXPECT_EQ(to_vector(buffer.data()), input);
            return;
        case Verdict::icmp_error: {
            const auto ipv6 = pk::Ipv6View::parse(buffer.data());
            ASSERT_TRUE(ipv6);
            ASSERT_EQ(ipv6->upper_layer_protocol(), pk::kProtoIcmpv6);
            const auto icmp = pk::Icmpv6View::parse(ipv6->upper_layer_payload());
            ASSERT_TRUE(icmp);
            EXPECT_TRUE(icmp->checksum_valid(ipv6->source(), ipv6->destination()));
            EXPECT_LE(buffer.size(), 1280u);
            return;
        }
        case Verdict::translated: {
            ASSERT_GE(result.fragment_count, 1u);
            std::size_t at = 0;
            for (std::size_t i = 0; i < result.fragment_count; ++i) {
                const auto fragment = buffer.data().subspan(at, result.fragment_lengths[i]);
                const auto ipv4 = pk::Ipv4View::parse(fragment);
                ASSERT_TRUE(ipv4);
                EXPECT_TRUE(ipv4->header_checksum_valid());
                EXPECT_EQ(ipv4->total_length(), fragment.size());
                at += fragment.size();
            }
            EXPECT_EQ(at, buffer.size());
            return;
        }
    }
}

void translate_and_check(std::span<const std::uint8_t> input, const vectors6to4::Vector& vector) {
    auto& buffer = scratch_buffer();
    ASSERT_TRUE(buffer.assign(as_bytes(input)));
    TranslatorSettings settings;
    settings.ipv4_next_hop_mtu = vector.ipv4_next_hop_mtu;
    settings.ipv6_next_hop_mtu = vector.ipv6_next_hop_mtu;
    const auto result = translate_ipv6_to_ipv4(buffer, mapping_named(vector.mapping), settings, 1);
    expect_valid_outcome(result, buffer, std::vector<std::uint8_t>(input.begin(), input.end()));
}

TEST(Translate6to4Robustness, EveryCutOfEveryVectorGivesAValidPacketOrADrop) {
    RecordProperty("rfc", "7915 5");
    for (const auto& vector : vectors6to4::kAll) {
        SCOPED_TRACE(vector.name);
        for (std::size_t length = 0; length <= vector.input.size(); ++length)
            translate_and_check(vector.input.first(length), vector);
    }
}

TEST(Translate6to4Robustness, EveryCorruptedByteOfEveryVectorGivesAValidPacketOrADrop) {
    RecordProperty("rfc", "7915 5");
    for (const auto& vector : vectors6to4::kAll) {
        SCOPED_TRACE(vector.name);
        std::vector<std::uint8_t> input(vector.input.begin(), vector.input.end());
        for (std::size_t at = 0; at < input.size(); ++at) {
            const std::uint8_t original = input[at];
            for (const std::uint8_t value :
                 {std::uint8_t(original ^ 0xff), std::uint8_t{0}, std::uint8_t(original + 1)}) {
                input[at] = value;
                translate_and_check(input, vector);
            }
            input[at] = original;
        }
    }
}

TEST(Translate6to4Errors, TimeExceededIsBuiltEvenWithoutHeadroom) {
    RecordProperty("rfc", "7915 5.4");
    const auto& vector = vector_named("HopLimitOneGetsTimeExceeded");
    auto& buffer = scratch_buffer();
    const auto space = buffer.reset(0);
    std::memcpy(space.data(), vector.input.data(), vector.input.size());
    ASSERT_TRUE(buffer.set_length(vector.input.size()));
    const auto result = translate_ipv6_to_ipv4(buffer, mapping_named("nsp"), {}, 1);
    EXPECT_EQ(result.verdict, Verdict::icmp_error);
    EXPECT_EQ(to_vector(buffer.data()),
              std::vector<std::uint8_t>(vector.output.begin(), vector.output.end()));
}

TEST(Translate6to4Header, HopLimitIsCopiedWhenTheTranslatorDoesNotDecrement) {
    RecordProperty("rfc", "7915 5.1");
    const auto& vector = vector_named("HopLimitOneGetsTimeExceeded");
    auto& buffer = scratch_buffer();
    ASSERT_TRUE(buffer.assign(as_bytes(vector.input)));
    TranslatorSettings settings;
    settings.decrement_ttl = false;
    const auto result = translate_ipv6_to_ipv4(buffer, mapping_named("nsp"), settings, 1);
    ASSERT_EQ(result.verdict, Verdict::translated);
    const auto ipv4 = pk::Ipv4View::parse(buffer.data());
    ASSERT_TRUE(ipv4);
    EXPECT_EQ(ipv4->ttl(), 1);
}

TEST(Translate6to4Header, OverloadWithoutIdentificationCountsPerCall) {
    RecordProperty("rfc", "7915 5.1");
    const auto& vector = vector_named("UdpChecksumFollowsTheNewAddresses");
    std::uint16_t ids[2] = {};
    for (auto& id : ids) {
        auto& buffer = scratch_buffer();
        ASSERT_TRUE(buffer.assign(as_bytes(vector.input)));
        ASSERT_EQ(translate_ipv6_to_ipv4(buffer, mapping_named("nsp"), {}).verdict,
                  Verdict::translated);
        id = pk::Ipv4View::parse(buffer.data())->identification();
    }
    EXPECT_EQ(static_cast<std::uint16_t>(ids[0] + 1), ids[1]);
}

TEST(Translate6to4Header, DontFragmentPacketsCarryIdentificationZero) {
    RecordProperty("rfc", "6864 4.1");
    const auto& vector = vector_named("DontFragmentIsSetAt1261Bytes");
    auto& buffer = scratch_buffer();
    ASSERT_TRUE(buffer.assign(as_bytes(vector.input)));
    ASSERT_EQ(translate_ipv6_to_ipv4(buffer, mapping_named("nsp"), {}, 0x4444).verdict,
              Verdict::translated);
    const auto ipv4 = pk::Ipv4View::parse(buffer.data());
    ASSERT_TRUE(ipv4);
    EXPECT_TRUE(ipv4->dont_fragment());
    EXPECT_EQ(ipv4->identification(), 0);
}

// An IPv6 packet of 65575 bytes (payload 65535), built in a buffer without headroom: UDP from the
// EAM host to a pool6 address, optionally behind a Fragment header with M set.
void build_largest_packet(pk::PacketBuffer& buffer, bool fragment_header) {
    const auto space = buffer.reset(0);
    const std::size_t length = 40 + 65535;
    ASSERT_TRUE(buffer.set_length(length));
    std::memset(space.data(), 0, length);
    pk::Ipv6HeaderFields ip;
    ip.payload_length = 65535;
    ip.next_header = fragment_header ? pk::kProtoFragment : pk::kProtoUdp;
    ip.source = *net::Ipv6Address::parse("2001:db8:aaaa::5");
    ip.destination = *net::Ipv6Address::parse("2001:db8:64::c633:6407");
    ASSERT_EQ(pk::write_ipv6_header(space, ip), 40u);
    std::size_t at = 40;
    if (fragment_header) {
        ASSERT_EQ(
            pk::write_ipv6_fragment_header(space.subspan(at), {pk::kProtoUdp, 0, true, 0x01020304}),
            8u);
        at += 8;
    }
    net::store_be16(space, at, 1000);      // source port
    net::store_be16(space, at + 2, 2000);  // destination port
    net::store_be16(space, at + 4, 8);     // (a first fragment: the datagram goes on)
}

TEST(Translate6to4Size, PayloadTooLongForAnyIpv4PacketGetsPacketTooBig) {
    RecordProperty("rfc", "7915 5.1");
    auto& buffer = scratch_buffer();
    build_largest_packet(buffer, false);
    const auto result = translate_ipv6_to_ipv4(buffer, mapping_named("nsp"), {}, 1);
    ASSERT_EQ(result.verdict, Verdict::icmp_error);
    EXPECT_EQ(result.reason, DropReason::packet_too_big);
    const auto ipv6 = pk::Ipv6View::parse(buffer.data());
    ASSERT_TRUE(ipv6);
    const auto icmp = pk::Icmpv6View::parse(ipv6->upper_layer_payload());
    ASSERT_TRUE(icmp);
    EXPECT_EQ(icmp->type(), pk::Icmpv6View::kPacketTooBig);
    EXPECT_EQ(icmp->mtu(), 65535u + 20u);  // what makes a 65535-byte IPv4 packet
    EXPECT_EQ(buffer.size(), 1280u);
}

TEST(Translate6to4Size, FragmentTooLongForOneIpv4PacketIsSplitInTwo) {
    RecordProperty("rfc", "7915 5.1.1");
    auto& buffer = scratch_buffer();
    build_largest_packet(buffer, true);
    const auto result = translate_ipv6_to_ipv4(buffer, mapping_named("nsp"), {}, 1);
    ASSERT_EQ(result.verdict, Verdict::translated);
    ASSERT_EQ(result.fragment_count, 2u);
    const std::size_t payload = 65535 - 8;
    EXPECT_EQ(result.fragment_lengths[0], 20 + 65512);
    EXPECT_EQ(result.fragment_lengths[1], 20 + payload - 65512);
    const auto first = pk::Ipv4View::parse(buffer.data().first(result.fragment_lengths[0]));
    const auto second = pk::Ipv4View::parse(buffer.data().subspan(result.fragment_lengths[0]));
    ASSERT_TRUE(first && second);
    EXPECT_TRUE(first->more_fragments() && second->more_fragments());
    EXPECT_EQ(second->fragment_offset(), 65512);
    EXPECT_EQ(first->identification(), 0x0304);
    EXPECT_EQ(second->identification(), 0x0304);
    EXPECT_TRUE(first->header_checksum_valid() && second->header_checksum_valid());
}

TEST(Translate6to4Size, FragmentThatEndsBeyond65535IsDropped) {
    RecordProperty("rfc", "8200 4.5");
    auto& buffer = scratch_buffer();
    const auto space = buffer.reset(pk::PacketBuffer::kHeadroom);
    constexpr std::size_t kLength = 40 + 8 + 16;
    ASSERT_TRUE(buffer.set_length(kLength));
    std::memset(space.data(), 0, kLength);
    pk::Ipv6HeaderFields ip;
    ip.payload_length = 8 + 16;
    ip.next_header = pk::kProtoFragment;
    ip.source = *net::Ipv6Address::parse("2001:db8:aaaa::5");
    ip.destination = *net::Ipv6Address::parse("2001:db8:64::c633:6407");
    ASSERT_EQ(pk::write_ipv6_header(space, ip), 40u);
    // The last fragment at offset 65528 with 16 bytes: 65544 bytes of datagram.
    ASSERT_EQ(pk::write_ipv6_fragment_header(space.subspan(40), {pk::kProtoUdp, 65528, false, 7}),
              8u);
    const std::vector<std::uint8_t> input = to_vector(buffer.data());
    TranslatorSettings settings;
    settings.ipv4_next_hop_mtu = 68;  // would split it, past the 13-bit offset
    const auto result = translate_ipv6_to_ipv4(buffer, mapping_named("nsp"), settings, 1);
    EXPECT_EQ(result.verdict, Verdict::drop);
    EXPECT_EQ(to_string(result.reason), "fragment_beyond_65535");
    EXPECT_EQ(to_vector(buffer.data()), input);
}

}  // namespace
}  // namespace sixgate::xlat::testing
