#include "lab/check_loader.hpp"

#include <algorithm>
#include <cctype>
#include <vector>

namespace sixgate::lab {
namespace {

using config::Reader;

constexpr std::string_view kCheckKeys[] = {"from",  "to",     "protocol", "port",          "family", "address",
                                           "server", "query", "within",   "expect", "counter_rises", "sighup"};
constexpr std::string_view kReloadItemKeys[] = {"reload"};
constexpr std::string_view kReloadKeys[] = {"host", "isatap_allow_add", "sighup"};
constexpr std::string_view kCounterKeys[] = {"host", "counter"};
constexpr std::string_view kProtocols[] = {"ping", "tcp", "udp", "dns"};
constexpr std::string_view kExpectations[] = {"success", "failure"};
constexpr std::string_view kFamilies[] = {"ipv4", "ipv6"};

// A host whose sixgate the checks talk to (status, SIGHUP): known, and running sixgate.
std::optional<std::string> sixgate_host(Reader& reader, const HostIndex& hosts, const Topology& topology,
                                        const YAML::Node& node, const std::string& path) {
    auto name = reader.scalar(node, path, "a host name");
    if (!name || !known_host(reader, hosts, node, path, *name)) return std::nullopt;
    if (!topology.hosts[hosts.at(*name).index].sixgate) {
        reader.error(node, path, "host '" + *name + "' runs no sixgate (add sixgate: to it)");
        return std::nullopt;
    }
    return name;
}

std::optional<std::vector<std::string>> sixgate_hosts(Reader& reader, const HostIndex& hosts,
                                                      const Topology& topology, const YAML::Node& node,
                                                      const std::string& path) {
    auto items = reader.list(node, path);
    if (!items) return std::nullopt;
    std::vector<std::string> names;
    bool ok = true;
    for (std::size_t i = 0; i < items->size(); ++i) {
        auto name = sixgate_host(reader, hosts, topology, (*items)[i], config::index_path(path, i));
        if (name) names.push_back(*name);
        else ok = false;
    }
    if (!ok) return std::nullopt;
    return names;
}

// "isatap.isatap_drops.source_not_allowed": dot-separated keys of the status JSON's components.
bool is_counter_path(std::string_view text) {
    if (text.empty() || text.front() == '.' || text.back() == '.' || text.find("..") != std::string_view::npos)
        return false;
    return std::all_of(text.begin(), text.end(), [](char c) {
        return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_' ||
               c == '.';
    });
}

std::optional<CounterRise> read_counter(Reader& reader, const HostIndex& hosts, const Topology& topology,
                                        const YAML::Node& node, const std::string& path) {
    auto map = reader.map(node, path, kCounterKeys);
    if (!map) return std::nullopt;
    const YAML::Node* host = map->get("host");
    const YAML::Node* counter = map->get("counter");
    if (!host || !counter) {
        reader.error(node, path, "counter_rises needs host: (a host running sixgate) and counter: (a status path)");
        return std::nullopt;
    }
    auto name = sixgate_host(reader, hosts, topology, *host, map->path("host"));
    auto text = reader.scalar(*counter, map->path("counter"), "a counter path");
    if (text && !is_counter_path(*text)) {
        reader.error(*counter, map->path("counter"),
                     "expected a dot path of status keys under components (isatap.isatap_drops.source_not_allowed), "
                     "found '" + *text + "'");
        return std::nullopt;
    }
    if (!name || !text) return std::nullopt;
    return CounterRise{*name, *text};
}

std::optional<Check> read_reload(Reader& reader, const YAML::Node& item, const std::string& item_path,
                                 const HostIndex& hosts, const Topology& topology) {
    auto outer = reader.map(item, item_path, kReloadItemKeys);
    if (!outer) return std::nullopt;
    const std::string path = outer->path("reload");
    const YAML::Node& node = *outer->get("reload");
    auto map = reader.map(node, path, kReloadKeys);
    if (!map) return std::nullopt;
    const YAML::Node* host = map->get("host");
    const YAML::Node* allow = map->get("isatap_allow_add");
    if (!host || !allow) {
        reader.error(node, path, "a reload step needs host: (the ISATAP router) and isatap_allow_add: [IPV4, ...]");
        return std::nullopt;
    }
    ReloadStep step;
    bool ok = true;
    if (auto name = sixgate_host(reader, hosts, topology, *host, map->path("host"))) {
        step.host = *name;
        const auto& components = topology.hosts[hosts.at(*name).index].sixgate->components;
        if (std::find(components.begin(), components.end(), "isatap router") == components.end()) {
            reader.error(*host, map->path("host"), "host '" + *name + "' runs no ISATAP router: no allow-list to change");
            ok = false;
        }
    } else {
        ok = false;
    }
    if (auto items = reader.list(*allow, map->path("isatap_allow_add"))) {
        for (std::size_t i = 0; i < items->size(); ++i) {
            auto prefix = reader.ipv4_prefix((*items)[i], config::index_path(map->path("isatap_allow_add"), i), true);
            if (prefix) step.isatap_allow_add.push_back(*prefix);
            else ok = false;
        }
        if (ok && step.isatap_allow_add.empty()) {
            reader.error(*allow, map->path("isatap_allow_add"), "needs at least one IPv4 address or prefix to add");
            ok = false;
        }
    } else {
        ok = false;
    }
    if (const YAML::Node* sighup = map->get("sighup")) {
        auto names = sixgate_hosts(reader, hosts, topology, *sighup, map->path("sighup"));
        if (names) step.sighup = *names;
        else ok = false;
    }
    if (!ok) return std::nullopt;
    Check check;
    check.from = step.host;
    check.to = step.host;
    check.reload = std::move(step);
    return check;
}

std::optional<Check> read_probe(Reader& reader, const YAML::Node& item, const std::string& path,
                                const HostIndex& hosts, const Topology& topology) {
    auto map = reader.map(item, path, kCheckKeys);
    if (!map) return std::nullopt;
    Check check;
    bool ok = true;
    for (const char* key : {"from", "to", "protocol", "expect"})
        if (!map->has(key)) {
            reader.error(item, path, std::string("a check needs ") + key + ":");
            ok = false;
        }
    if (!ok) return std::nullopt;
    for (auto [key, target] : {std::pair{"from", &check.from}, std::pair{"to", &check.to}}) {
        const YAML::Node& value = *map->get(key);
        auto name = reader.scalar(value, map->path(key), "a host name");
        if (!name || !known_host(reader, hosts, value, map->path(key), *name)) ok = false;
        else *target = *name;
    }
    auto protocol = reader.choice(*map->get("protocol"), map->path("protocol"), kProtocols);
    auto expect = reader.choice(*map->get("expect"), map->path("expect"), kExpectations);
    if (!protocol || !expect) return std::nullopt;
    check.protocol = static_cast<CheckProtocol>(*protocol);
    check.expect = static_cast<Expectation>(*expect);
    const bool needs_port = check.protocol == CheckProtocol::tcp || check.protocol == CheckProtocol::udp;
    if (const YAML::Node* port = map->get("port")) {
        if (!needs_port) {
            reader.error(map->key_node("port"), map->path("port"),
                         "a " + std::string(to_string(check.protocol)) + " check takes no port");
            ok = false;
        } else if (auto value = reader.number(*port, map->path("port"), config::Bound{1, 65535, "", ""})) {
            check.port = static_cast<std::uint16_t>(*value);
        } else {
            ok = false;
        }
    } else if (needs_port) {
        reader.error(item, path, "a " + std::string(to_string(check.protocol)) + " check needs port:");
        ok = false;
    }
    if (const YAML::Node* family = map->get("family")) {
        if (auto index = reader.choice(*family, map->path("family"), kFamilies)) check.family = static_cast<AddressFamily>(*index);
        else ok = false;
    }
    if (const YAML::Node* address = map->get("address")) {
        if ((check.address = read_ip_address(reader, *address, map->path("address")))) {
            if (check.family && (*check.family == AddressFamily::ipv4) != is_ipv4(*check.address)) {
                reader.error(*address, map->path("address"), "is not an " + std::string(to_string(*check.family)) + " address");
                ok = false;
            }
        } else {
            ok = false;
        }
    }
    const bool is_dns = check.protocol == CheckProtocol::dns;
    for (const char* key : {"server", "query", "within"})
        if (!is_dns && map->has(key)) {
            reader.error(map->key_node(key), map->path(key),
                         std::string(key) + " belongs to dns checks, not " + std::string(to_string(check.protocol)));
            ok = false;
        }
    if (is_dns) {
        if (const YAML::Node* server = map->get("server")) {
            check.server = read_ip_address(reader, *server, map->path("server"));
            ok = ok && check.server;
        } else {
            reader.error(item, path, "a dns check needs server: the resolver's address");
            ok = false;
        }
        if (const YAML::Node* query = map->get("query")) {
            auto name = reader.dns_name(*query, map->path("query"));
            ok = ok && name;
            if (name) check.query = *name;
        } else {
            reader.error(item, path, "a dns check needs query: the name to resolve");
            ok = false;
        }
        if (const YAML::Node* within = map->get("within")) {
            check.within = read_ipv6_prefix(reader, *within, map->path("within"));
            ok = ok && check.within;
        }
    } else if (!check.family && !check.address) {
        reader.error(item, path, "a check needs family: ipv4|ipv6 (which address of the target) or address:");
        ok = false;
    }
    if (ok && check.family && !check.address && !is_dns) {
        const Host& target = topology.hosts[hosts.at(check.to).index];
        if (!host_has_family(target, *check.family)) {
            reader.error(*map->get("family"), map->path("family"),
                         "host '" + check.to + "' has no " + std::string(to_string(*check.family)) + " address to check");
            ok = false;
        }
    }
    if (const YAML::Node* counter = map->get("counter_rises")) {
        check.counter_rises = read_counter(reader, hosts, topology, *counter, map->path("counter_rises"));
        ok = ok && check.counter_rises;
    }
    if (const YAML::Node* sighup = map->get("sighup")) {
        auto names = sixgate_hosts(reader, hosts, topology, *sighup, map->path("sighup"));
        if (names) check.sighup = *names;
        else ok = false;
    }
    if (!ok) return std::nullopt;
    return check;
}

}  // namespace

bool known_host(Reader& reader, const HostIndex& hosts, const YAML::Node& node, const std::string& path,
                const std::string& name) {
    if (hosts.contains(name)) return true;
    std::vector<std::string_view> names;
    for (const auto& [known, entry] : hosts) names.push_back(known);
    reader.error(node, path, "no host named '" + name + "' in this topology" + config::did_you_mean(name, names));
    return false;
}

std::optional<IpAddress> parse_ip_address(std::string_view text) {
    if (text.find(':') != std::string_view::npos) {
        if (auto v6 = net::Ipv6Address::parse(text)) return IpAddress(*v6);
        return std::nullopt;
    }
    if (auto v4 = net::Ipv4Address::parse(text)) return IpAddress(*v4);
    return std::nullopt;
}

std::optional<IpAddress> read_ip_address(Reader& reader, const YAML::Node& node, const std::string& path) {
    auto text = reader.scalar(node, path, "an IPv4 or IPv6 address");
    if (!text) return std::nullopt;
    if (auto address = parse_ip_address(*text)) return address;
    reader.error(node, path, "expected an IPv4 or IPv6 address, found '" + *text + "'");
    return std::nullopt;
}

std::optional<net::Ipv6Prefix> read_ipv6_prefix(Reader& reader, const YAML::Node& node, const std::string& path) {
    auto text = reader.scalar(node, path, "an IPv6 prefix");
    if (!text) return std::nullopt;
    auto prefix = net::Ipv6Prefix::parse(*text);
    if (prefix) return *prefix;
    reader.error(node, path, "expected an IPv6 prefix, found '" + *text + "': " + prefix.error().message);
    return std::nullopt;
}

bool host_has_family(const Host& host, AddressFamily family) {
    for (const HostInterface& interface : host.interfaces) {
        if (family == AddressFamily::ipv6 && interface.slaac) return true;
        for (const InterfaceAddress& address : interface.addresses)
            if (address.is_ipv4() == (family == AddressFamily::ipv4)) return true;
    }
    return false;
}

void read_checks(Reader& reader, const YAML::Node& node, const HostIndex& hosts, Topology& topology) {
    auto items = reader.list(node, "checks");
    if (!items) return;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string path = config::index_path("checks", i);
        const YAML::Node& item = (*items)[i];
        const bool is_reload = item.IsMap() && item["reload"].IsDefined();
        auto check = is_reload ? read_reload(reader, item, path, hosts, topology) : read_probe(reader, item, path, hosts, topology);
        if (check) topology.checks.push_back(std::move(*check));
    }
}

}  // namespace sixgate::lab
