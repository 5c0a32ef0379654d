#pragma once
// What `sixgate lab up` makes for a topology, decided before anything is made: the namespaces,
// the bridges and veth pairs between them, and the script each host runs. Pure: no system calls.
// Entry point: plan_lab().

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lab/topology.hpp"
#include "net/result.hpp"

namespace sixgate::lab {

// A veth pair created straight into two namespaces (no name ever exists in the root namespace).
struct PlannedLink {
    std::string segment;
    std::string namespace_a;
    std::string name_a;
    std::string namespace_b;
    std::string name_b;
};

// A shared segment: a bridge in a namespace of its own, one veth port (p1..pN) per member.
struct PlannedBridge {
    std::string segment;
    std::string namespace_name;
    std::string bridge = "br0";
    std::vector<std::string> ports;  // member order
};

// What must be listening before a host counts as up.
struct PlannedListener {
    enum class Protocol { tcp, udp } protocol = Protocol::tcp;
    std::uint16_t port = 0;
    std::string what;  // "socat", "dnsmasq", "unbound"
};

struct PlannedHost {
    std::string name;
    std::string namespace_name;
    std::string script;                         // run as `sh -ec SCRIPT` in the namespace
    std::string log_file;                       // RUN_DIR/HOST.log
    std::optional<std::string> control_socket;  // when the host runs sixgate
    std::vector<std::string> slaac_interfaces;  // must hold a global address
    std::vector<PlannedListener> listeners;
    std::string summary;  // "router, isatap router, plat; dnsmasq, unbound"
};

struct LabPlan {
    std::string lab;
    std::string run_directory;
    std::vector<std::string> namespaces;  // every namespace, in creation order: hosts, then segments
    std::vector<PlannedBridge> bridges;
    std::vector<PlannedLink> links;       // segment order: a bridge's ports, or the pair itself
    std::vector<PlannedHost> hosts;       // topology order
    std::vector<std::string> control_sockets;  // every host's, topology order

    const PlannedHost* find_host(std::string_view name) const;
};

struct LabPlanOptions {
    std::string sixgate_program = "sixgate";
    std::string run_directory;  // empty: lab_run_directory(topology.name)
};

// Errors (code invalid_argument) for what the loader accepts but one machine cannot run: two
// hosts sharing a control socket path.
Result<LabPlan> plan_lab(const Topology& topology, const LabPlanOptions& options = {});

}  // namespace sixgate::lab
