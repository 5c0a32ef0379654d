#pragma once
// RFC 6146 3.4 / 3.5 for fragments arriving from the IPv4 side: only the first fragment carries
// the ports that find the session, so the IPv6 client it went to is remembered under the
// datagram's (source, destination, protocol, Identification) (RFC 791 3.2's reassembly key) for
// the fragments that follow. Entry point: FragmentFlows.
//
// A fixed, direct-mapped table: no allocation per packet, a newer datagram overwrites an older one
// in its slot, entries go stale after kLifetime. Striped locks keep the data-path threads apart.
// IPv6-side fragments need no table: a later fragment takes the client's paired pool4 address
// (SessionTable::paired_address) and has no ports to rewrite.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "net/ip_address.hpp"
#include "plat/plat_types.hpp"

namespace sixgate::plat {

struct FragmentKey {
    net::Ipv4Address source;
    net::Ipv4Address destination;
    std::uint8_t protocol = 0;
    std::uint16_t identification = 0;
    bool operator==(const FragmentKey&) const = default;
};

class FragmentFlows {
public:
    static constexpr std::size_t kSlots = 4096;  // a power of two
    static constexpr std::size_t kStripes = 64;  // a power of two, dividing kSlots
    // RFC 6146 4: fragments are kept at least FRAGMENT_MIN (2 s); a datagram's fragments arrive
    // within milliseconds of each other, so a few seconds cover reordering with room to spare.
    static constexpr Millis kLifetime = 5'000;

    void remember(const FragmentKey& key, const net::Ipv6Address& client, Millis now) noexcept;
    std::optional<net::Ipv6Address> find(const FragmentKey& key, Millis now) const noexcept;

private:
    struct Slot {
        FragmentKey key;
        net::Ipv6Address client;
        Millis stored_at = 0;
        bool used = false;
    };
    static std::size_t slot_of(const FragmentKey& key) noexcept;

    std::array<Slot, kSlots> slots_{};
    mutable std::array<std::mutex, kStripes> locks_;
};

}  // namespace sixgate::plat
