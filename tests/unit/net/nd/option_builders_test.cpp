#include "net/nd/option_builders.hpp"

#include <gtest/gtest.h>

#include <array>

#include "nd_test_vectors.hpp"

namespace sixgate::net::nd {
namespace {

using namespace test;

// Builds into a buffer bigger than needed and returns the written bytes as hex.
std::string built(const NdOption& option) {
    std::array<std::uint8_t, 2048> buffer;
    buffer.fill(0xee);
    auto length = build_option(option, buffer);
    if (!length) return "error: " + length.error().message;
    return to_hex(std::span<const std::uint8_t>(buffer).first(*length));
}

TEST(OptionBuilder, EncodesSourceLinkLayerAddressInOneUnit) {
    EXPECT_EQ(built(slla()), hex::kSlla);
}

TEST(OptionBuilder, EncodesMtu) {
    EXPECT_EQ(built(mtu()), hex::kMtu);
}

TEST(OptionBuilder, EncodesPrefixInformationWithOnLinkAndAutonomousFlags) {
    EXPECT_EQ(built(pio()), hex::kPio);
}

TEST(OptionBuilder, EncodesPrefixInformationWithBothFlagsClearAndInfiniteValidLifetime) {
    EXPECT_EQ(built(pio_off_link()), hex::kPioOffLink);
}

TEST(RouterAdvertisementBuilder, EncodesRouteInformationWithPrefixLength0InOneUnit) {
    EXPECT_EQ(built(rio_0()), hex::kRio0);
}

TEST(RouterAdvertisementBuilder, EncodesRouteInformationWithPrefixLength48InTwoUnits) {
    EXPECT_EQ(built(rio_48()), hex::kRio48);
}

TEST(RouterAdvertisementBuilder, EncodesRouteInformationWithPrefixLength96InThreeUnits) {
    EXPECT_EQ(built(rio_96()), hex::kRio96);
}

TEST(OptionBuilder, ChoosesRouteInformationLengthByPrefixLengthAsRfc4191Says) {
    EXPECT_EQ(route_information_length_units(0), 1);
    EXPECT_EQ(route_information_length_units(1), 2);
    EXPECT_EQ(route_information_length_units(64), 2);
    EXPECT_EQ(route_information_length_units(65), 3);
    EXPECT_EQ(route_information_length_units(128), 3);
}

TEST(OptionBuilder, RefusesRouteInformationWithTheReservedPreference) {
    auto option = rio_48();
    option.preference = RoutePreference::reserved;
    std::array<std::uint8_t, 64> buffer;
    auto length = build_route_information_option(option, buffer);
    ASSERT_FALSE(length);
    EXPECT_EQ(length.error().code, std::make_error_code(std::errc::invalid_argument));
}

TEST(OptionBuilder, EncodesRdnssWithTwoServersInFiveUnits) {
    EXPECT_EQ(built(rdnss()), hex::kRdnss);
}

TEST(OptionBuilder, RefusesRdnssWithoutServersOrWithMoreThan127) {
    std::array<std::uint8_t, 4096> buffer;
    EXPECT_FALSE(build_rdnss_option(RdnssOption{600, {}}, buffer));
    RdnssOption many{600, std::vector<Ipv6Address>(128, address("2001:db8::53"))};
    EXPECT_FALSE(build_rdnss_option(many, buffer));
    many.servers.pop_back();
    auto length = build_rdnss_option(many, buffer);
    ASSERT_TRUE(length);
    EXPECT_EQ(*length, 255u * 8);
    EXPECT_EQ(buffer[1], 255);
}

TEST(OptionBuilder, EncodesDnsslAsRfc1035LabelsPaddedWithZerosToEightBytes) {
    EXPECT_EQ(built(dnssl()), hex::kDnssl);
}

TEST(OptionBuilder, DropsATrailingDotFromDnsslNames) {
    EXPECT_EQ(built(DnsslOption{1200, {"corp.example.", "example.com."}}), hex::kDnssl);
}

TEST(OptionBuilder, PadsNothingWhenTheDnsslNamesEndOnAnEightByteBoundary) {
    // "abcdef" encodes to 1 + 6 + 1 = 8 bytes: the option is exactly two units.
    EXPECT_EQ(built(DnsslOption{1, {"abcdef"}}),
              "1f0200000000000106616263646566"
              "00");
}

TEST(OptionBuilder, RefusesDnsslNamesThatCannotBeEncoded) {
    std::array<std::uint8_t, 4096> buffer;
    const std::string label64(64, 'a');
    const std::string label63(63, 'a');
    const std::string name256 = label63 + "." + label63 + "." + label63 + "." + label63;  // 257
    for (const std::string& bad :
         {std::string(), std::string("."), std::string("a..b"), std::string(".a"), label64,
          std::string("sp ace.example"), std::string("tab\t.example"), name256}) {
        EXPECT_FALSE(build_dnssl_option(DnsslOption{1, {bad}}, buffer)) << "'" << bad << "'";
    }
    EXPECT_FALSE(build_dnssl_option(DnsslOption{1, {}}, buffer));
    const std::string name253 =
        label63 + "." + label63 + "." + label63 + "." + std::string(61, 'a');
    EXPECT_TRUE(build_dnssl_option(DnsslOption{1, {name253}}, buffer));  // 255 bytes encoded
}

TEST(OptionBuilder, EncodesPref64Of96WithCode0AndScaledLifetime) {
    EXPECT_EQ(built(pref64_96()), hex::kPref64Of96);
}

TEST(OptionBuilder, EncodesPref64Of56WithCode2) {
    EXPECT_EQ(built(pref64_56()), hex::kPref64Of56);
}

TEST(OptionBuilder, EncodesPref64Of32WithCode5AndTheLargestScaledLifetime) {
    EXPECT_EQ(built(pref64_32()), hex::kPref64Of32);
}

TEST(OptionBuilder, RefusesPref64WithoutALengthCodeOrWithTooLongALifetime) {
    std::array<std::uint8_t, 16> buffer;
    EXPECT_FALSE(build_pref64_option(Pref64Option{prefix("64:ff9b::/80"), 1}, buffer));
    EXPECT_FALSE(build_pref64_option(Pref64Option{prefix("64:ff9b::/96"), 8192}, buffer));
}

TEST(Pref64Option, ScalesLifetimesUpToAMultipleOfEightSecondsCappedAt8191Units) {
    EXPECT_EQ(Pref64Option::scaled_lifetime_from_seconds(0), 0);
    EXPECT_EQ(Pref64Option::scaled_lifetime_from_seconds(1), 1);
    EXPECT_EQ(Pref64Option::scaled_lifetime_from_seconds(8), 1);
    EXPECT_EQ(Pref64Option::scaled_lifetime_from_seconds(1800), 225);
    EXPECT_EQ(Pref64Option::scaled_lifetime_from_seconds(65528), 8191);
    EXPECT_EQ(Pref64Option::scaled_lifetime_from_seconds(1000000), 8191);
    EXPECT_EQ(pref64_96().lifetime_seconds(), 1800u);
}

TEST(OptionBuilder, ReportsTheSpaceNeededWhenTheBufferIsTooSmall) {
    for (const NdOption& option : std::vector<NdOption>{slla(), mtu(), pio(), rio_0(), rio_48(),
                                                        rio_96(), rdnss(), dnssl(), pref64_96()}) {
        const std::size_t needed = from_hex(built(option)).size();
        std::vector<std::uint8_t> buffer(needed - 1);
        auto length = build_option(option, buffer);
        ASSERT_FALSE(length);
        EXPECT_EQ(length.error().code, std::make_error_code(std::errc::no_buffer_space));
        EXPECT_NE(length.error().message.find("needs " + std::to_string(needed) + " bytes"),
                  std::string::npos)
            << length.error().message;
    }
}

}  // namespace
}  // namespace sixgate::net::nd
