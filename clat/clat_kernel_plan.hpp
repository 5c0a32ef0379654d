#pragma once
// What the CLAT puts in the kernel, as a pure function of the config and what it found (tested
// without a kernel): the host's IPv4 address on the TUN, the IPv4 default route into it with an
// MTU that leaves room for translation, the route that brings the CLAT address's packets into the
// TUN, and the sysctls that let the kernel forward the translated packets without the host losing
// its Router Advertisement configuration. Entry points: plan_clat_mtus, plan_clat_kernel_state.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/ip_address.hpp"
#include "net/netlink/kernel_addresses.hpp"
#include "net/netlink/kernel_routes.hpp"

namespace sixgate::clat {

// How the kernel is made to forward the translated IPv6 packets (TUN -> uplink) and the replies
// (uplink -> TUN). Linux checks forwarding on the interface a packet arrives on.
enum class ForwardingMethod : std::uint8_t {
    // net.ipv6.conf.{tun,uplink}.force_forwarding=1 (Linux 6.17): those two interfaces forward,
    // the uplink stays a host (keeps accepting RAs, sends no router NAs), nothing else changes.
    force_forwarding,
    // Older kernels: net.ipv6.conf.uplink.accept_ra=2 first (keep accepting RAs while forwarding),
    // then net.ipv6.conf.all.forwarding=1 (every interface forwards).
    accept_ra_2,
};
// "force_forwarding" or "accept_ra=2".
std::string_view to_string(ForwardingMethod method) noexcept;

// IPv4 packets grow by 20 bytes (the IPv6 header is 40, the IPv4 one 20), and by 28 when the
// translator must add a Fragment header (RFC 7915 4.1: for a packet that was already an IPv4
// fragment, e.g. one the host fragmented itself).
inline constexpr std::uint32_t kTranslationGrowth = 20;
inline constexpr std::uint32_t kFragmentTranslationGrowth = 28;

struct ClatMtus {
    std::uint32_t uplink = 0;      // the IPv6 link MTU: the translator's IPv6 next-hop MTU
    std::uint32_t ipv4_route = 0;  // the MTU of the IPv4 default route into the TUN
    std::uint32_t tun = 0;         // the TUN device's MTU
    bool configured = false;       // ipv4_route came from clat.mtu
};

// ipv4_route: clat.mtu when set, else uplink - 28, so that every IPv4 packet the host sends fits
// the uplink once translated, including fragments the host made itself (they gain a Fragment
// header); unfragmented packets then leave 8 bytes unused. Android's clatd does the same.
// tun: at least the uplink MTU, since IPv6 packets the kernel forwards from the uplink into the
// TUN must fit it (or the kernel would answer Packet Too Big), and at least ipv4_route; both at
// most 65535 (a loopback uplink has 65536).
ClatMtus plan_clat_mtus(std::uint32_t uplink_mtu,
                        std::optional<std::uint32_t> configured_mtu) noexcept;

struct SysctlSetting {
    std::string path;
    std::string value;
    bool operator==(const SysctlSetting&) const = default;
};

struct ClatKernelInputs {
    std::string tun;
    std::string uplink;
    net::Ipv4Address host_ipv4{192, 0, 0, 1};
    std::optional<net::Ipv6Address> clat_ipv6;  // empty while it is not known yet
    ClatMtus mtus;
    ForwardingMethod forwarding = ForwardingMethod::force_forwarding;
};

struct ClatKernelPlan {
    std::vector<net::netlink::InterfaceAddress> addresses;
    std::vector<net::netlink::Route> routes;
    std::vector<SysctlSetting> sysctls;  // in the order they must be written
};

// Without clat_ipv6: only the IPv4 side (address and default route), which can be in place while
// the CLAT waits for its IPv6 address. With it: also the /128 route into the TUN and the
// forwarding sysctls.
ClatKernelPlan plan_clat_kernel_state(const ClatKernelInputs& inputs);

}  // namespace sixgate::clat
