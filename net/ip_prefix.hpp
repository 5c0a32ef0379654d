#pragma once
// IPv4 and IPv6 prefixes: an address with its host bits zero and a length.

#include <string>
#include <string_view>

#include "net/ip_address.hpp"

namespace sixgate::net {

class Ipv4Prefix {
public:
    constexpr Ipv4Prefix() = default;
    // The caller guarantees length <= 32; host bits are cleared.
    Ipv4Prefix(Ipv4Address address, int length);

    // "A.B.C.D/N"; host bits set is an error that proposes the prefix meant.
    static Result<Ipv4Prefix> parse(std::string_view text);

    Ipv4Address address() const noexcept { return address_; }
    int length() const noexcept { return length_; }
    bool contains(Ipv4Address address) const noexcept;
    std::string to_string() const;

    auto operator<=>(const Ipv4Prefix&) const = default;

private:
    Ipv4Address address_;
    int length_ = 0;
};

class Ipv6Prefix {
public:
    constexpr Ipv6Prefix() = default;
    // The caller guarantees length <= 128; host bits are cleared.
    Ipv6Prefix(const Ipv6Address& address, int length);

    static Result<Ipv6Prefix> parse(std::string_view text);

    const Ipv6Address& address() const noexcept { return address_; }
    int length() const noexcept { return length_; }
    bool contains(const Ipv6Address& address) const noexcept;
    bool contains(const Ipv6Prefix& other) const noexcept;
    // The address with this prefix and the low bits of interface_id, e.g. prefix ::1.
    Ipv6Address with_host(const Ipv6Address& interface_id) const noexcept;
    std::string to_string() const;

    auto operator<=>(const Ipv6Prefix&) const = default;

private:
    Ipv6Address address_;
    int length_ = 0;
};

}  // namespace sixgate::net
