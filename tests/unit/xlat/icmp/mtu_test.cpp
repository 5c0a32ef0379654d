// RFC 7915 4.1, 4.2, 5, 5.1, 5.1.1, 5.2 sizes and MTUs; RFC 1191 7 plateaus; RFC 8021.

#include <gtest/gtest.h>

#include <cstdint>

#include "xlat/mtu.hpp"

namespace sixgate::xlat {
namespace {

// ---- RFC 1191 plateau table --------------------------------------------------------------------

TEST(Rfc1191Plateaus, AreTheElevenValuesOfTable71LargestFirst) {
    RecordProperty("rfc", "1191 7");
    constexpr std::uint16_t kTable71[] = {65535, 32000, 17914, 8166, 4352, 2002,
                                          1492,  1006,  508,   296,  68};
    ASSERT_EQ(kRfc1191Plateaus.size(), std::size(kTable71));
    for (std::size_t i = 0; i < kRfc1191Plateaus.size(); ++i)
        EXPECT_EQ(kRfc1191Plateaus[i], kTable71[i]);
}

TEST(Rfc1191Plateaus, PicksTheGreatestPlateauStrictlyBelowTheTotalLength) {
    RecordProperty("rfc", "1191 5");
    EXPECT_EQ(rfc1191_plateau_below(1500), 1492);
    EXPECT_EQ(rfc1191_plateau_below(1492), 1006);  // strictly less
    EXPECT_EQ(rfc1191_plateau_below(1493), 1492);
    EXPECT_EQ(rfc1191_plateau_below(65535), 32000);
    EXPECT_EQ(rfc1191_plateau_below(65536), 65535);
    EXPECT_EQ(rfc1191_plateau_below(4000), 2002);
    EXPECT_EQ(rfc1191_plateau_below(69), 68);
    EXPECT_EQ(rfc1191_plateau_below(68), 0);
    EXPECT_EQ(rfc1191_plateau_below(0), 0);
}

// ---- Fragmentation Needed -> Packet Too Big ----------------------------------------------------

TEST(Translate4to6Icmp, FragNeededAddsTwentyToTheMtu) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 1400}), 1420u);
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 1400,
                                  .quoted_total_length = 1500,
                                  .ipv6_next_hop_mtu = 1500,
                                  .ipv4_next_hop_mtu = 1500}),
              1420u);
}

TEST(Translate4to6Icmp, FragNeededIsBoundedByTheIpv6NextHopMtu) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 9000, .ipv6_next_hop_mtu = 1500}), 1500u);
}

TEST(Translate4to6Icmp, FragNeededIsBoundedByTheIpv4NextHopMtuPlusTwenty) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 9000, .ipv4_next_hop_mtu = 1400}), 1420u);
    EXPECT_EQ(packet_too_big_mtu(
                  {.icmp4_mtu = 9000, .ipv6_next_hop_mtu = 1450, .ipv4_next_hop_mtu = 1400}),
              1420u);
}

TEST(Translate4to6Icmp, FragNeededNeverGoesBelowTheIpv6MinimumMtu) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 576}), 1280u);
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 68}), 1280u);
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 1260}), 1280u);
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 1261}), 1281u);
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 9000, .ipv4_next_hop_mtu = 1000}), 1280u);
}

TEST(Translate4to6Icmp, FragNeededUsesPlateauWhenMtuZero) {
    RecordProperty("rfc", "7915 4.2");
    // Quoted packet of 4000 bytes: plateau 2002, + 20.
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 0, .quoted_total_length = 4000}), 2022u);
    // 1500: plateau 1492, + 20, then the next hop limits.
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 0, .quoted_total_length = 1500}), 1512u);
    EXPECT_EQ(packet_too_big_mtu(
                  {.icmp4_mtu = 0, .quoted_total_length = 1500, .ipv6_next_hop_mtu = 1500}),
              1500u);
}

TEST(Translate4to6Icmp, FragNeededPlateauIsAtLeast1280) {
    RecordProperty("rfc", "7915 4.2");
    // The greatest plateau below 1400 is 1006: below 1280, so 1280 is reported.
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 0, .quoted_total_length = 1400}), 1280u);
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 0, .quoted_total_length = 0}), 1280u);
}

TEST(Translate4to6Icmp, FragNeededWithUnknownLinksUsesOnlyTheMessage) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_EQ(packet_too_big_mtu({.icmp4_mtu = 65535}), 65555u);
}

