#pragma once
// TunQueue: one TUN queue's descriptor, owned by the data-path thread that serves it. Reads a
// batch of packets into caller-owned buffers, undoing the kernel's receive offloads (GSO
// super-packets split, partial checksums completed) when the virtio_net_hdr is on.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "net/packet/packet_buffer.hpp"
#include "net/tun/packet_io.hpp"
#include "net/tun/virtio_net_header.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::net::tun {

// Per queue, written only by the thread that owns the queue.
struct TunQueueCounters {
    std::uint64_t packets_read = 0;  // handed to the caller (a segment counts one)
    std::uint64_t gso_super_packets = 0;
    std::uint64_t gso_segments = 0;
    std::uint64_t checksums_completed = 0;        // NEEDS_CSUM without GSO
    std::uint64_t dropped_bad_virtio_header = 0;  // short read, or partial checksum out of bounds
    std::uint64_t dropped_bad_gso = 0;            // inspect_gso refused the super-packet
    std::uint64_t write_errors = 0;
};

// A copy of one queue's counters that its data-path thread publishes after each batch and any
// thread may read (relaxed atomics), so a status request never touches the thread's own counters.
class PublishedTunQueueCounters {
public:
    void publish(const TunQueueCounters& counters) noexcept;
    // Adds the last published values into `sum` (summing several queues).
    void add_to(TunQueueCounters& sum) const noexcept;

private:
    std::atomic<std::uint64_t> packets_read_{0};
    std::atomic<std::uint64_t> gso_super_packets_{0};
    std::atomic<std::uint64_t> gso_segments_{0};
    std::atomic<std::uint64_t> checksums_completed_{0};
    std::atomic<std::uint64_t> dropped_bad_virtio_header_{0};
    std::atomic<std::uint64_t> dropped_bad_gso_{0};
    std::atomic<std::uint64_t> write_errors_{0};
};

class TunQueue final : public PacketIo {
public:
    // Adopts a non-blocking descriptor that delivers one packet per read(): a TUN queue (see
    // TunDevice::open), or in tests a datagram socket. With vnet_hdr every packet read or
    // written carries a 12-byte virtio_net_hdr in `order` in front.
    TunQueue(UniqueFd fd, bool vnet_hdr, VnetByteOrder order = VnetByteOrder::kLittle);

    // Reads packets until EAGAIN or the batch is full. With vnet_hdr the header is read into the
    // buffer's headroom just before the packet, so the packet starts at the default headroom
    // like any other. A super-packet becomes its segments, one per buffer; segments that do not
    // fit this batch come first in the next one.
    ReadResult read_batch(std::span<packet::PacketBuffer* const> buffers) noexcept override;
    // Writes one IP packet; with vnet_hdr behind a zero header (no offload). The header goes
    // out through writev, so the caller's buffer is not touched.
    WriteOutcome write(const packet::PacketBuffer& packet) noexcept override;
    // The same with a given header (e.g. NEEDS_CSUM to let the kernel finish a checksum).
    // kRejected without vnet_hdr unless the header is all zero.
    WriteOutcome write(const packet::PacketBuffer& packet, const VirtioNetHeader& header) noexcept;
    int readable_fd() const noexcept override { return fd_.get(); }

    int fd() const noexcept { return fd_.get(); }
    bool vnet_hdr() const noexcept { return vnet_hdr_; }
    VnetByteOrder byte_order() const noexcept { return order_; }
    // Segments of a super-packet still waiting for the next read_batch.
    std::size_t pending_segments() const noexcept { return pending_count_ - pending_next_; }
    const TunQueueCounters& counters() const noexcept { return counters_; }
    int last_write_error() const noexcept { return last_write_error_; }

private:
    // The packet just read into from[0] (virtio header first): returns how many packets it
    // became in from[0], from[1], ... (0 if dropped).
    std::size_t receive_offloaded(std::span<packet::PacketBuffer* const> from,
                                  ReadResult& result) noexcept;
    std::size_t drain_pending(std::span<packet::PacketBuffer* const> buffers) noexcept;
    WriteOutcome write_bytes(std::span<const std::byte> header,
                             std::span<const std::byte> packet) noexcept;

    UniqueFd fd_;
    bool vnet_hdr_ = false;
    VnetByteOrder order_ = VnetByteOrder::kLittle;
    // A super-packet with more segments than the batch had room for (allocated with the queue).
    std::unique_ptr<packet::PacketBuffer> pending_;
    VirtioNetHeader pending_header_;
    std::size_t pending_next_ = 0;
    std::size_t pending_count_ = 0;
    TunQueueCounters counters_;
    int last_write_error_ = 0;
};

}  // namespace sixgate::net::tun
