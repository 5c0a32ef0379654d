#include "lab/host_script.hpp"

#include <cstdio>
#include <sstream>

namespace sixgate::lab {
namespace {

// Links are wired from outside after the container starts (containerlab, or the veth wiring a
// Compose user runs): wait up to 60 s for each interface.
void wait_for_interfaces(std::ostringstream& out, const std::vector<std::string>& names) {
    // No shell variables: Compose and containerlab would expand them in the file.
    for (const std::string& name : names)
        out << "timeout 60 sh -c \"until [ -e /sys/class/net/" << name << " ]; do sleep 0.1; done\" || { echo \"sixgate lab: "
            << name << " never appeared\" >&2; exit 1; }\n";
}

std::string v6only_wait_hex(std::uint32_t seconds) {
    // dnsmasq takes an option's raw value as colon-separated hex bytes.
    char text[16];
    std::snprintf(text, sizeof text, "%02x:%02x:%02x:%02x", (seconds >> 24) & 0xff, (seconds >> 16) & 0xff,
                  (seconds >> 8) & 0xff, seconds & 0xff);
    return text;
}

void dns64_files(std::ostringstream& out, const Host& host, const Dns64Service& dns, const std::string& directory) {
    const std::string base = directory + "/" + host.name;
    const std::string zone = dns.zone.ends_with('.') ? dns.zone : dns.zone + ".";
    out << "cat > " << base << "-" << dns.zone << ".zone <<\"SIXGATE_ZONE\"\n"
        << zone << " 300 IN SOA ns." << zone << " hostmaster." << zone << " 1 3600 600 86400 60\n"
        << zone << " 300 IN NS ns." << zone << "\n"
        << "ns." << zone << " 300 IN AAAA " << dns.listen.front().to_string() << "\n";
    for (const auto& [label, address] : dns.records) out << label << "." << zone << " 300 IN A " << address.to_string() << "\n";
    out << "SIXGATE_ZONE\n";
    out << "cat > " << base << "-unbound.conf <<\"SIXGATE_UNBOUND\"\n"
        << "server:\n"
        << "  username: \"\"\n  chroot: \"\"\n  pidfile: \"\"\n  use-syslog: no\n  do-daemonize: no\n"
        << "  ip-freebind: yes\n";
    for (const auto& address : dns.listen) out << "  interface: " << address.to_string() << "\n";
    out << "  access-control: ::/0 allow\n"
        << "  access-control: 0.0.0.0/0 allow\n"
        // RFC 6147 5.1: AAAA synthesized from A answers; unbound's dns64 module does this only
        // for answers it looked up, so the zone is an auth-zone, not local-data.
        << "  module-config: \"dns64 iterator\"\n"
        << "  dns64-prefix: " << dns.prefix.to_string() << "\n"
        << "auth-zone:\n"
        << "  name: " << dns.zone << "\n"
        << "  zonefile: " << base << "-" << dns.zone << ".zone\n"
        << "  for-upstream: yes\n"
        << "  for-downstream: no\n"
        << "  fallback-enabled: no\n"
        << "SIXGATE_UNBOUND\n";
}

}  // namespace

std::string switch_port(std::size_t index) { return "p" + std::to_string(index + 1); }

std::string shell_word(const std::string& word) {
    const bool plain = !word.empty() && word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                "0123456789/._-+:,=@%") == std::string::npos;
    if (plain) return word;
    std::string quoted = "'";
    for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

std::string host_script(const Topology& topology, const Host& host, const HostScriptOptions& options) {
    const std::string directory = shell_word(options.run_directory);
    std::ostringstream out;
    out << "set -e\n";
    out << "# lab " << topology.name << ", host " << host.name << (host.role.empty() ? "" : ": " + host.role) << "\n";
    std::vector<std::string> names;
    for (const HostInterface& interface : host.interfaces) names.push_back(interface.name);
    wait_for_interfaces(out, names);
    out << "ip link set dev lo up\n";
    for (const HostInterface& interface : host.interfaces) {
        if (interface.slaac) {
            // RFC 4862 5.2 autoconfiguration; accept_ra=2 also when forwarding; RFC 4191 routes of
            // any length (the client /64s and the NAT64 /96), as Windows takes them.
            out << "sysctl -qw net.ipv6.conf." << interface.name << ".accept_ra=2\n";
            out << "sysctl -qw net.ipv6.conf." << interface.name << ".accept_ra_rt_info_max_plen=128\n";
        }
        out << "ip link set dev " << interface.name << " up\n";
        for (const InterfaceAddress& address : interface.addresses)
            out << "ip address add " << address.to_string() << " dev " << interface.name
                << (address.is_ipv4() ? "" : " nodad") << "\n";
    }
    for (const auto& [key, value] : host.sysctls) out << "sysctl -qw " << key << "=" << value << "\n";
    for (const StaticRoute& route : host.routes)
        out << "ip " << (is_ipv4(route.to) ? "-4" : "-6") << " route add " << to_string(route.to) << " via "
            << to_string(route.via) << "\n";
    out << "mkdir -p " << directory << "\n";
    const bool dual = host.has_ipv6();
    for (auto port : host.services.tcp_listen)
        out << "socat " << (dual ? "TCP6-LISTEN:" : "TCP4-LISTEN:") << port << (dual ? ",ipv6only=0" : "")
            << ",reuseaddr,fork EXEC:cat &\n";
    for (auto port : host.services.udp_echo)
        out << "socat " << (dual ? "UDP6-RECVFROM:" : "UDP4-RECVFROM:") << port << (dual ? ",ipv6only=0" : "")
            << ",reuseaddr,fork EXEC:cat &\n";
    if (const auto& dhcp = host.services.dhcpv4) {
        out << "dnsmasq --keep-in-foreground --port=0 --no-resolv --bind-interfaces --interface=" << dhcp->interface
            << " --dhcp-range=" << dhcp->range_first.to_string() << "," << dhcp->range_last.to_string() << ",10m";
        if (dhcp->router) out << " --dhcp-option=option:router," << dhcp->router->to_string();
        // RFC 8925 3.3: option 108 carries V6ONLY_WAIT, 32 bits in seconds.
        if (dhcp->v6only_wait) out << " --dhcp-option=108," << v6only_wait_hex(*dhcp->v6only_wait);
        if (options.shared_filesystem)
            out << " --dhcp-leasefile=" << directory << "/" << host.name << "-dnsmasq.leases --pid-file=" << directory
                << "/" << host.name << "-dnsmasq.pid";
        out << " &\n";
    }
    if (const auto& dns = host.services.dns64) {
        dns64_files(out, host, *dns, directory);
        out << "unbound -d -c " << directory << "/" << host.name << "-unbound.conf &\n";
    }
    if (host.sixgate) {
        const std::string config = directory + "/" + host.name + ".yaml";
        out << "cat > " << config << " <<\"SIXGATE_CONFIG\"\n" << host.sixgate->config_yaml;
        if (!host.sixgate->config_yaml.ends_with('\n')) out << "\n";
        out << "SIXGATE_CONFIG\n";
        out << "exec " << shell_word(options.sixgate_program) << " run -c " << config << "\n";
    } else {
        out << "exec sleep infinity\n";
    }
    return out.str();
}

std::string segment_switch_script(const Segment& segment) {
    std::ostringstream out;
    out << "set -e\n# segment " << segment.name << ": a bridge over its ports\n";
    std::vector<std::string> ports;
    for (std::size_t i = 0; i < segment.members.size(); ++i) ports.push_back(switch_port(i));
    wait_for_interfaces(out, ports);
    out << "ip link add name br0 type bridge\n";
    for (const std::string& port : ports) out << "ip link set dev " << port << " master br0 up\n";
    out << "ip link set dev br0 up\n";
    out << "exec sleep infinity\n";
    return out.str();
}

}  // namespace sixgate::lab
