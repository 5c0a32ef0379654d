// The PLAT's packet path (RFC 6146 3.4-3.8) against the real session table, byte for byte against
// what scapy builds (make_plat_vectors.py).

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "plat/outgoing_tuple.hpp"
#include "tests/unit/plat/translator/plat_translator_test_util.hpp"

namespace sixgate::plat::test {
namespace {

namespace vec = vectors;
using xlat::Verdict;

TEST(PlatTranslatorUdp, RequestAndReplyAreRewrittenBothWays) {
    RecordProperty("rfc", "6146 3.5.1");
    TestPlat plat;
    EXPECT_EQ(plat.expect(vec::kUdp6to4).xlat.verdict, Verdict::translated);
    const auto binding = plat.table().find_ipv4_binding(L4Protocol::udp, {kClient1, 41000});
    ASSERT_TRUE(binding.has_value());
    EXPECT_EQ(*binding, (Ipv4Transport{kPool4, 50000}));
    EXPECT_EQ(plat.expect(vec::kUdp4to6).xlat.verdict, Verdict::translated);
    EXPECT_EQ(plat.counters.translated_6to4, 1u);
    EXPECT_EQ(plat.counters.translated_4to6, 1u);
}

TEST(PlatTranslatorUdp, SecondDestinationKeepsTheSameTransportAddress) {
    RecordProperty("rfc", "6146 3.5.1");  // endpoint-independent mapping (RFC 4787 REQ-1)
    TestPlat plat;
    plat.expect(vec::kUdp6to4);
    plat.expect(vec::kUdpEim6to4);
    EXPECT_EQ(plat.counters.translated_6to4, 2u);
}

TEST(PlatTranslatorTcp, SynOutAndSynAckBackAreRewritten) {
    RecordProperty("rfc", "6146 3.5.2.2");
    TestPlat plat;
    EXPECT_EQ(plat.expect(vec::kTcpSyn6to4).xlat.verdict, Verdict::translated);
    EXPECT_EQ(plat.expect(vec::kTcpSynack4to6).xlat.verdict, Verdict::translated);
}

TEST(PlatTranslatorIcmp, EchoIdentifierIsTheQueryPort) {
    RecordProperty("rfc", "6146 3.5.3");
    TestPlat plat;
    EXPECT_EQ(plat.expect(vec::kEcho6to4).xlat.verdict, Verdict::translated);
    EXPECT_EQ(plat.expect(vec::kEcho4to6).xlat.verdict, Verdict::translated);
}

TEST(PlatTranslatorState, Pool4ExhaustionAnswersAddressUnreachable) {
    RecordProperty("rfc", "6146 3.5.1.1");
    TestPlat plat;
    plat.expect(vec::kUdp6to4);  // client 1 takes the only UDP port
    EXPECT_EQ(plat.expect(vec::kPool4Exhausted6to4).xlat.verdict, Verdict::icmp_error);
    EXPECT_EQ(plat.counters.state_drops, 1u);
    EXPECT_EQ(plat.counters.icmp_errors_sent, 1u);
    EXPECT_EQ(plat.table().counters().drop(StateDrop::pool4_exhausted), 1u);
}

TEST(PlatTranslatorState, UdpWithoutBibEntryAnswersHostUnreachable) {
    RecordProperty("rfc", "6146 3.5.1");
    TestPlat plat;
    EXPECT_EQ(plat.expect(vec::kNoBib4to6).xlat.verdict, Verdict::icmp_error);
    EXPECT_EQ(plat.counters.state_drops, 1u);
}

TEST(PlatTranslatorState, AddressDependentFilteringAnswersAdministrativelyProhibited) {
    RecordProperty("rfc", "6146 3.5.1");
    TestPlat plat({.filtering = Filtering::address_dependent});
    plat.expect(vec::kUdp6to4);
    EXPECT_EQ(plat.expect(vec::kAdfFiltered4to6).xlat.verdict, Verdict::icmp_error);
    // The server the client wrote to still gets through.
    EXPECT_EQ(plat.expect(vec::kUdp4to6).xlat.verdict, Verdict::translated);
}

TEST(PlatTranslatorState, EndpointIndependentFilteringLetsAnyPeerIn) {
    RecordProperty("rfc", "6146 3.5.1");
    TestPlat plat;
    plat.expect(vec::kUdp6to4);
    const PlatResult result = plat.send(vec::kAdfFiltered4to6.input);
    EXPECT_EQ(result.xlat.verdict, Verdict::translated);
}

TEST(PlatTranslatorState, TcpWithoutSessionIsSilentlyDropped) {
    RecordProperty("rfc", "6146 3.5.2.2");
    TestPlat plat;
    // The SYN-ACK of tcp_synack_4to6 with no session behind it.
    EXPECT_EQ(plat.send(vec::kTcpSynack4to6.input).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.counters.state_drops, 1u);
    EXPECT_EQ(plat.counters.icmp_errors_sent, 0u);
}

TEST(PlatTranslatorState, HeldSynIsAnsweredWithPortUnreachableFromPool4) {
    RecordProperty("rfc", "6146 3.5.2.2");
    TestPlat plat;
    EXPECT_EQ(plat.send(vec::kHeldSynAnswer.input).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.counters.state_drops, 1u);
    std::vector<std::uint8_t> answer;
    auto out = std::make_unique<net::packet::PacketBuffer>();
    plat.table().expire(plat.now + 6'001, [&](std::span<const std::byte> held) {
        ASSERT_TRUE(plat.translator().answer_held_syn(held, *out));
        for (const std::byte b : out->data()) answer.push_back(std::to_integer<std::uint8_t>(b));
    });
    EXPECT_EQ(answer, std::vector<std::uint8_t>(vec::kHeldSynAnswer.output.begin(),
                                                vec::kHeldSynAnswer.output.end()));
}

TEST(PlatTranslatorIcmpErrors, Ipv4RouterTimeExceededReachesTheClientAboutItsOwnPacket) {
    RecordProperty("rfc", "6146 3.6");
    TestPlat plat;
    plat.expect(vec::kUdp6to4);
    EXPECT_EQ(plat.expect(vec::kTimeExceededRelay4to6).xlat.verdict, Verdict::translated);
    EXPECT_EQ(plat.counters.icmp_errors_relayed, 1u);
}

TEST(PlatTranslatorIcmpErrors, Ipv6RouterPacketTooBigReachesTheServerAsFragNeeded) {
    RecordProperty("rfc", "6146 3.6");
    TestPlat plat;
    plat.expect(vec::kUdp6to4);
    plat.expect(vec::kUdp4to6);
    EXPECT_EQ(plat.expect(vec::kPacketTooBigRelay6to4).xlat.verdict, Verdict::translated);
    EXPECT_EQ(plat.counters.icmp_errors_relayed, 1u);
}

TEST(PlatTranslatorIcmpErrors, ErrorsAboutUnknownSessionsAreDropped) {
    RecordProperty("rfc", "6146 3.6");
    TestPlat plat;
    EXPECT_EQ(plat.send(vec::kTimeExceededRelay4to6.input).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.send(vec::kPacketTooBigRelay6to4.input).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.plat_drops(PlatDropReason::icmp_error_no_session), 2u);
}

TEST(PlatTranslatorOwnErrors, HopLimitOneIsAnsweredToTheRealClient) {
    RecordProperty("rfc", "6146 3.7");
    TestPlat plat;
    EXPECT_EQ(plat.expect(vec::kHopLimit6to4).xlat.verdict, Verdict::icmp_error);
    EXPECT_EQ(plat.xlat_drops(xlat::DropReason::ttl_expired), 1u);
}

TEST(PlatTranslatorOwnErrors, PacketTooBigQuotesThePacketAsTheClientSentIt) {
    RecordProperty("rfc", "6146 3.7");
    TestPlat plat({.ipv4_next_hop_mtu = 1400});
    EXPECT_EQ(plat.expect(vec::kPacketTooBig6to4).xlat.verdict, Verdict::icmp_error);
    EXPECT_EQ(plat.xlat_drops(xlat::DropReason::packet_too_big), 1u);
}

TEST(PlatTranslatorFragments, Ipv6FragmentsTakeThePairedAddress) {
    RecordProperty("rfc", "6146 3.4");
    TestPlat plat;
    EXPECT_EQ(plat.expect(vec::kFragmentFirst6to4).xlat.verdict, Verdict::translated);
    EXPECT_EQ(plat.expect(vec::kFragmentSecond6to4).xlat.verdict, Verdict::translated);
}

TEST(PlatTranslatorFragments, LaterIpv6FragmentOfAnUnknownClientIsDropped) {
    RecordProperty("rfc", "6146 3.4");
    TestPlat plat;
    EXPECT_EQ(plat.send(vec::kFragmentSecond6to4.input).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.plat_drops(PlatDropReason::fragment_no_state), 1u);
}

TEST(PlatTranslatorFragments, Ipv4FragmentsFollowTheFirstOnesClient) {
    RecordProperty("rfc", "6146 3.4");
    TestPlat plat;
    plat.expect(vec::kUdp6to4);
    EXPECT_EQ(plat.expect(vec::kFragmentFirst4to6).xlat.verdict, Verdict::translated);
    EXPECT_EQ(plat.expect(vec::kFragmentSecond4to6).xlat.verdict, Verdict::translated);
}

TEST(PlatTranslatorFragments, LaterIpv4FragmentBeforeTheFirstIsDropped) {
    RecordProperty("rfc", "6146 3.4");
    TestPlat plat;
    plat.expect(vec::kUdp6to4);
    EXPECT_EQ(plat.send(vec::kFragmentSecond4to6.input).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.plat_drops(PlatDropReason::fragment_no_state), 1u);
}

TEST(PlatTranslatorFragments, Ipv4FragmentStateExpires) {
    RecordProperty("rfc", "6146 3.4");
    TestPlat plat;
    plat.expect(vec::kUdp6to4);
    plat.expect(vec::kFragmentFirst4to6);
    plat.now += 60'000;
    EXPECT_EQ(plat.send(vec::kFragmentSecond4to6.input).xlat.verdict, Verdict::drop);
}

TEST(PlatTranslatorFragments, TranslatorFragmentsGetTheClientInEveryFragment) {
    RecordProperty("rfc", "6146 3.7");
    TestPlat plat;
    plat.expect(vec::kUdp6to4);
    const PlatResult result = plat.expect(vec::kTranslatorFragments4to6);
    EXPECT_EQ(result.xlat.verdict, Verdict::translated);
    EXPECT_TRUE(result.in_fragments);
}

TEST(PlatTranslatorStaticBib, Ipv4HostReachesTheStaticServer) {
    RecordProperty("rfc", "6146 3.1");
    TestPlat plat;
    EXPECT_EQ(plat.expect(vec::kStaticBib4to6).xlat.verdict, Verdict::translated);
}

TEST(PlatTranslatorPrefix, WellKnownPrefixRefusesADocumentationAddress) {
    RecordProperty("rfc", "6052 3.1");
    TestPlat plat;
    EXPECT_EQ(plat.send(vec::kWkpRefusesDocumentation6to4.input).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.xlat_drops(xlat::DropReason::well_known_prefix_non_global), 1u);
    // Refused before the table: no BIB entry was made for it.
    EXPECT_FALSE(plat.table().find_ipv4_binding(L4Protocol::udp, {kClient1, 41000}).has_value());
}

TEST(PlatTranslatorPrefix, NetworkSpecificPrefixCarriesTheDocumentationAddress) {
    RecordProperty("rfc", "6052 3.1");
    TestPlat plat({.pool6 = "2001:db8:64::/96"});
    EXPECT_EQ(plat.expect(vec::kNspDocumentation6to4).xlat.verdict, Verdict::translated);
}

TEST(PlatTranslatorHairpinning, SecondClientSeesTheFirstAsPool6PlusItsTransportAddress) {
    RecordProperty("rfc", "6146 3.8");
    TestPlat plat({.pool6 = "2001:db8:64::/96"});
    EXPECT_EQ(plat.expect(vec::kHairpin6to6).xlat.verdict, Verdict::translated);
    EXPECT_EQ(plat.counters.hairpinned, 1u);
    EXPECT_EQ(plat.counters.translated_6to4, 0u);
}

TEST(PlatTranslatorFiltering, OnlyPool6DestinationsAndRealClientsAreProcessed) {
    RecordProperty("rfc", "6146 3.5");
    TestPlat plat;
    std::vector<std::uint8_t> packet(vec::kUdp6to4.input.begin(), vec::kUdp6to4.input.end());
    packet[24] = 0x20;  // destination 2064:ff9b::...: not pool6
    EXPECT_EQ(plat.send(packet).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.plat_drops(PlatDropReason::not_pool6_destination), 1u);

    // A source inside pool6 would loop; an IPv4-mapped one is the PLAT's own stand-in range.
    packet = std::vector<std::uint8_t>(vec::kUdp6to4.input.begin(), vec::kUdp6to4.input.end());
    std::copy(packet.begin() + 24, packet.begin() + 40, packet.begin() + 8);
    EXPECT_EQ(plat.send(packet).xlat.verdict, Verdict::drop);
    const auto stand_in = stand_in_address(kPool4).bytes();
    std::copy(stand_in.begin(), stand_in.end(), packet.begin() + 8);
    EXPECT_EQ(plat.send(packet).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.plat_drops(PlatDropReason::invalid_source), 2u);
    EXPECT_EQ(plat.table().counters().sessions(), 0u);
}

TEST(PlatTranslatorFiltering, Ipv4PacketsOutsidePool4AreDropped) {
    RecordProperty("rfc", "6146 3.5");
    TestPlat plat;
    std::vector<std::uint8_t> packet(vec::kUdp4to6.input.begin(), vec::kUdp4to6.input.end());
    packet[19] = 101;  // 10.0.0.101, header checksum fixed below (RFC 1624)
    packet[11] = static_cast<std::uint8_t>(packet[11] - 1);
    EXPECT_EQ(plat.send(packet).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.plat_drops(PlatDropReason::not_pool4_destination), 1u);
}

TEST(PlatTranslatorFiltering, UnsupportedProtocolIsAnsweredPortUnreachable) {
    RecordProperty("rfc", "6146 3.4");
    TestPlat plat;
    std::vector<std::uint8_t> packet(vec::kUdp6to4.input.begin(), vec::kUdp6to4.input.end());
    packet[6] = 132;  // SCTP
    const PlatResult result = plat.send(packet);
    ASSERT_EQ(result.xlat.verdict, Verdict::icmp_error);
    const auto out = plat.output(result);
    ASSERT_GT(out.size(), 48u);
    EXPECT_EQ(out[40], 1);  // Destination Unreachable
    EXPECT_EQ(out[41], 4);  // Port Unreachable
    EXPECT_EQ(plat.plat_drops(PlatDropReason::unsupported_protocol), 1u);
}

TEST(PlatTranslatorFiltering, UnknownVersionAndNonQueryIcmpAreDropped) {
    TestPlat plat;
    const std::uint8_t junk[] = {0x50, 0, 0, 0};
    EXPECT_EQ(plat.send(junk).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.plat_drops(PlatDropReason::unknown_ip_version), 1u);
    std::vector<std::uint8_t> packet(vec::kEcho6to4.input.begin(), vec::kEcho6to4.input.end());
    packet[40] = 135;  // Neighbor Solicitation: not a query
    EXPECT_EQ(plat.send(packet).xlat.verdict, Verdict::drop);
    EXPECT_EQ(plat.plat_drops(PlatDropReason::icmp_not_query), 1u);
}

TEST(MakePlatTranslator, DerivesOwnAddressesAndStandInMappings) {
    config::PlatConfig plat;
    plat.prefix.value = net::Ipv6Prefix::parse("64:ff9b::/96").value();
    config::Pool4Entry entry;
    entry.prefix = net::Ipv4Prefix::parse("10.0.0.0/24").value();
    plat.pool4.push_back(entry);
    const auto parts = make_plat_translator(config::TranslationConfig{}, plat);
    ASSERT_TRUE(parts) << parts.error().message;
    EXPECT_EQ(parts->mapping.own_ipv4(), v4("10.0.0.0"));
    EXPECT_EQ(parts->mapping.own_ipv6(), v6("64:ff9b::a00:0"));
    // The private pool4 maps through its stand-in, not through the WKP (RFC 6052 3.1).
    EXPECT_EQ(parts->mapping.map_ipv4_to_ipv6(v4("10.0.0.7")), v6("::ffff:10.0.0.7"));
    EXPECT_EQ(parts->mapping.map_ipv6_to_ipv4(v6("::ffff:10.0.0.7")), v4("10.0.0.7"));
}

TEST(MakePlatTranslator, RefusesAMissingPrefixAndTheIpv4MappedBlock) {
    config::PlatConfig plat;
    config::Pool4Entry entry;
    entry.prefix = net::Ipv4Prefix::parse("10.0.0.0/24").value();
    plat.pool4.push_back(entry);
    EXPECT_FALSE(make_plat_translator(config::TranslationConfig{}, plat));
    plat.prefix.value = net::Ipv6Prefix::parse("::ffff:0:0/96").value();
    const auto parts = make_plat_translator(config::TranslationConfig{}, plat);
    ASSERT_FALSE(parts);
    EXPECT_NE(parts.error().message.find("::ffff:0:0/96"), std::string::npos);
}

}  // namespace
}  // namespace sixgate::plat::test
