#include "net/nd/option_parsers.hpp"

#include <gtest/gtest.h>

#include "net/nd/option_builders.hpp"
#include "nd_test_vectors.hpp"

namespace sixgate::net::nd {
namespace {

using namespace test;

TEST(OptionParser, ReadsEveryVectorBackToItsValue) {
    EXPECT_EQ(*parse_source_link_layer_address_option(from_hex(hex::kSlla)), slla());
    EXPECT_EQ(*parse_mtu_option(from_hex(hex::kMtu)), mtu());
    EXPECT_EQ(*parse_prefix_information_option(from_hex(hex::kPio)), pio());
    EXPECT_EQ(*parse_prefix_information_option(from_hex(hex::kPioOffLink)), pio_off_link());
    EXPECT_EQ(*parse_route_information_option(from_hex(hex::kRio0)), rio_0());
    EXPECT_EQ(*parse_route_information_option(from_hex(hex::kRio48)), rio_48());
    EXPECT_EQ(*parse_route_information_option(from_hex(hex::kRio96)), rio_96());
    EXPECT_EQ(*parse_rdnss_option(from_hex(hex::kRdnss)), rdnss());
    EXPECT_EQ(*parse_dnssl_option(from_hex(hex::kDnssl)), dnssl());
    EXPECT_EQ(*parse_pref64_option(from_hex(hex::kPref64Of96)), pref64_96());
    EXPECT_EQ(*parse_pref64_option(from_hex(hex::kPref64Of56)), pref64_56());
    EXPECT_EQ(*parse_pref64_option(from_hex(hex::kPref64Of32)), pref64_32());
}

TEST(OptionParser, ReportsCommonProblemsBeforeReadingContents) {
    EXPECT_EQ(parse_pref64_option({}).reason(), NdDropReason::too_short);
    EXPECT_EQ(parse_pref64_option(from_hex("26")).reason(), NdDropReason::too_short);
    EXPECT_EQ(parse_pref64_option(from_hex(hex::kRdnss)).reason(), NdDropReason::wrong_type);
    EXPECT_EQ(parse_pref64_option(from_hex("2600")).reason(), NdDropReason::zero_length_option);
    // Length 2 says 16 bytes; only 15 are there.
    EXPECT_EQ(parse_pref64_option(from_hex(hex::kPref64Of96.substr(0, 30))).reason(),
              NdDropReason::too_short);
}

TEST(OptionParser, ReadsOnlyTheLengthTheOptionDeclares) {
    // As RTM_NEWNDUSEROPT may hand over trailing bytes: they are not part of the option.
    auto bytes = from_hex(std::string(hex::kMtu) + "ffffffff");
    EXPECT_EQ(*parse_mtu_option(bytes), mtu());
}

TEST(OptionParser, RejectsSourceLinkLayerAddressOfOtherThanOneUnit) {
    EXPECT_EQ(parse_source_link_layer_address_option(from_hex("010202005e0053010000000000000000"))
                  .reason(),
              NdDropReason::bad_option_contents);
}

TEST(OptionParser, RejectsMtuOfOtherThanOneUnit) {
    EXPECT_EQ(parse_mtu_option(from_hex("05020000000005c80000000000000000")).reason(),
              NdDropReason::bad_option_contents);
}

TEST(OptionParser, RejectsPrefixInformationOfWrongLengthOrPrefixLengthAbove128) {
    auto three_units = from_hex(hex::kPio);
    three_units[1] = 3;
    EXPECT_EQ(parse_prefix_information_option(three_units).reason(),
              NdDropReason::bad_option_contents);
    auto long_prefix = from_hex(hex::kPio);
    long_prefix[2] = 129;
    EXPECT_EQ(parse_prefix_information_option(long_prefix).reason(),
              NdDropReason::bad_option_contents);
}

TEST(OptionParser, IgnoresPrefixBitsBeyondThePrefixLength) {
    // RFC 4861 4.6.2: reserved bits after the prefix length are ignored on receipt.
    auto bytes = from_hex(hex::kPio);
    bytes[31] = 0x01;  // last byte of the prefix field, past /64
    EXPECT_EQ(*parse_prefix_information_option(bytes), pio());
}

TEST(OptionParser, RejectsRouteInformationWithTheReservedPreference) {
    auto bytes = from_hex(hex::kRio48);
    bytes[3] = 0x10;  // Prf = 10
    EXPECT_EQ(parse_route_information_option(bytes).reason(), NdDropReason::bad_option_contents);
}

TEST(OptionParser, RejectsRouteInformationWhoseLengthCannotHoldThePrefix) {
    // /48 in one unit, /96 in two units, and Length 4.
    EXPECT_EQ(parse_route_information_option(from_hex("1801300800000708")).reason(),
              NdDropReason::bad_option_contents);
    EXPECT_EQ(parse_route_information_option(from_hex("1802600000000384"
                                                      "0064ff9b00000000"))
                  .reason(),
              NdDropReason::bad_option_contents);
    auto four_units = from_hex(std::string(hex::kRio96) + "0000000000000000");
    four_units[1] = 4;
    EXPECT_EQ(parse_route_information_option(four_units).reason(),
              NdDropReason::bad_option_contents);
    auto long_prefix = from_hex(hex::kRio96);
    long_prefix[2] = 129;
    EXPECT_EQ(parse_route_information_option(long_prefix).reason(),
              NdDropReason::bad_option_contents);
}

TEST(OptionParser, AcceptsRouteInformationLongerThanThePrefixNeeds) {
    // RFC 4191 2.3: a /48 may come in three units, a /0 in two.
    auto bytes = from_hex("180330080000070820010db8010000000000000000000000");
    EXPECT_EQ(*parse_route_information_option(bytes), rio_48());
    EXPECT_EQ(*parse_route_information_option(from_hex("1802001800000258" "0000000000000000")),
              rio_0());
}

TEST(OptionParser, RejectsRdnssOfEvenLengthOrWithoutAddresses) {
    EXPECT_EQ(parse_rdnss_option(from_hex("19010000000004b0")).reason(),
              NdDropReason::bad_option_contents);
    auto even = from_hex(hex::kRdnss.substr(0, 64));  // four units
    even[1] = 4;
    EXPECT_EQ(parse_rdnss_option(even).reason(), NdDropReason::bad_option_contents);
}

TEST(OptionParser, RejectsMalformedDnsslNames) {
    const std::string header = "1f030000000004b0";
    for (const char* names : {
             "c00c000000000000" "0000000000000000",  // compression pointer
             "4061616161616161" "6161616161616161",  // label of 64
             "0f61616161616161" "6161616161616161",  // label runs past the end
             "0361622e00000000" "0000000000000000",  // a '.' inside a label
             "0361200000000000" "0000000000000000",  // a space inside a label
             "0000000000000000" "0000000000000000",  // no name at all
         }) {
        auto parsed = parse_dnssl_option(from_hex(header + names));
        ASSERT_FALSE(parsed) << names;
        EXPECT_EQ(parsed.reason(), NdDropReason::bad_option_contents) << names;
    }
    EXPECT_EQ(parse_dnssl_option(from_hex("1f010000000004b0")).reason(),
              NdDropReason::bad_option_contents);  // RFC 8106 5.2: Length is at least 2
}

TEST(OptionParser, StopsReadingDnsslNamesAtThePadding) {
    // "abcde", its root label, then padding; "abc" after the padding is not a name.
    auto parsed = parse_dnssl_option(from_hex("1f030000000004b0"
                                              "0561626364650000"
                                              "0361626300000000"));
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->domains, std::vector<std::string>{"abcde"});
}

TEST(OptionParser, RejectsADnsslNameLeftUnterminatedAtTheEnd) {
    // "abcdefg" fills the rest of the option with no root label after it.
    EXPECT_EQ(parse_dnssl_option(from_hex("1f020000000004b00761626364656667")).reason(),
              NdDropReason::bad_option_contents);
}

TEST(OptionParser, RejectsPref64OfOtherThanTwoUnitsOrWithAnUndefinedLengthCode) {
    auto three_units = from_hex(std::string(hex::kPref64Of96) + "0000000000000000");
    three_units[1] = 3;
    EXPECT_EQ(parse_pref64_option(three_units).reason(), NdDropReason::bad_option_contents);
    for (std::uint8_t code : {6, 7}) {
        auto bytes = from_hex(hex::kPref64Of96);
        bytes[3] = static_cast<std::uint8_t>((bytes[3] & 0xf8) | code);
        EXPECT_EQ(parse_pref64_option(bytes).reason(), NdDropReason::bad_option_contents);
    }
}

TEST(OptionParser, ReadsEveryPref64LengthCode) {
    const std::array<int, 6> lengths{96, 64, 56, 48, 40, 32};
    for (std::uint8_t code = 0; code < 6; ++code) {
        auto bytes = from_hex(hex::kPref64Of96);
        bytes[3] = static_cast<std::uint8_t>((bytes[3] & 0xf8) | code);
        auto parsed = parse_pref64_option(bytes);
        ASSERT_TRUE(parsed);
        EXPECT_EQ(parsed->prefix.length(), lengths[code]);
        EXPECT_EQ(parsed->scaled_lifetime, 225);
    }
}

TEST(OptionParser, RoundTripsRouteInformationForEveryPrefixLength) {
    for (int length = 0; length <= 128; ++length) {
        const Ipv6Address all_ones = address("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
        const RouteInformationOption option{Ipv6Prefix(all_ones, length), RoutePreference::low, 77};
        std::array<std::uint8_t, 24> buffer;
        auto written = build_route_information_option(option, buffer);
        ASSERT_TRUE(written);
        EXPECT_EQ(*written, route_information_length_units(length) * 8u);
        auto parsed = parse_route_information_option(std::span(buffer).first(*written));
        ASSERT_TRUE(parsed) << length;
        EXPECT_EQ(*parsed, option) << length;
    }
}

}  // namespace
}  // namespace sixgate::net::nd
