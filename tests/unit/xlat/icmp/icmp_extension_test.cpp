// RFC 7915 4.2 / 5.2 "ICMP Error Payload" with RFC 4884 multi-part messages.

#include <gtest/gtest.h>

#include "xlat/icmp_mapping.hpp"

namespace sixgate::xlat {
namespace {

TEST(IcmpExtension, LengthUnitIsFourOctetsForIcmpv4AndEightForIcmpv6) {
    RecordProperty("rfc", "4884 4.1, 4.5");
    EXPECT_EQ(icmp_length_unit(IcmpFamily::v4), 4u);
    EXPECT_EQ(icmp_length_unit(IcmpFamily::v6), 8u);
}

TEST(IcmpExtension, ZeroLengthMeansNoExtension) {
    RecordProperty("rfc", "4884 5");
    EXPECT_EQ(icmp_extension_offset(IcmpFamily::v4, 0, 500).presence,
              IcmpExtensionPresence::absent);
}

TEST(IcmpExtension, FindsTheExtensionAfterTheQuotedDatagram) {
    RecordProperty("rfc", "4884 4.1");
    const auto v4 = icmp_extension_offset(IcmpFamily::v4, 32, 168);  // 128 + 40-byte extension
    EXPECT_EQ(v4.presence, IcmpExtensionPresence::present);
    EXPECT_EQ(v4.offset, 128u);
    const auto v6 = icmp_extension_offset(IcmpFamily::v6, 16, 168);
    EXPECT_EQ(v6.presence, IcmpExtensionPresence::present);
    EXPECT_EQ(v6.offset, 128u);
}

TEST(IcmpExtension, LengthCoveringThePayloadLeavesNoExtension) {
    RecordProperty("rfc", "4884 5");
    EXPECT_EQ(icmp_extension_offset(IcmpFamily::v6, 16, 128).presence,
              IcmpExtensionPresence::absent);
}

TEST(IcmpExtension, LengthPastThePayloadIsMalformed) {
    RecordProperty("rfc", "4884 5");
    EXPECT_EQ(icmp_extension_offset(IcmpFamily::v4, 33, 128).presence,
              IcmpExtensionPresence::malformed);
}

TEST(Translate4to6Icmp, ExtensionLengthIsRecountedInSixtyFourBitWords) {
    RecordProperty("rfc", "7915 4.2");
    // ICMPv4: 128-byte quoted datagram (length 32) + 40-byte extension. Translated, the quoted
    // packet grows by 20 to 148; padded to 152 = 19 eight-byte words.
    const auto plan = plan_icmp_extension(IcmpFamily::v6, 148, 40, kIcmp6ErrorMaxPayload);
    EXPECT_TRUE(plan.keep_extension);
    EXPECT_EQ(plan.quoted_length, 148u);
    EXPECT_EQ(plan.padding, 4u);
    EXPECT_EQ(plan.length_field, 19);
}

TEST(Translate6to4Icmp, ExtensionLengthIsRecountedInThirtyTwoBitWords) {
    RecordProperty("rfc", "7915 5.2");
    // ICMPv6: 200-byte quoted packet, translated to 180: 45 four-byte words, no padding.
    const auto plan = plan_icmp_extension(IcmpFamily::v4, 180, 40, kIcmp4ErrorMaxPayload);
    EXPECT_TRUE(plan.keep_extension);
    EXPECT_EQ(plan.quoted_length, 180u);
    EXPECT_EQ(plan.padding, 0u);
    EXPECT_EQ(plan.length_field, 45);
}

TEST(IcmpExtension, PadsTheQuotedPacketToAtLeast128Octets) {
    RecordProperty("rfc", "4884 4.1");
    // ICMPv6 quoted 108 bytes becomes 88 in IPv4: padded with 40 zeros to 128 (length 32).
    const auto plan = plan_icmp_extension(IcmpFamily::v4, 88, 16, kIcmp4ErrorMaxPayload);
    EXPECT_EQ(plan.quoted_length, 88u);
    EXPECT_EQ(plan.padding, 40u);
    EXPECT_EQ(plan.length_field, 32);
}

TEST(IcmpExtension, TruncatesTheQuotedPacketBeforeTheExtension) {
    RecordProperty("rfc", "7915 5.2");
    // 576-byte ICMPv4 limit: 548 after the headers, 40 for the extension leaves 508 (127 words).
    const auto plan = plan_icmp_extension(IcmpFamily::v4, 1000, 40, kIcmp4ErrorMaxPayload);
    EXPECT_TRUE(plan.keep_extension);
    EXPECT_EQ(plan.quoted_length, 508u);
    EXPECT_EQ(plan.padding, 0u);
    EXPECT_EQ(plan.length_field, 127);
    // In IPv6 units: 1232 - 44 = 1188 rounds down to 1184 (148 words).
    const auto v6 = plan_icmp_extension(IcmpFamily::v6, 1400, 44, kIcmp6ErrorMaxPayload);
    EXPECT_EQ(v6.quoted_length, 1184u);
    EXPECT_EQ(v6.padding, 0u);
    EXPECT_EQ(v6.length_field, 148);
}

TEST(Translate4to6Icmp, ExtensionTooBigForTheOutgoingMessageIsRemovedWhole) {
    RecordProperty("rfc", "7915 4.2");
    const auto plan = plan_icmp_extension(IcmpFamily::v6, 148, 1200, kIcmp6ErrorMaxPayload);
    EXPECT_FALSE(plan.keep_extension);
    EXPECT_EQ(plan.length_field, 0);
    EXPECT_EQ(plan.padding, 0u);
    EXPECT_EQ(plan.quoted_length, 148u);
}

TEST(IcmpExtension, WithoutAnExtensionOnlyTheSizeLimitApplies) {
    RecordProperty("rfc", "4443 2.4");
    const auto plan = plan_icmp_extension(IcmpFamily::v6, 1400, 0, kIcmp6ErrorMaxPayload);
    EXPECT_FALSE(plan.keep_extension);
    EXPECT_EQ(plan.quoted_length, kIcmp6ErrorMaxPayload);
    EXPECT_EQ(plan.length_field, 0);
}

TEST(IcmpExtension, OnlyDestinationUnreachableAndTimeExceededKeepExtensionsAcrossTheTranslator) {
    RecordProperty("rfc", "4884 4");
    using E = IcmpExtensionHandling;
    EXPECT_EQ(translate_icmp4_header(3, 1).extension, E::translate_length);
    EXPECT_EQ(translate_icmp4_header(11, 0).extension, E::translate_length);
    EXPECT_EQ(translate_icmp4_header(3, 4).extension, E::strip);
    EXPECT_EQ(translate_icmp4_header(3, 2).extension, E::strip);
    EXPECT_EQ(translate_icmp4_header(12, 0, 0).extension, E::strip);
    EXPECT_EQ(translate_icmp6_header(1, 0).extension, E::translate_length);
    EXPECT_EQ(translate_icmp6_header(3, 0).extension, E::translate_length);
    EXPECT_EQ(translate_icmp6_header(2, 0).extension, E::none);
    EXPECT_EQ(translate_icmp6_header(4, 0, 0).extension, E::none);
    EXPECT_EQ(translate_icmp6_header(4, 1, 0).extension, E::none);
    EXPECT_EQ(translate_icmp6_header(128, 0).extension, E::none);
}

}  // namespace
}  // namespace sixgate::xlat
