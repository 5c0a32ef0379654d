#include "config/effective.hpp"

#include <yaml-cpp/yaml.h>

namespace sixgate::config {
namespace {

template <class T>
std::string origin_comment(const Setting<T>& setting) {
    if (!setting.source.empty()) return "derived: " + setting.source;
    return setting.origin == Origin::defaulted ? "default" : "";
}

class Writer {
public:
    explicit Writer(YAML::Emitter& out) : out_(out) {}

    void key(std::string_view name) { out_ << YAML::Key << std::string(name) << YAML::Value; }

    void value(std::string_view name, const std::string& text, const std::string& comment = {}) {
        key(name);
        out_ << text;
        if (!comment.empty()) out_ << YAML::Comment(comment);
    }
    template <class T>
    void setting(std::string_view name, const Setting<T>& s, const std::string& text) {
        value(name, text, origin_comment(s));
    }
    void boolean(std::string_view name, const Setting<bool>& s) { setting(name, s, *s ? "true" : "false"); }
    void number(std::string_view name, const Setting<std::uint32_t>& s) { setting(name, s, std::to_string(*s)); }
    void lifetime(std::string_view name, const Setting<std::uint32_t>& s) {
        setting(name, s, *s == kInfiniteLifetime ? "infinity" : std::to_string(*s));
    }
    template <class T>
    void text(std::string_view name, const Setting<T>& s) {
        setting(name, s, to_text(*s));
    }
    void null(std::string_view name, const std::string& comment) {
        key(name);
        out_ << YAML::Null << YAML::Comment(comment);
    }

