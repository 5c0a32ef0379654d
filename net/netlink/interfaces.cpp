#include "net/netlink/interfaces.hpp"

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <optional>

#include "net/netlink/kernel_addresses.hpp"

namespace sixgate::net::netlink {
namespace {

InterfaceInfo parse_link(nlmsghdr& reply) {
    InterfaceInfo info;
    const auto* header = static_cast<const ifinfomsg*>(nlmsg_data(&reply));
    info.index = header->ifi_index;
    info.flags = header->ifi_flags;
    nlattr* attributes[IFLA_MAX + 1] = {};
    if (nlmsg_parse(&reply, sizeof(ifinfomsg), attributes, IFLA_MAX, nullptr) < 0) return info;
    if (attributes[IFLA_IFNAME]) {
        char name[IFNAMSIZ] = {};
        nla_strlcpy(name, attributes[IFLA_IFNAME], sizeof(name));
        info.name = name;
    }
    if (attributes[IFLA_MTU] && nla_len(attributes[IFLA_MTU]) >= 4)
        info.mtu = nla_get_u32(attributes[IFLA_MTU]);
    if (nlattr* address = attributes[IFLA_ADDRESS]) {
        const auto* bytes = static_cast<const std::uint8_t*>(nla_data(address));
        info.link_layer_address.assign(bytes, bytes + nla_len(address));
    }
    return info;
}

}  // namespace

bool InterfaceInfo::is_up() const noexcept {
    return (flags & IFF_UP) != 0;
}

Result<InterfaceInfo> interface_info(RouteSocket& socket, std::string_view name) {
    const std::string context = "interface " + std::string(name);
    if (name.empty() || name.size() >= IFNAMSIZ)
        return make_error(
            std::errc::invalid_argument,
            context + ": an interface name has 1.." + std::to_string(IFNAMSIZ - 1) + " characters");
    ifinfomsg header{};
    header.ifi_family = AF_UNSPEC;
    auto message = make_message(RTM_GETLINK, 0, &header, sizeof(header));
    if (!message) return message.error();
    const std::string name_text(name);
    if (const int err = nla_put_string(message->get(), IFLA_IFNAME, name_text.c_str()); err < 0)
        return libnl_error(err, context);
    std::optional<InterfaceInfo> found;
    auto done = socket.request(std::move(*message), context, [&](nlmsghdr& reply) {
        if (reply.nlmsg_type == RTM_NEWLINK) found = parse_link(reply);
    });
    if (!done) return done.error();
    if (!found) return make_error(std::errc::no_such_device, context + ": the kernel sent no link");
    return *found;
}

Result<int> interface_index(RouteSocket& socket, std::string_view name) {
    auto info = interface_info(socket, name);
    if (!info) return info.error();
    return info->index;
}

Result<std::uint32_t> interface_mtu(RouteSocket& socket, std::string_view name) {
    auto info = interface_info(socket, name);
    if (!info) return info.error();
    return info->mtu;
}

Result<std::vector<std::uint8_t>> interface_link_layer_address(RouteSocket& socket,
                                                               std::string_view name) {
    auto info = interface_info(socket, name);
    if (!info) return info.error();
    return std::move(info->link_layer_address);
}

Result<std::vector<Ipv4InterfaceAddress>> interface_ipv4_addresses(RouteSocket& socket,
                                                                   std::string_view name) {
    if (auto info = interface_info(socket, name); !info)
        return info.error();  // ENODEV, not an empty list
    AddressQuery query;
    query.device = std::string(name);
    query.family = IpFamily::kIpv4;
    auto addresses = list_addresses(socket, query);
    if (!addresses) return addresses.error();
    std::vector<Ipv4InterfaceAddress> result;
    for (const auto& address : *addresses)
        result.push_back({std::get<Ipv4Address>(address.address), address.prefix_length});
    return result;
}

Result<std::map<int, InterfaceInfo>> list_interfaces(RouteSocket& socket) {
    std::map<int, InterfaceInfo> interfaces;
    ifinfomsg header{};
    header.ifi_family = AF_UNSPEC;
    auto done = socket.dump(
        RTM_GETLINK, &header, sizeof(header),
        [&](nlmsghdr& reply) {
            if (reply.nlmsg_type != RTM_NEWLINK) return;
            InterfaceInfo info = parse_link(reply);
            interfaces[info.index] = std::move(info);
        },
        [&] { interfaces.clear(); }, "list interfaces");
    if (!done) return done.error();
    return interfaces;
}

}  // namespace sixgate::net::netlink
