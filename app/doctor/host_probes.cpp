#include "app/doctor/host_probes.hpp"

#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip_icmp.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <future>
#include <memory>
#include <thread>

#include "clat/rfc7050.hpp"
#include "net/checksum.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::app::doctor {
namespace {

using net::netlink::AnyIpAddress;
using Clock = std::chrono::steady_clock;

// An ICMP socket for echo: the unprivileged kind (ping_group_range) when allowed, else raw (root).
net::UniqueFd open_echo_socket(bool ipv6) {
    const int domain = ipv6 ? AF_INET6 : AF_INET;
    const int protocol = ipv6 ? int(IPPROTO_ICMPV6) : int(IPPROTO_ICMP);
    net::UniqueFd fd(::socket(domain, SOCK_DGRAM | SOCK_CLOEXEC, protocol));
    if (!fd.valid()) fd = net::UniqueFd(::socket(domain, SOCK_RAW | SOCK_CLOEXEC, protocol));
    return fd;
}

sockaddr_storage socket_address(const AnyIpAddress& target, socklen_t& length) {
    sockaddr_storage storage{};
    if (const auto* v6 = std::get_if<net::Ipv6Address>(&target)) {
        auto* sin6 = reinterpret_cast<sockaddr_in6*>(&storage);
        sin6->sin6_family = AF_INET6;
        std::memcpy(&sin6->sin6_addr, v6->bytes().data(), 16);
        length = sizeof(sockaddr_in6);
    } else {
        auto* sin = reinterpret_cast<sockaddr_in*>(&storage);
        sin->sin_family = AF_INET;
        sin->sin_addr.s_addr = htonl(std::get<net::Ipv4Address>(target).to_uint());
        length = sizeof(sockaddr_in);
    }
    return storage;
}

// Is `reply` (as read from the socket) the echo reply to our identifier and sequence? Raw IPv4
// sockets deliver the IP header too; datagram sockets match the identifier themselves.
bool is_our_reply(const std::uint8_t* data, std::size_t size, bool ipv6, bool raw, std::uint16_t id,
                  std::uint16_t sequence) {
    if (!ipv6 && raw) {
        if (size < 20) return false;
        const std::size_t header = std::size_t(data[0] & 0x0f) * 4;
        if (size < header) return false;
        data += header;
        size -= header;
    }
    if (size < 8) return false;
    const std::uint8_t reply_type = ipv6 ? std::uint8_t(ICMP6_ECHO_REPLY) : std::uint8_t(ICMP_ECHOREPLY);
    if (data[0] != reply_type) return false;
    const std::uint16_t got_id = std::uint16_t(data[4] << 8 | data[5]);
    const std::uint16_t got_sequence = std::uint16_t(data[6] << 8 | data[7]);
    return got_sequence == sequence && (!raw || got_id == id);
}

}  // namespace

Result<std::map<int, std::vector<net::Ipv6Address>>> list_router_neighbours(net::netlink::RouteSocket& socket) {
    std::map<int, std::vector<net::Ipv6Address>> routers;
    ndmsg header{};
    header.ndm_family = AF_INET6;
    auto done = socket.dump(
        RTM_GETNEIGH, &header, sizeof(header),
        [&](nlmsghdr& reply) {
            if (reply.nlmsg_type != RTM_NEWNEIGH) return;
            const auto* neighbour = static_cast<const ndmsg*>(nlmsg_data(&reply));
            if (!(neighbour->ndm_flags & NTF_ROUTER)) return;
            nlattr* attributes[NDA_MAX + 1] = {};
            if (nlmsg_parse(&reply, sizeof(ndmsg), attributes, NDA_MAX, nullptr) < 0) return;
            if (!attributes[NDA_DST] || nla_len(attributes[NDA_DST]) != 16) return;
            net::Ipv6Address::Bytes bytes;
            std::memcpy(bytes.data(), nla_data(attributes[NDA_DST]), 16);
            // RFC 4861 4.2: RAs come from the router's link-local address; a global address
            // flagged by a Neighbor Advertisement's R bit is the same router again.
            if (bytes[0] != 0xfe || (bytes[1] & 0xc0) != 0x80) return;
            routers[neighbour->ndm_ifindex].push_back(net::Ipv6Address(bytes));
        },
        [&] { routers.clear(); }, "listing neighbours");
    if (!done) return done.error();
    return routers;
}

