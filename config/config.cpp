#include "config/config.hpp"

namespace sixgate::config {

std::string_view to_string(LogLevel level) {
    constexpr std::string_view kNames[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};
    return kNames[static_cast<int>(level)];
}

std::string_view to_string(RouterPreference preference) {
    constexpr std::string_view kNames[] = {"low", "medium", "high"};
    return kNames[static_cast<int>(preference)];
}

std::string_view to_string(IsatapMode mode) { return mode == IsatapMode::router ? "router" : "host"; }

std::string_view to_string(Filtering filtering) {
    return filtering == Filtering::endpoint_independent ? "endpoint_independent" : "address_dependent";
}

std::string_view to_string(Protocol protocol) {
    constexpr std::string_view kNames[] = {"tcp", "udp", "icmp"};
    return kNames[static_cast<int>(protocol)];
}

std::string_view to_string(UdpZeroChecksum action) { return action == UdpZeroChecksum::compute ? "compute" : "drop"; }

}  // namespace sixgate::config
