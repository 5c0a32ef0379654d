#include "clat/clat_kernel_plan.hpp"

#include <algorithm>

#include "net/netlink/sysctl.hpp"

namespace sixgate::clat {

namespace netlink = net::netlink;

std::string_view to_string(ForwardingMethod method) noexcept {
    switch (method) {
        case ForwardingMethod::force_forwarding:
            return "force_forwarding";
        case ForwardingMethod::accept_ra_2:
            return "accept_ra=2";
    }
    return "unknown";
}

ClatMtus plan_clat_mtus(std::uint32_t uplink_mtu,
                        std::optional<std::uint32_t> configured_mtu) noexcept {
    ClatMtus mtus;
    mtus.uplink = uplink_mtu;
    mtus.configured = configured_mtu.has_value();
    mtus.ipv4_route = configured_mtu.value_or(
        uplink_mtu > kFragmentTranslationGrowth ? uplink_mtu - kFragmentTranslationGrowth : 0);
    // Both are 16-bit quantities on the IPv4 side (and TUN refuses more than 65535).
    mtus.ipv4_route = std::min<std::uint32_t>(mtus.ipv4_route, 65535);
    mtus.tun = std::min<std::uint32_t>(std::max(uplink_mtu, mtus.ipv4_route), 65535);
    return mtus;
}

ClatKernelPlan plan_clat_kernel_state(const ClatKernelInputs& inputs) {
    ClatKernelPlan plan;

    // The host's IPv4 address (RFC 7335), a /32: the host's only IPv4 address, so the kernel picks
    // it as the source of everything routed into the TUN.
    netlink::InterfaceAddress ipv4;
    ipv4.device = inputs.tun;
    ipv4.address = inputs.host_ipv4;
    ipv4.prefix_length = 32;
    plan.addresses.push_back(ipv4);

    // RFC 6877 6.1 (a host without native IPv4): all IPv4 goes into the CLAT, sized to fit.
    netlink::Route ipv4_default;
    ipv4_default.destination = net::Ipv4Prefix(net::Ipv4Address(), 0);
    ipv4_default.device = inputs.tun;
    ipv4_default.mtu = inputs.mtus.ipv4_route;
    plan.routes.push_back(ipv4_default);

    if (!inputs.clat_ipv6) return plan;

    // Replies to the CLAT address arrive on the uplink; this sends them on into the TUN (more
    // specific than the uplink's /64).
    netlink::Route ipv6_in;
    ipv6_in.destination = net::Ipv6Prefix(*inputs.clat_ipv6, 128);
    ipv6_in.device = inputs.tun;
    plan.routes.push_back(ipv6_in);

    switch (inputs.forwarding) {
        case ForwardingMethod::force_forwarding:
            plan.sysctls.push_back({netlink::ipv6_conf_path(inputs.tun, "force_forwarding"), "1"});
            plan.sysctls.push_back(
                {netlink::ipv6_conf_path(inputs.uplink, "force_forwarding"), "1"});
            break;
        case ForwardingMethod::accept_ra_2:
            // accept_ra first: with forwarding on and accept_ra=1 the uplink would ignore RAs.
            plan.sysctls.push_back({netlink::ipv6_conf_path(inputs.uplink, "accept_ra"), "2"});
            plan.sysctls.push_back({netlink::ipv6_conf_path("all", "forwarding"), "1"});
            break;
    }
    return plan;
}

}  // namespace sixgate::clat
