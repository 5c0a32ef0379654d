// The ISATAP router's unicast Router Advertisement (RFC 5214 8.2.3, RFC 4861 4.2/4.6.2,
// RFC 4191 2.3), byte for byte against scapy (tshark confirms scapy's packet).

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

#include "isatap/isatap_address.hpp"
#include "isatap/isatap_advertisement.hpp"
#include "isatap_test_util.hpp"
#include "isatap_vectors.hpp"
#include "net/checksum.hpp"
#include "net/packet/ipv6_view.hpp"

namespace sixgate::isatap {
namespace {

namespace nd = net::nd;
namespace vec = vectors;

net::Ipv4Address v4(const char* text) { return *net::Ipv4Address::parse(text); }
net::Ipv6Prefix p6(const char* text) { return *net::Ipv6Prefix::parse(text); }

config::RouteInformation route(const char* prefix, config::RouterPreference preference, std::uint32_t lifetime) {
    config::RouteInformation out;
    out.prefix.set(p6(prefix), config::Origin::configured);
    out.preference = preference;
    out.lifetime = lifetime;
    return out;
}

// The fixed config make_isatap_vectors.py describes.
config::Config vector_config() {
    config::Config config;
    config.isatap.enabled = true;
    config.isatap.mode = config::IsatapMode::router;
    config.isatap.prefix.set(p6("2002:836b:2:8000::/64"), config::Origin::configured);
    config::RouterInterface lan0;
    lan0.name = "lan0";
    lan0.routes = {route("2002:836b:2:1000::/64", config::RouterPreference::medium, 1800),
                   route("2001:0:836b:2::/64", config::RouterPreference::high, 3600)};
    config::RouterInterface lan1;
    lan1.name = "lan1";
    lan1.routes = {route("2002:836b:2:1000::/64", config::RouterPreference::low, 10)};
    config.router.interfaces = {lan0, lan1};
    return config;
}

TEST(IsatapAdvertisement, IsTheRaScapyBuildsByteForByte) {
    RecordProperty("rfc", "5214 8.2.3");
    const auto ra = compose_isatap_advertisement(vector_config());
    std::array<std::byte, 1280> buffer{};
    auto length = build_advertisement_packet(ra, isatap_link_local(v4("10.1.0.1")), isatap_link_local(v4("10.1.0.20")),
                                             buffer);
    ASSERT_TRUE(length.ok()) << length.error().message;
    ASSERT_EQ(*length, sizeof(vec::kRaInner));
    for (std::size_t i = 0; i < *length; ++i)
        EXPECT_EQ(std::to_integer<int>(buffer[i]), int(vec::kRaInner[i])) << "byte " << i;
}

TEST(IsatapAdvertisement, IsNotADefaultRouter) {
    RecordProperty("rfc", "4191 2.2");
    const auto ra = compose_isatap_advertisement(vector_config());
    EXPECT_EQ(ra.router_lifetime, 0);
    EXPECT_EQ(ra.router_preference, nd::RoutePreference::medium);
    EXPECT_EQ(ra.cur_hop_limit, 64);
    EXPECT_FALSE(ra.managed);
    EXPECT_FALSE(ra.other_config);
}

TEST(IsatapAdvertisement, CarriesTheIsatapPrefixForSlaac) {
    RecordProperty("rfc", "5214 8.2.3");
    const auto ra = compose_isatap_advertisement(vector_config());
    ASSERT_FALSE(ra.options.empty());
    const auto* pio = std::get_if<nd::PrefixInformationOption>(&ra.options.front());
    ASSERT_NE(pio, nullptr);
    EXPECT_EQ(pio->prefix, p6("2002:836b:2:8000::/64"));
    EXPECT_TRUE(pio->on_link);
    EXPECT_TRUE(pio->autonomous);
    EXPECT_EQ(pio->valid_lifetime, 5400u);      // RFC 9096 3.3
    EXPECT_EQ(pio->preferred_lifetime, 2700u);
}

TEST(IsatapAdvertisement, RoutesEachPrefixOnceWithTheFirstInterfacesValues) {
    RecordProperty("rfc", "4191 2.3");
    const auto ra = compose_isatap_advertisement(vector_config());
    std::vector<nd::RouteInformationOption> routes;
    for (const auto& option : ra.options)
        if (const auto* rio = std::get_if<nd::RouteInformationOption>(&option)) routes.push_back(*rio);
    ASSERT_EQ(routes.size(), 2u);
    EXPECT_EQ(routes[0], (nd::RouteInformationOption{p6("2002:836b:2:1000::/64"), nd::RoutePreference::medium, 1800}));
    EXPECT_EQ(routes[1], (nd::RouteInformationOption{p6("2001:0:836b:2::/64"), nd::RoutePreference::high, 3600}));
}

TEST(IsatapAdvertisement, WithoutRouterInterfacesRoutesThePlansIpHttpsAndTeredoPrefixes) {
    RecordProperty("rfc", "4191 2.3");
    config::Config config;
    config.isatap.prefix.set(p6("2002:836b:2:8000::/64"), config::Origin::derived);
    config.plan = *net::derive_prefix_plan(v4("131.107.0.2"), std::nullopt);
    ASSERT_TRUE(config.plan->teredo);
    const auto ra = compose_isatap_advertisement(config);
    ASSERT_EQ(ra.options.size(), 3u);
    EXPECT_EQ(std::get<nd::RouteInformationOption>(ra.options[1]),
              (nd::RouteInformationOption{config.plan->iphttps, nd::RoutePreference::medium, 1800}));
    EXPECT_EQ(std::get<nd::RouteInformationOption>(ra.options[2]),
              (nd::RouteInformationOption{config.plan->teredo->prefix, nd::RoutePreference::medium, 1800}));
}

TEST(IsatapAdvertisement, BehindNatRoutesOnlyTheIpHttpsPrefix) {
    RecordProperty("rfc", "4191 2.3");
    config::Config config;
    config.plan = *net::derive_prefix_plan(v4("10.0.0.1"), p6("fd12:3456:789a::/48"));
    const auto ra = compose_isatap_advertisement(config);
    ASSERT_EQ(ra.options.size(), 1u);  // no ISATAP prefix configured: no PIO either
    EXPECT_EQ(std::get<nd::RouteInformationOption>(ra.options[0]).prefix, config.plan->iphttps);
}

TEST(IsatapAdvertisementPacket, HasHopLimit255AndAValidChecksum) {
    RecordProperty("rfc", "4861 6.1.2");
    const auto source = isatap_link_local(v4("10.1.0.1"));
    const auto destination = isatap_link_local(v4("10.1.0.20"));
    std::array<std::byte, 512> buffer{};
    auto length = build_advertisement_packet(compose_isatap_advertisement(vector_config()), source, destination, buffer);
    ASSERT_TRUE(length.ok());
    const auto view = net::packet::Ipv6View::parse(std::span<const std::byte>(buffer).first(*length));
    ASSERT_TRUE(view);
    EXPECT_EQ(view->hop_limit(), 255);
    EXPECT_EQ(view->next_header(), 58);
    EXPECT_EQ(view->source(), source);
    EXPECT_EQ(view->destination(), destination);
    const auto icmp = view->payload();
    std::vector<std::uint8_t> message(icmp.size());
    std::transform(icmp.begin(), icmp.end(), message.begin(), [](std::byte b) { return std::to_integer<std::uint8_t>(b); });
    EXPECT_TRUE(net::icmpv6_checksum_is_valid(source, destination, message));
    // And our own RA parser accepts it as an RA.
    auto parsed = nd::parse_router_advertisement(message, 255, source, destination);
    EXPECT_TRUE(parsed.ok());
}

TEST(IsatapAdvertisementPacket, RefusesABufferTooSmall) {
    const auto ra = compose_isatap_advertisement(vector_config());
    std::array<std::byte, 39> tiny{};
    EXPECT_FALSE(build_advertisement_packet(ra, {}, {}, tiny).ok());
    std::array<std::byte, 60> small{};  // the header fits, the RA does not
    EXPECT_FALSE(build_advertisement_packet(ra, {}, {}, small).ok());
}

}  // namespace
}  // namespace sixgate::isatap
