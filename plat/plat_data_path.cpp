#include "plat/plat_data_path.hpp"

#include <poll.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "net/packet/packet_buffer.hpp"
#include "net/tun/virtio_net_header.hpp"

namespace sixgate::plat {

using net::packet::PacketBuffer;
using net::tun::PacketIo;
using net::tun::WriteOutcome;
using xlat::Verdict;

namespace {

using Counter = std::atomic<std::uint64_t>;

// Only the owning thread writes a counter, so a relaxed store (no locked read-modify-write) is
// enough; readers see a recent value.
inline void publish(Counter& counter, std::uint64_t value) noexcept {
    counter.store(value, std::memory_order_relaxed);
}

inline std::uint64_t read(const Counter& counter) noexcept {
    return counter.load(std::memory_order_relaxed);
}

// PlatTranslator::process needs at least 64 KiB + 64 * 48 bytes for IPv4 -> IPv6 fragments.
constexpr std::size_t kFragmentArea = 65536 + 64 * 48;

// PlatCounters as relaxed atomics: the copy other threads read.
struct PublishedPlatCounters {
    Counter translated_6to4{0};
    Counter translated_4to6{0};
    Counter hairpinned{0};
    Counter icmp_errors_relayed{0};
    Counter icmp_errors_sent{0};
    Counter state_drops{0};
    std::array<Counter, kPlatDropReasonCount> plat_drops{};
    std::array<Counter, xlat::kDropReasonCount> xlat_drops{};

    void store(const PlatCounters& c) noexcept {
        publish(translated_6to4, c.translated_6to4);
        publish(translated_4to6, c.translated_4to6);
        publish(hairpinned, c.hairpinned);
        publish(icmp_errors_relayed, c.icmp_errors_relayed);
        publish(icmp_errors_sent, c.icmp_errors_sent);
        publish(state_drops, c.state_drops);
        for (std::size_t i = 0; i < kPlatDropReasonCount; ++i)
            publish(plat_drops[i], c.plat_drops[i]);
        for (std::size_t i = 0; i < xlat::kDropReasonCount; ++i)
            publish(xlat_drops[i], c.xlat_drops[i]);
    }
    void add_to(PlatCounters& sum) const noexcept {
        sum.translated_6to4 += read(translated_6to4);
        sum.translated_4to6 += read(translated_4to6);
        sum.hairpinned += read(hairpinned);
        sum.icmp_errors_relayed += read(icmp_errors_relayed);
        sum.icmp_errors_sent += read(icmp_errors_sent);
        sum.state_drops += read(state_drops);
        for (std::size_t i = 0; i < kPlatDropReasonCount; ++i)
            sum.plat_drops[i] += read(plat_drops[i]);
        for (std::size_t i = 0; i < xlat::kDropReasonCount; ++i)
            sum.xlat_drops[i] += read(xlat_drops[i]);
    }
};

}  // namespace

Millis monotonic_now_ms() noexcept {
    timespec now{};
    ::clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<Millis>(now.tv_sec) * 1000u + static_cast<Millis>(now.tv_nsec) / 1'000'000u;
}

// One thread's state: everything it touches per packet was allocated at start.
struct alignas(64) PlatDataPath::Worker {
    Worker(PlatDataPath& owner, PacketIo& io, std::size_t batch_size)
        : owner(owner), io(io), tun_queue(dynamic_cast<net::tun::TunQueue*>(&io)) {
        storage.reserve(batch_size);
        batch.reserve(batch_size);
        for (std::size_t i = 0; i < batch_size; ++i) {
            storage.push_back(std::make_unique<PacketBuffer>());
            batch.push_back(storage.back().get());
        }
        out = std::make_unique<PacketBuffer>();
        fragments.resize(kFragmentArea);
    }

    void run() noexcept;
    void emit(PacketBuffer& buffer, const PlatResult& result) noexcept;
    void write_parts(std::span<const std::byte> area,
                     const xlat::TranslationResult& result) noexcept;
    void write(const PacketBuffer& packet) noexcept {
        if (io.write(packet) != WriteOutcome::kWritten) ++tun_write_errors;
    }
    void publish_counters() noexcept;

    PlatDataPath& owner;
    PacketIo& io;
    net::tun::TunQueue* tun_queue;  // the same object when it is a real TUN queue: its counters
    std::vector<std::unique_ptr<PacketBuffer>> storage;
    std::vector<PacketBuffer*> batch;
    std::unique_ptr<PacketBuffer> out;  // one fragment at a time is copied here to be written
    std::vector<std::byte> fragments;   // process() writes IPv4 -> IPv6 fragments here

    // Plain, this thread's own; published after every batch.
    PlatCounters local;
    std::uint64_t packets_read = 0;
    std::uint64_t fragments_written = 0;
    std::uint64_t tun_read_errors = 0;
    std::uint64_t tun_write_errors = 0;

