// The limited-scope policy (RFC 5214 7.3, 8) and the loop checks (RFC 6324 3.2.3).

#include <gtest/gtest.h>

#include <algorithm>

#include "isatap/isatap_address.hpp"
#include "isatap/isatap_policy.hpp"
#include "isatap_test_util.hpp"
#include "isatap_vectors.hpp"
#include "net/packet/header_writers.hpp"

namespace sixgate::isatap {
namespace {

using namespace testing;
namespace vec = vectors;

net::Ipv6Address v6(const char* text) { return *net::Ipv6Address::parse(text); }
net::Ipv4Address v4(const char* text) { return *net::Ipv4Address::parse(text); }
net::Ipv4Prefix p4(const char* text) { return *net::Ipv4Prefix::parse(text); }
net::Ipv6Prefix p6(const char* text) { return *net::Ipv6Prefix::parse(text); }

const net::Ipv4Address kRouter = v4("10.1.0.1");
const net::Ipv4Address kHost = v4("10.1.0.20");
const net::Ipv6Prefix kIsatapPrefix = p6("2002:836b:2:8000::/64");

IsatapPolicy router_policy() {
    IsatapPolicyConfig config;
    config.allow = {p4("10.1.0.0/27"), p4("10.2.0.5/32")};
    config.local = kRouter;
    config.isatap_prefix = kIsatapPrefix;
    config.loop_guard = {p4("10.1.0.9/32")};  // another ISATAP router, inside the allowed /27
    return IsatapPolicy(config);
}

IsatapPolicy host_policy() {
    IsatapPolicyConfig config;
    config.prl = {kRouter};
    config.local = kHost;
    config.loop_guard = {p4("10.1.0.9/32"), p4("10.1.0.1/32")};  // the PRL router listed by mistake
    return IsatapPolicy(config);
}

// An IPv6 packet (40-byte header, 8 bytes of payload) with the given addresses, kept alive with
// its view.
struct Ipv6Packet {
    std::vector<std::byte> bytes = std::vector<std::byte>(48);
    net::packet::Ipv6View view() const { return *net::packet::Ipv6View::parse(bytes); }
};

Ipv6Packet ipv6(const net::Ipv6Address& source, const net::Ipv6Address& destination) {
    Ipv6Packet packet;
    net::packet::Ipv6HeaderFields fields;
    fields.payload_length = 8;
    fields.next_header = 59;  // no next header
    fields.source = source;
    fields.destination = destination;
    EXPECT_EQ(net::packet::write_ipv6_header(packet.bytes, fields), 40u);
    return packet;
}

// kEchoPadded from `outer_source` to `outer_destination` with the inner addresses given.
struct Inbound {
    std::vector<std::byte> bytes;
    Decapsulated decapsulated() const { return *decapsulate(bytes); }
};

Inbound inbound(net::Ipv4Address outer_source, net::Ipv4Address outer_destination, const net::Ipv6Address& source,
                const net::Ipv6Address& destination) {
    Inbound packet{bytes_of(vec::kEchoPadded)};
    set_ipv6_address(packet.bytes, 20 + 8, source);
    set_ipv6_address(packet.bytes, 20 + 24, destination);
    set_ipv4_address(packet.bytes, 16, outer_destination.to_uint());
    set_ipv4_address(packet.bytes, 12, outer_source.to_uint());
    return packet;
}

std::optional<IsatapDrop> check(const IsatapPolicy& policy, const Inbound& packet) {
    return policy.check_inbound(packet.decapsulated());
}

Expected<net::Ipv4Address, IsatapDrop> outbound(const IsatapPolicy& policy, const Ipv6Packet& packet,
                                                std::optional<net::Ipv4Address> router = std::nullopt) {
    return policy.outbound_destination(packet.view(), router);
}

// ---- construction ---------------------------------------------------------------------------

TEST(IsatapPolicy, AlwaysGuardsTheSixToFourRelayAnycastPrefix) {
    RecordProperty("rfc", "3068 2.3");
    const auto policy = router_policy();
    EXPECT_NE(std::find(policy.config().loop_guard.begin(), policy.config().loop_guard.end(), p4("192.88.99.0/24")),
              policy.config().loop_guard.end());
    EXPECT_EQ(IsatapPolicy(policy.config()).config().loop_guard.size(), policy.config().loop_guard.size());
}

TEST(IsatapPolicy, RouterModeAllowsOnlyTheAllowList) {
    const auto policy = router_policy();
    EXPECT_TRUE(policy.router_mode());
    EXPECT_TRUE(policy.allowed(v4("10.1.0.30")));
    EXPECT_TRUE(policy.allowed(v4("10.2.0.5")));
    EXPECT_FALSE(policy.allowed(v4("10.1.0.32")));
    EXPECT_FALSE(policy.allowed(v4("10.2.0.6")));
}

TEST(IsatapPolicy, HostModeAllowsEveryoneAndKnowsItsPrl) {
    const auto policy = host_policy();
    EXPECT_FALSE(policy.router_mode());
    EXPECT_TRUE(policy.allowed(v4("192.0.2.1")));
    EXPECT_TRUE(policy.is_prl_router(kRouter));
    EXPECT_FALSE(policy.is_prl_router(v4("10.1.0.2")));
}

// ---- inbound --------------------------------------------------------------------------------

TEST(IsatapPolicyInbound, AcceptsAnAllowedHostsRouterSolicitation) {
    RecordProperty("rfc", "5214 7.3");
    const Inbound rs{bytes_of(vec::kRsEncapsulated)};
    EXPECT_EQ(check(router_policy(), rs), std::nullopt);
}

TEST(IsatapPolicyInbound, AcceptsDataFromTheHostsIsatapAddress) {
    RecordProperty("rfc", "5214 7.3");
    const Inbound echo{bytes_of(vec::kEchoPadded)};
    EXPECT_EQ(check(router_policy(), echo), std::nullopt);
}

TEST(IsatapPolicyInbound, DropsWhatIsNotForOurIpv4Address) {
    RecordProperty("rfc", "4213 3.6");
    const auto packet = inbound(kHost, v4("10.1.0.2"), isatap_link_local(kHost), isatap_link_local(kRouter));
    EXPECT_EQ(check(router_policy(), packet), IsatapDrop::outer_not_for_us);
}

TEST(IsatapPolicyInbound, DropsHostsOffTheAllowList) {
    const auto stranger = v4("10.1.0.40");
    const auto packet = inbound(stranger, kRouter, isatap_link_local(stranger), isatap_link_local(kRouter));
    EXPECT_EQ(check(router_policy(), packet), IsatapDrop::source_not_allowed);
}

TEST(IsatapPolicyInbound, DropsASpoofedInnerSource) {
    RecordProperty("rfc", "5214 7.3");
    const Inbound spoofed{bytes_of(vec::kEchoSpoofed)};
    EXPECT_EQ(check(router_policy(), spoofed), IsatapDrop::inner_source_mismatch);
}

TEST(IsatapPolicyInbound, DropsAnInnerSourceWithoutIsatapIdentifierFromAHost) {
    RecordProperty("rfc", "5214 7.3");
    const auto packet = inbound(kHost, kRouter, v6("2002:836b:2:8000::20"), v6("2002:836b:2:1000::5"));
    EXPECT_EQ(check(router_policy(), packet), IsatapDrop::inner_source_mismatch);
}

TEST(IsatapPolicyInbound, HostAcceptsAnySourceFromItsPrlRouter) {
    RecordProperty("rfc", "5214 7.3");
    const auto host_address = isatap_address(kIsatapPrefix, kHost);
    const auto packet = inbound(kRouter, kHost, v6("2002:836b:2:1000::5"), host_address);
    EXPECT_EQ(check(host_policy(), packet), std::nullopt);
    // The router's RA: from its link-local address, which embeds a loop_guard entry here, but
    // the PRL router is ours.
    const auto ra = inbound(kRouter, kHost, isatap_link_local(kRouter), isatap_link_local(kHost));
    EXPECT_EQ(check(host_policy(), ra), std::nullopt);
}

TEST(IsatapPolicyInbound, HostRequiresTheEmbeddedSourceFromNonRouters) {
    RecordProperty("rfc", "5214 7.3");
    const auto neighbour = v4("10.1.0.21");
    EXPECT_EQ(check(host_policy(), inbound(neighbour, kHost, isatap_link_local(neighbour), isatap_link_local(kHost))),
              std::nullopt);
    EXPECT_EQ(check(host_policy(), inbound(neighbour, kHost, v6("2002:836b:2:1000::5"), isatap_link_local(kHost))),
              IsatapDrop::inner_source_mismatch);
}

TEST(IsatapPolicyInbound, DropsADestinationBehindAnotherIsatapRouter) {
    RecordProperty("rfc", "6324 3.2.3");
    const auto packet = inbound(kHost, kRouter, isatap_address(kIsatapPrefix, kHost),
                                isatap_address(p6("2001:db8:5::/64"), v4("10.1.0.9")));
    EXPECT_EQ(check(router_policy(), packet), IsatapDrop::loop_isatap_router);
}

TEST(IsatapPolicyInbound, DropsASourceOfAnotherIsatapRouter) {
    RecordProperty("rfc", "6324 3.2.3");
    // 10.1.0.9 is allowed and sends with its own ISATAP address: it is a router, not a host.
    const auto other = v4("10.1.0.9");
    const auto packet = inbound(other, kRouter, isatap_address(kIsatapPrefix, other), v6("2002:836b:2:1000::5"));
    EXPECT_EQ(check(router_policy(), packet), IsatapDrop::loop_isatap_router);
}

TEST(IsatapPolicyInbound, DropsASourceEmbeddingOurOwnAddress) {
    RecordProperty("rfc", "6324 3.2.3");
    const auto packet = inbound(kRouter, kHost, isatap_address(kIsatapPrefix, kHost), v6("2002:836b:2:1000::5"));
    EXPECT_EQ(check(host_policy(), packet), IsatapDrop::loop_isatap_router);
}

TEST(IsatapPolicyInbound, AcceptsADestinationEmbeddingOurOwnAddress) {
    RecordProperty("rfc", "5214 7.3");
    const auto packet = inbound(kHost, kRouter, isatap_link_local(kHost), isatap_link_local(kRouter));
    EXPECT_EQ(check(router_policy(), packet), std::nullopt);
}

TEST(IsatapPolicyInbound, DropsSixToFourAddressesOfRelays) {
    RecordProperty("rfc", "6324 3.2.3");
    const auto source = isatap_address(kIsatapPrefix, kHost);
    // 192.88.99.1 (RFC 3068 anycast) and 10.1.0.9 (a configured router) as 6to4 destinations.
    EXPECT_EQ(check(router_policy(), inbound(kHost, kRouter, source, v6("2002:c058:6301::1"))),
              IsatapDrop::loop_6to4_relay);
    EXPECT_EQ(check(router_policy(), inbound(kHost, kRouter, source, v6("2002:a01:9::1"))),
              IsatapDrop::loop_6to4_relay);
    // And as a source, through the PRL router on a host.
    EXPECT_EQ(check(host_policy(), inbound(kRouter, kHost, v6("2002:c058:6301::1"), source)),
              IsatapDrop::loop_6to4_relay);
}

TEST(IsatapPolicyInbound, DropsOurOwnSixToFourAddressUnlessWeServeIt) {
    RecordProperty("rfc", "6324 3.2.3");
    const auto source = isatap_address(kIsatapPrefix, kHost);
    const auto own6to4 = v6("2002:a01:1:1000::5");  // 2002:10.1.0.1::/48
    EXPECT_EQ(check(router_policy(), inbound(kHost, kRouter, source, own6to4)), IsatapDrop::loop_6to4_relay);
    IsatapPolicyConfig config = router_policy().config();
    config.served_prefixes = {p6("2002:a01:1::/48")};
    EXPECT_EQ(check(IsatapPolicy(config), inbound(kHost, kRouter, source, own6to4)), std::nullopt);
}

TEST(IsatapPolicyInbound, ChecksInTheDocumentedOrder) {
    // Not for us beats not allowed, not allowed beats a mismatch, a mismatch beats a loop.
    const auto stranger = v4("10.9.9.9");
    EXPECT_EQ(check(router_policy(), inbound(stranger, v4("10.1.0.2"), v6("2002:c058:6301::1"), v6("::2"))),
              IsatapDrop::outer_not_for_us);
    EXPECT_EQ(check(router_policy(), inbound(stranger, kRouter, v6("2002:c058:6301::1"), v6("::2"))),
              IsatapDrop::source_not_allowed);
    EXPECT_EQ(check(router_policy(), inbound(kHost, kRouter, v6("2002:c058:6301::1"), v6("::2"))),
              IsatapDrop::inner_source_mismatch);
}

// ---- outbound, router mode --------------------------------------------------------------------

TEST(IsatapPolicyOutboundRouter, SendsToTheIpv4AddressAnIsatapDestinationEmbeds) {
    RecordProperty("rfc", "5214 8.1");
    const auto policy = router_policy();
    const auto global = outbound(policy, ipv6(v6("2002:836b:2:1000::5"), isatap_address(kIsatapPrefix, kHost)));
    ASSERT_TRUE(global.ok());
    EXPECT_EQ(*global, kHost);
    const auto link_local = outbound(policy, ipv6(isatap_link_local(kRouter), isatap_link_local(v4("10.2.0.5"))));
    ASSERT_TRUE(link_local.ok());
    EXPECT_EQ(*link_local, v4("10.2.0.5"));
}

TEST(IsatapPolicyOutboundRouter, DropsDestinationsOffTheIsatapLink) {
    RecordProperty("rfc", "5214 8.1");
    const auto policy = router_policy();
    const auto source = v6("2002:836b:2:1000::5");
    for (const char* destination : {"2002:836b:2:8000::20",               // no ISATAP identifier
                                    "2002:836b:2:3333:0:5efe:a01:14",     // ISATAP, other prefix
                                    "fe80:1::5efe:a01:14",                // not fe80::/64
                                    "ff02::1"}) {
        const auto result = outbound(policy, ipv6(source, v6(destination)));
        ASSERT_FALSE(result.ok()) << destination;
        EXPECT_EQ(result.error(), IsatapDrop::destination_not_isatap) << destination;
    }
}

TEST(IsatapPolicyOutboundRouter, DropsDestinationsOffTheAllowList) {
    const auto result = outbound(router_policy(), ipv6(v6("2002:836b:2:1000::5"),
                                                       isatap_address(kIsatapPrefix, v4("10.1.0.40"))));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), IsatapDrop::destination_not_allowed);
}

