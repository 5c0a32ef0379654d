// Every shipped example loads with no errors and no warnings (tests run from the repo root).

#include <gtest/gtest.h>

#include "config/loader.hpp"

namespace sixgate::config {
namespace {

void expect_clean(const std::string& path) {
    const LoadResult result = parse_config_file(path);
    EXPECT_TRUE(result.errors.empty()) << to_string(result.errors);
    EXPECT_TRUE(result.warnings.empty()) << to_string(result.warnings);
}

TEST(ConfigExamples, DirectAccessLoadsClean) { expect_clean("config/examples/directaccess.yaml"); }
TEST(ConfigExamples, BehindNatLoadsClean) { expect_clean("config/examples/behind-nat.yaml"); }
TEST(ConfigExamples, ClatLoadsClean) { expect_clean("config/examples/clat.yaml"); }
TEST(ConfigExamples, PlatLoadsClean) { expect_clean("config/examples/plat.yaml"); }
TEST(ConfigExamples, IsatapRouterLoadsClean) { expect_clean("config/examples/isatap-router.yaml"); }
TEST(ConfigExamples, IsatapHostLoadsClean) { expect_clean("config/examples/isatap-host.yaml"); }

TEST(ConfigExamples, IsatapRouterTakesThePlanPrefixAndTheAllowList) {
    auto config = load_config_file("config/examples/isatap-router.yaml");
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(*config->isatap.mode, IsatapMode::router);
    EXPECT_EQ((*config->isatap.prefix)->to_string(), "2002:836b:2:8000::/64");
    ASSERT_EQ(config->isatap.allow.size(), 2u);
    EXPECT_EQ(config->isatap.allow[1].to_string(), "10.20.0.64/28");
}

TEST(ConfigExamples, IsatapHostListsItsRouter) {
    auto config = load_config_file("config/examples/isatap-host.yaml");
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(*config->isatap.mode, IsatapMode::host);
    ASSERT_EQ(config->isatap.routers.size(), 1u);
    EXPECT_EQ(config->isatap.routers[0].address, net::Ipv4Address(10, 20, 0, 1));
}

TEST(ConfigExamples, DirectAccessDerivesThePlan) {
    auto config = load_config_file("config/examples/directaccess.yaml");
    ASSERT_TRUE(config.ok()) << config.error().message;
    EXPECT_EQ(config->router.interfaces.at(0).prefixes.at(0).prefix->to_string(), "2002:836b:2:3333::/64");
    EXPECT_EQ(config->plat.static_bib.at(0).ipv6->to_string(), "2002:836b:2:3333::5");
}

}  // namespace
}  // namespace sixgate::config
