#pragma once
// A raw ICMPv6 socket on one interface for Neighbor Discovery (RFC 4861): hop limit 255 out,
// the received hop limit and destination reported (IPV6_RECVHOPLIMIT, IPV6_RECVPKTINFO) so the
// 6.1 checks can be made, only the ICMPv6 types asked for let in (ICMP6_FILTER).

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>

#include "net/ip_address.hpp"
#include "net/result.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::net {

inline const Ipv6Address kAllNodes{Ipv6Address::Bytes{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};
inline const Ipv6Address kAllRouters{Ipv6Address::Bytes{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}};

struct ReceivedIcmpv6 {
    std::size_t length = 0;  // bytes of the ICMPv6 message in the caller's buffer
    Ipv6Address source;
    Ipv6Address destination;
    int hop_limit = -1;  // -1 when the kernel did not report it
};

class Icmpv6Socket {
public:
    // Opens a non-blocking socket bound to `interface`, letting in only `types`, and joins
    // `groups` (e.g. ff02::2 for a router) on it.
    static Result<Icmpv6Socket> open(const std::string& interface, std::initializer_list<std::uint8_t> types,
                                     std::initializer_list<Ipv6Address> groups);

    int fd() const noexcept { return fd_.get(); }
    int interface_index() const noexcept { return interface_index_; }

    // Sends one ICMPv6 message to `destination` (link-local scope: this interface); the kernel
    // fills in the checksum and picks the link-local source.
    Result<void> send(std::span<const std::uint8_t> message, const Ipv6Address& destination);

    // One message, or nothing when none is waiting (EAGAIN). Errors other than that are reported.
    Result<std::optional<ReceivedIcmpv6>> receive(std::span<std::uint8_t> buffer);

private:
    UniqueFd fd_;
    int interface_index_ = 0;
};

}  // namespace sixgate::net
