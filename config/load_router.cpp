// The router section: what to advertise on each link (RFC 4861 RAs with RFC 4191, 8106 and 8781
// options) and the kernel routes to install.

#include <algorithm>
#include <map>
#include <utility>

#include "config/sections.hpp"

namespace sixgate::config {
namespace {

constexpr std::string_view kRouterKeys[] = {"enabled", "forwarding", "server_address", "interfaces", "routes"};
constexpr std::string_view kInterfaceKeys[] = {
    "name",          "max_rtr_adv_interval", "min_rtr_adv_interval",      "router_lifetime",
    "router_preference", "cur_hop_limit",    "managed",                   "other_config",
    "reachable_time", "retrans_timer",       "link_mtu",                  "source_link_address",
    "unicast_solicited_replies", "unicast_reply_limit", "prefixes",       "routes",
    "rdnss",         "dnssl",                "pref64"};
constexpr std::string_view kPrefixKeys[] = {"prefix", "on_link", "autonomous", "valid_lifetime", "preferred_lifetime"};
constexpr std::string_view kRouteKeys[] = {"prefix", "preference", "lifetime"};
constexpr std::string_view kRdnssKeys[] = {"servers", "lifetime"};
constexpr std::string_view kDnsslKeys[] = {"domains", "lifetime"};
constexpr std::string_view kPref64Keys[] = {"prefix", "lifetime"};
constexpr std::string_view kKernelRouteKeys[] = {"prefix", "via", "dev", "metric"};
constexpr std::string_view kPreferences[] = {"low", "medium", "high"};

constexpr std::string_view kMaxIntervalRule = "RFC 4861 6.2.1, as updated by RFC 8319";
constexpr Bound kLifetime32{0, 0xffffffff, "s", ""};
// RFC 8781 4: the lifetime travels as 13 bits in units of 8 s.
constexpr std::uint32_t kMaxPref64Lifetime = 65528;

void read_bool(Reader& reader, const MapView& map, std::string_view key, Setting<bool>& setting) {
    if (const YAML::Node* node = map.get(key))
        if (auto value = reader.boolean(*node, map.path(key))) setting.set(*value, Origin::configured);
}

// Reads into setting; returns the node when the key was present and valid.
const YAML::Node* read_number(Reader& reader, const MapView& map, std::string_view key, const Bound& bound,
                              Setting<std::uint32_t>& setting) {
    const YAML::Node* node = map.get(key);
    if (!node) return nullptr;
    auto value = reader.number(*node, map.path(key), bound);
    if (!value) return nullptr;
    setting.set(*value, Origin::configured);
    return node;
}

const YAML::Node* read_lifetime(Reader& reader, const MapView& map, std::string_view key, const Bound& bound,
                                Setting<std::uint32_t>& setting) {
    const YAML::Node* node = map.get(key);
    if (!node) return nullptr;
    auto value = reader.lifetime(*node, map.path(key), bound);
    if (!value) return nullptr;
    setting.set(*value, Origin::configured);
    return node;
}

Setting<std::uint32_t> three_times_max(std::uint32_t max_interval) {
    Setting<std::uint32_t> setting;
    setting.set(3 * max_interval, Origin::derived, "3 * max_rtr_adv_interval");
    return setting;
}

std::uint32_t round_up_to_8(std::uint32_t value) { return (value + 7) / 8 * 8; }

void load_prefixes(LoadContext& context, const MapView& interface, RouterInterface& out) {
    Reader& reader = context.reader;
    const YAML::Node* node = interface.get("prefixes");
    if (!node) {
        if (auto org = context.plan.default_prefix(interface.node(), interface.path("prefixes"), "org")) {
            PrefixInformation info;
            info.prefix.set(*org, Origin::derived, "org, default");
            out.prefixes.push_back(info);
        }
        return;
    }
    auto items = reader.list(*node, interface.path("prefixes"));
    if (!items) return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string path = index_path(interface.path("prefixes"), i);
        auto map = reader.map((*items)[i], path, kPrefixKeys);
        if (!map) continue;
        PrefixInformation info;
        const YAML::Node* prefix_node = map->get("prefix");
        if (!prefix_node) {
            reader.error(map->node(), map->path("prefix"), "required: expected an IPv6 prefix or a plan name");
            continue;
        }
        auto prefix = context.plan.prefix(*prefix_node, map->path("prefix"));
        read_bool(reader, *map, "on_link", info.on_link);
        read_bool(reader, *map, "autonomous", info.autonomous);
        const YAML::Node* valid = read_lifetime(reader, *map, "valid_lifetime", kLifetime32, info.valid_lifetime);
        const YAML::Node* preferred =
            read_lifetime(reader, *map, "preferred_lifetime", kLifetime32, info.preferred_lifetime);
        // RFC 4861 4.6.2: a preferred lifetime above the valid one makes hosts ignore the option.
        if ((valid || !map->has("valid_lifetime")) && (preferred || !map->has("preferred_lifetime")) &&
            *info.preferred_lifetime > *info.valid_lifetime) {
            const YAML::Node& at = preferred ? *preferred : *valid;
            reader.error(at, map->path(preferred ? "preferred_lifetime" : "valid_lifetime"),
                         "preferred_lifetime must be at most valid_lifetime (RFC 4861 4.6.2), found preferred " +
                             std::to_string(*info.preferred_lifetime) + " s > valid " +
                             std::to_string(*info.valid_lifetime) + " s");
        }
        if (!prefix) continue;
        info.prefix = *prefix;
        // RFC 4862 5.5.3 (d) with RFC 4291 2.5.1: SLAAC forms 64-bit interface IDs.
        if (*info.autonomous && prefix->value.length() != 64)
            reader.warning(*prefix_node, map->path("prefix"),
                           "autonomous is true but " + prefix->value.to_string() +
                               " is not a /64: hosts will not form SLAAC addresses from it (RFC 4862 5.5.3)");
        out.prefixes.push_back(info);
    }
}

void add_route(RouterInterface& out, const net::Ipv6Prefix& prefix, const std::string& source) {
    RouteInformation route;
    route.prefix.set(prefix, Origin::derived, source);
    route.lifetime = three_times_max(*out.max_rtr_adv_interval);
    out.routes.push_back(route);
}

void load_routes(LoadContext& context, const MapView& interface, RouterInterface& out) {
    Reader& reader = context.reader;
    const YAML::Node* node = interface.get("routes");
    if (!node) {
        // The default: reach IP-HTTPS clients, and Teredo clients when the server is public.
        if (const net::PrefixPlan* plan = context.plan.plan()) {
            add_route(out, plan->iphttps, "iphttps, default");
            if (plan->teredo) add_route(out, plan->teredo->prefix, "teredo, default");
        }
        return;
    }
    auto items = reader.list(*node, interface.path("routes"));
    if (!items) return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string path = index_path(interface.path("routes"), i);
        auto map = reader.map((*items)[i], path, kRouteKeys);
        if (!map) continue;
        RouteInformation route;
        route.lifetime = three_times_max(*out.max_rtr_adv_interval);
        if (const YAML::Node* preference = map->get("preference"))
            if (auto index = reader.choice(*preference, map->path("preference"), kPreferences))
                route.preference.set(static_cast<RouterPreference>(*index), Origin::configured);
        read_lifetime(reader, *map, "lifetime", kLifetime32, route.lifetime);
        const YAML::Node* prefix_node = map->get("prefix");
        if (!prefix_node) {
            reader.error(map->node(), map->path("prefix"), "required: expected an IPv6 prefix or a plan name");
            continue;
        }
        // RFC 4191 2.3: Prefix Length 0..128 (any literal prefix qualifies).
        auto prefix = context.plan.prefix(*prefix_node, map->path("prefix"));
        if (!prefix) continue;
        route.prefix = *prefix;
        out.routes.push_back(route);
    }
}

