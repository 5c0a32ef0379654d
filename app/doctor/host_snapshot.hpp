#pragma once
// What `sixgate doctor` knows about this host: interfaces with their IPv6 sysctls, addresses and
// the routers heard on them, routes, the local sixgate's state (control socket), the PLAT prefix
// a DNS64 gives for ipv4only.arpa (RFC 7050) and the answer of the target to ICMP echo.
// collect_host_snapshot() reads the kernel; everything after it (doctor_rules) is pure.

#include <optional>
#include <string>
#include <vector>

#include "app/doctor/sixgate_state.hpp"
#include "net/ip_prefix.hpp"
#include "net/netlink/ip_family.hpp"
#include "net/netlink/interfaces.hpp"
#include "net/netlink/kernel_routes.hpp"

namespace sixgate::app::doctor {

// net.ipv6.conf.<interface or all>.*; empty when the file could not be read.
struct Ipv6Conf {
    std::optional<int> forwarding;
    std::optional<int> accept_ra;
    std::optional<int> accept_ra_rt_info_max_plen;
    std::optional<int> accept_ra_rtr_pref;
    std::optional<int> accept_ra_defrtr;
    std::optional<int> autoconf;
    std::optional<int> disable_ipv6;
};

struct LinkAddress {
    net::Ipv6Address address;
    int prefix_length = 64;
    bool tentative = false;
    bool dad_failed = false;
    bool from_ra = false;  // IFA_PROTO 2: formed by SLAAC from a Router Advertisement
};

struct HostInterface {
    std::string name;
    bool up = false;
    bool loopback = false;
    Ipv6Conf conf;
    std::vector<LinkAddress> ipv6;
    std::vector<net::netlink::Ipv4InterfaceAddress> ipv4;
    // Link-local addresses of neighbours flagged as routers (NTF_ROUTER): the kernel sets the
    // flag from every RA it receives, even when accept_ra makes it ignore the RA's contents.
    std::vector<net::Ipv6Address> routers;
};

// The ICMP echo to --target.
struct TargetProbe {
    net::netlink::AnyIpAddress target;
    bool answered = false;
    double rtt_ms = 0;
    std::string error;  // why no echo could be sent (no route, no permission)
};

struct HostSnapshot {
    std::string hostname;
    Ipv6Conf all;                         // net.ipv6.conf.all.*
    std::optional<int> ipv4_forwarding;   // net.ipv4.ip_forward
    std::vector<HostInterface> interfaces;
    std::vector<net::netlink::Route> routes;  // local and main tables, both families
    SixgateState sixgate;
    std::optional<net::Ipv6Prefix> dns64_prefix;  // RFC 7050: from the AAAA of ipv4only.arpa
    std::optional<TargetProbe> probe;
};

struct SnapshotRequest {
    std::string socket;  // the local sixgate's control socket
    std::optional<net::netlink::AnyIpAddress> target;
};

// Reads this host (the current network namespace). Fails only when rtnetlink cannot be opened.
Result<HostSnapshot> collect_host_snapshot(const SnapshotRequest& request);

// The host's interface by name, or nullptr.
const HostInterface* find_interface(const HostSnapshot& snapshot, const std::string& name);

}  // namespace sixgate::app::doctor
