// PREF64 (RFC 8781) as the kernel delivers it: RTM_NEWNDUSEROPT messages built here byte by
// byte (nlmsghdr, struct nduseroptmsg, the raw option, NDUSEROPT_SRCADDR), fed to Pref64Tracker.

#include <gtest/gtest.h>

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>

#include <cstring>
#include <random>
#include <vector>

#include "clat/pref64_listener.hpp"

namespace sixgate::clat {
namespace {

using Clock = Pref64Tracker::Clock;
using std::chrono::seconds;

constexpr int kIndex = 7;

net::Ipv6Address address(const char* text) {
    return *net::Ipv6Address::parse(text);
}
net::Ipv6Prefix prefix(const char* text) {
    return *net::Ipv6Prefix::parse(text);
}

// RFC 8781 4: type 38, Length 2, then 13 bits of scaled lifetime and 3 bits of PLC, then the
// first 96 bits of the prefix.
std::vector<std::uint8_t> pref64_option(const char* prefix_text, std::uint16_t scaled_lifetime,
                                        std::uint8_t plc) {
    std::vector<std::uint8_t> option{38, 2, std::uint8_t((scaled_lifetime << 3 | plc) >> 8),
                                     std::uint8_t(scaled_lifetime << 3 | plc)};
    const auto bytes = address(prefix_text).bytes();
    option.insert(option.end(), bytes.begin(), bytes.begin() + 12);
    return option;
}

struct MessageSpec {
    int ifindex = kIndex;
    std::uint8_t icmp_type = ND_ROUTER_ADVERT;
    std::uint8_t family = AF_INET6;
    std::optional<net::Ipv6Address> router = address("fe80::1");
};

// One netlink message as the kernel's ndisc_ra_useropt() lays it out.
std::vector<std::uint8_t> useropt_message(const std::vector<std::uint8_t>& option,
                                          const MessageSpec& spec = {}) {
    std::vector<std::uint8_t> payload(sizeof(nduseroptmsg), 0);
    nduseroptmsg header{};
    header.nduseropt_family = spec.family;
    header.nduseropt_opts_len = std::uint16_t(option.size());
    header.nduseropt_ifindex = spec.ifindex;
    header.nduseropt_icmp_type = spec.icmp_type;
    std::memcpy(payload.data(), &header, sizeof header);
    payload.insert(payload.end(), option.begin(), option.end());
    payload.resize(NLMSG_ALIGN(payload.size()), 0);
    if (spec.router) {
        rtattr attribute{std::uint16_t(RTA_LENGTH(16)), NDUSEROPT_SRCADDR};
        std::vector<std::uint8_t> raw(sizeof attribute);
        std::memcpy(raw.data(), &attribute, sizeof attribute);
        payload.insert(payload.end(), raw.begin(), raw.end());
        payload.insert(payload.end(), spec.router->bytes().begin(), spec.router->bytes().end());
    }
    nlmsghdr netlink{};
    netlink.nlmsg_len = std::uint32_t(NLMSG_LENGTH(payload.size()));
    netlink.nlmsg_type = RTM_NEWNDUSEROPT;
    std::vector<std::uint8_t> message(sizeof netlink);
    std::memcpy(message.data(), &netlink, sizeof netlink);
    message.insert(message.end(), payload.begin(), payload.end());
    message.resize(NLMSG_ALIGN(message.size()), 0);
    return message;
}

class Pref64TrackerTest : public ::testing::Test {
protected:
    Pref64Tracker tracker{"eth0", kIndex};
    Clock::time_point now = Clock::now();
};

TEST_F(Pref64TrackerTest, EachPrefixLengthCodeGivesItsLengthAndScaledLifetimeIsInUnitsOf8Seconds) {
    RecordProperty("rfc", "8781 4");
    struct Case {
        std::uint8_t plc;
        const char* text;
        const char* expected;
    };
    const Case cases[] = {{0, "2001:db8:1:2:3:4::", "2001:db8:1:2:3:4::/96"},
                          {1, "2001:db8:1:2::", "2001:db8:1:2::/64"},
                          {2, "2001:db8:1:200::", "2001:db8:1:200::/56"},
                          {3, "2001:db8:1::", "2001:db8:1::/48"},
                          {4, "2001:db8:100::", "2001:db8:100::/40"},
                          {5, "2001:db8::", "2001:db8::/32"}};
    for (const Case& c : cases) {
        Pref64Tracker fresh("eth0", kIndex);
        EXPECT_TRUE(fresh.handle_datagram(useropt_message(pref64_option(c.text, 225, c.plc)), now));
        ASSERT_TRUE(fresh.current().has_value()) << int(c.plc);
        EXPECT_EQ(fresh.current()->prefix, prefix(c.expected));
        EXPECT_EQ(fresh.current()->expires, now + seconds(225 * 8));  // 1800 s
        EXPECT_EQ(fresh.current()->source, "pref64 from fe80::1 on eth0");
        EXPECT_EQ(fresh.counters().options_seen, 1u);
    }
}

TEST_F(Pref64TrackerTest, BitsPastTheCodedLengthAreIgnored) {
    RecordProperty("rfc", "8781 4");
    tracker.handle_datagram(useropt_message(pref64_option("2001:db8:ffff:ffff:ffff:ffff::", 10, 5)),
                            now);
    ASSERT_TRUE(tracker.current());
    EXPECT_EQ(tracker.current()->prefix, prefix("2001:db8::/32"));
}

TEST_F(Pref64TrackerTest, LargestScaledLifetimeIs65528Seconds) {
    RecordProperty("rfc", "8781 4");
    tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 8191, 0)), now);
    ASSERT_TRUE(tracker.current());
    EXPECT_EQ(tracker.current()->expires, now + seconds(65528));
}

