// RFC 7915 Figures 3 and 6: Parameter Problem pointers, value by value.

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>

#include "xlat/icmp_mapping.hpp"

namespace sixgate::xlat {
namespace {

constexpr int kNa = -1;

// Figure 3 of RFC 7915 4.2, one entry per IPv4 header octet 0..19.
// clang-format off
constexpr int kFigure3[20] = {
    0,   1,                 // Version/IHL, Type Of Service
    4,   4,                 // Total Length -> Payload Length
    kNa, kNa,               // Identification
    kNa,                    // Flags/Fragment Offset
    kNa,                    // Fragment Offset
    7,                      // Time to Live -> Hop Limit
    6,                      // Protocol -> Next Header
    kNa, kNa,               // Header Checksum
    8,   8,   8,   8,       // Source Address
    24,  24,  24,  24,      // Destination Address
};
// clang-format on

// Figure 6 of RFC 7915 5.2, one entry per IPv6 header octet 0..39.
// clang-format off
constexpr int kFigure6[40] = {
    0,  1,                                                  // Version/TC, TC/Flow Label
    kNa, kNa,                                               // Flow Label
    2,  2,                                                  // Payload Length -> Total Length
    9,                                                      // Next Header -> Protocol
    8,                                                      // Hop Limit -> Time to Live
    12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,  // Source Address
    16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16,  // Destination Address
};
// clang-format on

TEST(ParameterProblemPointer4to6, MapsEveryIpv4HeaderOctetAsFigure3Says) {
    RecordProperty("rfc", "7915 4.2");
    for (int pointer = 0; pointer < 20; ++pointer) {
        const auto mapped = map_pointer_4to6(static_cast<std::uint8_t>(pointer));
        if (kFigure3[pointer] == kNa) {
            EXPECT_FALSE(mapped.has_value()) << pointer;
        } else {
            ASSERT_TRUE(mapped.has_value()) << pointer;
            EXPECT_EQ(*mapped, kFigure3[pointer]) << pointer;
        }
    }
}

TEST(ParameterProblemPointer4to6, HasNoMappingForOptionsOrBeyond) {
    RecordProperty("rfc", "7915 4.2");
    for (int pointer = 20; pointer <= 255; ++pointer) {
        EXPECT_FALSE(map_pointer_4to6(static_cast<std::uint8_t>(pointer)).has_value()) << pointer;
    }
}

TEST(ParameterProblemPointer4to6, TheTranslatedMessageCarriesTheMappedPointer) {
    RecordProperty("rfc", "7915 4.2");
    for (int code : {0, 2}) {
        for (int pointer = 0; pointer < 20; ++pointer) {
            const auto t = translate_icmp4_header(12, static_cast<std::uint8_t>(code),
                                                  static_cast<std::uint8_t>(pointer));
            EXPECT_EQ(t.translated(), kFigure3[pointer] != kNa) << pointer;
            if (t.translated()) {
                EXPECT_EQ(t.pointer, static_cast<std::uint32_t>(kFigure3[pointer]));
            }
        }
    }
}

TEST(ParameterProblemPointer6to4, MapsEveryIpv6HeaderOctetAsFigure6Says) {
    RecordProperty("rfc", "7915 5.2");
    for (int pointer = 0; pointer < 40; ++pointer) {
        const auto mapped = map_pointer_6to4(static_cast<std::uint32_t>(pointer));
        if (kFigure6[pointer] == kNa) {
            EXPECT_FALSE(mapped.has_value()) << pointer;
        } else {
            ASSERT_TRUE(mapped.has_value()) << pointer;
            EXPECT_EQ(*mapped, kFigure6[pointer]) << pointer;
        }
    }
}

TEST(ParameterProblemPointer6to4, HasNoMappingPastTheFixedHeader) {
    RecordProperty("rfc", "7915 5.2");
    for (std::uint32_t pointer = 40; pointer < 2000; ++pointer) {
        EXPECT_FALSE(map_pointer_6to4(pointer).has_value()) << pointer;
    }
    EXPECT_FALSE(map_pointer_6to4(0x100).has_value());
    EXPECT_FALSE(map_pointer_6to4(0xFFFFFFFF).has_value());
}

TEST(ParameterProblemPointer6to4, TheTranslatedMessageCarriesTheMappedPointer) {
    RecordProperty("rfc", "7915 5.2");
    for (int pointer = 0; pointer < 40; ++pointer) {
        const auto t = translate_icmp6_header(4, 0, static_cast<std::uint32_t>(pointer));
        EXPECT_EQ(t.translated(), kFigure6[pointer] != kNa) << pointer;
        if (t.translated()) {
            EXPECT_EQ(t.pointer, static_cast<std::uint32_t>(kFigure6[pointer]));
        }
    }
}

TEST(ParameterProblemPointer, TablesAreUsableAtCompileTime) {
    static_assert(map_pointer_4to6(9) == std::optional<std::uint8_t>{6});
    static_assert(!map_pointer_4to6(10).has_value());
    static_assert(map_pointer_6to4(24) == std::optional<std::uint8_t>{16});
    static_assert(!map_pointer_6to4(2).has_value());
    SUCCEED();
}

}  // namespace
}  // namespace sixgate::xlat
