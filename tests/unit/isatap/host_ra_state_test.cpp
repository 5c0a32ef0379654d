// What the ISATAP host learns from RAs: RFC 4861 6.1.2 / 6.3.4, RFC 4862 5.5.3, RFC 4191 3.1,
// RFC 5214 8.3.2 (only PRL routers, from their own ISATAP link-local address).

#include "isatap/host_ra_state.hpp"

#include <gtest/gtest.h>

#include <array>

#include "isatap_test_util.hpp"
#include "isatap_vectors.hpp"
#include "net/nd/router_messages.hpp"
#include "net/packet/header_writers.hpp"

namespace sixgate::isatap {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

net::Ipv4Address v4(const char* text) { return *net::Ipv4Address::parse(text); }
net::Ipv6Address v6(const char* text) { return *net::Ipv6Address::parse(text); }
net::Ipv6Prefix p6(const char* text) { return *net::Ipv6Prefix::parse(text); }

const net::Ipv4Address kRouter = v4("10.1.0.1");
const net::Ipv4Address kHost = v4("10.1.0.20");
const std::vector<net::Ipv4Address> kPrl{kRouter};
const RaTime kT0 = RaTime{} + hours{10};

// An RA as an IPv6 packet, built with the ND codecs (the byte layout is tested against scapy in
// the nd and isatap core tests; kRaInner below is scapy's own).
std::vector<std::byte> ra_packet(const net::nd::RouterAdvertisement& ra, const net::Ipv6Address& source,
                                 std::uint8_t hop_limit = 255) {
    std::array<std::uint8_t, 512> icmp{};
    auto length = net::nd::build_router_advertisement(ra, icmp);
    EXPECT_TRUE(length.ok());
    const auto destination = v6("fe80::5efe:10.1.0.20");
    net::nd::fill_icmpv6_checksum(std::span(icmp).first(*length), source, destination);
    std::vector<std::byte> packet(40 + *length);
    net::packet::Ipv6HeaderFields header;
    header.payload_length = static_cast<std::uint16_t>(*length);
    header.next_header = 58;
    header.hop_limit = hop_limit;
    header.source = source;
    header.destination = destination;
    EXPECT_EQ(net::packet::write_ipv6_header(packet, header), 40u);
    for (std::size_t i = 0; i < *length; ++i) packet[40 + i] = std::byte{icmp[i]};
    return packet;
}

net::nd::PrefixInformationOption pio(const char* prefix, std::uint32_t valid, std::uint32_t preferred,
                                     bool autonomous = true) {
    return {p6(prefix), true, autonomous, valid, preferred};
}

net::nd::RouteInformationOption rio(const char* prefix, std::uint32_t lifetime) {
    return {p6(prefix), net::nd::RoutePreference::medium, lifetime};
}

std::vector<std::byte> ra_with(std::vector<net::nd::NdOption> options, std::uint16_t router_lifetime = 0) {
    net::nd::RouterAdvertisement ra;
    ra.router_lifetime = router_lifetime;
    ra.options = std::move(options);
    return ra_packet(ra, v6("fe80::5efe:10.1.0.1"));
}

TEST(HostRaState, ScapyBuiltRaGivesTheIsatapAddressAndRoutes) {
    RecordProperty("rfc", "5214 8.3.2, 4862 5.5.3, 4191 3.1");
    HostRaState state(kHost);
    const auto packet = testing::bytes_of(vectors::kRaInner);
    auto summary = state.apply(packet, kRouter, kPrl, kT0);
    ASSERT_TRUE(summary.ok()) << to_string(summary.error().why);
    ASSERT_EQ(state.addresses().size(), 1u);
    const HostAddress& address = state.addresses()[0];
    EXPECT_EQ(address.address, v6("2002:836b:2:8000:0:5efe:a01:14"));
    EXPECT_EQ(address.valid_until, kT0 + seconds{5400});
    EXPECT_EQ(address.preferred_until, kT0 + seconds{2700});
    const auto routes = state.routes();
    ASSERT_EQ(routes.size(), 2u) << "router lifetime 0: no default route";
    EXPECT_EQ(routes[0].prefix, p6("2002:836b:2:1000::/64"));
    EXPECT_EQ(routes[0].expires, kT0 + seconds{1800});
    EXPECT_EQ(routes[1].prefix, p6("2001:0:836b:2::/64"));
    EXPECT_EQ(routes[1].expires, kT0 + seconds{3600});
    EXPECT_EQ(routes[1].preference, net::nd::RoutePreference::high);
    EXPECT_EQ(state.router(), kRouter);
    EXPECT_EQ(state.next_expiry(), kT0 + seconds{1800});
    EXPECT_EQ(summary->prefixes, std::vector{p6("2002:836b:2:8000::/64")});
}

TEST(HostRaState, PrefixWithoutAutonomousFlagOrNotASlash64FormsNoAddress) {
    RecordProperty("rfc", "4862 5.5.3");
    HostRaState state(kHost);
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:1::/64", 3600, 1800, false), pio("2001:db8:2::/48", 3600, 1800),
                                     pio("fe80::/64", 3600, 1800), pio("2001:db8:3::/64", 600, 1800)}),
                            kRouter, kPrl, kT0)
                    .ok());
    EXPECT_TRUE(state.addresses().empty()) << "no A, not a /64, link-local, preferred > valid";
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:4::/64", 0, 0)}), kRouter, kPrl, kT0).ok());
    EXPECT_TRUE(state.addresses().empty()) << "a new prefix with valid lifetime 0";
}

