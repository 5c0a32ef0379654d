#pragma once
// The translator set-up the scapy vectors assume (make_6to4_vectors.py's docstring), and helpers
// to run one packet through translate_ipv6_to_ipv4.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/packet/packet_buffer.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/translation.hpp"

namespace sixgate::xlat::testing {

// "nsp": pool6 2001:db8:64::/96; "wkp": 64:ff9b::/96; "nsp_no_own6": nsp without an own IPv6
// address. All: EAM 2001:db8:aaaa::/120 = 192.0.2.0/24, RFC 6791 pool 203.0.113.99/32, own IPv4
// 203.0.113.1, own IPv6 2001:db8:ffff::1.
inline AddressMapping make_mapping(std::string_view name) {
    const auto p4 = [](std::string_view text) { return *net::Ipv4Prefix::parse(text); };
    const auto p6 = [](std::string_view text) { return *net::Ipv6Prefix::parse(text); };
    AddressMappingConfig config;
    config.pool6 = name == "wkp" ? Rfc6052Prefix::well_known()
                                 : *Rfc6052Prefix::create(p6("2001:db8:64::/96"));
    const EamEntry entries[] = {{p4("192.0.2.0/24"), p6("2001:db8:aaaa::/120")}};
    config.eam = *EamTable::create(entries);
    const net::Ipv4Prefix pool[] = {p4("203.0.113.99/32")};
    config.rfc6791_pool = *Rfc6791Pool::create(pool);
    config.own_ipv4 = *net::Ipv4Address::parse("203.0.113.1");
    if (name != "nsp_no_own6") config.own_ipv6 = *net::Ipv6Address::parse("2001:db8:ffff::1");
    auto mapping = AddressMapping::create(std::move(config));
    EXPECT_TRUE(mapping.ok());
    return std::move(mapping).value();
}

inline const AddressMapping& mapping_named(std::string_view name) {
    static const AddressMapping nsp = make_mapping("nsp");
    static const AddressMapping wkp = make_mapping("wkp");
    static const AddressMapping no_own6 = make_mapping("nsp_no_own6");
    if (name == "wkp") return wkp;
    if (name == "nsp_no_own6") return no_own6;
    return nsp;
}

inline std::span<const std::byte> as_bytes(std::span<const std::uint8_t> bytes) {
    return std::as_bytes(bytes);
}

inline std::vector<std::uint8_t> to_vector(std::span<const std::byte> bytes) {
    std::vector<std::uint8_t> out;
    for (const auto b : bytes) out.push_back(std::to_integer<std::uint8_t>(b));
    return out;
}

// One PacketBuffer per test thread: 64 KiB never goes on the stack.
inline net::packet::PacketBuffer& scratch_buffer() {
    static thread_local auto buffer = std::make_unique<net::packet::PacketBuffer>();
    return *buffer;
}

}  // namespace sixgate::xlat::testing
