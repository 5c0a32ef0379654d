#include "clat/clat_address.hpp"

#include <algorithm>
#include <string_view>

#include "net/sha1.hpp"

namespace sixgate::clat {

namespace netlink = net::netlink;

namespace {

constexpr std::uint8_t kRaAddressProtocol = 2;  // IFA_PROTO_KERNEL_RA: learned by SLAAC

// Addresses whose scope is not global: link-local fe80::/10, multicast ff00::/8, loopback,
// unspecified, IPv4-mapped.
bool global_scope(const net::Ipv6Address& address) {
    const auto& b = address.bytes();
    if (b[0] == 0xff) return false;
    if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return false;
    if (net::Ipv6Prefix(address, 96) == net::Ipv6Prefix(net::Ipv6Address(), 96)) return false;
    if (net::Ipv6Prefix::parse("::ffff:0:0/96").value().contains(address)) return false;
    return true;
}

net::Ipv6Address with_identifier(const net::Ipv6Prefix& prefix, std::uint64_t id) {
    auto bytes = prefix.address().bytes();
    for (int i = 15; i >= 8; --i) {
        bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(id);
        id >>= 8;
    }
    return net::Ipv6Address(bytes);
}

}  // namespace

bool is_reserved_interface_identifier(std::uint64_t identifier) noexcept {
    if (identifier == 0) return true;  // RFC 4291 2.6.1
    if (identifier >= 0xfdffffffffffff80ULL)
        return identifier <= 0xfdffffffffffffffULL;                                     // RFC 2526
    return identifier >= 0x02005efffe000000ULL && identifier <= 0x02005efffeffffffULL;  // RFC 5453
}

std::optional<net::Ipv6Prefix> pick_uplink_prefix(
    std::span<const netlink::InterfaceAddress> uplink_addresses) {
    std::optional<net::Ipv6Prefix> best;
    bool best_from_ra = false;
    constexpr std::uint32_t kUnusable = netlink::kAddressFlagTentative |
                                        netlink::kAddressFlagDadFailed |
                                        netlink::kAddressFlagDeprecated;
    for (const auto& entry : uplink_addresses) {
        const auto* address = std::get_if<net::Ipv6Address>(&entry.address);
        if (!address || entry.prefix_length != 64 || !global_scope(*address)) continue;
        if (entry.flags & kUnusable) continue;
        const net::Ipv6Prefix prefix(*address, 64);
        const bool from_ra = entry.protocol == kRaAddressProtocol;
        if (!best || (from_ra && !best_from_ra) || (from_ra == best_from_ra && prefix < *best)) {
            best = prefix;
            best_from_ra = from_ra;
        }
    }
    return best;
}

net::Ipv6Address derive_clat_address(const net::Ipv6Prefix& prefix,
                                     std::span<const std::uint8_t> link_layer_address,
                                     std::span<const net::Ipv6Address> taken,
                                     std::uint8_t dad_counter) {
    constexpr std::string_view kNetworkId = "sixgate-clat";
    std::vector<std::uint8_t> input;
    input.reserve(8 + link_layer_address.size() + kNetworkId.size() + 1);
    // 256 counters always find one: at most a handful of identifiers can be reserved or taken.
    for (unsigned counter = dad_counter;; ++counter) {
        input.assign(prefix.address().bytes().begin(), prefix.address().bytes().begin() + 8);
        input.insert(input.end(), link_layer_address.begin(), link_layer_address.end());
        input.insert(input.end(), kNetworkId.begin(), kNetworkId.end());
        input.push_back(static_cast<std::uint8_t>(counter));
        const net::Sha1Digest digest = net::sha1(input);
        std::uint64_t id = 0;
        for (int i = 0; i < 8; ++i) id = id << 8 | digest[static_cast<std::size_t>(i)];
        const net::Ipv6Address candidate = with_identifier(prefix, id);
        const bool in_use = std::find(taken.begin(), taken.end(), candidate) != taken.end();
        if ((!is_reserved_interface_identifier(id) && !in_use) || counter >= dad_counter + 255u)
            return candidate;
    }
}

net::Ipv4Address clat_own_ipv4(net::Ipv4Address host_ipv4) noexcept {
    const net::Ipv4Address first(192, 0, 0, 1);
    const net::Ipv4Address second(192, 0, 0, 2);
    return host_ipv4 == first ? second : first;
}

bool is_on_link(const net::Ipv6Address& address,
                std::span<const netlink::InterfaceAddress> uplink_addresses,
                std::span<const net::Ipv6Prefix> uplink_connected_routes) {
    for (const auto& entry : uplink_addresses) {
        const auto* own = std::get_if<net::Ipv6Address>(&entry.address);
        if (!own || entry.prefix_length >= 128 || !global_scope(*own)) continue;
        if (net::Ipv6Prefix(*own, entry.prefix_length).contains(address)) return true;
    }
    return std::any_of(uplink_connected_routes.begin(), uplink_connected_routes.end(),
                       [&](const net::Ipv6Prefix& p) {
                           return p.length() > 0 && p.length() < 128 && p.contains(address);
                       });
}

}  // namespace sixgate::clat
