#include "config/loader.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>
#include <tuple>
#include <utility>

#include "config/effective.hpp"
#include "config/interface_address.hpp"
#include "config/sections.hpp"
#include "net/ipv4_scope.hpp"
#include "net/ula.hpp"

namespace sixgate::config {
namespace {

constexpr std::string_view kTopKeys[] = {"public_ipv4", "ula",  "logging", "control",     "router",
                                         "isatap",      "clat", "plat",    "translation", "plan"};
constexpr std::string_view kLogLevels[] = {"trace", "debug", "info", "warn", "error", "critical", "off"};

Setting<net::Ipv4Address> read_public_ipv4_source(LoadContext& context, const YAML::Node& node, bool& ok) {
    Reader& reader = context.reader;
    Setting<net::Ipv4Address> setting;
    ok = false;
    if (node.IsMap()) {
        constexpr std::string_view kKeys[] = {"from_interface"};
        auto map = reader.map(node, "public_ipv4", kKeys);
        if (!map) return setting;
        const YAML::Node* ifname_node = map->get("from_interface");
        if (!ifname_node) {
            reader.error(node, "public_ipv4", "expected an IPv4 address or {from_interface: NAME}, found an empty map");
            return setting;
        }
        auto ifname = reader.interface_name(*ifname_node, "public_ipv4.from_interface");
        if (!ifname) return setting;
        auto address = context.options.interface_ipv4 ? context.options.interface_ipv4(*ifname)
                                                       : interface_ipv4_address(*ifname);
        if (!address) {
            reader.error(*ifname_node, "public_ipv4.from_interface",
                         "cannot read the IPv4 address of '" + *ifname + "': " + address.error().message);
            return setting;
        }
        setting.set(*address, Origin::derived, "from_interface: " + *ifname);
        ok = true;
        return setting;
    }
    auto address = reader.ipv4_address(node, "public_ipv4");
    if (!address) return setting;
    setting.set(*address, Origin::configured);
    ok = true;
    return setting;
}

// public_ipv4 and ula, then the prefix plan every plan name resolves against.
void load_plan_inputs(LoadContext& context, const MapView& top, Config& config) {
    Reader& reader = context.reader;
    const YAML::Node* ula_node = top.get("ula");
    bool ula_ok = true;
    if (ula_node) {
        auto text = reader.scalar(*ula_node, "ula", "an IPv6 /48 prefix in fd00::/8");
        auto ula = text ? net::Ipv6Prefix::parse(*text) : Result<net::Ipv6Prefix>(Error{});
        if (text && !ula) {
            reader.error(*ula_node, "ula", "expected an IPv6 /48 prefix in fd00::/8, found '" + *text + "': " +
                                               ula.error().message);
        } else if (text && (ula->length() != 48 || !net::is_local_ula(*ula))) {
            reader.error(*ula_node, "ula",
                         "must be a /48 in fd00::/8 (RFC 4193 3.1: L bit set, then a 40-bit Global ID), "
                         "found " + ula->to_string());
        } else if (text) {
            config.ula = *ula;
        }
        ula_ok = config.ula.has_value();
    }

    const YAML::Node* node = top.get("public_ipv4");
    if (!node) return;  // state stays absent: plan names are errors where used
    bool ok = false;
    Setting<net::Ipv4Address> public_ipv4 = read_public_ipv4_source(context, *node, ok);
    if (!ok) return context.plan.set_failed();
    config.public_ipv4 = public_ipv4;
    const net::Ipv4Address address = public_ipv4.value;
    const net::Ipv4Scope scope = net::classify_ipv4(address);
    const std::string where = " (" + std::string(scope.name) + ", " + std::string(scope.block) + ", " +
                              std::string(scope.rfc) + ")";
    if (scope.reach == net::Ipv4Reach::not_unicast) {
        reader.error(*node, "public_ipv4",
                     "expected a unicast IPv4 address a server can own, found " + address.to_string() + where);
        return context.plan.set_failed();
    }
    if (scope.reach == net::Ipv4Reach::non_global && !config.ula) {
        if (!ula_ok) return context.plan.set_failed();  // the ula's own error says what to fix
        const net::Ipv6Prefix proposal =
            context.options.propose_ula ? context.options.propose_ula() : net::generate_ula_prefix();
        // RFC 4193 3.2: a random Global ID, generated once and kept: so it is proposed, not used.
        reader.error(*node, "public_ipv4",
                     address.to_string() + " is not globally reachable" + where +
                         ": the server is behind NAT, so 6to4 does not apply and the prefix plan needs a "
                         "ULA /48 (RFC 4193); pin it: ula: " + proposal.to_string());
        return context.plan.set_failed();
    }
    if (scope.reach == net::Ipv4Reach::global && config.ula) {
        reader.warning(*ula_node, "ula",
                       "not used: public_ipv4 " + address.to_string() +
                           " is globally reachable, so the plan uses its 6to4 prefix (RFC 3056)");
    }
    auto plan = net::derive_prefix_plan(address, config.ula);
    if (!plan) {
        reader.error(*node, "public_ipv4", plan.error().message);
        return context.plan.set_failed();
    }
    config.plan = *plan;
    context.plan.set_plan(*plan);
}

// The plan block is output only (see effective_config_yaml); on input it must agree with the plan.
void check_plan_block(LoadContext& context, const YAML::Node& node) {
    Reader& reader = context.reader;
    std::vector<std::string_view> keys;
    const auto expected = context.plan.plan() ? plan_summary(*context.plan.plan())
                                              : plan_summary(net::PrefixPlan{});
    for (const auto& [key, value] : expected) keys.push_back(key);
    auto map = reader.map(node, "plan", keys, true);
    if (!map || context.plan.state() == PlanValues::State::failed) return;
    if (context.plan.state() == PlanValues::State::absent) {
        if (!node.IsNull() && node.size() > 0)
            reader.error(node, "plan", "needs public_ipv4: the plan block only restates the plan derived from it");
        return;
    }
    for (const auto& [key, value] : expected) {
        const YAML::Node* found = map->get(key);
        if (!found) continue;
        auto text = reader.scalar(*found, map->path(key), "'" + value + "'");
        if (text && *text != value)
            reader.error(*found, map->path(key),
                         "the plan block is output only and must match the plan derived from public_ipv4: "
                         "expected '" + value + "', found '" + *text + "'");
    }
}

void load_logging(LoadContext& context, const YAML::Node& node, LoggingConfig& logging) {
    constexpr std::string_view kKeys[] = {"level"};
    auto map = context.reader.map(node, "logging", kKeys, true, &context.section_key);
    if (!map) return;
    if (const YAML::Node* level = map->get("level"))
        if (auto index = context.reader.choice(*level, map->path("level"), kLogLevels))
            logging.level.set(static_cast<LogLevel>(*index), Origin::configured);
}

void load_control(LoadContext& context, const YAML::Node& node, ControlConfig& control) {
    constexpr std::string_view kKeys[] = {"socket"};
    auto map = context.reader.map(node, "control", kKeys, true, &context.section_key);
    if (!map) return;
    const YAML::Node* socket = map->get("socket");
    if (!socket) return;
    auto path = context.reader.scalar(*socket, map->path("socket"), "an absolute path");
    if (!path) return;
    // sockaddr_un.sun_path holds 108 bytes with the terminating NUL.
    if (!path->starts_with('/') || path->size() > 107) {
        context.reader.error(*socket, map->path("socket"),
                             "expected an absolute path of at most 107 bytes (sockaddr_un), found '" + *path + "'");
        return;
    }
    control.socket.set(*path, Origin::configured);
}

bool by_position(const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
}

void load_document(LoadContext& context, const YAML::Node& root, Config& config) {
    Reader& reader = context.reader;
    if (root.IsNull() || !root.IsDefined()) {
        reader.add(Severity::error, 1, 1, "", "the file is empty: expected a map of sections (router, isatap, clat, plat, ...)");
        return;
    }
    if (!root.IsMap()) {
        reader.error(root, "", "expected a map of sections at the top level (router, isatap, clat, plat, ...), found " +
                                   describe(root));
        return;
    }
    auto top = reader.map(root, "", kTopKeys);
    if (!top) return;
    // The plan first, whatever the order in the file: every section may name its prefixes.
    load_plan_inputs(context, *top, config);
    context.section_key = top->key_node("logging");
    if (const YAML::Node* node = top->get("logging")) load_logging(context, *node, config.logging);
    context.section_key = top->key_node("control");
    if (const YAML::Node* node = top->get("control")) load_control(context, *node, config.control);
    // An absent component section reads as `enabled: false`, so its defaults (and those derived
    // from the plan) are the same as when the effective config writes it out and reads it back.
    const YAML::Node disabled = YAML::Load("{enabled: false}");
    const auto section = [&](std::string_view key) {
        const YAML::Node* node = top->get(key);
        context.section_key = node ? top->key_node(key) : YAML::Node();
        return node ? node : &disabled;
    };
    load_router(context, section("router"), config.router);
    load_isatap(context, section("isatap"), config.isatap);
    load_clat(context, section("clat"), config.clat);
    load_plat(context, section("plat"), config.plat);
    for (auto [key, enabled] : {std::pair{"router", &config.router.enabled}, std::pair{"isatap", &config.isatap.enabled},
                                std::pair{"clat", &config.clat.enabled}, std::pair{"plat", &config.plat.enabled}})
        if (!top->has(key)) enabled->origin = Origin::defaulted;
    context.section_key = top->key_node("translation");
    load_translation(context, top->get("translation"), config.translation);
    if (const YAML::Node* node = top->get("plan")) check_plan_block(context, *node);

    // Two translators on one TUN would steal each other's packets.
    if (*config.clat.enabled && *config.plat.enabled && *config.clat.tun == *config.plat.tun) {
        const YAML::Node* plat = top->get("plat");
        const YAML::Node at = plat->IsMap() && (*plat)["tun"] ? (*plat)["tun"] : *plat;
        reader.error(at, "plat.tun", "'" + *config.plat.tun + "' is also clat.tun: each translator needs its own TUN");
    }
}

}  // namespace

namespace {

// The line and column (1-based) of the first byte that breaks UTF-8, or nothing when the text is
// valid UTF-8 (overlong forms, surrogates and code points past U+10FFFF count as invalid).
std::optional<std::pair<int, int>> first_invalid_utf8(std::string_view text) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        std::size_t length = byte < 0x80 ? 1 : byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3
                             : byte >= 0xf0 && byte <= 0xf4                 ? 4 : 0;
        bool valid = length != 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        if (valid && length >= 3) {
            const auto second = static_cast<unsigned char>(text[i + 1]);
            valid = !(byte == 0xe0 && second < 0xa0) && !(byte == 0xed && second >= 0xa0) &&
                    !(byte == 0xf0 && second < 0x90) && !(byte == 0xf4 && second >= 0x90);
        }
        if (!valid) return std::pair{line, column};
        if (byte == '\n') line += 1, column = 1;
        else column += 1;
        i += length;
    }
    return std::nullopt;
}

}  // namespace