void load_rdnss(LoadContext& context, const MapView& interface, RouterInterface& out) {
    Reader& reader = context.reader;
    const YAML::Node* node = interface.get("rdnss");
    if (!node) return;
    auto map = reader.map(*node, interface.path("rdnss"), kRdnssKeys);
    if (!map) return;
    RdnssConfig rdnss;
    rdnss.lifetime = three_times_max(*out.max_rtr_adv_interval);
    read_lifetime(reader, *map, "lifetime", kLifetime32, rdnss.lifetime);
    const YAML::Node* servers = map->get("servers");
    auto items = servers ? reader.list(*servers, map->path("servers")) : std::nullopt;
    if (servers && items && items->empty())
        reader.error(*servers, map->path("servers"), "expected at least one server address (RFC 8106 5.1), found an empty list");
    if (!servers)
        reader.error(map->node(), map->path("servers"), "required: expected a list of DNS server addresses (RFC 8106 5.1)");
    for (std::size_t i = 0; items && i < items->size(); ++i) {
        const std::string path = index_path(map->path("servers"), i);
        auto address = context.plan.address((*items)[i], path);
        if (!address) continue;
        // RFC 8106 5.1 names recursive DNS servers: unicast addresses.
        if (address->value.bytes()[0] == 0xff || address->value == net::Ipv6Address()) {
            reader.error((*items)[i], path,
                         "expected a unicast DNS server address (RFC 8106 5.1), found " + address->value.to_string());
            continue;
        }
        rdnss.servers.push_back(*address);
    }
    out.rdnss = rdnss;
}

