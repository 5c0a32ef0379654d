#pragma once
// The local sixgate's state as doctor needs it, read from its `status` snapshot (docs/status.md):
// which components run, the ISATAP host's potential router list, the CLAT's PLAT prefix.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"

namespace sixgate::app::doctor {

struct PrlEntry {
    std::string entry;  // as configured: an IPv4 address or a DNS name
    std::optional<net::Ipv4Address> ipv4;  // what it resolved to
    std::string error;
};

struct IsatapHostState {
    std::string interface;
    std::string tun;
    std::vector<PrlEntry> prl;
    std::string router;  // the router in use; empty when none answered
};

struct ClatState {
    std::string state;  // running, waiting_for_address, waiting_for_plat_prefix, failed
    std::string error;
    std::string uplink;
    std::string tun;
    std::optional<net::Ipv6Prefix> plat_prefix;
    std::string plat_prefix_setting;  // pref64, dns64, configured
};

struct SixgateState {
    bool running = false;  // it answered on the control socket
    std::string socket;
    std::string error;  // why it did not (no socket, not root, another namespace's, ...)
    bool socket_missing = false;  // nothing at the socket path: no sixgate on this host
    long pid = 0;
    std::string config;  // its config file
    std::vector<std::string> router_interfaces;  // where its router advertises
    bool isatap_router = false;
    bool plat = false;
    std::optional<net::Ipv6Prefix> nat64_prefix;  // PLAT pool6 or the PREF64 it advertises
    std::optional<IsatapHostState> isatap_host;
    std::optional<ClatState> clat;
};

// The parts of a status reply doctor uses; unknown or missing fields are left empty.
SixgateState parse_sixgate_status(const nlohmann::json& status);

}  // namespace sixgate::app::doctor
