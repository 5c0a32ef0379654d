// RFC 7915 4.2 (ICMPv4 to ICMPv6) and 4.3 (the quoted packet), RFC 4884: byte-exact against
// make_4to6_vectors.py (scapy), plus the drops and a truncation sweep.

#include <gtest/gtest.h>

#include "tests/unit/xlat/ipv4_to_ipv6/translate_4to6_test_util.hpp"
#include "tests/unit/xlat/ipv4_to_ipv6/vectors_4to6.hpp"

namespace sixgate::xlat {
namespace {

using namespace testing;
using namespace vectors4to6;

class Translate4to6Icmp : public Translate4to6Fixture {};
class Translate4to6IcmpError : public Translate4to6Fixture {};

TEST_F(Translate4to6Icmp, TurnsEchoRequestIntoType128KeepingIdSequenceAndData) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_TRANSLATES_TO(kEchoRequestIn, kEchoRequestOut);
}

TEST_F(Translate4to6Icmp, TurnsEchoReplyIntoType129) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_TRANSLATES_TO(kEchoReplyIn, kEchoReplyOut);
}

TEST_F(Translate4to6Icmp, KeepsACorruptEchoCorrupt) {
    RecordProperty("rfc", "7915 4.2");
    auto input = bytes_of(kEchoRequestIn);
    input.back() ^= 0x40;  // data changed, checksum not
    ASSERT_EQ(translate(input).verdict, Verdict::translated);
    const auto ipv6 = net::packet::Ipv6View::parse(buffer_->data());
    ASSERT_TRUE(ipv6);
    const auto icmp = net::packet::Icmpv6View::parse(ipv6->upper_layer_payload());
    ASSERT_TRUE(icmp);
    EXPECT_FALSE(icmp->checksum_valid(ipv6->source(), ipv6->destination()));
}

TEST_F(Translate4to6Icmp, DropsTimestampAsObsolete) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_DROPPED(kTimestampIn, DropReason::icmp_untranslatable);
}

TEST_F(Translate4to6Icmp, FragmentsALargeEchoWithDfClear) {
    RecordProperty("rfc", "7915 4.1");
    // A 1500-byte echo: fragmented after its checksum covers the whole ICMPv6 message.
    std::vector<std::uint8_t> input(1500, 0x5a);
    const auto header = bytes_of(kEchoRequestIn);
    std::copy(header.begin(), header.begin() + 28, input.begin());
    input[2] = 0x05;
    input[3] = 0xdc;
    fix_ipv4_checksum(input);
    input[22] = input[23] = 0;
    net::ChecksumAccumulator sum;
    sum.add(std::span<const std::uint8_t>(input).subspan(20));
    input[22] = static_cast<std::uint8_t>(sum.checksum() >> 8);
    input[23] = static_cast<std::uint8_t>(sum.checksum());
    const TranslationResult result = translate(input);
    ASSERT_EQ(result.verdict, Verdict::translated) << to_string(result.reason);
    ASSERT_EQ(result.fragment_count, 2u);
    // Reassembled, the ICMPv6 message verifies.
    std::vector<std::byte> message;
    for (std::size_t i = 0; i < 2; ++i) {
        const auto piece = fragment(result, i);
        EXPECT_EQ(piece[6], 44);
        for (std::size_t at = 48; at < piece.size(); ++at) message.push_back(std::byte{piece[at]});
    }
    const auto first = fragment(result, 0);
    const auto ipv6 =
        net::packet::Ipv6View::parse(std::as_bytes(std::span<const std::uint8_t>(first)));
    ASSERT_TRUE(ipv6);
    EXPECT_EQ(net::packet::upper_layer_checksum(ipv6->source(), ipv6->destination(), 58, message),
              0);
}

