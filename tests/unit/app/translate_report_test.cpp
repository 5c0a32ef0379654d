// `sixgate translate` output: packet descriptions, the aligned table and the JSON object.

#include "app/translate_report.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace sixgate::app {
namespace {

using testing::HasSubstr;
using testing::Not;
using testing::StartsWith;

// Packets written by scapy (the hex is bytes(scapy packet)).
std::vector<std::byte> hex(std::string_view text) {
    std::vector<std::byte> bytes;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2)
        bytes.push_back(
            static_cast<std::byte>(std::stoi(std::string(text.substr(i, 2)), nullptr, 16)));
    return bytes;
}

TEST(DescribePacket, NamesAddressesPortsTtlAndLength) {
    // IP(src=192.0.2.1, dst=198.51.100.7, id=1)/UDP(sport=4000, dport=53)/"hi"
    const auto packet = hex("4500001e0001000040118e92c0000201c63364070fa00035000a9b5f6869");
    EXPECT_EQ(describe_packet(packet), "192.0.2.1 > 198.51.100.7 udp 4000 > 53, ttl 64, 30 bytes");
}

TEST(DescribePacket, NamesIcmpv6ErrorsWithTheirMtu) {
    // IPv6(src=2001:db8::1, dst=64:ff9b::c633:6407, hlim=9)/ICMPv6PacketTooBig(mtu=1400)
    const auto packet = hex(
        "6000000000083a0920010db80000000000000000000000010064ff9b0000000000000000c63364070200a05000"
        "000578");
    EXPECT_EQ(
        describe_packet(packet),
        "2001:db8::1 > 64:ff9b::c633:6407 icmpv6 packet-too-big code 0 mtu 1400, hlim 9, 48 bytes");
}

TEST(DescribePacket, ShowsFragmentOffsets) {
    // IP(..., flags=MF)/TCP(sport=1, dport=2)
    const auto first =
        hex("450000280001200040066e93c0000201c633640700010002000000000000000050022000a3a30000");
    EXPECT_EQ(describe_packet(first),
              "192.0.2.1 > 198.51.100.7 tcp 1 > 2, fragment offset 0 more, ttl 64, 40 bytes");
    // IPv6(src=2001:db8::1, dst=2001:db8::2)/IPv6ExtHdrFragment(offset=10, id=5, nh=17)/"abcdefgh"
    const auto later = hex(
        "6000000000102c4020010db800000000000000000000000120010db800000000000000000000000211000050"
        "000000056162636465666768");
    EXPECT_EQ(describe_packet(later),
              "2001:db8::1 > 2001:db8::2 udp, fragment offset 80 last, hlim 64, 56 bytes");
}

TEST(DescribePacket, NeverFailsOnGarbage) {
    EXPECT_EQ(describe_packet({}), "empty packet");
    EXPECT_EQ(describe_packet(hex("4500")), "malformed IPv4, 2 bytes");
    EXPECT_EQ(describe_packet(hex("60000000")), "malformed IPv6, 4 bytes");
    EXPECT_EQ(describe_packet(hex("5000")), "not IPv4 or IPv6 (version 5), 2 bytes");
}

TranslateSummary example_summary() {
    TranslateSummary summary;
    summary.input = "in.pcap";
    summary.input_link = "EN10MB";
    summary.output = "out.pcap";
    summary.records_read = 12345;
    summary.records_written = 12;
    summary.ipv4_to_ipv6 = 9;
    summary.ipv6_to_ipv4 = 1;
    summary.fragmented = 1;
    summary.fragments_written = 2;
    summary.icmp_errors[static_cast<std::size_t>(xlat::DropReason::ttl_expired)] = 1;
    summary.dropped[static_cast<std::size_t>(xlat::DropReason::destination_unmapped)] = 12330;
    summary.not_ip[static_cast<std::size_t>(capture::NotIpReason::non_ip_protocol)] = 3;
    summary.truncated_by_snaplen = 1;
    summary.complete = true;
    return summary;
}

TEST(TranslateTable, AlignsTheCountsAndLeavesOutZeroReasons) {
    const std::string table = render_translate_table(example_summary());
    EXPECT_EQ(
        table,
        "input   in.pcap (EN10MB)\n"
        "output  out.pcap (RAW, pcap)\n"
        "\n"
        "records read                         12345\n"
        "records written                         12\n"
        "translated                              10\n"
        "  IPv4 to IPv6                           9\n"
        "  IPv6 to IPv4                           1\n"
        "  fragmented                             1  into 2 fragments\n"
        "ICMP errors sent back to the source      1\n"
        "  ttl_expired                            1\n"
        "dropped                              12334\n"
        "  destination_unmapped               12330\n"
        "  non_ip_protocol                        3  (not IP)\n"
        "  truncated_by_snaplen                   1  (cut short by the capture's snap length)\n");
}

TEST(TranslateTable, SaysWhenTheCountsArePartial) {
    TranslateSummary summary = example_summary();
    summary.complete = false;
    EXPECT_THAT(render_translate_table(summary), StartsWith("stopped early:"));
    EXPECT_THAT(render_translate_table(example_summary()), Not(HasSubstr("stopped early")));
}

TEST(TranslateJson, HoldsTheSameCountsWithEveryReason) {
    const auto json = nlohmann::json::parse(render_translate_json(example_summary()));
    EXPECT_EQ(json["input"]["path"], "in.pcap");
    EXPECT_EQ(json["input"]["link_type"], "EN10MB");
    EXPECT_EQ(json["output"]["path"], "out.pcap");
    EXPECT_EQ(json["complete"], true);
    EXPECT_EQ(json["records_read"], 12345);
    EXPECT_EQ(json["records_written"], 12);
    EXPECT_EQ(json["translated"]["total"], 10);
    EXPECT_EQ(json["translated"]["ipv4_to_ipv6"], 9);
    EXPECT_EQ(json["translated"]["fragments_written"], 2);
    EXPECT_EQ(json["icmp_errors"]["total"], 1);
    EXPECT_EQ(json["icmp_errors"]["by_reason"]["ttl_expired"], 1);
    EXPECT_EQ(json["dropped"]["total"], 12334);
    EXPECT_EQ(json["dropped"]["by_reason"]["destination_unmapped"], 12330);
    EXPECT_EQ(json["dropped"]["by_reason"]["non_ip_protocol"], 3);
    EXPECT_EQ(json["dropped"]["by_reason"]["truncated_by_snaplen"], 1);
    // Every drop reason is a key, zero or not: 23 DropReasons, 3 not-IP reasons, truncated.
    EXPECT_EQ(json["dropped"]["by_reason"].size(), xlat::kDropReasonCount + 3 + 1);
    EXPECT_EQ(json["icmp_errors"]["by_reason"].size(), xlat::kDropReasonCount);
    EXPECT_EQ(json["dropped"]["by_reason"]["hairpin"], 0);
}

}  // namespace
}  // namespace sixgate::app
