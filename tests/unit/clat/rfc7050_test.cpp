// RFC 7050 3.2: which Pref64::/n a DNS64 used, from the AAAA answers for ipv4only.arpa, and the
// discovery's retry, refresh and expiry with a resolver that needs no DNS. The synthesized
// answers below are RFC 6052 2.2 layouts of 192.0.0.170 (c0.00.00.aa) and 192.0.0.171 written
// out by hand (cross-checked with Python's ipaddress when written).

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "clat/rfc7050.hpp"

namespace sixgate::clat {
namespace {

using namespace std::chrono_literals;

net::Ipv6Address address(const char* text) {
    return *net::Ipv6Address::parse(text);
}
net::Ipv6Prefix prefix(const char* text) {
    return *net::Ipv6Prefix::parse(text);
}

std::vector<net::Ipv6Prefix> from(std::initializer_list<const char*> answers) {
    std::vector<net::Ipv6Address> list;
    for (const char* a : answers) list.push_back(address(a));
    return plat_prefixes_from_answers(list);
}

TEST(PlatPrefixesFromAnswers, FindsTheWellKnownAddressAtEveryRfc6052Length) {
    RecordProperty("rfc", "7050 3.2, 6052 2.2");
    struct Case {
        const char* answer;
        const char* expected;
    };
    const Case cases[] = {
        {"64:ff9b::c000:aa", "64:ff9b::/96"},
        {"2001:db8:122:344:c0:0:aa00:0", "2001:db8:122:344::/64"},
        {"2001:db8:122:3c0:0:aa::", "2001:db8:122:300::/56"},
        {"2001:db8:122:c000:0:aa00::", "2001:db8:122::/48"},
        {"2001:db8:1c0:0:aa::", "2001:db8:100::/40"},
        {"2001:db8:c000:aa::", "2001:db8::/32"},
    };
    for (const Case& c : cases) {
        const auto prefixes = from({c.answer});
        ASSERT_EQ(prefixes.size(), 1u) << c.answer;
        EXPECT_EQ(prefixes[0], prefix(c.expected)) << c.answer;
    }
}

TEST(PlatPrefixesFromAnswers, AcceptsTheSecondWellKnownAddress) {
    RecordProperty("rfc", "7050 2.1");
    EXPECT_EQ(from({"64:ff9b::c000:ab"}), std::vector{prefix("64:ff9b::/96")});
    EXPECT_EQ(from({"2001:db8:c000:ab::"}), std::vector{prefix("2001:db8::/32")});
}

TEST(PlatPrefixesFromAnswers, RefusesANonZeroUOctet) {
    RecordProperty("rfc", "7050 3.2, 6052 2.2");
    // The /64 layout of 192.0.0.170 with bits 64..71 set: no valid position holds the address.
    EXPECT_TRUE(from({"2001:db8:122:344:ffc0:0:aa00:0"}).empty());
    EXPECT_TRUE(from({"2001:db8:122:344:1c0:0:aa00:0"}).empty());
    // /96 with a non-zero u octet (byte 8) is no RFC 6052 prefix either.
    EXPECT_TRUE(from({"2001:db8:1:2:100::c000:aa"}).empty());
}

TEST(PlatPrefixesFromAnswers, AnswersWithoutTheWellKnownAddressesGiveNothing) {
    RecordProperty("rfc", "7050 3.2");
    EXPECT_TRUE(from({}).empty());
    EXPECT_TRUE(from({"2001:db8::1", "64:ff9b::c000:201", "64:ff9b::c000:ac"}).empty());
}

TEST(PlatPrefixesFromAnswers, ReturnsEveryDistinctPrefixInAnswerOrder) {
    RecordProperty("rfc", "7050 3.2");
    const auto prefixes = from({"2001:db8:122:344:c0:0:aa00:0", "64:ff9b::c000:aa",
                                "64:ff9b::c000:ab", "2001:db8:122:344:c0:0:ab00:0"});
    EXPECT_EQ(prefixes, (std::vector{prefix("2001:db8:122:344::/64"), prefix("64:ff9b::/96")}));
}

// A resolver that plays back scripted results, then repeats the last one.
struct ScriptedResolver {
    std::deque<Result<std::vector<net::Ipv6Address>>> script;
    int calls = 0;
    Result<std::vector<net::Ipv6Address>> operator()() {
        ++calls;
        auto next = script.front();
        if (script.size() > 1) script.pop_front();
        return next;
    }
};

Result<std::vector<net::Ipv6Address>> answers(std::initializer_list<const char*> list) {
    std::vector<net::Ipv6Address> out;
    for (const char* a : list) out.push_back(address(a));
    return out;
}

Result<std::vector<net::Ipv6Address>> failure() {
    return make_error(std::errc::resource_unavailable_try_again,
                      "resolve ipv4only.arpa AAAA: test failure");
}

// Runs io until `done` or the deadline.
void run_until(boost::asio::io_context& io, const std::function<bool()>& done,
               std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    io.restart();
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.run_for(10ms);
        io.restart();
    }
}

Rfc7050Options fast_options() {
    Rfc7050Options options;
    options.retry_initial = 10ms;
    options.retry_max = 40ms;
    return options;
}

TEST(Rfc7050Discovery, RetriesWithBackOffUntilALookupSucceeds) {
    RecordProperty("rfc", "7050 3");
    boost::asio::io_context io;
    auto resolver = std::make_shared<ScriptedResolver>();
    resolver->script = {failure(), answers({"2001:db8::1"}), failure(),
                        answers({"64:ff9b::c000:aa"})};
    std::vector<std::optional<PlatPrefix>> seen;
    const auto started = std::chrono::steady_clock::now();
    auto discovery = Rfc7050Discovery::start(
        io, [&](const std::optional<PlatPrefix>& p) { seen.push_back(p); },
        [resolver] { return (*resolver)(); }, fast_options());
    ASSERT_TRUE(discovery.ok());
    run_until(
        io, [&] { return !seen.empty(); }, 5s);
    ASSERT_EQ(seen.size(), 1u);
    ASSERT_TRUE(seen[0]);
    EXPECT_EQ(seen[0]->prefix, prefix("64:ff9b::/96"));
    EXPECT_EQ(seen[0]->source, "dns64 ipv4only.arpa");
    EXPECT_EQ((*discovery)->counters().failures, 2u);
    EXPECT_EQ((*discovery)->counters().without_prefix, 1u);
    EXPECT_EQ(resolver->calls, 4);
    // Back-off 10 + 20 + 40 ms at least before the fourth lookup.
    EXPECT_GE(std::chrono::steady_clock::now() - started, 70ms);
    const auto status = (*discovery)->status();
    EXPECT_EQ(status["prefix"], "64:ff9b::/96");
    EXPECT_EQ(status["source"], "dns64 ipv4only.arpa");
    EXPECT_TRUE(status["last_error"].is_null());
}

TEST(Rfc7050Discovery, RefreshKeepsThePrefixInUseAndFollowsAChange) {
    RecordProperty("rfc", "7050 3.3");
    boost::asio::io_context io;
    auto resolver = std::make_shared<ScriptedResolver>();
    resolver->script = {answers({"2001:db8:c000:aa::"}),
                        answers({"64:ff9b::c000:aa", "2001:db8:c000:aa::"}),  // old one still there
                        answers({"64:ff9b::c000:aa"})};
    std::vector<std::optional<PlatPrefix>> seen;
    auto discovery = Rfc7050Discovery::start(
        io, [&](const std::optional<PlatPrefix>& p) { seen.push_back(p); },
        [resolver] { return (*resolver)(); }, fast_options());
    ASSERT_TRUE(discovery.ok());
    run_until(
        io, [&] { return seen.size() == 1; }, 5s);
    (*discovery)->refresh();
    run_until(
        io,
        [&] {
            return resolver->calls == 2 && !(*discovery)->status()["lookup_in_flight"].get<bool>();
        },
        5s);
    EXPECT_EQ(seen.size(), 1u);  // still 2001:db8::/32
    EXPECT_EQ((*discovery)->prefixes().size(), 2u);
    (*discovery)->refresh();
    run_until(
        io, [&] { return seen.size() == 2; }, 5s);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0]->prefix, prefix("2001:db8::/32"));
    EXPECT_EQ(seen[1]->prefix, prefix("64:ff9b::/96"));
}

