// `sixgate translate` options: typed, checked, laid over a config file's translation: section.

#include "app/translate_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace sixgate::app {
namespace {

using testing::HasSubstr;
using testing::StartsWith;

net::Ipv4Address v4(std::string_view text) {
    return *net::Ipv4Address::parse(text);
}
net::Ipv6Address v6(std::string_view text) {
    return *net::Ipv6Address::parse(text);
}

// A config file of its own per test: ctest runs tests in parallel processes.
class ConfigFile {
public:
    explicit ConfigFile(const std::string& text) {
        path_ = testing::TempDir() + "sixgate_translate_options_" +
                testing::UnitTest::GetInstance()->current_test_info()->name() + ".yaml";
        std::ofstream(path_) << text;
    }
    ~ConfigFile() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

TranslateOptions with_pool6(std::string pool6 = "2001:db8:64::/96") {
    TranslateOptions options;
    options.pool6 = std::move(pool6);
    return options;
}

TEST(TranslateOptions, Pool6AloneIsEnoughWithTheDummyAddressAsIcmpSource) {
    RecordProperty("rfc", "7600 4, 6052 2.2");
    auto setup = resolve_translate_options(with_pool6());
    ASSERT_TRUE(setup) << setup.error().message;
    EXPECT_TRUE(setup->dummy_icmp_source);
    EXPECT_EQ(setup->parts.mapping.own_ipv4(), v4("192.0.0.8"));
    EXPECT_EQ(setup->parts.mapping.map_ipv4_to_ipv6(v4("192.0.2.1")), v6("2001:db8:64::c000:201"));
    EXPECT_TRUE(setup->parts.settings.decrement_ttl);
    EXPECT_EQ(setup->parts.settings.ipv6_next_hop_mtu, xlat::kUnknownMtu);
}

TEST(TranslateOptions, AnRfc6791PoolOrOwnAddressReplacesTheDummyAddress) {
    TranslateOptions options = with_pool6();
    options.rfc6791_pool = {"203.0.113.1"};
    auto setup = resolve_translate_options(options);
    ASSERT_TRUE(setup) << setup.error().message;
    EXPECT_FALSE(setup->dummy_icmp_source);
    EXPECT_FALSE(setup->parts.mapping.own_ipv4());
    EXPECT_TRUE(setup->parts.mapping.rfc6791_pool().contains(v4("203.0.113.1")));

    options = with_pool6();
    options.ipv4_address = "192.0.2.254";
    options.ipv6_address = "2001:db8::fe";
    setup = resolve_translate_options(options);
    ASSERT_TRUE(setup) << setup.error().message;
    EXPECT_EQ(setup->parts.mapping.own_ipv4(), v4("192.0.2.254"));
    EXPECT_EQ(setup->parts.mapping.own_ipv6(), v6("2001:db8::fe"));
}

TEST(TranslateOptions, EveryOptionReachesTheTranslatorSettings) {
    RecordProperty("rfc", "7915 4.1 4.5");
    TranslateOptions options = with_pool6();
    options.lowest_ipv6_mtu = "1400";
    options.ipv6_mtu = "1500";
    options.ipv4_mtu = "576";
    options.udp_zero_checksum = "drop";
    options.no_decrement = true;
    auto setup = resolve_translate_options(options);
    ASSERT_TRUE(setup) << setup.error().message;
    const xlat::TranslatorSettings& settings = setup->parts.settings;
    EXPECT_EQ(settings.lowest_ipv6_mtu, 1400u);
    EXPECT_EQ(settings.ipv6_next_hop_mtu, 1500u);
    EXPECT_EQ(settings.ipv4_next_hop_mtu, 576u);
    EXPECT_EQ(settings.udp_zero_checksum, xlat::UdpZeroChecksumAction::drop);
    EXPECT_FALSE(settings.decrement_ttl);
}

TEST(TranslateOptions, EamTakesPrefixesOrSingleAddresses) {
    RecordProperty("rfc", "7757 3.2");
    TranslateOptions options;
    options.eam = {"192.0.0.1=2001:db8:1::c1a7", "198.51.100.0/24=2001:db8:aaaa::/120"};
    auto setup = resolve_translate_options(options);
    ASSERT_TRUE(setup) << setup.error().message;
    EXPECT_FALSE(setup->pool6);
    EXPECT_EQ(setup->parts.mapping.map_ipv4_to_ipv6(v4("192.0.0.1")), v6("2001:db8:1::c1a7"));
    EXPECT_EQ(setup->parts.mapping.map_ipv6_to_ipv4(v6("2001:db8:aaaa::9")), v4("198.51.100.9"));
}

TEST(TranslateOptions, EveryBadOptionIsReportedOnItsOwnLineNamingIt) {
    TranslateOptions options = with_pool6("2001:db8::/33");
    options.eam = {"192.0.2.0/24=2001:db8::/64", "nonsense"};
    options.lowest_ipv6_mtu = "1279";
    options.ipv4_mtu = "67";
    options.udp_zero_checksum = "maybe";
    auto setup = resolve_translate_options(options);
    ASSERT_FALSE(setup);
    EXPECT_EQ(setup.error().message,
              "--pool6: 2001:db8::/33: an RFC 6052 prefix must be /32, /40, /48, /56, /64 or /96 "
              "(RFC 6052 2.2), found /33\n"
              "--eam 192.0.2.0/24=2001:db8::/64: suffix lengths must match (RFC 7757 3.2): "
              "192.0.2.0/24 leaves 8 bits, so the IPv6 prefix must be a /120, found 2001:db8::/64\n"
              "--eam nonsense: expected V4PREFIX=V6PREFIX, e.g. 192.0.2.0/24=2001:db8:aaaa::/120\n"
              "--lowest-ipv6-mtu: 1279 is out of range: must be 1280..65535 bytes (RFC 8200 5)\n"
              "--udp-zero-checksum: 'maybe' is not one of compute, drop (RFC 7915 4.5)\n"
              "--ipv4-mtu: 67 is out of range: must be 68..65535 bytes (RFC 791)");
}

TEST(TranslateOptions, NeedsAPool6OrAnEam) {
    auto setup = resolve_translate_options(TranslateOptions{});
    ASSERT_FALSE(setup);
    EXPECT_THAT(setup.error().message, StartsWith("--pool6 or --eam is required"));
}

TEST(TranslateOptions, ReadsTheConfigFileAndLetsOptionsOverrideIt) {
    const ConfigFile file(
        "clat:\n"
        "  enabled: false\n"
        "  plat_prefix: 2001:db8:64::/96\n"
        "plat:\n"
        "  enabled: false\n"
        "  prefix: 2001:db8:6464::/96\n"
        "translation:\n"
        "  eam: [{ipv4: 192.0.0.1/32, ipv6: 2001:db8:1::c1a7/128}]\n"
        "  ipv6_address: 2001:db8::64\n"
        "  lowest_ipv6_mtu: 1500\n"
        "  udp_zero_checksum: drop\n");
    TranslateOptions options;
    options.config_path = file.path();
    auto setup = resolve_translate_options(options);
    ASSERT_TRUE(setup) << setup.error().message;
    // The CLAT's literal PLAT prefix wins over plat.prefix.
    EXPECT_EQ(setup->pool6, net::Ipv6Prefix::parse("2001:db8:64::/96").value());
    EXPECT_EQ(setup->parts.mapping.map_ipv4_to_ipv6(v4("192.0.0.1")), v6("2001:db8:1::c1a7"));
    EXPECT_EQ(setup->parts.mapping.own_ipv6(), v6("2001:db8::64"));
    EXPECT_EQ(setup->parts.settings.lowest_ipv6_mtu, 1500u);
    EXPECT_EQ(setup->parts.settings.udp_zero_checksum, xlat::UdpZeroChecksumAction::drop);

    options.pool6 = "64:ff9b::/96";
    options.eam = {"192.0.0.2=2001:db8:1::2"};
    options.lowest_ipv6_mtu = "1280";
    options.udp_zero_checksum = "compute";
    setup = resolve_translate_options(options);
    ASSERT_TRUE(setup) << setup.error().message;
    EXPECT_EQ(setup->pool6, net::Ipv6Prefix::parse("64:ff9b::/96").value());
    // A list option replaces the file's list.
    ASSERT_EQ(setup->parts.mapping.eam().size(), 1u);
    EXPECT_FALSE(setup->parts.mapping.eam().find_ipv4(v4("192.0.0.1")));
    EXPECT_EQ(setup->parts.settings.lowest_ipv6_mtu, 1280u);
    EXPECT_EQ(setup->parts.settings.udp_zero_checksum, xlat::UdpZeroChecksumAction::compute);
}

TEST(TranslateOptions, TakesPool6FromThePlatWhenTheClatDiscoversIts) {
    const ConfigFile file(
        "clat:\n"
        "  enabled: false\n"
        "  plat_prefix: pref64\n"
        "plat:\n"
        "  enabled: false\n"
        "  prefix: 2001:db8:6464::/96\n");
    TranslateOptions options;
    options.config_path = file.path();
    auto setup = resolve_translate_options(options);
    ASSERT_TRUE(setup) << setup.error().message;
    EXPECT_EQ(setup->pool6, net::Ipv6Prefix::parse("2001:db8:6464::/96").value());
}

TEST(TranslateOptions, ConfigErrorsNameTheFileLineAndColumn) {
    const ConfigFile file("translation:\n  lowest_ipv6_mtu: 1000\n");
    TranslateOptions options = with_pool6();
    options.config_path = file.path();
    auto setup = resolve_translate_options(options);
    ASSERT_FALSE(setup);
    EXPECT_THAT(setup.error().message, HasSubstr(file.path() + ":2:20"));
    EXPECT_THAT(setup.error().message, HasSubstr("lowest_ipv6_mtu"));
}

TEST(TranslateOptions, AMissingConfigFileIsNamed) {
    TranslateOptions options = with_pool6();
    options.config_path = "/nonexistent/sixgate.yaml";
    auto setup = resolve_translate_options(options);
    ASSERT_FALSE(setup);
    EXPECT_THAT(setup.error().message, HasSubstr("/nonexistent/sixgate.yaml"));
}

}  // namespace
}  // namespace sixgate::app
