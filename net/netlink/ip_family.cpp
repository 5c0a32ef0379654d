#include "net/netlink/ip_family.hpp"

#include <sys/socket.h>

namespace sixgate::net::netlink {

IpFamily family_of(const AnyIpAddress& address) noexcept {
    return std::holds_alternative<Ipv6Address>(address) ? IpFamily::kIpv6 : IpFamily::kIpv4;
}

IpFamily family_of(const AnyIpPrefix& prefix) noexcept {
    return std::holds_alternative<Ipv6Prefix>(prefix) ? IpFamily::kIpv6 : IpFamily::kIpv4;
}

int address_family(IpFamily family) noexcept {
    return family == IpFamily::kIpv6 ? AF_INET6 : AF_INET;
}

std::string to_string(const AnyIpAddress& address) {
    return std::visit([](const auto& a) { return a.to_string(); }, address);
}

std::string to_string(const AnyIpPrefix& prefix) {
    return std::visit([](const auto& p) { return p.to_string(); }, prefix);
}

const char* to_string(IpFamily family) noexcept {
    return family == IpFamily::kIpv6 ? "ipv6" : "ipv4";
}

}  // namespace sixgate::net::netlink
