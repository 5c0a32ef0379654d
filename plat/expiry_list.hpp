#pragma once
// Expiry in O(1) per entry: every entry in one list has the same lifetime, so appending on
// creation or refresh keeps the list ordered by expiry time and expire() pops from the head
// while the head is due. Intrusive: entries carry `timer_prev`/`timer_next` slab indices.

#include <cstdint>

#include "plat/slab.hpp"

namespace sixgate::plat {

template <class T>
class ExpiryList {
public:
    std::uint32_t head() const noexcept { return head_; }
    bool empty() const noexcept { return head_ == kNil; }

    void push_back(Slab<T>& slab, std::uint32_t index) noexcept {
        T& entry = slab[index];
        entry.timer_prev = tail_;
        entry.timer_next = kNil;
        if (tail_ != kNil) {
            slab[tail_].timer_next = index;
        } else {
            head_ = index;
        }
        tail_ = index;
    }

    void unlink(Slab<T>& slab, std::uint32_t index) noexcept {
        T& entry = slab[index];
        if (entry.timer_prev != kNil) {
            slab[entry.timer_prev].timer_next = entry.timer_next;
        } else {
            head_ = entry.timer_next;
        }
        if (entry.timer_next != kNil) {
            slab[entry.timer_next].timer_prev = entry.timer_prev;
        } else {
            tail_ = entry.timer_prev;
        }
        entry.timer_prev = entry.timer_next = kNil;
    }

    // Refresh: to the tail (it now expires last).
    void move_to_back(Slab<T>& slab, std::uint32_t index) noexcept {
        if (tail_ == index) return;
        unlink(slab, index);
        push_back(slab, index);
    }

private:
    std::uint32_t head_ = kNil;
    std::uint32_t tail_ = kNil;
};

}  // namespace sixgate::plat
