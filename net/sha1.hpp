#pragma once
// SHA-1 (FIPS 180-4), only for the RFC 4193 ULA Global ID; not for anything needing security.

#include <array>
#include <cstdint>
#include <span>

namespace sixgate::net {

using Sha1Digest = std::array<std::uint8_t, 20>;

Sha1Digest sha1(std::span<const std::uint8_t> message) noexcept;

}  // namespace sixgate::net
