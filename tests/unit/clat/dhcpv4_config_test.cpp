// clat.dhcpv4: off by default, read when present, every bad value named with file:line:column.

#include <gtest/gtest.h>

#include "config/effective.hpp"
#include "config/loader.hpp"

namespace sixgate::config {
namespace {

TEST(ClatDhcpv4Config, IsOffByDefaultSoExistingConfigsBehaveTheSame) {
    const LoadResult loaded = parse_config("clat:\n  uplink: eth0\n", "clat.yaml");
    ASSERT_TRUE(loaded.ok()) << to_string(loaded.errors);
    EXPECT_FALSE(*loaded.config.clat.dhcpv4.v6only_preferred);
    EXPECT_EQ(*loaded.config.clat.dhcpv4.no_server_wait, 10u);
}

TEST(ClatDhcpv4Config, ReadsV6OnlyPreferredAndNoServerWaitAndShowsThemInTheEffectiveConfig) {
    const LoadResult loaded = parse_config(
        "clat:\n  uplink: eth0\n  dhcpv4: {v6only_preferred: true, no_server_wait: 30}\n",
        "clat.yaml");
    ASSERT_TRUE(loaded.ok()) << to_string(loaded.errors);
    EXPECT_TRUE(*loaded.config.clat.dhcpv4.v6only_preferred);
    EXPECT_EQ(*loaded.config.clat.dhcpv4.no_server_wait, 30u);
    const std::string effective = effective_config_yaml(loaded.config);
    EXPECT_NE(effective.find("  dhcpv4:\n    v6only_preferred: true\n    no_server_wait: 30\n"),
              std::string::npos)
        << effective;
    // The effective config loads back to the same section.
    const LoadResult again = parse_config(effective, "effective.yaml");
    ASSERT_TRUE(again.ok()) << to_string(again.errors);
    EXPECT_EQ(again.config.clat.dhcpv4, loaded.config.clat.dhcpv4);
}

TEST(ClatDhcpv4Config, BadValuesAreErrorsWithFileLineAndColumn) {
    const LoadResult loaded = parse_config(
        "clat:\n  uplink: eth0\n  dhcpv4:\n    v6only_preferred: maybe\n    no_server_wait: 0\n    "
        "wait: 3\n",
        "bad.yaml");
    const std::string errors = to_string(loaded.errors);
    ASSERT_EQ(loaded.errors.size(), 3u) << errors;
    EXPECT_NE(errors.find("bad.yaml:4:23: error: clat.dhcpv4.v6only_preferred: expected true or "
                          "false, found 'maybe'"),
              std::string::npos)
        << errors;
    EXPECT_NE(
        errors.find("bad.yaml:5:21: error: clat.dhcpv4.no_server_wait: must be 1..600 s, found 0"),
        std::string::npos)
        << errors;
    EXPECT_NE(errors.find("bad.yaml:6:5: error: clat.dhcpv4.wait: unknown key 'wait'"),
              std::string::npos)
        << errors;
}

}  // namespace
}  // namespace sixgate::config