TEST_F(Pref64TrackerTest, UndefinedLengthCodesAndWrongLengthsAreCountedMalformed) {
    RecordProperty("rfc", "8781 4");
    EXPECT_FALSE(tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 10, 6)), now));
    EXPECT_FALSE(tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 10, 7)), now));
    auto long_option = pref64_option("64:ff9b::", 10, 0);
    long_option[1] = 3;
    long_option.resize(24, 0);
    EXPECT_FALSE(tracker.handle_datagram(useropt_message(long_option), now));
    auto short_option = pref64_option("64:ff9b::", 10, 0);
    short_option[1] = 1;
    short_option.resize(8);
    EXPECT_FALSE(tracker.handle_datagram(useropt_message(short_option), now));
    EXPECT_EQ(tracker.counters().malformed, 4u);
    EXPECT_EQ(tracker.counters().options_seen, 0u);
    EXPECT_FALSE(tracker.current());
}

TEST_F(Pref64TrackerTest, BrokenNetlinkFramingIsCountedMalformed) {
    const auto good = useropt_message(pref64_option("64:ff9b::", 10, 0));
    // No source address attribute.
    MessageSpec no_router;
    no_router.router.reset();
    tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 10, 0), no_router), now);
    // Option length beyond the message.
    auto overlong = good;
    nduseroptmsg header;
    std::memcpy(&header, overlong.data() + sizeof(nlmsghdr), sizeof header);
    header.nduseropt_opts_len = 200;
    std::memcpy(overlong.data() + sizeof(nlmsghdr), &header, sizeof header);
    tracker.handle_datagram(overlong, now);
    // Not IPv6.
    MessageSpec ipv4;
    ipv4.family = AF_INET;
    tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 10, 0), ipv4), now);
    // nlmsg_len larger than the datagram.
    tracker.handle_datagram(std::span(good).first(good.size() - 4), now);
    EXPECT_EQ(tracker.counters().malformed, 4u);
    EXPECT_FALSE(tracker.current());
}

TEST_F(Pref64TrackerTest, RandomCorruptionAndTruncationNeverCrash) {
    const auto good = useropt_message(pref64_option("2001:db8:64::", 100, 0));
    std::mt19937 random(12345);
    for (int round = 0; round < 20000; ++round) {
        std::vector<std::uint8_t> bytes = good;
        const int flips = int(random() % 6);
        for (int i = 0; i < flips; ++i) bytes[random() % bytes.size()] = std::uint8_t(random());
        bytes.resize(random() % (bytes.size() + 1));
        std::vector<std::uint8_t> exact(bytes);  // exact-size heap buffer: ASan sees overreads
        tracker.handle_datagram(exact, now);
    }
    SUCCEED() << "malformed=" << tracker.counters().malformed;
    EXPECT_GT(tracker.counters().malformed, 0u);
}

TEST_F(Pref64TrackerTest, OtherInterfacesAndOtherOptionsAreIgnoredAndCounted) {
    MessageSpec elsewhere;
    elsewhere.ifindex = kIndex + 1;
    tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 10, 0), elsewhere), now);
    EXPECT_EQ(tracker.counters().ignored_other_interface, 1u);
    // RFC 8106 RDNSS (type 25) arrives on the same group.
    std::vector<std::uint8_t> rdnss{25, 3, 0, 0, 0, 0, 0x0e, 0x10};
    const auto server = address("2001:db8::53").bytes();
    rdnss.insert(rdnss.end(), server.begin(), server.end());
    tracker.handle_datagram(useropt_message(rdnss), now);
    EXPECT_EQ(tracker.counters().ignored_other_option, 1u);
    EXPECT_FALSE(tracker.current());
}

