#include "net/nd/option_builders.hpp"

#include <algorithm>
#include <string>

#include "net/byte_order.hpp"

namespace sixgate::net::nd {
namespace {

Error does_not_fit(std::string_view what, std::size_t needed, std::size_t available) {
    return make_error(std::errc::no_buffer_space, std::string(what) + " needs " +
                                                      std::to_string(needed) + " bytes, " +
                                                      std::to_string(available) + " left");
}

Error invalid(std::string_view what, std::string_view why) {
    return make_error(std::errc::invalid_argument, std::string(what) + ": " + std::string(why));
}

// Zeroes the option's bytes and writes its type and Length; the caller checked the size.
std::span<std::uint8_t> start_option(std::span<std::uint8_t> out, NdOptionType type,
                                     std::size_t length_bytes) {
    auto option = out.first(length_bytes);
    std::fill(option.begin(), option.end(), std::uint8_t{0});
    option[0] = static_cast<std::uint8_t>(type);
    option[1] = static_cast<std::uint8_t>(length_bytes / 8);
    return option;
}

void copy_prefix_bytes(const Ipv6Prefix& prefix, std::span<std::uint8_t> to) {
    const auto& bytes = prefix.address().bytes();
    std::copy_n(bytes.begin(), std::min(to.size(), bytes.size()), to.begin());
}

// A DNSSL label byte: printable ASCII other than '.', so a name survives the text form unchanged.
bool is_label_byte(char c) {
    return c > 0x20 && c < 0x7f && c != '.';
}

// The RFC 1035 3.1 encoding length of a dotted name (labels, then the zero root label), or 0 if
// the name cannot be encoded.
std::size_t encoded_name_length(std::string_view name) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    if (name.empty()) return 0;
    std::size_t total = 1;  // the root label
    while (true) {
        const std::size_t dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        if (label.empty() || label.size() > 63) return 0;
        if (!std::all_of(label.begin(), label.end(), is_label_byte)) return 0;
        total += 1 + label.size();
        if (dot == std::string_view::npos) break;
        name.remove_prefix(dot + 1);
    }
    return total <= 255 ? total : 0;
}

std::size_t write_name(std::string_view name, std::span<std::uint8_t> out) {
    if (!name.empty() && name.back() == '.') name.remove_suffix(1);
    std::size_t at = 0;
    while (true) {
        const std::size_t dot = name.find('.');
        const std::string_view label = name.substr(0, dot);
        out[at++] = static_cast<std::uint8_t>(label.size());
        for (char c : label) out[at++] = static_cast<std::uint8_t>(c);
        if (dot == std::string_view::npos) break;
        name.remove_prefix(dot + 1);
    }
    out[at++] = 0;
    return at;
}

std::size_t round_up_to_8(std::size_t n) {
    return (n + 7) / 8 * 8;
}

}  // namespace

Result<std::size_t> build_source_link_layer_address_option(
    const SourceLinkLayerAddressOption& option, std::span<std::uint8_t> out) {
    constexpr std::size_t kSize = 8;
    if (out.size() < kSize)
        return does_not_fit("source link-layer address option", kSize, out.size());
    auto bytes = start_option(out, NdOptionType::source_link_layer_address, kSize);
    std::copy(option.address.begin(), option.address.end(), bytes.begin() + 2);
    return kSize;
}

Result<std::size_t> build_mtu_option(const MtuOption& option, std::span<std::uint8_t> out) {
    constexpr std::size_t kSize = 8;
    if (out.size() < kSize) return does_not_fit("MTU option", kSize, out.size());
    auto bytes = start_option(out, NdOptionType::mtu, kSize);
    store_be32(bytes, 4, option.mtu);
    return kSize;
}

Result<std::size_t> build_prefix_information_option(const PrefixInformationOption& option,
                                                    std::span<std::uint8_t> out) {
    constexpr std::size_t kSize = 32;
    if (out.size() < kSize) return does_not_fit("prefix information option", kSize, out.size());
    auto bytes = start_option(out, NdOptionType::prefix_information, kSize);
    bytes[2] = static_cast<std::uint8_t>(option.prefix.length());
    bytes[3] =
        static_cast<std::uint8_t>((option.on_link ? 0x80 : 0) | (option.autonomous ? 0x40 : 0));
    store_be32(bytes, 4, option.valid_lifetime);
    store_be32(bytes, 8, option.preferred_lifetime);
    copy_prefix_bytes(option.prefix, bytes.subspan(16));
    return kSize;
}

