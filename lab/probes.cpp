#include "lab/probes.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <thread>

#include "lab/dns_query.hpp"
#include "net/checksum.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::lab {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::duration_cast;
using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr std::uint8_t kIcmpEchoRequest = 8, kIcmpEchoReply = 0;            // RFC 792
constexpr std::uint8_t kIcmpv6EchoRequest = 128, kIcmpv6EchoReply = 129;    // RFC 4443 4.1, 4.2

std::atomic<std::uint16_t> next_sequence{1};

struct SocketAddress {
    sockaddr_storage storage{};
    socklen_t length = 0;
    const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
};

SocketAddress socket_address(const IpAddress& address, std::uint16_t port) {
    SocketAddress out;
    if (const auto* v4 = std::get_if<net::Ipv4Address>(&address)) {
        auto* in = reinterpret_cast<sockaddr_in*>(&out.storage);
        in->sin_family = AF_INET;
        in->sin_port = htons(port);
        in->sin_addr.s_addr = htonl(v4->to_uint());
        out.length = sizeof(sockaddr_in);
    } else {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&out.storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        std::memcpy(in6->sin6_addr.s6_addr, std::get<net::Ipv6Address>(address).bytes().data(), 16);
        out.length = sizeof(sockaddr_in6);
    }
    return out;
}

int family_of(const IpAddress& address) { return is_ipv4(address) ? AF_INET : AF_INET6; }

std::string errno_text(int error) {
    switch (error) {
    case ECONNREFUSED: return "connection refused";
    case ENETUNREACH: return "network unreachable";
    case EHOSTUNREACH: return "host unreachable";
    case EACCES: case EPERM: return "prohibited";
    default: return std::strerror(error);
    }
}

ProbeOutcome failed(std::string detail) { return ProbeOutcome{false, microseconds{0}, std::move(detail)}; }

milliseconds left(Clock::time_point deadline) {
    return std::max(milliseconds{0}, duration_cast<milliseconds>(deadline - Clock::now()));
}

// Waits for `events` on fd until the deadline: true when ready.
bool wait_ready(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd entry{fd, events, 0};
        const int ready = ::poll(&entry, 1, static_cast<int>(left(deadline).count()));
        if (ready > 0) return true;
        if (ready == 0 || errno != EINTR) return false;
    }
}

ProbeOutcome ping(const IpAddress& target, milliseconds timeout) {
    const bool v4 = is_ipv4(target);
    const int protocol = v4 ? int(IPPROTO_ICMP) : int(IPPROTO_ICMPV6);
    net::UniqueFd fd(::socket(family_of(target), SOCK_RAW | SOCK_CLOEXEC, protocol));
    if (!fd.valid()) return failed("raw ICMP socket: " + std::string(std::strerror(errno)));
    const std::uint16_t id = std::uint16_t(::getpid() ^ 0x5347);
    const std::uint16_t sequence = next_sequence++;
    std::uint8_t message[24] = {v4 ? kIcmpEchoRequest : kIcmpv6EchoRequest, 0, 0, 0, std::uint8_t(id >> 8), std::uint8_t(id),
                                std::uint8_t(sequence >> 8), std::uint8_t(sequence)};
    std::memcpy(message + 8, "sixgate lab ping", 16);
    if (v4) {
        // RFC 792: the checksum covers the ICMP message; ICMPv6's the kernel fills in (RFC 3542 3.1).
        const std::uint16_t sum = net::internet_checksum(message);
        message[2] = std::uint8_t(sum >> 8);
        message[3] = std::uint8_t(sum);
    }
    const SocketAddress to = socket_address(target, 0);
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    if (::sendto(fd.get(), message, sizeof message, 0, to.get(), to.length) < 0) return failed(errno_text(errno));
    std::uint8_t reply[1500];
    while (wait_ready(fd.get(), POLLIN, deadline)) {
        sockaddr_storage from{};
        socklen_t from_length = sizeof from;
        const ssize_t n = ::recvfrom(fd.get(), reply, sizeof reply, 0, reinterpret_cast<sockaddr*>(&from), &from_length);
        if (n <= 0) continue;
        std::size_t at = 0;
        if (v4) {
            at = std::size_t(reply[0] & 0x0f) * 4;  // a raw IPv4 socket hands over the IP header too
            const auto* source = reinterpret_cast<const sockaddr_in*>(&from);
            if (ntohl(source->sin_addr.s_addr) != std::get<net::Ipv4Address>(target).to_uint()) continue;
        }
        if (std::size_t(n) < at + 8) continue;
        const bool matches = reply[at] == (v4 ? kIcmpEchoReply : kIcmpv6EchoReply) &&
                             reply[at + 4] == message[4] && reply[at + 5] == message[5] &&
                             reply[at + 6] == message[6] && reply[at + 7] == message[7];
        if (matches) return ProbeOutcome{true, duration_cast<microseconds>(Clock::now() - start), "echo reply"};
    }
    return failed("no echo reply in " + std::to_string(timeout.count()) + " ms");
}

