// The CLAT data path on FakeTun queues: its threads translate what "the kernel" injects and write
// the results back into the same queue. Expected packets are scapy's (see each test).
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "clat/clat_data_path.hpp"
#include "net/packet/ipv4_view.hpp"
#include "net/packet/ipv6_view.hpp"
#include "net/tun/fake_tun.hpp"
#include "tests/unit/clat/clat_test_util.hpp"

namespace sixgate::clat {
namespace {

using net::tun::FakeTun;
using testing::eventually;
using testing::from_hex;
using testing::to_hex;

const net::Ipv6Address kClatIpv6 = net::Ipv6Address::parse("2001:db8:1::c1a7").value();
const net::Ipv6Prefix kPlatPrefix = net::Ipv6Prefix::parse("2001:db8:64::/96").value();

// scapy: IP(src="192.0.0.1", dst="198.51.100.10", ttl=64, id=0x4242, flags="DF")
//        /ICMP(type=8, id=0x1234, seq=1)/b"sixgate-clat-464"
constexpr const char* kEchoRequest4 =
    "4500002c4242400040010e50c0000001c633640a08000b0f12340001736978676174652d636c61742d343634";
// scapy: IPv6(src="2001:db8:1::c1a7", dst="2001:db8:64::c633:640a", hlim=64)
//        /ICMPv6EchoRequest(id=0x1234, seq=1, data=b"sixgate-clat-464")
constexpr const char* kEchoRequest6 =
    "6000000000183a4020010db800010000000000000000c1a720010db80064000000000000c633640a80004aff"
    "12340001736978676174652d636c61742d343634";
// scapy: IPv6(src="2001:db8:64::c633:640a", dst="2001:db8:1::c1a7", hlim=60)
//        /ICMPv6EchoReply(id=0x1234, seq=1, data=b"sixgate-clat-464")
constexpr const char* kEchoReply6 =
    "6000000000183a3c20010db80064000000000000c633640a20010db800010000000000000000c1a7810049ff"
    "12340001736978676174652d636c61742d343634";
// scapy: IP(src="198.51.100.10", dst="192.0.0.1", ttl=60, id=0, flags=0)
//        /ICMP(type=0, id=0x1234, seq=1)/b"sixgate-clat-464"
// (id 0: the first IPv6 packet this thread translates; RFC 7915 5.1 generates one, DF clear <=
// 1260)
constexpr const char* kEchoReply4 =
    "4500002c000000003c019492c633640ac00000010000130f12340001736978676174652d636c61742d343634";

xlat::TranslatorParts translator(const net::Ipv6Prefix& plat_prefix = kPlatPrefix,
                                 std::uint32_t uplink_mtu = 1500) {
    ClatTranslatorInputs inputs;
    inputs.clat_ipv6 = kClatIpv6;
    inputs.plat_prefix = plat_prefix;
    inputs.uplink_mtu = uplink_mtu;
    auto parts = make_clat_translator(config::TranslationConfig{}, inputs);
    EXPECT_TRUE(parts) << parts.error().message;
    return std::move(*parts);
}

// An IPv4 UDP packet from `source` to 198.51.100.10 with `payload_size` zero bytes; checksums set.
std::vector<std::byte> udp4(std::size_t payload_size, bool dont_fragment,
                            net::Ipv4Address source = {192, 0, 0, 1}) {
    const std::size_t total = 20 + 8 + payload_size;
    std::vector<std::byte> p(total);
    auto put = [&](std::size_t at, unsigned value) { p[at] = static_cast<std::byte>(value); };
    put(0, 0x45);
    put(2, total >> 8);
    put(3, total & 0xff);
    put(4, 0x12);
    put(5, 0x34);
    put(6, dont_fragment ? 0x40 : 0);
    put(8, 64);
    put(9, 17);
    const auto src = source.bytes();
    const std::uint8_t dst[4] = {198, 51, 100, 10};
    for (int i = 0; i < 4; ++i) {
        put(12 + i, src[i]);
        put(16 + i, dst[i]);
    }
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i < 20; i += 2)
        sum += std::to_integer<unsigned>(p[i]) << 8 | std::to_integer<unsigned>(p[i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    put(10, (~sum >> 8) & 0xff);
    put(11, ~sum & 0xff);
    put(20, 0x30);  // source port 12345
    put(21, 0x39);
    put(22, 0x1b);  // destination port 7007
    put(23, 0x5f);
    put(24, (8 + payload_size) >> 8);
    put(25, (8 + payload_size) & 0xff);
    // UDP checksum over the pseudo-header, header and zero payload.
    std::uint32_t usum = 17 + (8 + payload_size);
    for (int i = 12; i < 20; i += 2)
        usum += std::to_integer<unsigned>(p[i]) << 8 | std::to_integer<unsigned>(p[i + 1]);
    for (std::size_t i = 20; i < 28; i += 2)
        usum += std::to_integer<unsigned>(p[i]) << 8 | std::to_integer<unsigned>(p[i + 1]);
    while (usum >> 16) usum = (usum & 0xffff) + (usum >> 16);
    const unsigned checksum = ~usum & 0xffff;
    put(26, checksum >> 8);
    put(27, checksum & 0xff);
    return p;
}

class ClatDataPathTest : public ::testing::Test {
protected:
    void start(std::size_t queues = 1) {
        std::vector<net::tun::PacketIo*> ios;
        for (std::size_t i = 0; i < queues; ++i) {
            tuns.push_back(std::make_unique<FakeTun>());
            ios.push_back(tuns.back().get());
        }
        auto started = ClatDataPath::start(ios);
        ASSERT_TRUE(started) << started.error().message;
        path = std::move(*started);
    }
    std::vector<std::unique_ptr<FakeTun>> tuns;
    std::unique_ptr<ClatDataPath> path;
};

// Waits for `count` packets written on the fake queue.
std::vector<std::vector<std::byte>> wait_written(FakeTun& tun, std::size_t count) {
    std::vector<std::vector<std::byte>> all;
    eventually([&] {
        for (auto& p : tun.take_written()) all.push_back(std::move(p));
        return all.size() >= count;
    });
    return all;
}

TEST_F(ClatDataPathTest, TranslatesAnEchoFromTheHostsIpv4ToTheExpectedIpv6Packet) {
    RecordProperty("rfc", "6877 6.3, 7915 4.1 4.2");
    start();
    path->set_translator(translator());
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    const auto out = wait_written(*tuns[0], 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(to_hex(out[0]), kEchoRequest6);
    EXPECT_EQ(path->counters().translated_4to6, 1u);
}

TEST_F(ClatDataPathTest, TranslatesTheEchoReplyBackToTheHost) {
    RecordProperty("rfc", "6877 6.3, 7915 5.1 5.2");
    start();
    path->set_translator(translator());
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoReply6)));
    const auto out = wait_written(*tuns[0], 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(to_hex(out[0]), kEchoReply4);
    EXPECT_EQ(path->counters().translated_6to4, 1u);
}

TEST_F(ClatDataPathTest, DropsAndCountsIpv4FromAnotherSource) {
    RecordProperty("rfc", "6877 6.3");
    start();
    path->set_translator(translator());
    ASSERT_TRUE(tuns[0]->inject(udp4(10, true, net::Ipv4Address(10, 1, 2, 3))));
    ASSERT_TRUE(eventually(
        [&] { return path->counters().clat_drop(ClatDropReason::foreign_ipv4_source) == 1; }));
    // A packet after it is still translated: the drop did not disturb the thread.
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    const auto out = wait_written(*tuns[0], 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(to_hex(out[0]), kEchoRequest6);
    EXPECT_EQ(path->counters().translated_4to6, 1u);
}

TEST_F(ClatDataPathTest, DropsAndCountsIpv6ThatIsNotForTheClatAddress) {
    start();
    path->set_translator(translator());
    auto other = from_hex(kEchoReply6);
    other[39] = std::byte{0xa8};  // 2001:db8:1::c1a8: not the CLAT address
    ASSERT_TRUE(tuns[0]->inject(other));
    ASSERT_TRUE(eventually(
        [&] { return path->counters().clat_drop(ClatDropReason::foreign_ipv6_destination) == 1; }));
    EXPECT_EQ(tuns[0]->written_count(), 0u);
}

TEST_F(ClatDataPathTest, DropsMulticastAndUnknownVersionsWithTheirOwnReasons) {
    start();
    path->set_translator(translator());
    auto multicast4 = udp4(10, true);
    multicast4[16] = std::byte{224};
    multicast4[17] = multicast4[18] = std::byte{0};
    multicast4[19] = std::byte{251};
    auto multicast6 = from_hex(kEchoReply6);
    multicast6[24] = std::byte{0xff};
    multicast6[25] = std::byte{0x02};
    auto version5 = from_hex(kEchoRequest4);
    version5[0] = std::byte{0x55};
    for (const auto& p : {multicast4, multicast6, version5}) ASSERT_TRUE(tuns[0]->inject(p));
    ASSERT_TRUE(eventually([&] {
        const auto c = path->counters();
        return c.clat_drop(ClatDropReason::ipv4_multicast) == 1 &&
               c.clat_drop(ClatDropReason::ipv6_multicast) == 1 &&
               c.clat_drop(ClatDropReason::unknown_ip_version) == 1;
    }));
    EXPECT_EQ(tuns[0]->written_count(), 0u);
}

TEST_F(ClatDataPathTest, WritesEveryFragmentOfABigPacketWithDfClear) {
    RecordProperty("rfc", "7915 4.1");
    start();
    path->set_translator(translator());
    // 3000 bytes of UDP payload with DF clear: fragmented for lowest-ipv6-mtu 1280, 1232 bytes of
    // IPv4 payload per fragment (3008 = 1232 + 1232 + 544).
    ASSERT_TRUE(tuns[0]->inject(udp4(3000, false)));
    const auto out = wait_written(*tuns[0], 3);
    ASSERT_EQ(out.size(), 3u);
    std::size_t payload = 0;
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto view = net::packet::Ipv6View::parse(out[i]);
        ASSERT_TRUE(view) << "fragment " << i;
        EXPECT_LE(out[i].size(), 1280u);
        EXPECT_EQ(std::to_integer<unsigned>(out[i][6]), 44u) << "a Fragment header";
        EXPECT_EQ(view->destination().to_string(), "2001:db8:64::c633:640a");
        payload += out[i].size() - 48;
    }
    EXPECT_EQ(payload, 3008u);
    const auto c = path->counters();
    EXPECT_EQ(c.translated_4to6, 1u);
    EXPECT_EQ(c.fragments_4to6, 3u);
}

TEST_F(ClatDataPathTest, WritesTheIcmpErrorBackIntoTheQueue) {
    RecordProperty("rfc", "7915 4.1");
    start();
    path->set_translator(translator(kPlatPrefix, 1280));
    // 1400 bytes with DF set do not fit an uplink MTU of 1280 once translated: the host gets
    // Fragmentation Needed with 1260 (1280 - 20), from the CLAT's own 192.0.0.2.
    ASSERT_TRUE(tuns[0]->inject(udp4(1400 - 28, true)));
    const auto out = wait_written(*tuns[0], 1);
    ASSERT_EQ(out.size(), 1u);
    const auto view = net::packet::Ipv4View::parse(out[0]);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->source().to_string(), "192.0.0.2");
    EXPECT_EQ(view->destination().to_string(), "192.0.0.1");
    EXPECT_EQ(view->protocol(), 1);
    EXPECT_EQ(std::to_integer<unsigned>(out[0][20]), 3u);  // Destination Unreachable
    EXPECT_EQ(std::to_integer<unsigned>(out[0][21]), 4u);  // Fragmentation Needed
    EXPECT_EQ(std::to_integer<unsigned>(out[0][26]) << 8 | std::to_integer<unsigned>(out[0][27]),
              1260u);
    const auto c = path->counters();
    EXPECT_EQ(c.icmp_errors_to_ipv4, 1u);
    EXPECT_EQ(c.xlat_drop(xlat::DropReason::packet_too_big), 1u);
}

TEST_F(ClatDataPathTest, AnswersNetUnreachableWhileNoPlatPrefixIsKnown) {
    start();
    path->clear_translator(NotReady::plat_prefix_unknown);
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    const auto out = wait_written(*tuns[0], 1);
    ASSERT_EQ(out.size(), 1u);
    const auto view = net::packet::Ipv4View::parse(out[0]);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->source().to_string(), "192.0.0.2");
    EXPECT_EQ(view->destination().to_string(), "192.0.0.1");
    EXPECT_EQ(std::to_integer<unsigned>(out[0][20]), 3u);  // Destination Unreachable
    EXPECT_EQ(std::to_integer<unsigned>(out[0][21]), 0u);  // net unreachable
    // The original header is quoted after the 8 bytes of ICMP header.
    EXPECT_EQ(to_hex(std::vector<std::byte>(out[0].begin() + 28, out[0].begin() + 48)),
              std::string(kEchoRequest4).substr(0, 40));
    // IPv6 in the meantime is dropped and counted.
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoReply6)));
    ASSERT_TRUE(eventually(
        [&] { return path->counters().clat_drop(ClatDropReason::plat_prefix_unknown) == 2; }));
    EXPECT_EQ(path->counters().icmp_errors_to_ipv4, 1u);
}

