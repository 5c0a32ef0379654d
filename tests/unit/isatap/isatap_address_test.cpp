// ISATAP addresses (RFC 5214 6.1/6.2) and the 6to4 embedding (RFC 3056 2).

#include <gtest/gtest.h>

#include "isatap/isatap_address.hpp"

namespace sixgate::isatap {
namespace {

net::Ipv6Address v6(const char* text) { return *net::Ipv6Address::parse(text); }
net::Ipv4Address v4(const char* text) { return *net::Ipv4Address::parse(text); }
net::Ipv6Prefix p6(const char* text) { return *net::Ipv6Prefix::parse(text); }

TEST(IsatapAddress, PrivateIpv4GetsTheLocalInterfaceIdentifier) {
    RecordProperty("rfc", "5214 6.1");
    EXPECT_EQ(isatap_address(p6("2002:836b:2:8000::/64"), v4("10.1.0.20")), v6("2002:836b:2:8000:0:5efe:a01:14"));
}

TEST(IsatapAddress, GlobalIpv4SetsTheUniversalBit) {
    RecordProperty("rfc", "5214 6.1");
    EXPECT_EQ(isatap_address(p6("2002:836b:2:8000::/64"), v4("131.107.0.2")),
              v6("2002:836b:2:8000:200:5efe:836b:2"));
}

TEST(IsatapAddress, DocumentationAndSharedIpv4AreNotGlobal) {
    RecordProperty("rfc", "5214 6.1");
    EXPECT_EQ(isatap_address(p6("2001:db8::/64"), v4("192.0.2.1")), v6("2001:db8::5efe:c000:201"));
    EXPECT_EQ(isatap_address(p6("2001:db8::/64"), v4("100.64.0.1")), v6("2001:db8::5efe:6440:1"));
}

TEST(IsatapAddress, ReplacesTheLow64BitsOfThePrefixAddress) {
    RecordProperty("rfc", "5214 6.1");
    // Ipv6Prefix clears host bits; the result never keeps anything of them.
    EXPECT_EQ(isatap_address(p6("2001:db8:1:2::/64"), v4("10.0.0.1")), v6("2001:db8:1:2:0:5efe:a00:1"));
}

TEST(IsatapAddress, LinkLocalIsFe80WithTheIsatapIdentifier) {
    RecordProperty("rfc", "5214 6.2");
    EXPECT_EQ(isatap_link_local(v4("10.1.0.1")), v6("fe80::5efe:a01:1"));
    EXPECT_EQ(isatap_link_local(v4("8.8.8.8")), v6("fe80::200:5efe:808:808"));
}

TEST(IsatapAddress, EmbeddedIpv4AcceptsBothIdentifierFormsInAnyPrefix) {
    RecordProperty("rfc", "5214 6.1");
    EXPECT_EQ(embedded_ipv4(v6("fe80::5efe:a01:14")), v4("10.1.0.20"));
    EXPECT_EQ(embedded_ipv4(v6("fe80::200:5efe:808:808")), v4("8.8.8.8"));
    EXPECT_EQ(embedded_ipv4(v6("2001:db8:ffff:1::5efe:c0a8:101")), v4("192.168.1.1"));
    // The "u" bit is the sender's choice: a private address with it set still names that address.
    EXPECT_EQ(embedded_ipv4(v6("2001:db8::200:5efe:a00:1")), v4("10.0.0.1"));
}

TEST(IsatapAddress, EmbeddedIpv4RejectsOtherIdentifiers) {
    RecordProperty("rfc", "5214 6.1");
    EXPECT_FALSE(embedded_ipv4(v6("fe80::1")));
    EXPECT_FALSE(embedded_ipv4(v6("fe80::100:5efe:a00:1")));   // group bit, not u
    EXPECT_FALSE(embedded_ipv4(v6("fe80::300:5efe:a00:1")));   // u and g
    EXPECT_FALSE(embedded_ipv4(v6("fe80::1:5efe:a00:1")));     // byte 9 not zero
    EXPECT_FALSE(embedded_ipv4(v6("fe80::5eff:a00:1")));       // wrong tag
    EXPECT_FALSE(embedded_ipv4(v6("2001:db8::5efe:0:0:0")));   // tag at the wrong place
}

TEST(SixToFourAddress, EmbedsTheIpv4InBits16To47) {
    RecordProperty("rfc", "3056 2");
    EXPECT_EQ(sixtofour_ipv4(v6("2002:c058:6301::1")), v4("192.88.99.1"));
    EXPECT_EQ(sixtofour_ipv4(v6("2002:836b:2:1000::5")), v4("131.107.0.2"));
    EXPECT_FALSE(sixtofour_ipv4(v6("2003:c058:6301::1")));
    EXPECT_FALSE(sixtofour_ipv4(v6("2001:db8::1")));
}

}  // namespace
}  // namespace sixgate::isatap
