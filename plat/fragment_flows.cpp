#include "plat/fragment_flows.hpp"

namespace sixgate::plat {

std::size_t FragmentFlows::slot_of(const FragmentKey& key) noexcept {
    // FNV-1a over the key's fields: cheap, and spreads Identifications that count up.
    std::uint64_t hash = 1469598103934665603ull;
    const auto mix = [&hash](std::uint64_t value, int bytes) {
        for (int i = 0; i < bytes; ++i) {
            hash ^= (value >> (8 * i)) & 0xff;
            hash *= 1099511628211ull;
        }
    };
    mix(key.source.to_uint(), 4);
    mix(key.destination.to_uint(), 4);
    mix(key.protocol, 1);
    mix(key.identification, 2);
    return static_cast<std::size_t>(hash) & (kSlots - 1);
}

void FragmentFlows::remember(const FragmentKey& key, const net::Ipv6Address& client,
                             Millis now) noexcept {
    const std::size_t index = slot_of(key);
    std::lock_guard lock(locks_[index & (kStripes - 1)]);
    slots_[index] = Slot{key, client, now, true};
}

std::optional<net::Ipv6Address> FragmentFlows::find(const FragmentKey& key,
                                                    Millis now) const noexcept {
    const std::size_t index = slot_of(key);
    std::lock_guard lock(locks_[index & (kStripes - 1)]);
    const Slot& slot = slots_[index];
    if (!slot.used || !(slot.key == key)) return std::nullopt;
    if (now >= slot.stored_at + kLifetime) return std::nullopt;
    return slot.client;
}

}  // namespace sixgate::plat
