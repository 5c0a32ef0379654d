// RFC 7915 4.1 (header, addresses, options, fragments), 4.4 (errors sent back), 4.5 (TCP/UDP):
// byte-exact against make_4to6_vectors.py (scapy).

#include <gtest/gtest.h>

#include "tests/unit/xlat/ipv4_to_ipv6/translate_4to6_test_util.hpp"
#include "tests/unit/xlat/ipv4_to_ipv6/vectors_4to6.hpp"

namespace sixgate::xlat {
namespace {

using namespace testing;
using namespace vectors4to6;

class Translate4to6Header : public Translate4to6Fixture {};
class Translate4to6Transport : public Translate4to6Fixture {};
class Translate4to6Fragments : public Translate4to6Fixture {};
class Translate4to6Errors : public Translate4to6Fixture {};
class Translate4to6Addresses : public Translate4to6Fixture {};

TEST_F(Translate4to6Header, CopiesTosDecrementsTtlAndMapsAddresses) {
    RecordProperty("rfc", "7915 4.1");
    EXPECT_TRANSLATES_TO(kUdpIn, kUdpOut);
    const auto out = output();
    EXPECT_EQ(out[0], 0x62);  // version 6, traffic class 0x28 = the TOS
    EXPECT_EQ(out[1], 0x80);  // flow label 0
    EXPECT_EQ(out[7], 63);    // hop limit = TTL 64 - 1
}

TEST_F(Translate4to6Header, WritesTheIpv6HeaderIntoTheHeadroomLeavingThePayloadInPlace) {
    RecordProperty("rfc", "7915 4.1");
    ASSERT_TRUE(buffer_->assign(std::as_bytes(std::span(kUdpIn))));
    const std::byte* payload = buffer_->data().data() + 20;
    ASSERT_EQ(translate_ipv4_to_ipv6(*buffer_, fragments_, mapping_, settings_).verdict,
              Verdict::translated);
    EXPECT_EQ(buffer_->data().data() + 40, payload);
}

TEST_F(Translate4to6Header, LeavesHopLimitOneForTtlTwo) {
    RecordProperty("rfc", "7915 4.1");
    EXPECT_TRANSLATES_TO(kTtlTwoIn, kTtlTwoOut);
}

TEST_F(Translate4to6Header, CopiesTtlWhenNotDecrementing) {
    RecordProperty("rfc", "7915 4.1");
    settings_.decrement_ttl = false;
    auto expected = bytes_of(kUdpOut);
    expected[7] = 64;
    ASSERT_EQ(translate(kUdpIn).verdict, Verdict::translated);
    EXPECT_TRUE(same_bytes(output(), expected));
}

TEST_F(Translate4to6Header, CopiesOtherProtocolNumbersAndTheirPayload) {
    RecordProperty("rfc", "7915 4.1");
    EXPECT_TRANSLATES_TO(kGreIn, kGreOut);
}

TEST_F(Translate4to6Fragments, DropsAFragmentThatEndsBeyond65535) {
    RecordProperty("rfc", "791 3.2, 8200 4.5");
    auto input = bytes_of(kUdpIn);
    input[6] = 0x1f;  // MF clear, offset 8191 * 8 = 65528: the payload ends past 65535
    input[7] = 0xff;
    fix_ipv4_checksum(input);
    EXPECT_DROPPED(input, DropReason::fragment_beyond_65535);
}

TEST_F(Translate4to6Header, DropsIgmpSilently) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_DROPPED(kIgmpIn, DropReason::unsupported_protocol);
}

TEST_F(Translate4to6Header, DropsProtocolNumbersIpv6WouldReadAsExtensionHeaders) {
    RecordProperty("rfc", "7915 4.1");  // DEVIATION: see is_translatable_protocol
    for (const std::uint8_t protocol : {0, 43, 44, 58, 60, 135, 139, 140, 253, 254}) {
        auto input = bytes_of(kGreIn);
        input[9] = protocol;
        fix_ipv4_checksum(input);
        EXPECT_DROPPED(input, DropReason::unsupported_protocol);
    }
}

TEST_F(Translate4to6Header, IgnoresOptionsOtherThanSourceRoute) {
    RecordProperty("rfc", "7915 4.1");
    EXPECT_TRANSLATES_TO(kOptionsIgnoredIn, kOptionsIgnoredOut);
}

TEST_F(Translate4to6Header, IgnoresASourceRouteThatIsUsedUp) {
    RecordProperty("rfc", "7915 4.1");
    EXPECT_TRANSLATES_TO(kExpiredSourceRouteIgnoredIn, kExpiredSourceRouteIgnoredOut);
}

TEST_F(Translate4to6Header, DropsAnUnexpiredSourceRouteAndAnswersSourceRouteFailed) {
    RecordProperty("rfc", "7915 4.1");
    const TranslationResult result = translate(kSourceRouteIn);
    ASSERT_EQ(result.verdict, Verdict::icmp_error);
    EXPECT_EQ(result.reason, DropReason::ipv4_options_source_route);
    EXPECT_TRUE(same_bytes(output(), bytes_of(kSourceRouteOut)));
}

TEST_F(Translate4to6Header, SourceRouteWalkSurvivesMalformedOptions) {
    RecordProperty("rfc", "7915 4.1");
    const auto check = [](std::vector<std::uint8_t> options) {
        return has_unexpired_source_route(std::as_bytes(std::span(options)));
    };
    EXPECT_FALSE(check({}));
    EXPECT_FALSE(check({0x83}));                               // no length
    EXPECT_FALSE(check({0x83, 0x00, 0x04, 0x00}));             // length 0 would never advance
    EXPECT_FALSE(check({0x83, 0x09, 0x04, 0x00}));             // past the end
    EXPECT_FALSE(check({0x07, 0x03, 0x04, 0x00}));             // record route only
    EXPECT_FALSE(check({0x00, 0x83, 0x07, 0x04}));             // after End of Option List
    EXPECT_TRUE(check({0x01, 0x89, 0x07, 0x04, 1, 2, 3, 4}));  // strict, after a NOP
    EXPECT_FALSE(check({0x89, 0x07, 0x08, 1, 2, 3, 4, 0}));    // pointer past the length
}

TEST_F(Translate4to6Header, DropsABadHeaderChecksum) {
    RecordProperty("rfc", "7915 4.1");
    auto input = bytes_of(kUdpIn);
    input[10] ^= 0x01;
    EXPECT_DROPPED(input, DropReason::bad_ipv4_header_checksum);
}

TEST_F(Translate4to6Header, DropsEveryTruncationOfEveryVectorAsMalformed) {
    RecordProperty("rfc", "7915 4.1");
    for (const auto& input : {bytes_of(kUdpIn), bytes_of(kTcpIn), bytes_of(kEchoRequestIn),
                              bytes_of(kOptionsIgnoredIn), bytes_of(kFragNeededIn)}) {
        for (std::size_t length = 0; length < input.size(); ++length) {
            const std::vector<std::uint8_t> cut(input.begin(), input.begin() + length);
            EXPECT_DROPPED(cut, DropReason::malformed_ipv4);
        }
    }
}

// An IPv4 header (checksum right) whose Total Length cuts the upper-layer header short.
std::vector<std::uint8_t> with_short_payload(const std::vector<std::uint8_t>& input,
                                             std::size_t payload) {
    std::vector<std::uint8_t> cut(input.begin(), input.begin() + 20 + payload);
    cut[2] = 0;
    cut[3] = static_cast<std::uint8_t>(20 + payload);
    fix_ipv4_checksum(cut);
    return cut;
}

TEST_F(Translate4to6Transport, DropsTruncatedTcpUdpAndIcmpHeaders) {
    RecordProperty("rfc", "7915 4.5");
    for (std::size_t payload = 0; payload < 20; ++payload)
        EXPECT_DROPPED(with_short_payload(bytes_of(kTcpIn), payload),
                       DropReason::malformed_transport);
    for (std::size_t payload = 0; payload < 8; ++payload) {
        EXPECT_DROPPED(with_short_payload(bytes_of(kUdpIn), payload),
                       DropReason::malformed_transport);
        EXPECT_DROPPED(with_short_payload(bytes_of(kEchoRequestIn), payload),
                       DropReason::malformed_transport);
    }
}

TEST_F(Translate4to6Transport, UpdatesTheTcpChecksumForTheNewPseudoHeader) {
    RecordProperty("rfc", "7915 4.5");
    EXPECT_TRANSLATES_TO(kTcpIn, kTcpOut);
}

TEST_F(Translate4to6Transport, UpdatesTheUdpChecksumForTheNewPseudoHeader) {
    RecordProperty("rfc", "7915 4.5");
    EXPECT_TRANSLATES_TO(kUdpIn, kUdpOut);
}

TEST_F(Translate4to6Transport, ComputesAZeroUdpChecksumByDefault) {
    RecordProperty("rfc", "7915 4.5");
    EXPECT_TRANSLATES_TO(kUdpZeroChecksumIn, kUdpZeroChecksumOut);
}

TEST_F(Translate4to6Transport, DropsAZeroUdpChecksumWhenConfiguredTo) {
    RecordProperty("rfc", "7915 4.5");
    settings_.udp_zero_checksum = UdpZeroChecksumAction::drop;
    EXPECT_DROPPED(kUdpZeroChecksumIn, DropReason::udp_zero_checksum);
}

TEST_F(Translate4to6Transport, DropsAFirstFragmentWithAZeroUdpChecksum) {
    RecordProperty("rfc", "7915 4.5");
    EXPECT_DROPPED(kFirstFragmentZeroChecksumIn, DropReason::udp_zero_checksum_fragment);
}

TEST_F(Translate4to6Fragments, GivesAFirstFragmentAFragmentHeaderWithItsIdentification) {
    RecordProperty("rfc", "7915 4.1");
    EXPECT_TRANSLATES_TO(kFirstFragmentIn, kFirstFragmentOut);
}

TEST_F(Translate4to6Fragments, CarriesALaterFragmentsOffsetAndData) {
    RecordProperty("rfc", "7915 4.1");
    EXPECT_TRANSLATES_TO(kLaterFragmentIn, kLaterFragmentOut);
}

TEST_F(Translate4to6Fragments, NeverAddsAnAtomicFragmentHeader) {
    RecordProperty("rfc", "8021");
    ASSERT_EQ(translate(kUdpIn).verdict, Verdict::translated);
    EXPECT_EQ(output()[6], 17);  // UDP right after the fixed header, DF clear or not
    ASSERT_EQ(translate(kDfSetTooBigIn).verdict, Verdict::translated);  // next hop unknown
    EXPECT_EQ(output()[6], 17);
    EXPECT_EQ(output().size(), 1520u);
}

TEST_F(Translate4to6Fragments, DropsFragmentedIcmp) {
    RecordProperty("rfc", "7915 4.1");
    EXPECT_DROPPED(kFragmentedEchoIn, DropReason::fragmented_icmp);
}

TEST_F(Translate4to6Fragments, SplitsADfClearPacketLargerThan1280) {
    RecordProperty("rfc", "7915 4.1");
    const TranslationResult result = translate(kDfClearTooBigIn);
    ASSERT_EQ(result.verdict, Verdict::translated) << to_string(result.reason);
    ASSERT_EQ(result.fragment_count, 2u);
    EXPECT_EQ(result.fragment_lengths[0], 1280);
    EXPECT_EQ(result.length, kDfClearTooBigOut0.size() + kDfClearTooBigOut1.size());
    EXPECT_TRUE(same_bytes(fragment(result, 0), bytes_of(kDfClearTooBigOut0)));
    EXPECT_TRUE(same_bytes(fragment(result, 1), bytes_of(kDfClearTooBigOut1)));
}

TEST_F(Translate4to6Fragments, SaysOutputTooSmallWhenTheFragmentsDoNotFit) {
    RecordProperty("rfc", "7915 4.1");
    fragments_.resize(1400);
    EXPECT_DROPPED(kDfClearTooBigIn, DropReason::output_too_small);
}

TEST_F(Translate4to6Fragments, ForwardsADfClearPacketUpToARaisedLowestIpv6Mtu) {
    RecordProperty("rfc", "7915 4.1");
    settings_.lowest_ipv6_mtu = 1520;
    const TranslationResult result = translate(kDfClearTooBigIn);
    ASSERT_EQ(result.verdict, Verdict::translated);
    EXPECT_EQ(result.fragment_count, 1u);
    EXPECT_EQ(result.length, 1520u);
}

TEST_F(Translate4to6Errors, AnswersTtlOneWithTimeExceededFromTheTranslator) {
    RecordProperty("rfc", "7915 4.1");
    const TranslationResult result = translate(kTtlExpiredIn);
    ASSERT_EQ(result.verdict, Verdict::icmp_error);
    EXPECT_EQ(result.reason, DropReason::ttl_expired);
    EXPECT_EQ(result.length, buffer_->size());
    EXPECT_TRUE(same_bytes(output(), bytes_of(kTtlExpiredOut)));
}

TEST_F(Translate4to6Errors, OnlyDropsAnIcmpErrorWhoseTtlExpires) {
    RecordProperty("rfc", "7915 4.4");
    auto input = bytes_of(kTimeExceededIn);
    input[8] = 1;
    fix_ipv4_checksum(input);
    EXPECT_DROPPED(input, DropReason::ttl_expired);
}

TEST_F(Translate4to6Errors, AnswersDfSetAndTooBigWithFragmentationNeeded) {
    RecordProperty("rfc", "7915 4.1");
    settings_.ipv6_next_hop_mtu = 1280;
    const TranslationResult result = translate(kDfSetTooBigIn);
    ASSERT_EQ(result.verdict, Verdict::icmp_error);
    EXPECT_EQ(result.reason, DropReason::packet_too_big);
    EXPECT_TRUE(same_bytes(output(), bytes_of(kDfSetTooBigOut)));
    EXPECT_LE(output().size(), 576u);
}

TEST_F(Translate4to6Addresses, DropsAnUnmappedSourceOrDestination) {
    RecordProperty("rfc", "7915 4.1");
    mapping_ = make_eam_mapping();
    auto input = bytes_of(kUdpIn);
    input[15] = 11;  // 198.51.100.11: no EAM
    fix_ipv4_checksum(input);
    EXPECT_DROPPED(input, DropReason::source_unmapped);
    input = bytes_of(kUdpIn);
    input[19] = 6;  // 203.0.113.6
    fix_ipv4_checksum(input);
    EXPECT_DROPPED(input, DropReason::destination_unmapped);
}

TEST_F(Translate4to6Addresses, TranslatesThroughAnExplicitAddressMapping) {
    RecordProperty("rfc", "7757 3.2");
    mapping_ = make_eam_mapping();
    ASSERT_EQ(translate(kUdpIn).verdict, Verdict::translated);
    const auto ipv6 = net::packet::Ipv6View::parse(buffer_->data());
    ASSERT_TRUE(ipv6);
    EXPECT_EQ(ipv6->source(), v6("2001:db8:4::10"));
    EXPECT_EQ(ipv6->destination(), v6("2001:db8:6::5"));
    const auto udp = net::packet::UdpView::parse(ipv6->upper_layer_payload());
    ASSERT_TRUE(udp);
    EXPECT_EQ(
        net::packet::upper_layer_checksum(ipv6->source(), ipv6->destination(), 17, udp->bytes()),
        0);
}

TEST_F(Translate4to6Addresses, DropsANonGlobalAddressUnderTheWellKnownPrefix) {
    RecordProperty("rfc", "6052 3.1");
    mapping_ = make_mapping(true);
    EXPECT_DROPPED(kUdpIn, DropReason::well_known_prefix_non_global);  // documentation ranges
}

}  // namespace
}  // namespace sixgate::xlat
