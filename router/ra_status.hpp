#pragma once
// The status document of one advertising interface: counters, drops by reason, and the options
// it currently advertises, decoded (what `sixgate status` prints).

#include <string>

#include <nlohmann/json.hpp>

#include "net/nd/router_messages.hpp"

namespace sixgate::router {

struct RaCounters;

nlohmann::json advertisement_json(const net::nd::RouterAdvertisement& ra);
nlohmann::json interface_status(const std::string& name, const RaCounters& counters,
                                const net::nd::RouterAdvertisement& ra);

}  // namespace sixgate::router
