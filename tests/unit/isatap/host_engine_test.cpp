// The ISATAP host's data path (RFC 5214 7.3, 8.3) with a fake TunnelIo.

#include "isatap/host_engine.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "fake_tunnel_io.hpp"
#include "isatap_test_util.hpp"
#include "isatap_vectors.hpp"
#include "net/packet/header_writers.hpp"

namespace sixgate::isatap {
namespace {

net::Ipv4Address v4(const char* text) { return *net::Ipv4Address::parse(text); }
net::Ipv6Address v6(const char* text) { return *net::Ipv6Address::parse(text); }

const net::Ipv4Address kRouter = v4("10.1.0.1");
const net::Ipv4Address kHost = v4("10.1.0.20");
const net::Ipv4Address kNeighbour = v4("10.1.0.30");

IsatapPolicy host_policy(std::vector<net::Ipv4Address> prl = {kRouter}) {
    IsatapPolicyConfig config;
    config.prl = std::move(prl);
    config.local = kHost;
    return IsatapPolicy(std::move(config));
}

// An IPv6 packet with no payload (Next Header 59).
std::vector<std::byte> ipv6_packet(const net::Ipv6Address& source, const net::Ipv6Address& destination) {
    std::vector<std::byte> packet(40);
    net::packet::Ipv6HeaderFields header;
    header.next_header = 59;
    header.source = source;
    header.destination = destination;
    EXPECT_EQ(net::packet::write_ipv6_header(packet, header), 40u);
    return packet;
}

std::vector<std::byte> encapsulate(net::Ipv4Address source, net::Ipv4Address destination,
                                   const std::vector<std::byte>& inner) {
    std::vector<std::byte> packet(20 + inner.size());
    net::packet::Ipv4HeaderFields header;
    header.total_length = static_cast<std::uint16_t>(packet.size());
    header.protocol = 41;
    header.source = source;
    header.destination = destination;
    EXPECT_EQ(net::packet::write_ipv4_header(packet, header), 20u);
    std::copy(inner.begin(), inner.end(), packet.begin() + 20);
    return packet;
}

std::uint64_t drops(const HostEngine& engine, IsatapDrop reason) {
    return engine.counters().drops[static_cast<std::size_t>(reason)].load();
}

TEST(HostEngine, RouterAdvertisementFromAPrlRouterGoesToTheControlPlaneNotTheTun) {
    RecordProperty("rfc", "5214 8.3.2");
    const auto policy = host_policy();
    const int notify = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    ASSERT_GE(notify, 0);
    HostEngine engine(policy, notify);
    testing::FakeTunnelIo io;
    engine.from_ipv4(testing::bytes_of(vectors::kRaEncapsulated), io);
    EXPECT_TRUE(io.tun.empty());
    EXPECT_EQ(engine.counters().advertisements_queued.load(), 1u);
    std::uint64_t wakeups = 0;
    EXPECT_EQ(::read(notify, &wakeups, sizeof(wakeups)), ssize_t(sizeof(wakeups)));
    EXPECT_EQ(wakeups, 1u);
    ::close(notify);

    QueuedAdvertisement queued;
    ASSERT_TRUE(engine.pop_advertisement(queued));
    EXPECT_EQ(queued.router, kRouter);
    const auto expected = testing::bytes_of(vectors::kRaInner);
    EXPECT_TRUE(std::equal(expected.begin(), expected.end(), queued.packet().begin(), queued.packet().end()));
    EXPECT_FALSE(engine.pop_advertisement(queued));
}

TEST(HostEngine, RouterAdvertisementFromAHostNotInThePrlIsDropped) {
    RecordProperty("rfc", "5214 8.3.2");
    const auto policy = host_policy();
    HostEngine engine(policy);
    testing::FakeTunnelIo io;
    // From .30 with its own link-local source: RFC 5214 7.3 passes, the PRL does not.
    auto inner = testing::bytes_of(vectors::kRaInner);
    testing::set_ipv6_address(inner, 8, v6("fe80::5efe:10.1.0.30"));
    engine.from_ipv4(encapsulate(kNeighbour, kHost, inner), io);
    EXPECT_EQ(drops(engine, IsatapDrop::bad_advertisement), 1u);
    EXPECT_EQ(engine.counters().advertisements_queued.load(), 0u);
    EXPECT_TRUE(io.tun.empty());
}

TEST(HostEngine, DataFromTheRouterIsWrittenToTheTun) {
    RecordProperty("rfc", "5214 7.3");
    const auto policy = host_policy();
    HostEngine engine(policy);
    testing::FakeTunnelIo io;
    const auto inner = ipv6_packet(v6("2002:836b:2:1000::5"), v6("2002:836b:2:8000:0:5efe:a01:14"));
    engine.from_ipv4(encapsulate(kRouter, kHost, inner), io);
    ASSERT_EQ(io.tun.size(), 1u);
    EXPECT_EQ(io.tun[0], inner);
    EXPECT_EQ(engine.counters().to_tun.load(), 1u);
}

TEST(HostEngine, SpoofedInnerSourceFromANonRouterIsDroppedAndCounted) {
    RecordProperty("rfc", "5214 7.3");
    const auto policy = host_policy();
    HostEngine engine(policy);
    testing::FakeTunnelIo io;
    const auto inner = ipv6_packet(v6("2002:836b:2:8000:0:5efe:a01:63"), v6("2002:836b:2:8000:0:5efe:a01:14"));
    engine.from_ipv4(encapsulate(kNeighbour, kHost, inner), io);
    EXPECT_TRUE(io.tun.empty());
    EXPECT_EQ(drops(engine, IsatapDrop::inner_source_mismatch), 1u);
    // The same packet from the neighbour's own ISATAP address passes.
    const auto honest = ipv6_packet(v6("2002:836b:2:8000:0:5efe:a01:1e"), v6("2002:836b:2:8000:0:5efe:a01:14"));
    engine.from_ipv4(encapsulate(kNeighbour, kHost, honest), io);
    EXPECT_EQ(io.tun.size(), 1u);
}

TEST(HostEngine, MalformedOuterPacketsAreCountedByReason) {
    const auto policy = host_policy();
    HostEngine engine(policy);
    testing::FakeTunnelIo io;
    auto packet = testing::bytes_of(vectors::kRaEncapsulated);
    engine.from_ipv4(std::span(packet).first(10), io);
    EXPECT_EQ(drops(engine, IsatapDrop::outer_malformed), 1u);
    testing::set_ipv4_address(packet, 16, v4("10.1.0.99").to_uint());  // not our address
    engine.from_ipv4(packet, io);
    EXPECT_EQ(drops(engine, IsatapDrop::outer_not_for_us), 1u);
    EXPECT_TRUE(io.tun.empty());
}

TEST(HostEngine, AdvertisementRingOverflowIsCountedNotAllocated) {
    const auto policy = host_policy();
    HostEngine engine(policy);
    testing::FakeTunnelIo io;
    const auto packet = testing::bytes_of(vectors::kRaEncapsulated);
    for (std::size_t i = 0; i < kAdvertisementSlots + 3; ++i) engine.from_ipv4(packet, io);
    EXPECT_EQ(engine.counters().advertisements_queued.load(), kAdvertisementSlots);
    EXPECT_EQ(engine.counters().advertisements_overflow.load(), 3u);
    QueuedAdvertisement queued;
    std::size_t popped = 0;
    while (engine.pop_advertisement(queued)) ++popped;
    EXPECT_EQ(popped, kAdvertisementSlots);
    engine.from_ipv4(packet, io);
    EXPECT_TRUE(engine.pop_advertisement(queued)) << "room again once drained";
}

TEST(HostEngine, TrafficFromTheTunWaitsForARouterThenGoesToIt) {
    RecordProperty("rfc", "5214 8.3.4");
    const auto policy = host_policy();
    HostEngine engine(policy);
    testing::FakeTunnelIo io;
    const auto packet = ipv6_packet(v6("2002:836b:2:8000:0:5efe:a01:14"), v6("2002:836b:2:1000::5"));
    engine.from_tun(packet, io);
    EXPECT_TRUE(io.sent.empty());
    EXPECT_EQ(drops(engine, IsatapDrop::no_router), 1u);
    engine.set_router(kRouter);
    EXPECT_EQ(engine.router(), kRouter);
    engine.from_tun(packet, io);
    ASSERT_EQ(io.sent.size(), 1u);
    EXPECT_EQ(io.sent[0].destination, kRouter);
    EXPECT_EQ(io.sent[0].ipv6_packet, packet);
    EXPECT_EQ(engine.counters().to_ipv4.load(), 1u);
    engine.set_router(std::nullopt);
    EXPECT_EQ(engine.router(), std::nullopt);
}

TEST(HostEngine, LinkLocalIsatapDestinationGoesStraightToItsIpv4Address) {
    RecordProperty("rfc", "5214 8.1");
    const auto policy = host_policy();
    HostEngine engine(policy);
    testing::FakeTunnelIo io;
    engine.set_router(kRouter);
    engine.from_tun(ipv6_packet(v6("fe80::5efe:10.1.0.20"), v6("fe80::5efe:10.1.0.30")), io);
    ASSERT_EQ(io.sent.size(), 1u);
    EXPECT_EQ(io.sent[0].destination, kNeighbour);
}

TEST(HostEngine, KernelMulticastAndMalformedPacketsFromTheTunAreNotSent) {
    const auto policy = host_policy();
    HostEngine engine(policy);
    testing::FakeTunnelIo io;
    engine.set_router(kRouter);
    engine.from_tun(ipv6_packet(v6("fe80::5efe:10.1.0.20"), v6("ff02::16")), io);
    EXPECT_EQ(engine.counters().multicast_not_forwarded.load(), 1u);
    auto broken = ipv6_packet(v6("fe80::5efe:10.1.0.20"), v6("2001:db8::1"));
    broken[0] = std::byte{0x40};
    engine.from_tun(broken, io);
    EXPECT_EQ(drops(engine, IsatapDrop::inner_malformed), 1u);
    EXPECT_TRUE(io.sent.empty());
}

TEST(HostEngine, FailedSendsAndTunWritesAreCounted) {
    const auto policy = host_policy();
    HostEngine engine(policy);
    testing::FakeTunnelIo io;
    io.fail_sends = true;
    io.fail_tun_writes = true;
    engine.set_router(kRouter);
    engine.from_tun(ipv6_packet(v6("2002:836b:2:8000:0:5efe:a01:14"), v6("2002:836b:2:1000::5")), io);
    EXPECT_EQ(drops(engine, IsatapDrop::send_failed), 1u);
    engine.from_ipv4(
        encapsulate(kRouter, kHost, ipv6_packet(v6("2002:836b:2:1000::5"), v6("2002:836b:2:8000:0:5efe:a01:14"))),
        io);
    EXPECT_EQ(drops(engine, IsatapDrop::tun_write_failed), 1u);
}

TEST(HostEngine, NewPolicyTakesOverAndTheOldOneIsReleased) {
    const auto without_router = host_policy({});
    HostEngine engine(without_router);
    testing::FakeTunnelIo io;
    engine.from_ipv4(testing::bytes_of(vectors::kRaEncapsulated), io);
    EXPECT_EQ(drops(engine, IsatapDrop::bad_advertisement), 1u) << "10.1.0.1 not yet in the PRL";
    const auto with_router = host_policy({kRouter});
    const std::uint64_t ticket = engine.set_policy(with_router);
    EXPECT_TRUE(engine.quiescent(ticket)) << "no packet in hand";
    engine.from_ipv4(testing::bytes_of(vectors::kRaEncapsulated), io);
    EXPECT_EQ(engine.counters().advertisements_queued.load(), 1u);
}

}  // namespace
}  // namespace sixgate::isatap
