#pragma once
// RFC 6791: the IPv4 addresses a translator gives as the source of an ICMPv6 error it translates
// to ICMPv4 when the error's IPv6 source has no IPv4 mapping (a router inside the IPv6 network).

#include <cstdint>
#include <span>
#include <vector>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/result.hpp"

namespace sixgate::xlat {

class Rfc6791Pool {
public:
    Rfc6791Pool() = default;  // empty: the caller falls back to its own IPv4 address

    // Refuses overlapping prefixes (they would skew the spread) and prefixes that reach into
    // blocks that can never be a source (this-network, loopback, multicast, reserved, limited
    // broadcast); every error is listed, one per line. Non-global space is accepted: RFC 6791
    // prefers public addresses, but a lab or an operator's private range is a valid choice.
    static Result<Rfc6791Pool> create(std::span<const net::Ipv4Prefix> prefixes);

    bool empty() const noexcept { return prefixes_.empty(); }
    // Number of addresses, at most 2^32.
    std::uint64_t size() const noexcept { return total_; }
    std::span<const net::Ipv4Prefix> prefixes() const noexcept { return prefixes_; }
    bool contains(net::Ipv4Address address) const noexcept;

    // RFC 6791 4 recommends a random pick from the pool, so that the replies of different hops
    // (traceroute) do not all share one source. A hash of the packet stands in for randomness:
    // spread as evenly as random over the whole pool, yet the same packet gets the same address.
    // Each address is equally likely whatever the prefix lengths. 0.0.0.0 when empty().
    net::Ipv4Address pick(std::uint32_t hash) const noexcept;

private:
    std::vector<net::Ipv4Prefix> prefixes_;  // sorted by address
    std::vector<std::uint64_t> starts_;      // index of each prefix's first address in the pool
    std::uint64_t total_ = 0;
};

}  // namespace sixgate::xlat