std::optional<net::Ipv6Prefix> discover_dns64_prefix(std::chrono::milliseconds timeout) {
    // getaddrinfo has no timeout of its own: ask on a thread and stop waiting after `timeout`
    // (a stuck lookup is left to finish on its own; doctor exits soon after).
    auto promise = std::make_shared<std::promise<std::vector<net::Ipv6Address>>>();
    auto answer = promise->get_future();
    std::thread([promise] {
        auto result = clat::Rfc7050Discovery::resolve_with_getaddrinfo(clat::kIpv4OnlyName);
        promise->set_value(result ? *result : std::vector<net::Ipv6Address>{});
    }).detach();
    if (answer.wait_for(timeout) != std::future_status::ready) return std::nullopt;
    const auto prefixes = clat::plat_prefixes_from_answers(answer.get());
    if (prefixes.empty()) return std::nullopt;
    return prefixes.front();
}

TargetProbe probe_target(const AnyIpAddress& target, int attempts, std::chrono::milliseconds wait) {
    TargetProbe probe{target, false, 0, {}};
    const bool ipv6 = std::holds_alternative<net::Ipv6Address>(target);
    net::UniqueFd fd = open_echo_socket(ipv6);
    if (!fd.valid()) {
        probe.error = std::string("cannot open an ICMP socket: ") + std::strerror(errno);
        return probe;
    }
    int type = 0;
    socklen_t type_length = sizeof(type);
    ::getsockopt(fd.get(), SOL_SOCKET, SO_TYPE, &type, &type_length);
    const bool raw = type == SOCK_RAW;
    const std::uint16_t id = std::uint16_t(::getpid());
    socklen_t address_length = 0;
    const sockaddr_storage address = socket_address(target, address_length);
    for (int attempt = 1; attempt <= attempts; ++attempt) {
        const auto sequence = std::uint16_t(attempt);
        std::uint8_t request[16] = {ipv6 ? std::uint8_t(ICMP6_ECHO_REQUEST) : std::uint8_t(ICMP_ECHO), 0, 0, 0,
                                    std::uint8_t(id >> 8), std::uint8_t(id), 0, std::uint8_t(sequence),
                                    's', 'i', 'x', 'g', 'a', 't', 'e', '!'};
        if (!ipv6) {  // ICMPv6 checksums are the kernel's (pseudo header); ICMPv4 ones are ours
            const std::uint16_t sum = net::internet_checksum(std::span<const std::uint8_t>(request, sizeof(request)));
            request[2] = std::uint8_t(sum >> 8);
            request[3] = std::uint8_t(sum);
        }
        const auto sent_at = Clock::now();
        if (::sendto(fd.get(), request, sizeof(request), 0, reinterpret_cast<const sockaddr*>(&address),
                     address_length) < 0) {
            probe.error = std::string("sending the echo request failed: ") + std::strerror(errno);
            return probe;
        }
        probe.error.clear();
        const auto deadline = sent_at + wait;
        for (auto now = Clock::now(); now < deadline; now = Clock::now()) {
            pollfd poll_fd{fd.get(), POLLIN, 0};
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
            if (::poll(&poll_fd, 1, int(left) + 1) <= 0) break;
            std::uint8_t reply[1500];
            const ssize_t size = ::recv(fd.get(), reply, sizeof(reply), 0);
            if (size > 0 && is_our_reply(reply, std::size_t(size), ipv6, raw, id, sequence)) {
                probe.answered = true;
                probe.rtt_ms = std::chrono::duration<double, std::milli>(Clock::now() - sent_at).count();
                return probe;
            }
        }
    }
    return probe;
}

}  // namespace sixgate::app::doctor
