// The ISATAP host's potential router list (RFC 5214 8.3.2): addresses and DNS names.

#include "isatap/potential_router_list.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/asio/io_context.hpp>

namespace sixgate::isatap {
namespace {

net::Ipv4Address v4(const char* text) { return *net::Ipv4Address::parse(text); }

std::vector<config::IsatapRouterEntry> entries(std::initializer_list<const char*> texts) {
    std::vector<config::IsatapRouterEntry> out;
    for (const char* text : texts) {
        config::IsatapRouterEntry entry{text, std::nullopt};
        if (auto address = net::Ipv4Address::parse(text)) entry.address = *address;
        out.push_back(entry);
    }
    return out;
}

TEST(PotentialRouterList, AddressEntriesNeedNoLookup) {
    RecordProperty("rfc", "5214 8.3.2");
    PotentialRouterList prl(entries({"10.1.0.1", "10.1.0.2", "10.1.0.1"}));
    EXPECT_FALSE(prl.has_names());
    EXPECT_TRUE(prl.names().empty());
    EXPECT_EQ(prl.addresses(), (std::vector{v4("10.1.0.1"), v4("10.1.0.2")})) << "deduplicated, in order";
    EXPECT_TRUE(prl.contains(v4("10.1.0.2")));
    EXPECT_FALSE(prl.contains(v4("10.1.0.3")));
}

TEST(PotentialRouterList, NamesResolveToEveryAddressTheyAnswer) {
    RecordProperty("rfc", "5214 8.3.2");
    PotentialRouterList prl(entries({"10.1.0.1", "router.corp.example"}));
    EXPECT_TRUE(prl.has_names());
    EXPECT_EQ(prl.names(), std::vector<std::string>{"router.corp.example"});
    EXPECT_EQ(prl.addresses(), std::vector{v4("10.1.0.1")}) << "an unresolved name adds nothing";

    std::vector<NameResolution> results;
    results.push_back({"router.corp.example", std::vector{v4("10.1.0.7"), v4("10.1.0.8")}});
    EXPECT_TRUE(prl.apply(results));
    EXPECT_EQ(prl.addresses(), (std::vector{v4("10.1.0.1"), v4("10.1.0.7"), v4("10.1.0.8")}));
    EXPECT_FALSE(prl.apply(results)) << "the same answer changes nothing";

    const auto status = prl.status();
    ASSERT_EQ(status.size(), 3u);
    EXPECT_EQ(status[1]["entry"], "router.corp.example");
    EXPECT_EQ(status[1]["ipv4"], "10.1.0.7");
    EXPECT_TRUE(status[1]["error"].is_null());
}

TEST(PotentialRouterList, NameThatStopsResolvingLeavesThePrlWithItsReason) {
    RecordProperty("rfc", "5214 8.3.2");
    PotentialRouterList prl(entries({"router.corp.example"}));
    std::vector<NameResolution> ok;
    ok.push_back({"router.corp.example", std::vector{v4("10.1.0.7")}});
    ASSERT_TRUE(prl.apply(ok));
    std::vector<NameResolution> failed;
    failed.push_back({"router.corp.example", make_error(std::errc::no_such_device_or_address, "NXDOMAIN")});
    EXPECT_TRUE(prl.apply(failed));
    EXPECT_TRUE(prl.addresses().empty());
    const auto status = prl.status();
    ASSERT_EQ(status.size(), 1u);
    EXPECT_TRUE(status[0]["ipv4"].is_null());
    EXPECT_EQ(status[0]["error"], "NXDOMAIN");
    EXPECT_TRUE(prl.entries()[0].error_logged);
    EXPECT_FALSE(prl.apply(failed)) << "still failing: no change";
    EXPECT_TRUE(prl.apply(ok)) << "retried and back";
    EXPECT_FALSE(prl.entries()[0].error_logged);
}

TEST(PotentialRouterList, NamesWhoseFirstLabelIsIsatapAreFlagged) {
    PotentialRouterList prl(entries({"isatap.corp.example", "ISATAP", "isatap2.corp.example", "10.1.0.1"}));
    EXPECT_EQ(prl.blocked_names(), (std::vector<std::string>{"isatap.corp.example", "ISATAP"}));
}

TEST(ResolveIpv4, LocalhostResolvesThroughTheHostsResolver) {
    auto addresses = resolve_ipv4("localhost");
    ASSERT_TRUE(addresses.ok()) << addresses.error().message;
    EXPECT_NE(std::find(addresses->begin(), addresses->end(), v4("127.0.0.1")), addresses->end());
    auto literal = resolve_ipv4("10.1.2.3");
    ASSERT_TRUE(literal.ok());
    EXPECT_EQ(*literal, std::vector{v4("10.1.2.3")});
}

TEST(ResolveIpv4, UnknownNameIsAnErrorNamingIt) {
    auto addresses = resolve_ipv4("no-such-router.invalid");
    ASSERT_FALSE(addresses.ok());
    EXPECT_NE(addresses.error().message.find("no-such-router.invalid"), std::string::npos);
}

TEST(PrlResolver, LooksUpOffTheIoContextThreadAndDeliversOnIt) {
    boost::asio::io_context io;
    const auto io_thread = std::this_thread::get_id();
    std::thread::id lookup_thread;
    std::vector<NameResolution> delivered;
    std::thread::id delivery_thread;
    PrlResolver resolver(
        io,
        [&](std::vector<NameResolution> results) {
            delivered = std::move(results);
            delivery_thread = std::this_thread::get_id();
            io.stop();
        },
        [&](const std::string& name) -> Result<std::vector<net::Ipv4Address>> {
            lookup_thread = std::this_thread::get_id();
            if (name == "a.example") return std::vector{v4("10.0.0.1")};
            return make_error(std::errc::no_such_device_or_address, name + ": no such name");
        });
    resolver.request({"a.example", "b.example"});
    EXPECT_TRUE(resolver.in_flight());
    auto guard = boost::asio::make_work_guard(io);
    io.run_for(std::chrono::seconds{5});
    ASSERT_EQ(delivered.size(), 2u);
    EXPECT_TRUE(delivered[0].result.ok());
    EXPECT_FALSE(delivered[1].result.ok());
    EXPECT_NE(lookup_thread, io_thread);
    EXPECT_EQ(delivery_thread, io_thread);
    EXPECT_FALSE(resolver.in_flight());
}

TEST(PrlResolver, RequestWhileALookupRunsIsRunAfterIt) {
    boost::asio::io_context io;
    int rounds = 0;
    PrlResolver resolver(
        io,
        [&](std::vector<NameResolution>) {
            if (++rounds == 2) io.stop();
        },
        [](const std::string&) -> Result<std::vector<net::Ipv4Address>> {
            std::this_thread::sleep_for(std::chrono::milliseconds{20});
            return std::vector<net::Ipv4Address>{};
        });
    resolver.request({"a.example"});
    resolver.request({"a.example"});
    auto guard = boost::asio::make_work_guard(io);
    io.run_for(std::chrono::seconds{5});
    EXPECT_EQ(rounds, 2);
}

}  // namespace
}  // namespace sixgate::isatap
