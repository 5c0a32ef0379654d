#include "isatap/host_ra_state.hpp"

#include <algorithm>
#include <variant>

#include "isatap/isatap_address.hpp"
#include "net/nd/router_messages.hpp"
#include "net/packet/ipv6_view.hpp"

namespace sixgate::isatap {

namespace {

constexpr std::uint8_t kIcmpv6 = 58;

RaTime lifetime_end(RaTime now, std::uint32_t seconds) {
    if (seconds == net::nd::kInfiniteLifetime) return kNever;
    return now + std::chrono::seconds{seconds};
}

const net::Ipv6Prefix& link_local_prefix() {
    static const net::Ipv6Prefix prefix(net::Ipv6Address(net::Ipv6Address::Bytes{0xfe, 0x80}), 64);
    return prefix;
}

}  // namespace

const char* to_string(RaRefusal::Why why) noexcept {
    switch (why) {
        case RaRefusal::Why::not_prl_router:
            return "not_prl_router";
        case RaRefusal::Why::malformed:
            return "malformed";
        case RaRefusal::Why::wrong_source:
            return "wrong_source";
        case RaRefusal::Why::nd_validation:
            return "nd_validation";
    }
    return "unknown";
}

HostRaState::HostRaState(net::Ipv4Address local) : local_(local) {}

Expected<RaSummary, RaRefusal> HostRaState::apply(std::span<const std::byte> ipv6_packet, net::Ipv4Address router,
                                                  std::span<const net::Ipv4Address> prl, RaTime now) {
    // RFC 5214 8.3.2: a host accepts RAs only from the routers in its PRL.
    if (std::find(prl.begin(), prl.end(), router) == prl.end())
        return RaRefusal{RaRefusal::Why::not_prl_router, std::nullopt};
    const auto view = net::packet::Ipv6View::parse(ipv6_packet);
    if (!view || view->chain_end() != net::packet::ChainEnd::upper_layer || view->upper_layer_protocol() != kIcmpv6)
        return RaRefusal{RaRefusal::Why::malformed, std::nullopt};
    // RFC 5214 7.3 and 8.3.2: the RA must come from the router's own ISATAP link-local address
    // (fe80::5efe:R or fe80::200:5efe:R), so an RA relayed or forged for R by another node that
    // reaches us inside R's IPv4 packets is still R's.
    const net::Ipv6Address source = view->source();
    const auto embedded = embedded_ipv4(source);
    if (!link_local_prefix().contains(source) || !embedded || *embedded != router)
        return RaRefusal{RaRefusal::Why::wrong_source, std::nullopt};
    const auto payload = view->upper_layer_payload();
    const std::span<const std::uint8_t> icmp(reinterpret_cast<const std::uint8_t*>(payload.data()), payload.size());
    // RFC 4861 6.1.2: hop limit 255, link-local source, checksum, code 0, lengths and options.
    auto parsed = net::nd::parse_router_advertisement(icmp, view->hop_limit(), source, view->destination());
    if (!parsed) return RaRefusal{RaRefusal::Why::nd_validation, parsed.reason()};
    const net::nd::RouterAdvertisement& ra = *parsed;

    RaSummary summary;
    summary.router = router;
    summary.router_lifetime = ra.router_lifetime;
    // RFC 4861 6.3.4: a router lifetime of 0 means the router is not (or no longer) a default
    // router; otherwise the default route lives that long, renewed by each RA.
    if (ra.router_lifetime == 0) {
        default_route_.reset();
    } else {
        default_route_ = HostRoute{net::Ipv6Prefix(net::Ipv6Address(), 0),
                                   now + std::chrono::seconds{ra.router_lifetime}, ra.router_preference, router};
    }
    for (const auto& option : ra.options) {
        if (const auto* pio = std::get_if<net::nd::PrefixInformationOption>(&option)) {
            apply_prefix(*pio, router, now, summary);
        } else if (const auto* rio = std::get_if<net::nd::RouteInformationOption>(&option)) {
            // RFC 4191 3.1: a Route Information option updates the route's lifetime and
            // preference; a lifetime of 0 removes it.
            const auto found = std::find_if(routes_.begin(), routes_.end(),
                                            [&](const HostRoute& r) { return r.prefix == rio->prefix; });
            if (rio->route_lifetime == 0) {
                if (found != routes_.end()) routes_.erase(found);
                summary.withdrawn.push_back(rio->prefix);
                continue;
            }
            const HostRoute route{rio->prefix, lifetime_end(now, rio->route_lifetime), rio->preference, router};
            if (found != routes_.end())
                *found = route;
            else
                routes_.push_back(route);
            summary.routes.push_back(rio->prefix);
        }
    }
    router_ = router;
    return summary;
}

void HostRaState::apply_prefix(const net::nd::PrefixInformationOption& pio, net::Ipv4Address router, RaTime now,
                               RaSummary& summary) {
    // RFC 4862 5.5.3 a) not for SLAAC without A; b) never the link-local prefix;
    // c) a preferred lifetime above the valid lifetime makes the option void;
    // d) the ISATAP interface identifier is 64 bits, so only a /64 forms an address.
    if (!pio.autonomous) return;
    if (link_local_prefix().contains(pio.prefix.address())) return;
    if (pio.preferred_lifetime > pio.valid_lifetime) return;
    if (pio.prefix.length() != 64) return;

    const net::Ipv6Address address = isatap_address(pio.prefix, local_);
    const auto found = std::find_if(addresses_.begin(), addresses_.end(),
                                    [&](const HostAddress& a) { return a.address == address; });
    const RaTime received_valid = lifetime_end(now, pio.valid_lifetime);
    if (found == addresses_.end()) {
        // d) a new prefix with a valid lifetime of 0 forms nothing.
        if (pio.valid_lifetime == 0) return;
        addresses_.push_back(HostAddress{address, pio.prefix, received_valid,
                                         std::min(received_valid, lifetime_end(now, pio.preferred_lifetime)),
                                         router});
        summary.prefixes.push_back(pio.prefix);
        return;
    }
    // e) the two-hour rule: a valid lifetime above two hours, or beyond the remaining one, is
    // taken as is; otherwise an address with two hours or less left keeps its lifetime, and one
    // with more left is cut to two hours, so a forged RA cannot take the address away at once.
    HostAddress& existing = *found;
    const bool remaining_at_most_two_hours =
        existing.valid_until != kNever && existing.valid_until - now <= kTwoHours;
    if (std::chrono::seconds{pio.valid_lifetime} > kTwoHours || received_valid > existing.valid_until) {
        existing.valid_until = received_valid;
    } else if (!remaining_at_most_two_hours) {
        existing.valid_until = now + kTwoHours;
    }
    existing.preferred_until = std::min(existing.valid_until, lifetime_end(now, pio.preferred_lifetime));
    existing.router = router;
    summary.prefixes.push_back(pio.prefix);
}

bool HostRaState::expire(RaTime now) {
    bool changed = false;
    const auto erase_if = [&](auto& items, auto expired) {
        const auto before = items.size();
        items.erase(std::remove_if(items.begin(), items.end(), expired), items.end());
        changed = changed || items.size() != before;
    };
    erase_if(addresses_, [&](const HostAddress& a) { return a.valid_until <= now; });
    erase_if(routes_, [&](const HostRoute& r) { return r.expires <= now; });
    if (default_route_ && default_route_->expires <= now) {
        default_route_.reset();
        changed = true;
    }
    return changed;
}

std::optional<RaTime> HostRaState::next_expiry() const {
    std::optional<RaTime> earliest;
    const auto consider = [&](RaTime when) {
        if (when != kNever && (!earliest || when < *earliest)) earliest = when;
    };
    for (const auto& address : addresses_) consider(address.valid_until);
    for (const auto& route : routes_) consider(route.expires);
    if (default_route_) consider(default_route_->expires);
    return earliest;
}

std::vector<HostRoute> HostRaState::routes() const {
    std::vector<HostRoute> routes = routes_;
    if (default_route_) {
        // A ::/0 Route Information option and the router lifetime name the same route: the
        // later expiry keeps it.
        const auto found = std::find_if(routes.begin(), routes.end(),
                                        [&](const HostRoute& r) { return r.prefix == default_route_->prefix; });
        if (found == routes.end())
            routes.push_back(*default_route_);
        else
            found->expires = std::max(found->expires, default_route_->expires);
    }
    return routes;
}

}  // namespace sixgate::isatap