void load_dnssl(LoadContext& context, const MapView& interface, RouterInterface& out) {
    Reader& reader = context.reader;
    const YAML::Node* node = interface.get("dnssl");
    if (!node) return;
    auto map = reader.map(*node, interface.path("dnssl"), kDnsslKeys);
    if (!map) return;
    DnsslConfig dnssl;
    dnssl.lifetime = three_times_max(*out.max_rtr_adv_interval);
    read_lifetime(reader, *map, "lifetime", kLifetime32, dnssl.lifetime);
    const YAML::Node* domains = map->get("domains");
    auto items = domains ? reader.list(*domains, map->path("domains")) : std::nullopt;
    if (domains && items && items->empty())
        reader.error(*domains, map->path("domains"), "expected at least one domain name (RFC 8106 5.2), found an empty list");
    if (!domains)
        reader.error(map->node(), map->path("domains"), "required: expected a list of DNS search domains (RFC 8106 5.2)");
    for (std::size_t i = 0; items && i < items->size(); ++i)
        if (auto name = reader.dns_name((*items)[i], index_path(map->path("domains"), i)))
            dnssl.domains.push_back(*name);
    out.dnssl = dnssl;
}

void load_pref64(LoadContext& context, const MapView& interface, RouterInterface& out) {
    Reader& reader = context.reader;
    Pref64Config& pref64 = out.pref64;
    // RFC 8781 4: the default lifetime of 3 * MaxRtrAdvInterval, capped to what 13 bits of 8 s hold.
    const std::uint32_t three_max = 3 * *out.max_rtr_adv_interval;
    const std::uint32_t lifetime = std::min(round_up_to_8(three_max), kMaxPref64Lifetime);
    pref64.lifetime.set(lifetime, Origin::derived,
                        lifetime == three_max ? "3 * max_rtr_adv_interval"
                                              : "3 * max_rtr_adv_interval, in units of 8 s up to 65528");
    const YAML::Node* node = interface.get("pref64");
    const std::string path = interface.path("pref64");
    if (!node) {
        // Enabled by default whenever the plan has a NAT64 prefix to announce.
        if (const net::PrefixPlan* plan = context.plan.plan()) {
            pref64.enabled.set(true, Origin::derived, "nat64, default");
            pref64.prefix.set(plan->nat64, Origin::derived, "nat64, default");
        }
        return;
    }
    if (node->IsScalar() && (node->Scalar() == "off" || node->Scalar() == "false")) {
        pref64.enabled.set(false, Origin::configured);
        return;
    }
    if (node->IsScalar()) {
        reader.error(*node, path, "expected a map {prefix, lifetime} or off, found " + describe(*node));
        return;
    }
    auto map = reader.map(*node, path, kPref64Keys, true);
    if (!map) return;
    pref64.enabled.set(true, Origin::configured);
    if (const YAML::Node* prefix_node = map->get("prefix")) {
        auto prefix = context.plan.prefix(*prefix_node, map->path("prefix"));
        // RFC 8781 4: the Prefix Length Code encodes only the RFC 6052 lengths.
        if (prefix && !is_rfc6052_length(prefix->value.length())) {
            reader.error(*prefix_node, map->path("prefix"),
                         "prefix length must be 32, 40, 48, 56, 64 or 96 (RFC 8781 4, RFC 6052 2.2), found " +
                             prefix->value.to_string());
        } else if (prefix) {
            pref64.prefix = *prefix;
        }
    } else if (auto nat64 = context.plan.default_prefix(map->node(), map->path("prefix"), "nat64")) {
        pref64.prefix.set(*nat64, Origin::derived, "nat64, default");
    }
    if (const YAML::Node* lifetime = map->get("lifetime")) {
        auto value = reader.number(*lifetime, map->path("lifetime"),
                                   Bound{0, kMaxPref64Lifetime, "s", "RFC 8781 4: 13 bits in units of 8 s"});
        if (value) {
            pref64.lifetime.set(round_up_to_8(*value), Origin::configured);
            if (*value % 8 != 0)
                reader.warning(*lifetime, map->path("lifetime"),
                               "rounded up to " + std::to_string(*pref64.lifetime) + " s: RFC 8781 4 carries the "
                               "lifetime in units of 8 s, found " + std::to_string(*value));
        }
    }
}

