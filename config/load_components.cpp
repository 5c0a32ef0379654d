// The isatap, clat, plat and translation sections.

#include <algorithm>
#include <cctype>
#include <charconv>

#include "config/sections.hpp"

namespace sixgate::config {
namespace {

constexpr std::string_view kIsatapKeys[] = {"enabled", "mode",  "interface",     "tun",    "prefix",
                                            "allow",   "other_routers", "routers", "resolicit_interval"};
constexpr std::string_view kIsatapModes[] = {"router", "host"};
constexpr std::string_view kClatKeys[] = {"enabled",      "tun",          "queues",      "uplink",
                                          "ipv4_address", "ipv6_address", "plat_prefix", "mtu",
                                          "dhcpv4"};
constexpr std::string_view kClatDhcpv4Keys[] = {"v6only_preferred", "no_server_wait"};
constexpr std::string_view kPlatKeys[] = {"enabled",   "tun",      "queues",       "prefix",
                                          "pool4",     "filtering", "timeouts",    "max_sessions",
                                          "max_sessions_per_source", "static_bib"};
constexpr std::string_view kPool4Keys[] = {"prefix", "tcp_ports", "udp_ports", "icmp_ids"};
constexpr std::string_view kFilterings[] = {"endpoint_independent", "address_dependent"};
constexpr std::string_view kTimeoutKeys[] = {"udp",           "icmp",           "tcp_established",
                                             "tcp_transitory", "tcp_incoming_syn", "allow_below_rfc_minimum"};
constexpr std::string_view kStaticBibKeys[] = {"protocol", "ipv4", "ipv6"};
constexpr std::string_view kProtocols[] = {"tcp", "udp", "icmp"};
constexpr std::string_view kTranslationKeys[] = {"eam",          "rfc6791_pool",    "ipv4_address",
                                                 "ipv6_address", "lowest_ipv6_mtu", "udp_zero_checksum"};
constexpr std::string_view kEamKeys[] = {"ipv4", "ipv6"};
constexpr std::string_view kUdpZeroChecksum[] = {"compute", "drop"};
constexpr Bound kQueues{1, 64, "queues", ""};

void read_interface(Reader& reader, const MapView& map, std::string_view key, Setting<std::string>& setting) {
    if (const YAML::Node* node = map.get(key))
        if (auto name = reader.interface_name(*node, map.path(key))) setting.set(*name, Origin::configured);
}

void read_number(Reader& reader, const MapView& map, std::string_view key, const Bound& bound,
                 Setting<std::uint32_t>& setting) {
    if (const YAML::Node* node = map.get(key))
        if (auto value = reader.number(*node, map.path(key), bound)) setting.set(*value, Origin::configured);
}

void require(Reader& reader, const MapView& map, std::string_view key, bool enabled, std::string_view what) {
    if (enabled && !map.has(key))
        reader.error(map.node(), map.path(key), "required when enabled: expected " + std::string(what));
}

bool is_ipv4_literal(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
    });
}

std::string lower(std::string text) {
    for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

// "A-B" or a single number, within 0..65535.
std::optional<PortRange> read_port_range(Reader& reader, const YAML::Node& node, const std::string& path) {
    auto text = reader.scalar(node, path, "a range FIRST-LAST within 0..65535");
    if (!text) return std::nullopt;
    const std::size_t dash = text->find('-');
    const std::string_view first_text = std::string_view(*text).substr(0, dash);
    const std::string_view last_text = dash == std::string::npos ? first_text : std::string_view(*text).substr(dash + 1);
    auto parse = [](std::string_view digits, std::uint32_t& value) {
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
        return !digits.empty() && ec == std::errc{} && end == digits.data() + digits.size() && value <= 65535;
    };
    std::uint32_t first = 0, last = 0;
    if (!parse(first_text, first) || !parse(last_text, last) || first > last) {
        reader.error(node, path, "expected a range FIRST-LAST within 0..65535 with FIRST <= LAST, found '" + *text + "'");
        return std::nullopt;
    }
    return PortRange{static_cast<std::uint16_t>(first), static_cast<std::uint16_t>(last)};
}

// "TEXT:PORT" where TEXT may be bracketed ("[2001:db8::1]:80").
bool split_port(const std::string& text, bool bracketed, std::string& host, std::uint16_t& port) {
    const std::size_t colon = text.rfind(':');
    if (colon == std::string::npos) return false;
    host = text.substr(0, colon);
    if (bracketed) {
        if (host.size() < 2 || host.front() != '[' || host.back() != ']') return false;
        host = host.substr(1, host.size() - 2);
    }
    std::uint32_t value = 0;
    const std::string_view digits = std::string_view(text).substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size() || value > 65535) return false;
    port = static_cast<std::uint16_t>(value);
    return true;
}