// ---- Packet Too Big -> Fragmentation Needed ----------------------------------------------------

TEST(Translate6to4Icmp, PacketTooBigSubtractsTwentyFromTheMtu) {
    RecordProperty("rfc", "7915 5.2");
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 1500}), 1480);
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 1280}), 1260);
}

TEST(Translate6to4Icmp, PacketTooBigIsBoundedByTheIpv4NextHopMtu) {
    RecordProperty("rfc", "7915 5.2");
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 9000, .ipv4_next_hop_mtu = 1500}), 1500);
}

TEST(Translate6to4Icmp, PacketTooBigIsBoundedByTheIpv6NextHopMtuLessTwenty) {
    RecordProperty("rfc", "7915 5.2");
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 9000, .ipv6_next_hop_mtu = 1500}), 1480);
    EXPECT_EQ(
        frag_needed_mtu({.icmp6_mtu = 9000, .ipv4_next_hop_mtu = 1500, .ipv6_next_hop_mtu = 1400}),
        1380);
}

TEST(Translate6to4Icmp, PacketTooBigAccountsForAFragmentHeaderInThePacketInError) {
    RecordProperty("rfc", "7915 5.2");
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 1500, .quoted_has_fragment_header = true}), 1472);
    EXPECT_EQ(
        frag_needed_mtu(
            {.icmp6_mtu = 9000, .quoted_has_fragment_header = true, .ipv6_next_hop_mtu = 1400}),
        1372);
}

TEST(Translate6to4Icmp, PacketTooBigMtuFitsTheSixteenBitField) {
    RecordProperty("rfc", "7915 5.2");
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 0xFFFFFFFF}), 65535);
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 65555}), 65535);
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 65554}), 65534);
}

TEST(Translate6to4Icmp, PacketTooBigBelowTheIpv6MinimumStillTranslatesButNotBelow68) {
    RecordProperty("rfc", "7915 5.2");
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 1000}), 980);
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 50}), 68);
    EXPECT_EQ(frag_needed_mtu({.icmp6_mtu = 0}), 68);
}

// ---- IPv4 -> IPv6 sizes (4, 4.1) ---------------------------------------------------------------

TEST(Translate4to6Size, AddsAFragmentHeaderOnlyWhenTheIpv4PacketIsAFragment) {
    RecordProperty("rfc", "7915 4");
    const auto whole = decide_ipv4_to_ipv6_size({.total_length = 1000, .dont_fragment = true});
    EXPECT_EQ(whole.action, SizeAction::forward);
    EXPECT_FALSE(whole.fragment_header);
    EXPECT_EQ(whole.ipv6_length, 1020u);
    const auto piece = decide_ipv4_to_ipv6_size({.total_length = 1000, .is_fragment = true});
    EXPECT_EQ(piece.action, SizeAction::forward);
    EXPECT_TRUE(piece.fragment_header);
    EXPECT_EQ(piece.ipv6_length, 1028u);
}

TEST(Translate4to6Size, NeverAddsAFragmentHeaderToAnUnfragmentedPacketWithoutDf) {
    RecordProperty("rfc", "8021 / 7915 4");
    for (std::uint16_t length : {28, 576, 1000, 1260}) {
        const auto d = decide_ipv4_to_ipv6_size({.total_length = length, .dont_fragment = false});
        EXPECT_EQ(d.action, SizeAction::forward) << length;
        EXPECT_FALSE(d.fragment_header) << length;  // no atomic fragments
    }
}

TEST(Translate4to6Size, FragmentsPacketsWithoutDfAboveLowestIpv6Mtu) {
    RecordProperty("rfc", "7915 4.1");
    const auto d = decide_ipv4_to_ipv6_size(
        {.total_length = 1500, .dont_fragment = false, .ipv6_next_hop_mtu = 9000});
    EXPECT_EQ(d.action, SizeAction::fragment);
    EXPECT_EQ(d.fragment_payload, 1232u);  // 1280 - 40 - 8, the RFC's own example
    // 1261 bytes of IPv4 would be 1281 of IPv6: one byte too many.
    EXPECT_EQ(decide_ipv4_to_ipv6_size({.total_length = 1261}).action, SizeAction::fragment);
    EXPECT_EQ(decide_ipv4_to_ipv6_size({.total_length = 1260}).action, SizeAction::forward);
}

