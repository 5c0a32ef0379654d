#include "app/doctor/sixgate_state.hpp"

namespace sixgate::app::doctor {
namespace {

std::string string_at(const nlohmann::json& object, const char* key) {
    if (!object.is_object()) return {};
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::optional<net::Ipv6Prefix> prefix_at(const nlohmann::json& object, const char* key) {
    auto parsed = net::Ipv6Prefix::parse(string_at(object, key));
    if (!parsed) return std::nullopt;
    return *parsed;
}

IsatapHostState parse_isatap_host(const nlohmann::json& isatap) {
    IsatapHostState host;
    host.interface = string_at(isatap, "interface");
    host.tun = string_at(isatap, "tun");
    host.router = string_at(isatap, "router");
    if (auto prl = isatap.find("prl"); prl != isatap.end() && prl->is_array())
        for (const auto& row : *prl) {
            PrlEntry entry{string_at(row, "entry"), std::nullopt, string_at(row, "error")};
            if (auto ipv4 = net::Ipv4Address::parse(string_at(row, "ipv4"))) entry.ipv4 = *ipv4;
            host.prl.push_back(std::move(entry));
        }
    return host;
}

ClatState parse_clat(const nlohmann::json& clat) {
    ClatState state;
    state.state = string_at(clat, "state");
    state.error = string_at(clat, "error");
    state.uplink = string_at(clat, "uplink");
    state.tun = string_at(clat, "tun");
    state.plat_prefix = prefix_at(clat, "plat_prefix");
    if (auto options = clat.find("options"); options != clat.end())
        state.plat_prefix_setting = string_at(*options, "plat_prefix_setting");
    return state;
}

}  // namespace

SixgateState parse_sixgate_status(const nlohmann::json& status) {
    SixgateState state;
    state.running = true;
    if (auto pid = status.find("pid"); pid != status.end() && pid->is_number_integer()) state.pid = pid->get<long>();
    state.config = string_at(status, "config");
    auto components = status.find("components");
    if (components == status.end() || !components->is_object()) return state;
    if (auto router = components->find("router"); router != components->end()) {
        if (auto interfaces = router->find("interfaces"); interfaces != router->end() && interfaces->is_array())
            for (const auto& interface : *interfaces) {
                state.router_interfaces.push_back(string_at(interface, "name"));
                if (auto options = interface.find("options"); options != interface.end() && options->contains("pref64"))
                    if (auto pref64 = prefix_at((*options)["pref64"], "prefix")) state.nat64_prefix = pref64;
            }
    }
    if (auto plat = components->find("plat"); plat != components->end()) {
        state.plat = true;
        if (auto pool6 = prefix_at(*plat, "prefix")) state.nat64_prefix = pool6;
    }
    if (auto isatap = components->find("isatap"); isatap != components->end()) {
        if (string_at(*isatap, "mode") == "host")
            state.isatap_host = parse_isatap_host(*isatap);
        else
            state.isatap_router = true;
    }
    if (auto clat = components->find("clat"); clat != components->end()) state.clat = parse_clat(*clat);
    return state;
}

}  // namespace sixgate::app::doctor
