#include "net/nd/option_parsers.hpp"

#include <algorithm>

#include "net/byte_order.hpp"

namespace sixgate::net::nd {
namespace {

// The option's Length x 8 bytes after the common checks, or why they failed.
NdParseResult<std::span<const std::uint8_t>> option_bytes(std::span<const std::uint8_t> option,
                                                          NdOptionType type) noexcept {
    if (option.size() < 2) return NdDropReason::too_short;
    if (option[0] != static_cast<std::uint8_t>(type)) return NdDropReason::wrong_type;
    const std::size_t length = std::size_t{option[1]} * 8;
    if (length == 0) return NdDropReason::zero_length_option;
    if (length > option.size()) return NdDropReason::too_short;
    return option.first(length);
}

// A prefix from `available` leading bytes (the rest zero) with host bits cleared: the bits after
// the prefix length are reserved, and receivers ignore them (RFC 4861 4.6.2, RFC 4191 2.3).
Ipv6Prefix read_prefix(std::span<const std::uint8_t> available, int length) noexcept {
    Ipv6Address::Bytes bytes{};
    std::copy_n(available.begin(), std::min(available.size(), bytes.size()), bytes.begin());
    return Ipv6Prefix(Ipv6Address(bytes), length);
}

bool is_label_byte(std::uint8_t c) {
    return c > 0x20 && c < 0x7f && c != '.';
}

}  // namespace

NdParseResult<SourceLinkLayerAddressOption> parse_source_link_layer_address_option(
    std::span<const std::uint8_t> option) noexcept {
    auto bytes = option_bytes(option, NdOptionType::source_link_layer_address);
    if (!bytes) return bytes.reason();
    // Ethernet (RFC 2464 6): exactly one unit, six address bytes.
    if (bytes->size() != 8) return NdDropReason::bad_option_contents;
    SourceLinkLayerAddressOption result;
    std::copy_n(bytes->begin() + 2, result.address.size(), result.address.begin());
    return result;
}

NdParseResult<MtuOption> parse_mtu_option(std::span<const std::uint8_t> option) noexcept {
    auto bytes = option_bytes(option, NdOptionType::mtu);
    if (!bytes) return bytes.reason();
    if (bytes->size() != 8) return NdDropReason::bad_option_contents;  // RFC 4861 4.6.4: Length 1
    return MtuOption{load_be32(*bytes, 4)};
}

NdParseResult<PrefixInformationOption> parse_prefix_information_option(
    std::span<const std::uint8_t> option) noexcept {
    auto bytes = option_bytes(option, NdOptionType::prefix_information);
    if (!bytes) return bytes.reason();
    const auto& b = *bytes;
    if (b.size() != 32) return NdDropReason::bad_option_contents;  // RFC 4861 4.6.2: Length 4
    if (b[2] > 128) return NdDropReason::bad_option_contents;
    PrefixInformationOption result;
    result.prefix = read_prefix(b.subspan(16), b[2]);
    result.on_link = (b[3] & 0x80) != 0;
    result.autonomous = (b[3] & 0x40) != 0;
    result.valid_lifetime = load_be32(b, 4);
    result.preferred_lifetime = load_be32(b, 8);
    return result;
}

NdParseResult<RouteInformationOption> parse_route_information_option(
    std::span<const std::uint8_t> option) noexcept {
    auto bytes = option_bytes(option, NdOptionType::route_information);
    if (!bytes) return bytes.reason();
    const auto& b = *bytes;
    const int prefix_length = b[2];
    // RFC 4191 2.3: Length is 1..3, and must leave room for the prefix: 2 or more past /0, 3 past
    // /64. A longer Length than needed is allowed.
    if (b.size() > 24 || prefix_length > 128) return NdDropReason::bad_option_contents;
    if (b.size() < std::size_t{route_information_length_units(prefix_length)} * 8)
        return NdDropReason::bad_option_contents;
    const auto preference = static_cast<RoutePreference>((b[3] >> 3) & 0x3);
    // RFC 4191 2.3: an option with the reserved preference is ignored (unlike the RA header's).
    if (preference == RoutePreference::reserved) return NdDropReason::bad_option_contents;
    RouteInformationOption result;
    result.prefix = read_prefix(b.subspan(8), prefix_length);
    result.preference = preference;
    result.route_lifetime = load_be32(b, 4);
    return result;
}

NdParseResult<RdnssOption> parse_rdnss_option(std::span<const std::uint8_t> option) {
    auto bytes = option_bytes(option, NdOptionType::rdnss);
    if (!bytes) return bytes.reason();
    const auto& b = *bytes;
    // RFC 8106 5.1: Length is 1 + 2 per address, at least one address: odd and >= 3.
    if (b.size() < 24 || (b.size() / 8) % 2 == 0) return NdDropReason::bad_option_contents;
    RdnssOption result;
    result.lifetime = load_be32(b, 4);
    result.servers.reserve((b.size() - 8) / 16);
    for (std::size_t at = 8; at + 16 <= b.size(); at += 16) {
        Ipv6Address::Bytes address;
        std::copy_n(b.begin() + at, address.size(), address.begin());
        result.servers.emplace_back(address);
    }
    return result;
}

NdParseResult<DnsslOption> parse_dnssl_option(std::span<const std::uint8_t> option) {
    auto bytes = option_bytes(option, NdOptionType::dnssl);
    if (!bytes) return bytes.reason();
    const auto& b = *bytes;
    if (b.size() < 16) return NdDropReason::bad_option_contents;  // RFC 8106 5.2: Length >= 2
    DnsslOption result;
    result.lifetime = load_be32(b, 4);
    std::size_t at = 8;
    // RFC 8106 5.2: names in RFC 1035 3.1 form, uncompressed, then zero bytes to the end. A zero
    // byte where a name would start is the padding.
    while (at < b.size() && b[at] != 0) {
        std::string name;
        std::size_t encoded = 1;  // the root label
        while (true) {
            if (at >= b.size()) return NdDropReason::bad_option_contents;  // unterminated name
            const std::size_t label = b[at++];
            if (label == 0) break;
            // 64..255 are compression pointers or reserved label types: not allowed here.
            if (label > 63 || label > b.size() - at) return NdDropReason::bad_option_contents;
            encoded += 1 + label;
            if (encoded > 255) return NdDropReason::bad_option_contents;
            if (!name.empty()) name += '.';
            for (std::size_t i = 0; i < label; ++i) {
                if (!is_label_byte(b[at + i])) return NdDropReason::bad_option_contents;
                name += static_cast<char>(b[at + i]);
            }
            at += label;
        }
        result.domains.push_back(std::move(name));
    }
    if (result.domains.empty()) return NdDropReason::bad_option_contents;
    return result;
}

NdParseResult<Pref64Option> parse_pref64_option(std::span<const std::uint8_t> option) noexcept {
    auto bytes = option_bytes(option, NdOptionType::pref64);
    if (!bytes) return bytes.reason();
    const auto& b = *bytes;
    // RFC 8781 4: receivers ignore the option unless Length is 2 and the length code is defined.
    if (b.size() != 16) return NdDropReason::bad_option_contents;
    const std::uint16_t word = load_be16(b, 2);
    const auto prefix_length = pref64_prefix_length(static_cast<std::uint8_t>(word & 0x7));
    if (!prefix_length) return NdDropReason::bad_option_contents;
    Pref64Option result;
    result.scaled_lifetime = static_cast<std::uint16_t>(word >> 3);
    result.prefix = read_prefix(b.subspan(4, 12), *prefix_length);
    return result;
}

}  // namespace sixgate::net::nd
