// make_translator: the translator the CLAT, the PLAT and `sixgate translate` build from the
// config's translation: section.

#include "xlat/translator_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "config/loader.hpp"

namespace sixgate::xlat {
namespace {

using testing::HasSubstr;
using testing::Not;

net::Ipv4Address v4(std::string_view text) {
    return *net::Ipv4Address::parse(text);
}
net::Ipv6Address v6(std::string_view text) {
    return *net::Ipv6Address::parse(text);
}
net::Ipv4Prefix p4(std::string_view text) {
    return *net::Ipv4Prefix::parse(text);
}
net::Ipv6Prefix p6(std::string_view text) {
    return *net::Ipv6Prefix::parse(text);
}

config::TranslationConfig with_own_ipv4() {
    config::TranslationConfig translation;
    translation.ipv4_address.set(v4("192.0.2.254"), config::Origin::configured);
    return translation;
}

TEST(MakeTranslator, MapsThroughPool6WithTheDefaultSettings) {
    RecordProperty("rfc", "7915 6, 6052 2.2");
    auto parts = make_translator(with_own_ipv4(), p6("2001:db8:64::/96"));
    ASSERT_TRUE(parts) << parts.error().message;
    EXPECT_EQ(parts->mapping.map_ipv4_to_ipv6(v4("198.51.100.7")), v6("2001:db8:64::c633:6407"));
    EXPECT_EQ(parts->mapping.map_ipv6_to_ipv4(v6("2001:db8:64::c000:201")), v4("192.0.2.1"));
    EXPECT_EQ(parts->mapping.own_ipv4(), v4("192.0.2.254"));
    EXPECT_FALSE(parts->mapping.own_ipv6());
    EXPECT_EQ(parts->settings.lowest_ipv6_mtu, 1280u);
    EXPECT_EQ(parts->settings.udp_zero_checksum, UdpZeroChecksumAction::compute);
    EXPECT_EQ(parts->settings.ipv6_next_hop_mtu, kUnknownMtu);
    EXPECT_EQ(parts->settings.ipv4_next_hop_mtu, kUnknownMtu);
    EXPECT_TRUE(parts->settings.decrement_ttl);
}

TEST(MakeTranslator, MapsEverySettingOfTheTranslationSection) {
    RecordProperty("rfc", "7915 4.1 4.5, 7757 3.2, 6791 4");
    config::TranslationConfig translation;
    translation.eam.push_back({p4("192.0.2.0/24"), p6("2001:db8:aaaa::/120")});
    translation.rfc6791_pool = {p4("203.0.113.8/30")};
    translation.ipv4_address.set(v4("198.51.100.1"), config::Origin::configured);
    translation.ipv6_address.set(v6("2001:db8::1"), config::Origin::configured);
    translation.lowest_ipv6_mtu.set(1400, config::Origin::configured);
    translation.udp_zero_checksum.set(config::UdpZeroChecksum::drop, config::Origin::configured);

    auto parts = make_translator(translation, p6("64:ff9b::/96"));
    ASSERT_TRUE(parts) << parts.error().message;
    const AddressMapping& mapping = parts->mapping;
    ASSERT_TRUE(mapping.pool6());
    EXPECT_TRUE(mapping.pool6()->is_well_known());
    ASSERT_EQ(mapping.eam().size(), 1u);
    EXPECT_EQ(mapping.map_ipv4_to_ipv6(v4("192.0.2.33")), v6("2001:db8:aaaa::21"));
    EXPECT_EQ(mapping.rfc6791_pool().size(), 4u);
    EXPECT_TRUE(mapping.rfc6791_pool().contains(v4("203.0.113.9")));
    EXPECT_EQ(mapping.own_ipv4(), v4("198.51.100.1"));
    EXPECT_EQ(mapping.own_ipv6(), v6("2001:db8::1"));
    EXPECT_EQ(parts->settings.lowest_ipv6_mtu, 1400u);
    EXPECT_EQ(parts->settings.udp_zero_checksum, UdpZeroChecksumAction::drop);
}

TEST(MakeTranslator, PutsTheCallersOwnEamBeforeTheConfiguredOnes) {
    RecordProperty("rfc", "7757 3.2, 6877 6.3");
    config::TranslationConfig translation = with_own_ipv4();
    translation.eam.push_back({p4("198.51.100.0/24"), p6("2001:db8:bbbb::/120")});
    const std::vector<config::EamEntry> clat{{p4("192.0.0.1/32"), p6("2001:db8:1::c1a7/128")}};

    auto parts = make_translator(translation, p6("2001:db8:64::/96"), clat);
    ASSERT_TRUE(parts) << parts.error().message;
    const auto entries = parts->mapping.eam().entries();
    ASSERT_EQ(entries.size(), 2u);
    EXPECT_EQ(entries[0].ipv4, p4("192.0.0.1/32"));
    EXPECT_EQ(entries[1].ipv4, p4("198.51.100.0/24"));
    EXPECT_EQ(parts->mapping.map_ipv4_to_ipv6(v4("192.0.0.1")), v6("2001:db8:1::c1a7"));
    EXPECT_EQ(parts->mapping.map_ipv6_to_ipv4(v6("2001:db8:1::c1a7")), v4("192.0.0.1"));
    // Everything else still goes through pool6.
    EXPECT_EQ(parts->mapping.map_ipv4_to_ipv6(v4("203.0.113.5")), v6("2001:db8:64::cb00:7105"));
}

TEST(MakeTranslator, WorksWithEamOnlyAndNoPool6) {
    RecordProperty("rfc", "7757 3.2");
    config::TranslationConfig translation = with_own_ipv4();
    translation.eam.push_back({p4("192.0.2.0/24"), p6("2001:db8:aaaa::/120")});
    auto parts = make_translator(translation, std::nullopt);
    ASSERT_TRUE(parts) << parts.error().message;
    EXPECT_FALSE(parts->mapping.pool6());
    EXPECT_FALSE(parts->mapping.map_ipv4_to_ipv6(v4("198.51.100.7")));
}

TEST(MakeTranslator, RefusesNoPool6AndNoEam) {
    auto parts = make_translator(with_own_ipv4(), std::nullopt);
    ASSERT_FALSE(parts);
    EXPECT_THAT(parts.error().message,
                HasSubstr("configure a pool6 prefix (RFC 6052) or at least one"));
}

TEST(MakeTranslator, RefusesAPool6OfALengthRfc6052DoesNotDefine) {
    RecordProperty("rfc", "6052 2.2");
    auto parts = make_translator(with_own_ipv4(), p6("2001:db8::/33"));
    ASSERT_FALSE(parts);
    EXPECT_EQ(parts.error().code, std::make_error_code(std::errc::invalid_argument));
    EXPECT_THAT(parts.error().message, HasSubstr("pool6 2001:db8::/33: an RFC 6052 prefix must be "
                                                 "/32, /40, /48, /56, /64 or /96"));
}

TEST(MakeTranslator, RefusesAPool6WithANonZeroUOctet) {
    RecordProperty("rfc", "6052 2.2");
    auto parts = make_translator(with_own_ipv4(), p6("2001:db8:0:0:ff00::/96"));
    ASSERT_FALSE(parts);
    EXPECT_THAT(parts.error().message, HasSubstr("the u octet"));
}

TEST(MakeTranslator, RefusesAnExtraEamThatOverlapsAConfiguredOne) {
    RecordProperty("rfc", "7757 3.2");
    config::TranslationConfig translation = with_own_ipv4();
    translation.eam.push_back({p4("192.0.0.1/32"), p6("2001:db8:ffff::1/128")});
    const std::vector<config::EamEntry> clat{{p4("192.0.0.1/32"), p6("2001:db8:1::c1a7/128")}};
    auto parts = make_translator(translation, p6("2001:db8:64::/96"), clat);
    ASSERT_FALSE(parts);
    EXPECT_THAT(parts.error().message,
                HasSubstr("IPv4 prefix 192.0.0.1/32 is already mapped by EAM "
                          "192.0.0.1/32 -> 2001:db8:1::c1a7/128"));
}

TEST(MakeTranslator, ListsEveryProblemOnItsOwnLine) {
    config::TranslationConfig translation;
    translation.eam.push_back({p4("192.0.2.0/24"), p6("2001:db8:aaaa::/120")});
    translation.eam.push_back({p4("192.0.2.0/24"), p6("2001:db8:cccc::/120")});
    translation.rfc6791_pool = {p4("127.0.0.0/30")};
    auto parts = make_translator(translation, p6("2001:db8::/33"));
    ASSERT_FALSE(parts);
    const std::string& message = parts.error().message;
    EXPECT_THAT(message, HasSubstr("pool6 2001:db8::/33"));
    EXPECT_THAT(message, HasSubstr("\nEAM 192.0.2.0/24 -> 2001:db8:cccc::/120: IPv4 prefix"));
    EXPECT_THAT(message, HasSubstr("\nrfc6791 pool prefix 127.0.0.0/30 reaches into"));
    // The whole-mapping check is left out while a part is broken: it would only mislead.
    EXPECT_THAT(message, Not(HasSubstr("need an IPv4 source")));
}

TEST(MakeTranslator, RefusesAMappingWithNoSourceForIcmpErrors) {
    RecordProperty("rfc", "6791 4");
    auto parts = make_translator(config::TranslationConfig{}, p6("64:ff9b::/96"));
    ASSERT_FALSE(parts);
    EXPECT_THAT(parts.error().message, HasSubstr("rfc6791_pool (RFC 6791) or the translator's own "
                                                 "ipv4_address"));
}

TEST(MakeTranslator, AcceptsAnRfc6791PoolInsteadOfAnOwnIpv4Address) {
    RecordProperty("rfc", "6791 4");
    config::TranslationConfig translation;
    translation.rfc6791_pool = {p4("192.0.0.8/32")};
    auto parts = make_translator(translation, p6("64:ff9b::/96"));
    ASSERT_TRUE(parts) << parts.error().message;
    EXPECT_EQ(parts->mapping.icmp_error_source(12345), v4("192.0.0.8"));
}

TEST(MakeTranslator, RefusesALowestIpv6MtuBelowTheIpv6Minimum) {
    RecordProperty("rfc", "7915 4.1, 8200 5");
    config::TranslationConfig translation = with_own_ipv4();
    translation.lowest_ipv6_mtu.set(1279, config::Origin::configured);
    auto parts = make_translator(translation, p6("64:ff9b::/96"));
    ASSERT_FALSE(parts);
    EXPECT_THAT(parts.error().message, HasSubstr("lowest_ipv6_mtu 1279 must be 1280..65535"));
}

TEST(MakeTranslator, BuildsFromALoadedConfigFile) {
    auto config = config::load_config(
        "translation:\n"
        "  eam:\n"
        "    - {ipv4: 192.0.2.0/24, ipv6: 2001:db8:aaaa::/120}\n"
        "  rfc6791_pool: [192.0.0.8/32]\n"
        "  ipv6_address: 2001:db8::64\n"
        "  lowest_ipv6_mtu: 1500\n"
        "  udp_zero_checksum: drop\n",
        "test.yaml");
    ASSERT_TRUE(config) << config.error().message;
    auto parts = make_translator(config->translation, p6("2001:db8:64::/96"));
    ASSERT_TRUE(parts) << parts.error().message;
    EXPECT_EQ(parts->mapping.map_ipv4_to_ipv6(v4("192.0.2.7")), v6("2001:db8:aaaa::7"));
    EXPECT_EQ(parts->mapping.own_ipv6(), v6("2001:db8::64"));
    EXPECT_FALSE(parts->mapping.own_ipv4());
    EXPECT_EQ(parts->settings.lowest_ipv6_mtu, 1500u);
    EXPECT_EQ(parts->settings.udp_zero_checksum, UdpZeroChecksumAction::drop);
}

}  // namespace
}  // namespace sixgate::xlat