LoadResult parse_config(std::string_view yaml_text, const std::string& display_name, const LoadOptions& options) {
    Reader reader(display_name);
    PlanValues plan(reader);
    LoadContext context{reader, plan, options, YAML::Node()};
    LoadResult result;
    // YAML 1.2 5.2: a document is Unicode text; sixgate reads UTF-8 only, so what it prints back
    // (the effective config, status) means the same.
    if (const auto bad = first_invalid_utf8(yaml_text)) {
        result.errors.push_back(Diagnostic{display_name, bad->first, bad->second, "",
                                           "the file is not UTF-8 text: invalid byte here", Severity::error});
        return result;
    }
    try {
        const YAML::Node root = YAML::Load(std::string(yaml_text));
        load_document(context, root, result.config);
    } catch (const YAML::Exception& error) {
        // Parse errors (and yaml-cpp's recursion guard) carry a 0-based mark.
        const YAML::Mark& mark = error.mark;
        const int line = mark.is_null() ? 0 : mark.line + 1;
        const int column = mark.is_null() ? 0 : mark.column + 1;
        reader.add(Severity::error, line, column, "", "YAML syntax: " + error.msg);
    }
    for (Diagnostic& diagnostic : reader.diagnostics())
        (diagnostic.severity == Severity::error ? result.errors : result.warnings).push_back(std::move(diagnostic));
    std::stable_sort(result.errors.begin(), result.errors.end(), by_position);
    std::stable_sort(result.warnings.begin(), result.warnings.end(), by_position);
    result.config.warnings = result.warnings;
    return result;
}