void load_static_bib(LoadContext& context, const MapView& plat_map, PlatConfig& plat) {
    Reader& reader = context.reader;
    const YAML::Node* node = plat_map.get("static_bib");
    if (!node) return;
    auto items = reader.list(*node, plat_map.path("static_bib"));
    for (std::size_t i = 0; items && i < items->size(); ++i) {
        const std::string path = index_path(plat_map.path("static_bib"), i);
        auto map = reader.map((*items)[i], path, kStaticBibKeys);
        if (!map) continue;
        StaticBibEntry entry;
        bool ok = true;
        for (std::string_view key : kStaticBibKeys)
            if (!map->has(key)) {
                reader.error(map->node(), map->path(key), "required: expected protocol, ipv4 and ipv6");
                ok = false;
            }
        if (!ok) continue;
        if (auto index = reader.choice(*map->get("protocol"), map->path("protocol"), kProtocols))
            entry.protocol = static_cast<Protocol>(*index);
        else
            ok = false;

        const YAML::Node& ipv4_node = *map->get("ipv4");
        auto ipv4_text = reader.scalar(ipv4_node, map->path("ipv4"), "ADDRESS:PORT (e.g. 198.51.100.1:3389)");
        std::string host;
        if (ipv4_text && split_port(*ipv4_text, false, host, entry.ipv4_port) && net::Ipv4Address::parse(host)) {
            entry.ipv4 = *net::Ipv4Address::parse(host);
            const auto pool = std::find_if(plat.pool4.begin(), plat.pool4.end(),
                                           [&](const Pool4Entry& p) { return p.prefix.contains(entry.ipv4); });
            // The BIB's IPv4 side is a transport address the PLAT owns: one of pool4's.
            if (pool == plat.pool4.end() && !plat.pool4.empty()) {
                reader.error(ipv4_node, map->path("ipv4"),
                             "must lie in pool4 (a transport address the PLAT owns), found " + entry.ipv4.to_string() +
                                 ", which no pool4 prefix holds");
                ok = false;
            } else if (pool != plat.pool4.end()) {
                const PortRange& range = entry.protocol == Protocol::tcp   ? *pool->tcp_ports
                                         : entry.protocol == Protocol::udp ? *pool->udp_ports
                                                                           : *pool->icmp_ids;
                if (ok && !range.contains(entry.ipv4_port)) {
                    reader.error(ipv4_node, map->path("ipv4"),
                                 "port must lie in pool4's " + std::string(to_string(entry.protocol)) + " range " +
                                     range.to_string() + " for " + pool->prefix.to_string() + ", found " +
                                     std::to_string(entry.ipv4_port));
                    ok = false;
                }
            }
        } else if (ipv4_text) {
            reader.error(ipv4_node, map->path("ipv4"),
                         "expected ADDRESS:PORT (e.g. 198.51.100.1:3389), found '" + *ipv4_text + "'");
            ok = false;
        } else {
            ok = false;
        }

        const YAML::Node& ipv6_node = *map->get("ipv6");
        auto ipv6_text = reader.scalar(ipv6_node, map->path("ipv6"), "[ADDRESS]:PORT (e.g. [org::5]:3389)");
        if (ipv6_text && split_port(*ipv6_text, true, host, entry.ipv6_port)) {
            auto address = context.plan.address_text(host, ipv6_node, map->path("ipv6"));
            if (address) entry.ipv6 = *address;
            ok = ok && address.has_value();
        } else if (ipv6_text) {
            reader.error(ipv6_node, map->path("ipv6"),
                         "expected [ADDRESS]:PORT (e.g. [org::5]:3389), found '" + *ipv6_text + "'");
            ok = false;
        } else {
            ok = false;
        }
        if (ok) plat.static_bib.push_back(entry);
    }
}

}  // namespace

