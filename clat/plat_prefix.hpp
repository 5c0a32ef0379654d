#pragma once
// PlatPrefix: a learned NAT64 (PLAT-side translation) prefix, until when it is valid and where it
// came from. Shared by the PREF64 listener (RFC 8781) and the RFC 7050 discovery.

#include <chrono>
#include <string>

#include "net/ip_prefix.hpp"

namespace sixgate::clat {

struct PlatPrefix {
    net::Ipv6Prefix prefix;
    std::chrono::steady_clock::time_point expires;
    // What taught it, for logs and status: "pref64 from fe80::1 on eth0", "dns64 ipv4only.arpa".
    std::string source;

    bool operator==(const PlatPrefix&) const = default;
};

}  // namespace sixgate::clat
