#include "xlat/address_mapping.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "mapping_test_util.hpp"

namespace sixgate::xlat {
namespace {

using namespace sixgate::xlat::testing;

EamEntry entry(std::string_view ipv4, std::string_view ipv6) {
    return {p4(ipv4), p6(ipv6)};
}

EamTable table(std::vector<EamEntry> entries) {
    auto eam = EamTable::create(entries);
    EXPECT_TRUE(eam) << (eam ? "" : eam.error().message);
    return eam ? *eam : EamTable();
}

Rfc6052Prefix pool6(std::string_view text) {
    auto prefix = Rfc6052Prefix::create(p6(text));
    EXPECT_TRUE(prefix) << text;
    return prefix ? *prefix : Rfc6052Prefix::well_known();
}

AddressMapping make(AddressMappingConfig config) {
    if (!config.own_ipv4 && config.rfc6791_pool.empty()) config.own_ipv4 = v4("192.0.0.1");
    auto mapping = AddressMapping::create(std::move(config));
    EXPECT_TRUE(mapping) << (mapping ? "" : mapping.error().message);
    return std::move(*mapping);
}

TEST(AddressMapping, MapsThroughPool6InBothDirections) {
    RecordProperty("rfc", "7915 6");
    const auto mapping = make({.pool6 = pool6("2001:db8:64::/96")});
    EXPECT_EQ(mapping.map_ipv4_to_ipv6(v4("192.0.2.33")), v6("2001:db8:64::c000:221"));
    EXPECT_EQ(mapping.map_ipv6_to_ipv4(v6("2001:db8:64::c000:221")), v4("192.0.2.33"));
    EXPECT_FALSE(mapping.map_ipv6_to_ipv4(v6("2001:db8:65::c000:221")));
}

TEST(AddressMapping, PrefersAnEamEntryOverPool6) {
    RecordProperty("rfc", "7757 3.2");
    // The RFC 7757 example: an EAM inside the WKP itself, with a documentation (non-global)
    // address.
    const auto mapping = make({.pool6 = Rfc6052Prefix::well_known(),
                               .eam = table({entry("192.0.2.224/31", "64:ff9b::/127"),
                                             entry("198.51.100.0/24", "2001:db8:aaaa::/120")})});
    EXPECT_EQ(mapping.map_ipv4_to_ipv6(v4("192.0.2.225")), v6("64:ff9b::1"));
    EXPECT_EQ(mapping.map_ipv6_to_ipv4(v6("64:ff9b::1")), v4("192.0.2.225"));
    EXPECT_EQ(mapping.map_ipv4_to_ipv6(v4("198.51.100.7")), v6("2001:db8:aaaa::7"));
    EXPECT_EQ(mapping.map_ipv6_to_ipv4(v6("2001:db8:aaaa::7")), v4("198.51.100.7"));
    // Outside the EAMs, pool6 and its rules apply again.
    EXPECT_EQ(mapping.map_ipv4_to_ipv6(kGlobalIpv4), v6("64:ff9b::808:808"));
    EXPECT_EQ(mapping.map_ipv6_to_ipv4(v6("64:ff9b::808:808")), kGlobalIpv4);
}

TEST(AddressMapping, RefusesNonGlobalAddressesUnderTheWellKnownPrefix) {
    RecordProperty("rfc", "6052 3.1");
    const auto mapping = make({.pool6 = Rfc6052Prefix::well_known()});
    for (const char* text : {"10.0.0.1", "192.0.2.1", "100.64.0.1"}) {
        SCOPED_TRACE(text);
        auto forward = mapping.try_map_ipv4_to_ipv6(v4(text));
        ASSERT_FALSE(forward);
        EXPECT_EQ(forward.error(), MappingFailure::well_known_prefix_non_global);
        auto backward = mapping.try_map_ipv6_to_ipv4(Rfc6052Prefix::well_known().embed(v4(text)));
        ASSERT_FALSE(backward);
        EXPECT_EQ(backward.error(), MappingFailure::well_known_prefix_non_global);
        EXPECT_FALSE(mapping.map_ipv4_to_ipv6(v4(text)));
    }
    EXPECT_TRUE(mapping.map_ipv4_to_ipv6(kGlobalIpv4));
}

TEST(AddressMapping, AllowsNonGlobalAddressesUnderTheLocalUsePrefix) {
    RecordProperty("rfc", "8215 3");
    const auto mapping = make({.pool6 = pool6("64:ff9b:1::/48")});
    EXPECT_EQ(mapping.map_ipv4_to_ipv6(v4("10.0.0.1")), v6("64:ff9b:1:a00:0:100::"));
    EXPECT_EQ(mapping.map_ipv6_to_ipv4(v6("64:ff9b:1:a00:0:100::")), v4("10.0.0.1"));
}

TEST(AddressMapping, SaysNoMatchWhenNeitherEamNorPool6Applies) {
    const auto mapping = make({.eam = table({entry("192.0.2.1/32", "2001:db8::1/128")})});
    auto forward = mapping.try_map_ipv4_to_ipv6(v4("192.0.2.2"));
    ASSERT_FALSE(forward);
    EXPECT_EQ(forward.error(), MappingFailure::no_match);
    auto backward = mapping.try_map_ipv6_to_ipv4(v6("2001:db8::2"));
    ASSERT_FALSE(backward);
    EXPECT_EQ(backward.error(), MappingFailure::no_match);
    EXPECT_EQ(mapping.map_ipv4_to_ipv6(v4("192.0.2.1")), v6("2001:db8::1"));
}

TEST(AddressMapping, NamesEveryFailureForCounters) {
    EXPECT_EQ(to_string(MappingFailure::no_match), "no_address_mapping");
    EXPECT_EQ(to_string(MappingFailure::well_known_prefix_non_global),
              "well_known_prefix_non_global");
}

TEST(AddressMapping, SourcesIcmpErrorsFromTheRfc6791Pool) {
    RecordProperty("rfc", "6791 4");
    auto pool = Rfc6791Pool::create(std::vector{p4("198.51.100.0/28")});
    ASSERT_TRUE(pool);
    const auto mapping = make({.pool6 = Rfc6052Prefix::well_known(),
                               .rfc6791_pool = *pool,
                               .own_ipv4 = v4("203.0.113.1")});
    for (std::uint32_t hash = 0; hash < 100; ++hash)
        EXPECT_TRUE(p4("198.51.100.0/28").contains(mapping.icmp_error_source(hash)));
}

TEST(AddressMapping, SourcesIcmpErrorsFromItsOwnAddressWithoutAPool) {
    const auto mapping =
        make({.pool6 = Rfc6052Prefix::well_known(), .own_ipv4 = v4("203.0.113.1")});
    EXPECT_EQ(mapping.icmp_error_source(0), v4("203.0.113.1"));
    EXPECT_EQ(mapping.icmp_error_source(12345), v4("203.0.113.1"));
    EXPECT_EQ(mapping.own_ipv4(), v4("203.0.113.1"));
}

TEST(AddressMappingCreate, RefusesAMappingThatTranslatesNothing) {
    auto mapping = AddressMapping::create({.own_ipv4 = v4("192.0.0.1")});
    ASSERT_FALSE(mapping);
    EXPECT_EQ(mapping.error().message,
              "the translator has no address mapping: configure a pool6 prefix (RFC 6052) "
              "or at least one EAM entry (RFC 7757)");
}

TEST(AddressMappingCreate, RefusesAMappingWithoutAnIcmpErrorSource) {
    auto mapping = AddressMapping::create({.pool6 = Rfc6052Prefix::well_known()});
    ASSERT_FALSE(mapping);
    EXPECT_NE(
        mapping.error().message.find("configure an rfc6791_pool (RFC 6791) or the translator's own "
                                     "ipv4_address"),
        std::string::npos)
        << mapping.error().message;
}

TEST(AddressMapping, FindsTheHairpinDestinationOfAPool6AddressOfAnEamHost) {
    RecordProperty("rfc", "7757 4");
    const auto mapping = make({.pool6 = Rfc6052Prefix::well_known(),
                               .eam = table({entry("8.8.8.0/24", "2001:db8:aaaa::/120"),
                                             entry("192.0.2.1/32", "2001:db8:b::1/128")})});
    // 64:ff9b::8.8.8.9 is the WKP face of 8.8.8.9, which the EAM gives to 2001:db8:aaaa::9.
    EXPECT_EQ(mapping.hairpin_destination(v6("64:ff9b::808:809")), v6("2001:db8:aaaa::9"));
    // An ordinary IPv4 destination, an EAM address and a WKP address of a non-global host do not.
    EXPECT_FALSE(mapping.hairpin_destination(v6("64:ff9b::909:909")));
    EXPECT_FALSE(mapping.hairpin_destination(v6("2001:db8:aaaa::9")));
    EXPECT_FALSE(mapping.hairpin_destination(v6("64:ff9b::c000:201")));
    EXPECT_FALSE(mapping.hairpin_destination(v6("2001:db8:ffff::1")));
}

TEST(AddressMapping, RoundTripsEveryPool6LengthThroughTheMapping) {
    RecordProperty("rfc", "6052 2.2");
    for (int length : Rfc6052Prefix::kLengths) {
        SCOPED_TRACE(length);
        auto prefix = Rfc6052Prefix::create(net::Ipv6Prefix(v6("2001:db8:100:200::"), length));
        ASSERT_TRUE(prefix);
        const auto mapping = make({.pool6 = *prefix});
        for (std::uint32_t i = 0; i < 1000; ++i) {
            const net::Ipv4Address address(i * 4294967u + 12345u);
            const auto mapped = mapping.map_ipv4_to_ipv6(address);
            ASSERT_TRUE(mapped);
            EXPECT_EQ(mapping.map_ipv6_to_ipv4(*mapped), address);
        }
    }
}

}  // namespace
}  // namespace sixgate::xlat
