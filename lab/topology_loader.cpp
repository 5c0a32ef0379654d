#include "lab/topology_loader.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "config/loader.hpp"
#include "config/yaml_reader.hpp"
#include "lab/builtin_topologies.hpp"
#include "lab/check_loader.hpp"

namespace sixgate::lab {
namespace {

using config::Reader;
using config::Severity;

constexpr std::string_view kTopKeys[] = {"name", "description", "segments", "hosts", "checks"};
constexpr std::string_view kHostKeys[] = {"name", "role", "interfaces", "routes", "sysctls", "services", "sixgate"};
constexpr std::string_view kInterfaceKeys[] = {"name", "addresses", "slaac"};
constexpr std::string_view kRouteKeys[] = {"to", "via"};
constexpr std::string_view kServiceKeys[] = {"tcp_listen", "udp_echo", "dhcpv4", "dns64"};
constexpr std::string_view kDhcpKeys[] = {"interface", "range", "router", "v6only_wait"};
constexpr std::string_view kDns64Keys[] = {"listen", "prefix", "zone", "records"};
constexpr std::string_view kSegmentKeys[] = {"name", "kind", "members"};
constexpr std::string_view kMemberKeys[] = {"host", "interface"};
constexpr std::string_view kSegmentKinds[] = {"veth", "bridge"};

// RFC 8925 3.4: the client uses at least MIN_V6ONLY_WAIT (300 s), so a server offers no less.
constexpr std::int64_t kMinV6OnlyWait = 300;

struct Context {
    Reader& reader;
    std::string base_directory;
};

// A host or topology name: one DNS label (RFC 1123 2.1), since it becomes a hostname, a
// namespace name and a container name.
std::optional<std::string> label_name(Reader& reader, const YAML::Node& node, const std::string& path) {
    auto text = reader.scalar(node, path, "a name");
    if (!text) return std::nullopt;
    if (text->find('.') != std::string::npos || !config::is_valid_dns_name(*text)) {
        reader.error(node, path,
                     "expected a name of 1..63 letters, digits or inner hyphens (a hostname label, "
                     "RFC 1123 2.1), found '" + *text + "'");
        return std::nullopt;
    }
    return text;
}

std::optional<IpPrefix> read_ip_prefix(Reader& reader, const YAML::Node& node, const std::string& path) {
    auto text = reader.scalar(node, path, "an IPv4 or IPv6 prefix");
    if (!text) return std::nullopt;
    if (text->find(':') != std::string::npos) {
        auto v6 = net::Ipv6Prefix::parse(*text);
        if (v6) return IpPrefix(*v6);
        reader.error(node, path, "expected an IPv4 or IPv6 prefix, found '" + *text + "': " + v6.error().message);
        return std::nullopt;
    }
    auto v4 = net::Ipv4Prefix::parse(*text);
    if (v4) return IpPrefix(*v4);
    reader.error(node, path, "expected an IPv4 or IPv6 prefix, found '" + *text + "': " + v4.error().message);
    return std::nullopt;
}

std::optional<net::Ipv6Address> read_ipv6_address(Reader& reader, const YAML::Node& node, const std::string& path) {
    auto text = reader.scalar(node, path, "an IPv6 address");
    if (!text) return std::nullopt;
    auto address = net::Ipv6Address::parse(*text);
    if (address) return *address;
    reader.error(node, path, "expected an IPv6 address, found '" + *text + "': " + address.error().message);
    return std::nullopt;
}

// "192.0.2.1/24" or "2001:db8::1/64": the address as written (host bits kept) and its length.
std::optional<InterfaceAddress> read_interface_address(Reader& reader, const YAML::Node& node,
                                                       const std::string& path) {
    auto text = reader.scalar(node, path, "ADDRESS/LENGTH");
    if (!text) return std::nullopt;
    const auto slash = text->find('/');
    const std::string address_text = text->substr(0, slash);
    auto address = parse_ip_address(address_text);
    if (slash == std::string::npos || !address) {
        reader.error(node, path,
                     "expected an IPv4 or IPv6 address with its prefix length (192.0.2.1/24, 2001:db8::1/64), "
                     "found '" + *text + "'");
        return std::nullopt;
    }
    const std::string length_text = text->substr(slash + 1);
    const int max = is_ipv4(*address) ? 32 : 128;
    int length = -1;
    if (!length_text.empty() && length_text.size() <= 3 &&
        std::all_of(length_text.begin(), length_text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
        length = std::stoi(length_text);
    if (length < 0 || length > max) {
        reader.error(node, path, "the prefix length must be 0.." + std::to_string(max) + ", found '" + *text + "'");
        return std::nullopt;
    }
    return InterfaceAddress{*address, length};
}

std::vector<std::uint16_t> read_ports(Reader& reader, const YAML::Node& node, const std::string& path) {
    std::vector<std::uint16_t> ports;
    auto items = reader.list(node, path);
    if (!items) return ports;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string item_path = config::index_path(path, i);
        auto port = reader.number((*items)[i], item_path, config::Bound{1, 65535, "", ""});
        if (!port) continue;
        if (std::find(ports.begin(), ports.end(), *port) != ports.end()) {
            reader.error((*items)[i], item_path, "port " + std::to_string(*port) + " is listed twice");
            continue;
        }
        ports.push_back(static_cast<std::uint16_t>(*port));
    }
    return ports;
}

// The node a sixgate-config key path ("router.interfaces[0].prefixes[1].prefix") names inside
// `root`, or the deepest node found on the way: so an error in an embedded config points at the
// line it is about.
// (Node::reset rebinds a handle; operator= would write into the tree.)
YAML::Node locate(const YAML::Node& root, std::string_view path) {
    YAML::Node current;
    current.reset(root);
    while (!path.empty()) {
        const std::size_t end = path.find_first_of(".[");
        const std::string_view key = path.substr(0, end);
        path = end == std::string_view::npos ? std::string_view() : path.substr(end);
        if (!key.empty()) {
            if (!current.IsMap()) return current;
            YAML::Node next;
            for (auto it = current.begin(); it != current.end(); ++it)
                if (it->first.IsScalar() && it->first.Scalar() == key) {
                    // Point at the value, or at the key when the value is empty.
                    next.reset(it->second.IsNull() ? it->first : it->second);
                    break;
                }
            if (!next.IsDefined()) return current;
            current.reset(next);
        }
        while (path.starts_with('[')) {
            const std::size_t close = path.find(']');
            if (close == std::string_view::npos) return current;
            const std::string index_text(path.substr(1, close - 1));
            path = path.substr(close + 1);
            if (!current.IsSequence() || index_text.empty() ||
                !std::all_of(index_text.begin(), index_text.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
                return current;
            const std::size_t index = std::stoul(index_text);
            if (index >= current.size()) return current;
            const YAML::Node element = current[index];
            current.reset(element);
        }
        if (path.starts_with('.')) path.remove_prefix(1);
    }
    return current;
}

std::vector<std::string> enabled_components(const config::Config& config) {
    std::vector<std::string> components;
    if (*config.router.enabled) components.emplace_back("router");
    if (*config.isatap.enabled)
        components.emplace_back(*config.isatap.mode == config::IsatapMode::router ? "isatap router" : "isatap host");
    if (*config.clat.enabled) components.emplace_back("clat");
    if (*config.plat.enabled) components.emplace_back("plat");
    return components;
}

config::LoadOptions lab_load_options() {
    config::LoadOptions options;
    // The config runs inside a lab host that does not exist yet: nothing to look up here.
    options.interface_ipv4 = [](const std::string& ifname) -> Result<net::Ipv4Address> {
        return make_error(std::errc::invalid_argument,
                          "a lab host's config cannot read '" + ifname + "' before the lab is up: write the address");
    };
    return options;
}

// `sixgate:` is a map (a sixgate config written in place) or the path of a config file.
std::optional<SixgateRun> read_sixgate(Context& context, const YAML::Node& node, const std::string& path) {
    Reader& reader = context.reader;
    SixgateRun run;
    config::LoadResult loaded;
    if (node.IsScalar()) {
        std::filesystem::path file(node.Scalar());
        if (file.is_relative()) file = std::filesystem::path(context.base_directory) / file;
        std::ifstream stream(file, std::ios::binary);
        std::ostringstream text;
        if (stream) text << stream.rdbuf();
        if (!stream || stream.bad()) {
            reader.error(node, path, "cannot read the sixgate config '" + file.string() + "': " + std::strerror(errno));
            return std::nullopt;
        }
        run.config_file = file.string();
        run.config_yaml = text.str();
        loaded = config::parse_config(run.config_yaml, run.config_file, lab_load_options());
        // Its diagnostics already name that file.
        for (config::Diagnostic& diagnostic : loaded.errors) reader.diagnostics().push_back(diagnostic);
        for (config::Diagnostic& diagnostic : loaded.warnings) reader.diagnostics().push_back(diagnostic);
    } else if (node.IsMap()) {
        YAML::Emitter emitter;
        emitter << node;
        run.config_yaml = std::string(emitter.c_str()) + "\n";
        loaded = config::parse_config(run.config_yaml, reader.file(), lab_load_options());
        // Re-anchor each diagnostic on the topology file's own node for that key path.
        for (const auto* list : {&loaded.errors, &loaded.warnings})
            for (const config::Diagnostic& diagnostic : *list) {
                const YAML::Node at = locate(node, diagnostic.key_path);
                const std::string key_path = diagnostic.key_path.empty() ? path : path + "." + diagnostic.key_path;
                if (diagnostic.severity == Severity::error) reader.error(at, key_path, diagnostic.message);
                else reader.warning(at, key_path, diagnostic.message);
            }
    } else {
        reader.error(node, path, "expected a sixgate config (a map) or the path of a config file, found " +
                                     config::describe(node));
        return std::nullopt;
    }
    if (!loaded.ok()) return std::nullopt;
    run.components = enabled_components(loaded.config);
    const config::Config& config = loaded.config;
    if (*config.router.enabled)
        for (const config::RouterInterface& interface : config.router.interfaces)
            for (const config::PrefixInformation& prefix : interface.prefixes)
                run.link_prefixes.emplace_back(interface.name, prefix.prefix->to_string() + " (RA)");
    if (*config.isatap.enabled && *config.isatap.mode == config::IsatapMode::router && *config.isatap.prefix)
        run.link_prefixes.emplace_back(*config.isatap.interface, (*config.isatap.prefix)->to_string() + " (ISATAP)");
    return run;
}

void read_services(Context& context, const YAML::Node& node, const std::string& path, Host& host) {
    Reader& reader = context.reader;
    auto map = reader.map(node, path, kServiceKeys);
    if (!map) return;
    if (const YAML::Node* ports = map->get("tcp_listen")) host.services.tcp_listen = read_ports(reader, *ports, map->path("tcp_listen"));
    if (const YAML::Node* ports = map->get("udp_echo")) host.services.udp_echo = read_ports(reader, *ports, map->path("udp_echo"));

    if (const YAML::Node* dhcp_node = map->get("dhcpv4")) {
        const std::string dhcp_path = map->path("dhcpv4");
        auto dhcp = reader.map(*dhcp_node, dhcp_path, kDhcpKeys);
        if (dhcp) {
            Dhcpv4Service service;
            bool ok = true;
            if (const YAML::Node* interface = dhcp->get("interface")) {
                auto name = reader.interface_name(*interface, dhcp->path("interface"));
                ok = ok && name;
                if (name && !host.find_interface(*name)) {
                    reader.error(*interface, dhcp->path("interface"),
                                 "'" + *name + "' is not an interface of host '" + host.name + "' (list it under interfaces)");
                    ok = false;
                }
                if (name) service.interface = *name;
            } else {
                reader.error(dhcp->node(), dhcp_path, "needs interface: the interface dnsmasq serves");
                ok = false;
            }
            if (const YAML::Node* range = dhcp->get("range")) {
                auto text = reader.scalar(*range, dhcp->path("range"), "FIRST-LAST");
                const auto dash = text ? text->find('-') : std::string::npos;
                auto first = text && dash != std::string::npos ? net::Ipv4Address::parse(text->substr(0, dash))
                                                               : Result<net::Ipv4Address>(Error{});
                auto last = text && dash != std::string::npos ? net::Ipv4Address::parse(text->substr(dash + 1))
                                                              : Result<net::Ipv4Address>(Error{});
                if (text && (!first || !last || *last < *first)) {
                    reader.error(*range, dhcp->path("range"),
                                 "expected an IPv4 range FIRST-LAST with FIRST <= LAST, found '" + *text + "'");
                    ok = false;
                } else if (text) {
                    service.range_first = *first;
                    service.range_last = *last;
                } else {
                    ok = false;
                }
            } else {
                reader.error(dhcp->node(), dhcp_path, "needs range: the addresses to lease, FIRST-LAST");
                ok = false;
            }
            if (const YAML::Node* router = dhcp->get("router")) {
                auto address = reader.ipv4_address(*router, dhcp->path("router"));
                ok = ok && address;
                service.router = address;
            }
            if (const YAML::Node* wait = dhcp->get("v6only_wait")) {
                auto seconds = reader.number(*wait, dhcp->path("v6only_wait"),
                                             config::Bound{kMinV6OnlyWait, 0xffffffff, "s", "RFC 8925 3.4, MIN_V6ONLY_WAIT"});
                ok = ok && seconds;
                service.v6only_wait = seconds;
            }
            if (ok) host.services.dhcpv4 = service;
        }
    }

    if (const YAML::Node* dns_node = map->get("dns64")) {
        const std::string dns_path = map->path("dns64");
        auto dns = reader.map(*dns_node, dns_path, kDns64Keys);
        if (dns) {
            Dns64Service service;
            bool ok = true;
            if (const YAML::Node* listen = dns->get("listen")) {
                if (auto items = reader.list(*listen, dns->path("listen"))) {
                    for (std::size_t i = 0; i < items->size(); ++i) {
                        auto address = read_ipv6_address(reader, (*items)[i], config::index_path(dns->path("listen"), i));
                        ok = ok && address;
                        if (address) service.listen.push_back(*address);
                    }
                }
            }
            if (service.listen.empty() && ok) {
                reader.error(dns->has("listen") ? *dns->get("listen") : dns->node(), dns->path("listen"),
                             "needs at least one IPv6 address for unbound to answer on");
                ok = false;
            }
            if (const YAML::Node* prefix_node = dns->get("prefix")) {
                auto prefix = read_ipv6_prefix(reader, *prefix_node, dns->path("prefix"));
                constexpr int kLengths[] = {32, 40, 48, 56, 64, 96};
                if (prefix && std::find(std::begin(kLengths), std::end(kLengths), prefix->length()) == std::end(kLengths)) {
                    reader.error(*prefix_node, dns->path("prefix"),
                                 "must be a /32, /40, /48, /56, /64 or /96 (RFC 6052 2.2), found " + prefix->to_string());
                    prefix.reset();
                }
                ok = ok && prefix;
                if (prefix) service.prefix = *prefix;
            } else {
                reader.error(dns->node(), dns_path, "needs prefix: the NAT64 prefix AAAA records are made in");
                ok = false;
            }
            if (const YAML::Node* zone = dns->get("zone")) {
                auto name = reader.dns_name(*zone, dns->path("zone"));
                ok = ok && name;
                if (name) service.zone = *name;
            } else {
                reader.error(dns->node(), dns_path, "needs zone: the domain unbound serves from its auth-zone");
                ok = false;
            }
            if (const YAML::Node* records = dns->get("records")) {
                const std::string records_path = dns->path("records");
                if (!records->IsMap()) {
                    reader.error(*records, records_path, "expected a map of NAME: IPV4 ADDRESS, found " + config::describe(*records));
                    ok = false;
                } else {
                    for (auto it = records->begin(); it != records->end(); ++it) {
                        const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
                        const std::string record_path = config::join_path(records_path, key);
                        auto label = label_name(reader, it->first, record_path);
                        auto address = reader.ipv4_address(it->second, record_path);
                        if (label && std::any_of(service.records.begin(), service.records.end(),
                                                 [&](const auto& record) { return record.first == *label; })) {
                            reader.error(it->first, record_path, "record '" + *label + "' appears twice");
                            label.reset();
                        }
                        ok = ok && label && address;
                        if (label && address) service.records.emplace_back(*label, *address);
                    }
                }
            }
            if (ok) host.services.dns64 = service;
        }
    }
}

std::optional<Host> read_host(Context& context, const YAML::Node& node, const std::string& path) {
    Reader& reader = context.reader;
    auto map = reader.map(node, path, kHostKeys);
    if (!map) return std::nullopt;
    Host host;
    if (const YAML::Node* name = map->get("name")) {
        auto value = label_name(reader, *name, map->path("name"));
        if (!value) return std::nullopt;
        host.name = *value;
    } else {
        reader.error(node, path, "needs name: each host is a network namespace with a name");
        return std::nullopt;
    }
    if (const YAML::Node* role = map->get("role"))
        if (auto text = reader.scalar(*role, map->path("role"), "a short description")) host.role = *text;

    if (const YAML::Node* interfaces = map->get("interfaces")) {
        const std::string list_path = map->path("interfaces");
        if (auto items = reader.list(*interfaces, list_path)) {
            for (std::size_t i = 0; i < items->size(); ++i) {
                const std::string item_path = config::index_path(list_path, i);
                auto item = reader.map((*items)[i], item_path, kInterfaceKeys);
                if (!item) continue;
                HostInterface interface;
                const YAML::Node* name = item->get("name");
                if (!name) {
                    reader.error((*items)[i], item_path, "needs name: the interface name inside the host");
                    continue;
                }
                auto ifname = reader.interface_name(*name, item->path("name"));
                if (!ifname) continue;
                if (host.find_interface(*ifname)) {
                    reader.error(*name, item->path("name"), "interface '" + *ifname + "' appears twice in host '" + host.name + "'");
                    continue;
                }
                interface.name = *ifname;
                if (const YAML::Node* addresses = item->get("addresses")) {
                    const std::string addresses_path = item->path("addresses");
                    if (auto values = reader.list(*addresses, addresses_path))
                        for (std::size_t k = 0; k < values->size(); ++k)
                            if (auto address = read_interface_address(reader, (*values)[k], config::index_path(addresses_path, k)))
                                interface.addresses.push_back(*address);
                }
                if (const YAML::Node* slaac = item->get("slaac"))
                    interface.slaac = reader.boolean(*slaac, item->path("slaac")).value_or(false);
                host.interfaces.push_back(std::move(interface));
            }
        }
    }

    if (const YAML::Node* routes = map->get("routes")) {
        const std::string list_path = map->path("routes");
        if (auto items = reader.list(*routes, list_path)) {
            for (std::size_t i = 0; i < items->size(); ++i) {
                const std::string item_path = config::index_path(list_path, i);
                auto item = reader.map((*items)[i], item_path, kRouteKeys);
                if (!item) continue;
                const YAML::Node* to = item->get("to");
                const YAML::Node* via = item->get("via");
                if (!to || !via) {
                    reader.error((*items)[i], item_path, "a route needs to: PREFIX and via: ADDRESS");
                    continue;
                }
                auto prefix = read_ip_prefix(reader, *to, item->path("to"));
                auto gateway = read_ip_address(reader, *via, item->path("via"));
                if (!prefix || !gateway) continue;
                if (is_ipv4(*prefix) != is_ipv4(*gateway)) {
                    reader.error(*via, item->path("via"),
                                 "the gateway " + to_string(*gateway) + " is not of the same family as " + to_string(*prefix));
                    continue;
                }
                host.routes.push_back(StaticRoute{*prefix, *gateway});
            }
        }
    }

    if (const YAML::Node* sysctls = map->get("sysctls")) {
        const std::string sysctl_path = map->path("sysctls");
        if (!sysctls->IsMap()) {
            reader.error(*sysctls, sysctl_path, "expected a map of sysctl keys to values, found " + config::describe(*sysctls));
        } else {
            for (auto it = sysctls->begin(); it != sysctls->end(); ++it) {
                const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
                const std::string key_path = config::join_path(sysctl_path, key);
                const bool valid_key = (key.starts_with("net.ipv4.") || key.starts_with("net.ipv6.")) &&
                                       std::all_of(key.begin(), key.end(), [](char c) {
                                           return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
                                       });
                if (!valid_key) {
                    // Only the network stack is per namespace; anything else would change the machine.
                    reader.error(it->first, key_path,
                                 "expected a net.ipv4.* or net.ipv6.* sysctl (per network namespace), found '" + key + "'");
                    continue;
                }
                auto value = reader.scalar(it->second, key_path, "a value");
                if (value && (value->empty() || value->find_first_of(" \t\n'\"\\$`;") != std::string::npos)) {
                    reader.error(it->second, key_path, "expected a plain value (no spaces or quotes), found '" + *value + "'");
                    continue;
                }
                if (value) host.sysctls.emplace_back(key, *value);
            }
        }
    }

    if (const YAML::Node* services = map->get("services")) read_services(context, *services, map->path("services"), host);
    if (const YAML::Node* sixgate = map->get("sixgate")) host.sixgate = read_sixgate(context, *sixgate, map->path("sixgate"));
    return host;
}

void read_segments(Context& context, const YAML::Node& node, const HostIndex& hosts,
                   Topology& topology) {
    Reader& reader = context.reader;
    auto items = reader.list(node, "segments");
    if (!items) return;
    std::map<std::pair<std::string, std::string>, std::string> used;  // (host, interface) -> segment
    for (std::size_t i = 0; i < items->size(); ++i) {
        const std::string path = config::index_path("segments", i);
        auto map = reader.map((*items)[i], path, kSegmentKeys);
        if (!map) continue;
        Segment segment;
        const YAML::Node* name = map->get("name");
        if (!name) {
            reader.error((*items)[i], path, "needs name: the segment's name (its bridge's name)");
            continue;
        }
        // The name becomes a bridge device (or a veth pair's label), so it follows interface rules.
        auto segment_name = reader.interface_name(*name, map->path("name"));
        if (!segment_name) continue;
        if (std::any_of(topology.segments.begin(), topology.segments.end(),
                        [&](const Segment& other) { return other.name == *segment_name; })) {
            reader.error(*name, map->path("name"), "segment '" + *segment_name + "' appears twice");
            continue;
        }
        if (hosts.contains(*segment_name)) {
            reader.error(*name, map->path("name"),
                         "'" + *segment_name + "' is already a host's name: a segment needs a name of its own");
            continue;
        }
        segment.name = *segment_name;
        const YAML::Node* members = map->get("members");
        if (!members) {
            reader.error(*name, map->path("name"), "needs members: the hosts' interfaces it joins");
            continue;
        }
        auto member_items = reader.list(*members, map->path("members"));
        if (!member_items) continue;
        bool ok = true;
        for (std::size_t k = 0; k < member_items->size(); ++k) {
            const std::string member_path = config::index_path(map->path("members"), k);
            auto member = reader.map((*member_items)[k], member_path, kMemberKeys);
            if (!member) {
                ok = false;
                continue;
            }
            const YAML::Node* host_node = member->get("host");
            const YAML::Node* interface_node = member->get("interface");
            if (!host_node || !interface_node) {
                reader.error((*member_items)[k], member_path, "a member needs host: NAME and interface: NAME");
                ok = false;
                continue;
            }
            auto host_name = reader.scalar(*host_node, member->path("host"), "a host name");
            auto interface = reader.interface_name(*interface_node, member->path("interface"));
            if (!host_name || !interface || !known_host(reader, hosts, *host_node, member->path("host"), *host_name)) {
                ok = false;
                continue;
            }
            const auto key = std::pair{*host_name, *interface};
            if (auto found = used.find(key); found != used.end()) {
                reader.error(*interface_node, member->path("interface"),
                             "interface '" + *interface + "' of host '" + *host_name + "' is already on segment '" +
                                 found->second + "'");
                ok = false;
                continue;
            }
            used.emplace(key, segment.name);
            segment.members.push_back(SegmentMember{*host_name, *interface});
        }
        if (!ok) continue;
        if (segment.members.size() < 2) {
            reader.error(*members, map->path("members"),
                         "a segment joins at least two interfaces, found " + std::to_string(segment.members.size()));
            continue;
        }
        segment.kind = segment.members.size() == 2 ? SegmentKind::veth : SegmentKind::bridge;
        if (const YAML::Node* kind = map->get("kind")) {
            if (auto index = reader.choice(*kind, map->path("kind"), kSegmentKinds)) {
                segment.kind = static_cast<SegmentKind>(*index);
                if (segment.kind == SegmentKind::veth && segment.members.size() != 2) {
                    reader.error(*kind, map->path("kind"),
                                 "a veth pair joins exactly two interfaces, this segment has " +
                                     std::to_string(segment.members.size()) + " (use kind: bridge)");
                    continue;
                }
            }
        }
        topology.segments.push_back(std::move(segment));
    }
    // Every interface a host declares must be wired to something.
    for (const auto& [name, entry] : hosts) {
        const Host& host = topology.hosts[entry.index];
        for (const HostInterface& interface : host.interfaces)
            if (!used.contains(std::pair{host.name, interface.name}))
                reader.error(entry.name_node, "hosts." + host.name,
                             "interface '" + interface.name + "' of host '" + host.name +
                                 "' is on no segment: add it to a segment's members");
    }
    // A member interface the host does not list has no addresses: add it so the model is whole.
    for (const Segment& segment : topology.segments)
        for (const SegmentMember& member : segment.members) {
            Host& host = topology.hosts[hosts.at(member.host).index];
            if (!host.find_interface(member.interface)) host.interfaces.push_back(HostInterface{member.interface, {}, false});
        }
}

void load_document(Context& context, const YAML::Node& root, Topology& topology) {
    Reader& reader = context.reader;
    if (root.IsNull() || !root.IsDefined()) {
        reader.add(Severity::error, 1, 1, "", "the file is empty: expected a topology (name, segments, hosts, checks)");
        return;
    }
    auto top = reader.map(root, "", kTopKeys);
    if (!top) return;
    if (const YAML::Node* name = top->get("name")) {
        if (auto value = label_name(reader, *name, "name")) topology.name = *value;
    } else {
        reader.error(root, "name", "needs name: the lab's name (namespaces and containers are named after it)");
    }
    if (const YAML::Node* description = top->get("description"))
        if (auto text = reader.scalar(*description, "description", "a sentence")) topology.description = *text;

    HostIndex hosts;
    if (const YAML::Node* host_list = top->get("hosts")) {
        if (auto items = reader.list(*host_list, "hosts")) {
            for (std::size_t i = 0; i < items->size(); ++i) {
                const std::string path = config::index_path("hosts", i);
                auto host = read_host(context, (*items)[i], path);
                if (!host) continue;
                const YAML::Node item = (*items)[i];
                const YAML::Node name_node = item["name"];
                if (auto found = hosts.find(host->name); found != hosts.end()) {
                    reader.error(name_node, path + ".name",
                                 "host '" + host->name + "' appears twice (first at line " +
                                     std::to_string(found->second.name_node.Mark().line + 1) + ")");
                    continue;
                }
                hosts.emplace(host->name, HostEntry{topology.hosts.size(), name_node});
                topology.hosts.push_back(std::move(*host));
            }
        }
    }
    if (topology.hosts.empty() && !reader.has_errors()) reader.error(root, "hosts", "a topology needs at least one host");
    if (const YAML::Node* segments = top->get("segments")) read_segments(context, *segments, hosts, topology);
    else for (const Host& host : topology.hosts)
        for (const HostInterface& interface : host.interfaces)
            reader.error(hosts.at(host.name).name_node, "hosts." + host.name,
                         "interface '" + interface.name + "' of host '" + host.name + "' is on no segment: add segments:");
    if (const YAML::Node* checks = top->get("checks")) read_checks(reader, *checks, hosts, topology);
}

bool by_position(const config::Diagnostic& a, const config::Diagnostic& b) {
    return std::tie(a.file, a.line, a.column) < std::tie(b.file, b.line, b.column);
}

}  // namespace

std::string TopologyLoadResult::report() const {
    std::vector<config::Diagnostic> all = errors;
    all.insert(all.end(), warnings.begin(), warnings.end());
    return config::to_string(all);
}

TopologyLoadResult parse_topology(std::string_view yaml_text, const std::string& display_name,
                                  const std::string& base_directory) {
    Reader reader(display_name);
    Context context{reader, base_directory};
    TopologyLoadResult result;
    result.topology.source = display_name;
    try {
        const YAML::Node root = YAML::Load(std::string(yaml_text));
        load_document(context, root, result.topology);
    } catch (const YAML::Exception& error) {
        const YAML::Mark& mark = error.mark;
        reader.add(Severity::error, mark.is_null() ? 0 : mark.line + 1, mark.is_null() ? 0 : mark.column + 1, "",
                   "YAML syntax: " + error.msg);
    }
    for (config::Diagnostic& diagnostic : reader.diagnostics())
        (diagnostic.severity == Severity::error ? result.errors : result.warnings).push_back(std::move(diagnostic));
    std::stable_sort(result.errors.begin(), result.errors.end(), by_position);
    std::stable_sort(result.warnings.begin(), result.warnings.end(), by_position);
    return result;
}

TopologyLoadResult parse_topology_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    if (file) text << file.rdbuf();
    if (!file || file.bad()) {
        TopologyLoadResult result;
        result.errors.push_back(config::Diagnostic{path, 0, 0, "", "cannot read the file: " + std::string(std::strerror(errno))});
        return result;
    }
    const std::filesystem::path directory = std::filesystem::path(path).parent_path();
    return parse_topology(text.str(), path, directory.empty() ? "." : directory.string());
}

TopologyLoadResult load_topology(const std::string& file_or_name) {
    const std::string name = file_or_name.empty() ? std::string(kDefaultTopology) : file_or_name;
    if (const BuiltinTopology* builtin = find_builtin_topology(name))
        return parse_topology(builtin->text, std::string(builtin->path), ".");
    return parse_topology_file(name);
}

}  // namespace sixgate::lab
