#include "net/tun/tun_queue.hpp"

#include <sys/uio.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <utility>

#include "net/tun/gso_split.hpp"

namespace sixgate::net::tun {

using packet::PacketBuffer;

TunQueue::TunQueue(UniqueFd fd, bool vnet_hdr, VnetByteOrder order)
    : fd_(std::move(fd)),
      vnet_hdr_(vnet_hdr),
      order_(order),
      pending_(vnet_hdr ? std::make_unique<PacketBuffer>() : nullptr) {}

ReadResult TunQueue::read_batch(std::span<PacketBuffer* const> buffers) noexcept {
    ReadResult result;
    if (pending_segments() > 0) result.packets = drain_pending(buffers);
    const std::size_t header_size = vnet_hdr_ ? VirtioNetHeader::kSize : 0;
    while (result.packets < buffers.size()) {
        PacketBuffer& buffer = *buffers[result.packets];
        // Read at an offset: the virtio header lands in the headroom, the packet after it.
        const auto space = buffer.reset(PacketBuffer::kHeadroom - header_size);
        const ssize_t n = ::read(fd_.get(), space.data(), space.size());
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN) result.error = errno;  // EWOULDBLOCK is EAGAIN on Linux
            break;
        }
        (void)buffer.set_length(static_cast<std::size_t>(n));
        if (!vnet_hdr_) {
            ++result.packets;
            continue;
        }
        result.packets += receive_offloaded(buffers.subspan(result.packets), result);
    }
    counters_.packets_read += result.packets;
    return result;
}

std::size_t TunQueue::receive_offloaded(std::span<PacketBuffer* const> from,
                                        ReadResult& result) noexcept {
    PacketBuffer& buffer = *from[0];
    const auto header = VirtioNetHeader::parse(buffer.data(), VirtioNetHeader::kSize, order_);
    if (!header || !buffer.trim_front(VirtioNetHeader::kSize)) {
        ++counters_.dropped_bad_virtio_header;
        ++result.dropped;
        return 0;
    }
    if (!header->is_gso()) {
        if (!header->needs_checksum()) return 1;
        if (!complete_partial_checksum(buffer.data(), header->csum_start, header->csum_offset)) {
            ++counters_.dropped_bad_virtio_header;
            ++result.dropped;
            return 0;
        }
        ++counters_.checksums_completed;
        return 1;
    }
    const auto layout = inspect_gso(buffer.data(), *header);
    if (!layout) {
        ++counters_.dropped_bad_gso;
        ++result.dropped;
        return 0;
    }
    ++counters_.gso_super_packets;
    if (layout->segment_count <= from.size()) {
        const auto split = split_gso_in_place(buffer, *header, from.subspan(1));
        if (split) {
            counters_.gso_segments += *split;
            return *split;
        }
    }
    // More segments than buffers left: keep a copy and hand out the rest next time.
    (void)pending_->assign(buffer.data());
    pending_header_ = *header;
    pending_next_ = 0;
    pending_count_ = layout->segment_count;
    return drain_pending(from);
}

std::size_t TunQueue::drain_pending(std::span<PacketBuffer* const> buffers) noexcept {
    const auto written = split_gso(*pending_, pending_header_, buffers, pending_next_);
    if (!written) {  // cannot happen: it was inspected when it arrived
        pending_next_ = pending_count_ = 0;
        return 0;
    }
    pending_next_ += *written;
    if (pending_next_ >= pending_count_) pending_next_ = pending_count_ = 0;
    counters_.gso_segments += *written;
    return *written;
}

WriteOutcome TunQueue::write(const PacketBuffer& packet) noexcept {
    static constexpr std::array<std::byte, VirtioNetHeader::kSize> kNoOffload{};
    return write_bytes(
        vnet_hdr_ ? std::span<const std::byte>(kNoOffload) : std::span<const std::byte>(),
        packet.data());
}

WriteOutcome TunQueue::write(const PacketBuffer& packet, const VirtioNetHeader& header) noexcept {
    if (!vnet_hdr_) {
        if (header != VirtioNetHeader{}) return WriteOutcome::kRejected;
        return write(packet);
    }
    std::array<std::byte, VirtioNetHeader::kSize> bytes{};
    (void)header.serialize(bytes, VirtioNetHeader::kSize, order_);
    return write_bytes(bytes, packet.data());
}

WriteOutcome TunQueue::write_bytes(std::span<const std::byte> header,
                                   std::span<const std::byte> packet) noexcept {
    std::array<iovec, 2> parts{
        iovec{const_cast<std::byte*>(header.data()), header.size()},
        iovec{const_cast<std::byte*>(packet.data()), packet.size()},
    };
    const iovec* first = header.empty() ? &parts[1] : &parts[0];
    const int count = header.empty() ? 1 : 2;
    for (;;) {
        if (::writev(fd_.get(), first, count) >= 0) return WriteOutcome::kWritten;
        if (errno != EINTR) break;
    }
    last_write_error_ = errno;
    ++counters_.write_errors;
    switch (last_write_error_) {
        case EAGAIN:
            return WriteOutcome::kWouldBlock;
        case EIO:
            return WriteOutcome::kDeviceDown;
        case EINVAL:
        case EMSGSIZE:
        case EFAULT:
            return WriteOutcome::kRejected;
        default:
            return WriteOutcome::kFailed;
    }
}

void PublishedTunQueueCounters::publish(const TunQueueCounters& counters) noexcept {
    constexpr auto relaxed = std::memory_order_relaxed;
    packets_read_.store(counters.packets_read, relaxed);
    gso_super_packets_.store(counters.gso_super_packets, relaxed);
    gso_segments_.store(counters.gso_segments, relaxed);
    checksums_completed_.store(counters.checksums_completed, relaxed);
    dropped_bad_virtio_header_.store(counters.dropped_bad_virtio_header, relaxed);
    dropped_bad_gso_.store(counters.dropped_bad_gso, relaxed);
    write_errors_.store(counters.write_errors, relaxed);
}

void PublishedTunQueueCounters::add_to(TunQueueCounters& sum) const noexcept {
    constexpr auto relaxed = std::memory_order_relaxed;
    sum.packets_read += packets_read_.load(relaxed);
    sum.gso_super_packets += gso_super_packets_.load(relaxed);
    sum.gso_segments += gso_segments_.load(relaxed);
    sum.checksums_completed += checksums_completed_.load(relaxed);
    sum.dropped_bad_virtio_header += dropped_bad_virtio_header_.load(relaxed);
    sum.dropped_bad_gso += dropped_bad_gso_.load(relaxed);
    sum.write_errors += write_errors_.load(relaxed);
}

}  // namespace sixgate::net::tun
