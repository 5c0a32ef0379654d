#pragma once
// One parser per ND option. Each takes one whole option, type and Length bytes first (as an
// NdOptionView holds it, or as the kernel delivers it in RTM_NEWNDUSEROPT), reads the Length x 8
// bytes it declares, and returns the value or why it is unusable:
//   too_short            fewer than 2 bytes, or fewer than Length x 8
//   wrong_type           the type byte is another option's
//   zero_length_option   Length 0
//   bad_option_contents  a Length or field the option's format does not allow
// Bytes after Length x 8 are not read.

#include <cstdint>
#include <span>

#include "net/nd/drop_reason.hpp"
#include "net/nd/options.hpp"

namespace sixgate::net::nd {

NdParseResult<SourceLinkLayerAddressOption> parse_source_link_layer_address_option(
    std::span<const std::uint8_t> option) noexcept;
NdParseResult<MtuOption> parse_mtu_option(std::span<const std::uint8_t> option) noexcept;
NdParseResult<PrefixInformationOption> parse_prefix_information_option(
    std::span<const std::uint8_t> option) noexcept;
// RFC 4191 2.3: a reserved preference, or a Length too short for the prefix length, makes the
// option one to ignore: bad_option_contents.
NdParseResult<RouteInformationOption> parse_route_information_option(
    std::span<const std::uint8_t> option) noexcept;
NdParseResult<RdnssOption> parse_rdnss_option(std::span<const std::uint8_t> option);
NdParseResult<DnsslOption> parse_dnssl_option(std::span<const std::uint8_t> option);
// RFC 8781 4: Length other than 2, or an undefined Prefix Length Code: bad_option_contents.
NdParseResult<Pref64Option> parse_pref64_option(std::span<const std::uint8_t> option) noexcept;

}  // namespace sixgate::net::nd