    YAML::Emitter& out() { return out_; }

private:
    static std::string to_text(const std::string& s) { return s; }
    template <class T>
    static std::string to_text(const T& s) {
        if constexpr (std::is_enum_v<T>)
            return std::string(to_string(s));
        else
            return s.to_string();
    }
    YAML::Emitter& out_;
};

// Empty lists as [] on the key's line.
void begin_list(YAML::Emitter& out, bool empty) {
    if (empty) out << YAML::Flow;
    out << YAML::BeginSeq;
}

void emit_interface(Writer& w, const RouterInterface& i) {
    YAML::Emitter& out = w.out();
    out << YAML::BeginMap;
    w.value("name", i.name);
    w.number("max_rtr_adv_interval", i.max_rtr_adv_interval);
    w.number("min_rtr_adv_interval", i.min_rtr_adv_interval);
    w.number("router_lifetime", i.router_lifetime);
    std::string preference_comment = origin_comment(i.router_preference);
    if (*i.router_lifetime == 0 && *i.router_preference != RouterPreference::medium)
        preference_comment = "sent as medium: router_lifetime is 0 (RFC 4191 2.2)";
    w.value("router_preference", std::string(to_string(*i.router_preference)), preference_comment);
    w.number("cur_hop_limit", i.cur_hop_limit);
    w.boolean("managed", i.managed);
    w.boolean("other_config", i.other_config);
    w.number("reachable_time", i.reachable_time);
    w.number("retrans_timer", i.retrans_timer);
    if (*i.link_mtu)
        w.setting("link_mtu", i.link_mtu, std::to_string(**i.link_mtu));
    else
        w.null("link_mtu", "default: no MTU option sent");
    w.boolean("source_link_address", i.source_link_address);
    w.boolean("unicast_solicited_replies", i.unicast_solicited_replies);
    w.number("unicast_reply_limit", i.unicast_reply_limit);

    w.key("prefixes");
    begin_list(out, i.prefixes.empty());
    for (const PrefixInformation& p : i.prefixes) {
        out << YAML::BeginMap;
        w.text("prefix", p.prefix);
        w.boolean("on_link", p.on_link);
        w.boolean("autonomous", p.autonomous);
        w.lifetime("valid_lifetime", p.valid_lifetime);
        w.lifetime("preferred_lifetime", p.preferred_lifetime);
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;

    w.key("routes");
    begin_list(out, i.routes.empty());
    for (const RouteInformation& r : i.routes) {
        out << YAML::BeginMap;
        w.text("prefix", r.prefix);
        w.text("preference", r.preference);
        w.lifetime("lifetime", r.lifetime);
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;

    if (i.rdnss) {
        w.key("rdnss");
        out << YAML::BeginMap;
        w.key("servers");
        out << YAML::BeginSeq;
        for (const auto& server : i.rdnss->servers) {
            out << server->to_string();
            if (const std::string c = origin_comment(server); !c.empty()) out << YAML::Comment(c);
        }
        out << YAML::EndSeq;
        w.lifetime("lifetime", i.rdnss->lifetime);
        out << YAML::EndMap;
    }
    if (i.dnssl) {
        w.key("dnssl");
        out << YAML::BeginMap;
        w.key("domains");
        out << YAML::BeginSeq;
        for (const std::string& domain : i.dnssl->domains) out << domain;
        out << YAML::EndSeq;
        w.lifetime("lifetime", i.dnssl->lifetime);
        out << YAML::EndMap;
    }
    if (*i.pref64.enabled) {
        w.key("pref64");
        out << YAML::BeginMap;
        w.text("prefix", i.pref64.prefix);
        w.number("lifetime", i.pref64.lifetime);
        out << YAML::EndMap;
    } else {
        w.value("pref64", "off", origin_comment(i.pref64.enabled));
    }
    out << YAML::EndMap;
}

void emit_router(Writer& w, const RouterConfig& r) {
    YAML::Emitter& out = w.out();
    w.key("router");
    out << YAML::BeginMap;
    w.boolean("enabled", r.enabled);
    w.boolean("forwarding", r.forwarding);
    if (*r.server_address) w.setting("server_address", r.server_address, r.server_address->value().to_string());
    w.key("interfaces");
    begin_list(out, r.interfaces.empty());
    for (const RouterInterface& i : r.interfaces) emit_interface(w, i);
    out << YAML::EndSeq;
    w.key("routes");
    begin_list(out, r.routes.empty());
    for (const KernelRoute& k : r.routes) {
        out << YAML::BeginMap;
        w.text("prefix", k.prefix);
        if (k.via) w.text("via", *k.via);
        if (k.dev) w.value("dev", *k.dev);
        w.number("metric", k.metric);
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::EndMap;
}

void emit_isatap(Writer& w, const IsatapConfig& c) {
    YAML::Emitter& out = w.out();
    w.key("isatap");
    out << YAML::BeginMap;
    w.boolean("enabled", c.enabled);
    w.text("mode", c.mode);
    if (!c.interface->empty()) w.text("interface", c.interface);
    w.text("tun", c.tun);
    // Only the keys of the mode in use: the other mode's keys draw "ignored" warnings.
    if (*c.mode == IsatapMode::router) {
        if (*c.prefix) w.setting("prefix", c.prefix, c.prefix->value().to_string());
        w.key("allow");
        out << YAML::Flow << YAML::BeginSeq;
        for (const net::Ipv4Prefix& p : c.allow) out << (p.length() == 32 ? p.address().to_string() : p.to_string());
        out << YAML::EndSeq;
        w.key("other_routers");
        out << YAML::Flow << YAML::BeginSeq;
        for (const net::Ipv4Prefix& p : c.other_routers) out << (p.length() == 32 ? p.address().to_string() : p.to_string());
        out << YAML::EndSeq;
    } else {
        w.key("routers");
        out << YAML::Flow << YAML::BeginSeq;
        for (const IsatapRouterEntry& r : c.routers) out << r.text;
        out << YAML::EndSeq;
        w.number("resolicit_interval", c.resolicit_interval);
    }
    out << YAML::EndMap;
}

void emit_clat(Writer& w, const ClatConfig& c) {
    YAML::Emitter& out = w.out();
    w.key("clat");
    out << YAML::BeginMap;
    w.boolean("enabled", c.enabled);
    w.text("tun", c.tun);
    w.number("queues", c.queues);
    if (!c.uplink->empty()) w.text("uplink", c.uplink);
    w.text("ipv4_address", c.ipv4_address);
    w.setting("ipv6_address", c.ipv6_address, *c.ipv6_address ? c.ipv6_address->value().to_string() : "auto");
    const PlatPrefixSetting& p = *c.plat_prefix;
    w.setting("plat_prefix", c.plat_prefix,
              p.source == PlatPrefixSource::pref64  ? "pref64"
              : p.source == PlatPrefixSource::dns64 ? "dns64"
                                                    : p.prefix->to_string());
    w.setting("mtu", c.mtu, *c.mtu ? std::to_string(c.mtu->value()) : "auto");
    w.key("dhcpv4");
    out << YAML::BeginMap;
    w.boolean("v6only_preferred", c.dhcpv4.v6only_preferred);
    w.number("no_server_wait", c.dhcpv4.no_server_wait);
    out << YAML::EndMap;
    out << YAML::EndMap;
}

void emit_plat(Writer& w, const PlatConfig& c) {
    YAML::Emitter& out = w.out();
    w.key("plat");
    out << YAML::BeginMap;
    w.boolean("enabled", c.enabled);
    w.text("tun", c.tun);
    w.number("queues", c.queues);
    if (*c.prefix) w.setting("prefix", c.prefix, c.prefix->value().to_string());
    w.key("pool4");
    begin_list(out, c.pool4.empty());
    for (const Pool4Entry& e : c.pool4) {
        out << YAML::BeginMap;
        w.value("prefix", e.prefix.to_string());
        w.text("tcp_ports", e.tcp_ports);
        w.text("udp_ports", e.udp_ports);
        w.text("icmp_ids", e.icmp_ids);
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    w.text("filtering", c.filtering);
    w.key("timeouts");
    out << YAML::BeginMap;
    w.number("udp", c.timeouts.udp);
    w.number("icmp", c.timeouts.icmp);
    w.number("tcp_established", c.timeouts.tcp_established);
    w.number("tcp_transitory", c.timeouts.tcp_transitory);
    w.number("tcp_incoming_syn", c.timeouts.tcp_incoming_syn);
    w.boolean("allow_below_rfc_minimum", c.timeouts.allow_below_rfc_minimum);
    out << YAML::EndMap;
    w.number("max_sessions", c.max_sessions);
    w.number("max_sessions_per_source", c.max_sessions_per_source);
    w.key("static_bib");
    begin_list(out, c.static_bib.empty());
    for (const StaticBibEntry& e : c.static_bib) {
        out << YAML::BeginMap;
        w.value("protocol", std::string(to_string(e.protocol)));
        w.value("ipv4", e.ipv4.to_string() + ":" + std::to_string(e.ipv4_port));
        w.value("ipv6", "[" + e.ipv6->to_string() + "]:" + std::to_string(e.ipv6_port), origin_comment(e.ipv6));
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    out << YAML::EndMap;
}

void emit_translation(Writer& w, const TranslationConfig& c) {
    YAML::Emitter& out = w.out();
    w.key("translation");
    out << YAML::BeginMap;
    w.key("eam");
    begin_list(out, c.eam.empty());
    for (const EamEntry& e : c.eam) {
        out << YAML::Flow << YAML::BeginMap;
        w.value("ipv4", e.ipv4.to_string());
        w.value("ipv6", e.ipv6.to_string());
        out << YAML::EndMap;
    }
    out << YAML::EndSeq;
    w.key("rfc6791_pool");
    out << YAML::Flow << YAML::BeginSeq;
    for (const net::Ipv4Prefix& p : c.rfc6791_pool) out << p.to_string();
    out << YAML::EndSeq;
    if (*c.ipv4_address)
        w.setting("ipv4_address", c.ipv4_address, c.ipv4_address->value().to_string());
    else
        w.null("ipv4_address", "default: none, the translator has no IPv4 address of its own");
    if (*c.ipv6_address)
        w.setting("ipv6_address", c.ipv6_address, c.ipv6_address->value().to_string());
    else
        w.null("ipv6_address", "default: none, the translator has no IPv6 address of its own");
    w.number("lowest_ipv6_mtu", c.lowest_ipv6_mtu);
    w.text("udp_zero_checksum", c.udp_zero_checksum);
    out << YAML::EndMap;
}

}  // namespace

std::vector<std::pair<std::string_view, std::string>> plan_summary(const net::PrefixPlan& plan) {
    return {
        {"public_ipv4", plan.public_ipv4.to_string()},
        {"behind_nat", plan.behind_nat ? "true" : "false"},
        {"site", plan.site.to_string()},
        {"org", plan.organization.to_string()},
        {"server", plan.server.to_string()},
        {"iphttps", plan.iphttps.to_string()},
        {"teredo", plan.teredo ? plan.teredo->prefix.to_string() : "unavailable: " + plan.teredo_unavailable},
        {"isatap", plan.isatap.to_string()},
        {"nat64", plan.nat64.to_string()},
    };
}

std::string effective_config_yaml(const Config& config) {
    YAML::Emitter out;
    Writer w(out);
    out << YAML::Comment("sixgate effective configuration: every default and derived value written out");
    out << YAML::BeginMap;
    if (config.public_ipv4) w.text("public_ipv4", *config.public_ipv4);
    if (config.ula) w.value("ula", config.ula->to_string());
    if (config.plan) {
        w.key("plan");
        out << YAML::BeginMap;
        for (const auto& [key, value] : plan_summary(*config.plan)) w.value(key, value);
        out << YAML::EndMap;
    }
    w.key("logging");
    out << YAML::BeginMap;
    w.text("level", config.logging.level);
    out << YAML::EndMap;
    w.key("control");
    out << YAML::BeginMap;
    w.text("socket", config.control.socket);
    out << YAML::EndMap;
    emit_router(w, config.router);
    emit_isatap(w, config.isatap);
    emit_clat(w, config.clat);
    emit_plat(w, config.plat);
    emit_translation(w, config.translation);
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

}  // namespace sixgate::config