// Every ICMPv4 error of the table, with its quoted packet, byte for byte.
#define ERROR_VECTOR(test, rfc, vector)                      \
    TEST_F(Translate4to6IcmpError, test) {                   \
        RecordProperty("rfc", rfc);                          \
        EXPECT_TRANSLATES_TO(k##vector##In, k##vector##Out); \
    }

ERROR_VECTOR(NetUnreachableBecomesNoRoute, "7915 4.2", DestUnreachableCode0)
ERROR_VECTOR(HostUnreachableBecomesNoRoute, "7915 4.2", DestUnreachableCode1)
ERROR_VECTOR(PortUnreachableBecomesPortUnreachable, "7915 4.2", DestUnreachableCode3)
ERROR_VECTOR(NetProhibitedBecomesAdministrativelyProhibited, "7915 4.2", DestUnreachableCode9)
ERROR_VECTOR(HostProhibitedBecomesAdministrativelyProhibited, "7915 4.2", DestUnreachableCode10)
ERROR_VECTOR(CommunicationProhibitedBecomesAdministrativelyProhibited, "7915 4.2",
             DestUnreachableCode13)
ERROR_VECTOR(ProtocolUnreachableBecomesParameterProblemAtNextHeader, "7915 4.2",
             ProtocolUnreachable)
ERROR_VECTOR(FragNeededBecomesPacketTooBigWithMtuPlus20, "7915 4.2", FragNeeded)
ERROR_VECTOR(FragNeededNeverAnnouncesLessThan1280, "7915 4.2", FragNeededSmallMtu)
ERROR_VECTOR(FragNeededUsesPlateauWhenMtuZero, "7915 4.2", FragNeededMtuZeroUsesPlateau)
ERROR_VECTOR(TimeExceededInTransitKeepsCode0, "7915 4.2", TimeExceeded)
ERROR_VECTOR(TimeExceededInReassemblyKeepsCode1, "7915 4.2", TimeExceededReassembly)
ERROR_VECTOR(ParameterProblemPointerAtTtlMovesToHopLimit, "7915 4.2", ParameterProblemTtl)
ERROR_VECTOR(ParameterProblemPointerInSourceMovesToSource, "7915 4.2", ParameterProblemSource)
ERROR_VECTOR(ParameterProblemBadLengthBecomesCode0, "7915 4.2", ParameterProblemBadLength)
ERROR_VECTOR(QuotedTcpChecksumFollowsTheAddresses, "7915 4.3", QuotedTcp)
ERROR_VECTOR(QuotedEchoRequestBecomesIcmpv6, "7915 4.3", QuotedEchoRequest)
ERROR_VECTOR(ErrorLargerThan1280IsCut, "7915 4.3", LargeErrorIsCutTo1280)
ERROR_VECTOR(KeepsAnRfc4884ExtensionAndRecomputesItsLength, "4884 4.1",
             TimeExceededKeepsRfc4884Extension)

TEST_F(Translate4to6IcmpError, BoundsPacketTooBigByTheTranslatorsLinks) {
    RecordProperty("rfc", "7915 4.2");
    settings_.ipv6_next_hop_mtu = 1300;
    ASSERT_EQ(translate(kFragNeededIn).verdict, Verdict::translated);
    const auto out = output();
    EXPECT_EQ(out[44] << 24 | out[45] << 16 | out[46] << 8 | out[47], 1300);
}

TEST_F(Translate4to6IcmpError, DropsAnErrorQuotingAnError) {
    RecordProperty("rfc", "7915 4.3");
    EXPECT_DROPPED(kErrorQuotingAnErrorIn, DropReason::icmp_error_in_error);
}

TEST_F(Translate4to6IcmpError, DropsAPointerWithNoIpv6Counterpart) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_DROPPED(kParameterProblemPointerUntranslatableIn, DropReason::icmp_untranslatable);
}

TEST_F(Translate4to6IcmpError, DropsAnErrorWithABadChecksumRatherThanFixIt) {
    RecordProperty("rfc", "7915 4.2");
    EXPECT_DROPPED(kErrorWithBadChecksumIn, DropReason::bad_transport_checksum);
}

TEST_F(Translate4to6IcmpError, DropsAnErrorQuotingSomethingThatIsNotIpv4) {
    RecordProperty("rfc", "7915 4.3");
    EXPECT_DROPPED(kErrorQuotingGarbageIn, DropReason::icmp_inner_malformed);
}

