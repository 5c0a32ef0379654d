#include "plat/bib.hpp"

#include "plat/hash_index.hpp"

namespace sixgate::plat {
namespace {

std::uint64_t load64(const net::Ipv6Address& address, int offset) noexcept {
    std::uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = value << 8 | address.bytes()[offset + i];
    return value;
}

}  // namespace

std::uint64_t address_hash(const net::Ipv6Address& address, std::uint64_t seed) noexcept {
    return mix64(load64(address, 0) ^ seed) ^ mix64(load64(address, 8) + seed);
}

std::uint64_t bib_hash6(L4Protocol protocol, const Ipv6Transport& transport,
                        std::uint64_t seed) noexcept {
    return mix64(address_hash(transport.address, seed) ^
                 (std::uint64_t{transport.port} << 8 | static_cast<std::uint64_t>(protocol)));
}

std::uint64_t bib_hash4(L4Protocol protocol, const Ipv4Transport& transport,
                        std::uint64_t seed) noexcept {
    return mix64((std::uint64_t{transport.address.to_uint()} << 24 |
                  std::uint64_t{transport.port} << 8 | static_cast<std::uint64_t>(protocol)) ^
                 seed);
}

std::string to_string(const Ipv6Transport& transport) {
    return "[" + transport.address.to_string() + "]:" + std::to_string(transport.port);
}

std::string to_string(const Ipv4Transport& transport) {
    return transport.address.to_string() + ":" + std::to_string(transport.port);
}

}  // namespace sixgate::plat
