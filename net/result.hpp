#pragma once
// Result<T>: a small std::expected stand-in for the control plane (C++20 has no std::expected).

#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace sixgate {

// What went wrong: a code a caller can branch on, and context a user can act on.
struct Error {
    std::error_code code;
    std::string message;
};

inline Error make_error(std::errc code, std::string message) {
    return Error{std::make_error_code(code), std::move(message)};
}

// The same error, its message prefixed with what was being done: "context: message".
inline Error with_context(const Error& error, const std::string& context) {
    return Error{error.code, context + ": " + error.message};
}

// A value or the reason there is none: the shape of std::expected (C++23). E is an Error on the
// control plane, a drop-reason enum on packet paths.
template <class T, class E>
class [[nodiscard]] Expected {
public:
    Expected(T value) : state_(std::move(value)) {}  // NOLINT: implicit like std::expected
    Expected(E error) : state_(std::move(error)) {}  // NOLINT

    bool ok() const noexcept { return state_.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { return std::get<0>(state_); }
    const T& value() const& { return std::get<0>(state_); }
    T&& value() && { return std::get<0>(std::move(state_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    // Only when !ok().
    const E& error() const { return std::get<1>(state_); }

private:
    std::variant<T, E> state_;
};

template <class T>
class [[nodiscard]] Result : public Expected<T, Error> {
public:
    using Expected<T, Error>::Expected;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

    bool ok() const noexcept { return !failed_; }
    explicit operator bool() const noexcept { return ok(); }
    const Error& error() const { return error_; }

private:
    Error error_;
    bool failed_ = false;
};

}  // namespace sixgate
