// The RFC 8925 client's DHCPv4 codec: what it builds equals scapy's bytes for the same fields and
// tshark reads option 108 in its Parameter Request List; replies built by scapy parse, malformed
// ones are rejected with the reason.

#include <gtest/gtest.h>

#include "clat/dhcpv4_message.hpp"
#include "dhcpv4_test_vectors.hpp"

namespace sixgate::clat {
namespace {

using testing::scapy_message;

DhcpClientFields client() {
    DhcpClientFields fields;
    fields.xid = 0x12345678;
    fields.mac = {0x02, 0x00, 0x5e, 0x00, 0x53, 0xc1};
    fields.secs = 3;
    return fields;
}

// The view points into `bytes`: keep them alive (no temporaries).
Expected<DhcpReplyView, DhcpDropReason> parse(const std::vector<std::byte>& bytes) {
    return parse_dhcp_reply(bytes, client());
}
Expected<DhcpReplyView, DhcpDropReason> parse(std::vector<std::byte>&&) = delete;

TEST(DhcpMessageBuild, DiscoverEqualsScapyByteForByte) {
    RecordProperty("rfc", "8925 3.2, 2131 4.4.1");
    EXPECT_EQ(testing::to_hex(build_dhcp_discover(client())),
              testing::to_hex(scapy_message("discover")));
}

TEST(DhcpMessageBuild, RequestEqualsScapyByteForByte) {
    RecordProperty("rfc", "8925 3.2, 2131 4.3.2");
    const auto request = build_dhcp_request(client(), net::Ipv4Address(192, 0, 2, 50),
                                            net::Ipv4Address(192, 0, 2, 1));
    EXPECT_EQ(testing::to_hex(request), testing::to_hex(scapy_message("request")));
}

TEST(DhcpMessageBuild, TsharkReadsADiscoverAskingForOption108WithTheBroadcastFlag) {
    const std::string dissection = testing::tshark_dissection(build_dhcp_discover(client()));
    EXPECT_NE(dissection.find("DHCP: Discover (1)"), std::string::npos) << dissection;
    EXPECT_NE(dissection.find("Parameter Request List Item: (108) IPv6-Only Preferred"),
              std::string::npos)
        << dissection;
    EXPECT_NE(dissection.find("Broadcast flag: Broadcast"), std::string::npos) << dissection;
    EXPECT_NE(dissection.find("Transaction ID: 0x12345678"), std::string::npos) << dissection;
    EXPECT_EQ(dissection.find("Malformed"), std::string::npos) << dissection;
}

TEST(DhcpMessageBuild, TsharkReadsARequestForTheOfferedAddressAskingForOption108) {
    const std::string dissection = testing::tshark_dissection(build_dhcp_request(
        client(), net::Ipv4Address(192, 0, 2, 50), net::Ipv4Address(192, 0, 2, 1)));
    EXPECT_NE(dissection.find("DHCP: Request (3)"), std::string::npos) << dissection;
    EXPECT_NE(dissection.find("Requested IP Address: 192.0.2.50"), std::string::npos) << dissection;
    EXPECT_NE(dissection.find("DHCP Server Identifier: 192.0.2.1"), std::string::npos)
        << dissection;
    EXPECT_NE(dissection.find("Parameter Request List Item: (108) IPv6-Only Preferred"),
              std::string::npos)
        << dissection;
}

TEST(DhcpReplyParse, OfferWith108GivesV6OnlyWait) {
    RecordProperty("rfc", "8925 3.1");
    const auto offer_bytes = scapy_message("offer_with_108");
    auto offer = parse(offer_bytes);
    ASSERT_TRUE(offer);
    EXPECT_EQ(offer->message_type(), DhcpMessageType::offer);
    EXPECT_EQ(offer->ipv6_only_wait(), 1800u);
    EXPECT_EQ(offer->yiaddr(), net::Ipv4Address(192, 0, 2, 50));
    EXPECT_EQ(offer->server_id(), net::Ipv4Address(192, 0, 2, 1));
}

TEST(DhcpReplyParse, OfferWithout108HasNoWaitAndTheLeaseFields) {
    const auto offer_bytes = scapy_message("offer_without_108");
    auto offer = parse(offer_bytes);
    ASSERT_TRUE(offer);
    EXPECT_FALSE(offer->ipv6_only_wait());
    EXPECT_EQ(offer->lease_time(), 3600u);
    EXPECT_EQ(offer->subnet_mask(), net::Ipv4Address(255, 255, 255, 0));
    EXPECT_EQ(offer->router(), net::Ipv4Address(192, 0, 2, 1));
}

TEST(DhcpReplyParse, V6OnlyWaitBelowTheMinimumIsReportedAsSent) {
    // The parser reports the server's value; the client raises it to MIN_V6ONLY_WAIT.
    const auto offer_bytes = scapy_message("offer_108_below_minimum");
    auto offer = parse(offer_bytes);
    ASSERT_TRUE(offer);
    EXPECT_EQ(offer->ipv6_only_wait(), 60u);
}

TEST(DhcpReplyParse, Option108WithLengthOtherThan4IsIgnored) {
    RecordProperty("rfc", "8925 3.1");
    const auto offer_bytes = scapy_message("offer_108_length_3");
    auto offer = parse(offer_bytes);
    ASSERT_TRUE(offer);
    EXPECT_FALSE(offer->ipv6_only_wait());
    EXPECT_TRUE(offer->ipv6_only_option_malformed());
}

TEST(DhcpReplyParse, Option108InTheOverloadedFileFieldIsFound) {
    RecordProperty("rfc", "2132 9.3");
    const auto offer_bytes = scapy_message("offer_108_in_file_field");
    auto offer = parse(offer_bytes);
    ASSERT_TRUE(offer);
    EXPECT_EQ(offer->ipv6_only_wait(), 1200u);
}

TEST(DhcpReplyParse, AckAndNakAreRecognized) {
    const auto ack_bytes = scapy_message("ack");
    auto ack = parse(ack_bytes);
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->message_type(), DhcpMessageType::ack);
    EXPECT_EQ(ack->lease_time(), 120u);
    const auto nak_bytes = scapy_message("nak");
    auto nak = parse(nak_bytes);
    ASSERT_TRUE(nak);
    EXPECT_EQ(nak->message_type(), DhcpMessageType::nak);
}

TEST(DhcpReplyParse, MalformedRepliesAreRejectedWithTheirReason) {
    const std::pair<const char*, DhcpDropReason> cases[] = {
        {"malformed_truncated_option", DhcpDropReason::truncated_option},
        {"malformed_no_cookie", DhcpDropReason::no_magic_cookie},
        {"malformed_short", DhcpDropReason::too_short},
        {"malformed_request_not_reply", DhcpDropReason::not_a_reply},
        {"malformed_no_message_type", DhcpDropReason::no_message_type},
        {"malformed_message_type_discover", DhcpDropReason::wrong_message_type},
        {"wrong_xid", DhcpDropReason::wrong_xid},
        {"wrong_chaddr", DhcpDropReason::wrong_chaddr},
    };
    for (const auto& [name, reason] : cases) {
        const auto bytes = scapy_message(name);
        auto result = parse(bytes);
        ASSERT_FALSE(result) << name;
        EXPECT_EQ(result.error(), reason) << name << ": " << to_string(result.error());
    }
}

TEST(DhcpReplyParse, OurOwnDiscoverIsNotTakenForAReply) {
    const auto discover = build_dhcp_discover(client());
    auto result = parse(discover);
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error(), DhcpDropReason::not_a_reply);
}

}  // namespace
}  // namespace sixgate::clat
