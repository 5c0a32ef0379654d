#include "xlat/address_mapping.hpp"

#include <utility>

namespace sixgate::xlat {

std::string_view to_string(MappingFailure failure) noexcept {
    switch (failure) {
        case MappingFailure::no_match:
            return "no_address_mapping";
        case MappingFailure::well_known_prefix_non_global:
            return "well_known_prefix_non_global";
    }
    return "unknown";
}

AddressMapping::AddressMapping(AddressMappingConfig config) noexcept
    : pool6_(std::move(config.pool6)),
      eam_(std::move(config.eam)),
      rfc6791_pool_(std::move(config.rfc6791_pool)),
      own_ipv4_(config.own_ipv4),
      own_ipv6_(config.own_ipv6) {}

Result<AddressMapping> AddressMapping::create(AddressMappingConfig config) {
    std::string problems;
    if (!config.pool6 && config.eam.empty())
        problems =
            "the translator has no address mapping: configure a pool6 prefix (RFC 6052) or at "
            "least one "
            "EAM entry (RFC 7757)";
    if (config.rfc6791_pool.empty() && !config.own_ipv4) {
        if (!problems.empty()) problems += '\n';
        problems +=
            "translated ICMP errors from unmapped IPv6 routers need an IPv4 source: configure an "
            "rfc6791_pool (RFC 6791) or the translator's own ipv4_address";
    }
    if (!problems.empty()) return make_error(std::errc::invalid_argument, std::move(problems));
    return AddressMapping(std::move(config));
}

MappingResult<net::Ipv6Address> AddressMapping::try_map_ipv4_to_ipv6(
    net::Ipv4Address address) const noexcept {
    // RFC 7757 3.2: an EAM match wins over the RFC 6052 prefix.
    if (const EamEntry* entry = eam_.find_ipv4(address))
        return EamTable::translate(*entry, address);
    if (!pool6_) return MappingFailure::no_match;
    // RFC 6052 3.1: never build a WKP address around a non-global IPv4 address; drop instead.
    if (!pool6_->allowed(address)) return MappingFailure::well_known_prefix_non_global;
    return pool6_->embed(address);
}

std::optional<net::Ipv6Address> AddressMapping::map_ipv4_to_ipv6(
    net::Ipv4Address address) const noexcept {
    auto mapped = try_map_ipv4_to_ipv6(address);
    if (!mapped) return std::nullopt;
    return *mapped;
}

MappingResult<net::Ipv4Address> AddressMapping::try_map_ipv6_to_ipv4(
    const net::Ipv6Address& address) const noexcept {
    // RFC 7757 3.2: an EAM match wins over the RFC 6052 prefix.
    if (const EamEntry* entry = eam_.find_ipv6(address))
        return EamTable::translate(*entry, address);
    if (!pool6_) return MappingFailure::no_match;
    const std::optional<net::Ipv4Address> embedded = pool6_->extract(address);
    if (!embedded) return MappingFailure::no_match;
    // RFC 6052 3.1: a WKP address holding a non-global IPv4 address must be dropped.
    if (!pool6_->allowed(*embedded)) return MappingFailure::well_known_prefix_non_global;
    return *embedded;
}

std::optional<net::Ipv4Address> AddressMapping::map_ipv6_to_ipv4(
    const net::Ipv6Address& address) const noexcept {
    auto mapped = try_map_ipv6_to_ipv4(address);
    if (!mapped) return std::nullopt;
    return *mapped;
}

net::Ipv4Address AddressMapping::icmp_error_source(std::uint32_t hash) const noexcept {
    if (!rfc6791_pool_.empty()) return rfc6791_pool_.pick(hash);
    // No pool: the translator's own address (create() refused a mapping with neither).
    return own_ipv4_.value_or(net::Ipv4Address());
}

std::optional<net::Ipv6Address> AddressMapping::hairpin_destination(
    const net::Ipv6Address& destination) const noexcept {
    // A destination an EAM covers is translated by that EAM (RFC 7757 3.2), never through pool6,
    // so only pool6 destinations can loop back.
    if (!pool6_ || eam_.find_ipv6(destination)) return std::nullopt;
    const std::optional<net::Ipv4Address> embedded = pool6_->extract(destination);
    // RFC 6052 3.1 still holds: such a WKP destination is dropped, not hairpinned.
    if (!embedded || !pool6_->allowed(*embedded)) return std::nullopt;
    return eam_.to_ipv6(*embedded);
}

}  // namespace sixgate::xlat
