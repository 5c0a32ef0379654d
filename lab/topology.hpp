#pragma once
// Lab topologies: hosts (each a network namespace), the segments that join them, addresses,
// routes, services, the sixgate config each host runs, and the reachability checks to run.
// Entry points: Topology (this file), parse_topology() (lab/topology_loader.hpp).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"

namespace sixgate::lab {

using IpAddress = std::variant<net::Ipv4Address, net::Ipv6Address>;
using IpPrefix = std::variant<net::Ipv4Prefix, net::Ipv6Prefix>;

std::string to_string(const IpAddress& address);
std::string to_string(const IpPrefix& prefix);
inline bool is_ipv4(const IpAddress& address) noexcept { return address.index() == 0; }
inline bool is_ipv4(const IpPrefix& prefix) noexcept { return prefix.index() == 0; }

// An address with its prefix length, as `ip address add` takes it (host bits kept).
struct InterfaceAddress {
    IpAddress address;
    int length = 0;

    bool is_ipv4() const noexcept { return lab::is_ipv4(address); }
    IpPrefix network() const;  // the on-link prefix: host bits cleared
    std::string to_string() const;  // "192.0.2.1/24"
};

struct HostInterface {
    std::string name;
    std::vector<InterfaceAddress> addresses;
    // Configure from Router Advertisements (SLAAC, RFC 4862; RFC 4191 routes), as the kernel does.
    bool slaac = false;
};

struct StaticRoute {
    IpPrefix to;
    IpAddress via;  // same family as `to`
};

// dnsmasq as a DHCPv4 server; with v6only_wait it offers option 108 (RFC 8925).
struct Dhcpv4Service {
    std::string interface;
    net::Ipv4Address range_first;
    net::Ipv4Address range_last;
    std::optional<net::Ipv4Address> router;
    std::optional<std::uint32_t> v6only_wait;  // seconds, RFC 8925 3.4: at least MIN_V6ONLY_WAIT (300)
};

// unbound as a DNS64 resolver (RFC 6147) serving `zone` from an auth-zone: the dns64 module
// synthesizes AAAA only from answers it looked up, not from local-data.
struct Dns64Service {
    std::vector<net::Ipv6Address> listen;
    net::Ipv6Prefix prefix;
    std::string zone;
    std::vector<std::pair<std::string, net::Ipv4Address>> records;  // label -> A, in file order
};

struct Services {
    std::vector<std::uint16_t> tcp_listen;  // accept and hold connections
    std::vector<std::uint16_t> udp_echo;    // echo datagrams back
    std::optional<Dhcpv4Service> dhcpv4;
    std::optional<Dns64Service> dns64;
    bool empty() const noexcept { return tcp_listen.empty() && udp_echo.empty() && !dhcpv4 && !dns64; }
};

// The sixgate config a host runs with `sixgate run`: written inline in the topology or a file.
struct SixgateRun {
    std::string config_yaml;          // the config text to run (inline maps re-emitted as YAML)
    std::string config_file;          // the file it came from, when given as a path
    std::vector<std::string> components;  // enabled ones: "router", "isatap router", "isatap host", "clat", "plat"
    // What the config puts on the host's links, for pictures: "eth2" -> "2002:836b:2:3333::/64 (RA)".
    std::vector<std::pair<std::string, std::string>> link_prefixes;
};

struct Host {
    std::string name;
    std::string role;
    std::vector<HostInterface> interfaces;
    std::vector<StaticRoute> routes;
    std::vector<std::pair<std::string, std::string>> sysctls;  // in file order
    Services services;
    std::optional<SixgateRun> sixgate;

    const HostInterface* find_interface(std::string_view name) const;
    bool has_ipv6() const;  // an IPv6 address or SLAAC on some interface
};

enum class SegmentKind { veth, bridge };

struct SegmentMember {
    std::string host;
    std::string interface;
};

// A point-to-point veth pair (two members) or a shared segment (a bridge joining every member).
struct Segment {
    std::string name;
    SegmentKind kind = SegmentKind::bridge;
    std::vector<SegmentMember> members;
};

enum class CheckProtocol { ping, tcp, udp, dns };
enum class Expectation { success, failure };
enum class AddressFamily { ipv4, ipv6 };

std::string_view to_string(CheckProtocol protocol);
std::string_view to_string(Expectation expectation);
std::string_view to_string(AddressFamily family);

// A counter in a host's sixgate status (`sixgate status --json`, under "components") that must
// rise while a check runs: the proof that a refusal came from sixgate's policy.
struct CounterRise {
    std::string host;
    std::string counter;  // a dot path: "isatap.isatap_drops.source_not_allowed"
};

// A step between checks: rewrite `host`'s running sixgate config with `isatap_allow_add` appended
// to isatap.allow and SIGHUP it, then SIGHUP the sixgate of each host in `sighup` (an ISATAP host
// solicits at once). `lab test` restores and reloads the original config at the end.
struct ReloadStep {
    std::string host;
    std::vector<net::Ipv4Prefix> isatap_allow_add;
    std::vector<std::string> sighup;
};

// One reachability check: from a host to another host's address (of `family`, or `address`).
// dns: ask `server` for the AAAA of `query`; `within` is where the answer must lie.
// When `reload` is set the entry is a ReloadStep instead (from = the reloaded host).
struct Check {
    std::string from;
    std::string to;
    CheckProtocol protocol = CheckProtocol::ping;
    std::optional<std::uint16_t> port;    // tcp and udp
    std::optional<AddressFamily> family;  // which address of `to` (absent when `address` is given)
    std::optional<IpAddress> address;     // an explicit target address
    std::optional<IpAddress> server;      // dns
    std::string query;                    // dns
    std::optional<net::Ipv6Prefix> within;  // dns
    Expectation expect = Expectation::success;
    std::optional<CounterRise> counter_rises;
    std::vector<std::string> sighup;  // hosts whose sixgate gets SIGHUP before the probe
    std::optional<ReloadStep> reload;

    bool is_reload() const noexcept { return reload.has_value(); }
    // "mgmt-v6 -> client-iphttps tcp/3389 ipv6: success"
    std::string describe() const;
};

struct Topology {
    std::string name;
    std::string description;
    std::string source;  // the file name shown in diagnostics
    std::vector<Host> hosts;
    std::vector<Segment> segments;
    std::vector<Check> checks;

    const Host* find_host(std::string_view name) const;
    // The networks on a segment: every member address's on-link prefix, deduplicated, in order.
    std::vector<IpPrefix> segment_prefixes(const Segment& segment) const;
    // What members' sixgate configs put on the segment (advertised and ISATAP prefixes), as text.
    std::vector<std::string> segment_sixgate_prefixes(const Segment& segment) const;
};

}  // namespace sixgate::lab
