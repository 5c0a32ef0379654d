#include "net/icmpv6_socket.hpp"

#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace sixgate::net {
namespace {

Error system_error(const std::string& what) {
    return Error{std::error_code(errno, std::generic_category()), what + ": " + std::strerror(errno)};
}

sockaddr_in6 socket_address(const Ipv6Address& address, int interface_index) {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    std::memcpy(&sa.sin6_addr, address.bytes().data(), 16);
    sa.sin6_scope_id = std::uint32_t(interface_index);
    return sa;
}

template <class T>
bool set_option(int fd, int level, int name, const T& value) {
    return ::setsockopt(fd, level, name, &value, sizeof value) == 0;
}

}  // namespace

Result<Icmpv6Socket> Icmpv6Socket::open(const std::string& interface, std::initializer_list<std::uint8_t> types,
                                        std::initializer_list<Ipv6Address> groups) {
    const std::string where = "icmpv6 socket on " + interface;
    Icmpv6Socket socket;
    socket.interface_index_ = int(::if_nametoindex(interface.c_str()));
    if (socket.interface_index_ == 0) return system_error(where + ": no such interface");
    socket.fd_.reset(::socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6));
    if (!socket.fd_) return system_error(where);
    const int fd = socket.fd_.get();

    icmp6_filter filter;
    ICMP6_FILTER_SETBLOCKALL(&filter);
    for (std::uint8_t type : types) ICMP6_FILTER_SETPASS(type, &filter);
    if (!set_option(fd, IPPROTO_ICMPV6, ICMP6_FILTER, filter)) return system_error(where + ": ICMP6_FILTER");
    if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, interface.c_str(), socklen_t(interface.size())) != 0)
        return system_error(where + ": SO_BINDTODEVICE");
    // RFC 4861 6.1: receivers drop ND messages whose hop limit is not 255, so send with 255.
    const int hops = 255, on = 1, off = 0;
    if (!set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, hops) ||
        !set_option(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, hops) ||
        !set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, socket.interface_index_) ||
        !set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, off) ||
        !set_option(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, on) || !set_option(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, on))
        return system_error(where + ": socket options");
    for (const Ipv6Address& group : groups) {
        ipv6_mreq request{};
        std::memcpy(&request.ipv6mr_multiaddr, group.bytes().data(), 16);
        request.ipv6mr_interface = unsigned(socket.interface_index_);
        if (!set_option(fd, IPPROTO_IPV6, IPV6_JOIN_GROUP, request))
            return system_error(where + ": join " + group.to_string());
    }
    return socket;
}

Result<void> Icmpv6Socket::send(std::span<const std::uint8_t> message, const Ipv6Address& destination) {
    const sockaddr_in6 sa = socket_address(destination, interface_index_);
    const ssize_t sent = ::sendto(fd_.get(), message.data(), message.size(), 0,
                                  reinterpret_cast<const sockaddr*>(&sa), sizeof sa);
    if (sent < 0) return system_error("send to " + destination.to_string());
    if (std::size_t(sent) != message.size())
        return make_error(std::errc::message_size, "send to " + destination.to_string() + ": short write");
    return {};
}

Result<std::optional<ReceivedIcmpv6>> Icmpv6Socket::receive(std::span<std::uint8_t> buffer) {
    sockaddr_in6 from{};
    iovec iov{buffer.data(), buffer.size()};
    alignas(cmsghdr) std::uint8_t control[CMSG_SPACE(sizeof(in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
    msghdr message{};
    message.msg_name = &from;
    message.msg_namelen = sizeof from;
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    const ssize_t length = ::recvmsg(fd_.get(), &message, 0);
    if (length < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return std::optional<ReceivedIcmpv6>{};
        return system_error("receive");
    }
    ReceivedIcmpv6 received;
    received.length = std::size_t(length);
    // A truncated datagram is reported at its real length so the parser sees it is incomplete.
    if (message.msg_flags & MSG_TRUNC) received.length = buffer.size();
    Ipv6Address::Bytes bytes;
    std::memcpy(bytes.data(), &from.sin6_addr, 16);
    received.source = Ipv6Address(bytes);
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level != IPPROTO_IPV6) continue;
        if (c->cmsg_type == IPV6_HOPLIMIT) {
            std::memcpy(&received.hop_limit, CMSG_DATA(c), sizeof(int));
        } else if (c->cmsg_type == IPV6_PKTINFO) {
            in6_pktinfo info;
            std::memcpy(&info, CMSG_DATA(c), sizeof info);
            std::memcpy(bytes.data(), &info.ipi6_addr, 16);
            received.destination = Ipv6Address(bytes);
        }
    }
    return std::optional<ReceivedIcmpv6>{received};
}

}  // namespace sixgate::net
