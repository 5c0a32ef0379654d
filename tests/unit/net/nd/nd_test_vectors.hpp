#pragma once
// The ND test vectors: each value as sixgate's types, and its expected bytes as hex. The same
// vectors are built independently with scapy in nd_scapy_vectors.py (same names); dissector_test
// checks that scapy produces exactly these bytes.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/nd/options.hpp"
#include "net/nd/router_messages.hpp"

namespace sixgate::net::nd::test {

inline std::vector<std::uint8_t> from_hex(std::string_view hex) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(
            static_cast<std::uint8_t>(std::stoul(std::string(hex.substr(i, 2)), nullptr, 16)));
    return bytes;
}

inline std::string to_hex(std::span<const std::uint8_t> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (std::uint8_t b : bytes) {
        hex += kDigits[b >> 4];
        hex += kDigits[b & 0xf];
    }
    return hex;
}

inline Ipv6Address address(std::string_view text) { return *Ipv6Address::parse(text); }
inline Ipv6Prefix prefix(std::string_view text) { return *Ipv6Prefix::parse(text); }

// Expected bytes, one per vector name of nd_scapy_vectors.py.
namespace hex {
inline constexpr std::string_view kSlla = "010102005e005301";
inline constexpr std::string_view kMtu = "05010000000005c8";
inline constexpr std::string_view kPio =
    "030440c000015180000038400000000020010db8000100020000000000000000";
inline constexpr std::string_view kPioOffLink =
    "03043800ffffffff000007080000000020010db8000500000000000000000000";
inline constexpr std::string_view kRio0 = "1801001800000258";
inline constexpr std::string_view kRio48 = "180230080000070820010db801000000";
inline constexpr std::string_view kRio96 = "18036000000003840064ff9b000000000000000000000000";
inline constexpr std::string_view kRdnss =
    "19050000000004b020010db800000000000000000000005320010db8000000000000000000005353";
inline constexpr std::string_view kDnssl =
    "1f050000000004b004636f7270076578616d706c6500076578616d706c6503636f6d000000000000";
inline constexpr std::string_view kPref64Of96 = "260207080064ff9b0000000000000000";
inline constexpr std::string_view kPref64Of56 = "2602025a20010db80064640000000000";
inline constexpr std::string_view kPref64Of32 = "2602fffd20010db80000000000000000";
// RA fe80::1 -> ff02::1 with checksum: hop limit 64, O, preference high, lifetime 1800,
// reachable 30000 ms, retrans 1000 ms; options slla, mtu, pio, rio_48, rdnss, dnssl, pref64_96.
inline constexpr std::string_view kRaFull =
    "860019244048070800007530000003e8"
    "010102005e005301"
    "05010000000005c8"
    "030440c000015180000038400000000020010db8000100020000000000000000"
    "180230080000070820010db801000000"
    "19050000000004b020010db800000000000000000000005320010db8000000000000000000005353"
    "1f050000000004b004636f7270076578616d706c6500076578616d706c6503636f6d000000000000"
    "260207080064ff9b0000000000000000";
// RA fe80::1 -> ff02::1: M set, router lifetime 0, no options.
inline constexpr std::string_view kRaNotDefaultRouter = "86007baf008000000000000000000000";
// RS fe80::2 -> ff02::2 with a source link-layer address; RS :: -> ff02::2 without.
inline constexpr std::string_view kRsSlla = "8500c92900000000010102005e005302";
inline constexpr std::string_view kRsUnspecified = "85007bb800000000";
}  // namespace hex

inline SourceLinkLayerAddressOption slla() { return {{0x02, 0x00, 0x5e, 0x00, 0x53, 0x01}}; }
inline MtuOption mtu() { return {1480}; }
inline PrefixInformationOption pio() {
    return {prefix("2001:db8:1:2::/64"), true, true, 86400, 14400};
}
inline PrefixInformationOption pio_off_link() {
    return {prefix("2001:db8:5::/56"), false, false, kInfiniteLifetime, 1800};
}
inline RouteInformationOption rio_0() { return {prefix("::/0"), RoutePreference::low, 600}; }
inline RouteInformationOption rio_48() {
    return {prefix("2001:db8:100::/48"), RoutePreference::high, 1800};
}
inline RouteInformationOption rio_96() {
    return {prefix("64:ff9b::/96"), RoutePreference::medium, 900};
}
inline RdnssOption rdnss() { return {1200, {address("2001:db8::53"), address("2001:db8::5353")}}; }
inline DnsslOption dnssl() { return {1200, {"corp.example", "example.com"}}; }
inline Pref64Option pref64_96() { return {prefix("64:ff9b::/96"), 225}; }
inline Pref64Option pref64_56() { return {prefix("2001:db8:64:6400::/56"), 75}; }
inline Pref64Option pref64_32() { return {prefix("2001:db8::/32"), 8191}; }

inline const Ipv6Address kRouterLinkLocal = address("fe80::1");
inline const Ipv6Address kAllNodes = address("ff02::1");
inline const Ipv6Address kHostLinkLocal = address("fe80::2");
inline const Ipv6Address kAllRouters = address("ff02::2");

inline RouterAdvertisement ra_full() {
    RouterAdvertisement ra;
    ra.cur_hop_limit = 64;
    ra.other_config = true;
    ra.router_preference = RoutePreference::high;
    ra.router_lifetime = 1800;
    ra.reachable_time = 30000;
    ra.retrans_timer = 1000;
    ra.options = {slla(), mtu(), pio(), rio_48(), rdnss(), dnssl(), pref64_96()};
    return ra;
}

inline RouterAdvertisement ra_not_default_router() {
    RouterAdvertisement ra;
    ra.managed = true;
    return ra;
}

inline RouterSolicitation rs_slla() {
    return {SourceLinkLayerAddressOption{{0x02, 0x00, 0x5e, 0x00, 0x53, 0x02}}};
}

}  // namespace sixgate::net::nd::test
