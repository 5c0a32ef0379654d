#pragma once
// V4 SYNs held for TCP_INCOMING_SYN (RFC 6146 3.5.2.2): an IPv4 SYN with no BIB entry (or blocked
// by address-dependent filtering) is kept; a V6 SYN for the same connection in time releases it
// (simultaneous open), otherwise the caller answers it with ICMP Port Unreachable. Fixed slots of
// kHeldSynBytes allocated up front, a hash index on (Z,z)->(T,t), one expiry list, one lock (a
// leaf: taken inside a shard's lock, never the other way round).

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "plat/expiry_list.hpp"
#include "plat/hash_index.hpp"
#include "plat/plat_types.hpp"
#include "plat/slab.hpp"

namespace sixgate::plat {

// RFC 6146 3.5.2.2 with RFC 1812 / RFC 792: the ICMP error quotes as much of the packet as fits
// in 576 bytes; keeping the first 576 bytes is enough for it.
inline constexpr std::size_t kHeldSynBytes = 576;

class HeldSynStore {
public:
    enum class AddResult : std::uint8_t { held, duplicate, full };

    HeldSynStore(std::uint32_t capacity, Millis lifetime);

    // `key`: source (Z,z) = the IPv4 peer, destination (T,t) = our transport address.
    AddResult add(const Tuple4& key, std::span<const std::byte> packet, Millis now) noexcept;
    // A V6 SYN for the connection: forgets the held SYN; true if there was one.
    bool release(const Tuple4& key) noexcept;
    // The oldest held SYN whose time has come: copied into `out`, removed; its length.
    std::optional<std::size_t> pop_expired(Millis now,
                                           std::span<std::byte, kHeldSynBytes> out) noexcept;

    std::uint64_t size() const noexcept { return count_.load(std::memory_order_relaxed); }
    std::uint64_t released() const noexcept;
    std::uint64_t answered() const noexcept;
    std::size_t memory_bytes() const noexcept;

private:
    struct Entry {
        Ipv4Transport peer;
        Ipv4Transport local;
        Millis expires = 0;
        std::uint32_t chain = kNil;
        std::uint32_t timer_prev = kNil;
        std::uint32_t timer_next = kNil;
        std::uint16_t length = 0;
        std::array<std::byte, kHeldSynBytes> bytes{};
    };
    static std::uint64_t hash(const Tuple4& key) noexcept;
    std::uint32_t find(const Tuple4& key, std::uint64_t h) const noexcept;
    void remove(std::uint32_t index, std::uint64_t h) noexcept;

    mutable std::mutex mutex_;
    std::uint32_t capacity_;
    Millis lifetime_;
    Slab<Entry> slab_;
    ChainedIndex index_;
    ExpiryList<Entry> expiry_;
    std::atomic<std::uint64_t> count_{0};
    std::uint64_t released_ = 0;
    std::uint64_t answered_ = 0;
};

}  // namespace sixgate::plat
