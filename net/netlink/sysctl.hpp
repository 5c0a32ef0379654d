#pragma once
// Reading and writing /proc/sys (per network namespace for net/*): values without the newline.

#include <string>
#include <string_view>

#include "net/result.hpp"

namespace sixgate::net::netlink {

// "/proc/sys/net/ipv6/conf/INTERFACE/KEY", e.g. ("all", "forwarding").
std::string ipv6_conf_path(std::string_view interface, std::string_view key);

// Only paths under /proc/sys/ without ".." are accepted (EINVAL otherwise).
Result<std::string> read_sysctl(const std::string& path);
Result<void> write_sysctl(const std::string& path, const std::string& value);

}  // namespace sixgate::net::netlink