TEST(IsatapPolicyOutboundRouter, DropsOurOwnIsatapAddressAsDestination) {
    RecordProperty("rfc", "6324 3.2.3");
    IsatapPolicyConfig config = router_policy().config();
    config.allow.push_back(p4("10.1.0.1/32"));
    const auto result = outbound(IsatapPolicy(config), ipv6(v6("2002:836b:2:1000::5"),
                                                            isatap_address(kIsatapPrefix, kRouter)));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), IsatapDrop::loop_isatap_router);
}

TEST(IsatapPolicyOutboundRouter, DropsAnotherIsatapRoutersAddressEvenWhenAllowed) {
    RecordProperty("rfc", "6324 3.2.3");
    const auto result = outbound(router_policy(), ipv6(v6("2002:836b:2:1000::5"),
                                                       isatap_address(kIsatapPrefix, v4("10.1.0.9"))));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), IsatapDrop::loop_isatap_router);
}

TEST(IsatapPolicyOutboundRouter, DropsARelaysSixToFourSource) {
    RecordProperty("rfc", "6324 3.2.3");
    const auto result = outbound(router_policy(), ipv6(v6("2002:c058:6301::1"), isatap_address(kIsatapPrefix, kHost)));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), IsatapDrop::loop_6to4_relay);
}

