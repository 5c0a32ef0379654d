#include "xlat/rfc6052.hpp"

#include <gtest/gtest.h>

#include <string>

#include "mapping_test_util.hpp"

namespace sixgate::xlat {
namespace {

using namespace sixgate::xlat::testing;

Rfc6052Prefix make(std::string_view text) {
    auto prefix = Rfc6052Prefix::create(p6(text));
    EXPECT_TRUE(prefix) << text << ": " << (prefix ? "" : prefix.error().message);
    return prefix ? *prefix : Rfc6052Prefix::well_known();
}

// RFC 6052 2.4: 192.0.2.33 embedded at every prefix length, with the bytes written out by hand
// from Figure 1 of section 2.2 (u octet is byte 8).
struct EmbeddingExample {
    const char* prefix;
    const char* rfc_text;  // the address as RFC 6052 2.4 prints it
    net::Ipv6Address::Bytes bytes;
};

const EmbeddingExample kExamples[] = {
    {"2001:db8::/32",
     "2001:db8:c000:221::",
     {0x20, 0x01, 0x0d, 0xb8, 0xc0, 0x00, 0x02, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00}},
    {"2001:db8:100::/40",
     "2001:db8:1c0:2:21::",
     {0x20, 0x01, 0x0d, 0xb8, 0x01, 0xc0, 0x00, 0x02, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00}},
    {"2001:db8:122::/48",
     "2001:db8:122:c000:2:2100::",
     {0x20, 0x01, 0x0d, 0xb8, 0x01, 0x22, 0xc0, 0x00, 0x00, 0x02, 0x21, 0x00, 0x00, 0x00, 0x00,
      0x00}},
    {"2001:db8:122:300::/56",
     "2001:db8:122:3c0:0:221::",
     {0x20, 0x01, 0x0d, 0xb8, 0x01, 0x22, 0x03, 0xc0, 0x00, 0x00, 0x02, 0x21, 0x00, 0x00, 0x00,
      0x00}},
    {"2001:db8:122:344::/64",
     "2001:db8:122:344:c0:2:2100:0",
     {0x20, 0x01, 0x0d, 0xb8, 0x01, 0x22, 0x03, 0x44, 0x00, 0xc0, 0x00, 0x02, 0x21, 0x00, 0x00,
      0x00}},
    {"2001:db8:122:344::/96",
     "2001:db8:122:344::192.0.2.33",
     {0x20, 0x01, 0x0d, 0xb8, 0x01, 0x22, 0x03, 0x44, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02,
      0x21}},
    {"64:ff9b::/96",
     "64:ff9b::192.0.2.33",
     {0x00, 0x64, 0xff, 0x9b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xc0, 0x00, 0x02,
      0x21}},
};

TEST(Rfc6052Embed, MatchesTheRfcExampleTableByteForByteAtEveryLength) {
    RecordProperty("rfc", "6052 2.4");
    for (const EmbeddingExample& example : kExamples) {
        SCOPED_TRACE(example.prefix);
        const net::Ipv6Address embedded = make(example.prefix).embed(v4("192.0.2.33"));
        EXPECT_EQ(embedded.bytes(), example.bytes);
        EXPECT_EQ(embedded, v6(example.rfc_text));
    }
}

TEST(Rfc6052Extract, ReadsTheRfcExampleTableBackAtEveryLength) {
    RecordProperty("rfc", "6052 2.4");
    for (const EmbeddingExample& example : kExamples) {
        SCOPED_TRACE(example.prefix);
        EXPECT_EQ(make(example.prefix).extract(net::Ipv6Address(example.bytes)), v4("192.0.2.33"));
    }
}

TEST(Rfc6052Embed, RoundTripsEveryOctetValueAtEveryLength) {
    RecordProperty("rfc", "6052 2.2");
    for (int length : Rfc6052Prefix::kLengths) {
        SCOPED_TRACE(length);
        const auto prefix =
            *Rfc6052Prefix::create(net::Ipv6Prefix(v6("2001:db8:aaaa:bbbb::"), length));
        for (std::uint32_t i = 0; i < 256; ++i) {
            // Every byte position sees every value, and the neighbours differ.
            const net::Ipv4Address address(std::uint8_t(i), std::uint8_t(255 - i),
                                           std::uint8_t(i * 7), std::uint8_t(i ^ 0x5a));
            const net::Ipv6Address embedded = prefix.embed(address);
            EXPECT_TRUE(prefix.contains(embedded));
            EXPECT_EQ(prefix.extract(embedded), address);
        }
    }
}

TEST(Rfc6052Embed, LeavesTheUOctetAndSuffixZero) {
    RecordProperty("rfc", "6052 2.2");
    for (int length : Rfc6052Prefix::kLengths) {
        SCOPED_TRACE(length);
        const auto prefix =
            *Rfc6052Prefix::create(net::Ipv6Prefix(v6("2001:db8:aaaa:bbbb::"), length));
        const auto bytes = prefix.embed(net::Ipv4Address(0xffffffffu)).bytes();
        EXPECT_EQ(bytes[8], 0) << "u octet";
        // Prefix bytes, then 4 IPv4 bytes (5 positions when the u octet falls among them).
        const int ipv4_end = length / 8 + (length <= 64 ? 5 : 4);
        for (int i = ipv4_end; i < 16; ++i) EXPECT_EQ(bytes[i], 0) << "suffix byte " << i;
    }
}

TEST(Rfc6052Extract, IgnoresANonZeroUOctetAndSuffix) {
    RecordProperty("rfc", "6052 2.2");
    const auto prefix = make("2001:db8:122:344::/64");
    EXPECT_EQ(prefix.extract(v6("2001:db8:122:344:ffc0:2:21ff:ffff")), v4("192.0.2.33"));
    const auto short_prefix = make("2001:db8::/32");
    EXPECT_EQ(short_prefix.extract(v6("2001:db8:c000:221:ff00:1:2:3")), v4("192.0.2.33"));
}

TEST(Rfc6052Extract, GivesNothingForAnAddressOutsideThePrefix) {
    const auto prefix = make("2001:db8:122::/48");
    EXPECT_FALSE(prefix.extract(v6("2001:db8:123:c000:2:2100::")));
    EXPECT_FALSE(Rfc6052Prefix::well_known().extract(v6("64:ff9b:1::c000:221")));
    EXPECT_FALSE(prefix.contains(v6("::1")));
}

TEST(Rfc6052PrefixCreate, RefusesLengthsOtherThanTheSixOfTheRfc) {
    RecordProperty("rfc", "6052 2.2");
    for (int length : {0, 24, 33, 60, 72, 80, 95, 97, 128}) {
        SCOPED_TRACE(length);
        auto prefix = Rfc6052Prefix::create(net::Ipv6Prefix(v6("2001:db8::"), length));
        ASSERT_FALSE(prefix);
        EXPECT_NE(prefix.error().message.find(
                      "must be /32, /40, /48, /56, /64 or /96 (RFC 6052 2.2), found /" +
                      std::to_string(length)),
                  std::string::npos)
            << prefix.error().message;
    }
}

TEST(Rfc6052PrefixCreate, RefusesASlash96WithTheUOctetSet) {
    RecordProperty("rfc", "6052 2.2");
    auto prefix = Rfc6052Prefix::create(p6("2001:db8:122:344:100::/96"));
    ASSERT_FALSE(prefix);
    EXPECT_EQ(
        prefix.error().message,
        "2001:db8:122:344:100::/96: bits 64..71 (the u octet) of an RFC 6052 prefix must be zero "
        "(RFC 6052 2.2)");
    // The bits right after the u octet are fine.
    EXPECT_TRUE(Rfc6052Prefix::create(p6("2001:db8:122:344:1::/96")));
}

TEST(Rfc6052PrefixCreate, AcceptsEveryRfcLength) {
    for (int length : Rfc6052Prefix::kLengths) {
        auto prefix = Rfc6052Prefix::create(net::Ipv6Prefix(v6("2001:db8:1:2::"), length));
        ASSERT_TRUE(prefix) << length;
        EXPECT_EQ(prefix->length(), length);
    }
}

TEST(Rfc6052Prefix, KnowsTheWellKnownPrefixAndOnlyIt) {
    RecordProperty("rfc", "6052 2.1");
    EXPECT_TRUE(Rfc6052Prefix::well_known().is_well_known());
    EXPECT_EQ(Rfc6052Prefix::well_known().prefix(), p6("64:ff9b::/96"));
    EXPECT_TRUE(make("64:ff9b::/96").is_well_known());
    EXPECT_FALSE(make("64:ff9b::/64").is_well_known());
    EXPECT_FALSE(make("64:ff9b:1::/48").is_well_known());
    EXPECT_FALSE(make("2001:db8::/96").is_well_known());
}

TEST(Rfc6052WellKnownPrefix, RefusesNonGlobalIpv4Addresses) {
    RecordProperty("rfc", "6052 3.1");
    const auto wkp = Rfc6052Prefix::well_known();
    for (const char* text : {"10.0.0.1", "172.16.5.4", "192.168.1.1", "100.64.0.1", "192.0.2.1",
                             "198.51.100.7", "203.0.113.9", "169.254.1.1", "127.0.0.1", "0.0.0.0",
                             "224.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.0.1"}) {
        EXPECT_FALSE(wkp.allowed(v4(text))) << text;
    }
}

TEST(Rfc6052WellKnownPrefix, AcceptsGlobalIpv4Addresses) {
    RecordProperty("rfc", "6052 3.1");
    const auto wkp = Rfc6052Prefix::well_known();
    EXPECT_TRUE(wkp.allowed(kGlobalIpv4));
    EXPECT_TRUE(wkp.allowed(v4("192.0.0.9")));  // PCP anycast: global inside 192.0.0.0/24
}

TEST(Rfc6052NetworkSpecificPrefix, AcceptsAnyIpv4Address) {
    RecordProperty("rfc", "6052 3.1");
    for (const char* prefix_text :
         {"2001:db8:64::/96", "64:ff9b:1::/48"}) {  // RFC 8215 local use is not the WKP
        const auto prefix = make(prefix_text);
        for (const char* text : {"10.0.0.1", "192.0.2.1", "100.64.0.1", "8.8.8.8"})
            EXPECT_TRUE(prefix.allowed(v4(text))) << prefix_text << " " << text;
    }
}

}  // namespace
}  // namespace sixgate::xlat