TEST_F(Translate4to6IcmpError, DropsAnErrorQuotingAQueryWithNoIpv6Form) {
    RecordProperty("rfc", "7915 4.3");
    EXPECT_DROPPED(kErrorQuotingUntranslatableQueryIn, DropReason::icmp_untranslatable);
}

TEST_F(Translate4to6IcmpError, DropsAnErrorWhoseQuotedAddressesHaveNoMapping) {
    RecordProperty("rfc", "7915 4.3");
    mapping_ = make_eam_mapping();
    auto input = bytes_of(kTimeExceededIn);
    input[20 + 8 + 19] = 99;  // quoted destination 198.51.100.99: no EAM
    fix_ipv4_checksum(input);
    input[22] = input[23] = 0;
    net::ChecksumAccumulator sum;
    sum.add(std::span<const std::uint8_t>(input).subspan(20));
    input[22] = static_cast<std::uint8_t>(sum.checksum() >> 8);
    input[23] = static_cast<std::uint8_t>(sum.checksum());
    // The router 198.51.100.1 has no EAM either: the translator's IPv6 address stands in.
    EXPECT_DROPPED(input, DropReason::icmp_inner_malformed);
}

TEST_F(Translate4to6IcmpError, UsesTheTranslatorsIpv6AddressForAnUnmappableRouter) {
    RecordProperty("rfc", "7915 4.2");
    mapping_ = make_eam_mapping();
    const TranslationResult result = translate(kTimeExceededIn);
    ASSERT_EQ(result.verdict, Verdict::translated) << to_string(result.reason);
    const auto ipv6 = net::packet::Ipv6View::parse(buffer_->data());
    ASSERT_TRUE(ipv6);
    EXPECT_EQ(ipv6->source(), v6("2001:db8:ffff::1"));
    EXPECT_EQ(ipv6->destination(), v6("2001:db8:6::5"));
    const auto icmp = net::packet::Icmpv6View::parse(ipv6->upper_layer_payload());
    ASSERT_TRUE(icmp);
    EXPECT_TRUE(icmp->checksum_valid(ipv6->source(), ipv6->destination()));
}

// Cuts the quote of an error at every length (lengths and checksums made right again): nothing
// crashes, and whatever is translated is a valid ICMPv6 error of at most 1280 bytes.
TEST_F(Translate4to6IcmpError, SurvivesAQuoteCutAtEveryLength) {
    RecordProperty("rfc", "7915 4.3");
    for (const auto& vector : {bytes_of(kQuotedTcpIn), bytes_of(kQuotedEchoRequestIn),
                               bytes_of(kTimeExceededKeepsRfc4884ExtensionIn),
                               bytes_of(kFragNeededMtuZeroUsesPlateauIn)}) {
        for (std::size_t length = 28; length <= vector.size(); ++length) {
            std::vector<std::uint8_t> input(vector.begin(), vector.begin() + length);
            input[2] = static_cast<std::uint8_t>(length >> 8);
            input[3] = static_cast<std::uint8_t>(length);
            fix_ipv4_checksum(input);
            input[22] = input[23] = 0;
            net::ChecksumAccumulator sum;
            sum.add(std::span<const std::uint8_t>(input).subspan(20));
            input[22] = static_cast<std::uint8_t>(sum.checksum() >> 8);
            input[23] = static_cast<std::uint8_t>(sum.checksum());
            const TranslationResult result = translate(input);
            if (result.verdict != Verdict::translated) {
                EXPECT_EQ(result.reason, DropReason::icmp_inner_malformed) << length;
                continue;
            }
            const auto ipv6 = net::packet::Ipv6View::parse(buffer_->data());
            ASSERT_TRUE(ipv6) << length;
            EXPECT_LE(buffer_->size(), 1280u);
            const auto icmp = net::packet::Icmpv6View::parse(ipv6->upper_layer_payload());
            ASSERT_TRUE(icmp) << length;
            EXPECT_TRUE(icmp->checksum_valid(ipv6->source(), ipv6->destination())) << length;
            EXPECT_TRUE(net::packet::Ipv6View::parse_truncated(icmp->body())) << length;
        }
    }
}

}  // namespace
}  // namespace sixgate::xlat
