#include "xlat/icmp_mapping.hpp"

namespace sixgate::xlat {

std::string_view to_string(IcmpDropReason reason) noexcept {
    switch (reason) {
        case IcmpDropReason::icmp4_type_obsolete:
            return "icmp4_type_obsolete";
        case IcmpDropReason::icmp4_type_single_hop:
            return "icmp4_type_single_hop";
        case IcmpDropReason::icmp4_type_untranslatable:
            return "icmp4_type_untranslatable";
        case IcmpDropReason::icmp4_code_untranslatable:
            return "icmp4_code_untranslatable";
        case IcmpDropReason::icmp4_pointer_untranslatable:
            return "icmp4_pointer_untranslatable";
        case IcmpDropReason::icmp6_type_single_hop:
            return "icmp6_type_single_hop";
        case IcmpDropReason::icmp6_informational_unknown:
            return "icmp6_informational_unknown";
        case IcmpDropReason::icmp6_error_unknown:
            return "icmp6_error_unknown";
        case IcmpDropReason::icmp6_code_untranslatable:
            return "icmp6_code_untranslatable";
        case IcmpDropReason::icmp6_pointer_untranslatable:
            return "icmp6_pointer_untranslatable";
    }
    return "unknown";
}

// The tables are constexpr; spot-check them at compile time so a broken edit fails the build.
static_assert(translate_icmp4_header(8, 0).type == 128);
static_assert(translate_icmp4_header(3, 4).type == 2);
static_assert(translate_icmp4_header(12, 0, 9).pointer == 6);
static_assert(!translate_icmp4_header(12, 1, 0).translated());
static_assert(translate_icmp6_header(1, 1).code == 10);
static_assert(translate_icmp6_header(4, 0, 24).pointer == 16);
static_assert(!translate_icmp6_header(4, 2, 0).translated());

}  // namespace sixgate::xlat
