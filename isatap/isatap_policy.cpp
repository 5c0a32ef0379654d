#include "isatap/isatap_policy.hpp"

#include <algorithm>
#include <utility>

#include "isatap/isatap_address.hpp"

namespace sixgate::isatap {

namespace {

// RFC 3068 2.3: the 6to4 relay anycast prefix (deprecated by RFC 7526, still configured in the
// wild); its 6to4 addresses are relays by definition.
const net::Ipv4Prefix kSixToFourRelayAnycast(net::Ipv4Address(192, 88, 99, 0), 24);

bool is_link_local_64(const net::Ipv6Address& a) noexcept {
    const auto& b = a.bytes();
    return b[0] == 0xfe && b[1] == 0x80 && b[2] == 0 && b[3] == 0 && b[4] == 0 && b[5] == 0 && b[6] == 0 &&
           b[7] == 0;
}

bool is_link_local(const net::Ipv6Address& a) noexcept {
    return a.bytes()[0] == 0xfe && (a.bytes()[1] & 0xc0) == 0x80;  // fe80::/10
}

bool is_multicast(const net::Ipv6Address& a) noexcept { return a.bytes()[0] == 0xff; }

}  // namespace

IsatapPolicyConfig make_policy_config(const config::Config& config, net::Ipv4Address local,
                                      std::vector<net::Ipv4Address> prl) {
    IsatapPolicyConfig out;
    out.local = local;
    out.loop_guard = config.isatap.other_routers;
    if (*config.isatap.mode == config::IsatapMode::host) {
        out.prl = std::move(prl);
        return out;
    }
    out.allow = config.isatap.allow;
    out.isatap_prefix = *config.isatap.prefix;
    if (config.plan) out.served_prefixes.push_back(config.plan->site);
    for (const auto& interface : config.router.interfaces) {
        for (const auto& prefix : interface.prefixes) out.served_prefixes.push_back(*prefix.prefix);
        for (const auto& route : interface.routes) out.served_prefixes.push_back(*route.prefix);
    }
    return out;
}

IsatapPolicy::IsatapPolicy(IsatapPolicyConfig config) : config_(std::move(config)) {
    if (std::find(config_.loop_guard.begin(), config_.loop_guard.end(), kSixToFourRelayAnycast) ==
        config_.loop_guard.end())
        config_.loop_guard.push_back(kSixToFourRelayAnycast);
}

bool IsatapPolicy::allowed(net::Ipv4Address host) const noexcept {
    if (!router_mode()) return true;
    return std::any_of(config_.allow.begin(), config_.allow.end(),
                       [&](const net::Ipv4Prefix& prefix) { return prefix.contains(host); });
}

bool IsatapPolicy::is_prl_router(net::Ipv4Address address) const noexcept {
    return std::find(config_.prl.begin(), config_.prl.end(), address) != config_.prl.end();
}

bool IsatapPolicy::in_loop_guard(net::Ipv4Address address) const noexcept {
    return std::any_of(config_.loop_guard.begin(), config_.loop_guard.end(),
                       [&](const net::Ipv4Prefix& prefix) { return prefix.contains(address); });
}

bool IsatapPolicy::served(const net::Ipv6Address& address) const noexcept {
    if (config_.isatap_prefix && config_.isatap_prefix->contains(address)) return true;
    return std::any_of(config_.served_prefixes.begin(), config_.served_prefixes.end(),
                       [&](const net::Ipv6Prefix& prefix) { return prefix.contains(address); });
}

std::optional<IsatapDrop> IsatapPolicy::loop_check(const net::Ipv6Address& address,
                                                   bool own_isatap_loops) const noexcept {
    if (const auto v4 = embedded_ipv4(address)) {
        // RFC 6324 3.2.3: an ISATAP address naming another ISATAP router's IPv4 address is
        // reached through that router, which would send it back over IPv4 to us. Our own PRL
        // routers are the link's routers, not "another" one.
        if (in_loop_guard(*v4) && !is_prl_router(*v4)) return IsatapDrop::loop_isatap_router;
        // RFC 6324 3.2.3 applied to ourselves: a packet from our own ISATAP address arriving
        // over the tunnel, or one we would encapsulate to our own IPv4, has looped.
        if (own_isatap_loops && *v4 == config_.local) return IsatapDrop::loop_isatap_router;
    }
    if (const auto v4 = sixtofour_ipv4(address)) {
        // RFC 6324 3.2.3: a 6to4 address of a known relay (or of the relay anycast, RFC 3068),
        // or of this node's own IPv4 address, is reached through a 6to4 relay that would
        // encapsulate it back to us. Prefixes this node serves itself are delivered here.
        if ((in_loop_guard(*v4) || *v4 == config_.local) && !served(address)) return IsatapDrop::loop_6to4_relay;
    }
    return std::nullopt;
}

std::optional<IsatapDrop> IsatapPolicy::check_inbound(const Decapsulated& packet) const noexcept {
    // RFC 4213 3.6: only what is addressed to this node's IPv4 address on the interface.
    if (packet.outer_destination != config_.local) return IsatapDrop::outer_not_for_us;
    // The limited scope: nobody outside the allow-list gets anything, not even an answer.
    if (!allowed(packet.outer_source)) return IsatapDrop::source_not_allowed;
    // RFC 5214 7.3: the inner source must embed the outer source in its ISATAP interface
    // identifier, unless the outer source is a PRL router (which forwards for others).
    const net::Ipv6Address source = packet.view.source();
    if (!is_prl_router(packet.outer_source)) {
        const auto embedded = embedded_ipv4(source);
        if (!embedded || *embedded != packet.outer_source) return IsatapDrop::inner_source_mismatch;
    }
    // RFC 6324 3.2.3 on both addresses. A destination embedding our own address is normal: the
    // packet is for us.
    if (const auto drop = loop_check(source, true)) return drop;
    if (const auto drop = loop_check(packet.view.destination(), false)) return drop;
    return std::nullopt;
}

Expected<net::Ipv4Address, IsatapDrop> IsatapPolicy::outbound_destination(
    const net::packet::Ipv6View& packet, std::optional<net::Ipv4Address> router) const noexcept {
    const net::Ipv6Address destination = packet.destination();
    // RFC 6324 3.2.3 on both addresses; our own ISATAP address as a source is normal, as a
    // destination it would come straight back.
    if (const auto drop = loop_check(packet.source(), false)) return *drop;
    if (const auto drop = loop_check(destination, true)) return *drop;

    // RFC 5214 8: ISATAP is an NBMA link: only an address with an ISATAP interface identifier
    // names an IPv4 node; there is no multicast to map to.
    if (is_multicast(destination)) return IsatapDrop::destination_not_isatap;
    const auto embedded = embedded_ipv4(destination);

    if (router_mode()) {
        // The router reaches ISATAP hosts directly: link-local ISATAP addresses and ISATAP
        // addresses in its ISATAP prefix; anything else has no place on this link.
        const bool on_link = is_link_local_64(destination) ||
                             (config_.isatap_prefix && config_.isatap_prefix->contains(destination));
        if (!embedded || !on_link) return IsatapDrop::destination_not_isatap;
        // The limited scope holds both ways: nothing is sent to a host off the allow-list.
        if (!allowed(*embedded)) return IsatapDrop::destination_not_allowed;
        return *embedded;
    }

    // RFC 5214 8.3: a host reaches link-local ISATAP neighbours directly; a link-local address
    // without an ISATAP identifier has no IPv4 address and cannot be forwarded by a router.
    if (is_link_local(destination)) {
        if (embedded && is_link_local_64(destination)) return *embedded;
        return IsatapDrop::destination_not_isatap;
    }
    // Everything else goes through the router that advertised (RFC 5214 8.3.4 / 8.4).
    if (!router) return IsatapDrop::no_router;
    return *router;
}

}  // namespace sixgate::isatap
