#pragma once
// PacketIo: the seam between a data-path thread and where its packets come from and go to: a TUN
// queue (TunQueue) in production, an in-memory FakeTun in tests.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "net/packet/packet_buffer.hpp"

namespace sixgate::net::tun {

// How one batch read ended.
struct ReadResult {
    std::size_t packets = 0;  // buffers[0 .. packets) hold a packet each (IP header first)
    std::size_t dropped = 0;  // malformed offload packets dropped (see the queue's counters)
    int error = 0;            // 0, or the errno (not EAGAIN/EINTR) that ended the batch early
};

enum class WriteOutcome : std::uint8_t {
    kWritten,
    kWouldBlock,  // EAGAIN: the device's queue is full; drop or retry after POLLOUT
    kDeviceDown,  // EIO: the link is down
    kRejected,    // EINVAL and the like: the kernel refused this packet
    kFailed,      // anything else (errno in last_write_error())
};
std::string_view to_string(WriteOutcome outcome) noexcept;

class PacketIo {
public:
    virtual ~PacketIo() = default;

    // Reads packets into buffers (each reset; the packet starts after the default headroom)
    // until none is waiting or the batch is full. Never blocks.
    virtual ReadResult read_batch(std::span<packet::PacketBuffer* const> buffers) noexcept = 0;
    // Writes one IP packet. Never blocks.
    virtual WriteOutcome write(const packet::PacketBuffer& packet) noexcept = 0;
    // A descriptor that polls readable while packets wait (for epoll/poll).
    virtual int readable_fd() const noexcept = 0;

protected:
    PacketIo() = default;
    PacketIo(const PacketIo&) = default;
    PacketIo(PacketIo&&) = default;
    PacketIo& operator=(const PacketIo&) = default;
    PacketIo& operator=(PacketIo&&) = default;
};

}  // namespace sixgate::net::tun