    PublishedPlatCounters published;
    Counter published_packets_read{0};
    Counter published_fragments_written{0};
    Counter published_tun_read_errors{0};
    Counter published_tun_write_errors{0};
    net::tun::PublishedTunQueueCounters tun_counters;
};

void PlatDataPath::Worker::run() noexcept {
    pollfd fds[2] = {{io.readable_fd(), POLLIN, 0}, {owner.threads_.stop_fd(), POLLIN, 0}};
    while (!owner.threads_.stopping()) {
        const net::tun::ReadResult read_result = io.read_batch(batch);
        packets_read += read_result.packets;
        if (read_result.packets > 0) {
            // One clock read per batch: the table's timers need no finer grain (RFC 6146 timeouts
            // are seconds to hours).
            const Millis now = monotonic_now_ms();
            for (std::size_t i = 0; i < read_result.packets; ++i) {
                PacketBuffer& buffer = *batch[i];
                const PlatResult result = owner.translator_.process(buffer, fragments, now, local);
                emit(buffer, result);
            }
        }
        if (read_result.error != 0) ++tun_read_errors;
        publish_counters();
        if (read_result.error != 0) {
            // A failing queue polls readable at once: wait on the stop event alone for a while
            // instead of spinning.
            pollfd stop_only{owner.threads_.stop_fd(), POLLIN, 0};
            (void)::poll(&stop_only, 1, 100);
            continue;
        }
        if (read_result.packets == batch.size()) continue;  // more may be waiting
        fds[0].revents = fds[1].revents = 0;
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) {
            pollfd stop_only{owner.threads_.stop_fd(), POLLIN, 0};
            (void)::poll(&stop_only, 1, 100);
        }
        if (fds[1].revents != 0) break;
    }
    publish_counters();
}

void PlatDataPath::Worker::emit(PacketBuffer& buffer, const PlatResult& result) noexcept {
    const xlat::TranslationResult& x = result.xlat;
    if (x.verdict == Verdict::drop) return;  // counted by process()
    if (result.in_fragments) return write_parts(fragments, x);
    if (x.fragment_count <= 1) return write(buffer);
    write_parts(buffer.data(), x);
}

// Packets back to back at the start of `area`: fragment_lengths[i] each (or one of `length`).
void PlatDataPath::Worker::write_parts(std::span<const std::byte> area,
                                       const xlat::TranslationResult& result) noexcept {
    const std::size_t count = result.fragment_count == 0 ? 1 : result.fragment_count;
    if (count > result.fragment_lengths.size()) {
        ++tun_write_errors;
        return;
    }
    std::size_t at = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t length = count == 1 ? result.length : result.fragment_lengths[i];
        if (at + length > area.size() || !out->assign(area.subspan(at, length))) {
            ++tun_write_errors;
            return;
        }
        write(*out);
        at += length;
    }
    if (count > 1) fragments_written += count;
}

void PlatDataPath::Worker::publish_counters() noexcept {
    published.store(local);
    publish(published_packets_read, packets_read);
    publish(published_fragments_written, fragments_written);
    publish(published_tun_read_errors, tun_read_errors);
    publish(published_tun_write_errors, tun_write_errors);
    if (tun_queue) tun_counters.publish(tun_queue->counters());
}

PlatDataPath::PlatDataPath(const PlatTranslator& translator, PlatDataPathOptions options)
    : translator_(translator), options_(options) {}

Result<std::unique_ptr<PlatDataPath>> PlatDataPath::start(std::vector<PacketIo*> queues,
                                                          const PlatTranslator& translator,
                                                          PlatDataPathOptions options) {
    if (queues.empty()) return make_error(std::errc::invalid_argument, "plat data path: no queues");
    if (options.batch == 0) options.batch = 1;
    std::unique_ptr<PlatDataPath> path(new PlatDataPath(translator, options));
    if (auto opened = path->threads_.open("plat"); !opened) return opened.error();
    path->control_io_ = queues.front();
    if (!dynamic_cast<net::tun::TunQueue*>(path->control_io_))
        path->control_buffer_ = std::make_unique<PacketBuffer>();
    for (PacketIo* io : queues)
        path->workers_.push_back(std::make_unique<Worker>(*path, *io, options.batch));
    auto started = path->threads_.start("plat", path->workers_.size(),
                                        [workers = &path->workers_](std::size_t i) { (*workers)[i]->run(); });
    if (!started) return started.error();
    return path;
}

PlatDataPath::~PlatDataPath() {
    stop();
}

void PlatDataPath::stop() {
    threads_.stop();
}

bool PlatDataPath::write_control(std::span<const std::byte> packet) noexcept {
    bool written = false;
    if (auto* queue = dynamic_cast<net::tun::TunQueue*>(control_io_)) {
        // Not TunQueue::write: that updates counters its data-path thread owns.
        static constexpr std::array<std::byte, net::tun::VirtioNetHeader::kSize> kNoOffload{};
        std::array<iovec, 2> parts{
            iovec{const_cast<std::byte*>(kNoOffload.data()), kNoOffload.size()},
            iovec{const_cast<std::byte*>(packet.data()), packet.size()},
        };
        const iovec* first = queue->vnet_hdr() ? &parts[0] : &parts[1];
        const int count = queue->vnet_hdr() ? 2 : 1;
        ssize_t n;
        do {
            n = ::writev(queue->fd(), first, count);
        } while (n < 0 && errno == EINTR);
        written = n >= 0;
    } else if (control_io_ && control_buffer_ && control_buffer_->assign(packet)) {
        written = control_io_->write(*control_buffer_) == WriteOutcome::kWritten;
    }
    (written ? control_writes_ : control_write_errors_).fetch_add(1, std::memory_order_relaxed);
    return written;
}

PlatDataPathCounters PlatDataPath::counters() const {
    PlatDataPathCounters sum;
    for (const auto& w : workers_) {
        w->published.add_to(sum.plat);
        sum.packets_read += read(w->published_packets_read);
        sum.fragments_written += read(w->published_fragments_written);
        sum.tun_read_errors += read(w->published_tun_read_errors);
        sum.tun_write_errors += read(w->published_tun_write_errors);
        w->tun_counters.add_to(sum.tun);
    }
    sum.control_writes = control_writes_.load(std::memory_order_relaxed);
    sum.control_write_errors = control_write_errors_.load(std::memory_order_relaxed);
    return sum;
}

}  // namespace sixgate::plat
