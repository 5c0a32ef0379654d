// RouterEngine on a FakeTunnelIo: Router Solicitations answered with the unicast RA scapy built
// (RFC 5214 8.2.3), the limited scope (refused hosts get nothing), the RFC 5214 7.3 source check,
// the RFC 6324 loop checks, data to and from the TUN, every drop counted by reason.

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <vector>

#include "isatap/isatap_address.hpp"
#include "isatap/isatap_advertisement.hpp"
#include "isatap/router_engine.hpp"
#include "isatap/tunnel_packet.hpp"
#include "isatap_test_util.hpp"
#include "isatap_vectors.hpp"
#include "net/checksum.hpp"
#include "net/nd/router_messages.hpp"
#include "net/packet/header_writers.hpp"
#include "net/packet/ipv6_view.hpp"
#include "tests/unit/isatap/fake_tunnel_io.hpp"

namespace sixgate::isatap {
namespace {

using namespace testing;
namespace nd = net::nd;
namespace vec = vectors;

net::Ipv4Address v4(const char* text) {
    return *net::Ipv4Address::parse(text);
}
net::Ipv6Address v6(const char* text) {
    return *net::Ipv6Address::parse(text);
}
net::Ipv6Prefix p6(const char* text) {
    return *net::Ipv6Prefix::parse(text);
}

const net::Ipv4Address kRouter = v4("10.1.0.1");
const net::Ipv4Address kHost = v4("10.1.0.20");       // allowed (10.1.0.0/24)
const net::Ipv4Address kSpoofer = v4("10.1.0.30");    // allowed, spoofs kHost in kEchoSpoofed
const net::Ipv4Address kRefused = v4("192.168.7.9");  // not on the allow-list
const net::Ipv4Address kOtherRouter = v4("10.1.0.254");
const net::Ipv6Prefix kIsatapPrefix = p6("2002:836b:2:8000::/64");

// The config make_isatap_vectors.py describes: lan0 routes IP-HTTPS (medium, 1800 s) and Teredo
// (high, 3600 s); lan1 routes IP-HTTPS again (low, 10 s: left out, once per prefix).
config::Config vector_config() {
    config::Config config;
    config.plan = *net::derive_prefix_plan(v4("131.107.0.2"), std::nullopt);
    config.isatap.prefix.set(kIsatapPrefix, config::Origin::configured);
    auto route = [](const char* prefix, config::RouterPreference preference,
                    std::uint32_t lifetime) {
        config::RouteInformation r;
        r.prefix.set(p6(prefix), config::Origin::configured);
        r.preference.set(preference, config::Origin::configured);
        r.lifetime.set(lifetime, config::Origin::configured);
        return r;
    };
    config::RouterInterface lan0;
    lan0.name = "lan0";
    lan0.routes.push_back(route("2002:836b:2:1000::/64", config::RouterPreference::medium, 1800));
    lan0.routes.push_back(route("2001:0:836b:2::/64", config::RouterPreference::high, 3600));
    config::RouterInterface lan1;
    lan1.name = "lan1";
    lan1.routes.push_back(route("2002:836b:2:1000::/64", config::RouterPreference::low, 10));
    config.router.interfaces = {lan0, lan1};
    return config;
}

IsatapPolicy vector_policy() {
    IsatapPolicyConfig policy;
    policy.allow = {*net::Ipv4Prefix::parse("10.1.0.0/24")};
    policy.local = kRouter;
    policy.isatap_prefix = kIsatapPrefix;
    policy.loop_guard = {net::Ipv4Prefix(kOtherRouter, 32)};
    policy.served_prefixes = {p6("2002:836b:2::/48")};
    return IsatapPolicy(std::move(policy));
}

std::unique_ptr<RouterEngine> make_engine(std::size_t capacity = HostTable::kDefaultCapacity) {
    auto engine = RouterEngine::create(vector_policy(),
                                       compose_isatap_advertisement(vector_config()), capacity);
    EXPECT_TRUE(engine.ok()) << (engine.ok() ? "" : engine.error().message);
    return std::move(*engine);
}

bool equal(std::span<const std::byte> a, std::span<const std::uint8_t> b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(),
                      [](std::byte x, std::uint8_t y) { return x == std::byte{y}; });
}

// An IPv6 packet: fixed header + `payload`.
std::vector<std::byte> ipv6_packet(const net::Ipv6Address& source,
                                   const net::Ipv6Address& destination, std::uint8_t next_header,
                                   std::span<const std::byte> payload,
                                   std::uint8_t hop_limit = 64) {
    std::vector<std::byte> packet(40 + payload.size());
    net::packet::Ipv6HeaderFields fields;
    fields.payload_length = std::uint16_t(payload.size());
    fields.next_header = next_header;
    fields.hop_limit = hop_limit;
    fields.source = source;
    fields.destination = destination;
    EXPECT_EQ(net::packet::write_ipv6_header(packet, fields), 40u);
    std::copy(payload.begin(), payload.end(), packet.begin() + 40);
    return packet;
}

// 8 bytes of No Next Header payload: what the engine forwards needs no upper layer.
std::vector<std::byte> data_packet(const net::Ipv6Address& source,
                                   const net::Ipv6Address& destination) {
    const std::array<std::byte, 8> payload{};
    return ipv6_packet(source, destination, 59, payload);
}

// A Router Solicitation (RFC 4861 4.1), checksum filled.
std::vector<std::byte> solicitation(const net::Ipv6Address& source,
                                    const net::Ipv6Address& destination,
                                    std::uint8_t hop_limit = 255) {
    std::array<std::uint8_t, 64> icmp{};
    auto length = nd::build_router_solicitation(nd::RouterSolicitation{}, icmp);
    EXPECT_TRUE(length.ok());
    const std::span<std::uint8_t> message(icmp.data(), *length);
    nd::fill_icmpv6_checksum(message, source, destination);
    return ipv6_packet(source, destination, 58, std::as_bytes(message), hop_limit);
}

std::vector<std::byte> encapsulate(net::Ipv4Address source, net::Ipv4Address destination,
                                   std::span<const std::byte> inner) {
    std::vector<std::byte> packet(20 + inner.size());
    write_outer_header(std::span<std::byte, 20>(packet.data(), 20), source, destination, 0,
                       inner.size(), 7);
    std::copy(inner.begin(), inner.end(), packet.begin() + 20);
    return packet;
}

std::uint64_t drops(const RouterEngine& engine, IsatapDrop reason) {
    return engine.counters().drops[static_cast<std::size_t>(reason)];
}

TEST(RouterEngineSolicitation, AnAllowedHostGetsExactlyTheUnicastRaScapyBuilt) {
    RecordProperty("rfc", "5214 8.2.3");
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_ipv4(bytes_of(vec::kRsEncapsulated), io);
    ASSERT_EQ(io.sent.size(), 1u);
    EXPECT_EQ(io.sent[0].destination, kHost);
    EXPECT_TRUE(equal(io.sent[0].ipv6_packet, vec::kRaInner));
    EXPECT_TRUE(io.tun.empty());
    const RouterEngineCounters c = engine->counters();
    EXPECT_EQ(c.solicitations_received, 1u);
    EXPECT_EQ(c.advertisements_sent, 1u);
    EXPECT_EQ(c.dropped(), 0u);
}

TEST(RouterEngineSolicitation, TheRaParsesWithThePrefixRoutesHopLimitAndDestination) {
    RecordProperty("rfc", "5214 8.2.3");
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_ipv4(bytes_of(vec::kRsEncapsulated), io);
    ASSERT_EQ(io.sent.size(), 1u);
    const auto view = net::packet::Ipv6View::parse(io.sent[0].ipv6_packet);
    ASSERT_TRUE(view);
    EXPECT_EQ(view->source(), isatap_link_local(kRouter));
    EXPECT_EQ(view->destination(), isatap_link_local(kHost));
    EXPECT_EQ(view->hop_limit(), 255);
    const auto icmp = view->payload();
    auto ra = nd::parse_router_advertisement(
        std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(icmp.data()),
                                      icmp.size()),
        view->hop_limit(), view->source(), view->destination());
    ASSERT_TRUE(ra.ok()) << nd::to_string(ra.reason());
    EXPECT_EQ(ra->router_lifetime, 0);
    std::vector<net::Ipv6Prefix> pio, rio;
    for (const auto& option : ra->options) {
        if (const auto* p = std::get_if<nd::PrefixInformationOption>(&option)) {
            EXPECT_TRUE(p->autonomous);
            EXPECT_TRUE(p->on_link);
            pio.push_back(p->prefix);
        }
        if (const auto* r = std::get_if<nd::RouteInformationOption>(&option))
            rio.push_back(r->prefix);
    }
    EXPECT_EQ(pio, std::vector<net::Ipv6Prefix>{kIsatapPrefix});
    EXPECT_EQ(
        rio, (std::vector<net::Ipv6Prefix>{p6("2002:836b:2:1000::/64"), p6("2001:0:836b:2::/64")}));
}

