#include "router/ra_status.hpp"

#include "router/ra_interface.hpp"

namespace sixgate::router {

namespace nd = net::nd;

nlohmann::json advertisement_json(const nd::RouterAdvertisement& ra) {
    nlohmann::json json;
    json["cur_hop_limit"] = ra.cur_hop_limit;
    json["managed"] = ra.managed;
    json["other_config"] = ra.other_config;
    json["router_lifetime"] = ra.router_lifetime;
    json["router_preference"] = nd::to_string(ra.router_preference);
    json["reachable_time"] = ra.reachable_time;
    json["retrans_timer"] = ra.retrans_timer;
    auto& prefixes = json["prefixes"] = nlohmann::json::array();
    auto& routes = json["routes"] = nlohmann::json::array();
    for (const auto& option : ra.options) {
        if (const auto* pio = std::get_if<nd::PrefixInformationOption>(&option))
            prefixes.push_back({{"prefix", pio->prefix.to_string()},
                                {"on_link", pio->on_link},
                                {"autonomous", pio->autonomous},
                                {"valid_lifetime", pio->valid_lifetime},
                                {"preferred_lifetime", pio->preferred_lifetime}});
        else if (const auto* rio = std::get_if<nd::RouteInformationOption>(&option))
            routes.push_back({{"prefix", rio->prefix.to_string()},
                              {"preference", nd::to_string(rio->preference)},
                              {"lifetime", rio->route_lifetime}});
        else if (const auto* rdnss = std::get_if<nd::RdnssOption>(&option)) {
            auto servers = nlohmann::json::array();
            for (const auto& server : rdnss->servers) servers.push_back(server.to_string());
            json["rdnss"] = {{"servers", servers}, {"lifetime", rdnss->lifetime}};
        } else if (const auto* dnssl = std::get_if<nd::DnsslOption>(&option))
            json["dnssl"] = {{"domains", dnssl->domains}, {"lifetime", dnssl->lifetime}};
        else if (const auto* pref64 = std::get_if<nd::Pref64Option>(&option))
            json["pref64"] = {{"prefix", pref64->prefix.to_string()}, {"lifetime", pref64->lifetime_seconds()}};
        else if (const auto* mtu = std::get_if<nd::MtuOption>(&option))
            json["mtu"] = mtu->mtu;
    }
    return json;
}

nlohmann::json interface_status(const std::string& name, const RaCounters& counters, const nd::RouterAdvertisement& ra) {
    nlohmann::json json;
    json["name"] = name;
    json["ras_sent_multicast"] = counters.ras_sent_multicast;
    json["ras_sent_unicast"] = counters.ras_sent_unicast;
    json["ras_sent_final"] = counters.ras_sent_final;
    json["rs_received"] = counters.rs_received;
    json["rs_answered_multicast"] = counters.rs_answered_multicast;
    json["rs_answered_unicast"] = counters.rs_answered_unicast;
    json["rs_rate_limited"] = counters.rs_rate_limited;
    json["ras_received"] = counters.ras_received;
    json["ras_inconsistent"] = counters.ras_inconsistent;
    json["send_errors"] = counters.send_errors;
    auto& drops = json["drops"] = nlohmann::json::object();
    for (std::size_t i = 0; i < counters.drops.size(); ++i)
        drops[std::string(nd::to_string(nd::NdDropReason(i)))] = counters.drops[i];
    json["options"] = advertisement_json(ra);
    return json;
}

}  // namespace sixgate::router
