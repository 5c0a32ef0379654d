#pragma once
// The three forms `sixgate prefixes` prints a prefix plan in: an aligned table, JSON (stable keys,
// docs/prefixes.md), and the Windows netsh/PowerShell lines of a static manage-out host.

#include <optional>
#include <string>

#include "net/prefix_plan.hpp"

namespace sixgate::app {

struct ClientIllustration {
    net::Ipv4Address ipv4;
    net::Ipv6Address sixtofour;
    std::string warning;  // e.g. a documentation address: only an illustration
};

struct PlanReport {
    net::PrefixPlan plan;
    bool ula_generated = false;  // behind NAT and no --ula: a fresh RFC 4193 ID, to be pinned
    std::optional<ClientIllustration> client;
};

struct WindowsHostOptions {
    std::string interface_alias = "Ethernet";
    net::Ipv6Address host_id;  // interface ID of the manage-out host's static address
};

std::string render_plan_table(const PlanReport& report);
std::string render_plan_json(const PlanReport& report);
std::string render_plan_windows(const PlanReport& report, const WindowsHostOptions& options);

}  // namespace sixgate::app
