#include "net/nd/drop_reason.hpp"

namespace sixgate::net::nd {

std::string_view to_string(NdDropReason reason) noexcept {
    switch (reason) {
        case NdDropReason::too_short: return "too_short";
        case NdDropReason::wrong_type: return "wrong_type";
        case NdDropReason::bad_code: return "bad_code";
        case NdDropReason::bad_hop_limit: return "bad_hop_limit";
        case NdDropReason::bad_checksum: return "bad_checksum";
        case NdDropReason::zero_length_option: return "zero_length_option";
        case NdDropReason::option_overflows: return "option_overflows";
        case NdDropReason::rs_unspecified_source_with_slla:
            return "rs_unspecified_source_with_slla";
        case NdDropReason::ra_source_not_link_local: return "ra_source_not_link_local";
        case NdDropReason::bad_option_contents: return "bad_option_contents";
    }
    return "unknown";
}

}  // namespace sixgate::net::nd
