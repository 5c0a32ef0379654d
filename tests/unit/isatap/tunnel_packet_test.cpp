// Decapsulation (RFC 4213 3.6) and the outer header (RFC 4213 3.5), against scapy's vectors.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "isatap/tunnel_packet.hpp"
#include "isatap_test_util.hpp"
#include "isatap_vectors.hpp"

namespace sixgate::isatap {
namespace {

using namespace testing;
namespace vec = vectors;

constexpr std::size_t kOuter = 20;  // the vectors' IPv4 headers have no options

net::Ipv4Address v4(const char* text) { return *net::Ipv4Address::parse(text); }

bool equal(std::span<const std::byte> a, std::span<const std::uint8_t> b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](std::byte x, std::uint8_t y) { return x == std::byte{y}; });
}

IsatapDrop drop_of(const std::vector<std::byte>& packet) {
    auto result = decapsulate(packet);
    EXPECT_FALSE(result.ok());
    return result.ok() ? IsatapDrop::count_ : result.error();
}

TEST(Decapsulate, ReturnsTheInnerRouterSolicitationAndTheOuterAddresses) {
    RecordProperty("rfc", "4213 3.6");
    const auto packet = bytes_of(vec::kRsEncapsulated);
    auto result = decapsulate(packet);
    ASSERT_TRUE(result.ok()) << to_string(result.error());
    EXPECT_EQ(result->outer_source, v4("10.1.0.20"));
    EXPECT_EQ(result->outer_destination, v4("10.1.0.1"));
    EXPECT_TRUE(equal(result->inner, vec::kRsInner));
    EXPECT_EQ(result->view.hop_limit(), 255);
    EXPECT_EQ(result->inner.data(), packet.data() + kOuter);  // a view, not a copy
}

TEST(Decapsulate, TrimsTheInnerPacketToItsPayloadLength) {
    RecordProperty("rfc", "4213 3.6");
    const auto packet = bytes_of(vec::kEchoPadded);
    auto result = decapsulate(packet);
    ASSERT_TRUE(result.ok()) << to_string(result.error());
    EXPECT_EQ(packet.size(), kOuter + sizeof(vec::kEchoInner) + 6);
    EXPECT_TRUE(equal(result->inner, vec::kEchoInner));
    EXPECT_EQ(result->view.bytes().size(), sizeof(vec::kEchoInner));
}

TEST(Decapsulate, IgnoresBytesAfterTheIpv4TotalLength) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet.resize(packet.size() + 10, std::byte{0xee});
    auto result = decapsulate(packet);
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(equal(result->inner, vec::kRsInner));
}

TEST(Decapsulate, DropsAnEmptyOrShortDatagramAsOuterMalformed) {
    RecordProperty("rfc", "4213 3.6");
    EXPECT_EQ(drop_of({}), IsatapDrop::outer_malformed);
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet.resize(19);
    EXPECT_EQ(drop_of(packet), IsatapDrop::outer_malformed);
}

TEST(Decapsulate, DropsADatagramShorterThanItsTotalLength) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet.pop_back();
    EXPECT_EQ(drop_of(packet), IsatapDrop::outer_malformed);
}

TEST(Decapsulate, DropsABadHeaderChecksum) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet[11] ^= std::byte{0x01};
    EXPECT_EQ(drop_of(packet), IsatapDrop::outer_malformed);
}

TEST(Decapsulate, DropsAnIhlBelowFive) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet[0] = std::byte{0x44};
    fix_ipv4_checksum(packet);
    EXPECT_EQ(drop_of(packet), IsatapDrop::outer_malformed);
}

TEST(Decapsulate, DropsAVersionOtherThanFour) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet[0] = std::byte{0x65};
    fix_ipv4_checksum(packet);
    EXPECT_EQ(drop_of(packet), IsatapDrop::outer_malformed);
}

TEST(Decapsulate, DropsAFragmentTheKernelDidNotReassemble) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet[6] = std::byte{0x20};  // MF
    fix_ipv4_checksum(packet);
    EXPECT_EQ(drop_of(packet), IsatapDrop::outer_malformed);
}

TEST(Decapsulate, AcceptsIpv4Options) {
    RecordProperty("rfc", "4213 3.6");
    const auto plain = bytes_of(vec::kRsEncapsulated);
    std::vector<std::byte> packet(plain.begin(), plain.begin() + kOuter);
    packet.insert(packet.end(), 4, std::byte{0x01});  // four NOP options
    packet.insert(packet.end(), plain.begin() + kOuter, plain.end());
    packet[0] = std::byte{0x46};
    packet[3] = std::byte(std::to_integer<int>(packet[3]) + 4);
    fix_ipv4_checksum(packet);
    auto result = decapsulate(packet);
    ASSERT_TRUE(result.ok()) << to_string(result.error());
    EXPECT_TRUE(equal(result->inner, vec::kRsInner));
}

TEST(Decapsulate, DropsAProtocolOtherThan41) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet[9] = std::byte{4};  // IP in IP
    fix_ipv4_checksum(packet);
    EXPECT_EQ(drop_of(packet), IsatapDrop::outer_not_protocol_41);
}

TEST(Decapsulate, DropsAnInnerPacketShorterThan40Bytes) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet.resize(kOuter + 39);
    packet[2] = std::byte{0};
    packet[3] = std::byte(kOuter + 39);
    fix_ipv4_checksum(packet);
    EXPECT_EQ(drop_of(packet), IsatapDrop::inner_malformed);
}

