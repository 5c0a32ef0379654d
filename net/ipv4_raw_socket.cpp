#include "net/ipv4_raw_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

namespace sixgate::net {
namespace {

constexpr int kReceiveBufferBytes = 4 << 20;

sockaddr_in socket_address(Ipv4Address address) {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(address.to_uint());
    return sa;
}

Error call_error(const std::string& where, const char* call) {
    const int error = errno;
    std::string message = where + ": " + call + ": " + std::strerror(error);
    if (error == EPERM || error == EACCES) message += " (need CAP_NET_RAW)";
    return Error{std::error_code(error, std::generic_category()), std::move(message)};
}

}  // namespace

Result<Ipv4RawSocket> Ipv4RawSocket::open(std::uint8_t protocol, const std::string& interface,
                                          Ipv4Address local) {
    const std::string where = "raw ipv4 socket (protocol " + std::to_string(protocol) + ") on " +
                              interface + " " + local.to_string();
    Ipv4RawSocket socket;
    socket.local_ = local;
    socket.fd_.reset(::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol));
    if (!socket.fd_) return call_error(where, "socket");
    const int fd = socket.fd_.get();

    // Only this node's address on this interface: datagrams for other addresses or arriving on
    // other interfaces never reach the ISATAP logic.
    if (::setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, interface.c_str(),
                     socklen_t(interface.size())) != 0)
        return call_error(where, "SO_BINDTODEVICE");
    const sockaddr_in bound = socket_address(local);
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&bound), sizeof bound) != 0)
        return call_error(where, "bind");
    // RFC 4213 3.2: the tunnel MTU is static (1280), so DF stays clear and the IPv4 network may
    // fragment; no path MTU discovery on the outer packets.
    const int dont = IP_PMTUDISC_DONT;
    if (::setsockopt(fd, IPPROTO_IP, IP_MTU_DISCOVER, &dont, sizeof dont) != 0)
        return call_error(where, "IP_MTU_DISCOVER");
    // RFC 4213 3.3: the outer TTL is the node's default for IPv4 (64 here, whatever the sysctl).
    const int ttl = 64;
    if (::setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof ttl) != 0)
        return call_error(where, "IP_TTL");
    // Every tunnelled packet of the host passes this one socket: the default receive buffer
    // (net.core.rmem_default, 208 KiB) overflowed under one TCP flow in the ISATAP benchmark
    // (bench/isatap_bench.py, drops = retransmits). SO_RCVBUFFORCE (CAP_NET_ADMIN, which `run`
    // needs anyway) passes net.core.rmem_max; without it the capped SO_RCVBUF is what is left.
    const int receive_buffer = kReceiveBufferBytes;
    if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &receive_buffer, sizeof receive_buffer) != 0 &&
        ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer) != 0)
        return call_error(where, "SO_RCVBUF");
    return socket;
}

Result<std::optional<std::size_t>> Ipv4RawSocket::receive(std::span<std::byte> buffer) noexcept {
    // MSG_TRUNC makes a raw socket return the datagram's real length, so a datagram longer than
    // the buffer is seen as such instead of being parsed cut short. The error messages are short
    // literals (no allocation on the data path).
    const ssize_t length = ::recv(fd_.get(), buffer.data(), buffer.size(), MSG_TRUNC);
    if (length < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
            return std::optional<std::size_t>{};
        return Error{std::error_code(errno, std::generic_category()), "recv"};
    }
    if (std::size_t(length) > buffer.size())
        return Error{std::make_error_code(std::errc::message_size), "recv: too long"};
    return std::optional<std::size_t>{std::size_t(length)};
}

int Ipv4RawSocket::send(Ipv4Address destination, std::span<const std::byte> payload) noexcept {
    const sockaddr_in to = socket_address(destination);
    const ssize_t sent = ::sendto(fd_.get(), payload.data(), payload.size(), MSG_DONTWAIT,
                                  reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (sent < 0) return errno;
    if (std::size_t(sent) != payload.size()) return EMSGSIZE;
    return 0;
}

}  // namespace sixgate::net
