#pragma once
// A raw IPv4 socket for one IP protocol on one interface (protocol 41 for ISATAP, RFC 5214):
// received datagrams come with their IPv4 header (reassembled by the kernel); sent ones get a
// header from the kernel with this node's address as source, TTL 64 and DF clear
// (IP_PMTUDISC_DONT: RFC 4213 3.2, the tunnel MTU is static, the IPv4 network may fragment).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "net/ip_address.hpp"
#include "net/result.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::net {

class Ipv4RawSocket {
public:
    // Non-blocking, bound to `local` and to `interface` (SO_BINDTODEVICE), so only datagrams for
    // this node's address on that interface arrive. Errors name the call, the interface and,
    // for EPERM, the capability (CAP_NET_RAW).
    static Result<Ipv4RawSocket> open(std::uint8_t protocol, const std::string& interface, Ipv4Address local);

    int fd() const noexcept { return fd_.get(); }
    Ipv4Address local() const noexcept { return local_; }

    // One datagram (IPv4 header first) into `buffer`; nothing when none waits (EAGAIN/EINTR).
    // A datagram longer than the buffer is reported as an error (EMSGSIZE), not cut short.
    Result<std::optional<std::size_t>> receive(std::span<std::byte> buffer) noexcept;

    // Sends `payload` as one IPv4 datagram of this socket's protocol to `destination`; returns 0
    // or the errno. Never blocks (EAGAIN is returned, the caller counts the drop).
    int send(Ipv4Address destination, std::span<const std::byte> payload) noexcept;

private:
    UniqueFd fd_;
    Ipv4Address local_;
};

}  // namespace sixgate::net