TEST(Translate4to6Size, HonoursARaisedLowestIpv6Mtu) {
    RecordProperty("rfc", "7915 4.1");
    const auto fits = decide_ipv4_to_ipv6_size(
        {.total_length = 1480, .ipv6_next_hop_mtu = 1500, .lowest_ipv6_mtu = 1500});
    EXPECT_EQ(fits.action, SizeAction::forward);
    EXPECT_FALSE(fits.fragment_header);
    const auto big = decide_ipv4_to_ipv6_size(
        {.total_length = 4000, .ipv6_next_hop_mtu = 9000, .lowest_ipv6_mtu = 1500});
    EXPECT_EQ(big.action, SizeAction::fragment);
    EXPECT_EQ(big.fragment_payload, 1448u);  // (1500 - 48) rounded down to 8
}

TEST(Translate4to6Size, TreatsALowestIpv6MtuBelow1280As1280) {
    RecordProperty("rfc", "7915 4.1");
    EXPECT_EQ(decide_ipv4_to_ipv6_size({.total_length = 1260, .lowest_ipv6_mtu = 600}).action,
              SizeAction::forward);
}

TEST(Translate4to6Size, FragmentsToTheNextHopWhenItIsBelowLowestIpv6Mtu) {
    RecordProperty("rfc", "7915 1.4");
    const auto d = decide_ipv4_to_ipv6_size(
        {.total_length = 1400, .ipv6_next_hop_mtu = 1300, .lowest_ipv6_mtu = 1500});
    EXPECT_EQ(d.action, SizeAction::fragment);
    EXPECT_EQ(d.fragment_payload, 1248u);  // (1300 - 48) rounded down to 8
}

TEST(Translate4to6Size, RefragmentsAnIpv4FragmentThatWouldNotFit) {
    RecordProperty("rfc", "7915 4.1");
    const auto d = decide_ipv4_to_ipv6_size({.total_length = 1400, .is_fragment = true});
    EXPECT_EQ(d.action, SizeAction::fragment);
    EXPECT_EQ(d.fragment_payload, 1232u);
}

TEST(Translate4to6Size, DfPacketTooBigForTheNextHopAnswersFragmentationNeeded) {
    RecordProperty("rfc", "7915 4.1");
    const auto d = decide_ipv4_to_ipv6_size(
        {.total_length = 1500, .dont_fragment = true, .ipv6_next_hop_mtu = 1500});
    EXPECT_EQ(d.action, SizeAction::send_too_big);
    EXPECT_EQ(d.frag_needed_mtu, 1480);
    // Exactly the next-hop MTU once translated: forwarded, not fragmented.
    const auto edge = decide_ipv4_to_ipv6_size(
        {.total_length = 1480, .dont_fragment = true, .ipv6_next_hop_mtu = 1500});
    EXPECT_EQ(edge.action, SizeAction::forward);
    EXPECT_EQ(edge.ipv6_length, 1500u);
}

TEST(Translate4to6Size, DfPacketIsNotLimitedByLowestIpv6Mtu) {
    RecordProperty("rfc", "7915 4");
    const auto d = decide_ipv4_to_ipv6_size(
        {.total_length = 1480, .dont_fragment = true, .ipv6_next_hop_mtu = 1500});
    EXPECT_EQ(d.action, SizeAction::forward);
    EXPECT_FALSE(d.fragment_header);
}

TEST(Translate4to6Size, IgnoresIpv4OptionsWhenSizingTheIpv6Packet) {
    RecordProperty("rfc", "7915 1.2");
    // 60-byte header with options: 1520 - 60 + 40 = 1500 fits a 1500 link.
    const auto d = decide_ipv4_to_ipv6_size({.total_length = 1520,
                                             .header_length = 60,
                                             .dont_fragment = true,
                                             .ipv6_next_hop_mtu = 1500});
    EXPECT_EQ(d.action, SizeAction::forward);
    EXPECT_EQ(d.ipv6_length, 1500u);
}

TEST(Translate4to6Size, CountsTheFragmentHeaderAgainstTheNextHopForDfFragments) {
    RecordProperty("rfc", "7915 4.1");
    const auto d = decide_ipv4_to_ipv6_size({.total_length = 1480,
                                             .dont_fragment = true,
                                             .is_fragment = true,
                                             .ipv6_next_hop_mtu = 1500});
    EXPECT_EQ(d.action, SizeAction::send_too_big);
    EXPECT_EQ(d.frag_needed_mtu, 1472);
}

