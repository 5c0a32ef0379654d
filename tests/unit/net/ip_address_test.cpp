#include "net/ip_address.hpp"

#include <gtest/gtest.h>

namespace sixgate::net {
namespace {

TEST(Ipv4AddressParse, AcceptsDottedQuad) {
    auto address = Ipv4Address::parse("131.107.0.2");
    ASSERT_TRUE(address);
    EXPECT_EQ(address->to_uint(), 0x836b0002u);
    EXPECT_EQ(address->to_string(), "131.107.0.2");
}

struct BadIpv4 {
    const char* text;
    const char* message;
};

void PrintTo(const BadIpv4& input, std::ostream* out) { *out << '"' << input.text << '"'; }

class Ipv4AddressRejects : public testing::TestWithParam<BadIpv4> {};

TEST_P(Ipv4AddressRejects, WithASpecificReason) {
    auto address = Ipv4Address::parse(GetParam().text);
    ASSERT_FALSE(address);
    EXPECT_EQ(address.error().message, GetParam().message);
    EXPECT_EQ(address.error().code, std::errc::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(
    BadInputs, Ipv4AddressRejects,
    testing::Values(
        BadIpv4{"1.2.3", "'1.2.3' is not a valid address: expected 4 dot-separated parts, found 3"},
        BadIpv4{"300.1.1.1", "'300.1.1.1' is not a valid address: part 1 '300' is above 255"},
        BadIpv4{"::1", "'::1' is not a valid address: this is IPv6 text, an IPv4 address (A.B.C.D) is expected"},
        BadIpv4{"", "'' is not a valid address: empty"},
        BadIpv4{"10.0.0.0/24", "'10.0.0.0/24' is not a valid address: a prefix length is not allowed here, give the address alone"},
        BadIpv4{"1.2..4", "'1.2..4' is not a valid address: part 3 is empty"},
        BadIpv4{"1.2.3.x", "'1.2.3.x' is not a valid address: part 4 'x' is not a number"},
        BadIpv4{"01.2.3.4", "'01.2.3.4' is not a valid address: part 1 '01' has a leading zero (ambiguous: octal in some tools)"},
        BadIpv4{"1.2.3.4.5", "'1.2.3.4.5' is not a valid address: expected 4 dot-separated parts, found 5"},
        BadIpv4{"1.2.3.99999999999", "'1.2.3.99999999999' is not a valid address: part 4 '99999999999' is above 255"},
        BadIpv4{" 1.2.3.4", "' 1.2.3.4' is not a valid address: part 1 ' 1' is not a number"}));

struct Rfc5952Case {
    const char* input;
    const char* canonical;
};

void PrintTo(const Rfc5952Case& input, std::ostream* out) { *out << input.input; }

class Ipv6AddressRfc5952 : public testing::TestWithParam<Rfc5952Case> {};

TEST_P(Ipv6AddressRfc5952, PrintsTheCanonicalForm) {
    auto address = Ipv6Address::parse(GetParam().input);
    ASSERT_TRUE(address) << address.error().message;
    EXPECT_EQ(address->to_string(), GetParam().canonical);
}

// RFC 5952 4.1 (leading zeros), 4.2.1 (shorten as much as possible), 4.2.2 (not one group),
// 4.2.3 (longest run, first on a tie), 4.3 (lower case), 5 (IPv4-mapped dotted).
INSTANTIATE_TEST_SUITE_P(
    Rfc5952, Ipv6AddressRfc5952,
    testing::Values(Rfc5952Case{"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
                    Rfc5952Case{"2001:db8:0:0:0:0:2:1", "2001:db8::2:1"},
                    Rfc5952Case{"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"},
                    Rfc5952Case{"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"},
                    Rfc5952Case{"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"},
                    Rfc5952Case{"2001:DB8::ABCD", "2001:db8::abcd"},
                    Rfc5952Case{"::", "::"},
                    Rfc5952Case{"::1", "::1"},
                    Rfc5952Case{"1::", "1::"},
                    Rfc5952Case{"::ffff:192.0.2.1", "::ffff:192.0.2.1"},
                    Rfc5952Case{"::ffff:c000:0201", "::ffff:192.0.2.1"},
                    Rfc5952Case{"2002:836b:0002:3333:0:0:0:1", "2002:836b:2:3333::1"},
                    Rfc5952Case{"2001:0:836b:2::", "2001:0:836b:2::"},
                    Rfc5952Case{"64:ff9b::192.0.2.33", "64:ff9b::c000:221"},
                    Rfc5952Case{"fe80::5efe:10.0.0.1", "fe80::5efe:a00:1"}));

TEST(Ipv6AddressParse, RejectsTwoDoubleColons) {
    auto address = Ipv6Address::parse("1::2::3");
    ASSERT_FALSE(address);
    EXPECT_EQ(address.error().message, "'1::2::3' is not a valid address: '::' may appear only once");
}

TEST(Ipv6AddressParse, RejectsNineGroups) {
    EXPECT_FALSE(Ipv6Address::parse("1:2:3:4:5:6:7:8:9"));
    EXPECT_FALSE(Ipv6Address::parse("1:2:3:4::5:6:7:8"));
}

TEST(Ipv6AddressParse, RejectsFiveHexDigits) {
    auto address = Ipv6Address::parse("12345::");
    ASSERT_FALSE(address);
    EXPECT_EQ(address.error().message, "'12345::' is not a valid address: group '12345' has more than 4 hex digits");
}

TEST(Ipv6AddressParse, RejectsIpv4Text) {
    auto address = Ipv6Address::parse("1.2.3.4");
    ASSERT_FALSE(address);
    EXPECT_EQ(address.error().message, "'1.2.3.4' is not a valid address: no ':' found, an IPv6 address is expected");
}

TEST(Ipv6AddressParse, RejectsSingleColonAtEitherEnd) {
    EXPECT_FALSE(Ipv6Address::parse(":1:2:3:4:5:6:7"));
    EXPECT_FALSE(Ipv6Address::parse("1:2:3:4:5:6:7:"));
}

TEST(Ipv6AddressParse, RejectsDottedIpv4BeforeTheEnd) {
    EXPECT_FALSE(Ipv6Address::parse("::1.2.3.4:1"));
}

TEST(Ipv6AddressParse, RejectsZoneAndPrefix) {
    EXPECT_FALSE(Ipv6Address::parse("fe80::1%eth0"));
    EXPECT_FALSE(Ipv6Address::parse("2001:db8::/32"));
}

}  // namespace
}  // namespace sixgate::net
