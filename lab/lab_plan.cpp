#include "lab/lab_plan.hpp"

#include "config/loader.hpp"
#include "lab/host_script.hpp"
#include "lab/lab_names.hpp"

namespace sixgate::lab {
namespace {

// The control socket the host's config names (the config default when it names none).
std::string control_socket_of(const SixgateRun& run) {
    config::LoadOptions options;
    options.interface_ipv4 = [](const std::string& ifname) -> Result<net::Ipv4Address> {
        return make_error(std::errc::invalid_argument, "no interface '" + ifname + "' outside the lab");
    };
    const config::LoadResult loaded = config::parse_config(run.config_yaml, "lab host config", options);
    return *loaded.config.control.socket;
}

std::vector<PlannedListener> listeners_of(const Host& host) {
    using Protocol = PlannedListener::Protocol;
    std::vector<PlannedListener> listeners;
    for (auto port : host.services.tcp_listen) listeners.push_back({Protocol::tcp, port, "socat"});
    for (auto port : host.services.udp_echo) listeners.push_back({Protocol::udp, port, "socat"});
    if (host.services.dhcpv4) listeners.push_back({Protocol::udp, 67, "dnsmasq"});
    if (host.services.dns64) listeners.push_back({Protocol::udp, 53, "unbound"});
    return listeners;
}

// "router, isatap router, plat; dnsmasq, unbound" or "socat tcp/3389, tcp/5985".
std::string summary_of(const Host& host) {
    std::string components;
    if (host.sixgate)
        for (const std::string& component : host.sixgate->components)
            components += (components.empty() ? "" : ", ") + component;
    std::string services;
    auto add = [&services](const std::string& what) { services += (services.empty() ? "" : ", ") + what; };
    std::string ports;
    for (auto port : host.services.tcp_listen) ports += (ports.empty() ? "" : ", ") + ("tcp/" + std::to_string(port));
    for (auto port : host.services.udp_echo) ports += (ports.empty() ? "" : ", ") + ("udp/" + std::to_string(port));
    if (!ports.empty()) add("socat " + ports);
    if (host.services.dhcpv4) add("dnsmasq");
    if (host.services.dns64) add("unbound");
    if (host.sixgate && components.empty()) components = "sixgate";
    if (components.empty()) return services.empty() ? "addresses only" : services;
    return services.empty() ? components : components + "; " + services;
}

}  // namespace

const PlannedHost* LabPlan::find_host(std::string_view name) const {
    for (const PlannedHost& host : hosts)
        if (host.name == name) return &host;
    return nullptr;
}

Result<LabPlan> plan_lab(const Topology& topology, const LabPlanOptions& options) {
    LabPlan plan;
    plan.lab = topology.name;
    plan.run_directory = options.run_directory.empty() ? lab_run_directory(topology.name) : options.run_directory;

    HostScriptOptions script_options;
    script_options.sixgate_program = options.sixgate_program;
    script_options.run_directory = plan.run_directory;
    script_options.shared_filesystem = true;

    for (const Host& host : topology.hosts) {
        PlannedHost planned;
        planned.name = host.name;
        planned.namespace_name = host_namespace(topology.name, host.name);
        planned.script = host_script(topology, host, script_options);
        planned.log_file = plan.run_directory + "/" + host.name + ".log";
        for (const HostInterface& interface : host.interfaces)
            if (interface.slaac) planned.slaac_interfaces.push_back(interface.name);
        planned.listeners = listeners_of(host);
        planned.summary = summary_of(host);
        if (host.sixgate) {
            planned.control_socket = control_socket_of(*host.sixgate);
            for (const PlannedHost& other : plan.hosts)
                if (other.control_socket == planned.control_socket)
                    return make_error(std::errc::invalid_argument,
                                      "hosts '" + other.name + "' and '" + host.name + "' both use the control socket " +
                                          *planned.control_socket + ": give each its own control.socket");
            plan.control_sockets.push_back(*planned.control_socket);
        }
        plan.namespaces.push_back(planned.namespace_name);
        plan.hosts.push_back(std::move(planned));
    }

    for (const Segment& segment : topology.segments) {
        if (segment.kind == SegmentKind::veth && segment.members.size() == 2) {
            const SegmentMember& a = segment.members[0];
            const SegmentMember& b = segment.members[1];
            plan.links.push_back({segment.name, host_namespace(topology.name, a.host), a.interface, host_namespace(topology.name, b.host),
                                  b.interface});
            continue;
        }
        PlannedBridge bridge;
        bridge.segment = segment.name;
        bridge.namespace_name = segment_namespace(topology.name, segment.name);
        for (std::size_t i = 0; i < segment.members.size(); ++i) {
            const SegmentMember& member = segment.members[i];
            bridge.ports.push_back(switch_port(i));
            plan.links.push_back({segment.name, bridge.namespace_name, bridge.ports.back(), host_namespace(topology.name, member.host),
                                  member.interface});
        }
        plan.namespaces.push_back(bridge.namespace_name);
        plan.bridges.push_back(std::move(bridge));
    }
    return plan;
}

}  // namespace sixgate::lab
