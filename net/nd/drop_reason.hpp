#pragma once
// Why a received ND message or option was dropped (one counter each), and NdParseResult<T>: the
// parsed value or that reason. Enums, not Result<T>: receive paths count drops, they do not log.

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <variant>

#include "net/result.hpp"

namespace sixgate::net::nd {

enum class NdDropReason : std::uint8_t {
    too_short,                        // shorter than the message's (or option's) fixed part
    wrong_type,                       // not the ICMPv6 type (or option type) the parser reads
    bad_code,                         // ICMP code is not 0
    bad_hop_limit,                    // IP hop limit is not 255: sent from off-link
    bad_checksum,                     // ICMPv6 checksum over the pseudo-header does not verify
    zero_length_option,               // an option with Length 0
    option_overflows,                 // an option runs past the end of the message
    rs_unspecified_source_with_slla,  // RS from :: carrying a source link-layer address option
    ra_source_not_link_local,         // RA whose IP source is not fe80::/10
    bad_option_contents,              // a known option whose length or fields break its format
};

inline constexpr std::size_t kNdDropReasonCount = 10;

// snake_case names, stable: used as counter and metric label names.
std::string_view to_string(NdDropReason reason) noexcept;

// The parsed value, or why the message was dropped.
template <class T>
class [[nodiscard]] NdParseResult : public Expected<T, NdDropReason> {
public:
    using Expected<T, NdDropReason>::Expected;
    // Only when !ok().
    NdDropReason reason() const { return this->error(); }
};

}  // namespace sixgate::net::nd
