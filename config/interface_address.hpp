#pragma once
// The IPv4 address of a local interface (getifaddrs), for public_ipv4: {from_interface: NAME}.

#include <string>

#include "net/ip_address.hpp"
#include "net/result.hpp"

namespace sixgate::config {

// The interface's first IPv4 address; an error when there is no such interface or it has none.
Result<net::Ipv4Address> interface_ipv4_address(const std::string& ifname);

}  // namespace sixgate::config
