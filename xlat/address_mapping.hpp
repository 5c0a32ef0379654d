#pragma once
// RFC 7915 6 address mapping: RFC 7757 EAM first, then the RFC 6052 prefix (with the 3.1 rules),
// and the RFC 6791 source of translated ICMP errors.
// Entry points: AddressMapping::create, map_ipv4_to_ipv6, map_ipv6_to_ipv4, icmp_error_source.

#include <cstdint>
#include <optional>
#include <string_view>

#include "net/ip_address.hpp"
#include "net/result.hpp"
#include "xlat/eam.hpp"
#include "xlat/rfc6052.hpp"
#include "xlat/rfc6791_pool.hpp"

namespace sixgate::xlat {

// Why an address has no mapping: one drop counter each.
enum class MappingFailure : std::uint8_t {
    no_match,                      // no EAM covers it and it is not under pool6 (or no pool6)
    well_known_prefix_non_global,  // RFC 6052 3.1: the WKP with a non-global IPv4 address
};

inline constexpr std::size_t kMappingFailureCount = 2;

// snake_case names, stable: used as counter and metric label names.
std::string_view to_string(MappingFailure failure) noexcept;

// The mapped address, or why there is none.
template <class T>
using MappingResult = Expected<T, MappingFailure>;

struct AddressMappingConfig {
    std::optional<Rfc6052Prefix> pool6{};  // the translation prefix, if any
    EamTable eam{};
    Rfc6791Pool rfc6791_pool{};
    std::optional<net::Ipv4Address> own_ipv4{};  // the translator's own addresses
    std::optional<net::Ipv6Address> own_ipv6{};
};

// Everything the translator asks about addresses, per packet: no allocation, no exceptions.
// Built once on the control plane; replace the whole object on reload.
class AddressMapping {
public:
    // Refuses a mapping that can translate nothing (no pool6, no EAM) and one with no source
    // for translated ICMP errors (empty RFC 6791 pool and no own IPv4 address).
    static Result<AddressMapping> create(AddressMappingConfig config);

    // IPv4 to IPv6 (RFC 7915 4.1): the longest EAM first (RFC 7757 3.2), then pool6, which
    // refuses non-global addresses under the WKP (RFC 6052 3.1).
    MappingResult<net::Ipv6Address> try_map_ipv4_to_ipv6(net::Ipv4Address address) const noexcept;
    std::optional<net::Ipv6Address> map_ipv4_to_ipv6(net::Ipv4Address address) const noexcept;

    // IPv6 to IPv4 (RFC 7915 5.1), in the same order.
    MappingResult<net::Ipv4Address> try_map_ipv6_to_ipv4(
        const net::Ipv6Address& address) const noexcept;
    std::optional<net::Ipv4Address> map_ipv6_to_ipv4(
        const net::Ipv6Address& address) const noexcept;

    // The IPv4 source of a translated ICMPv6 error whose IPv6 source has no mapping: a pick from
    // the RFC 6791 pool by packet hash, else the translator's own IPv4 address (create()
    // guarantees one of the two).
    net::Ipv4Address icmp_error_source(std::uint32_t hash) const noexcept;

    // RFC 7757 hairpinning: an IPv6 destination under pool6 whose embedded IPv4 address is
    // itself covered by an EAM belongs to an IPv6 node behind this translator. Translated to
    // IPv4, the packet would only come back; this gives the EAM IPv6 address to send it to, so
    // the translator can hairpin at once. nullopt when the destination is not such an address.
    std::optional<net::Ipv6Address> hairpin_destination(
        const net::Ipv6Address& destination) const noexcept;

    const std::optional<Rfc6052Prefix>& pool6() const noexcept { return pool6_; }
    const EamTable& eam() const noexcept { return eam_; }
    const Rfc6791Pool& rfc6791_pool() const noexcept { return rfc6791_pool_; }
    const std::optional<net::Ipv4Address>& own_ipv4() const noexcept { return own_ipv4_; }
    const std::optional<net::Ipv6Address>& own_ipv6() const noexcept { return own_ipv6_; }

private:
    explicit AddressMapping(AddressMappingConfig config) noexcept;

    std::optional<Rfc6052Prefix> pool6_;
    EamTable eam_;
    Rfc6791Pool rfc6791_pool_;
    std::optional<net::Ipv4Address> own_ipv4_;
    std::optional<net::Ipv6Address> own_ipv6_;
};

}  // namespace sixgate::xlat
