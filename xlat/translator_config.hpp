#pragma once
// The stateless translator (RFC 7915) as the config describes it: RFC 6052 pool6, RFC 7757 EAM,
// RFC 6791 pool, own addresses, RFC 7915 4.1/4.5 settings. Entry point: make_translator.
// Shared by the CLAT, the PLAT and `sixgate translate`, so all three read `translation:` alike.

#include <optional>
#include <span>

#include "config/config.hpp"
#include "net/ip_prefix.hpp"
#include "net/result.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/translation.hpp"

namespace sixgate::xlat {

// What translate_ipv4_to_ipv6 / translate_ipv6_to_ipv4 take, built once on the control plane.
struct TranslatorParts {
    AddressMapping mapping;
    TranslatorSettings settings;
};

// Builds the mapping and settings the live translators and `sixgate translate` use from the
// config's `translation:` section plus a pool6 prefix (the CLAT's PLAT prefix, the PLAT's prefix,
// or --pool6) and extra EAM entries placed before the configured ones (the CLAT's own
// 192.0.0.1 <-> its IPv6 address). Errors say what is wrong (e.g. no pool6 and no EAM; pool6 not
// an RFC 6052 length; EAM overlap), every problem found on its own line.
//
// Mapped: eam, rfc6791_pool, ipv4_address / ipv6_address (own addresses for the ICMP errors the
// translator originates), lowest_ipv6_mtu, udp_zero_checksum. The settings that are not in the
// config keep TranslatorSettings' defaults: next-hop MTUs unknown, TTL decremented (a router);
// the caller sets them when it knows better.
Result<TranslatorParts> make_translator(const config::TranslationConfig& translation,
                                        std::optional<net::Ipv6Prefix> pool6,
                                        std::span<const config::EamEntry> extra_eam = {});

}  // namespace sixgate::xlat