TEST(HostRaState, GlobalIpv4GivesTheUniversalInterfaceIdentifier) {
    RecordProperty("rfc", "5214 6.1");
    HostRaState state(v4("131.107.0.20"));
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:1::/64", 3600, 1800)}), kRouter, kPrl, kT0).ok());
    ASSERT_EQ(state.addresses().size(), 1u);
    EXPECT_EQ(state.addresses()[0].address, v6("2001:db8:1:0:200:5efe:836b:14"));
}

TEST(HostRaState, TwoHourRuleProtectsTheAddressFromShortLifetimes) {
    RecordProperty("rfc", "4862 5.5.3 e");
    HostRaState state(kHost);
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:1::/64", 3 * 3600, 3600)}), kRouter, kPrl, kT0).ok());
    // 3 h left, RA says 30 min: cut to two hours, not 30 min.
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:1::/64", 1800, 600)}), kRouter, kPrl, kT0).ok());
    EXPECT_EQ(state.addresses()[0].valid_until, kT0 + hours{2});
    EXPECT_EQ(state.addresses()[0].preferred_until, kT0 + minutes{10}) << "preferred is always taken";
    // An hour later, 1 h left, RA says 10 min: ignored, the hour stays.
    const RaTime t1 = kT0 + hours{1};
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:1::/64", 600, 0)}), kRouter, kPrl, t1).ok());
    EXPECT_EQ(state.addresses()[0].valid_until, kT0 + hours{2});
    // More than what is left is taken as is, even under two hours.
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:1::/64", 5400, 0)}), kRouter, kPrl, t1).ok());
    EXPECT_EQ(state.addresses()[0].valid_until, t1 + seconds{5400});
    // Over two hours: taken, even if shorter than what is left.
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:1::/64", 7201, 0)}), kRouter, kPrl, t1).ok());
    EXPECT_EQ(state.addresses()[0].valid_until, t1 + seconds{7201});
    // 0 valid on an existing address with more than two hours left: two hours, not gone.
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:1::/64", 0, 0)}), kRouter, kPrl, t1).ok());
    EXPECT_EQ(state.addresses()[0].valid_until, t1 + hours{2});
}

TEST(HostRaState, RouteInformationAddsRefreshesAndWithdrawsRoutes) {
    RecordProperty("rfc", "4191 3.1");
    HostRaState state(kHost);
    ASSERT_TRUE(state.apply(ra_with({rio("2001:db8:10::/64", 600), rio("2001:db8:20::/48", 0xffffffff)}), kRouter,
                            kPrl, kT0)
                    .ok());
    auto routes = state.routes();
    ASSERT_EQ(routes.size(), 2u);
    EXPECT_EQ(routes[1].expires, kNever);
    EXPECT_EQ(state.next_expiry(), kT0 + seconds{600});
    auto summary = state.apply(ra_with({rio("2001:db8:10::/64", 900), rio("2001:db8:20::/48", 0)}), kRouter, kPrl,
                               kT0 + seconds{100});
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(summary->withdrawn, std::vector{p6("2001:db8:20::/48")});
    routes = state.routes();
    ASSERT_EQ(routes.size(), 1u);
    EXPECT_EQ(routes[0].prefix, p6("2001:db8:10::/64"));
    EXPECT_EQ(routes[0].expires, kT0 + seconds{1000});
}