TEST(IsatapPolicyOutboundRouter, ServesAnIsatapPrefixInsideOurOwnSixToFourSite) {
    RecordProperty("rfc", "6324 3.2.3");
    // The ISATAP interface's IPv4 is the public one: the plan is 2002:836b:2::/48 and both the
    // ISATAP prefix and the IP-HTTPS prefix embed our own address.
    IsatapPolicyConfig config = router_policy().config();
    config.local = v4("131.107.0.2");
    config.served_prefixes = {p6("2002:836b:2::/48")};
    const auto result = outbound(IsatapPolicy(config), ipv6(v6("2002:836b:2:1000::5"),
                                                            isatap_address(kIsatapPrefix, kHost)));
    ASSERT_TRUE(result.ok()) << to_string(result.error());
    EXPECT_EQ(*result, kHost);
    config.served_prefixes.clear();  // only the ISATAP prefix is served: the IP-HTTPS source loops
    const auto looped = outbound(IsatapPolicy(config), ipv6(v6("2002:836b:2:1000::5"),
                                                            isatap_address(kIsatapPrefix, kHost)));
    ASSERT_FALSE(looped.ok());
    EXPECT_EQ(looped.error(), IsatapDrop::loop_6to4_relay);
}

// ---- outbound, host mode ----------------------------------------------------------------------

