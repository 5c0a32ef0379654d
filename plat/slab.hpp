#pragma once
// Per-shard object slabs: entries live in fixed chunks (stable addresses, 32-bit indices), freed
// entries go to a free list threaded through their `chain` field, and a new chunk is allocated
// only when the free list is empty. Lookups never allocate.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <vector>

namespace sixgate::plat {

inline constexpr std::uint32_t kNil = 0xFFFF'FFFFu;

// T needs a `std::uint32_t chain` member (hash chain while live, free list while free).
template <class T>
class Slab {
public:
    static constexpr std::uint32_t kChunkShift = 10;
    static constexpr std::uint32_t kChunkSize = 1u << kChunkShift;

    T& operator[](std::uint32_t index) noexcept {
        return chunks_[index >> kChunkShift][index & (kChunkSize - 1)];
    }
    const T& operator[](std::uint32_t index) const noexcept {
        return chunks_[index >> kChunkShift][index & (kChunkSize - 1)];
    }

    // A free entry's index (contents unspecified), or kNil when memory ran out.
    std::uint32_t allocate() noexcept {
        if (free_head_ == kNil && !grow()) return kNil;
        const std::uint32_t index = free_head_;
        free_head_ = (*this)[index].chain;
        ++live_;
        return index;
    }

    void release(std::uint32_t index) noexcept {
        (*this)[index].chain = free_head_;
        free_head_ = index;
        --live_;
    }

    std::uint32_t live() const noexcept { return live_; }
    std::size_t memory_bytes() const noexcept {
        return chunks_.size() * (sizeof(T) * kChunkSize) + chunks_.capacity() * sizeof(void*);
    }

private:
    bool grow() noexcept {
        if (chunks_.size() >= (std::size_t{1} << (32 - kChunkShift)) - 1) return false;
        try {
            chunks_.reserve(chunks_.size() + 1);
            chunks_.push_back(std::make_unique<T[]>(kChunkSize));
        } catch (const std::bad_alloc&) {
            return false;
        }
        const auto base = static_cast<std::uint32_t>((chunks_.size() - 1) << kChunkShift);
        // Thread the new chunk onto the free list, lowest index first.
        for (std::uint32_t i = kChunkSize; i-- > 0;) {
            (*this)[base + i].chain = free_head_;
            free_head_ = base + i;
        }
        return true;
    }

    std::vector<std::unique_ptr<T[]>> chunks_;
    std::uint32_t free_head_ = kNil;
    std::uint32_t live_ = 0;
};

}  // namespace sixgate::plat
