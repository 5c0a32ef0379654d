#pragma once
// The three forms `sixgate prefixes` prints a prefix plan in: an aligned table, JSON (stable keys,
// docs/prefixes.md), and the Windows netsh/PowerShell lines of a static manage-out host and of a
// limited-ISATAP jump host (docs/isatap.md).

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

// The default DNS name of the ISATAP router for a jump host: never `isatap`, which Windows DNS
// servers block by default (the global query block list).
inline constexpr const char* kDefaultIsatapRouterName = "sixgate-isatap";

struct WindowsHostOptions {
    std::string interface_alias = "Ethernet";
    net::Ipv6Address host_id;  // interface ID of the manage-out host's static address
    // The DNS name (or IPv4 address) a limited-ISATAP jump host uses as its router.
    std::string isatap_router = kDefaultIsatapRouterName;
};

// Whether `name` can be a jump host's ISATAP router name: an IPv4 address or a DNS name (letters,
// digits, hyphens, dot-separated labels of 1..63, at most 253 in all) whose first label is not
// `isatap`. Nothing when it can; else the reason.
std::optional<std::string> isatap_router_name_problem(const std::string& name);

std::string render_plan_table(const PlanReport& report);
std::string render_plan_json(const PlanReport& report);
std::string render_plan_windows(const PlanReport& report, const WindowsHostOptions& options);

}  // namespace sixgate::app
