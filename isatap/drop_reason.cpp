#include "isatap/drop_reason.hpp"

namespace sixgate::isatap {

std::string_view to_string(IsatapDrop reason) noexcept {
    switch (reason) {
        case IsatapDrop::outer_malformed: return "outer_malformed";
        case IsatapDrop::outer_not_protocol_41: return "outer_not_protocol_41";
        case IsatapDrop::outer_not_for_us: return "outer_not_for_us";
        case IsatapDrop::source_not_allowed: return "source_not_allowed";
        case IsatapDrop::inner_malformed: return "inner_malformed";
        case IsatapDrop::inner_source_invalid: return "inner_source_invalid";
        case IsatapDrop::inner_destination_invalid: return "inner_destination_invalid";
        case IsatapDrop::inner_source_mismatch: return "inner_source_mismatch";
        case IsatapDrop::loop_isatap_router: return "loop_isatap_router";
        case IsatapDrop::loop_6to4_relay: return "loop_6to4_relay";
        case IsatapDrop::destination_not_isatap: return "destination_not_isatap";
        case IsatapDrop::destination_not_allowed: return "destination_not_allowed";
        case IsatapDrop::no_router: return "no_router";
        case IsatapDrop::bad_solicitation: return "bad_solicitation";
        case IsatapDrop::bad_advertisement: return "bad_advertisement";
        case IsatapDrop::tun_write_failed: return "tun_write_failed";
        case IsatapDrop::send_failed: return "send_failed";
        case IsatapDrop::count_: break;
    }
    return "unknown";
}

}  // namespace sixgate::isatap
