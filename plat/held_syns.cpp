#include "plat/held_syns.hpp"

#include <algorithm>
#include <cstring>

namespace sixgate::plat {

HeldSynStore::HeldSynStore(std::uint32_t capacity, Millis lifetime)
    : capacity_(capacity), lifetime_(lifetime), index_(capacity / 2) {}

std::uint64_t HeldSynStore::hash(const Tuple4& key) noexcept {
    return mix64((std::uint64_t{key.source.address.to_uint()} << 32 |
                  key.destination.address.to_uint()) ^
                 mix64(std::uint64_t{key.source.port} << 16 | key.destination.port));
}

std::uint32_t HeldSynStore::find(const Tuple4& key, std::uint64_t h) const noexcept {
    return index_.find(
        h, [this](std::uint32_t i) -> std::uint32_t { return slab_[i].chain; },
        [&](std::uint32_t i) {
            return slab_[i].peer == key.source && slab_[i].local == key.destination;
        });
}

void HeldSynStore::remove(std::uint32_t index, std::uint64_t h) noexcept {
    index_.erase(index, h, [this](std::uint32_t i) -> std::uint32_t& { return slab_[i].chain; });
    expiry_.unlink(slab_, index);
    slab_.release(index);
    count_.fetch_sub(1, std::memory_order_relaxed);
}

HeldSynStore::AddResult HeldSynStore::add(const Tuple4& key, std::span<const std::byte> packet,
                                          Millis now) noexcept {
    const std::uint64_t h = hash(key);
    std::lock_guard lock(mutex_);
    // A retransmitted SYN keeps the first one's timer: it does not buy more time.
    if (find(key, h) != kNil) return AddResult::duplicate;
    if (slab_.live() >= capacity_) return AddResult::full;
    const std::uint32_t index = slab_.allocate();
    if (index == kNil) return AddResult::full;
    Entry& entry = slab_[index];
    entry.peer = key.source;
    entry.local = key.destination;
    entry.expires = now + lifetime_;
    entry.length = static_cast<std::uint16_t>(std::min(packet.size(), kHeldSynBytes));
    if (entry.length != 0) std::memcpy(entry.bytes.data(), packet.data(), entry.length);
    index_.insert(
        index, h, [this](std::uint32_t i) -> std::uint32_t& { return slab_[i].chain; },
        [this](std::uint32_t i) {
            return hash(Tuple4{L4Protocol::tcp, slab_[i].peer, slab_[i].local});
        });
    expiry_.push_back(slab_, index);
    count_.fetch_add(1, std::memory_order_relaxed);
    return AddResult::held;
}

bool HeldSynStore::release(const Tuple4& key) noexcept {
    if (count_.load(std::memory_order_relaxed) == 0) return false;
    const std::uint64_t h = hash(key);
    std::lock_guard lock(mutex_);
    const std::uint32_t index = find(key, h);
    if (index == kNil) return false;
    remove(index, h);
    ++released_;
    return true;
}

std::optional<std::size_t> HeldSynStore::pop_expired(
    Millis now, std::span<std::byte, kHeldSynBytes> out) noexcept {
    if (count_.load(std::memory_order_relaxed) == 0) return std::nullopt;
    std::lock_guard lock(mutex_);
    const std::uint32_t index = expiry_.head();
    if (index == kNil || slab_[index].expires > now) return std::nullopt;
    const Entry& entry = slab_[index];
    const std::size_t length = entry.length;
    std::memcpy(out.data(), entry.bytes.data(), length);
    remove(index, hash(Tuple4{L4Protocol::tcp, entry.peer, entry.local}));
    ++answered_;
    return length;
}

std::uint64_t HeldSynStore::released() const noexcept {
    std::lock_guard lock(mutex_);
    return released_;
}

std::uint64_t HeldSynStore::answered() const noexcept {
    std::lock_guard lock(mutex_);
    return answered_;
}

std::size_t HeldSynStore::memory_bytes() const noexcept {
    std::lock_guard lock(mutex_);
    return slab_.memory_bytes() + index_.memory_bytes();
}

}  // namespace sixgate::plat
