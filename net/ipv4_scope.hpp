#pragma once
// Where an IPv4 address may be used, after the IANA IPv4 Special-Purpose Address Registry
// (RFC 6890 and its updates) and RFC 5771 (multicast).

#include <string_view>

#include "net/ip_address.hpp"

namespace sixgate::net {

enum class Ipv4Reach {
    global,      // globally reachable: 6to4 and Teredo apply
    non_global,  // unicast but not globally reachable (private, shared, documentation, ...)
    not_unicast, // can never be a host's own address (this-network, loopback, multicast, ...)
};

struct Ipv4Scope {
    Ipv4Reach reach = Ipv4Reach::global;
    std::string_view name;  // the registry's name for the block, empty for ordinary addresses
    std::string_view block; // e.g. "10.0.0.0/8"
    std::string_view rfc;   // e.g. "RFC 1918"
};

// The most specific registry entry that holds the address decides (192.0.0.9/32 is global
// although 192.0.0.0/24 is not).
Ipv4Scope classify_ipv4(Ipv4Address address) noexcept;

}  // namespace sixgate::net
