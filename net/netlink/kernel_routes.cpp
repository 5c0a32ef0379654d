#include "net/netlink/kernel_routes.hpp"

#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/msg.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "net/netlink/interfaces.hpp"
#include "net/netlink/netlink_attributes.hpp"

namespace sixgate::net::netlink {
namespace {

static_assert(kMainRouteTable == RT_TABLE_MAIN && kLocalRouteTable == RT_TABLE_LOCAL);
static_assert(std::uint8_t(RouteType::kUnicast) == RTN_UNICAST &&
              std::uint8_t(RouteType::kBlackhole) == RTN_BLACKHOLE &&
              std::uint8_t(RouteType::kUnreachable) == RTN_UNREACHABLE &&
              std::uint8_t(RouteType::kThrow) == RTN_THROW);

const char* type_name(RouteType type) {
    switch (type) {
        case RouteType::kUnicast:
            return "unicast";
        case RouteType::kLocal:
            return "local";
        case RouteType::kBroadcast:
            return "broadcast";
        case RouteType::kAnycast:
            return "anycast";
        case RouteType::kMulticast:
            return "multicast";
        case RouteType::kBlackhole:
            return "blackhole";
        case RouteType::kUnreachable:
            return "unreachable";
        case RouteType::kProhibit:
            return "prohibit";
        case RouteType::kThrow:
            return "throw";
    }
    return "type-other";
}

AnyIpPrefix make_prefix(const AnyIpAddress& address, int length) {
    if (const auto* v6 = std::get_if<Ipv6Address>(&address))
        return Ipv6Prefix(*v6, std::min(length, 128));
    return Ipv4Prefix(std::get<Ipv4Address>(address), std::min(length, 32));
}

// The request common to add and delete; the device is resolved to its index here.
Result<NetlinkMessage> build_route_message(RouteSocket& socket, int type, int flags,
                                           const Route& route, const std::string& context) {
    const IpFamily family = family_of(route.destination);
    if (route.gateway && family_of(*route.gateway) != family)
        return make_error(std::errc::invalid_argument,
                          context + ": gateway and destination differ in family");
    rtmsg header{};
    header.rtm_family = std::uint8_t(address_family(family));
    header.rtm_dst_len =
        std::uint8_t(std::visit([](const auto& p) { return p.length(); }, route.destination));
    header.rtm_table = std::uint8_t(route.table < 256 ? route.table : RT_TABLE_UNSPEC);
    header.rtm_protocol = route.protocol;
    header.rtm_type = std::uint8_t(route.type);
    if (type == RTM_DELROUTE) {
        header.rtm_scope = RT_SCOPE_NOWHERE;  // any scope
    } else if (family == IpFamily::kIpv4 && route.type == RouteType::kUnicast && !route.gateway) {
        header.rtm_scope = RT_SCOPE_LINK;  // as iproute2 does for "dev X" without "via"
    } else {
        header.rtm_scope = RT_SCOPE_UNIVERSE;
    }
    auto message = make_message(type, flags, &header, sizeof(header));
    if (!message) return message.error();
    nl_msg* m = message->get();

    int err = 0;
    if (header.rtm_dst_len > 0) {
        const AnyIpAddress destination = std::visit(
            [](const auto& p) -> AnyIpAddress { return p.address(); }, route.destination);
        err = put_address_attribute(m, RTA_DST, destination);
    }
    if (err == 0 && route.gateway) err = put_address_attribute(m, RTA_GATEWAY, *route.gateway);
    if (err == 0 && !route.device.empty()) {
        auto index = interface_index(socket, route.device);
        if (!index) {
            if (index.error().code == std::errc::no_such_device)
                return kernel_error(ENODEV, context);
            return Error{index.error().code, context + ": " + index.error().message};
        }
        err = nla_put_u32(m, RTA_OIF, std::uint32_t(*index));
    }
    if (err == 0 && route.metric != 0) err = nla_put_u32(m, RTA_PRIORITY, route.metric);
    if (err == 0 && route.mtu && type == RTM_NEWROUTE) {
        // RTA_METRICS is a nest of RTAX_* values; only the MTU is set (iproute2's "mtu N").
        nlattr* metrics = nla_nest_start(m, RTA_METRICS);
        if (!metrics) {
            err = -NLE_NOMEM;
        } else {
            err = nla_put_u32(m, RTAX_MTU, *route.mtu);
            if (err == 0) err = nla_nest_end(m, metrics);
        }
    }
    if (err == 0) err = nla_put_u32(m, RTA_TABLE, route.table);
    if (err < 0) return libnl_error(err, context);
    return message;
}

struct RawRoute {
    Route route;
    int ifindex = 0;
};

std::optional<RawRoute> parse_route(nlmsghdr& reply) {
    if (reply.nlmsg_type != RTM_NEWROUTE) return std::nullopt;
    const auto* header = static_cast<const rtmsg*>(nlmsg_data(&reply));
    if (header->rtm_family != AF_INET && header->rtm_family != AF_INET6) return std::nullopt;
    if (header->rtm_flags & RTM_F_CLONED) return std::nullopt;
    nlattr* attributes[RTA_MAX + 1] = {};
    if (nlmsg_parse(&reply, sizeof(rtmsg), attributes, RTA_MAX, nullptr) < 0) return std::nullopt;

    const int family = header->rtm_family;
    std::optional<AnyIpAddress> destination = read_address_attribute(family, attributes[RTA_DST]);
    if (!destination) {
        if (attributes[RTA_DST]) return std::nullopt;  // malformed
        destination =
            family == AF_INET6 ? AnyIpAddress(Ipv6Address()) : AnyIpAddress(Ipv4Address());
    }
    RawRoute raw;
    Route& route = raw.route;
    route.destination = make_prefix(*destination, header->rtm_dst_len);
    route.gateway = read_address_attribute(family, attributes[RTA_GATEWAY]);
    route.table = header->rtm_table;
    if (attributes[RTA_TABLE] && nla_len(attributes[RTA_TABLE]) >= 4)
        route.table = nla_get_u32(attributes[RTA_TABLE]);
    if (attributes[RTA_PRIORITY] && nla_len(attributes[RTA_PRIORITY]) >= 4)
        route.metric = nla_get_u32(attributes[RTA_PRIORITY]);
    if (attributes[RTA_OIF] && nla_len(attributes[RTA_OIF]) >= 4)
        raw.ifindex = int(nla_get_u32(attributes[RTA_OIF]));
    if (attributes[RTA_METRICS]) {
        nlattr* metrics[RTAX_MAX + 1] = {};
        if (nla_parse_nested(metrics, RTAX_MAX, attributes[RTA_METRICS], nullptr) == 0 &&
            metrics[RTAX_MTU] && nla_len(metrics[RTAX_MTU]) >= 4)
            route.mtu = nla_get_u32(metrics[RTAX_MTU]);
    }
    route.protocol = header->rtm_protocol;
    route.type = RouteType(header->rtm_type);
    return raw;
}

Result<void> dump_family(RouteSocket& socket, int family, std::vector<RawRoute>& out) {
    const std::size_t start = out.size();
    rtmsg header{};
    header.rtm_family = std::uint8_t(family);
    return socket.dump(
        RTM_GETROUTE, &header, sizeof(header),
        [&](nlmsghdr& reply) {
            if (auto raw = parse_route(reply)) out.push_back(std::move(*raw));
        },
        [&] { out.resize(start); }, family == AF_INET6 ? "list ipv6 routes" : "list ipv4 routes");
}

bool matches(const Route& route, const RouteQuery& query) {
    if (query.family && family_of(route.destination) != *query.family) return false;
    if (query.table && route.table != *query.table) return false;
    if (query.protocol && route.protocol != *query.protocol) return false;
    if (query.destination && route.destination != *query.destination) return false;
    return true;
}

}  // namespace

std::uint32_t effective_metric(const Route& route) noexcept {
    if (route.metric == 0 && family_of(route.destination) == IpFamily::kIpv6)
        return kDefaultIpv6Metric;
    return route.metric;
}

bool Route::same_route_as(const Route& other) const {
    return destination == other.destination && gateway == other.gateway && device == other.device &&
           effective_metric(*this) == effective_metric(other) && table == other.table &&
           type == other.type;
}

std::string describe(const Route& route) {
    std::string text;
    if (route.type != RouteType::kUnicast) text += std::string(type_name(route.type)) + " ";
    text += to_string(route.destination);
    if (route.gateway) text += " via " + to_string(*route.gateway);
    if (!route.device.empty()) text += " dev " + route.device;
    if (route.metric != 0) text += " metric " + std::to_string(route.metric);
    if (route.mtu) text += " mtu " + std::to_string(*route.mtu);
    if (route.table != kMainRouteTable) text += " table " + std::to_string(route.table);
    return text;
}

Result<void> add_route(RouteSocket& socket, const Route& route) {
    const std::string context = "add route " + describe(route);
    auto message =
        build_route_message(socket, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, route, context);
    if (!message) return message.error();
    return socket.request(std::move(*message), context);
}

Result<void> delete_route(RouteSocket& socket, const Route& route) {
    const std::string context = "delete route " + describe(route);
    auto message = build_route_message(socket, RTM_DELROUTE, 0, route, context);
    if (!message) return message.error();
    return socket.request(std::move(*message), context);
}

Result<std::vector<Route>> list_routes(RouteSocket& socket, const RouteQuery& query) {
    std::vector<RawRoute> raw;
    if (!query.family || *query.family == IpFamily::kIpv6)
        if (auto done = dump_family(socket, AF_INET6, raw); !done) return done.error();
    if (!query.family || *query.family == IpFamily::kIpv4)
        if (auto done = dump_family(socket, AF_INET, raw); !done) return done.error();

    std::map<int, InterfaceInfo> interfaces;
    for (const auto& r : raw) {
        if (r.ifindex != 0 && interfaces.empty()) {
            auto listed = list_interfaces(socket);
            if (!listed) return listed.error();
            interfaces = std::move(*listed);
            break;
        }
    }
    std::vector<Route> routes;
    for (auto& r : raw) {
        if (!matches(r.route, query)) continue;
        if (r.ifindex != 0) {
            auto it = interfaces.find(r.ifindex);
            r.route.device =
                it != interfaces.end() ? it->second.name : "if" + std::to_string(r.ifindex);
        }
        routes.push_back(std::move(r.route));
    }
    return routes;
}

Result<std::vector<Route>> list_routes_with_protocol(RouteSocket& socket, std::uint8_t protocol) {
    RouteQuery query;
    query.protocol = protocol;
    return list_routes(socket, query);
}

Result<std::vector<Route>> list_routes_to(RouteSocket& socket, const AnyIpPrefix& destination,
                                          std::uint32_t table) {
    RouteQuery query;
    query.family = family_of(destination);
    query.table = table;
    query.destination = destination;
    return list_routes(socket, query);
}

}  // namespace sixgate::net::netlink
