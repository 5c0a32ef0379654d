// The file as YAML: syntax errors, shape, unknown keys and types, each at file:line:column.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config_test_util.hpp"

namespace sixgate::config {
namespace {

using ::testing::ElementsAre;
using testing::errors;
using testing::load;

TEST(ConfigYaml, SyntaxErrorBecomesADiagnosticWithLineAndColumn) {
    EXPECT_THAT(errors("logging:\n  level: [info\n"),
                ElementsAre("t.yaml:3:1: error: YAML syntax: end of sequence flow not found"));
}

TEST(ConfigYaml, BadIndentationIsASyntaxError) {
    const auto found = errors("router:\n  enabled: true\n forwarding: true\n");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_THAT(found[0], ::testing::StartsWith("t.yaml:3:"));
    EXPECT_THAT(found[0], ::testing::HasSubstr("YAML syntax"));
}

// Found by the config fuzz target: raw bytes in a string were accepted, then printed back in
// the effective config as something else.
TEST(ConfigYaml, TextThatIsNotUtf8IsAnErrorAtTheFirstBadByte) {
    EXPECT_THAT(errors("control:\n  socket: /run/s\xff\xfe.sock\n"),
                ElementsAre("t.yaml:2:17: error: the file is not UTF-8 text: invalid byte here"));
    EXPECT_THAT(errors("logging: {level: info}\n# \xc0\xaf overlong\n"),
                ElementsAre("t.yaml:2:3: error: the file is not UTF-8 text: invalid byte here"));
    EXPECT_TRUE(errors("logging: {level: info}  # caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\n").empty());
}

TEST(ConfigYaml, EmptyFileIsAnErrorAtLineOne) {
    EXPECT_THAT(errors(""), ElementsAre("t.yaml:1:1: error: the file is empty: expected a map of sections "
                                        "(router, isatap, clat, plat, ...)"));
    EXPECT_EQ(errors("# only a comment\n").size(), 1u);
}

TEST(ConfigYaml, TopLevelListIsAnError) {
    EXPECT_THAT(errors("- router\n"),
                ElementsAre("t.yaml:1:1: error: expected a map of sections at the top level (router, "
                            "isatap, clat, plat, ...), found a list"));
}

TEST(ConfigYaml, TopLevelScalarIsAnError) {
    EXPECT_THAT(errors("hello\n"),
                ElementsAre("t.yaml:1:1: error: expected a map of sections at the top level (router, "
                            "isatap, clat, plat, ...), found 'hello'"));
}

TEST(ConfigYaml, UnknownTopLevelKeySuggestsTheNearest) {
    EXPECT_THAT(errors("routr: {}\n"), ElementsAre("t.yaml:1:1: error: routr: unknown key 'routr' (did you mean 'router'?)"));
}

TEST(ConfigYaml, UnknownKeyWithoutNearNameHasNoSuggestion) {
    EXPECT_THAT(errors("frobnicate: 1\n"), ElementsAre("t.yaml:1:1: error: frobnicate: unknown key 'frobnicate'"));
}

TEST(ConfigYaml, UnknownNestedKeyIsReportedWithItsFullPath) {
    EXPECT_THAT(errors(std::string(testing::kPublicRouter) + "      max_rtr_adv_intervall: 600\n"),
                ElementsAre("t.yaml:5:7: error: router.interfaces[0].max_rtr_adv_intervall: unknown key "
                            "'max_rtr_adv_intervall' (did you mean 'max_rtr_adv_interval'?)"));
}

TEST(ConfigYaml, UnknownKeyDeepInAListSuggestsByPrefix) {
    EXPECT_THAT(errors(std::string(testing::kPublicRouter) + "      prefixes:\n        - prefix: org\n          valid: 10\n"),
                ElementsAre("t.yaml:7:11: error: router.interfaces[0].prefixes[0].valid: unknown key 'valid' "
                            "(did you mean 'valid_lifetime'?)"));
}

TEST(ConfigYaml, RepeatedKeyIsAnError) {
    EXPECT_THAT(errors("logging: {level: info}\nlogging: {level: warn}\n"),
                ElementsAre("t.yaml:2:1: error: logging: key 'logging' appears twice in this map"));
}

TEST(ConfigYaml, IntegerTypeErrorQuotesWhatWasFound) {
    EXPECT_THAT(errors(std::string(testing::kPublicRouter) + "      cur_hop_limit: abc\n"),
                ElementsAre("t.yaml:5:22: error: router.interfaces[0].cur_hop_limit: expected an integer, found 'abc'"));
}

TEST(ConfigYaml, BooleanTypeErrorQuotesWhatWasFound) {
    EXPECT_THAT(errors(std::string(testing::kPublicRouter) + "      managed: yes please\n"),
                ElementsAre("t.yaml:5:16: error: router.interfaces[0].managed: expected true or false, found 'yes please'"));
}

TEST(ConfigYaml, YesIsNotABoolean) {
    EXPECT_THAT(errors("router: {enabled: yes}\n"),
                ElementsAre("t.yaml:1:19: error: router.enabled: expected true or false, found 'yes'"));
}

TEST(ConfigYaml, MapWhereAScalarBelongsIsATypeError) {
    EXPECT_THAT(errors("logging: {level: {a: 1}}\n"),
                ElementsAre("t.yaml:1:18: error: logging.level: expected one of trace, debug, info, warn, "
                            "error, critical or off, found a map"));
}

TEST(ConfigYaml, ScalarWhereAMapBelongsIsATypeError) {
    EXPECT_THAT(errors("logging: info\n"), ElementsAre("t.yaml:1:10: error: logging: expected a map of keys, found 'info'"));
}

TEST(ConfigYaml, ScalarWhereAListBelongsIsATypeError) {
    EXPECT_THAT(errors(std::string(testing::kPublicRouter) + "      prefixes: org\n"),
                ElementsAre("t.yaml:5:17: error: router.interfaces[0].prefixes: expected a list, found 'org'"));
}

TEST(ConfigYaml, EnumValueSuggestsTheNearest) {
    EXPECT_THAT(errors("logging: {level: warning}\n"),
                ElementsAre("t.yaml:1:18: error: logging.level: expected one of trace, debug, info, warn, error, "
                            "critical or off, found 'warning' (did you mean 'warn'?)"));
}

TEST(ConfigYaml, CollectsEveryErrorInOneLoad) {
    const auto found = errors(std::string(testing::kPublicRouter) +
                              "      max_rtr_adv_interval: 3\n"
                              "      managed: maybe\n"
                              "      reachable_time: 3600001\n"
                              "logging: {levl: info}\n");
    EXPECT_THAT(found,
                ElementsAre("t.yaml:5:29: error: router.interfaces[0].max_rtr_adv_interval: must be 4..65535 s "
                            "(RFC 4861 6.2.1, as updated by RFC 8319), found 3",
                            "t.yaml:6:16: error: router.interfaces[0].managed: expected true or false, found 'maybe'",
                            "t.yaml:7:23: error: router.interfaces[0].reachable_time: must be 0..3600000 ms "
                            "(RFC 4861 6.2.1), found 3600001",
                            "t.yaml:8:11: error: logging.levl: unknown key 'levl' (did you mean 'level'?)"));
}

TEST(ConfigYaml, LoadConfigJoinsEveryDiagnosticOneALine) {
    auto result = load_config("logging: {levl: info}\ncontrol: {sockit: /x}\n", "t.yaml", testing::fake_options());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().message,
              "t.yaml:1:11: error: logging.levl: unknown key 'levl' (did you mean 'level'?)\n"
              "t.yaml:2:11: error: control.sockit: unknown key 'sockit' (did you mean 'socket'?)");
}

TEST(ConfigYaml, MissingFileIsAnErrorNamingIt) {
    auto result = load_config_file("/nonexistent/sixgate.yaml");
    ASSERT_FALSE(result.ok());
    EXPECT_THAT(result.error().message, ::testing::StartsWith("/nonexistent/sixgate.yaml: error: cannot read the file"));
}

TEST(ConfigYaml, HostileInputNeverThrows) {
    const char* inputs[] = {"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
                            "&a [*a]", "router: &r {interfaces: [*r]}", "? [a]\n: b\n", "{a: b}: c\n",
                            "router: !!binary AAAA\n", "%YAML 1.2\n---\n---\n", "\t\x01\xff",
                            "router:\n  interfaces:\n    - {name: [a], prefixes: [{prefix: [1]}]}\n"};
    for (const char* input : inputs) {
        EXPECT_NO_THROW({ auto result = load(input); (void)result; }) << input;
    }
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "[";
    EXPECT_NO_THROW({ auto result = load(deep); EXPECT_FALSE(result.ok()); });
}

TEST(ConfigYaml, NonScalarKeyIsAnError) {
    EXPECT_THAT(errors("? [a]\n: b\n"), ElementsAre("t.yaml:1:3: error: expected a key name, found a list"));
}

}  // namespace
}  // namespace sixgate::config