LoadResult parse_config_file(const std::string& path, const LoadOptions& options) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    if (file) text << file.rdbuf();
    if (!file || file.bad()) {
        LoadResult result;
        result.errors.push_back(Diagnostic{path, 0, 0, "", "cannot read the file: " + std::string(std::strerror(errno))});
        return result;
    }
    return parse_config(text.str(), path, options);
}

std::vector<Diagnostic> config_diagnostics(std::string_view yaml_text, const std::string& display_name,
                                           const LoadOptions& options) {
    LoadResult result = parse_config(yaml_text, display_name, options);
    std::vector<Diagnostic> all = std::move(result.errors);
    all.insert(all.end(), result.warnings.begin(), result.warnings.end());
    return all;
}

namespace {

Result<Config> to_result(LoadResult result) {
    if (result.ok()) return std::move(result.config);
    std::vector<Diagnostic> all = std::move(result.errors);
    all.insert(all.end(), result.warnings.begin(), result.warnings.end());
    std::stable_sort(all.begin(), all.end(), by_position);
    std::string message = to_string(all);
    if (!message.empty() && message.back() == '\n') message.pop_back();
    return make_error(std::errc::invalid_argument, std::move(message));
}

}  // namespace

Result<Config> load_config(std::string_view yaml_text, const std::string& display_name, const LoadOptions& options) {
    return to_result(parse_config(yaml_text, display_name, options));
}

Result<Config> load_config_file(const std::string& path, const LoadOptions& options) {
    return to_result(parse_config_file(path, options));
}

}  // namespace sixgate::config