TEST(RouterEngineSolicitation, EachAnswerGoesToItsOwnHostWithAValidChecksum) {
    RecordProperty("rfc", "5214 8.2.3");
    auto engine = make_engine();
    FakeTunnelIo io;
    const net::Ipv4Address second = v4("10.1.0.21");
    // To all-routers from one host, to the router's link-local address from the other.
    engine->from_ipv4(
        encapsulate(second, kRouter, solicitation(isatap_link_local(second), v6("ff02::2"))), io);
    engine->from_ipv4(bytes_of(vec::kRsEncapsulated), io);
    ASSERT_EQ(io.sent.size(), 2u);
    EXPECT_EQ(io.sent[0].destination, second);
    const auto first = net::packet::Ipv6View::parse(io.sent[0].ipv6_packet);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->destination(), isatap_link_local(second));
    const auto icmp = first->payload();
    EXPECT_TRUE(nd::parse_router_advertisement(
                    std::span<const std::uint8_t>(
                        reinterpret_cast<const std::uint8_t*>(icmp.data()), icmp.size()),
                    255, first->source(), first->destination())
                    .ok());
    // The rewrite in place leaves nothing of the first answer in the second.
    EXPECT_TRUE(equal(io.sent[1].ipv6_packet, vec::kRaInner));
    const auto host = engine->hosts().find(second);
    ASSERT_TRUE(host);
    EXPECT_EQ(host->solicitations, 1u);
    EXPECT_EQ(host->advertisements, 1u);
    EXPECT_EQ(host->packets_out, 1u);
}

