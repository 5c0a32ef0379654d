#include "xlat/translation.hpp"

namespace sixgate::xlat {

std::string_view to_string(DropReason reason) noexcept {
    constexpr std::array<std::string_view, kDropReasonCount> kNames{
        "malformed_ipv4",
        "malformed_ipv6",
        "bad_ipv4_header_checksum",
        "malformed_transport",
        "bad_transport_checksum",
        "source_unmapped",
        "destination_unmapped",
        "well_known_prefix_non_global",
        "ttl_expired",
        "ipv4_options_source_route",
        "ipv6_routing_header",
        "ipv6_unsupported_extension",
        "fragmented_icmp",
        "udp_zero_checksum",
        "udp_zero_checksum_fragment",
        "icmp_untranslatable",
        "icmp_error_in_error",
        "icmp_inner_malformed",
        "packet_too_big",
        "unsupported_protocol",
        "output_too_small",
        "hairpin",
        "fragment_beyond_65535",
    };
    const auto index = static_cast<std::size_t>(reason);
    return index < kNames.size() ? kNames[index] : "unknown";
}

}  // namespace sixgate::xlat