void load_isatap(LoadContext& context, const YAML::Node* node, IsatapConfig& isatap) {
    if (!node) return;
    Reader& reader = context.reader;
    auto map = reader.map(*node, "isatap", kIsatapKeys, true, &context.section_key);
    if (!map) return;
    isatap.enabled = read_enabled(reader, *map);
    const bool enabled = *isatap.enabled;
    bool mode_known = !map->has("mode") && !enabled;  // a disabled section may keep the default
    if (const YAML::Node* mode = map->get("mode")) {
        if (auto index = reader.choice(*mode, map->path("mode"), kIsatapModes)) {
            isatap.mode.set(static_cast<IsatapMode>(*index), Origin::configured);
            mode_known = true;
        }
    } else if (enabled) {
        reader.error(map->node(), map->path("mode"), "required when enabled: expected router or host");
    }
    const bool router = mode_known && *isatap.mode == IsatapMode::router;
    const bool host = mode_known && *isatap.mode == IsatapMode::host;
    require(reader, *map, "interface", enabled, "the IPv4 interface ISATAP runs over");
    read_interface(reader, *map, "interface", isatap.interface);
    read_interface(reader, *map, "tun", isatap.tun);

    // Keys of the other mode are ignored; say so rather than let a mistake pass unnoticed.
    for (std::string_view key : {"prefix", "allow", "other_routers"})
        if (host && map->has(key))
            reader.warning(*map->get(key), map->path(key), "ignored in host mode (a router mode setting)");
    for (std::string_view key : {"routers", "resolicit_interval"})
        if (router && map->has(key))
            reader.warning(*map->get(key), map->path(key), "ignored in router mode (a host mode setting)");

    if (const YAML::Node* prefix_node = map->get("prefix")) {
        auto prefix = context.plan.prefix(*prefix_node, map->path("prefix"));
        // RFC 5214 6.1: the ISATAP interface identifier fills the low 64 bits.
        if (prefix && prefix->value.length() != 64)
            reader.error(*prefix_node, map->path("prefix"),
                         "must be a /64 (RFC 5214 6.1: the ISATAP interface identifier is 64 bits), found " +
                             prefix->value.to_string());
        else if (prefix)
            isatap.prefix.set(prefix->value, prefix->origin, prefix->source);
    } else if (router && (enabled || context.plan.plan())) {
        if (auto prefix = context.plan.default_prefix(map->node(), map->path("prefix"), "isatap"))
            isatap.prefix.set(*prefix, Origin::derived, "isatap, default");
    }

    if (const YAML::Node* allow = map->get("allow")) {
        auto items = reader.list(*allow, map->path("allow"));
        for (std::size_t i = 0; items && i < items->size(); ++i)
            if (auto prefix = reader.ipv4_prefix((*items)[i], index_path(map->path("allow"), i), true))
                isatap.allow.push_back(*prefix);
        // The allow-list is what keeps ISATAP limited in scope: an empty one would admit nobody.
        if (router && enabled && items && items->empty())
            reader.error(*allow, map->path("allow"),
                         "expected at least one IPv4 address or prefix allowed to use the ISATAP router, found an empty list");
    } else if (router && enabled) {
        reader.error(map->node(), map->path("allow"),
                     "required in router mode: expected the IPv4 addresses or prefixes allowed to use the ISATAP router");
    }

    // RFC 6324 3.2.3: the IPv4 addresses of other ISATAP routers and 6to4 relays, so packets that
    // would loop between them and this router are dropped.
    if (const YAML::Node* others = map->get("other_routers")) {
        auto items = reader.list(*others, map->path("other_routers"));
        for (std::size_t i = 0; items && i < items->size(); ++i)
            if (auto prefix = reader.ipv4_prefix((*items)[i], index_path(map->path("other_routers"), i), true))
                isatap.other_routers.push_back(*prefix);
    }

    if (const YAML::Node* routers = map->get("routers")) {
        auto items = reader.list(*routers, map->path("routers"));
        for (std::size_t i = 0; items && i < items->size(); ++i) {
            const std::string path = index_path(map->path("routers"), i);
            const YAML::Node& item = (*items)[i];
            auto text = reader.scalar(item, path, "an IPv4 address or a DNS name");
            if (!text) continue;
            IsatapRouterEntry entry{*text, std::nullopt};
            if (is_ipv4_literal(*text)) {
                auto address = reader.ipv4_address(item, path);
                if (!address) continue;
                entry.address = *address;
            } else {
                if (!reader.dns_name(item, path)) continue;
                if (lower(text->substr(0, text->find('.'))) == "isatap")
                    reader.warning(item, path,
                                   "'" + *text + "' may never resolve: DNS servers block names whose first label is "
                                   "'isatap' by default (the Windows DNS global query block list); use an address "
                                   "or another name");
            }
            isatap.routers.push_back(entry);
        }
        if (host && enabled && items && items->empty())
            reader.error(*routers, map->path("routers"), "expected at least one potential router (RFC 5214 8.3.2), found an empty list");
    } else if (host && enabled) {
        reader.error(map->node(), map->path("routers"),
                     "required in host mode: expected the potential router list, IPv4 addresses or DNS names (RFC 5214 8.3.2)");
    }
    read_number(reader, *map, "resolicit_interval", Bound{1, 86400, "s", ""}, isatap.resolicit_interval);
}