TEST(HostRaState, RoutesAndAddressesExpireOnTheirLifetimes) {
    RecordProperty("rfc", "4191 3.1, 4862 5.5.3");
    HostRaState state(kHost);
    ASSERT_TRUE(state.apply(ra_with({pio("2001:db8:1::/64", 1200, 600), rio("2001:db8:10::/64", 300)}, 900), kRouter,
                            kPrl, kT0)
                    .ok());
    EXPECT_EQ(state.routes().size(), 2u) << "the RIO and the default route";
    EXPECT_EQ(state.next_expiry(), kT0 + seconds{300});
    EXPECT_FALSE(state.expire(kT0 + seconds{299}));
    EXPECT_TRUE(state.expire(kT0 + seconds{300}));
    ASSERT_EQ(state.routes().size(), 1u);
    EXPECT_EQ(state.routes()[0].prefix, p6("::/0"));
    EXPECT_EQ(state.next_expiry(), kT0 + seconds{900});
    EXPECT_TRUE(state.expire(kT0 + seconds{900}));
    EXPECT_TRUE(state.routes().empty());
    EXPECT_EQ(state.addresses().size(), 1u);
    EXPECT_TRUE(state.expire(kT0 + seconds{1200}));
    EXPECT_TRUE(state.addresses().empty());
    EXPECT_EQ(state.next_expiry(), std::nullopt);
}

TEST(HostRaState, RouterLifetimeGivesADefaultRouteAndZeroTakesItAway) {
    RecordProperty("rfc", "4861 6.3.4");
    HostRaState state(kHost);
    ASSERT_TRUE(state.apply(ra_with({}, 1800), kRouter, kPrl, kT0).ok());
    ASSERT_EQ(state.routes().size(), 1u);
    EXPECT_EQ(state.routes()[0].prefix, p6("::/0"));
    EXPECT_EQ(state.routes()[0].expires, kT0 + seconds{1800});
    ASSERT_TRUE(state.apply(ra_with({}, 0), kRouter, kPrl, kT0 + seconds{10}).ok());
    EXPECT_TRUE(state.routes().empty());
}

TEST(HostRaState, RaFromARouterNotInThePrlIsRefused) {
    RecordProperty("rfc", "5214 8.3.2");
    HostRaState state(kHost);
    net::nd::RouterAdvertisement ra;
    ra.options = {pio("2001:db8:1::/64", 3600, 1800)};
    auto refused = state.apply(ra_packet(ra, v6("fe80::5efe:10.1.0.9")), v4("10.1.0.9"), kPrl, kT0);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().why, RaRefusal::Why::not_prl_router);
    EXPECT_TRUE(state.addresses().empty());
    EXPECT_EQ(state.router(), std::nullopt);
}

TEST(HostRaState, RaNotFromThePrlRoutersOwnLinkLocalAddressIsRefused) {
    RecordProperty("rfc", "5214 8.3.2, 4861 6.1.2");
    HostRaState state(kHost);
    net::nd::RouterAdvertisement ra;
    ra.options = {pio("2001:db8:1::/64", 3600, 1800)};
    for (const char* source : {"fe80::5efe:10.1.0.9", "fe80::1", "2001:db8::5efe:10.1.0.1", "fe80:1::5efe:10.1.0.1"}) {
        auto refused = state.apply(ra_packet(ra, v6(source)), kRouter, kPrl, kT0);
        ASSERT_FALSE(refused.ok()) << source;
        EXPECT_EQ(refused.error().why, RaRefusal::Why::wrong_source) << source;
    }
    // The universal-bit form of the router's link-local address is its own too.
    EXPECT_TRUE(state.apply(ra_packet(ra, v6("fe80::200:5efe:10.1.0.1")), kRouter, kPrl, kT0).ok());
}

TEST(HostRaState, RaFailingNdValidationIsRefusedWithTheReason) {
    RecordProperty("rfc", "4861 6.1.2");
    HostRaState state(kHost);
    net::nd::RouterAdvertisement ra;
    ra.options = {pio("2001:db8:1::/64", 3600, 1800)};
    auto forwarded = state.apply(ra_packet(ra, v6("fe80::5efe:10.1.0.1"), 254), kRouter, kPrl, kT0);
    ASSERT_FALSE(forwarded.ok());
    EXPECT_EQ(forwarded.error().why, RaRefusal::Why::nd_validation);
    EXPECT_EQ(forwarded.error().nd_reason, net::nd::NdDropReason::bad_hop_limit);
    auto corrupted = ra_packet(ra, v6("fe80::5efe:10.1.0.1"));
    corrupted[42] ^= std::byte{0x01};  // the ICMPv6 checksum
    auto bad_checksum = state.apply(corrupted, kRouter, kPrl, kT0);
    ASSERT_FALSE(bad_checksum.ok());
    EXPECT_EQ(bad_checksum.error().nd_reason, net::nd::NdDropReason::bad_checksum);
    auto truncated = state.apply(std::span(corrupted).first(30), kRouter, kPrl, kT0);
    ASSERT_FALSE(truncated.ok());
    EXPECT_EQ(truncated.error().why, RaRefusal::Why::malformed);
    EXPECT_TRUE(state.addresses().empty());
}

}  // namespace
}  // namespace sixgate::isatap
