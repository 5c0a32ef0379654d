// The lab's DNS check codec: the AAAA query and the answer parse, byte-exact against messages
// that scapy (DNS, DNSQR, DNSRR) builds and dissects the same way.

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "lab/dns_query.hpp"

namespace sixgate::lab {
namespace {

std::vector<std::uint8_t> from_hex(const std::string& hex) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) bytes.push_back(std::uint8_t(std::stoul(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

// scapy: raw(DNS(id=0x1234, rd=1, qd=DNSQR(qname="intranet-v4.corp.example", qtype="AAAA")))
const std::string kQuery = "1234010000010000000000000b696e7472616e65742d763404636f7270076578616d706c6500001c0001";
// The reply as a resolver compresses it: the answer's name a pointer to the question (offset 12).
const std::string kCompressedReply =
    "1234818000010001000000000b696e7472616e65742d763404636f7270076578616d706c6500001c0001"
    "c00c001c00010000012c00102002836b0002777700000000c000021e";
// scapy: raw(DNS(id=0x1234, qr=1, rd=1, ra=1, qd=..., an=DNSRR(..., type="AAAA", ttl=300, rdata=...)))
const std::string kUncompressedReply =
    "1234818000010001000000000b696e7472616e65742d763404636f7270076578616d706c6500001c0001"
    "0b696e7472616e65742d763404636f7270076578616d706c6500001c00010000012c00102002836b0002777700000000c000021e";

TEST(DnsQuery, AaaaQueryIsByteExact) {
    auto query = encode_aaaa_query(0x1234, "intranet-v4.corp.example");
    ASSERT_TRUE(query) << query.error().message;
    EXPECT_EQ(*query, from_hex(kQuery));
}

TEST(DnsQuery, TrailingDotMakesTheSameQuery) {
    auto query = encode_aaaa_query(0x1234, "intranet-v4.corp.example.");
    ASSERT_TRUE(query);
    EXPECT_EQ(*query, from_hex(kQuery));
}

TEST(DnsQuery, EmptyLabelOrOverlongLabelIsRefused) {
    EXPECT_FALSE(encode_aaaa_query(1, "a..example"));
    EXPECT_FALSE(encode_aaaa_query(1, std::string(64, 'a') + ".example"));
    EXPECT_FALSE(encode_aaaa_query(1, ""));
}

TEST(DnsAnswer, CompressedAnswerGivesTheSynthesizedAddress) {
    auto addresses = parse_aaaa_answer(from_hex(kCompressedReply), 0x1234);
    ASSERT_TRUE(addresses) << addresses.error().message;
    ASSERT_EQ(addresses->size(), 1u);
    EXPECT_EQ(addresses->front().to_string(), "2002:836b:2:7777::c000:21e");
}

TEST(DnsAnswer, UncompressedAnswerGivesTheSameAddress) {
    auto addresses = parse_aaaa_answer(from_hex(kUncompressedReply), 0x1234);
    ASSERT_TRUE(addresses);
    ASSERT_EQ(addresses->size(), 1u);
    EXPECT_EQ(addresses->front().to_string(), "2002:836b:2:7777::c000:21e");
}

TEST(DnsAnswer, ReplyToAnotherIdIsRejected) {
    auto addresses = parse_aaaa_answer(from_hex(kCompressedReply), 0x4321);
    ASSERT_FALSE(addresses);
    EXPECT_EQ(addresses.error().code, std::make_error_code(std::errc::bad_message));
}

TEST(DnsAnswer, TruncatedAddressIsRejected) {
    const std::string cut = kCompressedReply.substr(0, kCompressedReply.size() - 4);  // two bytes short
    auto addresses = parse_aaaa_answer(from_hex(cut), 0x1234);
    ASSERT_FALSE(addresses);
    EXPECT_NE(addresses.error().message.find("runs past the end"), std::string::npos) << addresses.error().message;
}

TEST(DnsAnswer, AaaaRecordOfWrongLengthIsRejected) {
    std::string wrong = kCompressedReply;
    wrong.replace(wrong.find("00102002"), 4, "000f");  // RDLENGTH 15
    wrong.resize(wrong.size() - 2);
    auto addresses = parse_aaaa_answer(from_hex(wrong), 0x1234);
    ASSERT_FALSE(addresses);
    EXPECT_NE(addresses.error().message.find("15 bytes"), std::string::npos) << addresses.error().message;
}

TEST(DnsAnswer, QueryIsNotAResponse) {
    auto addresses = parse_aaaa_answer(from_hex(kQuery), 0x1234);
    ASSERT_FALSE(addresses);
    EXPECT_NE(addresses.error().message.find("QR=0"), std::string::npos);
}

TEST(DnsAnswer, NxdomainIsReportedByName) {
    // scapy: DNS(id=0x1234, qr=1, rd=1, ra=1, rcode=3, qd=...)
    auto addresses =
        parse_aaaa_answer(from_hex("1234818300010000000000000b696e7472616e65742d763404636f7270076578616d706c6500001c0001"), 0x1234);
    ASSERT_FALSE(addresses);
    EXPECT_EQ(addresses.error().code, std::make_error_code(std::errc::protocol_error));
    EXPECT_EQ(addresses.error().message, "rcode=3 NXDOMAIN");
}

TEST(DnsAnswer, NameWithReservedLabelTypeIsRejected) {
    std::string bad = kCompressedReply;
    bad.replace(bad.find("c00c001c"), 2, "80");  // label type 10: reserved
    EXPECT_FALSE(parse_aaaa_answer(from_hex(bad), 0x1234));
}

}  // namespace
}  // namespace sixgate::lab
