#include "net/prefix_plan.hpp"

#include "net/ula.hpp"

namespace sixgate::net {
namespace {

// The /48 6to4 prefix of an IPv4 address: 2002:WWXX:YYZZ::/48 (RFC 3056 2).
Ipv6Prefix sixtofour_site(Ipv4Address ipv4) {
    Ipv6Address address;
    address.set_group(0, 0x2002);
    address.set_u32(2, ipv4.to_uint());
    return Ipv6Prefix(address, 48);
}

// site:SUBNET::/length
Ipv6Prefix subnet(const Ipv6Prefix& site, std::uint16_t subnet_id, int length) {
    Ipv6Address address = site.address();
    address.set_group(3, subnet_id);
    return Ipv6Prefix(address, length);
}

}  // namespace

bool plan_needs_ula(Ipv4Address public_ipv4) noexcept {
    return classify_ipv4(public_ipv4).reach == Ipv4Reach::non_global;
}

Result<PrefixPlan> derive_prefix_plan(Ipv4Address public_ipv4, std::optional<Ipv6Prefix> ula) {
    PrefixPlan plan;
    plan.public_ipv4 = public_ipv4;
    plan.scope = classify_ipv4(public_ipv4);
    if (plan.scope.reach == Ipv4Reach::not_unicast)
        return make_error(std::errc::invalid_argument,
                          public_ipv4.to_string() + " cannot be a server's address: it is in " +
                              std::string(plan.scope.block) + " (" + std::string(plan.scope.name) +
                              ", " + std::string(plan.scope.rfc) + ")");
    plan.behind_nat = plan.scope.reach == Ipv4Reach::non_global;

    if (plan.behind_nat) {
        if (!ula)
            return make_error(std::errc::invalid_argument,
                              public_ipv4.to_string() + " is not globally reachable (" +
                                  std::string(plan.scope.name) + ", " + std::string(plan.scope.rfc) +
                                  "): the server is behind NAT and the plan needs a ULA /48");
        if (ula->length() != 48 || !is_local_ula(*ula))
            return make_error(std::errc::invalid_argument,
                              "ULA " + ula->to_string() +
                                  " must be a /48 in fd00::/8 (RFC 4193 3.1, L bit set)");
        plan.site = *ula;
        plan.teredo_unavailable = "behind NAT: Teredo needs two consecutive public IPv4 addresses";
    } else {
        plan.site = sixtofour_site(public_ipv4);
        // RFC 4380 / DirectAccess: a Teredo server needs two consecutive public IPv4 addresses.
        const Ipv4Address second(public_ipv4.to_uint() + 1);
        if (classify_ipv4(second).reach == Ipv4Reach::global) {
            Ipv6Address teredo;
            teredo.set_group(0, 0x2001);
            teredo.set_u32(4, public_ipv4.to_uint());
            plan.teredo = TeredoPlan{Ipv6Prefix(teredo, 64), second};
        } else {
            plan.teredo_unavailable = "the next address " + second.to_string() +
                                      " is not globally reachable, and Teredo needs two "
                                      "consecutive public IPv4 addresses";
        }
    }
    plan.organization = subnet(plan.site, 0x3333, 64);
    Ipv6Address one;
    one.set_group(7, 1);
    plan.server = plan.organization.with_host(one);
    plan.iphttps = subnet(plan.site, 0x1000, 64);
    plan.isatap = subnet(plan.site, 0x8000, 64);
    plan.nat64 = subnet(plan.site, 0x7777, 96);
    return plan;
}

Result<Ipv6Prefix> resolve_plan_name(const PrefixPlan& plan, std::string_view name) {
    if (name == "site") return plan.site;
    if (name == "org") return plan.organization;
    if (name == "iphttps") return plan.iphttps;
    if (name == "isatap") return plan.isatap;
    if (name == "nat64") return plan.nat64;
    if (name == "teredo") {
        if (plan.teredo) return plan.teredo->prefix;
        return make_error(std::errc::invalid_argument,
                          "'teredo' does not apply: " + plan.teredo_unavailable);
    }
    return make_error(std::errc::invalid_argument, "'" + std::string(name) +
                                                       "' is not a prefix plan name (site, org, "
                                                       "iphttps, teredo, isatap, nat64)");
}

Ipv6Address sixtofour_address(Ipv4Address client_ipv4) noexcept {
    Ipv6Address address = sixtofour_site(client_ipv4).address();
    address.set_u32(12, client_ipv4.to_uint());
    return address;
}

}  // namespace sixgate::net
