#pragma once
// RFC 4193 Unique Local IPv6 Unicast Addresses: the pseudo-random Global ID of section 3.2.2.

#include <array>
#include <cstdint>

#include "net/ip_prefix.hpp"

namespace sixgate::net {

using UlaGlobalId = std::array<std::uint8_t, 5>;
using Eui64 = std::array<std::uint8_t, 8>;

// RFC 4193 3.2.2 steps 3-5: SHA-1 over (NTP time of day, EUI-64), least significant 40 bits.
UlaGlobalId ula_global_id(std::uint64_t ntp_time, const Eui64& eui64) noexcept;

// RFC 4193 3.2.2 step 6: FC00::/7 with the L bit set (so FD00::/8), then the Global ID: a /48.
Ipv6Prefix ula_prefix(const UlaGlobalId& global_id) noexcept;

// True for fd00::/8 (locally assigned ULA, L = 1).
bool is_local_ula(const Ipv6Prefix& prefix) noexcept;

// The EUI-64 built from a 48-bit MAC (FF-FE inserted in the middle, IEEE practice).
Eui64 eui64_from_mac(const std::array<std::uint8_t, 6>& mac) noexcept;

// Step 1: the current time of day in 64-bit NTP format (seconds since 1900, 32-bit fraction).
std::uint64_t ntp_time_now() noexcept;

// Step 2 on this system: the EUI-64 of the first interface with a non-zero MAC, else one derived
// from /etc/machine-id ("a suitably unique identifier, local to the node").
Eui64 system_eui64();

// All steps: a fresh ULA /48 for this system now.
Ipv6Prefix generate_ula_prefix();

}  // namespace sixgate::net
