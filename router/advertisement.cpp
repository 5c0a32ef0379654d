#include "router/advertisement.hpp"

#include <algorithm>

namespace sixgate::router {

namespace nd = net::nd;
using std::chrono::seconds;
using std::chrono::steady_clock;

nd::RoutePreference wire_preference(config::RouterPreference preference) noexcept {
    switch (preference) {
        case config::RouterPreference::low: return nd::RoutePreference::low;
        case config::RouterPreference::high: return nd::RoutePreference::high;
        case config::RouterPreference::medium: break;
    }
    return nd::RoutePreference::medium;
}

namespace {

std::uint32_t seconds_left(steady_clock::time_point until, steady_clock::time_point now) {
    if (until <= now) return 0;
    return std::uint32_t(std::chrono::ceil<seconds>(until - now).count());
}

template <class Option, class Predicate>
bool has_option(const nd::RouterAdvertisement& ra, Predicate matches) {
    return std::any_of(ra.options.begin(), ra.options.end(), [&](const nd::NdOption& option) {
        const auto* typed = std::get_if<Option>(&option);
        return typed && matches(*typed);
    });
}

}  // namespace

nd::RouterAdvertisement compose_advertisement(const config::RouterInterface& interface,
                                              const std::optional<nd::MacAddress>& link_layer_address,
                                              const Retired& retired, steady_clock::time_point now) {
    nd::RouterAdvertisement ra;
    ra.cur_hop_limit = std::uint8_t(*interface.cur_hop_limit);
    ra.managed = *interface.managed;
    ra.other_config = *interface.other_config;
    ra.router_lifetime = std::uint16_t(*interface.router_lifetime);
    // RFC 4191 2.2: with a router lifetime of 0 the preference must be sent as medium.
    ra.router_preference =
        ra.router_lifetime == 0 ? nd::RoutePreference::medium : wire_preference(*interface.router_preference);
    ra.reachable_time = *interface.reachable_time;
    ra.retrans_timer = *interface.retrans_timer;

    if (*interface.source_link_address && link_layer_address)
        ra.options.push_back(nd::SourceLinkLayerAddressOption{*link_layer_address});
    if (interface.link_mtu.value) ra.options.push_back(nd::MtuOption{*interface.link_mtu.value});
    for (const auto& prefix : interface.prefixes)
        ra.options.push_back(nd::PrefixInformationOption{*prefix.prefix, *prefix.on_link, *prefix.autonomous,
                                                         *prefix.valid_lifetime, *prefix.preferred_lifetime});
    for (const auto& retired_prefix : retired.prefixes) {
        nd::PrefixInformationOption option = retired_prefix.option;
        option.preferred_lifetime = 0;
        option.valid_lifetime = std::min<std::uint32_t>(seconds_left(retired_prefix.valid_until, now),
                                                        std::uint32_t(kValidLifetimeFloor.count()));
        ra.options.push_back(option);
    }
    for (const auto& route : interface.routes)
        ra.options.push_back(
            nd::RouteInformationOption{*route.prefix, wire_preference(*route.preference), *route.lifetime});
    for (const auto& route : retired.routes)
        ra.options.push_back(nd::RouteInformationOption{route.prefix, nd::RoutePreference::medium, 0});
    if (interface.rdnss) {
        nd::RdnssOption rdnss{*interface.rdnss->lifetime, {}};
        for (const auto& server : interface.rdnss->servers) rdnss.servers.push_back(*server);
        ra.options.push_back(rdnss);
    }
    if (interface.dnssl) ra.options.push_back(nd::DnsslOption{*interface.dnssl->lifetime, interface.dnssl->domains});
    if (*interface.pref64.enabled)
        ra.options.push_back(nd::Pref64Option{
            *interface.pref64.prefix, nd::Pref64Option::scaled_lifetime_from_seconds(*interface.pref64.lifetime)});
    for (const auto& pref64 : retired.pref64) ra.options.push_back(nd::Pref64Option{pref64.prefix, 0});
    return ra;
}

nd::RouterAdvertisement compose_final_advertisement(const nd::RouterAdvertisement& running) {
    nd::RouterAdvertisement ra = running;
    ra.router_lifetime = 0;
    ra.router_preference = nd::RoutePreference::medium;
    for (auto& option : ra.options) {
        std::visit(
            [](auto& typed) {
                using T = std::decay_t<decltype(typed)>;
                if constexpr (std::is_same_v<T, nd::PrefixInformationOption>) {
                    typed.preferred_lifetime = 0;
                    typed.valid_lifetime = 0;  // a host keeps up to 2 h (RFC 4862 5.5.3(e))
                } else if constexpr (std::is_same_v<T, nd::RouteInformationOption>) {
                    typed.route_lifetime = 0;
                } else if constexpr (std::is_same_v<T, nd::RdnssOption> || std::is_same_v<T, nd::DnsslOption>) {
                    typed.lifetime = 0;
                } else if constexpr (std::is_same_v<T, nd::Pref64Option>) {
                    typed.scaled_lifetime = 0;
                }
            },
            option);
    }
    return ra;
}

Retired retire_changes(const nd::RouterAdvertisement& before, const nd::RouterAdvertisement& after,
                       steady_clock::time_point now) {
    Retired retired;
    for (const auto& option : before.options) {
        if (const auto* pio = std::get_if<nd::PrefixInformationOption>(&option)) {
            if (pio->preferred_lifetime == 0 && pio->valid_lifetime == 0) continue;
            if (has_option<nd::PrefixInformationOption>(after, [&](auto& o) { return o.prefix == pio->prefix; }))
                continue;
            const seconds valid = std::min(seconds(pio->valid_lifetime), kValidLifetimeFloor);
            retired.prefixes.push_back({*pio, now + valid});
            retired.advertise_until = std::max(retired.advertise_until, now + valid);
        } else if (const auto* rio = std::get_if<nd::RouteInformationOption>(&option)) {
            if (has_option<nd::RouteInformationOption>(after, [&](auto& o) { return o.prefix == rio->prefix; }))
                continue;
            // Long enough for hosts that miss a few RAs: as long as the route could have lived.
            const seconds keep = std::min(seconds(rio->route_lifetime), kValidLifetimeFloor);
            retired.routes.push_back({rio->prefix, now + keep});
            retired.advertise_until = std::max(retired.advertise_until, now + keep);
        } else if (const auto* pref64 = std::get_if<nd::Pref64Option>(&option)) {
            if (has_option<nd::Pref64Option>(after, [&](auto& o) { return o.prefix == pref64->prefix; })) continue;
            retired.pref64.push_back(*pref64);
            retired.advertise_until =
                std::max(retired.advertise_until, now + seconds(pref64->lifetime_seconds()));
        }
    }
    return retired;
}

bool expire_retired(Retired& retired, steady_clock::time_point now) {
    const std::size_t before = retired.prefixes.size() + retired.routes.size() + retired.pref64.size();
    std::erase_if(retired.prefixes, [&](const RetiredPrefix& p) { return p.valid_until <= now; });
    std::erase_if(retired.routes, [&](const RetiredRoute& r) { return r.advertise_until <= now; });
    if (retired.advertise_until <= now) retired.pref64.clear();
    return before != retired.prefixes.size() + retired.routes.size() + retired.pref64.size();
}

}  // namespace sixgate::router