void load_interface(LoadContext& context, const YAML::Node& node, const std::string& path, RouterInterface& out,
                    bool& ok) {
    Reader& reader = context.reader;
    ok = false;
    auto map = reader.map(node, path, kInterfaceKeys);
    if (!map) return;
    if (const YAML::Node* name = map->get("name")) {
        if (auto value = reader.interface_name(*name, map->path("name"))) out.name = *value, ok = true;
    } else {
        reader.error(node, map->path("name"), "required: expected the interface name to advertise on");
    }

    const YAML::Node* max_node = map->get("max_rtr_adv_interval");
    const bool max_valid = read_number(reader, *map, "max_rtr_adv_interval", Bound{4, 65535, "s", kMaxIntervalRule},
                                       out.max_rtr_adv_interval) != nullptr;
    const std::uint32_t max_interval = *out.max_rtr_adv_interval;
    // RFC 4861 6.2.1: MinRtrAdvInterval is 3 s .. 0.75 * MaxRtrAdvInterval.
    const std::uint32_t min_upper = max_interval * 3 / 4;
    // DEVIATION(RFC 4861 6.2.1): the default 0.33 * Max (or Max when Max < 9) can leave the rule's
    // own 3..0.75 * Max range; it is clamped into it so a default never fails validation.
    out.min_rtr_adv_interval.set(std::clamp<std::uint32_t>(max_interval * 33 / 100, 3, min_upper), Origin::derived,
                                 "0.33 * max_rtr_adv_interval");
    if (const YAML::Node* min_node = map->get("min_rtr_adv_interval")) {
        if (max_node && !max_valid) {
            reader.integer(*min_node, map->path("min_rtr_adv_interval"));  // type check only
        } else {
            read_number(reader, *map, "min_rtr_adv_interval",
                        Bound{3, min_upper, "s", "RFC 4861 6.2.1: 3 s to 0.75 * max_rtr_adv_interval"},
                        out.min_rtr_adv_interval);
        }
    }
    if (const YAML::Node* lifetime = map->get("router_lifetime")) {
        auto value = reader.integer(*lifetime, map->path("router_lifetime"));
        if (value && *value != 0 && (*value < max_interval || *value > 65535)) {
            reader.error(*lifetime, map->path("router_lifetime"),
                         "must be 0 or " + std::to_string(max_interval) +
                             "..65535 s (RFC 4861 6.2.1, as updated by RFC 8319: 0 or max_rtr_adv_interval "
                             "..65535), found " + std::to_string(*value));
        } else if (value) {
            out.router_lifetime.set(static_cast<std::uint32_t>(*value), Origin::configured);
        }
    }
    if (const YAML::Node* preference = map->get("router_preference")) {
        if (auto index = reader.choice(*preference, map->path("router_preference"), kPreferences)) {
            out.router_preference.set(static_cast<RouterPreference>(*index), Origin::configured);
            if (*out.router_lifetime == 0 && *out.router_preference != RouterPreference::medium)
                reader.warning(*preference, map->path("router_preference"),
                               "sent as medium: router_lifetime is 0, and a router that is not a default "
                               "router sends preference medium (RFC 4191 2.2)");
        }
    }
    read_number(reader, *map, "cur_hop_limit", Bound{0, 255, "", "RFC 4861 4.2: 8 bits, 0 = unspecified"},
                out.cur_hop_limit);
    read_bool(reader, *map, "managed", out.managed);
    read_bool(reader, *map, "other_config", out.other_config);
    read_number(reader, *map, "reachable_time", Bound{0, 3600000, "ms", "RFC 4861 6.2.1"}, out.reachable_time);
    read_number(reader, *map, "retrans_timer", Bound{0, 0xffffffff, "ms", "RFC 4861 4.2"}, out.retrans_timer);
    if (const YAML::Node* mtu = map->get("link_mtu"); mtu && !mtu->IsNull()) {
        // RFC 8200 5: no IPv6 link has an MTU below 1280.
        if (auto value = reader.number(*mtu, map->path("link_mtu"), Bound{1280, 65535, "bytes", "RFC 8200 5"}))
            out.link_mtu.set(*value, Origin::configured);
    }
    read_bool(reader, *map, "source_link_address", out.source_link_address);
    read_bool(reader, *map, "unicast_solicited_replies", out.unicast_solicited_replies);
    read_number(reader, *map, "unicast_reply_limit", Bound{1, 1000, "replies per second", ""},
                out.unicast_reply_limit);

    load_prefixes(context, *map, out);
    load_pref64(context, *map, out);
    load_routes(context, *map, out);
    load_rdnss(context, *map, out);
    load_dnssl(context, *map, out);

    // Hosts using the announced PREF64 must be able to reach it through this router.
    if (*out.pref64.enabled && out.pref64.prefix.origin != Origin::defaulted &&
        std::none_of(out.routes.begin(), out.routes.end(),
                     [&](const RouteInformation& route) { return *route.prefix == *out.pref64.prefix; }))
        add_route(out, *out.pref64.prefix, "pref64");
}

