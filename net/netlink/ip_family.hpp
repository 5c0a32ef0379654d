#pragma once
// An address or prefix of either family, for kernel objects that come in both (routes, addresses).

#include <string>
#include <variant>

#include "net/ip_prefix.hpp"

namespace sixgate::net::netlink {

enum class IpFamily { kIpv4, kIpv6 };

using AnyIpAddress = std::variant<Ipv6Address, Ipv4Address>;
using AnyIpPrefix = std::variant<Ipv6Prefix, Ipv4Prefix>;

IpFamily family_of(const AnyIpAddress& address) noexcept;
IpFamily family_of(const AnyIpPrefix& prefix) noexcept;
// AF_INET or AF_INET6.
int address_family(IpFamily family) noexcept;
std::string to_string(const AnyIpAddress& address);
std::string to_string(const AnyIpPrefix& prefix);
const char* to_string(IpFamily family) noexcept;

}  // namespace sixgate::net::netlink
