#include "xlat/translator_config.hpp"

#include <string>
#include <utility>
#include <vector>

#include "xlat/mtu.hpp"

namespace sixgate::xlat {
namespace {

void add_problem(std::string& problems, const std::string& problem) {
    if (!problems.empty()) problems += '\n';
    problems += problem;
}

UdpZeroChecksumAction udp_zero_checksum_action(config::UdpZeroChecksum setting) noexcept {
    switch (setting) {
        case config::UdpZeroChecksum::compute:
            return UdpZeroChecksumAction::compute;
        case config::UdpZeroChecksum::drop:
            return UdpZeroChecksumAction::drop;
    }
    return UdpZeroChecksumAction::compute;
}

}  // namespace

Result<TranslatorParts> make_translator(const config::TranslationConfig& translation,
                                        std::optional<net::Ipv6Prefix> pool6,
                                        std::span<const config::EamEntry> extra_eam) {
    std::string problems;
    AddressMappingConfig mapping;

    if (pool6) {
        auto prefix = Rfc6052Prefix::create(*pool6);
        if (prefix)
            mapping.pool6 = *prefix;
        else
            add_problem(problems, "pool6 " + prefix.error().message);
    }

    // RFC 7757 3.2: the caller's own entries first, then the configured ones; the table refuses
    // a prefix mapped twice (the longest match would tie) and lists every such entry.
    std::vector<EamEntry> entries;
    entries.reserve(extra_eam.size() + translation.eam.size());
    for (const config::EamEntry& entry : extra_eam) entries.push_back({entry.ipv4, entry.ipv6});
    for (const config::EamEntry& entry : translation.eam)
        entries.push_back({entry.ipv4, entry.ipv6});
    auto eam = EamTable::create(entries);
    if (eam)
        mapping.eam = std::move(*eam);
    else
        add_problem(problems, eam.error().message);

    auto rfc6791 = Rfc6791Pool::create(translation.rfc6791_pool);
    if (rfc6791)
        mapping.rfc6791_pool = std::move(*rfc6791);
    else
        add_problem(problems, rfc6791.error().message);

    mapping.own_ipv4 = translation.ipv4_address.value;
    mapping.own_ipv6 = translation.ipv6_address.value;

    TranslatorSettings settings;
    // RFC 7915 4.1: the administrator may raise lowest-ipv6-mtu, never set it below the IPv6
    // minimum (RFC 8200 5); the IPv6 Payload Length caps it at 65535 + 40, the loader at 65535.
    const std::uint32_t lowest = translation.lowest_ipv6_mtu.value;
    if (lowest < kIpv6MinimumMtu || lowest > kIpv4MaximumMtu)
        add_problem(problems, "lowest_ipv6_mtu " + std::to_string(lowest) +
                                  " must be 1280..65535 (RFC 7915 4.1, RFC 8200 5)");
    settings.lowest_ipv6_mtu = lowest;
    settings.udp_zero_checksum = udp_zero_checksum_action(translation.udp_zero_checksum.value);

    // Only a mapping whose parts are all valid is worth the whole-mapping checks: otherwise "no
    // mapping" would be reported for an EAM list that merely had a bad entry.
    if (!problems.empty()) return make_error(std::errc::invalid_argument, std::move(problems));
    auto built = AddressMapping::create(std::move(mapping));
    if (!built) return built.error();
    return TranslatorParts{std::move(*built), settings};
}

}  // namespace sixgate::xlat