TEST(RouterEngineSolicitation, ARefusedHostGetsNothingAndIsListedRefused) {
    RecordProperty("rfc", "5214 7.3");
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_ipv4(
        encapsulate(kRefused, kRouter, solicitation(isatap_link_local(kRefused), v6("ff02::2"))),
        io);
    engine->from_ipv4(encapsulate(kRefused, kRouter,
                                  data_packet(isatap_address(kIsatapPrefix, kRefused),
                                              v6("2002:836b:2:1000::5"))),
                      io);
    EXPECT_TRUE(io.sent.empty());
    EXPECT_TRUE(io.tun.empty());
    EXPECT_EQ(drops(*engine, IsatapDrop::source_not_allowed), 2u);
    EXPECT_EQ(engine->counters().solicitations_received, 0u);
    const auto host = engine->hosts().find(kRefused);
    ASSERT_TRUE(host);
    EXPECT_FALSE(host->allowed);
    EXPECT_EQ(host->packets_in, 2u);
    EXPECT_EQ(host->packets_dropped, 2u);
    const HostTableSummary summary = engine->hosts().summary();
    EXPECT_EQ(summary.seen, 1u);
    EXPECT_EQ(summary.refused, 1u);
    EXPECT_EQ(summary.allowed, 0u);
}

TEST(RouterEngineSolicitation, ASolicitationFailingTheNdChecksIsDroppedUnanswered) {
    RecordProperty("rfc", "4861 6.1.1");
    auto engine = make_engine();
    FakeTunnelIo io;
    // Hop limit 64: sent from off-link.
    engine->from_ipv4(
        encapsulate(kHost, kRouter, solicitation(isatap_link_local(kHost), v6("ff02::2"), 64)), io);
    EXPECT_TRUE(io.sent.empty());
    EXPECT_TRUE(io.tun.empty());
    EXPECT_EQ(drops(*engine, IsatapDrop::bad_solicitation), 1u);
}

TEST(RouterEngineSolicitation, ASolicitationToAnotherAddressGoesToTheTunUnanswered) {
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_ipv4(
        encapsulate(kHost, kRouter, solicitation(isatap_link_local(kHost), v6("fe80::1"))), io);
    EXPECT_TRUE(io.sent.empty());
    EXPECT_EQ(io.tun.size(), 1u);
    EXPECT_EQ(engine->counters().solicitations_received, 0u);
}

TEST(RouterEngineSolicitation, AFailedSendIsCounted) {
    auto engine = make_engine();
    FakeTunnelIo io;
    io.fail_sends = true;
    engine->from_ipv4(bytes_of(vec::kRsEncapsulated), io);
    EXPECT_EQ(drops(*engine, IsatapDrop::send_failed), 1u);
    EXPECT_EQ(engine->counters().advertisements_sent, 0u);
}