void load_kernel_routes(LoadContext& context, const MapView& router, RouterConfig& out) {
    Reader& reader = context.reader;
    const YAML::Node* node = router.get("routes");
    if (!node) return;
    auto items = reader.list(*node, router.path("routes"));
    if (!items) return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string path = index_path(router.path("routes"), i);
        auto map = reader.map((*items)[i], path, kKernelRouteKeys);
        if (!map) continue;
        KernelRoute route;
        bool ok = true;
        if (const YAML::Node* prefix = map->get("prefix")) {
            auto value = context.plan.prefix(*prefix, map->path("prefix"));
            ok = value.has_value();
            if (value) route.prefix = *value;
        } else {
            reader.error(map->node(), map->path("prefix"), "required: expected an IPv6 prefix or a plan name");
            ok = false;
        }
        if (const YAML::Node* via = map->get("via")) {
            auto value = context.plan.address(*via, map->path("via"));
            ok = ok && value.has_value();
            if (value) route.via = *value;
        }
        if (const YAML::Node* dev = map->get("dev")) {
            auto value = reader.interface_name(*dev, map->path("dev"));
            ok = ok && value.has_value();
            route.dev = value;
        }
        read_number(reader, *map, "metric", Bound{0, 0xffffffff, "", ""}, route.metric);
        if (!map->has("via") && !map->has("dev")) {
            reader.error(map->node(), path, "expected at least one of via or dev, found neither");
            continue;
        }
        // RFC 4291 2.5.6: a link-local next hop means nothing without its link.
        if (route.via && (route.via->value.group(0) & 0xffc0) == 0xfe80 && !map->has("dev")) {
            reader.error(*map->get("via"), map->path("via"),
                         "next hop " + route.via->value.to_string() +
                             " is link-local (RFC 4291 2.5.6): dev is needed to say which link");
            continue;
        }
        if (ok) out.routes.push_back(route);
    }
}

}  // namespace