TEST(Translate4to6Size, RejectsANextHopBelowTheIpv6Minimum) {
    RecordProperty("rfc", "8200 5");
    EXPECT_EQ(decide_ipv4_to_ipv6_size({.total_length = 100, .ipv6_next_hop_mtu = 1279}).action,
              SizeAction::bad_next_hop_mtu);
}

// ---- IPv6 -> IPv4 sizes (5, 5.1, 5.1.1) --------------------------------------------------------

TEST(Translate6to4Size, ClearsDfUpTo1260Bytes) {
    RecordProperty("rfc", "7915 5");
    EXPECT_FALSE(ipv4_dont_fragment(28, false));
    EXPECT_FALSE(ipv4_dont_fragment(1260, false));
}

TEST(Translate6to4Size, SetsDfAbove1260Bytes) {
    RecordProperty("rfc", "7915 5");
    EXPECT_TRUE(ipv4_dont_fragment(1261, false));
    EXPECT_TRUE(ipv4_dont_fragment(1500, false));
}

TEST(Translate6to4Size, ClearsDfOnFragments) {
    RecordProperty("rfc", "7915 5.1.1");
    EXPECT_FALSE(ipv4_dont_fragment(1500, true));
    EXPECT_FALSE(ipv4_dont_fragment(100, true));
}

TEST(Translate6to4Size, ForwardsWhatFitsTheIpv4NextHop) {
    RecordProperty("rfc", "7915 5.1");
    const auto d = decide_ipv6_to_ipv4_size({.ipv4_total_length = 1480, .ipv4_next_hop_mtu = 1500});
    EXPECT_EQ(d.action, SizeAction::forward);
    EXPECT_TRUE(d.dont_fragment);
}

TEST(Translate6to4Size, AnswersPacketTooBigForDfPacketsThatDoNotFit) {
    RecordProperty("rfc", "7915 1.4");
    const auto d = decide_ipv6_to_ipv4_size({.ipv4_total_length = 1480, .ipv4_next_hop_mtu = 1400});
    EXPECT_EQ(d.action, SizeAction::send_too_big);
    EXPECT_EQ(d.packet_too_big_mtu, 1420u);
}

TEST(Translate6to4Size, NeverReportsAPacketTooBigBelow1280) {
    RecordProperty("rfc", "7915 5");
    const auto d = decide_ipv6_to_ipv4_size({.ipv4_total_length = 1300, .ipv4_next_hop_mtu = 1000});
    EXPECT_EQ(d.action, SizeAction::send_too_big);
    EXPECT_EQ(d.packet_too_big_mtu, 1280u);
}

TEST(Translate6to4Size, FragmentsSmallPacketsForASmallIpv4Link) {
    RecordProperty("rfc", "7915 5");
    // 1260 bytes: DF clear, so the translator fragments like an IPv4 router (RFC 791 2.3).
    const auto d = decide_ipv6_to_ipv4_size({.ipv4_total_length = 1260, .ipv4_next_hop_mtu = 576});
    EXPECT_EQ(d.action, SizeAction::fragment);
    EXPECT_FALSE(d.dont_fragment);
    EXPECT_EQ(d.fragment_payload, 552u);  // (576 - 20) rounded down to 8
}

TEST(Translate6to4Size, FragmentsIpv6FragmentsInsteadOfAnsweringPacketTooBig) {
    RecordProperty("rfc", "7915 5.1.1");
    const auto d = decide_ipv6_to_ipv4_size(
        {.ipv4_total_length = 1480, .has_fragment_header = true, .ipv4_next_hop_mtu = 1400});
    EXPECT_EQ(d.action, SizeAction::fragment);
    EXPECT_EQ(d.fragment_payload, 1376u);
}

TEST(Translate6to4Size, RejectsANextHopBelowTheIpv4Minimum) {
    RecordProperty("rfc", "791");
    EXPECT_EQ(decide_ipv6_to_ipv4_size({.ipv4_total_length = 60, .ipv4_next_hop_mtu = 67}).action,
              SizeAction::bad_next_hop_mtu);
}

}  // namespace
}  // namespace sixgate::xlat