TEST(RouterEngineSolicitation, AnAdvertisementLargerThanTheTunnelMtuIsAStartError) {
    nd::RouterAdvertisement ra = compose_isatap_advertisement(vector_config());
    for (int i = 0; i < 100; ++i) {
        net::Ipv6Address address = v6("2001:db8::");
        address.set_group(2, std::uint16_t(i));
        ra.options.push_back(nd::RouteInformationOption{net::Ipv6Prefix(address, 64),
                                                        nd::RoutePreference::medium, 60});
    }
    auto engine = RouterEngine::create(vector_policy(), ra);
    ASSERT_FALSE(engine.ok());
    EXPECT_NE(engine.error().message.find("1280-byte tunnel MTU"), std::string::npos)
        << engine.error().message;
}

TEST(RouterEngineFromIpv4, DataFromAnAllowedHostGoesToTheTunWithoutPadding) {
    RecordProperty("rfc", "4213 3.6");
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_ipv4(bytes_of(vec::kEchoPadded), io);
    ASSERT_EQ(io.tun.size(), 1u);
    EXPECT_EQ(io.tun[0].size(), sizeof(vec::kEchoInner));
    EXPECT_TRUE(equal(io.tun[0], vec::kEchoInner));
    EXPECT_TRUE(io.sent.empty());
    EXPECT_EQ(engine->counters().decapsulated, 1u);
    EXPECT_EQ(engine->counters().written_to_tun, 1u);
    const auto host = engine->hosts().find(kHost);
    ASSERT_TRUE(host);
    EXPECT_TRUE(host->allowed);
    EXPECT_EQ(host->isatap_address, isatap_address(kIsatapPrefix, kHost));
}

TEST(RouterEngineFromIpv4, ASpoofedInnerSourceIsDroppedAndCounted) {
    RecordProperty("rfc", "5214 7.3");
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_ipv4(bytes_of(vec::kEchoSpoofed), io);
    EXPECT_TRUE(io.tun.empty());
    EXPECT_TRUE(io.sent.empty());
    EXPECT_EQ(drops(*engine, IsatapDrop::inner_source_mismatch), 1u);
    const auto spoofer = engine->hosts().find(kSpoofer);
    ASSERT_TRUE(spoofer);
    EXPECT_EQ(spoofer->packets_dropped, 1u);
    EXPECT_FALSE(spoofer->isatap_address);
}

TEST(RouterEngineFromIpv4, APacketForAnotherIpv4AddressIsNotForUsAndNotRecorded) {
    auto engine = make_engine();
    FakeTunnelIo io;
    auto packet = bytes_of(vec::kEchoPadded);
    set_ipv4_address(packet, 16, v4("10.1.0.2").to_uint());
    engine->from_ipv4(packet, io);
    EXPECT_TRUE(io.tun.empty());
    EXPECT_EQ(drops(*engine, IsatapDrop::outer_not_for_us), 1u);
    EXPECT_EQ(engine->hosts().summary().seen, 0u);
}

TEST(RouterEngineFromIpv4, AMalformedOuterPacketIsCounted) {
    auto engine = make_engine();
    FakeTunnelIo io;
    auto packet = bytes_of(vec::kEchoPadded);
    packet.resize(10);
    engine->from_ipv4(packet, io);
    EXPECT_EQ(drops(*engine, IsatapDrop::outer_malformed), 1u);
}

TEST(RouterEngineFromIpv4, ADestinationThroughA6to4RelayIsALoop) {
    RecordProperty("rfc", "6324 3.2.3");
    auto engine = make_engine();
    FakeTunnelIo io;
    // 2002:c058:6301::1 is reached through the 6to4 relay anycast 192.88.99.1 (RFC 3068).
    engine->from_ipv4(
        encapsulate(kHost, kRouter,
                    data_packet(isatap_address(kIsatapPrefix, kHost), v6("2002:c058:6301::1"))),
        io);
    EXPECT_TRUE(io.tun.empty());
    EXPECT_EQ(drops(*engine, IsatapDrop::loop_6to4_relay), 1u);
}

TEST(RouterEngineFromIpv4, ATunWriteFailureIsCounted) {
    auto engine = make_engine();
    FakeTunnelIo io;
    io.fail_tun_writes = true;
    engine->from_ipv4(bytes_of(vec::kEchoPadded), io);
    EXPECT_EQ(drops(*engine, IsatapDrop::tun_write_failed), 1u);
}

