#pragma once
// Looks up the fields scapy dissected for a packet vector (see make_packet_vectors.py).

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/ip_address.hpp"
#include "packet_vectors.hpp"

namespace sixgate::net::packet::vectors {

// A field scapy dissected, e.g. number(kIpv6Chain, "IPv6ExtHdrFragment.id"); "Layer.@start" is
// where the layer starts. A missing field fails the test.
inline std::uint64_t number(const PacketVector& vector, std::string_view name) {
    for (const auto& field : vector.numbers) {
        if (field.name == name) return field.value;
    }
    ADD_FAILURE() << vector.name << " has no number field " << name;
    return 0;
}

inline std::string_view text(const PacketVector& vector, std::string_view name) {
    for (const auto& field : vector.texts) {
        if (field.name == name) return field.value;
    }
    ADD_FAILURE() << vector.name << " has no text field " << name;
    return {};
}

inline Ipv4Address ipv4(const PacketVector& vector, std::string_view name) {
    auto address = Ipv4Address::parse(text(vector, name));
    return address.ok() ? *address : Ipv4Address();
}

inline Ipv6Address ipv6(const PacketVector& vector, std::string_view name) {
    auto address = Ipv6Address::parse(text(vector, name));
    return address.ok() ? *address : Ipv6Address();
}

inline std::span<const std::byte> bytes(const PacketVector& vector) {
    return std::as_bytes(vector.bytes);
}

inline std::vector<std::byte> copy(const PacketVector& vector) {
    const auto view = bytes(vector);
    return {view.begin(), view.end()};
}

}  // namespace sixgate::net::packet::vectors
