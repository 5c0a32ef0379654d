#pragma once
// Who may use the ISATAP link and where a packet may go (RFC 5214 7.3 and 8.3.2, RFC 6324):
// the limited-scope allow-list (router mode), the potential router list (host mode), and the
// loop checks against other ISATAP routers and 6to4 relays. Read-only after construction, so
// data-path threads share it without locks; a reload builds a new one.

#include <optional>
#include <vector>

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
    // anycast prefix 192.88.99.0/24 (RFC 3068) is always added.
    std::vector<net::Ipv4Prefix> loop_guard;
};

class IsatapPolicy {
public:
    explicit IsatapPolicy(IsatapPolicyConfig config);

    const IsatapPolicyConfig& config() const noexcept { return config_; }
    bool router_mode() const noexcept { return !config_.allow.empty(); }
    bool allowed(net::Ipv4Address host) const noexcept;  // router mode; always true in host mode
    bool is_prl_router(net::Ipv4Address address) const noexcept;

    // A decapsulated packet, in this order: outer_not_for_us, source_not_allowed (router mode),
    // inner_source_mismatch (RFC 5214 7.3: the inner source embeds the outer source, or the
    // outer source is a PRL router), loop_isatap_router / loop_6to4_relay (RFC 6324).
    std::optional<IsatapDrop> check_inbound(const Decapsulated& packet) const noexcept;

    // An IPv6 packet read from the TUN: the IPv4 address to encapsulate it to. Router mode: the
    // destination must be an ISATAP address (link-local or in the ISATAP prefix) embedding an
    // allowed IPv4 address. Host mode: link-local ISATAP destinations go to their embedded IPv4,
    // everything else to `router` (no_router when there is none yet). Loop checks as above.
    Expected<net::Ipv4Address, IsatapDrop> outbound_destination(
        const net::packet::Ipv6View& packet, std::optional<net::Ipv4Address> router) const noexcept;

private:
    bool loops(const net::Ipv6Address& address) const noexcept;
    IsatapPolicyConfig config_;
};

}  // namespace sixgate::isatap
