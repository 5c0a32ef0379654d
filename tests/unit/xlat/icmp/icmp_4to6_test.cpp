// RFC 7915 4.2: ICMPv4 -> ICMPv6 type and code, one test per sentence, plus every (type, code).

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

TEST(Translate4to6Icmp, EchoRequestAndReplyBecomeTypes128And129) {
    RecordProperty("rfc", "7915 4.2");
    expect_translated(translate_icmp4_header(8, 0), 128, 0, R::echo);
    expect_translated(translate_icmp4_header(0, 0), 129, 0, R::echo);
    EXPECT_FALSE(translate_icmp4_header(8, 0).is_error);
    EXPECT_EQ(translate_icmp4_header(8, 0).extension, E::none);
}

TEST(Translate4to6Icmp, EchoCarriesItsCodeBecauseOnlyTheTypeIsAdjusted) {
    RecordProperty("rfc", "7915 4.2");
    expect_translated(translate_icmp4_header(8, 7), 128, 7, R::echo);
}

TEST(Translate4to6Icmp, DropsInformationRequestAndReply) {
    RecordProperty("rfc", "7915 4.2");
    expect_dropped(translate_icmp4_header(15, 0), D::icmp4_type_obsolete);
    expect_dropped(translate_icmp4_header(16, 0), D::icmp4_type_obsolete);
}

TEST(Translate4to6Icmp, DropsTimestampAndTimestampReply) {
    RecordProperty("rfc", "7915 4.2");
    expect_dropped(translate_icmp4_header(13, 0), D::icmp4_type_obsolete);
    expect_dropped(translate_icmp4_header(14, 0), D::icmp4_type_obsolete);
}

TEST(Translate4to6Icmp, DropsAddressMaskRequestAndReply) {
    RecordProperty("rfc", "7915 4.2");
    expect_dropped(translate_icmp4_header(17, 0), D::icmp4_type_obsolete);
    expect_dropped(translate_icmp4_header(18, 0), D::icmp4_type_obsolete);
}

TEST(Translate4to6Icmp, DropsRouterAdvertisementAndSolicitationAsSingleHop) {
    RecordProperty("rfc", "7915 4.2");
    expect_dropped(translate_icmp4_header(9, 0), D::icmp4_type_single_hop);
    expect_dropped(translate_icmp4_header(9, 16), D::icmp4_type_single_hop);
    expect_dropped(translate_icmp4_header(10, 0), D::icmp4_type_single_hop);
}

TEST(Translate4to6Icmp, DropsUnknownTypes) {
    RecordProperty("rfc", "7915 4.2");
    for (int type : {1, 2, 7, 19, 30, 40, 41, 42, 43, 253, 255}) {
        expect_dropped(translate_icmp4_header(static_cast<std::uint8_t>(type), 0),
                       D::icmp4_type_untranslatable);
    }
}

TEST(Translate4to6Icmp, DestinationUnreachableNetAndHostBecomeNoRoute) {
    RecordProperty("rfc", "7915 4.2");
    expect_translated(translate_icmp4_header(3, 0), 1, 0, R::unused);
    expect_translated(translate_icmp4_header(3, 1), 1, 0, R::unused);
    EXPECT_TRUE(translate_icmp4_header(3, 0).is_error);
    EXPECT_EQ(translate_icmp4_header(3, 0).extension, E::translate_length);
}

TEST(Translate4to6Icmp, ProtocolUnreachableBecomesParameterProblemPointingAtNextHeader) {
    RecordProperty("rfc", "7915 4.2");
    const auto t = translate_icmp4_header(3, 2);
    expect_translated(t, 4, 1, R::pointer);
    EXPECT_EQ(t.pointer, 6u);
    EXPECT_EQ(t.extension, E::strip);  // ICMPv6 Parameter Problem has no length field
}

TEST(Translate4to6Icmp, PortUnreachableBecomesCode4) {
    RecordProperty("rfc", "7915 4.2");
    expect_translated(translate_icmp4_header(3, 3), 1, 4, R::unused);
}

TEST(Translate4to6Icmp, FragmentationNeededBecomesPacketTooBig) {
    RecordProperty("rfc", "7915 4.2");
    const auto t = translate_icmp4_header(3, 4);
    expect_translated(t, 2, 0, R::mtu);
    EXPECT_EQ(t.extension, E::strip);  // the MTU occupies the word that would hold the length
}

