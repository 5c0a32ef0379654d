#include "net/tun/queue_threads.hpp"

#include <pthread.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <system_error>

namespace sixgate::net::tun {

Result<void> QueueThreads::open(std::string_view component) {
    stop_event_ = UniqueFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
    if (!stop_event_.valid())
        return make_error(std::errc(errno), std::string(component) + " data path: eventfd: " +
                                                std::strerror(errno));
    return {};
}

Result<void> QueueThreads::start(std::string_view component, std::size_t count,
                                 const std::function<void(std::size_t)>& run) {
    for (std::size_t i = 0; i < count; ++i) {
        try {
            threads_.emplace_back([run, i] { run(i); });
        } catch (const std::system_error& error) {
            stop();
            return make_error(std::errc::resource_unavailable_try_again,
                              std::string(component) + " data path: thread for queue " +
                                  std::to_string(i) + ": " + error.what());
        }
        const std::string name = std::string(component) + "-q" + std::to_string(i);
        (void)::pthread_setname_np(threads_.back().native_handle(), name.c_str());
    }
    return {};
}

void QueueThreads::stop() {
    stopping_.store(true, std::memory_order_relaxed);
    if (stop_event_.valid()) {
        const std::uint64_t one = 1;
        (void)!::write(stop_event_.get(), &one, sizeof(one));
    }
    for (auto& thread : threads_)
        if (thread.joinable()) thread.join();
    threads_.clear();
}

}  // namespace sixgate::net::tun