Setting<bool> read_enabled(Reader& reader, const MapView& map) {
    Setting<bool> enabled(true);
    if (const YAML::Node* node = map.get("enabled")) {
        auto value = reader.boolean(*node, map.path("enabled"));
        // When it is not a boolean (reported), check the rest as if disabled, without cascades.
        enabled.set(value.value_or(false), Origin::configured);
    }
    return enabled;
}

bool is_rfc6052_length(int length) {
    return length == 32 || length == 40 || length == 48 || length == 56 || length == 64 || length == 96;
}

void load_router(LoadContext& context, const YAML::Node* node, RouterConfig& router) {
    if (!node) return;
    Reader& reader = context.reader;
    auto map = reader.map(*node, "router", kRouterKeys, true, &context.section_key);
    if (!map) return;
    router.enabled = read_enabled(reader, *map);
    read_bool(reader, *map, "forwarding", router.forwarding);

    if (const YAML::Node* address = map->get("server_address")) {
        if (auto value = context.plan.interface_address(*address, map->path("server_address"))) {
            router.server_address.set(value->value, value->origin, value->source);
        }
    } else if (*router.enabled || context.plan.plan()) {
        // The default org::1/64: the address DirectAccess gives the server on the organization subnet.
        if (auto org = context.plan.default_prefix(map->node(), map->path("server_address"), "org")) {
            net::Ipv6Address one;
            one.set_group(7, 1);
            router.server_address.set(InterfaceAddress{org->with_host(one), 64}, Origin::derived, "org::1/64, default");
        }
    }

    if (const YAML::Node* interfaces = map->get("interfaces")) {
        auto items = reader.list(*interfaces, map->path("interfaces"));
        std::map<std::string, std::size_t> seen;
        for (std::size_t i = 0; items && i < items->size(); ++i) {
            RouterInterface interface;
            bool named = false;
            const std::string path = index_path(map->path("interfaces"), i);
            load_interface(context, (*items)[i], path, interface, named);
            if (named) {
                auto [it, inserted] = seen.emplace(interface.name, i);
                if (!inserted) {
                    reader.error(std::as_const((*items)[i])["name"], join_path(path, "name"),
                                 "interface '" + interface.name + "' is already configured in " +
                                     index_path(map->path("interfaces"), it->second));
                    continue;
                }
            }
            router.interfaces.push_back(std::move(interface));
        }
        if (items && items->empty() && *router.enabled)
            reader.error(*interfaces, map->path("interfaces"), "expected at least one interface, found an empty list");
    } else if (*router.enabled) {
        reader.error(map->node(), map->path("interfaces"),
                     "required when the router is enabled: expected a list of interfaces to advertise on");
    }
    load_kernel_routes(context, *map, router);
}

}  // namespace sixgate::config