TEST(Translate4to6Icmp, SourceRouteFailedBecomesNoRoute) {
    RecordProperty("rfc", "7915 4.2");
    expect_translated(translate_icmp4_header(3, 5), 1, 0, R::unused);
}

TEST(Translate4to6Icmp, Codes6To8BecomeNoRoute) {
    RecordProperty("rfc", "7915 4.2");
    for (int code : {6, 7, 8}) {
        expect_translated(translate_icmp4_header(3, static_cast<std::uint8_t>(code)), 1, 0,
                          R::unused);
    }
}

TEST(Translate4to6Icmp, Codes9And10BecomeAdministrativelyProhibited) {
    RecordProperty("rfc", "7915 4.2");
    expect_translated(translate_icmp4_header(3, 9), 1, 1, R::unused);
    expect_translated(translate_icmp4_header(3, 10), 1, 1, R::unused);
}

TEST(Translate4to6Icmp, Codes11And12BecomeNoRoute) {
    RecordProperty("rfc", "7915 4.2");
    expect_translated(translate_icmp4_header(3, 11), 1, 0, R::unused);
    expect_translated(translate_icmp4_header(3, 12), 1, 0, R::unused);
}

TEST(Translate4to6Icmp, Code13BecomesAdministrativelyProhibited) {
    RecordProperty("rfc", "7915 4.2");
    expect_translated(translate_icmp4_header(3, 13), 1, 1, R::unused);
}

TEST(Translate4to6Icmp, DropsHostPrecedenceViolation) {
    RecordProperty("rfc", "7915 4.2");
    expect_dropped(translate_icmp4_header(3, 14), D::icmp4_code_untranslatable);
}

TEST(Translate4to6Icmp, PrecedenceCutoffBecomesAdministrativelyProhibited) {
    RecordProperty("rfc", "7915 4.2");
    expect_translated(translate_icmp4_header(3, 15), 1, 1, R::unused);
}

TEST(Translate4to6Icmp, DropsOtherDestinationUnreachableCodes) {
    RecordProperty("rfc", "7915 4.2");
    for (int code = 16; code <= 255; ++code) {
        expect_dropped(translate_icmp4_header(3, static_cast<std::uint8_t>(code)),
                       D::icmp4_code_untranslatable);
    }
}

TEST(Translate4to6Icmp, DropsRedirectAsSingleHop) {
    RecordProperty("rfc", "7915 4.2");
    for (int code = 0; code <= 3; ++code) {
        expect_dropped(translate_icmp4_header(5, static_cast<std::uint8_t>(code)),
                       D::icmp4_type_single_hop);
    }
}

TEST(Translate4to6Icmp, DropsAlternativeHostAddress) {
    RecordProperty("rfc", "7915 4.2");
    expect_dropped(translate_icmp4_header(6, 0), D::icmp4_type_untranslatable);
}

TEST(Translate4to6Icmp, DropsSourceQuench) {
    RecordProperty("rfc", "7915 4.2");
    expect_dropped(translate_icmp4_header(4, 0), D::icmp4_type_obsolete);
}

TEST(Translate4to6Icmp, TimeExceededBecomesType3WithTheCodeUnchanged) {
    RecordProperty("rfc", "7915 4.2");
    for (int code = 0; code <= 255; ++code) {
        const auto t = translate_icmp4_header(11, static_cast<std::uint8_t>(code));
        expect_translated(t, 3, code, R::unused);
        EXPECT_EQ(t.extension, E::translate_length);
        EXPECT_TRUE(t.is_error);
    }
}

TEST(Translate4to6Icmp, ParameterProblemCode0BecomesCode0WithTheFigure3Pointer) {
    RecordProperty("rfc", "7915 4.2");
    const auto t = translate_icmp4_header(12, 0, 9);  // Protocol
    expect_translated(t, 4, 0, R::pointer);
    EXPECT_EQ(t.pointer, 6u);  // Next Header
    EXPECT_EQ(t.extension, E::strip);
}

TEST(Translate4to6Icmp, ParameterProblemBadLengthBecomesCode0WithTheFigure3Pointer) {
    RecordProperty("rfc", "7915 4.2");
    const auto t = translate_icmp4_header(12, 2, 2);  // Total Length
    expect_translated(t, 4, 0, R::pointer);
    EXPECT_EQ(t.pointer, 4u);  // Payload Length
}

