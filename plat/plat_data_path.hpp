#pragma once
// The PLAT's data path (DESIGN.md "The data path"): one run-to-completion thread per TUN queue, no
// Asio on it. Each thread reads a batch into buffers it allocated once, reads CLOCK_MONOTONIC once
// per batch, hands every packet to PlatTranslator::process (RFC 6146 over the RFC 7915
// translator) and writes what comes out (one packet, back-to-back fragments, or an ICMP error)
// back into the same queue, where the kernel routes it. Counters are kept per thread in plain
// PlatCounters, published after each batch as relaxed atomics and summed on demand. No
// allocation, exception or log line per packet.
// Entry points: PlatDataPath::start, stop, counters, write_control.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "net/result.hpp"
#include "net/tun/packet_io.hpp"
#include "net/tun/queue_threads.hpp"
#include "net/tun/tun_queue.hpp"
#include "net/unique_fd.hpp"
#include "plat/plat_translator.hpp"
#include "plat/plat_types.hpp"

namespace sixgate::plat {

struct PlatDataPathCounters {
    std::uint64_t packets_read = 0;
    std::uint64_t fragments_written = 0;  // packets written that were one of several fragments
    std::uint64_t tun_read_errors = 0;
    std::uint64_t tun_write_errors = 0;
    std::uint64_t control_writes = 0;  // held-SYN answers written from the control plane
    std::uint64_t control_write_errors = 0;
    PlatCounters plat;  // summed over the threads
    net::tun::TunQueueCounters tun;  // the TUN queues' own counters, summed
};

// Milliseconds of CLOCK_MONOTONIC: the session table's time base (Millis).
Millis monotonic_now_ms() noexcept;

struct PlatDataPathOptions {
    std::size_t batch = 32;  // packets per read; each buffer is 64 KiB + headroom
};

class PlatDataPath {
public:
    // Starts one thread per queue; each queue is served by its thread only and, like the
    // translator, must outlive the data path.
    static Result<std::unique_ptr<PlatDataPath>> start(std::vector<net::tun::PacketIo*> queues,
                                                       const PlatTranslator& translator,
                                                       PlatDataPathOptions options = {});
    ~PlatDataPath();  // stop()
    PlatDataPath(const PlatDataPath&) = delete;
    PlatDataPath& operator=(const PlatDataPath&) = delete;

    // Wakes every thread through its stop eventfd and joins it. Idempotent.
    void stop();

    // From the control plane (one thread at a time): writes one packet into the first queue
    // without touching what its data-path thread owns. A TUN queue gets it through its own
    // writev (behind a zero virtio_net_hdr when the queue has one): a TUN write is atomic per
    // packet, so it never interleaves with the thread's writes. False if the write failed.
    bool write_control(std::span<const std::byte> packet) noexcept;

    std::size_t thread_count() const noexcept { return workers_.size(); }
    PlatDataPathCounters counters() const;

private:
    struct Worker;

    PlatDataPath(const PlatTranslator& translator, PlatDataPathOptions options);

    const PlatTranslator& translator_;
    PlatDataPathOptions options_;
    std::vector<std::unique_ptr<Worker>> workers_;
    net::tun::QueueThreads threads_;  // after workers_: stopped and joined before they go
    net::tun::PacketIo* control_io_ = nullptr;
    std::unique_ptr<net::packet::PacketBuffer> control_buffer_;  // for a PacketIo that is no TUN
    std::atomic<std::uint64_t> control_writes_{0};
    std::atomic<std::uint64_t> control_write_errors_{0};
};

}  // namespace sixgate::plat
