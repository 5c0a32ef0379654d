#include "router/advertisement.hpp"

#include <gtest/gtest.h>

#include "router/ra_consistency.hpp"

namespace sixgate::router {
namespace {

namespace nd = net::nd;
using std::chrono::seconds;

net::Ipv6Prefix prefix(const char* text) { return *net::Ipv6Prefix::parse(text); }

config::RouterInterface seed_interface() {
    config::RouterInterface interface;
    interface.name = "eth1";
    config::PrefixInformation org;
    org.prefix = prefix("2002:836b:2:3333::/64");
    interface.prefixes.push_back(org);
    for (const char* route : {"2002:836b:2:1000::/64", "2001:0:836b:2::/64", "2002:836b:2:7777::/96"}) {
        config::RouteInformation rio;
        rio.prefix = prefix(route);
        rio.lifetime = 1800u;
        interface.routes.push_back(rio);
    }
    interface.pref64.enabled = true;
    interface.pref64.prefix = prefix("2002:836b:2:7777::/96");
    interface.pref64.lifetime = 1800u;
    return interface;
}

const auto kNow = std::chrono::steady_clock::time_point() + seconds(100000);
const nd::MacAddress kMac{0x02, 0, 0, 0, 0, 1};

template <class T>
std::vector<T> options_of(const nd::RouterAdvertisement& ra) {
    std::vector<T> out;
    for (const auto& option : ra.options)
        if (const auto* typed = std::get_if<T>(&option)) out.push_back(*typed);
    return out;
}

TEST(ComposeAdvertisement, IsNotADefaultRouterByDefault) {
    const auto ra = compose_advertisement(seed_interface(), kMac, {}, kNow);
    EXPECT_EQ(ra.router_lifetime, 0);
    EXPECT_EQ(ra.cur_hop_limit, 64);
    EXPECT_EQ(options_of<nd::SourceLinkLayerAddressOption>(ra).at(0).address, kMac);
    const auto pio = options_of<nd::PrefixInformationOption>(ra).at(0);
    EXPECT_EQ(pio.prefix, prefix("2002:836b:2:3333::/64"));
    EXPECT_EQ(pio.valid_lifetime, 5400u);      // RFC 9096
    EXPECT_EQ(pio.preferred_lifetime, 2700u);  // RFC 9096
    EXPECT_EQ(options_of<nd::RouteInformationOption>(ra).size(), 3u);
    EXPECT_EQ(options_of<nd::Pref64Option>(ra).at(0).lifetime_seconds(), 1800u);
}

// RFC 4191 2.2: with router lifetime 0 the preference is sent as medium.
TEST(ComposeAdvertisement, SendsMediumPreferenceWhenRouterLifetimeIsZero) {
    RecordProperty("rfc", "4191 2.2");
    auto interface = seed_interface();
    interface.router_preference = config::RouterPreference::high;
    EXPECT_EQ(compose_advertisement(interface, kMac, {}, kNow).router_preference, nd::RoutePreference::medium);
    interface.router_lifetime = 1800u;
    EXPECT_EQ(compose_advertisement(interface, kMac, {}, kNow).router_preference, nd::RoutePreference::high);
}

TEST(ComposeAdvertisement, LeavesOutTheLinkLayerAddressWhenSoConfigured) {
    auto interface = seed_interface();
    interface.source_link_address = false;
    EXPECT_TRUE(options_of<nd::SourceLinkLayerAddressOption>(compose_advertisement(interface, kMac, {}, kNow)).empty());
}

// RFC 4861 6.2.5: final RAs carry router lifetime 0; every lifetime is zeroed so hosts let go.
TEST(FinalAdvertisement, ZeroesEveryLifetime) {
    RecordProperty("rfc", "4861 6.2.5");
    auto interface = seed_interface();
    interface.router_lifetime = 1800u;
    const auto final_ra = compose_final_advertisement(compose_advertisement(interface, kMac, {}, kNow));
    EXPECT_EQ(final_ra.router_lifetime, 0);
    for (const auto& pio : options_of<nd::PrefixInformationOption>(final_ra)) {
        EXPECT_EQ(pio.preferred_lifetime, 0u);
        EXPECT_EQ(pio.valid_lifetime, 0u);
    }
    for (const auto& rio : options_of<nd::RouteInformationOption>(final_ra)) EXPECT_EQ(rio.route_lifetime, 0u);
    EXPECT_EQ(options_of<nd::Pref64Option>(final_ra).at(0).scaled_lifetime, 0);
}

TEST(Renumbering, RetiresPrefixesRoutesAndPref64NoLongerAdvertised) {
    const auto before = compose_advertisement(seed_interface(), kMac, {}, kNow);
    auto renumbered = seed_interface();
    renumbered.prefixes[0].prefix = prefix("2002:836b:5:3333::/64");
    renumbered.routes[0].prefix = prefix("2002:836b:5:1000::/64");
    renumbered.routes[1].prefix = prefix("2001:0:836b:5::/64");
    renumbered.routes[2].prefix = prefix("2002:836b:5:7777::/96");
    renumbered.pref64.prefix = prefix("2002:836b:5:7777::/96");
    const auto after = compose_advertisement(renumbered, kMac, {}, kNow);
    const Retired retired = retire_changes(before, after, kNow);
    ASSERT_EQ(retired.prefixes.size(), 1u);
    EXPECT_EQ(retired.prefixes[0].option.prefix, prefix("2002:836b:2:3333::/64"));
    EXPECT_EQ(retired.prefixes[0].valid_until, kNow + seconds(5400));
    EXPECT_EQ(retired.routes.size(), 3u);
    EXPECT_EQ(retired.pref64.size(), 1u);
}

// RFC 9096 / RFC 4862 5.5.3(e): deprecated (preferred 0), with the valid time left, at most 2 h.
TEST(Renumbering, AdvertisesRetiredPrefixesDeprecatedWithTheValidTimeLeft) {
    RecordProperty("rfc", "4862 5.5.3(e)");
    Retired retired;
    retired.prefixes.push_back({nd::PrefixInformationOption{prefix("2002:836b:2:3333::/64"), true, true, 5400, 2700},
                                kNow + seconds(5400)});
    retired.routes.push_back({prefix("2002:836b:2:1000::/64"), kNow + seconds(1800)});
    const auto ra = compose_advertisement(seed_interface(), kMac, retired, kNow + seconds(400));
    const auto pios = options_of<nd::PrefixInformationOption>(ra);
    ASSERT_EQ(pios.size(), 2u);
    EXPECT_EQ(pios[1].preferred_lifetime, 0u);
    EXPECT_EQ(pios[1].valid_lifetime, 5000u);
    const auto rios = options_of<nd::RouteInformationOption>(ra);
    EXPECT_EQ(rios.back().prefix, prefix("2002:836b:2:1000::/64"));
    EXPECT_EQ(rios.back().route_lifetime, 0u);
}

TEST(Renumbering, CapsALongValidLifetimeAtTwoHours) {
    RecordProperty("rfc", "4862 5.5.3(e)");
    auto interface = seed_interface();
    interface.prefixes[0].valid_lifetime = 86400u;
    const auto before = compose_advertisement(interface, kMac, {}, kNow);
    interface.prefixes[0].prefix = prefix("2002:836b:5:3333::/64");
    const Retired retired = retire_changes(before, compose_advertisement(interface, kMac, {}, kNow), kNow);
    EXPECT_EQ(retired.prefixes.at(0).valid_until, kNow + kValidLifetimeFloor);
}

TEST(Renumbering, ExpiresRetiredEntriesOnTime) {
    Retired retired;
    retired.prefixes.push_back({nd::PrefixInformationOption{prefix("2002:836b:2:3333::/64"), true, true, 5400, 2700},
                                kNow + seconds(10)});
    retired.routes.push_back({prefix("2002:836b:2:1000::/64"), kNow + seconds(20)});
    EXPECT_FALSE(expire_retired(retired, kNow + seconds(5)));
    EXPECT_TRUE(expire_retired(retired, kNow + seconds(10)));
    EXPECT_TRUE(retired.prefixes.empty());
    EXPECT_EQ(retired.routes.size(), 1u);
    EXPECT_TRUE(expire_retired(retired, kNow + seconds(20)));
    EXPECT_TRUE(retired.empty());
}

// RFC 4861 6.2.7
TEST(RaConsistency, ReportsEveryDisagreementButIgnoresUnspecifiedValues) {
    RecordProperty("rfc", "4861 6.2.7");
    const auto ours = compose_advertisement(seed_interface(), kMac, {}, kNow);
    auto theirs = ours;
    EXPECT_TRUE(find_inconsistencies(ours, theirs).empty());
    theirs.cur_hop_limit = 0;  // unspecified agrees
    theirs.reachable_time = 30000;  // ours is 0: unspecified agrees
    EXPECT_TRUE(find_inconsistencies(ours, theirs).empty());
    theirs.cur_hop_limit = 32;
    theirs.managed = true;
    for (auto& option : theirs.options)
        if (auto* pio = std::get_if<nd::PrefixInformationOption>(&option)) pio->valid_lifetime = 86400;
    const auto found = find_inconsistencies(ours, theirs);
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[0], "field=cur_hop_limit ours=64 theirs=32");
    EXPECT_EQ(found[1], "field=managed ours=0 theirs=1");
    EXPECT_EQ(found[2], "field=prefix 2002:836b:2:3333::/64 valid_lifetime ours=5400 theirs=86400");
}

}  // namespace
}  // namespace sixgate::router