TEST(RouterEngineFromTun, APacketToAnAllowedIsatapAddressIsSentToItsIpv4) {
    RecordProperty("rfc", "5214 8.1");
    auto engine = make_engine();
    FakeTunnelIo io;
    const auto packet =
        data_packet(v6("2002:836b:2:1000::5"), isatap_address(kIsatapPrefix, kHost));
    // Something seen first, so the table has the host to count the packet for.
    engine->from_ipv4(bytes_of(vec::kEchoPadded), io);
    engine->from_tun(packet, io);
    ASSERT_EQ(io.sent.size(), 1u);
    EXPECT_EQ(io.sent[0].destination, kHost);
    EXPECT_EQ(io.sent[0].ipv6_packet, packet);
    EXPECT_EQ(engine->counters().encapsulated, 1u);
    EXPECT_EQ(engine->hosts().find(kHost)->packets_out, 1u);
}

TEST(RouterEngineFromTun, ALinkLocalIsatapDestinationIsSentToItsIpv4) {
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_tun(data_packet(isatap_link_local(kRouter), isatap_link_local(kHost)), io);
    ASSERT_EQ(io.sent.size(), 1u);
    EXPECT_EQ(io.sent[0].destination, kHost);
}

TEST(RouterEngineFromTun, AnIsatapAddressOffTheAllowListIsNotSent) {
    RecordProperty("rfc", "5214 7.3");
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_tun(
        data_packet(v6("2002:836b:2:1000::5"), isatap_address(kIsatapPrefix, kRefused)), io);
    EXPECT_TRUE(io.sent.empty());
    EXPECT_EQ(drops(*engine, IsatapDrop::destination_not_allowed), 1u);
}

TEST(RouterEngineFromTun, ANonIsatapDestinationIsNotSent) {
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_tun(data_packet(v6("2002:836b:2:1000::5"), v6("2002:836b:2:8000::1")), io);
    engine->from_tun(data_packet(isatap_link_local(kRouter), v6("ff02::16")),
                     io);  // an MLD report's
    EXPECT_TRUE(io.sent.empty());
    EXPECT_EQ(drops(*engine, IsatapDrop::destination_not_isatap), 2u);
}

TEST(RouterEngineFromTun, AnIsatapAddressOfAnotherRouterIsALoop) {
    RecordProperty("rfc", "6324 3.2.3");
    auto engine = make_engine();
    FakeTunnelIo io;
    engine->from_tun(
        data_packet(v6("2002:836b:2:1000::5"), isatap_address(kIsatapPrefix, kOtherRouter)), io);
    EXPECT_TRUE(io.sent.empty());
    EXPECT_EQ(drops(*engine, IsatapDrop::loop_isatap_router), 1u);
}

TEST(RouterEngineFromTun, AMalformedPacketAndAFailedSendAreCounted) {
    auto engine = make_engine();
    FakeTunnelIo io;
    const std::array<std::byte, 20> garbage{};
    engine->from_tun(garbage, io);
    EXPECT_EQ(drops(*engine, IsatapDrop::inner_malformed), 1u);
    io.fail_sends = true;
    engine->from_tun(data_packet(v6("2002:836b:2:1000::5"), isatap_address(kIsatapPrefix, kHost)),
                     io);
    EXPECT_EQ(drops(*engine, IsatapDrop::send_failed), 1u);
    EXPECT_EQ(engine->counters().encapsulated, 0u);
}

TEST(RouterEngineHosts, HostsBeyondTheCapacityAreCountedNotStored) {
    auto engine = make_engine(2);
    FakeTunnelIo io;
    for (const char* host : {"10.1.0.40", "10.1.0.41", "10.1.0.42"}) {
        const net::Ipv4Address address = v4(host);
        engine->from_ipv4(encapsulate(address, kRouter,
                                      data_packet(isatap_address(kIsatapPrefix, address),
                                                  v6("2002:836b:2:1000::5"))),
                          io);
    }
    // Not stored is not refused: the packets still go through.
    EXPECT_EQ(io.tun.size(), 3u);
    const HostTableSummary summary = engine->hosts().summary();
    EXPECT_EQ(summary.seen, 2u);
    EXPECT_EQ(summary.table_full, 1u);
    EXPECT_FALSE(engine->hosts().find(v4("10.1.0.42")));
}

TEST(RouterEngineCreate, RefusesAPolicyWithoutAnAllowList) {
    IsatapPolicyConfig policy;
    policy.local = kRouter;
    policy.isatap_prefix = kIsatapPrefix;
    auto engine =
        RouterEngine::create(IsatapPolicy(policy), compose_isatap_advertisement(vector_config()));
    ASSERT_FALSE(engine.ok());
    EXPECT_NE(engine.error().message.find("allow-list"), std::string::npos);
}

}  // namespace
}  // namespace sixgate::isatap
