#pragma once
// Reading a topology's `checks:` list: probes (ping, tcp, udp, dns), the counter a refusal must
// raise, and reload steps (an ISATAP allow-list change applied by SIGHUP), every error with
// file:line:column. Also the readers the topology loader shares with it.
// Entry points: read_checks(), known_host().

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <yaml-cpp/yaml.h>

#include "config/yaml_reader.hpp"
#include "lab/topology.hpp"

namespace sixgate::lab {

// A host the topology declares: its index in Topology::hosts and the node naming it.
struct HostEntry {
    std::size_t index;
    YAML::Node name_node;
};
using HostIndex = std::map<std::string, HostEntry>;

// A name the checks or segments give for a host: an error with a suggestion when unknown.
bool known_host(config::Reader& reader, const HostIndex& hosts, const YAML::Node& node, const std::string& path,
                const std::string& name);

std::optional<IpAddress> parse_ip_address(std::string_view text);
std::optional<IpAddress> read_ip_address(config::Reader& reader, const YAML::Node& node, const std::string& path);
std::optional<net::Ipv6Prefix> read_ipv6_prefix(config::Reader& reader, const YAML::Node& node,
                                                const std::string& path);

// Whether a host has an address of `family` to check (SLAAC counts for IPv6).
bool host_has_family(const Host& host, AddressFamily family);

// `checks:` into topology.checks; hosts must already be read.
void read_checks(config::Reader& reader, const YAML::Node& node, const HostIndex& hosts, Topology& topology);

}  // namespace sixgate::lab
