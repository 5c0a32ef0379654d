#pragma once
// UniqueFd: sole owner of a file descriptor, closed on destruction; move-only.

#include <unistd.h>

#include <utility>

namespace sixgate::net {

class UniqueFd {
  public:
    constexpr UniqueFd() noexcept = default;
    constexpr explicit UniqueFd(int fd) noexcept : fd_(fd) {}
    ~UniqueFd() { reset(); }

    UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
    UniqueFd& operator=(UniqueFd&& other) noexcept {
        if (this != &other) reset(other.release());
        return *this;
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;

    constexpr int get() const noexcept { return fd_; }
    constexpr bool valid() const noexcept { return fd_ >= 0; }
    constexpr explicit operator bool() const noexcept { return valid(); }

    // Gives up ownership without closing.
    int release() noexcept { return std::exchange(fd_, -1); }

    // Closes the current descriptor (if any) and owns fd instead. close() errors are not
    // actionable here: on Linux the descriptor is released even when close() fails.
    void reset(int fd = -1) noexcept {
        if (fd_ >= 0 && fd_ != fd) ::close(fd_);
        fd_ = fd;
    }

  private:
    int fd_ = -1;
};

}  // namespace sixgate::net
