// The PLAT data path on FakeTun queues with the real session table and translator: its threads
// translate what "the kernel" injects and write the results back into the same queue. Expected
// packets are scapy's (see each one).
#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <memory>
#include <vector>

#include "net/packet/ipv4_view.hpp"
#include "net/tun/fake_tun.hpp"
#include "plat/plat_data_path.hpp"
#include "plat/plat_translator.hpp"
#include "plat/session_table.hpp"
#include "tests/unit/clat/clat_test_util.hpp"

namespace sixgate::plat {
namespace {

using clat::testing::eventually;
using clat::testing::from_hex;
using clat::testing::to_hex;
using net::tun::FakeTun;

// scapy: IPv6(src="2001:db8:1::10", dst="2001:db8:64::c633:640a", hlim=64)
//        /UDP(sport=5000, dport=7007)/b"sixgate-plat-6146"
constexpr const char* kUdpOut6 =
    "600000000019114020010db800010000000000000000001020010db80064000000000000c633640a13881b5f"
    "001931f2736978676174652d706c61742d36313436";
// scapy: IP(src="203.0.113.1", dst="198.51.100.10", ttl=63, id=0, flags=0)
//        /UDP(sport=40000, dport=7007)/b"sixgate-plat-6146"
// (the only UDP port of the pool; identification and header checksum are the translator's and
// are compared apart)
constexpr const char* kUdpOut4 =
    "4500002d000000003f111581cb007101c633640a9c401b5f0019c91e736978676174652d706c61742d36313436";
// scapy: IP(src="198.51.100.10", dst="203.0.113.1", ttl=64, id=0x1111)
//        /UDP(sport=7007, dport=40000)/b"sixgate-plat-reply"
constexpr const char* kUdpReply4 =
    "4500002e111100004011036fc633640acb0071011b5f9c40001a5e2b736978676174652d706c61742d7265706c"
    "79";
// scapy: IPv6(src="2001:db8:64::c633:640a", dst="2001:db8:1::10", hlim=63)
//        /UDP(sport=7007, dport=5000)/b"sixgate-plat-reply"
constexpr const char* kUdpReply6 =
    "60000000001a113f20010db80064000000000000c633640a20010db80001000000000000000000101b5f1388"
    "001ac6fe736978676174652d706c61742d7265706c79";
// scapy: IP(src="198.51.100.10", dst="203.0.113.1", ttl=64, id=0x2222)
//        /UDP(sport=7007, dport=40002)/b"x"  (no BIB entry holds 203.0.113.1:40002)
constexpr const char* kUnsolicited4 = "4500001d222200004011f26ec633640acb0071011b5f9c42000969fa78";

config::PlatConfig plat_config() {
    config::PlatConfig plat;
    plat.enabled = true;
    plat.prefix.set(net::Ipv6Prefix::parse("2001:db8:64::/96").value(), config::Origin::configured);
    config::Pool4Entry entry;
    entry.prefix = net::Ipv4Prefix::parse("203.0.113.1/32").value();
    entry.udp_ports.set(config::PortRange{40000, 40000}, config::Origin::configured);
    plat.pool4.push_back(entry);
    return plat;
}

std::vector<std::byte> masked_ipv4_id_and_checksum(std::vector<std::byte> packet) {
    for (std::size_t at : {4u, 5u, 10u, 11u})
        if (at < packet.size()) packet[at] = std::byte{0};
    return packet;
}

class PlatDataPathTest : public ::testing::Test {
protected:
    void SetUp() override {
        SessionTableConfig table_config = session_table_config(plat_config());
        table_config.shard_count = 1;  // the pool's one UDP port belongs to the one shard
        auto created = SessionTable::create(table_config);
        ASSERT_TRUE(created) << created.error().message;
        table = std::move(*created);
        auto parts = make_plat_translator(config::TranslationConfig{}, plat_config());
        ASSERT_TRUE(parts) << parts.error().message;
        translator = std::make_unique<PlatTranslator>(*table, std::move(*parts));
    }
    void start(std::size_t queues = 1) {
        std::vector<net::tun::PacketIo*> ios;
        for (std::size_t i = 0; i < queues; ++i) {
            tuns.push_back(std::make_unique<FakeTun>());
            ios.push_back(tuns.back().get());
        }
        auto started = PlatDataPath::start(ios, *translator);
        ASSERT_TRUE(started) << started.error().message;
        path = std::move(*started);
    }
    // Waits for `count` packets written on queue `queue` and returns them.
    std::vector<FakeTun::Bytes> written(std::size_t count, std::size_t queue = 0) {
        std::vector<FakeTun::Bytes> all;
        (void)eventually([&] {
            for (auto& p : tuns[queue]->take_written()) all.push_back(std::move(p));
            return all.size() >= count;
        });
        return all;
    }
    template <class Predicate>
    bool counters_reach(Predicate done) {
        return eventually([&] { return done(path->counters()); });
    }