void load_clat(LoadContext& context, const YAML::Node* node, ClatConfig& clat) {
    if (!node) return;
    Reader& reader = context.reader;
    auto map = reader.map(*node, "clat", kClatKeys, true, &context.section_key);
    if (!map) return;
    clat.enabled = read_enabled(reader, *map);
    read_interface(reader, *map, "tun", clat.tun);
    read_number(reader, *map, "queues", kQueues, clat.queues);
    require(reader, *map, "uplink", *clat.enabled, "the interface toward the IPv6-only network");
    read_interface(reader, *map, "uplink", clat.uplink);
    if (const YAML::Node* ipv4 = map->get("ipv4_address"))
        if (auto address = reader.ipv4_address(*ipv4, map->path("ipv4_address")))
            clat.ipv4_address.set(*address, Origin::configured);
    if (const YAML::Node* ipv6 = map->get("ipv6_address")) {
        if (ipv6->IsScalar() && ipv6->Scalar() == "auto") {
            clat.ipv6_address.set(std::nullopt, Origin::configured);
        } else if (auto address = context.plan.address(*ipv6, map->path("ipv6_address"))) {
            clat.ipv6_address.set(address->value, address->origin, address->source);
        }
    }
    if (const YAML::Node* plat_prefix = map->get("plat_prefix")) {
        const std::string path = map->path("plat_prefix");
        if (plat_prefix->IsScalar() && plat_prefix->Scalar() == "pref64") {
            clat.plat_prefix.set(PlatPrefixSetting{PlatPrefixSource::pref64, std::nullopt}, Origin::configured);
        } else if (plat_prefix->IsScalar() && plat_prefix->Scalar() == "dns64") {
            clat.plat_prefix.set(PlatPrefixSetting{PlatPrefixSource::dns64, std::nullopt}, Origin::configured);
        } else if (plat_prefix->IsScalar() && plat_prefix->Scalar().find(':') == std::string::npos &&
                   std::find(std::begin(net::kPlanNames), std::end(net::kPlanNames), plat_prefix->Scalar()) ==
                       std::end(net::kPlanNames)) {
            constexpr std::string_view kChoices[] = {"pref64", "dns64", "site", "org", "iphttps", "teredo", "isatap", "nat64"};
            reader.error(*plat_prefix, path,
                         "expected pref64, dns64 (RFC 7050), a plan name or an IPv6 prefix, found " +
                             describe(*plat_prefix) + did_you_mean(plat_prefix->Scalar(), kChoices));
        } else if (auto prefix = context.plan.prefix(*plat_prefix, path)) {
            if (!is_rfc6052_length(prefix->value.length()))
                reader.error(*plat_prefix, path,
                             "prefix length must be 32, 40, 48, 56, 64 or 96 (RFC 6052 2.2), found " +
                                 prefix->value.to_string());
            else
                clat.plat_prefix.set(PlatPrefixSetting{PlatPrefixSource::configured, prefix->value}, prefix->origin,
                                     prefix->source);
        }
    }
    if (const YAML::Node* mtu = map->get("mtu")) {
        if (mtu->IsScalar() && mtu->Scalar() == "auto")
            clat.mtu.set(std::nullopt, Origin::configured);
        // RFC 791 3.1: every IPv4 host accepts datagrams of 576 bytes.
        else if (auto value = reader.number(*mtu, map->path("mtu"), Bound{576, 65535, "bytes", "RFC 791 3.1"}))
            clat.mtu.set(*value, Origin::configured);
    }
    if (const YAML::Node* dhcpv4 = map->get("dhcpv4")) {
        if (auto d = reader.map(*dhcpv4, map->path("dhcpv4"), kClatDhcpv4Keys, true)) {
            if (const YAML::Node* v6only = d->get("v6only_preferred"))
                if (auto value = reader.boolean(*v6only, d->path("v6only_preferred")))
                    clat.dhcpv4.v6only_preferred.set(*value, Origin::configured);
            // RFC 2131 4.1 retransmits after 4, 8, 16 ... s: 10 s is the first two tries.
            read_number(reader, *d, "no_server_wait", Bound{1, 600, "s", ""}, clat.dhcpv4.no_server_wait);
        }
    }
}