TEST(Rfc7050Discovery, PrefixExpiresWhenLookupsKeepFailing) {
    boost::asio::io_context io;
    auto resolver = std::make_shared<ScriptedResolver>();
    resolver->script = {answers({"64:ff9b::c000:aa"}), failure()};
    Rfc7050Options options = fast_options();
    options.refresh_interval = 1s;  // the refresh at 1 s fails, and so do its retries
    options.validity = 2s;
    std::vector<std::optional<PlatPrefix>> seen;
    auto discovery = Rfc7050Discovery::start(
        io, [&](const std::optional<PlatPrefix>& p) { seen.push_back(p); },
        [resolver] { return (*resolver)(); }, options);
    ASSERT_TRUE(discovery.ok());
    run_until(
        io, [&] { return seen.size() == 2; }, 5s);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_TRUE(seen[0]);
    EXPECT_FALSE(seen[1]);
    EXPECT_EQ((*discovery)->counters().expirations, 1u);
    EXPECT_FALSE((*discovery)->current());
    EXPECT_NE((*discovery)->status()["last_error"].get<std::string>().find("test failure"),
              std::string::npos);
}

TEST(Rfc7050Discovery, InconsistentTimersAreRefused) {
    boost::asio::io_context io;
    Rfc7050Options options;
    options.validity = 10s;
    options.refresh_interval = 20s;
    EXPECT_FALSE(Rfc7050Discovery::start(
                     io, {}, [] { return failure(); }, options)
                     .ok());
}

TEST(Rfc7050Discovery, DestroyingItWhileALookupRunsIsSafe) {
    boost::asio::io_context io;
    std::atomic<bool> entered{false};
    {
        auto discovery = Rfc7050Discovery::start(
            io, {},
            [&entered] {
                entered = true;
                std::this_thread::sleep_for(50ms);
                return answers({"64:ff9b::c000:aa"});
            },
            fast_options());
        ASSERT_TRUE(discovery.ok());
        while (!entered) std::this_thread::sleep_for(1ms);
    }
    // The result handler was posted after destruction and must do nothing.
    io.run_for(100ms);
    SUCCEED();
}

}  // namespace
}  // namespace sixgate::clat