    std::unique_ptr<SessionTable> table;
    std::unique_ptr<PlatTranslator> translator;
    std::vector<std::unique_ptr<FakeTun>> tuns;
    std::unique_ptr<PlatDataPath> path;  // last: its threads go first
};

TEST_F(PlatDataPathTest, AUdpFlowGoesOutAsIpv4AndItsReplyComesBackAsIpv6) {
    RecordProperty("rfc", "6146 3.5.1");
    start();
    ASSERT_TRUE(tuns[0]->inject(from_hex(kUdpOut6)));
    auto out = written(1);
    ASSERT_EQ(out.size(), 1u);
    // RFC 6146 3.5.1 / 3.7: source (X', x) becomes the BIB entry's (T, t), the destination the
    // IPv4 server embedded in pool6 (RFC 6052), TTL one less (a router hop).
    EXPECT_EQ(to_hex(masked_ipv4_id_and_checksum(out[0])),
              to_hex(masked_ipv4_id_and_checksum(from_hex(kUdpOut4))));
    const auto view = net::packet::Ipv4View::parse(out[0]);
    ASSERT_TRUE(view);
    EXPECT_TRUE(view->header_checksum_valid());

    ASSERT_TRUE(tuns[0]->inject(from_hex(kUdpReply4)));
    auto back = written(1);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(to_hex(back[0]), kUdpReply6);

    EXPECT_TRUE(counters_reach([](const PlatDataPathCounters& c) {
        return c.packets_read == 2 && c.plat.translated_6to4 == 1 && c.plat.translated_4to6 == 1;
    }));
    const TableCounters table_counters = table->counters();
    const auto udp = table_counters.by_protocol[static_cast<std::size_t>(L4Protocol::udp)];
    EXPECT_EQ(udp.sessions, 1u);
    EXPECT_EQ(udp.bib_dynamic, 1u);
}

TEST_F(PlatDataPathTest, AnIpv4PacketNoBibEntryHoldsIsNotTranslatedAndIsCounted) {
    RecordProperty("rfc", "6146 3.5.1");
    start();
    ASSERT_TRUE(tuns[0]->inject(from_hex(kUnsolicited4)));
    EXPECT_TRUE(eventually([&] { return table->counters().drop(StateDrop::no_bib_entry) == 1; }));
    EXPECT_TRUE(counters_reach([](const PlatDataPathCounters& c) {
        return c.packets_read == 1 && c.plat.state_drops == 1;
    }));
    const PlatDataPathCounters c = path->counters();
    EXPECT_EQ(c.plat.translated_4to6, 0u);
    // Whatever was written back can only be the ICMP error RFC 6146 3.5.1 allows (IPv4, proto 1).
    for (const auto& packet : tuns[0]->take_written()) {
        ASSERT_GE(packet.size(), 20u);
        EXPECT_EQ(std::to_integer<unsigned>(packet[9]), 1u);
    }
}

TEST_F(PlatDataPathTest, APacketThatIsNeitherIpv4NorIpv6IsDroppedAndCounted) {
    start();
    ASSERT_TRUE(tuns[0]->inject(from_hex("00112233445566778899")));
    EXPECT_TRUE(counters_reach([](const PlatDataPathCounters& c) {
        return c.plat.plat_drops[static_cast<std::size_t>(PlatDropReason::unknown_ip_version)] == 1;
    }));
    EXPECT_EQ(tuns[0]->written_count(), 0u);
}

TEST_F(PlatDataPathTest, TunWriteAndReadErrorsAreCounted) {
    start();
    tuns[0]->set_write_outcome(net::tun::WriteOutcome::kWouldBlock);
    ASSERT_TRUE(tuns[0]->inject(from_hex(kUdpOut6)));
    EXPECT_TRUE(counters_reach([](const PlatDataPathCounters& c) {
        return c.tun_write_errors == 1 && c.plat.translated_6to4 == 1;
    }));
    tuns[0]->set_write_outcome(net::tun::WriteOutcome::kWritten);
    tuns[0]->fail_next_read(EIO);
    ASSERT_TRUE(tuns[0]->inject(from_hex(kUdpOut6)));  // wakes the thread
    EXPECT_TRUE(
        counters_reach([](const PlatDataPathCounters& c) { return c.tun_read_errors >= 1; }));
}

TEST_F(PlatDataPathTest, EveryQueueHasItsThreadAndTheCountersAreSummed) {
    start(2);
    EXPECT_EQ(path->thread_count(), 2u);
    ASSERT_TRUE(tuns[0]->inject(from_hex(kUdpOut6)));
    ASSERT_EQ(written(1, 0).size(), 1u);
    ASSERT_TRUE(tuns[1]->inject(from_hex(kUdpReply4)));  // the reply may arrive on another queue
    auto back = written(1, 1);
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(to_hex(back[0]), kUdpReply6);
    EXPECT_TRUE(counters_reach([](const PlatDataPathCounters& c) {
        return c.packets_read == 2 && c.plat.translated_6to4 == 1 && c.plat.translated_4to6 == 1;
    }));
}

TEST_F(PlatDataPathTest, AControlWriteGoesIntoTheFirstQueue) {
    start(2);
    const auto packet = from_hex(kUnsolicited4);
    EXPECT_TRUE(path->write_control(packet));
    auto out = written(1, 0);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0], packet);
    tuns[0]->set_write_outcome(net::tun::WriteOutcome::kDeviceDown);
    EXPECT_FALSE(path->write_control(packet));
    const PlatDataPathCounters c = path->counters();
    EXPECT_EQ(c.control_writes, 1u);
    EXPECT_EQ(c.control_write_errors, 1u);
}

TEST_F(PlatDataPathTest, StopJoinsTheThreadsAndIsIdempotent) {
    start(2);
    path->stop();
    path->stop();
    ASSERT_TRUE(tuns[0]->inject(from_hex(kUdpOut6)));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_EQ(tuns[0]->pending_reads(), 1u);  // nobody reads any more
    EXPECT_EQ(path->counters().packets_read, 0u);
}

TEST(PlatDataPathStart, RefusesNoQueues) {
    auto table = SessionTable::create(session_table_config(plat_config()));
    ASSERT_TRUE(table) << table.error().message;
    auto parts = make_plat_translator(config::TranslationConfig{}, plat_config());
    ASSERT_TRUE(parts) << parts.error().message;
    const PlatTranslator translator(**table, std::move(*parts));
    auto started = PlatDataPath::start({}, translator);
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().message.find("no queues"), std::string::npos);
}

TEST(PlatDataPathClock, IsMonotonicMilliseconds) {
    const Millis a = monotonic_now_ms();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    const Millis b = monotonic_now_ms();
    EXPECT_GE(b - a, 19u);
    EXPECT_LT(b - a, 5000u);
}

}  // namespace
}  // namespace sixgate::plat