TEST(IsatapPolicyOutboundHost, SendsLinkLocalIsatapDestinationsDirectly) {
    RecordProperty("rfc", "5214 8.3");
    const auto result = outbound(host_policy(), ipv6(isatap_link_local(kHost), isatap_link_local(v4("10.1.0.21"))),
                                 kRouter);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(*result, v4("10.1.0.21"));
}

TEST(IsatapPolicyOutboundHost, SendsEverythingElseToTheRouter) {
    RecordProperty("rfc", "5214 8.3");
    const auto host_address = isatap_address(kIsatapPrefix, kHost);
    const auto result = outbound(host_policy(), ipv6(host_address, v6("2002:836b:2:1000::5")), kRouter);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(*result, kRouter);
    // A global ISATAP address of a neighbour also goes through the router (no redirect support).
    const auto neighbour = outbound(host_policy(), ipv6(host_address, isatap_address(kIsatapPrefix, v4("10.1.0.21"))),
                                    kRouter);
    ASSERT_TRUE(neighbour.ok());
    EXPECT_EQ(*neighbour, kRouter);
}

TEST(IsatapPolicyOutboundHost, SaysNoRouterBeforeOneAnswered) {
    const auto result = outbound(host_policy(), ipv6(isatap_address(kIsatapPrefix, kHost), v6("2002:836b:2:1000::5")));
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), IsatapDrop::no_router);
}

