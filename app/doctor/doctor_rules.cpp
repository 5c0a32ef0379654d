#include "app/doctor/doctor_rules.hpp"

#include <algorithm>

#include "app/doctor/doctor_fixes.hpp"

namespace sixgate::app::doctor {
namespace {

namespace nl = net::netlink;

bool is_link_local(const net::Ipv6Address& address) {
    return address.bytes()[0] == 0xfe && (address.bytes()[1] & 0xc0) == 0x80;
}

bool usable_global(const LinkAddress& a) {
    return !is_link_local(a.address) && !a.tentative && !a.dad_failed && a.address != net::Ipv6Address::parse("::1").value();
}

const LinkAddress* first_global(const HostInterface& interface) {
    for (const LinkAddress& a : interface.ipv6)
        if (usable_global(a)) return &a;
    return nullptr;
}

// The PLAT/NAT64 prefixes this host can know of: its CLAT's, its own sixgate's, the DNS64's.
std::vector<net::Ipv6Prefix> known_nat64_prefixes(const HostSnapshot& s) {
    std::vector<net::Ipv6Prefix> prefixes;
    if (s.sixgate.clat && s.sixgate.clat->plat_prefix) prefixes.push_back(*s.sixgate.clat->plat_prefix);
    if (s.sixgate.nat64_prefix) prefixes.push_back(*s.sixgate.nat64_prefix);
    if (s.dns64_prefix) prefixes.push_back(*s.dns64_prefix);
    return prefixes;
}

std::optional<net::Ipv6Prefix> nat64_prefix_of(const HostSnapshot& s, const nl::AnyIpAddress& target) {
    const auto* v6 = std::get_if<net::Ipv6Address>(&target);
    if (!v6) return std::nullopt;
    for (const auto& prefix : known_nat64_prefixes(s))
        if (prefix.contains(*v6)) return prefix;
    return std::nullopt;
}

// RTPROT_RA: a route the kernel took from a Router Advertisement.
constexpr std::uint8_t kRouteFromRa = 9;

// RAs arrive on this link: the kernel formed an address or took a route from one.
bool hears_router_advertisements(const HostSnapshot& s, const HostInterface& i) {
    if (std::any_of(i.ipv6.begin(), i.ipv6.end(), [](const LinkAddress& a) { return a.from_ra; })) return true;
    return std::any_of(s.routes.begin(), s.routes.end(),
                       [&](const nl::Route& r) { return r.protocol == kRouteFromRa && r.device == i.name; });
}

Finding ok(std::string check, std::string summary) { return Finding{std::move(check), true, std::move(summary), {}, {}, {}, {}}; }

// RFC 4861 6.3.4 is host behaviour; Linux treats an interface with forwarding=1 as a router's and
// then only checks RAs (RFC 4861 6.2.7) unless accept_ra=2.
void check_ra_acceptance(const HostInterface& i, const Fixer& fix, std::vector<Finding>& out) {
    const int accept_ra = i.conf.accept_ra.value_or(1);
    const int forwarding = i.conf.forwarding.value_or(0);
    const std::string state = "accept_ra=" + std::to_string(accept_ra) + " forwarding=" + std::to_string(forwarding);
    if (accept_ra == 0 || (accept_ra == 1 && forwarding == 1)) {
        Finding f{"ra_acceptance", false, i.name + ": " + state + ": the kernel ignores Router Advertisements",
                  accept_ra == 0
                      ? "accept_ra=0 turns router discovery off: no SLAAC address in the org /64 and no RFC 4191 "
                        "routes to the client prefixes (RFC 4861 6.3.4, RFC 4862 5.5)"
                      : "with forwarding=1 Linux acts as a router and only checks RAs (RFC 4861 6.2.7); "
                        "accept_ra=2 makes it use them anyway (addresses and routes) while forwarding",
                  {}, {}, {}};
        fix.accept_ra(f, i.name, forwarding == 1 ? 2 : 1);
        out.push_back(std::move(f));
    } else {
        out.push_back(ok("ra_acceptance", i.name + ": " + state + ": Router Advertisements are used"));
    }
}

// RFC 4191 3.1: a host keeps the routes of Route Information options; Linux only those whose
// length is at most accept_ra_rt_info_max_plen (default 0: none) and only with accept_ra_rtr_pref.
void check_route_information(const HostInterface& i, int needed, const Fixer& fix, std::vector<Finding>& out) {
    const int max_plen = i.conf.accept_ra_rt_info_max_plen.value_or(0);
    const int rtr_pref = i.conf.accept_ra_rtr_pref.value_or(1);
    if (max_plen >= needed && rtr_pref != 0) {
        out.push_back(ok("route_information", i.name + ": accept_ra_rt_info_max_plen=" + std::to_string(max_plen) +
                                                  ": RFC 4191 routes up to /" + std::to_string(max_plen) + " are kept"));
        return;
    }
    Finding f{"route_information", false,
              i.name + ": accept_ra_rt_info_max_plen=" + std::to_string(max_plen) +
                  (rtr_pref == 0 ? " accept_ra_rtr_pref=0" : "") + ": RFC 4191 routes in RAs are dropped",
              "the router's Route Information options (RFC 4191 2.3) carry the client prefixes (/64) and "
              "the NAT64 prefix (/96); the kernel drops every one longer than /" + std::to_string(max_plen) +
                  ", so the remote clients are unreachable",
              {}, {}, {}};
    fix.route_information(f, i.name, rtr_pref == 0);
    out.push_back(std::move(f));
}

void check_global_address(const HostSnapshot& s, const std::vector<const HostInterface*>& ra, const Fixer& fix,
                          std::vector<Finding>& out) {
    for (const HostInterface& i : s.interfaces)
        if (const LinkAddress* a = first_global(i); a && !i.loopback) {
            out.push_back(ok("global_address", i.name + ": global IPv6 address " + a->address.to_string() + "/" +
                                                   std::to_string(a->prefix_length)));
            return;
        }
    Finding f{"global_address", false, "no global IPv6 address on any interface",
              "manage-out traffic needs a global source address; a host gets one in the org /64 by SLAAC "
              "from the router's RA (RFC 4862 5.5.3)",
              {}, {}, {}};
    if (s.sixgate.isatap_host) {
        f.why = "the ISATAP host forms its address only from its ISATAP router's RA (RFC 5214 8.3.4)";
        fix.isatap_allow(f, s);
    } else {
        const HostInterface* best = nullptr;
        for (const HostInterface* i : ra)
            if (!best || (best->routers.empty() && !i->routers.empty())) best = i;
        if (best) fix.slaac(f, best->name, best->conf.autoconf.value_or(1) == 0);
    }
    out.push_back(std::move(f));
}

void check_sixgate_forwarding(const HostSnapshot& s, const Fixer& fix, std::vector<Finding>& out) {
    const SixgateState& g = s.sixgate;
    if (!g.running || (g.router_interfaces.empty() && !g.isatap_router && !g.plat)) return;
    const int forwarding = s.all.forwarding.value_or(0);
    if (forwarding == 1) {
        out.push_back(ok("router_forwarding", "net.ipv6.conf.all.forwarding=1: this sixgate server forwards IPv6"));
        return;
    }
    Finding f{"router_forwarding", false, "net.ipv6.conf.all.forwarding=0 while sixgate routes here",
              "the router, ISATAP router and PLAT hand packets to the kernel to forward between the "
              "manage-out LAN, the tunnels and the clients; with forwarding off the kernel drops them",
              {}, {}, {}};
    fix.forwarding(f, g.router_interfaces.empty() ? std::string() : g.router_interfaces.front());
    out.push_back(std::move(f));
}

void check_isatap_host(const HostSnapshot& s, const Fixer& fix, std::vector<Finding>& out) {
    if (!s.sixgate.isatap_host) return;
    const IsatapHostState& host = *s.sixgate.isatap_host;
    for (const PrlEntry& entry : host.prl) {
        std::string first_label = entry.entry.substr(0, entry.entry.find('.'));
        std::transform(first_label.begin(), first_label.end(), first_label.begin(), ::tolower);
        if (first_label != "isatap" || net::Ipv4Address::parse(entry.entry)) continue;
        Finding f{"isatap_router_name", false, "ISATAP router named '" + entry.entry + "' in the potential router list",
                  "'isatap' is the well-known name (RFC 5214 8.3.2) that switches ISATAP on for every host of the "
                  "network; limited-scope ISATAP names the sixgate server by its own name or address, and Windows "
                  "DNS servers block 'isatap' by default (global query block list), so the name may never resolve",
                  {}, {}, {}};
        fix.isatap_router(f, s, entry);
        out.push_back(std::move(f));
    }
    if (!host.router.empty()) {
        out.push_back(ok("isatap_router", "ISATAP router " + host.router + " answers on " + host.tun));
        return;
    }
    Finding f{"isatap_router", false, "no ISATAP router has answered this host",
              "limited-scope ISATAP answers only the IPv4 hosts on the router's isatap.allow list; until one "
              "answers this host has no ISATAP address and no routes",
              {}, {}, {}};
    fix.isatap_allow(f, s);
    out.push_back(std::move(f));
}

void check_clat(const HostSnapshot& s, const Fixer& fix, std::vector<Finding>& out) {
    if (!s.sixgate.clat) return;
    const ClatState& clat = *s.sixgate.clat;
    if (!clat.plat_prefix) {
        Finding f{"plat_prefix", false,
                  "the CLAT knows no PLAT prefix (plat_prefix: " + clat.plat_prefix_setting + ", state " + clat.state + ")",
                  "a CLAT translates IPv4 into the PLAT's NAT64 prefix (RFC 6877 6.3, RFC 6052); no PREF64 option "
                  "(RFC 8781) came in the RAs on " + clat.uplink +
                      (s.dns64_prefix ? "" : " and no DNS64 answered for ipv4only.arpa (RFC 7050)") +
                      "; on the router side advertise PREF64 for the PLAT's /96 (sixgate's router does so "
                      "for the plan's nat64 prefix)",
                  {}, {}, {}};
        fix.plat_prefix(f, s);
        out.push_back(std::move(f));
    } else if (clat.state != "running") {
        Finding f{"clat", false, "the CLAT is " + clat.state + (clat.error.empty() ? "" : ": " + clat.error),
                  "the host's IPv4 applications reach nothing until the CLAT runs (RFC 6877)", {}, {}, {}};
        fix.clat_restart(f, s);
        out.push_back(std::move(f));
    } else {
        out.push_back(ok("plat_prefix", "CLAT " + clat.tun + " running with PLAT prefix " + clat.plat_prefix->to_string()));
    }
}

std::string route_text(const nl::Route& route) { return nl::describe(route); }

void check_target(const HostSnapshot& s, const nl::AnyIpAddress& target, const std::vector<const HostInterface*>& ra,
                  const Fixer& fix, std::vector<Finding>& out) {
    const std::string name = nl::to_string(target);
    const nl::Route* route = lookup_route(s, target);
    const bool usable = route && (route->type == nl::RouteType::kUnicast || route->type == nl::RouteType::kLocal);
    const bool answered = s.probe && s.probe->answered;
    if (!usable) {
        Finding f{"target_route", false,
                  "no route to " + name + (route ? " (" + route_text(*route) + ")" : "") + (answered ? "" : ", no answer to ping"),
                  "the kernel refuses to send to " + name + " (Network is unreachable)", {}, {}, {}};
        if (std::holds_alternative<net::Ipv6Address>(target)) {
            const auto nat64 = nat64_prefix_of(s, target);
            const net::Ipv6Prefix destination =
                nat64 ? *nat64 : net::Ipv6Prefix(std::get<net::Ipv6Address>(target), 64);
            f.why += nat64 ? "; it is in the NAT64 prefix " + nat64->to_string()
                           : "; its /64 is a client prefix the router should announce (RFC 4191)";
            const HostInterface* via = nullptr;
            for (const HostInterface* i : ra)
                if (!i->routers.empty() && (!via || (!first_global(*via) && first_global(*i)))) via = i;
            fix.route(f, destination, via, ra);
        } else {
            fix.ipv4_route(f, s, std::get<net::Ipv4Address>(target));
        }
        out.push_back(std::move(f));
        return;
    }
    out.push_back(ok("target_route", "route to " + name + ": " + route_text(*route)));
    if (!s.probe) return;
    if (answered) {
        char rtt[32];
        std::snprintf(rtt, sizeof(rtt), "%.1f", s.probe->rtt_ms);
        out.push_back(ok("target_reply", name + " answers ping in " + rtt + " ms"));
        return;
    }
    std::string hop = route->gateway ? nl::to_string(*route->gateway) + " on " + route->device : route->device;
    Finding f{"target_reply", false, name + " does not answer ping (sent via " + hop + ")" +
                                         (s.probe->error.empty() ? "" : ": " + s.probe->error),
              "the route exists, so the next hop " + hop +
                  " or a router beyond it drops the packets, or lacks the route back to this host",
              {}, {}, {}};
    fix.path(f, *route, name);
    out.push_back(std::move(f));
}

const nl::Route* lookup_route_in(const HostSnapshot& s, const nl::AnyIpAddress& target, std::uint32_t table) {
    const nl::Route* best = nullptr;
    int best_length = -1;
    for (const nl::Route& route : s.routes) {
        if (route.table != table) continue;
        int length = -1;
        if (const auto* v6 = std::get_if<net::Ipv6Address>(&target)) {
            const auto* prefix = std::get_if<net::Ipv6Prefix>(&route.destination);
            if (prefix && prefix->contains(*v6)) length = prefix->length();
        } else if (const auto* prefix = std::get_if<net::Ipv4Prefix>(&route.destination)) {
            if (prefix->contains(std::get<net::Ipv4Address>(target))) length = prefix->length();
        }
        if (length < 0) continue;
        if (length > best_length || (length == best_length && nl::effective_metric(route) < nl::effective_metric(*best))) {
            best = &route;
            best_length = length;
        }
    }
    return best;
}

}  // namespace

std::vector<const HostInterface*> ra_interfaces(const HostSnapshot& s) {
    std::vector<const HostInterface*> result;
    for (const HostInterface& i : s.interfaces) {
        if (!i.up || i.loopback || i.conf.disable_ipv6.value_or(0) == 1 || i.ipv6.empty()) continue;
        const auto& g = s.sixgate;
        const bool own_tun = (g.isatap_host && g.isatap_host->tun == i.name) || (g.clat && g.clat->tun == i.name);
        const bool advertising = std::find(g.router_interfaces.begin(), g.router_interfaces.end(), i.name) !=
                                 g.router_interfaces.end();
        if (!own_tun && !advertising) result.push_back(&i);
    }
    return result;
}

const nl::Route* lookup_route(const HostSnapshot& s, const nl::AnyIpAddress& target) {
    for (std::uint32_t table : {nl::kLocalRouteTable, nl::kMainRouteTable})
        if (const nl::Route* route = lookup_route_in(s, target, table)) return route;
    return nullptr;
}

std::vector<Finding> diagnose(const HostSnapshot& s, const DiagnoseOptions& options) {
    std::vector<Finding> out;
    const Fixer fix(options.interface_alias);
    const auto ra = ra_interfaces(s);
    bool any_global = false;
    for (const HostInterface& i : s.interfaces)
        any_global = any_global || (!i.loopback && first_global(i));
    // RFC 4191 routes: /64 client prefixes; /96 when the target is in the NAT64 prefix.
    const int needed = options.target && nat64_prefix_of(s, *options.target) ? 96 : 64;
    for (const HostInterface* i : ra) {
        // Only links where a router was heard matter (or any link, while the host has no address).
        if (i->routers.empty() && any_global) continue;
        check_ra_acceptance(*i, fix, out);
        if (hears_router_advertisements(s, *i)) check_route_information(*i, needed, fix, out);
    }
    const bool ipv4_target = options.target && std::holds_alternative<net::Ipv4Address>(*options.target);
    if (!ipv4_target || s.sixgate.clat) check_global_address(s, ra, fix, out);
    check_sixgate_forwarding(s, fix, out);
    check_isatap_host(s, fix, out);
    check_clat(s, fix, out);
    if (options.target) check_target(s, *options.target, ra, fix, out);
    return out;
}

}  // namespace sixgate::app::doctor
