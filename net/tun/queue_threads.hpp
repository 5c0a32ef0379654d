#pragma once
// The data-path threads of a component: one per TUN queue, named "<component>-q<N>", all told to
// stop at once through one eventfd that each polls next to its queue (DESIGN.md "The data path").
// Entry points: QueueThreads::open, start, stop.

#include <atomic>
#include <cstddef>
#include <functional>
#include <string_view>
#include <thread>
#include <vector>

#include "net/result.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::net::tun {

class QueueThreads {
public:
    QueueThreads() = default;
    ~QueueThreads() { stop(); }
    QueueThreads(const QueueThreads&) = delete;
    QueueThreads& operator=(const QueueThreads&) = delete;

    // Opens the stop eventfd; before start(), so the threads can poll it from their first loop.
    Result<void> open(std::string_view component);
    // Starts `count` threads, thread i running run(i). If one cannot start, those already
    // running are stopped and joined and the error names the queue.
    Result<void> start(std::string_view component, std::size_t count,
                       const std::function<void(std::size_t)>& run);
    // Sets stopping(), wakes every thread through the eventfd and joins them. Idempotent.
    void stop();

    int stop_fd() const noexcept { return stop_event_.get(); }
    bool stopping() const noexcept { return stopping_.load(std::memory_order_relaxed); }

private:
    UniqueFd stop_event_;
    std::atomic<bool> stopping_{false};
    std::vector<std::thread> threads_;
};

}  // namespace sixgate::net::tun