TEST(IsatapPolicyOutboundHost, DropsMulticastAndNonIsatapLinkLocalDestinations) {
    RecordProperty("rfc", "5214 8.3");
    for (const char* destination : {"ff02::2", "fe80::1"}) {
        const auto result = outbound(host_policy(), ipv6(isatap_link_local(kHost), v6(destination)), kRouter);
        ASSERT_FALSE(result.ok()) << destination;
        EXPECT_EQ(result.error(), IsatapDrop::destination_not_isatap) << destination;
    }
}

TEST(IsatapPolicyOutboundHost, DropsOurOwnAndOtherRoutersIsatapDestinations) {
    RecordProperty("rfc", "6324 3.2.3");
    const auto source = isatap_address(kIsatapPrefix, kHost);
    const auto own = outbound(host_policy(), ipv6(source, isatap_link_local(kHost)), kRouter);
    ASSERT_FALSE(own.ok());
    EXPECT_EQ(own.error(), IsatapDrop::loop_isatap_router);
    const auto other = outbound(host_policy(), ipv6(source, isatap_address(p6("2001:db8::/64"), v4("10.1.0.9"))),
                                kRouter);
    ASSERT_FALSE(other.ok());
    EXPECT_EQ(other.error(), IsatapDrop::loop_isatap_router);
    // Our PRL router's own addresses are fine even though loop_guard lists it.
    EXPECT_TRUE(outbound(host_policy(), ipv6(source, isatap_link_local(kRouter)), kRouter).ok());
}

TEST(IsatapPolicyOutboundHost, DropsOurOwnSixToFourDestination) {
    RecordProperty("rfc", "6324 3.2.3");
    const auto result = outbound(host_policy(), ipv6(isatap_address(kIsatapPrefix, kHost), v6("2002:a01:14::1")), kRouter);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), IsatapDrop::loop_6to4_relay);
}

// ---- from the config --------------------------------------------------------------------------

TEST(MakePolicyConfig, RouterModeTakesAllowPrefixOtherRoutersAndTheSite) {
    config::Config config;
    config.isatap.mode = config::IsatapMode::router;
    config.isatap.prefix.set(kIsatapPrefix, config::Origin::configured);
    config.isatap.allow = {p4("10.1.0.0/27")};
    config.isatap.other_routers = {p4("10.1.0.9/32")};
    config.plan = *net::derive_prefix_plan(v4("131.107.0.2"), std::nullopt);
    const auto out = make_policy_config(config, kRouter, {v4("10.9.9.9")});
    EXPECT_EQ(out.local, kRouter);
    EXPECT_EQ(out.allow, config.isatap.allow);
    EXPECT_EQ(out.isatap_prefix, kIsatapPrefix);
    EXPECT_EQ(out.loop_guard, config.isatap.other_routers);
    EXPECT_TRUE(out.prl.empty());
    ASSERT_FALSE(out.served_prefixes.empty());
    EXPECT_EQ(out.served_prefixes.front(), p6("2002:836b:2::/48"));
}

TEST(MakePolicyConfig, HostModeTakesThePrl) {
    config::Config config;
    config.isatap.mode = config::IsatapMode::host;
    config.isatap.allow = {p4("10.1.0.0/27")};  // ignored in host mode
    const auto out = make_policy_config(config, kHost, {kRouter});
    EXPECT_EQ(out.prl, std::vector<net::Ipv4Address>{kRouter});
    EXPECT_TRUE(out.allow.empty());
    EXPECT_FALSE(out.isatap_prefix);
    EXPECT_FALSE(IsatapPolicy(out).router_mode());
}

}  // namespace
}  // namespace sixgate::isatap
