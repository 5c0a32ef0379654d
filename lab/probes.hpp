#pragma once
// The lab's probes, one attempt each, run in the calling thread's network namespace: ICMP/ICMPv6
// echo (RFC 792, RFC 4443 4.1), TCP connect with one message echoed back, a UDP datagram echoed
// back, and a DNS AAAA query. in_namespace() runs work in a thread that joined a named namespace.
// Entry points: probe_once(), in_namespace(), namespace_addresses().

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lab/topology.hpp"
#include "net/result.hpp"

namespace sixgate::lab {

struct ProbeRequest {
    CheckProtocol protocol = CheckProtocol::ping;
    IpAddress target;                       // ping, tcp, udp: the host; dns: the server
    std::optional<std::uint16_t> port;      // tcp, udp
    std::string query;                      // dns
    std::optional<net::Ipv6Prefix> within;  // dns: where an answer must lie
};

struct ProbeOutcome {
    bool success = false;
    std::chrono::microseconds rtt{0};  // of the exchange that succeeded
    std::string detail;                // what happened: "echo reply", "connection refused", ...
};

ProbeOutcome probe_once(const ProbeRequest& request, std::chrono::milliseconds timeout);

// Runs `work` on a thread that entered the network namespace /run/netns/NAME (setns), and waits.
// Error: the namespace cannot be opened or entered (its errno and name in the message).
Result<void> in_namespace(const std::string& name, const std::function<void()>& work);

// An address on a device of the current network namespace, as getifaddrs reports it.
struct LiveAddress {
    std::string device;
    IpAddress address;
};
// Every IPv4 and global-scope IPv6 address (no loopback, link-local or multicast).
std::vector<LiveAddress> namespace_addresses();

}  // namespace sixgate::lab
