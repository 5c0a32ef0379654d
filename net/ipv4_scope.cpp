#include "net/ipv4_scope.hpp"

#include <array>

namespace sixgate::net {
namespace {

struct Entry {
    Ipv4Address base;
    int length;
    Ipv4Reach reach;
    std::string_view name;
    std::string_view block;
    std::string_view rfc;
};

using R = Ipv4Reach;
// IANA IPv4 Special-Purpose Address Registry, "Globally Reachable" column; plus multicast.
constexpr std::array kRegistry{
    Entry{{0, 0, 0, 0}, 8, R::not_unicast, "\"this network\"", "0.0.0.0/8", "RFC 791"},
    Entry{{10, 0, 0, 0}, 8, R::non_global, "private-use", "10.0.0.0/8", "RFC 1918"},
    Entry{{100, 64, 0, 0}, 10, R::non_global, "shared address space (CGN)", "100.64.0.0/10", "RFC 6598"},
    Entry{{127, 0, 0, 0}, 8, R::not_unicast, "loopback", "127.0.0.0/8", "RFC 1122"},
    Entry{{169, 254, 0, 0}, 16, R::non_global, "link-local", "169.254.0.0/16", "RFC 3927"},
    Entry{{172, 16, 0, 0}, 12, R::non_global, "private-use", "172.16.0.0/12", "RFC 1918"},
    Entry{{192, 0, 0, 0}, 24, R::non_global, "IETF protocol assignments", "192.0.0.0/24", "RFC 6890"},
    Entry{{192, 0, 0, 0}, 29, R::non_global, "IPv4 service continuity (DS-Lite, 464XLAT)", "192.0.0.0/29", "RFC 7335"},
    Entry{{192, 0, 0, 8}, 32, R::non_global, "IPv4 dummy address", "192.0.0.8/32", "RFC 7600"},
    Entry{{192, 0, 0, 9}, 32, R::global, "PCP anycast", "192.0.0.9/32", "RFC 7723"},
    Entry{{192, 0, 0, 10}, 32, R::global, "TURN anycast", "192.0.0.10/32", "RFC 8155"},
    Entry{{192, 0, 0, 170}, 32, R::non_global, "NAT64/DNS64 discovery", "192.0.0.170/32", "RFC 7050"},
    Entry{{192, 0, 0, 171}, 32, R::non_global, "NAT64/DNS64 discovery", "192.0.0.171/32", "RFC 7050"},
    Entry{{192, 0, 2, 0}, 24, R::non_global, "documentation (TEST-NET-1)", "192.0.2.0/24", "RFC 5737"},
    Entry{{192, 31, 196, 0}, 24, R::global, "AS112-v4", "192.31.196.0/24", "RFC 7535"},
    Entry{{192, 52, 193, 0}, 24, R::global, "AMT", "192.52.193.0/24", "RFC 7450"},
    Entry{{192, 88, 99, 0}, 24, R::non_global, "deprecated 6to4 relay anycast", "192.88.99.0/24", "RFC 7526"},
    Entry{{192, 88, 99, 2}, 32, R::global, "6a44 relay anycast", "192.88.99.2/32", "RFC 6751"},
    Entry{{192, 168, 0, 0}, 16, R::non_global, "private-use", "192.168.0.0/16", "RFC 1918"},
    Entry{{192, 175, 48, 0}, 24, R::global, "AS112 direct delegation", "192.175.48.0/24", "RFC 7534"},
    Entry{{198, 18, 0, 0}, 15, R::non_global, "benchmarking", "198.18.0.0/15", "RFC 2544"},
    Entry{{198, 51, 100, 0}, 24, R::non_global, "documentation (TEST-NET-2)", "198.51.100.0/24", "RFC 5737"},
    Entry{{203, 0, 113, 0}, 24, R::non_global, "documentation (TEST-NET-3)", "203.0.113.0/24", "RFC 5737"},
    Entry{{224, 0, 0, 0}, 4, R::not_unicast, "multicast", "224.0.0.0/4", "RFC 5771"},
    Entry{{240, 0, 0, 0}, 4, R::not_unicast, "reserved", "240.0.0.0/4", "RFC 1112"},
    Entry{{255, 255, 255, 255}, 32, R::not_unicast, "limited broadcast", "255.255.255.255/32", "RFC 919"},
};

bool entry_contains(const Entry& entry, Ipv4Address address) {
    const std::uint32_t mask = entry.length == 0 ? 0 : ~0u << (32 - entry.length);
    return (address.to_uint() & mask) == entry.base.to_uint();
}

}  // namespace

Ipv4Scope classify_ipv4(Ipv4Address address) noexcept {
    const Entry* best = nullptr;
    for (const Entry& entry : kRegistry)
        if (entry_contains(entry, address) && (!best || entry.length > best->length)) best = &entry;
    if (!best) return {};
    return {best->reach, best->name, best->block, best->rfc};
}

}  // namespace sixgate::net