ProbeOutcome tcp(const IpAddress& target, std::uint16_t port, milliseconds timeout) {
    net::UniqueFd fd(::socket(family_of(target), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return failed("socket: " + std::string(std::strerror(errno)));
    const SocketAddress to = socket_address(target, port);
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    if (::connect(fd.get(), to.get(), to.length) < 0 && errno != EINPROGRESS) return failed(errno_text(errno));
    if (!wait_ready(fd.get(), POLLOUT, deadline)) return failed("no connection in " + std::to_string(timeout.count()) + " ms");
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0) return failed(errno_text(error));
    // The round trip of the handshake: SYN out, SYN-ACK back.
    const auto rtt = duration_cast<microseconds>(Clock::now() - start);
    const std::string message = "sixgate lab " + std::to_string(next_sequence++) + "\n";
    if (::send(fd.get(), message.data(), message.size(), MSG_NOSIGNAL) != ssize_t(message.size()))
        return failed("connected, but sending failed: " + errno_text(errno));
    std::string echoed;
    char buffer[256];
    while (echoed.size() < message.size() && wait_ready(fd.get(), POLLIN, deadline)) {
        const ssize_t n = ::recv(fd.get(), buffer, sizeof buffer, 0);
        if (n <= 0) return failed(n == 0 ? "connected, but closed before echoing" : "connected, then " + errno_text(errno));
        echoed.append(buffer, std::size_t(n));
    }
    if (echoed != message) return failed("connected, but no echo in " + std::to_string(timeout.count()) + " ms");
    return ProbeOutcome{true, rtt, "connected, echoed"};
}

// Sends `payload` to target:port over UDP and returns the first datagram back, or a failure.
ProbeOutcome udp_exchange(const IpAddress& target, std::uint16_t port, const std::vector<std::uint8_t>& payload,
                          milliseconds timeout, std::vector<std::uint8_t>& reply) {
    net::UniqueFd fd(::socket(family_of(target), SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd.valid()) return failed("socket: " + std::string(std::strerror(errno)));
    const SocketAddress to = socket_address(target, port);
    // Connected: an ICMP port unreachable comes back as ECONNREFUSED.
    if (::connect(fd.get(), to.get(), to.length) < 0) return failed(errno_text(errno));
    const auto start = Clock::now();
    const auto deadline = start + timeout;
    if (::send(fd.get(), payload.data(), payload.size(), 0) < 0) return failed(errno_text(errno));
    reply.resize(4096);
    while (wait_ready(fd.get(), POLLIN, deadline)) {
        const ssize_t n = ::recv(fd.get(), reply.data(), reply.size(), 0);
        if (n < 0 && errno == ECONNREFUSED) return failed("port unreachable");
        if (n < 0) continue;
        reply.resize(std::size_t(n));
        return ProbeOutcome{true, duration_cast<microseconds>(Clock::now() - start), "reply"};
    }
    return failed("no reply in " + std::to_string(timeout.count()) + " ms");
}

ProbeOutcome udp(const IpAddress& target, std::uint16_t port, milliseconds timeout) {
    const std::string text = "sixgate lab " + std::to_string(next_sequence++);
    const std::vector<std::uint8_t> payload(text.begin(), text.end());
    std::vector<std::uint8_t> reply;
    ProbeOutcome outcome = udp_exchange(target, port, payload, timeout, reply);
    if (outcome.success && reply != payload) return failed("a reply that is not the echo");
    if (outcome.success) outcome.detail = "echoed";
    return outcome;
}

ProbeOutcome dns(const ProbeRequest& request, milliseconds timeout) {
    const std::uint16_t id = next_sequence++;
    auto query = encode_aaaa_query(id, request.query);
    if (!query) return failed(query.error().message);
    std::vector<std::uint8_t> reply;
    ProbeOutcome outcome = udp_exchange(request.target, 53, *query, timeout, reply);
    if (!outcome.success) return outcome;
    auto addresses = parse_aaaa_answer(reply, id);
    if (!addresses) return failed(addresses.error().message);
    if (addresses->empty()) return failed("no AAAA record for " + request.query);
    for (const net::Ipv6Address& address : *addresses)
        if (!request.within || request.within->contains(address)) {
            outcome.detail = "AAAA " + address.to_string();
            return outcome;
        }
    return failed("AAAA " + addresses->front().to_string() + " is not in " + request.within->to_string());
}

}  // namespace

ProbeOutcome probe_once(const ProbeRequest& request, milliseconds timeout) {
    switch (request.protocol) {
    case CheckProtocol::ping: return ping(request.target, timeout);
    case CheckProtocol::tcp: return tcp(request.target, request.port.value_or(0), timeout);
    case CheckProtocol::udp: return udp(request.target, request.port.value_or(0), timeout);
    case CheckProtocol::dns: return dns(request, timeout);
    }
    return failed("unknown protocol");
}

Result<void> in_namespace(const std::string& name, const std::function<void()>& work) {
    const std::string path = "/run/netns/" + name;
    net::UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd.valid()) return make_error(std::errc(errno), "cannot open namespace " + path + ": " + std::strerror(errno));
    Result<void> result;
    // The network namespace is per thread: this thread enters it, the caller's stays as it was.
    std::thread thread([&] {
        if (::setns(fd.get(), CLONE_NEWNET) != 0) {
            result = make_error(std::errc(errno), "cannot enter namespace " + name + ": " + std::strerror(errno));
            return;
        }
        work();
    });
    thread.join();
    return result;
}

std::vector<LiveAddress> namespace_addresses() {
    std::vector<LiveAddress> addresses;
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) != 0) return addresses;
    for (const ifaddrs* entry = list; entry; entry = entry->ifa_next) {
        if (!entry->ifa_addr || (entry->ifa_flags & IFF_LOOPBACK)) continue;
        if (entry->ifa_addr->sa_family == AF_INET) {
            const auto* in = reinterpret_cast<const sockaddr_in*>(entry->ifa_addr);
            addresses.push_back({entry->ifa_name, net::Ipv4Address(ntohl(in->sin_addr.s_addr))});
        } else if (entry->ifa_addr->sa_family == AF_INET6) {
            const auto* in6 = reinterpret_cast<const sockaddr_in6*>(entry->ifa_addr);
            net::Ipv6Address::Bytes bytes{};
            std::memcpy(bytes.data(), in6->sin6_addr.s6_addr, 16);
            const bool link_local = bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80;
            const bool multicast = bytes[0] == 0xff;
            if (!link_local && !multicast) addresses.push_back({entry->ifa_name, net::Ipv6Address(bytes)});
        }
    }
    ::freeifaddrs(list);
    return addresses;
}

}  // namespace sixgate::lab