TEST(Translate4to6Icmp, DropsParameterProblemWhosePointerIsNotApplicable) {
    RecordProperty("rfc", "7915 4.2");
    for (int pointer : {4, 5, 6, 7, 10, 11}) {
        expect_dropped(translate_icmp4_header(12, 0, static_cast<std::uint8_t>(pointer)),
                       D::icmp4_pointer_untranslatable);
        expect_dropped(translate_icmp4_header(12, 2, static_cast<std::uint8_t>(pointer)),
                       D::icmp4_pointer_untranslatable);
    }
}

TEST(Translate4to6Icmp, DropsParameterProblemWhosePointerIsNotListed) {
    RecordProperty("rfc", "7915 4.2");
    for (int pointer = 20; pointer <= 255; ++pointer) {
        expect_dropped(translate_icmp4_header(12, 0, static_cast<std::uint8_t>(pointer)),
                       D::icmp4_pointer_untranslatable);
    }
}

TEST(Translate4to6Icmp, DropsParameterProblemMissingARequiredOption) {
    RecordProperty("rfc", "7915 4.2");
    expect_dropped(translate_icmp4_header(12, 1, 0), D::icmp4_code_untranslatable);
}

TEST(Translate4to6Icmp, DropsOtherParameterProblemCodes) {
    RecordProperty("rfc", "7915 4.2");
    for (int code = 3; code <= 255; ++code) {
        expect_dropped(translate_icmp4_header(12, static_cast<std::uint8_t>(code), 0),
                       D::icmp4_code_untranslatable);
    }
}

// The RFC's list as data, written out again independently of the implementation: every pair not
// in it must be dropped, every pair in it translated exactly so.
struct Expected4to6 {
    int type;
    int code;  // -1: any code, carried unchanged
    int out_type;
    int out_code;  // -1: same as the input code
};

// clang-format off
constexpr Expected4to6 kRfc7915Section42[] = {
    {8, -1, 128, -1}, {0, -1, 129, -1},
    {3, 0, 1, 0},     {3, 1, 1, 0},     {3, 2, 4, 1},  {3, 3, 1, 4},  {3, 4, 2, 0},
    {3, 5, 1, 0},     {3, 6, 1, 0},     {3, 7, 1, 0},  {3, 8, 1, 0},  {3, 9, 1, 1},
    {3, 10, 1, 1},    {3, 11, 1, 0},    {3, 12, 1, 0}, {3, 13, 1, 1}, {3, 15, 1, 1},
    {11, -1, 3, -1},
    {12, 0, 4, 0},    {12, 2, 4, 0},  // with a listed pointer (0 here)
};
// clang-format on

std::optional<Expected4to6> expected_4to6(int type, int code) {
    for (const auto& row : kRfc7915Section42) {
        if (row.type == type && (row.code == -1 || row.code == code)) return row;
    }
    return std::nullopt;
}

TEST(Translate4to6Icmp, EveryTypeAndCodeHasTheOutcomeTheRfcLists) {
    RecordProperty("rfc", "7915 4.2");
    int translated = 0;
    for (int type = 0; type <= 255; ++type) {
        for (int code = 0; code <= 255; ++code) {
            const auto t = translate_icmp4_header(static_cast<std::uint8_t>(type),
                                                  static_cast<std::uint8_t>(code), 0);
            const auto row = expected_4to6(type, code);
            if (!row) {
                ASSERT_FALSE(t.translated()) << type << "/" << code;
                ASSERT_NE(to_string(t.reason), "unknown") << type << "/" << code;
                ASSERT_EQ(to_string(t.reason).substr(0, 5), "icmp4") << type << "/" << code;
                continue;
            }
            ++translated;
            ASSERT_TRUE(t.translated()) << type << "/" << code;
            ASSERT_EQ(t.type, row->out_type) << type << "/" << code;
            ASSERT_EQ(t.code, row->out_code == -1 ? code : row->out_code) << type << "/" << code;
            // Errors (types 1-4 in ICMPv6) carry a quoted packet; echo does not.
            ASSERT_EQ(t.is_error, t.type < 128) << type << "/" << code;
        }
    }
    EXPECT_EQ(translated, 2 * 256 + 15 + 256 + 2);
}

}  // namespace
}  // namespace sixgate::xlat
