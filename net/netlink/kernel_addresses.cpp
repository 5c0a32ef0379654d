#include "net/netlink/kernel_addresses.hpp"

#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <cstring>
#include <map>

#include "net/netlink/interfaces.hpp"
#include "net/netlink/netlink_attributes.hpp"

namespace sixgate::net::netlink {
namespace {

// IFA_PROTO (u8) is attribute 11 since Linux 6.1; named here so older headers build too.
constexpr int kIfaProto = 11;
constexpr int kIfaMaxKnown = kIfaProto;
constexpr std::uint32_t kInfiniteLifetime = 0xffffffffu;  // INFINITY_LIFE_TIME

static_assert(kAddressFlagNoDad == IFA_F_NODAD && kAddressFlagOptimistic == IFA_F_OPTIMISTIC &&
              kAddressFlagDadFailed == IFA_F_DADFAILED &&
              kAddressFlagDeprecated == IFA_F_DEPRECATED &&
              kAddressFlagTentative == IFA_F_TENTATIVE &&
              kAddressFlagPermanent == IFA_F_PERMANENT &&
              kAddressFlagNoPrefixRoute == IFA_F_NOPREFIXROUTE);

Result<NetlinkMessage> build_address_message(RouteSocket& socket, int type, int flags,
                                             const InterfaceAddress& address,
                                             const std::string& context) {
    const IpFamily family = family_of(address.address);
    const int max_length = family == IpFamily::kIpv6 ? 128 : 32;
    if (address.prefix_length < 0 || address.prefix_length > max_length)
        return make_error(std::errc::invalid_argument,
                          context + ": prefix length must be 0.." + std::to_string(max_length));
    auto index = interface_index(socket, address.device);
    if (!index) {
        if (index.error().code == std::errc::no_such_device) return kernel_error(ENODEV, context);
        return Error{index.error().code, context + ": " + index.error().message};
    }
    ifaddrmsg header{};
    header.ifa_family = std::uint8_t(address_family(family));
    header.ifa_prefixlen = std::uint8_t(address.prefix_length);
    header.ifa_flags = std::uint8_t(address.flags & 0xff);
    header.ifa_scope = RT_SCOPE_UNIVERSE;  // IPv6 derives the scope from the address itself
    header.ifa_index = std::uint32_t(*index);
    auto message = make_message(type, flags, &header, sizeof(header));
    if (!message) return message.error();
    nl_msg* m = message->get();

    int err = put_address_attribute(m, IFA_LOCAL, address.address);
    if (err == 0) err = put_address_attribute(m, IFA_ADDRESS, address.address);
    if (type == RTM_NEWADDR) {
        if (err == 0) err = nla_put_u32(m, IFA_FLAGS, address.flags);
        if (err == 0 && (address.preferred_lifetime_s || address.valid_lifetime_s)) {
            ifa_cacheinfo lifetimes{};
            lifetimes.ifa_valid = address.valid_lifetime_s.value_or(kInfiniteLifetime);
            lifetimes.ifa_prefered = address.preferred_lifetime_s.value_or(lifetimes.ifa_valid);
            if (lifetimes.ifa_prefered > lifetimes.ifa_valid)
                return make_error(std::errc::invalid_argument,
                                  context + ": preferred lifetime exceeds the valid lifetime");
            err = nla_put(m, IFA_CACHEINFO, sizeof(lifetimes), &lifetimes);
        }
        if (err == 0 && address.protocol != 0) err = nla_put_u8(m, kIfaProto, address.protocol);
    }
    if (err < 0) return libnl_error(err, context);
    return message;
}

struct RawAddress {
    InterfaceAddress address;
    int ifindex = 0;
};

std::optional<RawAddress> parse_address(nlmsghdr& reply) {
    if (reply.nlmsg_type != RTM_NEWADDR) return std::nullopt;
    const auto* header = static_cast<const ifaddrmsg*>(nlmsg_data(&reply));
    const int family = header->ifa_family;
    if (family != AF_INET && family != AF_INET6) return std::nullopt;
    nlattr* attributes[kIfaMaxKnown + 1] = {};
    if (nlmsg_parse(&reply, sizeof(ifaddrmsg), attributes, kIfaMaxKnown, nullptr) < 0)
        return std::nullopt;
    // IFA_LOCAL is the local address when present (IPv4; IPv6 with a peer), else IFA_ADDRESS.
    std::optional<AnyIpAddress> local = read_address_attribute(family, attributes[IFA_LOCAL]);
    if (!local) local = read_address_attribute(family, attributes[IFA_ADDRESS]);
    if (!local) return std::nullopt;
    RawAddress raw;
    raw.ifindex = int(header->ifa_index);
    InterfaceAddress& address = raw.address;
    address.address = *local;
    address.prefix_length = header->ifa_prefixlen;
    address.flags = header->ifa_flags;
    if (attributes[IFA_FLAGS] && nla_len(attributes[IFA_FLAGS]) >= 4)
        address.flags = nla_get_u32(attributes[IFA_FLAGS]);
    if (nlattr* cache = attributes[IFA_CACHEINFO];
        cache && nla_len(cache) >= int(sizeof(ifa_cacheinfo))) {
        ifa_cacheinfo lifetimes;
        std::memcpy(&lifetimes, nla_data(cache), sizeof(lifetimes));
        if (lifetimes.ifa_prefered != kInfiniteLifetime)
            address.preferred_lifetime_s = lifetimes.ifa_prefered;
        if (lifetimes.ifa_valid != kInfiniteLifetime)
            address.valid_lifetime_s = lifetimes.ifa_valid;
    }
    address.protocol = attributes[kIfaProto] && nla_len(attributes[kIfaProto]) >= 1
                           ? nla_get_u8(attributes[kIfaProto])
                           : 0;
    return raw;
}

Result<void> dump_family(RouteSocket& socket, int family, std::vector<RawAddress>& out) {
    const std::size_t start = out.size();
    ifaddrmsg header{};
    header.ifa_family = std::uint8_t(family);
    return socket.dump(
        RTM_GETADDR, &header, sizeof(header),
        [&](nlmsghdr& reply) {
            if (auto raw = parse_address(reply)) out.push_back(std::move(*raw));
        },
        [&] { out.resize(start); },
        family == AF_INET6 ? "list ipv6 addresses" : "list ipv4 addresses");
}

}  // namespace

bool InterfaceAddress::same_address_as(const InterfaceAddress& other) const {
    return device == other.device && address == other.address &&
           prefix_length == other.prefix_length;
}

std::string describe(const InterfaceAddress& address) {
    return to_string(address.address) + "/" + std::to_string(address.prefix_length) + " dev " +
           address.device;
}

Result<void> add_address(RouteSocket& socket, const InterfaceAddress& address) {
    const std::string context = "add address " + describe(address);
    auto message =
        build_address_message(socket, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, address, context);
    if (!message) return message.error();
    return socket.request(std::move(*message), context);
}

Result<void> delete_address(RouteSocket& socket, const InterfaceAddress& address) {
    const std::string context = "delete address " + describe(address);
    auto message = build_address_message(socket, RTM_DELADDR, 0, address, context);
    if (!message) return message.error();
    return socket.request(std::move(*message), context);
}

Result<std::vector<InterfaceAddress>> list_addresses(RouteSocket& socket,
                                                     const AddressQuery& query) {
    std::vector<RawAddress> raw;
    if (!query.family || *query.family == IpFamily::kIpv6)
        if (auto done = dump_family(socket, AF_INET6, raw); !done) return done.error();
    if (!query.family || *query.family == IpFamily::kIpv4)
        if (auto done = dump_family(socket, AF_INET, raw); !done) return done.error();
    auto interfaces = list_interfaces(socket);
    if (!interfaces) return interfaces.error();

    std::vector<InterfaceAddress> addresses;
    for (auto& r : raw) {
        auto it = interfaces->find(r.ifindex);
        r.address.device =
            it != interfaces->end() ? it->second.name : "if" + std::to_string(r.ifindex);
        if (query.device && r.address.device != *query.device) continue;
        if (query.protocol && r.address.protocol != *query.protocol) continue;
        addresses.push_back(std::move(r.address));
    }
    return addresses;
}

Result<std::vector<InterfaceAddress>> list_addresses_with_protocol(RouteSocket& socket,
                                                                   std::uint8_t protocol) {
    AddressQuery query;
    query.protocol = protocol;
    return list_addresses(socket, query);
}

}  // namespace sixgate::net::netlink
