#pragma once
// A chained hash index over slab indices: buckets hold the first entry's index, entries link
// through a 32-bit field the caller names. Sized up front; grows by doubling (a rehash) when the
// load passes one entry per bucket, and keeps working with longer chains if memory runs out.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <new>
#include <vector>

#include "plat/slab.hpp"

namespace sixgate::plat {

class ChainedIndex {
public:
    explicit ChainedIndex(std::uint32_t initial_buckets)
        : buckets_(std::bit_ceil(initial_buckets < 16 ? 16u : initial_buckets), kNil),
          mask_(buckets_.size() - 1) {}

    // next(index) -> std::uint32_t&; pred(index) -> bool.
    template <class Next, class Pred>
    std::uint32_t find(std::uint64_t hash, Next next, Pred pred) const noexcept {
        for (std::uint32_t i = buckets_[hash & mask_]; i != kNil; i = next(i)) {
            if (pred(i)) return i;
        }
        return kNil;
    }

    // hash_of(index) -> std::uint64_t, used when the index grows.
    template <class Next, class HashOf>
    void insert(std::uint32_t index, std::uint64_t hash, Next next, HashOf hash_of) noexcept {
        if (count_ >= buckets_.size()) grow(next, hash_of);
        std::uint32_t& head = buckets_[hash & mask_];
        next(index) = head;
        head = index;
        ++count_;
    }

    template <class Next>
    void erase(std::uint32_t index, std::uint64_t hash, Next next) noexcept {
        std::uint32_t* link = &buckets_[hash & mask_];
        while (*link != kNil) {
            if (*link == index) {
                *link = next(index);
                --count_;
                return;
            }
            link = &next(*link);
        }
    }

    // fn(index) for every entry; fn returns false to stop.
    template <class Next, class Fn>
    bool for_each(Next next, Fn fn) const {
        for (std::uint32_t head : buckets_) {
            for (std::uint32_t i = head; i != kNil; i = next(i)) {
                if (!fn(i)) return false;
            }
        }
        return true;
    }

    std::size_t size() const noexcept { return count_; }
    std::size_t memory_bytes() const noexcept { return buckets_.capacity() * sizeof(std::uint32_t); }

private:
    template <class Next, class HashOf>
    void grow(Next next, HashOf hash_of) noexcept {
        std::vector<std::uint32_t> bigger;
        try {
            bigger.assign(buckets_.size() * 2, kNil);
        } catch (const std::bad_alloc&) {
            return;  // keep the current buckets: longer chains, still correct
        }
        const std::size_t mask = bigger.size() - 1;
        for (std::uint32_t head : buckets_) {
            for (std::uint32_t i = head; i != kNil;) {
                const std::uint32_t following = next(i);
                std::uint32_t& slot = bigger[hash_of(i) & mask];
                next(i) = slot;
                slot = i;
                i = following;
            }
        }
        buckets_.swap(bigger);
        mask_ = mask;
    }

    std::vector<std::uint32_t> buckets_;
    std::size_t mask_;
    std::size_t count_ = 0;
};

// 64-bit mixing (the splitmix64 finalizer): spreads every input bit over the result.
constexpr std::uint64_t mix64(std::uint64_t x) noexcept {
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

}  // namespace sixgate::plat
