#pragma once
// NdOptionList: the options area of an ND message (RFC 4861 4.6), checked once so that iterating
// it can never read out of bounds: every option has a non-zero Length and ends inside the buffer.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <span>

#include "net/nd/drop_reason.hpp"

namespace sixgate::net::nd {

// One option: its type and all Length x 8 bytes, type and length bytes included.
class NdOptionView {
public:
    std::uint8_t type() const noexcept { return bytes_[0]; }
    std::size_t size() const noexcept { return bytes_.size(); }
    std::span<const std::uint8_t> bytes() const noexcept { return bytes_; }

private:
    friend class NdOptionList;
    explicit NdOptionView(std::span<const std::uint8_t> bytes) noexcept : bytes_(bytes) {}

    std::span<const std::uint8_t> bytes_;  // at least 8 bytes
};

class NdOptionList {
public:
    // RFC 4861 6.1.1/6.1.2: a message with an option of Length 0 is invalid (walking it would
    // loop forever). An option, or a lone byte, running past the end is invalid too.
    static NdParseResult<NdOptionList> parse(std::span<const std::uint8_t> options) noexcept;

    class Iterator {
    public:
        using iterator_category = std::forward_iterator_tag;
        using value_type = NdOptionView;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = NdOptionView;

        Iterator() = default;
        NdOptionView operator*() const noexcept {
            return NdOptionView(rest_.first(std::size_t{rest_[1]} * 8));
        }
        Iterator& operator++() noexcept {
            rest_ = rest_.subspan(std::size_t{rest_[1]} * 8);
            return *this;
        }
        Iterator operator++(int) noexcept {
            Iterator before = *this;
            ++*this;
            return before;
        }
        bool operator==(const Iterator& other) const noexcept {
            return rest_.size() == other.rest_.size();
        }

    private:
        friend class NdOptionList;
        explicit Iterator(std::span<const std::uint8_t> rest) noexcept : rest_(rest) {}

        std::span<const std::uint8_t> rest_;  // validated: a whole number of options
    };

    Iterator begin() const noexcept { return Iterator(bytes_); }
    Iterator end() const noexcept { return Iterator(bytes_.last(0)); }
    bool empty() const noexcept { return bytes_.empty(); }

private:
    explicit NdOptionList(std::span<const std::uint8_t> bytes) noexcept : bytes_(bytes) {}

    std::span<const std::uint8_t> bytes_;
};

}  // namespace sixgate::net::nd
