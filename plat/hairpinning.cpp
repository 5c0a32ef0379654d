#include "plat/hairpinning.hpp"

#include <cstring>

#include "plat/outgoing_tuple.hpp"

namespace sixgate::plat {

bool is_hairpin(const SessionTable& table, net::Ipv4Address destination) noexcept {
    return table.owns_ipv4(destination);
}

xlat::TranslatorSettings hairpin_settings(const xlat::TranslatorSettings& settings) noexcept {
    xlat::TranslatorSettings second = settings;
    second.decrement_ttl = false;
    return second;
}

bool rewrite_hairpin_source(std::span<std::byte> packet, std::size_t upper_layer_at,
                            L4Protocol protocol, const xlat::Rfc6052Prefix& pool6) noexcept {
    if (packet.size() < 40) return false;
    net::Ipv6Address::Bytes source{};
    std::memcpy(source.data(), packet.data() + 8, source.size());
    const net::Ipv6Address stand_in(source);
    if (!is_stand_in(stand_in)) return false;
    const net::Ipv4Address sender(static_cast<std::uint32_t>(source[12]) << 24 |
                                  static_cast<std::uint32_t>(source[13]) << 16 |
                                  static_cast<std::uint32_t>(source[14]) << 8 | source[15]);
    (void)rewrite_ipv6_endpoint(packet, {8, upper_layer_at, protocol, true},
                                {pool6.embed(sender), 0}, false);
    return true;
}

}  // namespace sixgate::plat
