#pragma once
// Binding Information Base entries (RFC 6146 3.1): (X',x) <-> (T,t) per protocol, with the list of
// the entry's sessions. A dynamic entry lives while it has sessions (3.5.1); a static one forever.

#include <cstdint>
#include <string>

#include "net/ip_address.hpp"
#include "plat/plat_types.hpp"
#include "plat/slab.hpp"

namespace sixgate::plat {

struct BibEntry {
    net::Ipv6Address ipv6;            // X'
    net::Ipv4Address ipv4;            // T
    std::uint16_t ipv6_port = 0;      // x
    std::uint16_t ipv4_port = 0;      // t
    std::uint32_t chain = kNil;       // IPv6-side index chain / slab free list
    std::uint32_t chain4 = kNil;      // IPv4-side index chain
    std::uint32_t sessions = kNil;    // first session (doubly linked through Session::bib_*)
    std::uint32_t session_count = 0;
    std::uint32_t address_index = 0;  // T's index in pool4
    L4Protocol protocol = L4Protocol::udp;
    bool is_static = false;

    Ipv6Transport transport6() const noexcept { return {ipv6, ipv6_port}; }
    Ipv4Transport transport4() const noexcept { return {ipv4, ipv4_port}; }
};

std::uint64_t bib_hash6(L4Protocol protocol, const Ipv6Transport& transport,
                        std::uint64_t seed) noexcept;
std::uint64_t bib_hash4(L4Protocol protocol, const Ipv4Transport& transport,
                        std::uint64_t seed) noexcept;
std::uint64_t address_hash(const net::Ipv6Address& address, std::uint64_t seed) noexcept;

// "[2001:db8::1]:1234" and "192.0.2.1:80" for status output.
std::string to_string(const Ipv6Transport& transport);
std::string to_string(const Ipv4Transport& transport);

}  // namespace sixgate::plat