TEST_F(Pref64TrackerTest, ARecreatedInterfaceIsFollowedByName) {
    tracker.resolve_index = [] { return kIndex + 5; };
    MessageSpec moved;
    moved.ifindex = kIndex + 5;
    EXPECT_TRUE(
        tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 10, 0), moved), now));
    EXPECT_EQ(tracker.interface_index(), kIndex + 5);
}

TEST_F(Pref64TrackerTest, LifetimeZeroWithdrawsThePrefix) {
    RecordProperty("rfc", "8781 4");
    EXPECT_TRUE(tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 10, 0)), now));
    EXPECT_TRUE(tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 0, 0)),
                                        now + seconds(1)));
    EXPECT_FALSE(tracker.current());
    EXPECT_EQ(tracker.counters().withdrawals, 1u);
    EXPECT_FALSE(tracker.next_expiry());
}

TEST_F(Pref64TrackerTest, PrefixExpiresWhenItsLifetimeRunsOut) {
    RecordProperty("rfc", "8781 4");
    tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 2, 0)), now);  // 16 s
    EXPECT_EQ(tracker.next_expiry(), now + seconds(16));
    EXPECT_FALSE(tracker.expire(now + seconds(15)));
    EXPECT_TRUE(tracker.current());
    EXPECT_TRUE(tracker.expire(now + seconds(16)));
    EXPECT_FALSE(tracker.current());
    EXPECT_EQ(tracker.counters().expirations, 1u);
}

TEST_F(Pref64TrackerTest, RefreshExtendsTheLifetimeWithoutReportingAChange) {
    tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 2, 0)), now);
    EXPECT_FALSE(tracker.handle_datagram(useropt_message(pref64_option("64:ff9b::", 2, 0)),
                                         now + seconds(10)));
    EXPECT_EQ(tracker.current()->expires, now + seconds(26));
    EXPECT_EQ(tracker.counters().changes, 1u);
}

TEST_F(Pref64TrackerTest, NewestAdvertisedPrefixWinsRefreshesDoNotReorderAndWithdrawalFallsBack) {
    RecordProperty("rfc", "8781 5");
    MessageSpec router_a, router_b;
    router_a.router = address("fe80::a");
    router_b.router = address("fe80::b");
    tracker.handle_datagram(useropt_message(pref64_option("2001:db8:a::", 100, 0), router_a), now);
    EXPECT_TRUE(tracker.handle_datagram(
        useropt_message(pref64_option("2001:db8:b::", 100, 0), router_b), now));
    EXPECT_EQ(tracker.current()->prefix, prefix("2001:db8:b::/96"));
    EXPECT_EQ(tracker.current()->source, "pref64 from fe80::b on eth0");
    // Router A's periodic RA refreshes its pair: no flip.
    EXPECT_FALSE(tracker.handle_datagram(
        useropt_message(pref64_option("2001:db8:a::", 100, 0), router_a), now));
    EXPECT_EQ(tracker.current()->prefix, prefix("2001:db8:b::/96"));
    // B withdraws: A's still valid prefix takes over.
    EXPECT_TRUE(tracker.handle_datagram(
        useropt_message(pref64_option("2001:db8:b::", 0, 0), router_b), now));
    EXPECT_EQ(tracker.current()->prefix, prefix("2001:db8:a::/96"));
    EXPECT_EQ(tracker.known_prefixes(), 1u);
}

TEST_F(Pref64TrackerTest, SeveralMessagesInOneDatagramAreAllRead) {
    // Renumbering (RFC 8781 4): one RA with the old prefix and the new one after it.
    auto datagram = useropt_message(pref64_option("2001:db8:aaaa::", 100, 0));
    const auto second = useropt_message(pref64_option("2001:db8:bbbb::", 100, 1));
    datagram.insert(datagram.end(), second.begin(), second.end());
    EXPECT_TRUE(tracker.handle_datagram(datagram, now));
    EXPECT_EQ(tracker.counters().messages, 2u);
    EXPECT_EQ(tracker.current()->prefix, prefix("2001:db8:bbbb::/64"));
    EXPECT_EQ(tracker.known_prefixes(), 2u);
}

TEST(Pref64Listener, UnknownInterfaceIsAnErrorNamingIt) {
    boost::asio::io_context io;
    auto listener = Pref64Listener::start(io, "sg-no-such-if", {});
    ASSERT_FALSE(listener.ok());
    EXPECT_NE(listener.error().message.find("sg-no-such-if"), std::string::npos)
        << listener.error().message;
}

}  // namespace
}  // namespace sixgate::clat
