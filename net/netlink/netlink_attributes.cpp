#include "net/netlink/netlink_attributes.hpp"

#include <netlink/attr.h>
#include <sys/socket.h>

#include <cstring>

namespace sixgate::net::netlink {

int put_address_attribute(nl_msg* message, int attribute, const AnyIpAddress& address) {
    if (const auto* v6 = std::get_if<Ipv6Address>(&address))
        return nla_put(message, attribute, 16, v6->bytes().data());
    const auto bytes = std::get<Ipv4Address>(address).bytes();
    return nla_put(message, attribute, 4, bytes.data());
}

std::optional<AnyIpAddress> read_address_attribute(int family, const nlattr* attribute) {
    if (!attribute) return std::nullopt;
    const auto* data = static_cast<const std::uint8_t*>(nla_data(attribute));
    if (family == AF_INET6 && nla_len(attribute) == 16) {
        Ipv6Address::Bytes bytes;
        std::memcpy(bytes.data(), data, 16);
        return Ipv6Address(bytes);
    }
    if (family == AF_INET && nla_len(attribute) == 4)
        return Ipv4Address(data[0], data[1], data[2], data[3]);
    return std::nullopt;
}

}  // namespace sixgate::net::netlink
