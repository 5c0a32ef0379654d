#include "isatap/isatap_advertisement.hpp"

#include <algorithm>

#include "net/checksum.hpp"
#include "net/nd/options.hpp"
#include "net/packet/header_writers.hpp"

namespace sixgate::isatap {

namespace nd = net::nd;

namespace {

// config::RouterPreference to the RFC 4191 2.1 code, as router/advertisement.cpp does (kept here
// so the core does not pull in the router component and its netlink dependencies).
nd::RoutePreference route_preference(config::RouterPreference preference) noexcept {
    switch (preference) {
        case config::RouterPreference::low: return nd::RoutePreference::low;
        case config::RouterPreference::high: return nd::RoutePreference::high;
        case config::RouterPreference::medium: break;
    }
    return nd::RoutePreference::medium;
}

// The router's default route lifetime when no interface is configured: 3 * the default
// MaxRtrAdvInterval (600 s), as config/load_router.cpp derives it.
constexpr std::uint32_t kDefaultRouteLifetime = 3 * 600;

void add_route(nd::RouterAdvertisement& ra, const nd::RouteInformationOption& route) {
    // Once per prefix: the first interface that routes it decides preference and lifetime.
    const bool seen = std::any_of(ra.options.begin(), ra.options.end(), [&](const nd::NdOption& option) {
        const auto* rio = std::get_if<nd::RouteInformationOption>(&option);
        return rio && rio->prefix == route.prefix;
    });
    if (!seen) ra.options.push_back(route);
}

}  // namespace

nd::RouterAdvertisement compose_isatap_advertisement(const config::Config& config) {
    nd::RouterAdvertisement ra;
    ra.cur_hop_limit = std::uint8_t(*config::RouterInterface{}.cur_hop_limit);
    // Manage-out: hosts learn routes to the client prefixes, never a default route through us
    // (RFC 4191 2.2: with router lifetime 0 the preference is sent as medium).
    ra.router_lifetime = 0;
    ra.router_preference = nd::RoutePreference::medium;

    // RFC 5214 8.2.3 / RFC 4861 4.6.2: the ISATAP prefix, on-link and for SLAAC, so each host
    // forms prefix::[0200:]5efe:a.b.c.d (RFC 5214 6.1).
    if (*config.isatap.prefix) {
        const config::PrefixInformation defaults;
        ra.options.push_back(nd::PrefixInformationOption{**config.isatap.prefix, true, true,
                                                         *defaults.valid_lifetime, *defaults.preferred_lifetime});
    }

    // RFC 4191 2.3: the routes the router component advertises on its interfaces.
    for (const auto& interface : config.router.interfaces)
        for (const auto& route : interface.routes)
            add_route(ra, nd::RouteInformationOption{*route.prefix, route_preference(*route.preference),
                                                     *route.lifetime});
    if (config.router.interfaces.empty() && config.plan) {
        // The router's defaults (config/load_router.cpp): IP-HTTPS clients, and Teredo clients
        // when the server is public.
        add_route(ra, nd::RouteInformationOption{config.plan->iphttps, nd::RoutePreference::medium,
                                                 kDefaultRouteLifetime});
        if (config.plan->teredo)
            add_route(ra, nd::RouteInformationOption{config.plan->teredo->prefix, nd::RoutePreference::medium,
                                                     kDefaultRouteLifetime});
    }
    return ra;
}

Result<std::size_t> build_advertisement_packet(const nd::RouterAdvertisement& advertisement,
                                               const net::Ipv6Address& source,
                                               const net::Ipv6Address& destination, std::span<std::byte> out) {
    constexpr std::size_t kHeader = 40;
    if (out.size() < kHeader)
        return make_error(std::errc::no_buffer_space,
                          "isatap router advertisement: buffer of " + std::to_string(out.size()) +
                              " bytes cannot hold the 40-byte IPv6 header");
    // The ND codecs write uint8_t; std::byte and uint8_t buffers alias legally.
    const std::span<std::uint8_t> icmp(reinterpret_cast<std::uint8_t*>(out.data() + kHeader), out.size() - kHeader);
    auto length = nd::build_router_advertisement(advertisement, icmp);
    if (!length) return length.error();
    if (*length > 0xffff)
        return make_error(std::errc::message_size, "isatap router advertisement: longer than 65535 bytes");
    nd::fill_icmpv6_checksum(icmp.first(*length), source, destination);

    net::packet::Ipv6HeaderFields fields;
    fields.payload_length = std::uint16_t(*length);
    fields.next_header = net::kIpProtocolIcmpv6;
    fields.hop_limit = nd::kNdHopLimit;  // RFC 4861 4.2 / 6.1.2: hop limit 255 proves on-link
    fields.source = source;
    fields.destination = destination;
    (void)net::packet::write_ipv6_header(out.first(kHeader), fields);
    return kHeader + *length;
}

}  // namespace sixgate::isatap
