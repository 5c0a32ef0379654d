#pragma once
// Who may use the ISATAP link and where a packet may go (RFC 5214 7.3 and 8.3.2, RFC 6324):
// the limited-scope allow-list (router mode), the potential router list (host mode), and the
// loop checks against other ISATAP routers and 6to4 relays. Read-only after construction, so
// data-path threads share it without locks; a reload builds a new one.

#include <optional>
#include <vector>

#include "config/config.hpp"
#include "isatap/drop_reason.hpp"
#include "isatap/tunnel_packet.hpp"
#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/result.hpp"

namespace sixgate::isatap {

struct IsatapPolicyConfig {
    // Router mode: the IPv4 hosts and prefixes served; empty means host mode (no allow-list).
    std::vector<net::Ipv4Prefix> allow;
    // Host mode: the potential router list, resolved. Router mode: empty.
    std::vector<net::Ipv4Address> prl;
    // This node's IPv4 address on the ISATAP interface.
    net::Ipv4Address local;
    // Router mode: the ISATAP prefix (a /64) whose ISATAP addresses are reachable over the link.
    std::optional<net::Ipv6Prefix> isatap_prefix;
    // IPv4 addresses of other ISATAP routers and 6to4 relays (RFC 6324 3.2.3); the 6to4 relay
    // anycast prefix 192.88.99.0/24 (RFC 3068) is always added. Host mode: the PRL routers'
    // ISATAP addresses are never treated as another router's, even when listed here.
    std::vector<net::Ipv4Prefix> loop_guard;
    // IPv6 prefixes this node routes itself (router mode: the plan's site /48, e.g.
    // 2002:V4::/48 when the public IPv4 is this interface's). A 6to4 address inside one of them,
    // or inside isatap_prefix, is delivered here rather than to a 6to4 relay, so the 6to4 loop
    // check does not apply to it.
    std::vector<net::Ipv6Prefix> served_prefixes;
};

// The policy config a component runs with, from the loaded config. Router mode (isatap.mode):
// allow = isatap.allow, isatap_prefix = isatap.prefix, loop_guard = isatap.other_routers,
// served_prefixes = the plan's site and every prefix and route of the router interfaces.
// Host mode: prl = `prl` (the routers, resolved), loop_guard = isatap.other_routers.
IsatapPolicyConfig make_policy_config(const config::Config& config, net::Ipv4Address local,
                                      std::vector<net::Ipv4Address> prl = {});

class IsatapPolicy {
public:
    explicit IsatapPolicy(IsatapPolicyConfig config);

    const IsatapPolicyConfig& config() const noexcept { return config_; }
    bool router_mode() const noexcept { return !config_.allow.empty(); }
    bool allowed(net::Ipv4Address host) const noexcept;  // router mode; always true in host mode
    bool is_prl_router(net::Ipv4Address address) const noexcept;

    // A decapsulated packet, in this order: outer_not_for_us, source_not_allowed (router mode),
    // inner_source_mismatch (RFC 5214 7.3: the inner source embeds the outer source, or the
    // outer source is a PRL router), loop_isatap_router / loop_6to4_relay (RFC 6324), source
    // first, then destination. An inner destination embedding this node's own IPv4 address is
    // normal (an RS to the router's link-local address); an inner source embedding it is a loop.
    std::optional<IsatapDrop> check_inbound(const Decapsulated& packet) const noexcept;

    // An IPv6 packet read from the TUN: the IPv4 address to encapsulate it to. Router mode: the
    // destination must be an ISATAP address (link-local or in the ISATAP prefix) embedding an
    // allowed IPv4 address. Host mode: link-local ISATAP destinations go to their embedded IPv4,
    // everything else to `router` (no_router when there is none yet). Multicast and non-ISATAP
    // link-local destinations have no IPv4 address on this NBMA link: destination_not_isatap.
    // Loop checks first (source, then destination), as above, plus: a destination embedding
    // this node's own IPv4 address would come straight back (loop_isatap_router).
    Expected<net::Ipv4Address, IsatapDrop> outbound_destination(
        const net::packet::Ipv6View& packet, std::optional<net::Ipv4Address> router) const noexcept;

private:
    // The RFC 6324 verdict on one address; `own_isatap_loops`: an ISATAP address embedding
    // config_.local counts as a loop (every source, outbound destinations).
    std::optional<IsatapDrop> loop_check(const net::Ipv6Address& address, bool own_isatap_loops) const noexcept;
    bool in_loop_guard(net::Ipv4Address address) const noexcept;
    bool served(const net::Ipv6Address& address) const noexcept;
    IsatapPolicyConfig config_;
};

}  // namespace sixgate::isatap
