#pragma once
// IANA Assigned Internet Protocol Numbers used by the views: IPv4 Protocol and IPv6 Next Header
// share one registry.

#include <cstdint>

namespace sixgate::net::packet {

inline constexpr std::uint8_t kProtoHopByHop = 0;             // RFC 8200 4.3
inline constexpr std::uint8_t kProtoIcmp = 1;                 // RFC 792
inline constexpr std::uint8_t kProtoIpv4 = 4;                 // IPv4 in IP
inline constexpr std::uint8_t kProtoTcp = 6;                  // RFC 9293
inline constexpr std::uint8_t kProtoUdp = 17;                 // RFC 768
inline constexpr std::uint8_t kProtoIpv6 = 41;                // IPv6 in IP (RFC 4213, ISATAP)
inline constexpr std::uint8_t kProtoRouting = 43;             // RFC 8200 4.4
inline constexpr std::uint8_t kProtoFragment = 44;            // RFC 8200 4.5
inline constexpr std::uint8_t kProtoEsp = 50;                 // RFC 4303
inline constexpr std::uint8_t kProtoAh = 51;                  // RFC 4302
inline constexpr std::uint8_t kProtoIcmpv6 = 58;              // RFC 4443
inline constexpr std::uint8_t kProtoNoNextHeader = 59;        // RFC 8200 4.7
inline constexpr std::uint8_t kProtoDestinationOptions = 60;  // RFC 8200 4.6
inline constexpr std::uint8_t kProtoMobility = 135;           // RFC 6275
inline constexpr std::uint8_t kProtoHip = 139;                // RFC 7401
inline constexpr std::uint8_t kProtoShim6 = 140;              // RFC 5533
inline constexpr std::uint8_t kProtoExperimental1 = 253;      // RFC 3692
inline constexpr std::uint8_t kProtoExperimental2 = 254;      // RFC 3692

}  // namespace sixgate::net::packet
