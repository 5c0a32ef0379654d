#pragma once
// Interface addresses over rtnetlink (RTM_NEWADDR/DELADDR/GETADDR), IPv6 and IPv4. sixgate's
// addresses carry IFA_PROTO (kernel >= 6.1) = kSixgateAddressProtocol, so a later run finds them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "net/netlink/ip_family.hpp"
#include "net/netlink/route_socket.hpp"
#include "net/result.hpp"

namespace sixgate::net::netlink {

// ifa_proto for sixgate's addresses: the same 115 as its routes. The kernel's own values are
// 0 (unspec), 1 (loopback), 2 (RA autoconfiguration) and 3 (link-local),
// include/uapi/linux/if_addr.h.
inline constexpr std::uint8_t kSixgateAddressProtocol = 115;

// IFA_F_* flags, include/uapi/linux/if_addr.h.
inline constexpr std::uint32_t kAddressFlagNoDad = 0x02;
inline constexpr std::uint32_t kAddressFlagOptimistic = 0x04;
inline constexpr std::uint32_t kAddressFlagDadFailed = 0x08;
inline constexpr std::uint32_t kAddressFlagDeprecated = 0x20;
inline constexpr std::uint32_t kAddressFlagTentative = 0x40;
inline constexpr std::uint32_t kAddressFlagPermanent = 0x80;
inline constexpr std::uint32_t kAddressFlagNoPrefixRoute = 0x200;

struct InterfaceAddress {
    std::string device;
    AnyIpAddress address;
    int prefix_length = 64;
    std::uint32_t flags = 0;  // kAddressFlag*; a dump reports the kernel's
    std::optional<std::uint32_t> preferred_lifetime_s;  // empty: forever
    std::optional<std::uint32_t> valid_lifetime_s;      // empty: forever
    std::uint8_t protocol = kSixgateAddressProtocol;

    // The same kernel address: device, address and prefix length.
    bool same_address_as(const InterfaceAddress& other) const;
};

// "2002:836b:2:1000::1/64 dev eth1".
std::string describe(const InterfaceAddress& address);

struct AddressQuery {
    std::optional<std::string> device;
    std::optional<IpFamily> family;
    std::optional<std::uint8_t> protocol;
};

// Adds the address with IFA_PROTO (NLM_F_CREATE|NLM_F_EXCL: an existing one is EEXIST).
Result<void> add_address(RouteSocket& socket, const InterfaceAddress& address);
Result<void> delete_address(RouteSocket& socket, const InterfaceAddress& address);
Result<std::vector<InterfaceAddress>> list_addresses(RouteSocket& socket,
                                                     const AddressQuery& query = {});
// Both families, every interface.
Result<std::vector<InterfaceAddress>> list_addresses_with_protocol(RouteSocket& socket,
                                                                   std::uint8_t protocol);

}  // namespace sixgate::net::netlink
