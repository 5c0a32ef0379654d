#include "config/diagnostics.hpp"

#include <gtest/gtest.h>

namespace sixgate::config {
namespace {

TEST(ConfigDiagnostics, FormatsFileLineColumnKeyPathAndMessage) {
    const Diagnostic d{"x.yaml", 12, 29, "router.interfaces[0].max_rtr_adv_interval", "must be 4..65535 s", Severity::error};
    EXPECT_EQ(d.to_string(), "x.yaml:12:29: error: router.interfaces[0].max_rtr_adv_interval: must be 4..65535 s");
}

TEST(ConfigDiagnostics, FormatsWarningsAndPositionlessErrors) {
    EXPECT_EQ((Diagnostic{"a.yaml", 1, 2, "ula", "not used", Severity::warning}.to_string()),
              "a.yaml:1:2: warning: ula: not used");
    EXPECT_EQ((Diagnostic{"a.yaml", 0, 0, "", "cannot read", Severity::error}.to_string()), "a.yaml: error: cannot read");
}

TEST(ConfigDiagnostics, EditDistanceCountsInsertionsDeletionsAndSubstitutions) {
    EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
    EXPECT_EQ(edit_distance("", "abc"), 3u);
    EXPECT_EQ(edit_distance("same", "same"), 0u);
}

TEST(ConfigDiagnostics, SuggestsTheNearestNameWithinTwoEdits) {
    constexpr std::string_view kNames[] = {"router", "isatap", "clat", "plat"};
    EXPECT_EQ(closest_match("routr", kNames), "router");
    EXPECT_EQ(closest_match("plta", kNames), "plat");
    EXPECT_EQ(closest_match("zzzzzzz", kNames), "");
}

TEST(ConfigDiagnostics, SuggestsByPrefixWhenTooFarForEditDistance) {
    constexpr std::string_view kNames[] = {"max_rtr_adv_interval", "min_rtr_adv_interval"};
    EXPECT_EQ(closest_match("max_rtr", kNames), "max_rtr_adv_interval");
    EXPECT_EQ(did_you_mean("max_rtr", kNames), " (did you mean 'max_rtr_adv_interval'?)");
}

}  // namespace
}  // namespace sixgate::config