void load_plat(LoadContext& context, const YAML::Node* node, PlatConfig& plat) {
    if (!node) return;
    Reader& reader = context.reader;
    auto map = reader.map(*node, "plat", kPlatKeys, true, &context.section_key);
    if (!map) return;
    plat.enabled = read_enabled(reader, *map);
    read_interface(reader, *map, "tun", plat.tun);
    read_number(reader, *map, "queues", kQueues, plat.queues);
    if (const YAML::Node* prefix_node = map->get("prefix")) {
        auto prefix = context.plan.prefix(*prefix_node, map->path("prefix"));
        if (prefix && !is_rfc6052_length(prefix->value.length()))
            reader.error(*prefix_node, map->path("prefix"),
                         "prefix length must be 32, 40, 48, 56, 64 or 96 (RFC 6052 2.2), found " +
                             prefix->value.to_string());
        else if (prefix)
            plat.prefix.set(prefix->value, prefix->origin, prefix->source);
    } else if (*plat.enabled || context.plan.plan()) {
        if (auto prefix = context.plan.default_prefix(map->node(), map->path("prefix"), "nat64"))
            plat.prefix.set(*prefix, Origin::derived, "nat64, default");
    }

    if (const YAML::Node* pool4 = map->get("pool4")) {
        auto items = reader.list(*pool4, map->path("pool4"));
        for (std::size_t i = 0; items && i < items->size(); ++i) {
            const std::string path = index_path(map->path("pool4"), i);
            auto entry_map = reader.map((*items)[i], path, kPool4Keys);
            if (!entry_map) continue;
            Pool4Entry entry;
            const YAML::Node* prefix = entry_map->get("prefix");
            if (!prefix) {
                reader.error(entry_map->node(), entry_map->path("prefix"), "required: expected an IPv4 address or prefix");
                continue;
            }
            auto value = reader.ipv4_prefix(*prefix, entry_map->path("prefix"), true);
            bool ok = value.has_value();
            if (value) entry.prefix = *value;
            for (auto [key, range] : {std::pair{"tcp_ports", &entry.tcp_ports}, std::pair{"udp_ports", &entry.udp_ports},
                                      std::pair{"icmp_ids", &entry.icmp_ids}})
                if (const YAML::Node* range_node = entry_map->get(key)) {
                    auto parsed = read_port_range(reader, *range_node, entry_map->path(key));
                    if (parsed) range->set(*parsed, Origin::configured);
                    ok = ok && parsed.has_value();
                }
            if (ok) plat.pool4.push_back(entry);
        }
        if (*plat.enabled && items && items->empty())
            reader.error(*pool4, map->path("pool4"), "expected at least one IPv4 address or prefix to translate to, found an empty list");
    } else if (*plat.enabled) {
        reader.error(map->node(), map->path("pool4"),
                     "required when enabled: expected the IPv4 addresses the PLAT translates to (RFC 6146 3.5)");
    }

    if (const YAML::Node* filtering = map->get("filtering"))
        if (auto index = reader.choice(*filtering, map->path("filtering"), kFilterings))
            plat.filtering.set(static_cast<Filtering>(*index), Origin::configured);

    if (const YAML::Node* timeouts = map->get("timeouts")) {
        if (auto t = reader.map(*timeouts, map->path("timeouts"), kTimeoutKeys, true)) {
            if (const YAML::Node* allow = t->get("allow_below_rfc_minimum"))
                if (auto value = reader.boolean(*allow, t->path("allow_below_rfc_minimum"))) {
                    plat.timeouts.allow_below_rfc_minimum.set(*value, Origin::configured);
                    if (*value)
                        reader.warning(*allow, t->path("allow_below_rfc_minimum"),
                                       "timeouts may go down to 1 s, below RFC 6146's minimums (UDP_MIN 120 s, "
                                       "ICMP 60 s, TCP_EST 7440 s, TCP_TRANS 240 s, TCP_INCOMING_SYN 6 s): for tests "
                                       "and labs, not for a production NAT64");
                }
            // The opt-in replaces each RFC minimum by 1 s; without it the bound names the RFC rule.
            const bool below = *plat.timeouts.allow_below_rfc_minimum;
            constexpr std::string_view kOptIn = "allow_below_rfc_minimum";
            auto bound = [&](std::int64_t rfc_min, std::string_view rule) {
                return below ? Bound{1, 0xffffffff, "s", kOptIn} : Bound{rfc_min, 0xffffffff, "s", rule};
            };
            read_number(reader, *t, "udp", bound(120, "RFC 6146 3.5.1: UDP_MIN is 2 minutes"), plat.timeouts.udp);
            read_number(reader, *t, "icmp", bound(60, "RFC 6146 3.5.3, RFC 5508 3.2: 60 s"), plat.timeouts.icmp);
            read_number(reader, *t, "tcp_established",
                        bound(7440, "RFC 6146 3.5.2.2: TCP_EST is at least 2 hours 4 minutes"),
                        plat.timeouts.tcp_established);
            read_number(reader, *t, "tcp_transitory", bound(240, "RFC 6146 3.5.2.2: TCP_TRANS is at least 4 minutes"),
                        plat.timeouts.tcp_transitory);
            read_number(reader, *t, "tcp_incoming_syn",
                        bound(6, "RFC 6146 3.5.2.2: TCP_INCOMING_SYN is at least 6 s"),
                        plat.timeouts.tcp_incoming_syn);
        }
    }
    read_number(reader, *map, "max_sessions", Bound{1, 0xfffffffe, "sessions", ""}, plat.max_sessions);
    read_number(reader, *map, "max_sessions_per_source",
                Bound{1, *plat.max_sessions, "sessions", "at most max_sessions"}, plat.max_sessions_per_source);
    load_static_bib(context, *map, plat);
}

