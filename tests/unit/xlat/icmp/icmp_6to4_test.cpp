// RFC 7915 5.2: ICMPv6 -> ICMPv4 type and code, one test per sentence, plus every (type, code).

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

#include "xlat/icmp_mapping.hpp"

namespace sixgate::xlat {
namespace {

using D = IcmpDropReason;
using E = IcmpExtensionHandling;
using R = IcmpRestOfHeader;

void expect_translated(const IcmpTranslation& t, int type, int code, R rest) {
    ASSERT_TRUE(t.translated()) << "dropped as " << to_string(t.reason);
    EXPECT_EQ(t.type, type);
    EXPECT_EQ(t.code, code);
    EXPECT_EQ(t.rest, rest);
}

void expect_dropped(const IcmpTranslation& t, D reason) {
    EXPECT_FALSE(t.translated()) << "translated to " << int{t.type} << "/" << int{t.code};
    EXPECT_EQ(t.reason, reason);
}

TEST(Translate6to4Icmp, EchoRequestAndReplyBecomeTypes8And0) {
    RecordProperty("rfc", "7915 5.2");
    expect_translated(translate_icmp6_header(128, 0), 8, 0, R::echo);
    expect_translated(translate_icmp6_header(129, 0), 0, 0, R::echo);
    EXPECT_FALSE(translate_icmp6_header(128, 0).is_error);
}

TEST(Translate6to4Icmp, DropsMldMessagesAsSingleHop) {
    RecordProperty("rfc", "7915 5.2");
    for (int type : {130, 131, 132}) {
        expect_dropped(translate_icmp6_header(static_cast<std::uint8_t>(type), 0),
                       D::icmp6_type_single_hop);
    }
}

TEST(Translate6to4Icmp, DropsNeighborDiscoveryMessagesAsSingleHop) {
    RecordProperty("rfc", "7915 5.2");
    for (int type = 133; type <= 137; ++type) {
        expect_dropped(translate_icmp6_header(static_cast<std::uint8_t>(type), 0),
                       D::icmp6_type_single_hop);
    }
}

TEST(Translate6to4Icmp, DropsUnknownInformationalMessages) {
    RecordProperty("rfc", "7915 5.2");
    for (int type : {138, 139, 143, 155, 200, 255}) {
        expect_dropped(translate_icmp6_header(static_cast<std::uint8_t>(type), 0),
                       D::icmp6_informational_unknown);
    }
}

TEST(Translate6to4Icmp, NoRouteBecomesHostUnreachable) {
    RecordProperty("rfc", "7915 5.2");
    const auto t = translate_icmp6_header(1, 0);
    expect_translated(t, 3, 1, R::unused);
    EXPECT_TRUE(t.is_error);
    EXPECT_EQ(t.extension, E::translate_length);
}

TEST(Translate6to4Icmp, AdministrativelyProhibitedBecomesCode10) {
    RecordProperty("rfc", "7915 5.2");
    expect_translated(translate_icmp6_header(1, 1), 3, 10, R::unused);
}

TEST(Translate6to4Icmp, BeyondScopeOfSourceAddressBecomesHostUnreachable) {
    RecordProperty("rfc", "7915 5.2");
    expect_translated(translate_icmp6_header(1, 2), 3, 1, R::unused);
}

TEST(Translate6to4Icmp, AddressUnreachableBecomesHostUnreachable) {
    RecordProperty("rfc", "7915 5.2");
    expect_translated(translate_icmp6_header(1, 3), 3, 1, R::unused);
}

TEST(Translate6to4Icmp, PortUnreachableBecomesCode3) {
    RecordProperty("rfc", "7915 5.2");
    expect_translated(translate_icmp6_header(1, 4), 3, 3, R::unused);
}

TEST(Translate6to4Icmp, DropsOtherDestinationUnreachableCodes) {
    RecordProperty("rfc", "7915 5.2");
    for (int code = 5; code <= 255; ++code) {
        expect_dropped(translate_icmp6_header(1, static_cast<std::uint8_t>(code)),
                       D::icmp6_code_untranslatable);
    }
}

TEST(Translate6to4Icmp, PacketTooBigBecomesFragmentationNeeded) {
    RecordProperty("rfc", "7915 5.2");
    const auto t = translate_icmp6_header(2, 0);
    expect_translated(t, 3, 4, R::mtu);
    EXPECT_EQ(t.extension, E::none);
    EXPECT_TRUE(t.is_error);
}

TEST(Translate6to4Icmp, TimeExceededBecomesType11WithTheCodeUnchanged) {
    RecordProperty("rfc", "7915 5.2");
    for (int code = 0; code <= 255; ++code) {
        const auto t = translate_icmp6_header(3, static_cast<std::uint8_t>(code));
        expect_translated(t, 11, code, R::unused);
        EXPECT_EQ(t.extension, E::translate_length);
    }
}

TEST(Translate6to4Icmp, ErroneousHeaderFieldBecomesType12WithTheFigure6Pointer) {
    RecordProperty("rfc", "7915 5.2");
    const auto t = translate_icmp6_header(4, 0, 7);  // Hop Limit
    expect_translated(t, 12, 0, R::pointer);
    EXPECT_EQ(t.pointer, 8u);  // Time to Live
    EXPECT_EQ(t.extension, E::none);
}

TEST(Translate6to4Icmp, DropsErroneousHeaderFieldWhosePointerIsNotApplicable) {
    RecordProperty("rfc", "7915 5.2");
    expect_dropped(translate_icmp6_header(4, 0, 2), D::icmp6_pointer_untranslatable);
    expect_dropped(translate_icmp6_header(4, 0, 3), D::icmp6_pointer_untranslatable);
}

TEST(Translate6to4Icmp, DropsErroneousHeaderFieldWhosePointerIsNotListed) {
    RecordProperty("rfc", "7915 5.2");
    for (std::uint32_t pointer : {40u, 41u, 48u, 1000u, 0xFFFFFFFFu}) {
        expect_dropped(translate_icmp6_header(4, 0, pointer), D::icmp6_pointer_untranslatable);
    }
}

TEST(Translate6to4Icmp, UnrecognizedNextHeaderBecomesProtocolUnreachable) {
    RecordProperty("rfc", "7915 5.2");
    const auto t = translate_icmp6_header(4, 1, 40);
    expect_translated(t, 3, 2, R::unused);
    EXPECT_TRUE(t.is_error);
}

TEST(Translate6to4Icmp, DropsUnrecognizedIpv6Option) {
    RecordProperty("rfc", "7915 5.2");
    expect_dropped(translate_icmp6_header(4, 2, 42), D::icmp6_code_untranslatable);
}

TEST(Translate6to4Icmp, DropsParameterProblemCodesTheRfcDoesNotList) {
    RecordProperty("rfc", "7915 5.2");
    for (int code = 3; code <= 255; ++code) {  // e.g. RFC 7112 code 3, RFC 8883 codes 4-10
        expect_dropped(translate_icmp6_header(4, static_cast<std::uint8_t>(code), 0),
                       D::icmp6_code_untranslatable);
    }
}

TEST(Translate6to4Icmp, DropsUnknownErrorMessages) {
    RecordProperty("rfc", "7915 5.2");
    for (int type : {0, 5, 100, 101, 127}) {
        expect_dropped(translate_icmp6_header(static_cast<std::uint8_t>(type), 0),
                       D::icmp6_error_unknown);
    }
}

struct Expected6to4 {
    int type;
    int code;  // -1: any code
    int out_type;
    int out_code;  // -1: same as the input code
};

// clang-format off
constexpr Expected6to4 kRfc7915Section52[] = {
    {128, -1, 8, -1}, {129, -1, 0, -1},
    {1, 0, 3, 1},     {1, 1, 3, 10},    {1, 2, 3, 1}, {1, 3, 3, 1}, {1, 4, 3, 3},
    {2, -1, 3, 4},
    {3, -1, 11, -1},
    {4, 0, 12, 0},  // with a listed pointer (0 here)
    {4, 1, 3, 2},
};
// clang-format on

std::optional<Expected6to4> expected_6to4(int type, int code) {
    for (const auto& row : kRfc7915Section52) {
        if (row.type == type && (row.code == -1 || row.code == code)) return row;
    }
    return std::nullopt;
}

TEST(Translate6to4Icmp, EveryTypeAndCodeHasTheOutcomeTheRfcLists) {
    RecordProperty("rfc", "7915 5.2");
    int translated = 0;
    for (int type = 0; type <= 255; ++type) {
        for (int code = 0; code <= 255; ++code) {
            const auto t = translate_icmp6_header(static_cast<std::uint8_t>(type),
                                                  static_cast<std::uint8_t>(code), 0);
            const auto row = expected_6to4(type, code);
            if (!row) {
                ASSERT_FALSE(t.translated()) << type << "/" << code;
                ASSERT_NE(to_string(t.reason), "unknown") << type << "/" << code;
                ASSERT_EQ(to_string(t.reason).substr(0, 5), "icmp6") << type << "/" << code;
                continue;
            }
            ++translated;
            ASSERT_TRUE(t.translated()) << type << "/" << code;
            ASSERT_EQ(t.type, row->out_type) << type << "/" << code;
            ASSERT_EQ(t.code, row->out_code == -1 ? code : row->out_code) << type << "/" << code;
            ASSERT_EQ(t.is_error, type < 128) << type << "/" << code;
        }
    }
    EXPECT_EQ(translated, 2 * 256 + 5 + 256 + 256 + 2);
}

TEST(IcmpDropReason, EveryReasonHasAStableSnakeCaseName) {
    for (std::size_t i = 0; i < kIcmpDropReasonCount; ++i) {
        const auto name = to_string(static_cast<IcmpDropReason>(i));
        EXPECT_NE(name, "unknown");
        EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_"),
                  std::string_view::npos);
    }
    EXPECT_EQ(to_string(IcmpDropReason::icmp4_code_untranslatable), "icmp4_code_untranslatable");
    EXPECT_EQ(to_string(static_cast<IcmpDropReason>(kIcmpDropReasonCount)), "unknown");
}

}  // namespace
}  // namespace sixgate::xlat
