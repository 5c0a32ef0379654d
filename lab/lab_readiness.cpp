#include "lab/lab_readiness.hpp"

#include <algorithm>
#include <sstream>

#include <nlohmann/json.hpp>

#include "lab/lab_process.hpp"

namespace sixgate::lab {
namespace {

// `ip -j address show ...` in the namespace, as JSON (an empty array when it fails).
nlohmann::json ip_addresses(const std::string& namespace_name, std::vector<std::string> selection) {
    std::vector<std::string> argv = {"ip", "-j", "address", "show"};
    argv.insert(argv.end(), selection.begin(), selection.end());
    auto result = run_command(in_namespace(namespace_name, argv));
    if (!result || !result->ok()) return nlohmann::json::array();
    nlohmann::json json = nlohmann::json::parse(result->output, nullptr, false);
    return json.is_array() ? json : nlohmann::json::array();
}

// Usable addresses: DAD finished (RFC 4862 5.4: a tentative address is not yet assigned).
std::vector<std::string> usable_addresses(const nlohmann::json& links) {
    std::vector<std::string> addresses;
    for (const nlohmann::json& link : links) {
        const std::string name = link.value("ifname", "");
        if (!link.contains("addr_info")) continue;
        for (const nlohmann::json& address : link["addr_info"]) {
            if (address.value("tentative", false) || address.value("dadfailed", false)) continue;
            if (!address.contains("local")) continue;
            addresses.push_back(name + " " + address["local"].get<std::string>() + "/" +
                                std::to_string(address.value("prefixlen", 0)));
        }
    }
    return addresses;
}

}  // namespace

std::vector<std::string> host_addresses(const std::string& namespace_name) {
    return usable_addresses(ip_addresses(namespace_name, {"scope", "global"}));
}

std::vector<std::uint16_t> listening_ports(const std::string& namespace_name, const std::string& protocol) {
    std::vector<std::uint16_t> ports;
    auto result = run_command(in_namespace(namespace_name, {"ss", "-H", "-l", "-n", protocol == "tcp" ? "-t" : "-u"}));
    if (!result || !result->ok()) return ports;
    std::istringstream lines(result->output);
    for (std::string line; std::getline(lines, line);) {
        // State Recv-Q Send-Q Local-Address:Port Peer-Address:Port
        std::istringstream fields(line);
        std::string state, receive, send, local;
        if (!(fields >> state >> receive >> send >> local)) continue;
        const auto colon = local.rfind(':');
        if (colon == std::string::npos) continue;
        try {
            ports.push_back(static_cast<std::uint16_t>(std::stoul(local.substr(colon + 1))));
        } catch (const std::exception&) {
            continue;  // "*:*" and the like
        }
    }
    return ports;
}

HostReadiness host_readiness(const PlannedHost& host, const ControlProbe& probe) {
    HostReadiness readiness;
    if (host.control_socket) {
        if (auto answered = probe(*host.control_socket); !answered)
            readiness.waiting_for.push_back("sixgate on " + *host.control_socket + " (" + answered.error().message + ")");
    }
    for (const std::string& interface : host.slaac_interfaces) {
        const auto addresses = usable_addresses(ip_addresses(host.namespace_name, {"dev", interface, "scope", "global"}));
        std::vector<std::string> ipv6;
        for (const std::string& address : addresses)
            if (address.find(':') != std::string::npos) ipv6.push_back(address);
        if (ipv6.empty()) readiness.waiting_for.push_back("a SLAAC address on " + interface);
        readiness.slaac_addresses.insert(readiness.slaac_addresses.end(), ipv6.begin(), ipv6.end());
    }
    std::vector<std::uint16_t> tcp, udp;
    bool listed_tcp = false, listed_udp = false;
    for (const PlannedListener& listener : host.listeners) {
        const bool is_tcp = listener.protocol == PlannedListener::Protocol::tcp;
        if (is_tcp && !listed_tcp) tcp = listening_ports(host.namespace_name, "tcp"), listed_tcp = true;
        if (!is_tcp && !listed_udp) udp = listening_ports(host.namespace_name, "udp"), listed_udp = true;
        const auto& ports = is_tcp ? tcp : udp;
        if (std::find(ports.begin(), ports.end(), listener.port) == ports.end())
            readiness.waiting_for.push_back(listener.what + " on " + (is_tcp ? "tcp/" : "udp/") + std::to_string(listener.port));
    }
    return readiness;
}

}  // namespace sixgate::lab