void load_translation(LoadContext& context, const YAML::Node* node, TranslationConfig& translation) {
    if (!node) return;
    Reader& reader = context.reader;
    auto map = reader.map(*node, "translation", kTranslationKeys, true, &context.section_key);
    if (!map) return;
    if (const YAML::Node* eam = map->get("eam")) {
        auto items = reader.list(*eam, map->path("eam"));
        for (std::size_t i = 0; items && i < items->size(); ++i) {
            const std::string path = index_path(map->path("eam"), i);
            auto entry_map = reader.map((*items)[i], path, kEamKeys);
            if (!entry_map) continue;
            const YAML::Node* ipv4 = entry_map->get("ipv4");
            const YAML::Node* ipv6 = entry_map->get("ipv6");
            if (!ipv4 || !ipv6) {
                reader.error(entry_map->node(), entry_map->path(ipv4 ? "ipv6" : "ipv4"),
                             "required: an EAM entry pairs an ipv4 and an ipv6 prefix (RFC 7757 3.1)");
                continue;
            }
            auto v4 = reader.ipv4_prefix(*ipv4, entry_map->path("ipv4"), true);
            auto v6 = context.plan.prefix(*ipv6, entry_map->path("ipv6"));
            if (!v4 || !v6) continue;
            // RFC 7757 3.2: the suffixes map bit for bit, so they must be equally long.
            const int suffix4 = 32 - v4->length(), suffix6 = 128 - v6->value.length();
            if (suffix4 != suffix6) {
                reader.error(*ipv6, entry_map->path("ipv6"),
                             "suffix lengths must match (RFC 7757 3.2): " + v4->to_string() + " leaves " +
                                 std::to_string(suffix4) + " bits, so the IPv6 prefix must be a /" +
                                 std::to_string(96 + v4->length()) + ", found " + v6->value.to_string());
                continue;
            }
            translation.eam.push_back(EamEntry{*v4, v6->value});
        }
    }
    if (const YAML::Node* pool = map->get("rfc6791_pool")) {
        auto items = reader.list(*pool, map->path("rfc6791_pool"));
        for (std::size_t i = 0; items && i < items->size(); ++i)
            if (auto prefix = reader.ipv4_prefix((*items)[i], index_path(map->path("rfc6791_pool"), i), true))
                translation.rfc6791_pool.push_back(*prefix);
    }
    if (const YAML::Node* ipv4 = map->get("ipv4_address"); ipv4 && !ipv4->IsNull())
        if (auto address = reader.ipv4_address(*ipv4, map->path("ipv4_address")))
            translation.ipv4_address.set(*address, Origin::configured);
    if (const YAML::Node* ipv6 = map->get("ipv6_address"); ipv6 && !ipv6->IsNull())
        if (auto address = context.plan.address(*ipv6, map->path("ipv6_address")))
            translation.ipv6_address.set(address->value, address->origin, address->source);
    // RFC 8200 5: 1280 is the IPv6 minimum link MTU (RFC 7915 6 calls it the lowest IPv6 MTU).
    if (const YAML::Node* mtu = map->get("lowest_ipv6_mtu"))
        if (auto value = reader.number(*mtu, map->path("lowest_ipv6_mtu"), Bound{1280, 65535, "bytes", "RFC 8200 5"}))
            translation.lowest_ipv6_mtu.set(*value, Origin::configured);
    if (const YAML::Node* udp = map->get("udp_zero_checksum"))
        if (auto index = reader.choice(*udp, map->path("udp_zero_checksum"), kUdpZeroChecksum))
            translation.udp_zero_checksum.set(static_cast<UdpZeroChecksum>(*index), Origin::configured);
}

}  // namespace sixgate::config