Result<std::size_t> build_route_information_option(const RouteInformationOption& option,
                                                   std::span<std::uint8_t> out) {
    // RFC 4191 2.3: the reserved preference must not be sent; receivers ignore such an option.
    if (option.preference == RoutePreference::reserved)
        return invalid("route information option for " + option.prefix.to_string(),
                       "route preference 'reserved' (binary 10) cannot be sent");
    const std::size_t size =
        std::size_t{route_information_length_units(option.prefix.length())} * 8;
    if (out.size() < size) return does_not_fit("route information option", size, out.size());
    auto bytes = start_option(out, NdOptionType::route_information, size);
    bytes[2] = static_cast<std::uint8_t>(option.prefix.length());
    bytes[3] = static_cast<std::uint8_t>(static_cast<std::uint8_t>(option.preference) << 3);
    store_be32(bytes, 4, option.route_lifetime);
    copy_prefix_bytes(option.prefix, bytes.subspan(8));  // only the bytes Length leaves room for
    return size;
}

Result<std::size_t> build_rdnss_option(const RdnssOption& option, std::span<std::uint8_t> out) {
    // RFC 8106 5.1: at least one address; Length = 1 + 2 per address must fit in 8 bits.
    if (option.servers.empty()) return invalid("RDNSS option", "no server addresses");
    if (option.servers.size() > 127)
        return invalid("RDNSS option", "more than 127 server addresses");
    const std::size_t size = 8 + 16 * option.servers.size();
    if (out.size() < size) return does_not_fit("RDNSS option", size, out.size());
    auto bytes = start_option(out, NdOptionType::rdnss, size);
    store_be32(bytes, 4, option.lifetime);
    std::size_t at = 8;
    for (const auto& server : option.servers) {
        std::copy(server.bytes().begin(), server.bytes().end(), bytes.begin() + at);
        at += 16;
    }
    return size;
}

Result<std::size_t> build_dnssl_option(const DnsslOption& option, std::span<std::uint8_t> out) {
    if (option.domains.empty()) return invalid("DNSSL option", "no domain names");
    std::size_t names_length = 0;
    for (const auto& domain : option.domains) {
        const std::size_t length = encoded_name_length(domain);
        if (length == 0)
            return invalid("DNSSL option", "'" + domain +
                                               "' is not a domain name (labels of 1..63 printable "
                                               "characters, at most 255 bytes encoded)");
        names_length += length;
    }
    // RFC 8106 5.2: the names, uncompressed, then zero padding up to a multiple of 8 bytes.
    const std::size_t size = round_up_to_8(8 + names_length);
    if (size > 255 * 8) return invalid("DNSSL option", "domain names exceed 2032 bytes");
    if (out.size() < size) return does_not_fit("DNSSL option", size, out.size());
    auto bytes = start_option(out, NdOptionType::dnssl, size);
    store_be32(bytes, 4, option.lifetime);
    std::size_t at = 8;
    for (const auto& domain : option.domains) at += write_name(domain, bytes.subspan(at));
    return size;
}

Result<std::size_t> build_pref64_option(const Pref64Option& option, std::span<std::uint8_t> out) {
    const auto code = pref64_length_code(option.prefix.length());
    if (!code)
        return invalid("PREF64 option for " + option.prefix.to_string(),
                       "prefix length must be 96, 64, 56, 48, 40 or 32 (RFC 8781 4)");
    if (option.scaled_lifetime > Pref64Option::kMaxScaledLifetime)
        return invalid("PREF64 option", "scaled lifetime " +
                                            std::to_string(option.scaled_lifetime) +
                                            " exceeds 8191 (13 bits of 8 s units)");
    constexpr std::size_t kSize = 16;
    if (out.size() < kSize) return does_not_fit("PREF64 option", kSize, out.size());
    auto bytes = start_option(out, NdOptionType::pref64, kSize);
    // RFC 8781 4: the lifetime takes the high 13 bits of the word, the length code the low 3.
    store_be16(bytes, 2, static_cast<std::uint16_t>(option.scaled_lifetime << 3 | *code));
    copy_prefix_bytes(option.prefix, bytes.subspan(4, 12));  // the prefix's first 96 bits
    return kSize;
}

Result<std::size_t> build_option(const NdOption& option, std::span<std::uint8_t> out) {
    return std::visit(
        [&](const auto& value) -> Result<std::size_t> {
            using T = std::decay_t<decltype(value)>;
            if constexpr (std::is_same_v<T, SourceLinkLayerAddressOption>)
                return build_source_link_layer_address_option(value, out);
            else if constexpr (std::is_same_v<T, MtuOption>)
                return build_mtu_option(value, out);
            else if constexpr (std::is_same_v<T, PrefixInformationOption>)
                return build_prefix_information_option(value, out);
            else if constexpr (std::is_same_v<T, RouteInformationOption>)
                return build_route_information_option(value, out);
            else if constexpr (std::is_same_v<T, RdnssOption>)
                return build_rdnss_option(value, out);
            else if constexpr (std::is_same_v<T, DnsslOption>)
                return build_dnssl_option(value, out);
            else
                return build_pref64_option(value, out);
        },
        option);
}

}  // namespace sixgate::net::nd
