#pragma once
// Private to net/netlink: IP address attributes in and out of libnl messages.

#include <optional>

#include "net/netlink/ip_family.hpp"

struct nl_msg;
struct nlattr;

namespace sixgate::net::netlink {

// nla_put of 4 or 16 bytes; a libnl error code (< 0) on failure.
int put_address_attribute(nl_msg* message, int attribute, const AnyIpAddress& address);
// The address in an attribute of the given AF_* family; empty if absent or of the wrong size.
std::optional<AnyIpAddress> read_address_attribute(int family, const nlattr* attribute);

}  // namespace sixgate::net::netlink
