#include "net/nd/router_messages.hpp"

#include <gtest/gtest.h>

#include <array>
#include <set>

#include "nd_test_vectors.hpp"
#include "net/nd/option_builders.hpp"

namespace sixgate::net::nd {
namespace {

using namespace test;

std::vector<std::uint8_t> built(const RouterAdvertisement& ra, const Ipv6Address& source,
                                const Ipv6Address& destination) {
    std::array<std::uint8_t, 1500> buffer;
    auto length = build_router_advertisement(ra, buffer);
    EXPECT_TRUE(length) << (length ? "" : length.error().message);
    if (!length) return {};
    auto message = std::span(buffer).first(*length);
    fill_icmpv6_checksum(message, source, destination);
    return {message.begin(), message.end()};
}

std::vector<std::uint8_t> built(const RouterSolicitation& rs, const Ipv6Address& source,
                                const Ipv6Address& destination) {
    std::array<std::uint8_t, 64> buffer;
    auto length = build_router_solicitation(rs, buffer);
    EXPECT_TRUE(length) << (length ? "" : length.error().message);
    if (!length) return {};
    auto message = std::span(buffer).first(*length);
    fill_icmpv6_checksum(message, source, destination);
    return {message.begin(), message.end()};
}

// Rewrites the checksum after a test edits a message, so that the edit is what gets judged.
std::vector<std::uint8_t> rechecksummed(std::vector<std::uint8_t> message,
                                        const Ipv6Address& source = kRouterLinkLocal,
                                        const Ipv6Address& destination = kAllNodes) {
    fill_icmpv6_checksum(message, source, destination);
    return message;
}

NdParseResult<RouterAdvertisement> parse_ra(std::span<const std::uint8_t> icmp,
                                            std::uint8_t hop_limit = 255,
                                            const Ipv6Address& source = kRouterLinkLocal) {
    return parse_router_advertisement(icmp, hop_limit, source, kAllNodes);
}

NdParseResult<RouterSolicitation> parse_rs(std::span<const std::uint8_t> icmp,
                                           const Ipv6Address& source = kHostLinkLocal,
                                           std::uint8_t hop_limit = 255) {
    return parse_router_solicitation(icmp, hop_limit, source, kAllRouters);
}

// An RA with one extra option appended to ra_not_default_router, checksum fixed.
std::vector<std::uint8_t> ra_with_option(std::string_view option_hex) {
    return rechecksummed(from_hex(std::string(hex::kRaNotDefaultRouter) + std::string(option_hex)));
}

// ---- building -------------------------------------------------------------------------------

TEST(RouterAdvertisementBuilder, EncodesTheFullAdvertisementByteForByte) {
    EXPECT_EQ(to_hex(built(ra_full(), kRouterLinkLocal, kAllNodes)), hex::kRaFull);
}

TEST(RouterAdvertisementBuilder, EncodesManagedFlagAndZeroLifetimeWithoutOptions) {
    EXPECT_EQ(to_hex(built(ra_not_default_router(), kRouterLinkLocal, kAllNodes)),
              hex::kRaNotDefaultRouter);
}

TEST(RouterAdvertisementBuilder, LeavesTheChecksumZeroUntilItIsFilled) {
    std::array<std::uint8_t, 16> buffer;
    buffer.fill(0xee);
    auto length = build_router_advertisement(ra_not_default_router(), buffer);
    ASSERT_TRUE(length);
    EXPECT_EQ(to_hex(buffer), "86000000008000000000000000000000");
}

TEST(RouterAdvertisementBuilder, SendsMediumPreferenceWhenNotADefaultRouter) {
    // RFC 4191 2.2: with router lifetime 0 the preference must be sent as 00.
    auto ra = ra_not_default_router();
    ra.router_preference = RoutePreference::high;
    EXPECT_EQ(to_hex(built(ra, kRouterLinkLocal, kAllNodes)), hex::kRaNotDefaultRouter);
}

TEST(RouterAdvertisementBuilder, EncodesEachPreferenceInBits3And4OfTheFlags) {
    auto ra = ra_not_default_router();
    ra.managed = false;
    ra.router_lifetime = 600;
    for (auto [preference, flags] :
         {std::pair{RoutePreference::high, 0x08}, std::pair{RoutePreference::medium, 0x00},
          std::pair{RoutePreference::low, 0x18}}) {
        ra.router_preference = preference;
        EXPECT_EQ(built(ra, kRouterLinkLocal, kAllNodes)[5], flags) << to_string(preference);
    }
}

TEST(RouterAdvertisementBuilder, RefusesTheReservedRouterPreference) {
    auto ra = ra_full();
    ra.router_preference = RoutePreference::reserved;
    std::array<std::uint8_t, 1500> buffer;
    auto length = build_router_advertisement(ra, buffer);
    ASSERT_FALSE(length);
    EXPECT_EQ(length.error().code, std::make_error_code(std::errc::invalid_argument));
}

TEST(RouterAdvertisementBuilder, FailsWhenAnyPartDoesNotFit) {
    const std::size_t full = from_hex(hex::kRaFull).size();
    for (std::size_t size = 0; size < full; ++size) {
        std::vector<std::uint8_t> buffer(size);
        auto length = build_router_advertisement(ra_full(), buffer);
        ASSERT_FALSE(length) << size;
        EXPECT_EQ(length.error().code, std::make_error_code(std::errc::no_buffer_space));
    }
    std::vector<std::uint8_t> exact(full);
    EXPECT_TRUE(build_router_advertisement(ra_full(), exact));
}

TEST(RouterAdvertisementBuilder, PassesOnAnOptionBuilderError) {
    auto ra = ra_not_default_router();
    ra.options.push_back(RdnssOption{600, {}});
    std::array<std::uint8_t, 64> buffer;
    auto length = build_router_advertisement(ra, buffer);
    ASSERT_FALSE(length);
    EXPECT_EQ(length.error().message, "RDNSS option: no server addresses");
}

TEST(RouterSolicitationBuilder, EncodesASolicitationWithSourceLinkLayerAddress) {
    EXPECT_EQ(to_hex(built(rs_slla(), kHostLinkLocal, kAllRouters)), hex::kRsSlla);
}

TEST(RouterSolicitationBuilder, EncodesASolicitationFromTheUnspecifiedAddress) {
    EXPECT_EQ(to_hex(built(RouterSolicitation{}, Ipv6Address(), kAllRouters)), hex::kRsUnspecified);
}

TEST(Icmpv6ChecksumFill, LeavesAMessageShorterThanFourBytesAlone) {
    std::array<std::uint8_t, 3> message{0x86, 0x00, 0xaa};
    fill_icmpv6_checksum(message, kRouterLinkLocal, kAllNodes);
    EXPECT_EQ(to_hex(message), "8600aa");
}

// ---- parsing ---------------------------------------------------------------------------------

TEST(RouterAdvertisementParser, ReadsTheFullAdvertisementBackToItsValue) {
    auto ra = parse_ra(from_hex(hex::kRaFull));
    ASSERT_TRUE(ra) << to_string(ra.reason());
    EXPECT_EQ(*ra, ra_full());
}

TEST(RouterAdvertisementParser, RoundTripsEveryOptionAndFlagCombination) {
    const std::vector<NdOption> all{slla(),  mtu(),       pio(),       pio_off_link(),
                                    rio_0(), rio_48(),    rio_96(),    rdnss(),
                                    dnssl(), pref64_96(), pref64_56(), pref64_32()};
    for (int flags = 0; flags < 8; ++flags) {
        RouterAdvertisement ra;
        ra.cur_hop_limit = static_cast<std::uint8_t>(flags * 31);
        ra.managed = flags & 1;
        ra.other_config = flags & 2;
        ra.router_preference = flags & 4 ? RoutePreference::low : RoutePreference::high;
        ra.router_lifetime = 9000;
        ra.reachable_time = 0xfffffffe;
        ra.retrans_timer = 0x01020304;
        ra.options = all;
        auto parsed = parse_ra(built(ra, kRouterLinkLocal, kAllNodes));
        ASSERT_TRUE(parsed) << to_string(parsed.reason());
        EXPECT_EQ(*parsed, ra);
    }
}

TEST(RouterAdvertisementParser, TreatsTheReservedRouterPreferenceAsMedium) {
    auto bytes = from_hex(hex::kRaFull);
    bytes[5] = (bytes[5] & ~0x18) | 0x10;
    auto ra = parse_ra(rechecksummed(bytes));
    ASSERT_TRUE(ra);
    EXPECT_EQ(ra->router_preference, RoutePreference::medium);
}

TEST(RouterAdvertisementParser, IgnoresThePreferenceOfARouterWithLifetimeZero) {
    auto bytes = from_hex(hex::kRaNotDefaultRouter);
    bytes[5] |= 0x18;  // low
    auto ra = parse_ra(rechecksummed(bytes));
    ASSERT_TRUE(ra);
    EXPECT_EQ(ra->router_preference, RoutePreference::medium);
}

TEST(RouterAdvertisementParser, IgnoresReservedFlagBits) {
    auto bytes = from_hex(hex::kRaNotDefaultRouter);
    bytes[5] |= 0x27;  // H, P and the reserved bits
    auto ra = parse_ra(rechecksummed(bytes));
    ASSERT_TRUE(ra);
    EXPECT_EQ(*ra, ra_not_default_router());
}

TEST(RouterAdvertisementParser, SkipsUnknownOptions) {
    // A nonce (14) and an unassigned type: RFC 4861 4.6 says ignore what is not understood.
    auto ra =
        parse_ra(ra_with_option("0e01010203040506"
                                "fd020000000000000000000000000000" +
                                std::string(hex::kMtu)));
    ASSERT_TRUE(ra) << to_string(ra.reason());
    EXPECT_EQ(ra->options, std::vector<NdOption>{mtu()});
}

TEST(RouterAdvertisementParser, IgnoresARouteInformationOptionWithReservedPreferenceAlone) {
    auto rio = from_hex(hex::kRio48);
    rio[3] = 0x10;
    auto ra = parse_ra(ra_with_option(to_hex(rio) + std::string(hex::kRio0)));
    ASSERT_TRUE(ra) << to_string(ra.reason());
    EXPECT_EQ(ra->options, std::vector<NdOption>{rio_0()});
}

TEST(RouterAdvertisementParser, IgnoresAnInvalidPref64OptionAlone) {
    auto pref64 = from_hex(hex::kPref64Of96);
    pref64[3] |= 0x07;  // undefined length code
    auto ra = parse_ra(ra_with_option(to_hex(pref64) + std::string(hex::kPref64Of56)));
    ASSERT_TRUE(ra) << to_string(ra.reason());
    EXPECT_EQ(ra->options, std::vector<NdOption>{pref64_56()});
}

TEST(RouterAdvertisementParser, DropsWhenTooShort) {
    const auto full = from_hex(hex::kRaNotDefaultRouter);
    for (std::size_t size = 0; size < 16; ++size) {
        const std::vector<std::uint8_t> cut(full.begin(), full.begin() + size);
        EXPECT_EQ(parse_ra(cut).reason(), NdDropReason::too_short) << size;
    }
}

TEST(RouterAdvertisementParser, DropsAnotherIcmpType) {
    auto bytes = from_hex(hex::kRaNotDefaultRouter);
    bytes[0] = 135;
    EXPECT_EQ(parse_ra(rechecksummed(bytes)).reason(), NdDropReason::wrong_type);
}

TEST(RouterAdvertisementParser, DropsANonZeroCode) {
    auto bytes = from_hex(hex::kRaNotDefaultRouter);
    bytes[1] = 1;
    EXPECT_EQ(parse_ra(rechecksummed(bytes)).reason(), NdDropReason::bad_code);
}

TEST(RouterAdvertisementParser, DropsAHopLimitOtherThan255) {
    for (std::uint8_t hop_limit : {0, 1, 64, 254})
        EXPECT_EQ(parse_ra(from_hex(hex::kRaFull), hop_limit).reason(),
                  NdDropReason::bad_hop_limit);
}

TEST(RouterAdvertisementParser, DropsASourceThatIsNotLinkLocal) {
    for (const char* source : {"2001:db8::1", "::", "fec0::1", "ff02::1"}) {
        auto bytes = rechecksummed(from_hex(hex::kRaFull), address(source));
        EXPECT_EQ(parse_ra(bytes, 255, address(source)).reason(),
                  NdDropReason::ra_source_not_link_local)
            << source;
    }
    // fe80::/10 includes febf::.
    auto bytes = rechecksummed(from_hex(hex::kRaFull), address("febf::1"));
    EXPECT_TRUE(parse_ra(bytes, 255, address("febf::1")));
}

TEST(RouterAdvertisementParser, DropsABadChecksum) {
    auto bytes = from_hex(hex::kRaFull);
    bytes[3] ^= 0x40;
    EXPECT_EQ(parse_ra(bytes).reason(), NdDropReason::bad_checksum);
}

TEST(RouterAdvertisementParser, DropsAZeroLengthOption) {
    EXPECT_EQ(parse_ra(ra_with_option(std::string(hex::kMtu) + "1900000000000000")).reason(),
              NdDropReason::zero_length_option);
}

TEST(RouterAdvertisementParser, DropsAnOptionThatOverflowsTheMessage) {
    EXPECT_EQ(parse_ra(ra_with_option("0502000000000000")).reason(),
              NdDropReason::option_overflows);
}

TEST(RouterAdvertisementParser, DropsAKnownOptionWithBadContents) {
    for (const char* option : {"010202005e0053010000000000000000",     // SLLA of two units
                               "05020000000005c80000000000000000",     // MTU of two units
                               "19020000000004b00000000000000000",     // RDNSS without addresses
                               "1f020000000004b0c00c000000000000"}) {  // DNSSL with a pointer
        EXPECT_EQ(parse_ra(ra_with_option(option)).reason(), NdDropReason::bad_option_contents)
            << option;
    }
}

TEST(RouterAdvertisementParser, NeverReadsPastAnyTruncationOfTheFullAdvertisement) {
    // Each cut is its own exactly sized allocation, so ASan catches a read one byte past it. The
    // checksum is refreshed so the options, not the checksum, decide.
    const auto full = from_hex(hex::kRaFull);
    for (std::size_t size = 0; size <= full.size(); ++size) {
        std::vector<std::uint8_t> cut(full.begin(), full.begin() + size);
        if (size >= 4) cut = rechecksummed(cut);
        auto ra = parse_ra(cut);
        const bool at_option_boundary = size == 16 || size == 24 || size == 32 || size == 64 ||
                                        size == 80 || size == 120 || size == 160 || size == 176;
        EXPECT_EQ(bool(ra), at_option_boundary) << size;
        if (!ra && size >= 16) {
            EXPECT_EQ(ra.reason(), NdDropReason::option_overflows) << size;
        }
    }
}

TEST(RouterAdvertisementParser, NeverReadsPastAnOptionWhoseLengthByteWasCorrupted) {
    const auto full = from_hex(hex::kRaFull);
    for (std::size_t at = 16; at < full.size(); ++at) {
        for (int length : {0, 1, 2, 3, 4, 5, 0x7f, 0xff}) {
            auto bytes = full;
            bytes[at] = static_cast<std::uint8_t>(length);
            auto ra = parse_ra(rechecksummed(bytes));
            if (!ra) {
                EXPECT_LT(static_cast<std::size_t>(ra.reason()), kNdDropReasonCount);
            }
        }
    }
}

TEST(RouterSolicitationParser, ReadsTheSourceLinkLayerAddress) {
    auto rs = parse_rs(from_hex(hex::kRsSlla));
    ASSERT_TRUE(rs) << to_string(rs.reason());
    EXPECT_EQ(*rs, rs_slla());
}

TEST(RouterSolicitationParser, AcceptsASolicitationFromTheUnspecifiedAddressWithoutOptions) {
    auto rs = parse_rs(from_hex(hex::kRsUnspecified), Ipv6Address());
    ASSERT_TRUE(rs) << to_string(rs.reason());
    EXPECT_FALSE(rs->source_link_layer_address);
}

TEST(RouterSolicitationParser, AcceptsAGlobalSource) {
    // RFC 4861 6.1.1 puts no scope rule on an RS source.
    const auto source = address("2001:db8::2");
    auto rs = parse_rs(rechecksummed(from_hex(hex::kRsSlla), source, kAllRouters), source);
    EXPECT_TRUE(rs);
}

TEST(RouterSolicitationParser, SkipsOptionsOtherThanSourceLinkLayerAddress) {
    auto bytes = from_hex(std::string(hex::kRsUnspecified) + std::string(hex::kPref64Of96) +
                          std::string(hex::kMtu));
    auto rs = parse_rs(rechecksummed(bytes, kHostLinkLocal, kAllRouters));
    ASSERT_TRUE(rs) << to_string(rs.reason());
    EXPECT_FALSE(rs->source_link_layer_address);
}

TEST(RouterSolicitationParser, DropsWhenTooShort) {
    EXPECT_EQ(parse_rs(from_hex("85000000000000")).reason(), NdDropReason::too_short);
}

TEST(RouterSolicitationParser, DropsAnotherIcmpType) {
    EXPECT_EQ(parse_rs(from_hex(hex::kRaFull)).reason(), NdDropReason::wrong_type);
}

TEST(RouterSolicitationParser, DropsANonZeroCode) {
    auto bytes = from_hex(hex::kRsSlla);
    bytes[1] = 7;
    EXPECT_EQ(parse_rs(rechecksummed(bytes, kHostLinkLocal, kAllRouters)).reason(),
              NdDropReason::bad_code);
}

TEST(RouterSolicitationParser, DropsAHopLimitOtherThan255) {
    EXPECT_EQ(parse_rs(from_hex(hex::kRsSlla), kHostLinkLocal, 64).reason(),
              NdDropReason::bad_hop_limit);
}

TEST(RouterSolicitationParser, DropsABadChecksum) {
    // The right bytes, judged against another source address.
    EXPECT_EQ(parse_rs(from_hex(hex::kRsSlla), address("fe80::3")).reason(),
              NdDropReason::bad_checksum);
}

TEST(RouterSolicitationParser, DropsAZeroLengthOption) {
    auto bytes = from_hex(std::string(hex::kRsUnspecified) + "0100000000000000");
    EXPECT_EQ(parse_rs(rechecksummed(bytes, kHostLinkLocal, kAllRouters)).reason(),
              NdDropReason::zero_length_option);
}

TEST(RouterSolicitationParser, DropsAnOptionThatOverflowsTheMessage) {
    auto bytes = from_hex(std::string(hex::kRsSlla).substr(0, 30));
    EXPECT_EQ(parse_rs(rechecksummed(bytes, kHostLinkLocal, kAllRouters)).reason(),
              NdDropReason::option_overflows);
}

TEST(RouterSolicitationParser, DropsASourceLinkLayerAddressFromTheUnspecifiedAddress) {
    auto bytes = rechecksummed(from_hex(hex::kRsSlla), Ipv6Address(), kAllRouters);
    EXPECT_EQ(parse_rs(bytes, Ipv6Address()).reason(),
              NdDropReason::rs_unspecified_source_with_slla);
}

TEST(RouterSolicitationParser, DropsASourceLinkLayerAddressOptionWithBadContents) {
    auto bytes = from_hex(std::string(hex::kRsUnspecified) + "010202005e0053020000000000000000");
    EXPECT_EQ(parse_rs(rechecksummed(bytes, kHostLinkLocal, kAllRouters)).reason(),
              NdDropReason::bad_option_contents);
}

TEST(NdDropReason, HasADistinctSnakeCaseNameForEveryReason) {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < kNdDropReasonCount; ++i) {
        const auto name = to_string(static_cast<NdDropReason>(i));
        EXPECT_NE(name, "unknown");
        EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string_view::npos);
        names.insert(name);
    }
    EXPECT_EQ(names.size(), kNdDropReasonCount);
    EXPECT_EQ(to_string(NdDropReason::rs_unspecified_source_with_slla),
              "rs_unspecified_source_with_slla");
}

}  // namespace
}  // namespace sixgate::net::nd
