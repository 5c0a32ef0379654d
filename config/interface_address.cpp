#include "config/interface_address.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <ifaddrs.h>
#include <memory>
#include <net/if.h>
#include <netinet/in.h>

namespace sixgate::config {

Result<net::Ipv4Address> interface_ipv4_address(const std::string& ifname) {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0)
        return make_error(std::errc(errno), std::string("getifaddrs failed: ") + std::strerror(errno));
    const std::unique_ptr<ifaddrs, decltype(&freeifaddrs)> owner(list, &freeifaddrs);
    bool exists = false;
    for (const ifaddrs* entry = list; entry; entry = entry->ifa_next) {
        if (!entry->ifa_name || ifname != entry->ifa_name) continue;
        exists = true;
        if (!entry->ifa_addr || entry->ifa_addr->sa_family != AF_INET) continue;
        sockaddr_in address;
        std::memcpy(&address, entry->ifa_addr, sizeof address);
        return net::Ipv4Address(ntohl(address.sin_addr.s_addr));
    }
    if (!exists && if_nametoindex(ifname.c_str()) == 0)
        return make_error(std::errc::no_such_device, "no interface named '" + ifname + "'");
    return make_error(std::errc::address_not_available, "interface '" + ifname + "' has no IPv4 address");
}

}  // namespace sixgate::config
