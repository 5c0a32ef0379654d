#pragma once
// ND option values: source link-layer address and MTU (RFC 4861 4.6.1, 4.6.4), prefix information
// (RFC 4861 4.6.2), route information (RFC 4191 2.3), RDNSS and DNSSL (RFC 8106 5.1, 5.2) and
// PREF64 (RFC 8781 4). Plain values; option_builders.hpp writes them, option_parsers.hpp reads
// them.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"

namespace sixgate::net::nd {

// Option type numbers (IANA "IPv6 Neighbor Discovery Option Formats").
enum class NdOptionType : std::uint8_t {
    source_link_layer_address = 1,
    target_link_layer_address = 2,
    prefix_information = 3,
    redirected_header = 4,
    mtu = 5,
    route_information = 24,
    rdnss = 25,
    dnssl = 31,
    pref64 = 38,
};

// Lifetimes of all ones mean infinity (RFC 4861 4.6.2, RFC 4191 2.3, RFC 8106 5.1).
inline constexpr std::uint32_t kInfiniteLifetime = 0xffffffff;

// The 2-bit preference of RFC 4191 2.1, as it is encoded on the wire.
enum class RoutePreference : std::uint8_t {
    medium = 0b00,
    high = 0b01,
    reserved = 0b10,
    low = 0b11
};

std::string_view to_string(RoutePreference preference) noexcept;

using MacAddress = std::array<std::uint8_t, 6>;

// RFC 4861 4.6.1 on Ethernet (RFC 2464 6): Length 1, six address bytes.
struct SourceLinkLayerAddressOption {
    MacAddress address{};
    bool operator==(const SourceLinkLayerAddressOption&) const = default;
};

struct MtuOption {
    std::uint32_t mtu = 0;
    bool operator==(const MtuOption&) const = default;
};

struct PrefixInformationOption {
    Ipv6Prefix prefix;
    bool on_link = true;                   // L
    bool autonomous = true;                // A: usable for SLAAC
    std::uint32_t valid_lifetime = 0;      // seconds
    std::uint32_t preferred_lifetime = 0;  // seconds
    bool operator==(const PrefixInformationOption&) const = default;
};

struct RouteInformationOption {
    Ipv6Prefix prefix;
    RoutePreference preference = RoutePreference::medium;  // never reserved once parsed
    std::uint32_t route_lifetime = 0;                      // seconds
    bool operator==(const RouteInformationOption&) const = default;
};

struct RdnssOption {
    std::uint32_t lifetime = 0;  // seconds
    std::vector<Ipv6Address> servers;
    bool operator==(const RdnssOption&) const = default;
};

struct DnsslOption {
    std::uint32_t lifetime = 0;  // seconds
    // Dotted names without the trailing dot, e.g. "corp.example". Labels are 1..63 printable
    // ASCII bytes other than '.'; each name encodes to at most 255 bytes (RFC 1035 2.3.4).
    std::vector<std::string> domains;
    bool operator==(const DnsslOption&) const = default;
};

struct Pref64Option {
    // RFC 8781 4: only /96, /64, /56, /48, /40 and /32 have a Prefix Length Code.
    Ipv6Prefix prefix;
    // In units of 8 seconds, 13 bits: 0..8191.
    std::uint16_t scaled_lifetime = 0;

    static constexpr std::uint16_t kMaxScaledLifetime = 8191;

    std::uint32_t lifetime_seconds() const noexcept { return std::uint32_t{scaled_lifetime} * 8; }
    // Seconds rounded up to a multiple of 8 (a lifetime must not end early), capped at 8191 units.
    static std::uint16_t scaled_lifetime_from_seconds(std::uint32_t seconds) noexcept;

    bool operator==(const Pref64Option&) const = default;
};

// RFC 4191 2.3: the shortest Length (units of 8 bytes) a route information option may have for a
// prefix length 0..128: 1 for /0, 2 up to /64, else 3.
std::uint8_t route_information_length_units(int prefix_length) noexcept;

// RFC 8781 4: the Prefix Length Code for a prefix length, or nullopt if it has none.
std::optional<std::uint8_t> pref64_length_code(int prefix_length) noexcept;
// The prefix length for a Prefix Length Code, or nullopt for the undefined codes 6 and 7.
std::optional<int> pref64_prefix_length(std::uint8_t length_code) noexcept;

// An option sixgate understands, in message order.
using NdOption = std::variant<SourceLinkLayerAddressOption, MtuOption, PrefixInformationOption,
                              RouteInformationOption, RdnssOption, DnsslOption, Pref64Option>;

}  // namespace sixgate::net::nd
