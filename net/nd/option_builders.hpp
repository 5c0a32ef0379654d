#pragma once
// One builder per ND option (the radvd send.c shape). Each writes the whole option, type and
// Length included, at the start of `out` and returns the bytes written: a multiple of 8. Nothing
// is allocated; an option that does not fit, or whose values the format cannot carry, is an error
// and `out` may then hold a partial option.

#include <cstddef>
#include <cstdint>
#include <span>

#include "net/nd/options.hpp"
#include "net/result.hpp"

namespace sixgate::net::nd {

Result<std::size_t> build_source_link_layer_address_option(
    const SourceLinkLayerAddressOption& option, std::span<std::uint8_t> out);
Result<std::size_t> build_mtu_option(const MtuOption& option, std::span<std::uint8_t> out);
Result<std::size_t> build_prefix_information_option(const PrefixInformationOption& option,
                                                    std::span<std::uint8_t> out);
// Uses the shortest Length the prefix length allows (RFC 4191 2.3): 1 for /0, 2 up to /64, else 3.
Result<std::size_t> build_route_information_option(const RouteInformationOption& option,
                                                   std::span<std::uint8_t> out);
Result<std::size_t> build_rdnss_option(const RdnssOption& option, std::span<std::uint8_t> out);
Result<std::size_t> build_dnssl_option(const DnsslOption& option, std::span<std::uint8_t> out);
Result<std::size_t> build_pref64_option(const Pref64Option& option, std::span<std::uint8_t> out);

// Whichever builder fits the alternative held.
Result<std::size_t> build_option(const NdOption& option, std::span<std::uint8_t> out);

}  // namespace sixgate::net::nd
