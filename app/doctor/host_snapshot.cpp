#include "app/doctor/host_snapshot.hpp"

#include <net/if.h>
#include <unistd.h>

#include <charconv>

#include "app/control_protocol.hpp"
#include "app/doctor/host_probes.hpp"
#include "net/netlink/kernel_addresses.hpp"
#include "net/netlink/sysctl.hpp"

namespace sixgate::app::doctor {
namespace {

namespace nl = net::netlink;

// IFA_PROTO 2 (IFAPROT_KERNEL_RA): an address the kernel formed from a Router Advertisement.
constexpr std::uint8_t kAddressFromRa = 2;
constexpr std::chrono::milliseconds kStatusTimeout{2000};
constexpr std::chrono::milliseconds kDns64Timeout{3000};
constexpr int kEchoAttempts = 3;
constexpr std::chrono::milliseconds kEchoWait{700};

std::optional<int> read_int(const std::string& path) {
    auto text = nl::read_sysctl(path);
    if (!text) return std::nullopt;
    int value = 0;
    const char* end = text->data() + text->size();
    if (std::from_chars(text->data(), end, value).ptr != end) return std::nullopt;
    return value;
}

Ipv6Conf read_ipv6_conf(const std::string& interface) {
    const auto key = [&](const char* name) { return read_int(nl::ipv6_conf_path(interface, name)); };
    return Ipv6Conf{key("forwarding"),         key("accept_ra"),        key("accept_ra_rt_info_max_plen"),
                    key("accept_ra_rtr_pref"), key("accept_ra_defrtr"), key("autoconf"),
                    key("disable_ipv6")};
}

std::string network_namespace_of(const std::string& pid) {
    char target[64] = {};
    const ssize_t n = ::readlink(("/proc/" + pid + "/ns/net").c_str(), target, sizeof(target) - 1);
    return n > 0 ? std::string(target, std::size_t(n)) : std::string();
}

SixgateState read_sixgate_state(const std::string& socket) {
    auto reply = request_control(socket, nlohmann::json{{"command", "status"}}, kStatusTimeout);
    SixgateState state;
    if (reply) {
        state = parse_sixgate_status(*reply);
        // Namespaces share /run: the socket may belong to a sixgate of another network
        // namespace, whose state says nothing about this host.
        const std::string theirs = state.pid > 0 ? network_namespace_of(std::to_string(state.pid)) : "";
        if (!theirs.empty() && theirs != network_namespace_of("self")) {
            const long pid = state.pid;
            state = SixgateState{};
            state.error = "the sixgate on " + socket + " (pid " + std::to_string(pid) +
                          ") runs in another network namespace; give this host's with --socket";
        }
    } else {
        state.socket_missing = reply.error().code == std::errc::no_such_file_or_directory;
        state.error = reply.error().message;
    }
    state.socket = socket;
    return state;
}

bool needs_dns64(const HostSnapshot& snapshot) {
    // Only when a PLAT prefix matters and nothing local knows it: the lookup may wait for DNS.
    const auto& clat = snapshot.sixgate.clat;
    return (clat && !clat->plat_prefix) || (snapshot.probe && !snapshot.probe->answered);
}

}  // namespace

const HostInterface* find_interface(const HostSnapshot& snapshot, const std::string& name) {
    for (const HostInterface& interface : snapshot.interfaces)
        if (interface.name == name) return &interface;
    return nullptr;
}

Result<HostSnapshot> collect_host_snapshot(const SnapshotRequest& request) {
    auto socket = nl::RouteSocket::open();
    if (!socket) return with_context(socket.error(), "opening rtnetlink");
    HostSnapshot snapshot;
    char hostname[256] = {};
    if (::gethostname(hostname, sizeof(hostname) - 1) == 0) snapshot.hostname = hostname;
    snapshot.all = read_ipv6_conf("all");
    snapshot.ipv4_forwarding = read_int("/proc/sys/net/ipv4/ip_forward");

    auto links = nl::list_interfaces(*socket);
    if (!links) return with_context(links.error(), "listing interfaces");
    auto routers = list_router_neighbours(*socket);
    auto addresses = nl::list_addresses(*socket, {});
    if (!addresses) return with_context(addresses.error(), "listing addresses");
    for (const auto& [index, info] : *links) {
        HostInterface interface;
        interface.name = info.name;
        interface.up = info.is_up();
        interface.loopback = (info.flags & IFF_LOOPBACK) != 0;
        interface.conf = read_ipv6_conf(info.name);
        for (const nl::InterfaceAddress& address : *addresses) {
            if (address.device != info.name) continue;
            if (const auto* v6 = std::get_if<net::Ipv6Address>(&address.address))
                interface.ipv6.push_back(LinkAddress{*v6, address.prefix_length,
                                                     (address.flags & nl::kAddressFlagTentative) != 0,
                                                     (address.flags & nl::kAddressFlagDadFailed) != 0,
                                                     address.protocol == kAddressFromRa});
            else
                interface.ipv4.push_back({std::get<net::Ipv4Address>(address.address), address.prefix_length});
        }
        if (routers)
            if (auto found = routers->find(index); found != routers->end()) interface.routers = found->second;
        snapshot.interfaces.push_back(std::move(interface));
    }
    for (std::uint32_t table : {nl::kLocalRouteTable, nl::kMainRouteTable})
        for (nl::IpFamily family : {nl::IpFamily::kIpv6, nl::IpFamily::kIpv4}) {
            auto routes = nl::list_routes(*socket, nl::RouteQuery{family, table, {}, {}});
            if (!routes) return with_context(routes.error(), "listing routes");
            snapshot.routes.insert(snapshot.routes.end(), routes->begin(), routes->end());
        }
    snapshot.sixgate = read_sixgate_state(request.socket);
    if (request.target) snapshot.probe = probe_target(*request.target, kEchoAttempts, kEchoWait);
    if (needs_dns64(snapshot)) snapshot.dns64_prefix = discover_dns64_prefix(kDns64Timeout);
    return snapshot;
}

}  // namespace sixgate::app::doctor