TEST_F(ClatDataPathTest, CountsClatAddressUnknownBeforeTheFirstTranslator) {
    start();
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    ASSERT_TRUE(eventually(
        [&] { return path->counters().clat_drop(ClatDropReason::clat_address_unknown) == 1; }));
    EXPECT_EQ(wait_written(*tuns[0], 1).size(), 1u);  // answered too
}

TEST_F(ClatDataPathTest, SwapsThePlatPrefixWhileRunning) {
    start();
    path->set_translator(translator());
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    auto out = wait_written(*tuns[0], 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(net::packet::Ipv6View::parse(out[0])->destination().to_string(),
              "2001:db8:64::c633:640a");

    // A new PREF64: the same threads use it from the next batch on.
    path->set_translator(translator(net::Ipv6Prefix::parse("64:ff9b:1::/48").value()));
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    out = wait_written(*tuns[0], 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(net::packet::Ipv6View::parse(out[0])->destination().to_string(),
              "64:ff9b:1:c633:64:a00::");

    // Withdrawn (lifetime 0): Net Unreachable again, and back once a prefix returns.
    path->clear_translator(NotReady::plat_prefix_unknown);
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    out = wait_written(*tuns[0], 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(std::to_integer<unsigned>(out[0][0]) >> 4, 4u);
    path->set_translator(translator());
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    out = wait_written(*tuns[0], 1);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(to_hex(out[0]), kEchoRequest6);
    EXPECT_EQ(path->translator_changes(), 4u);
    EXPECT_EQ(path->counters().translated_4to6, 3u);
}

TEST_F(ClatDataPathTest, CountsTunWriteErrors) {
    start();
    path->set_translator(translator());
    tuns[0]->set_write_outcome(net::tun::WriteOutcome::kWouldBlock);
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    ASSERT_TRUE(eventually([&] { return path->counters().tun_write_errors == 1; }));
    EXPECT_EQ(path->counters().translated_4to6, 1u);
}

TEST_F(ClatDataPathTest, CountsReadErrorsAndKeepsServingTheQueue) {
    start();
    path->set_translator(translator());
    tuns[0]->fail_next_read(EIO);
    ASSERT_TRUE(eventually([&] { return path->counters().tun_read_errors == 1; }));
    ASSERT_TRUE(tuns[0]->inject(from_hex(kEchoRequest4)));
    EXPECT_EQ(wait_written(*tuns[0], 1).size(), 1u);
}

TEST_F(ClatDataPathTest, ServesEveryQueueOnItsOwnThreadAndSumsTheCounters) {
    start(3);
    EXPECT_EQ(path->thread_count(), 3u);
    path->set_translator(translator());
    for (auto& tun : tuns) ASSERT_TRUE(tun->inject(from_hex(kEchoRequest4)));
    for (auto& tun : tuns) {
        const auto out = wait_written(*tun, 1);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(to_hex(out[0]), kEchoRequest6);
    }
    EXPECT_EQ(path->counters().translated_4to6, 3u);
    EXPECT_EQ(path->counters().packets_read, 3u);
}

TEST_F(ClatDataPathTest, StopsPromptlyAndIsIdempotent) {
    start(2);
    const auto before = std::chrono::steady_clock::now();
    path->stop();
    path->stop();
    EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(1));
}

TEST(ClatDropReasonNames, AreStableSnakeCase) {
    EXPECT_EQ(to_string(ClatDropReason::plat_prefix_unknown), "plat_prefix_unknown");
    EXPECT_EQ(to_string(ClatDropReason::foreign_ipv4_source), "foreign_ipv4_source");
    for (std::size_t i = 0; i < kClatDropReasonCount; ++i)
        EXPECT_NE(to_string(static_cast<ClatDropReason>(i)), "unknown");
}

TEST(ClatTranslator, MapsTheHostsIpv4ToTheClatAddressAndOwnsBoth) {
    RecordProperty("rfc", "6877 6.3, 7757 3.2");
    const auto parts = translator();
    EXPECT_EQ(parts.mapping.map_ipv4_to_ipv6(net::Ipv4Address(192, 0, 0, 1)), kClatIpv6);
    EXPECT_EQ(parts.mapping.map_ipv6_to_ipv4(kClatIpv6), net::Ipv4Address(192, 0, 0, 1));
    EXPECT_EQ(parts.mapping.map_ipv4_to_ipv6(net::Ipv4Address(198, 51, 100, 10))->to_string(),
              "2001:db8:64::c633:640a");
    EXPECT_EQ(parts.mapping.own_ipv4(), net::Ipv4Address(192, 0, 0, 2));
    EXPECT_EQ(parts.mapping.own_ipv6(), kClatIpv6);
    EXPECT_EQ(parts.settings.ipv6_next_hop_mtu, 1500u);
    EXPECT_FALSE(parts.settings.decrement_ttl);
}

TEST(ClatTranslator, RefusesAPlatPrefixOfAnotherLength) {
    ClatTranslatorInputs inputs;
    inputs.clat_ipv6 = kClatIpv6;
    inputs.plat_prefix = net::Ipv6Prefix::parse("2001:db8:64::/80").value();
    const auto parts = make_clat_translator(config::TranslationConfig{}, inputs);
    ASSERT_FALSE(parts);
    EXPECT_NE(parts.error().message.find("pool6"), std::string::npos) << parts.error().message;
}

}  // namespace
}  // namespace sixgate::clat
