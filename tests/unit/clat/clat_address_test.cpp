// The CLAT's addresses: the RFC 6877 6.3 dedicated IPv6 address (prefix choice, stable interface
// identifier), RFC 7335 own IPv4, and whether the address needs the ND proxy.
#include <gtest/gtest.h>

#include <set>

#include "clat/clat_address.hpp"

namespace sixgate::clat {
namespace {

namespace netlink = net::netlink;

net::Ipv6Address a6(const char* text) {
    return net::Ipv6Address::parse(text).value();
}
net::Ipv6Prefix p6(const char* text) {
    return net::Ipv6Prefix::parse(text).value();
}

netlink::InterfaceAddress on_uplink(const char* address, int length = 64, std::uint32_t flags = 0,
                                    std::uint8_t protocol = 0) {
    netlink::InterfaceAddress a;
    a.device = "eth0";
    a.address = a6(address);
    a.prefix_length = length;
    a.flags = flags;
    a.protocol = protocol;
    return a;
}

const std::vector<std::uint8_t> kMac = {0x02, 0x00, 0x5e, 0x10, 0x20, 0x30};

TEST(ClatAddress, DerivedAddressIsStableAndInsideTheUplinkPrefix) {
    RecordProperty("rfc", "6877 6.3, 7217 5");
    const auto prefix = p6("2001:db8:1::/64");
    const auto first = derive_clat_address(prefix, kMac);
    EXPECT_EQ(derive_clat_address(prefix, kMac), first);  // same inputs, same address (restarts)
    EXPECT_TRUE(prefix.contains(first));
    EXPECT_NE(first, prefix.address());
}

TEST(ClatAddress, DiffersPerPrefixAndPerInterface) {
    const auto a = derive_clat_address(p6("2001:db8:1::/64"), kMac);
    const auto b = derive_clat_address(p6("2001:db8:2::/64"), kMac);
    std::vector<std::uint8_t> other_mac = kMac;
    other_mac[5] = 0x31;
    const auto c = derive_clat_address(p6("2001:db8:1::/64"), other_mac);
    // RFC 7217: another network gives another identifier, not the same one under a new prefix.
    EXPECT_NE(std::vector(a.bytes().begin() + 8, a.bytes().end()),
              std::vector(b.bytes().begin() + 8, b.bytes().end()));
    EXPECT_NE(a, c);
}

TEST(ClatAddress, SkipsAnAddressTheUplinkAlreadyHas) {
    const auto prefix = p6("2001:db8:1::/64");
    const auto first = derive_clat_address(prefix, kMac);
    const std::vector<net::Ipv6Address> taken = {first};
    const auto second = derive_clat_address(prefix, kMac, taken);
    EXPECT_NE(second, first);
    EXPECT_TRUE(prefix.contains(second));
    // A DAD failure moves the counter on (RFC 7217 6): the same address as "taken".
    EXPECT_EQ(derive_clat_address(prefix, kMac, {}, 1), second);
}

TEST(ClatAddress, WorksWithoutALinkLayerAddress) {
    const std::string name = "ppp0";
    const std::vector<std::uint8_t> id(name.begin(), name.end());
    EXPECT_TRUE(p6("2001:db8:1::/64").contains(derive_clat_address(p6("2001:db8:1::/64"), id)));
}

TEST(ClatAddress, ReservedInterfaceIdentifiersAreRecognised) {
    RecordProperty("rfc", "5453, 2526, 4291 2.6.1");
    EXPECT_TRUE(is_reserved_interface_identifier(0));
    EXPECT_TRUE(is_reserved_interface_identifier(0xfdffffffffffff80ULL));
    EXPECT_TRUE(is_reserved_interface_identifier(0xfdffffffffffffffULL));
    EXPECT_FALSE(is_reserved_interface_identifier(0xfdffffffffffff7fULL));
    EXPECT_TRUE(is_reserved_interface_identifier(0x02005efffe000000ULL));
    EXPECT_TRUE(is_reserved_interface_identifier(0x02005efffe005213ULL));
    EXPECT_TRUE(is_reserved_interface_identifier(0x02005efffeffffffULL));
    EXPECT_FALSE(is_reserved_interface_identifier(0x02005eff00000000ULL));
    EXPECT_FALSE(is_reserved_interface_identifier(1));
}

TEST(ClatAddress, NeverDerivesAReservedIdentifierOverManyPrefixes) {
    std::set<net::Ipv6Address> seen;
    for (unsigned i = 0; i < 2000; ++i) {
        net::Ipv6Address base = a6("2001:db8::");
        base.set_u32(4, i);
        const auto address = derive_clat_address(net::Ipv6Prefix(base, 64), kMac);
        std::uint64_t id = 0;
        for (int b = 8; b < 16; ++b) id = id << 8 | address.bytes()[static_cast<std::size_t>(b)];
        ASSERT_FALSE(is_reserved_interface_identifier(id));
        seen.insert(address);
    }
    EXPECT_EQ(seen.size(), 2000u);
}

TEST(ClatUplinkPrefix, PrefersSlaacAndIgnoresWhatCannotCarryTheClatAddress) {
    const std::vector<netlink::InterfaceAddress> addresses = {
        on_uplink("fe80::1"),                                             // link-local
        on_uplink("2001:db8:9::1", 128),                                  // not a /64
        on_uplink("2001:db8:8::1", 64, netlink::kAddressFlagDeprecated),  // deprecated
        on_uplink("2001:db8:7::1", 64, netlink::kAddressFlagTentative),   // tentative
        on_uplink("2001:db8:6::1", 64, netlink::kAddressFlagDadFailed),   // DAD failed
        on_uplink("2001:db8:2::1"),                                       // static
        on_uplink("2001:db8:5::1234", 64, 0, 2),                          // SLAAC (IFA_PROTO 2)
    };
    EXPECT_EQ(pick_uplink_prefix(addresses), p6("2001:db8:5::/64"));
}

TEST(ClatUplinkPrefix, PicksTheLowestAmongEqualsAndNoneWhenThereIsNone) {
    EXPECT_EQ(
        pick_uplink_prefix(std::vector{on_uplink("2001:db8:3::1"), on_uplink("2001:db8:2::1")}),
        p6("2001:db8:2::/64"));
    EXPECT_EQ(pick_uplink_prefix(std::vector{on_uplink("fe80::1")}), std::nullopt);
    EXPECT_EQ(pick_uplink_prefix({}), std::nullopt);
}

TEST(ClatOwnIpv4, IsTheNextAddressOfTheRfc7335Block) {
    RecordProperty("rfc", "7335");
    EXPECT_EQ(clat_own_ipv4(net::Ipv4Address(192, 0, 0, 1)), net::Ipv4Address(192, 0, 0, 2));
    EXPECT_EQ(clat_own_ipv4(net::Ipv4Address(192, 0, 0, 4)), net::Ipv4Address(192, 0, 0, 1));
    EXPECT_EQ(clat_own_ipv4(net::Ipv4Address(192, 0, 0, 2)), net::Ipv4Address(192, 0, 0, 1));
}

TEST(ClatOnLink, AnAddressInTheUplinksPrefixNeedsTheProxyARoutedOneDoesNot) {
    const std::vector<netlink::InterfaceAddress> addresses = {on_uplink("2001:db8:1::2"),
                                                              on_uplink("fe80::1")};
    EXPECT_TRUE(is_on_link(a6("2001:db8:1::c1a7"), addresses, {}));
    EXPECT_FALSE(is_on_link(a6("2001:db8:c1a7::1"), addresses, {}));
    const std::vector<net::Ipv6Prefix> connected = {p6("2001:db8:c1a7::/64")};
    EXPECT_TRUE(is_on_link(a6("2001:db8:c1a7::1"), addresses, connected));
    // The link-local prefix is on every link; it never makes a global address on-link.
    EXPECT_FALSE(is_on_link(a6("2001:db8:c1a7::1"), std::vector{on_uplink("fe80::1", 10)}, {}));
}

}  // namespace
}  // namespace sixgate::clat
