#include "net/nd/options.hpp"

#include <algorithm>

namespace sixgate::net::nd {

std::string_view to_string(RoutePreference preference) noexcept {
    switch (preference) {
        case RoutePreference::medium: return "medium";
        case RoutePreference::high: return "high";
        case RoutePreference::reserved: return "reserved";
        case RoutePreference::low: return "low";
    }
    return "unknown";
}

std::uint16_t Pref64Option::scaled_lifetime_from_seconds(std::uint32_t seconds) noexcept {
    const std::uint32_t units = seconds / 8 + (seconds % 8 != 0 ? 1 : 0);
    return static_cast<std::uint16_t>(std::min<std::uint32_t>(units, kMaxScaledLifetime));
}

std::uint8_t route_information_length_units(int prefix_length) noexcept {
    if (prefix_length == 0) return 1;
    return prefix_length <= 64 ? 2 : 3;
}

namespace {
// RFC 8781 4: index = Prefix Length Code.
constexpr std::array<int, 6> kPref64Lengths{96, 64, 56, 48, 40, 32};
}  // namespace

std::optional<std::uint8_t> pref64_length_code(int prefix_length) noexcept {
    for (std::size_t code = 0; code < kPref64Lengths.size(); ++code)
        if (kPref64Lengths[code] == prefix_length) return static_cast<std::uint8_t>(code);
    return std::nullopt;
}

std::optional<int> pref64_prefix_length(std::uint8_t length_code) noexcept {
    if (length_code >= kPref64Lengths.size()) return std::nullopt;
    return kPref64Lengths[length_code];
}

}  // namespace sixgate::net::nd
