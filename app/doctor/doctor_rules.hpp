#pragma once
// The doctor's rules (pure): a host snapshot and an optional target in, findings out. Each
// finding is a passed check ("ok") or a problem with why it matters and the commands that fix it
// on Linux and on a Windows host. RFCs: 4861 (RAs), 4191 (route information), 4862 (SLAAC),
// 5214 (ISATAP), 6877 / 7050 / 8781 (464XLAT, PLAT prefix). Entry point: diagnose().

#include <optional>
#include <string>
#include <vector>

#include "app/doctor/host_snapshot.hpp"

namespace sixgate::app::doctor {

struct Finding {
    std::string check;    // a stable name: ra_acceptance, route_information, isatap_router_name, ...
    bool ok = true;
    std::string summary;  // one line: what is right, or what is wrong
    std::string why;      // problems only: why it matters
    std::vector<std::string> linux_fix;    // shell commands, in order
    std::vector<std::string> windows_fix;  // netsh / PowerShell lines; empty: see windows_note
    std::string windows_note;              // what the problem means on Windows when no line fixes it
};

struct DiagnoseOptions {
    std::optional<net::netlink::AnyIpAddress> target;
    // Names the interface in the Windows lines ("Ethernet"); empty: the Linux interface name.
    std::string interface_alias;
};

std::vector<Finding> diagnose(const HostSnapshot& snapshot, const DiagnoseOptions& options);

// The RA-facing interfaces: up, not loopback, with IPv6, not one of the local sixgate's TUNs
// nor an interface its own router advertises on.
std::vector<const HostInterface*> ra_interfaces(const HostSnapshot& snapshot);

// The kernel's choice for `target` under the default rules: the local table (this host's own
// addresses) first, then the main table; the longest matching prefix, then the lowest metric;
// nullptr when nothing matches.
const net::netlink::Route* lookup_route(const HostSnapshot& snapshot, const net::netlink::AnyIpAddress& target);

}  // namespace sixgate::app::doctor
