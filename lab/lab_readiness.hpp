#pragma once
// When a lab host counts as up: its sixgate answers on the control socket, its SLAAC interfaces
// hold a global address, its services listen. Asked from outside, through `ip netns exec`.
// Entry points: host_readiness(), host_addresses().

#include <functional>
#include <string>
#include <vector>

#include "lab/lab_plan.hpp"
#include "net/result.hpp"

namespace sixgate::lab {

// Asks the sixgate behind a control socket for its status; ok when it answers.
using ControlProbe = std::function<Result<void>(const std::string& socket)>;

struct HostReadiness {
    std::vector<std::string> waiting_for;  // empty when ready: "a global address on eth0", ...
    std::vector<std::string> slaac_addresses;  // "eth0 2002:836b:2:3333:.../64"
    bool ready() const noexcept { return waiting_for.empty(); }
};

HostReadiness host_readiness(const PlannedHost& host, const ControlProbe& probe);

// Every global address of the host, one "IFACE ADDRESS/LEN" each, in interface order.
std::vector<std::string> host_addresses(const std::string& namespace_name);

// The port numbers listening in a namespace (`ss -ln`), "tcp" or "udp".
std::vector<std::uint16_t> listening_ports(const std::string& namespace_name, const std::string& protocol);

}  // namespace sixgate::lab