TEST(Decapsulate, DropsAnInnerVersionOtherThanSix) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet[kOuter] = std::byte{0x40};
    EXPECT_EQ(drop_of(packet), IsatapDrop::inner_malformed);
}

TEST(Decapsulate, DropsAnInnerPacketShorterThanItsPayloadLength) {
    RecordProperty("rfc", "4213 3.6");
    auto packet = bytes_of(vec::kRsEncapsulated);
    packet[kOuter + 5] = std::byte{9};  // payload length 9, 8 bytes there
    EXPECT_EQ(drop_of(packet), IsatapDrop::inner_malformed);
}

void expect_source_invalid(const char* source) {
    auto packet = bytes_of(vec::kRsEncapsulated);
    set_ipv6_address(packet, kOuter + 8, *net::Ipv6Address::parse(source));
    EXPECT_EQ(drop_of(packet), IsatapDrop::inner_source_invalid) << source;
}

TEST(Decapsulate, DropsMulticastUnspecifiedLoopbackAndMappedInnerSources) {
    RecordProperty("rfc", "4291 2.5.2");
    expect_source_invalid("ff02::1");
    expect_source_invalid("::");
    expect_source_invalid("::1");
    expect_source_invalid("::ffff:10.1.0.20");
}

TEST(Decapsulate, DropsUnspecifiedAndLoopbackInnerDestinations) {
    RecordProperty("rfc", "4291 2.5.3");
    for (const char* destination : {"::", "::1"}) {
        auto packet = bytes_of(vec::kRsEncapsulated);
        set_ipv6_address(packet, kOuter + 24, *net::Ipv6Address::parse(destination));
        EXPECT_EQ(drop_of(packet), IsatapDrop::inner_destination_invalid) << destination;
    }
}

TEST(Decapsulate, AcceptsAMulticastInnerDestination) {
    RecordProperty("rfc", "5214 8.3.4");
    auto packet = bytes_of(vec::kRsEncapsulated);
    set_ipv6_address(packet, kOuter + 24, *net::Ipv6Address::parse("ff02::2"));
    EXPECT_TRUE(decapsulate(packet).ok());
}

TEST(Decapsulate, NeverReadsOutsideATruncatedBufferOfAnyLength) {
    RecordProperty("rfc", "4213 3.6");
    const auto full = bytes_of(vec::kEchoPadded);
    for (std::size_t n = 0; n <= full.size(); ++n) {
        // A copy of exactly n bytes: ASan would catch a read past it.
        const std::vector<std::byte> cut(full.begin(), full.begin() + std::ptrdiff_t(n));
        auto result = decapsulate(cut);
        EXPECT_EQ(result.ok(), n == full.size()) << n;  // the IPv4 Total Length counts the padding
    }
}

TEST(WriteOuterHeader, BuildsTheHeaderScapyBuildsForTheRa) {
    RecordProperty("rfc", "4213 3.5");
    std::array<std::byte, 20> header{};
    write_outer_header(header, v4("10.1.0.1"), v4("10.1.0.20"), 0, sizeof(vec::kRaInner), 1);
    EXPECT_TRUE(equal(header, std::span<const std::uint8_t>(vec::kRaEncapsulated).first(20)));
}

TEST(WriteOuterHeader, CopiesTheTrafficClassIntoTheTos) {
    RecordProperty("rfc", "4213 3.5");
    std::array<std::byte, 20> header{};
    write_outer_header(header, v4("10.1.0.20"), v4("10.1.0.1"), 0x28, sizeof(vec::kEchoInner), 0x2222);
    // kEchoPadded's total length counts the padding: compare everything else.
    std::vector<std::byte> expected = bytes_of(vec::kEchoPadded);
    expected.resize(20);
    expected[2] = std::byte{0};
    expected[3] = std::byte(20 + sizeof(vec::kEchoInner));
    fix_ipv4_checksum(expected);
    EXPECT_TRUE(std::equal(header.begin(), header.end(), expected.begin()));
}

TEST(WriteOuterHeader, RoundTripsThroughDecapsulate) {
    RecordProperty("rfc", "4213 3.5");
    std::vector<std::byte> packet(20);
    const auto inner = bytes_of(vec::kEchoInner);
    packet.insert(packet.end(), inner.begin(), inner.end());
    write_outer_header(std::span<std::byte, 20>(packet.data(), 20), v4("10.1.0.20"), v4("10.1.0.1"), 0x28,
                       inner.size(), 7);
    auto result = decapsulate(packet);
    ASSERT_TRUE(result.ok()) << to_string(result.error());
    EXPECT_TRUE(equal(result->inner, vec::kEchoInner));
}

TEST(IsatapDropNames, AreTheEnumeratorNames) {
    EXPECT_EQ(to_string(IsatapDrop::outer_malformed), "outer_malformed");
    EXPECT_EQ(to_string(IsatapDrop::outer_not_protocol_41), "outer_not_protocol_41");
    EXPECT_EQ(to_string(IsatapDrop::inner_source_mismatch), "inner_source_mismatch");
    EXPECT_EQ(to_string(IsatapDrop::loop_6to4_relay), "loop_6to4_relay");
    EXPECT_EQ(to_string(IsatapDrop::send_failed), "send_failed");
    // Every reason has its own name (they are status keys).
    for (std::size_t i = 0; i < kIsatapDropCount; ++i) {
        const auto name = to_string(static_cast<IsatapDrop>(i));
        EXPECT_NE(name, "unknown") << i;
        for (std::size_t j = 0; j < i; ++j) EXPECT_NE(name, to_string(static_cast<IsatapDrop>(j)));
    }
}

}  // namespace
}  // namespace sixgate::isatap
