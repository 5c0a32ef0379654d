#pragma once
// FakeTun: an in-memory TUN for tests of whatever serves a PacketIo (CLAT, PLAT). The test
// plays the kernel: inject() queues packets the component will read, take_written() returns
// what it wrote. Failures are injectable. Thread-safe, so a data-path thread may serve it while
// the test thread drives it; readable_fd() is an eventfd readable while packets wait.

#include <cstddef>
#include <deque>
#include <mutex>
#include <span>
#include <vector>

#include "net/tun/packet_io.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::net::tun {

class FakeTun final : public PacketIo {
public:
    using Bytes = std::vector<std::byte>;

    FakeTun();
    FakeTun(const FakeTun&) = delete;
    FakeTun& operator=(const FakeTun&) = delete;

    // The test side ("the kernel").
    // Queues a packet for read_batch. False if it is longer than a PacketBuffer takes.
    [[nodiscard]] bool inject(std::span<const std::byte> packet);
    std::size_t pending_reads() const;
    // Everything written since the last call, oldest first.
    std::vector<Bytes> take_written();
    std::size_t written_count() const;
    // The next read_batch returns this errno (after any packets already waiting are not read).
    void fail_next_read(int error);
    // Writes return `outcome` (and are not recorded) until set back to kWritten.
    void set_write_outcome(WriteOutcome outcome);

    // PacketIo.
    ReadResult read_batch(std::span<packet::PacketBuffer* const> buffers) noexcept override;
    WriteOutcome write(const packet::PacketBuffer& packet) noexcept override;
    int readable_fd() const noexcept override { return event_.get(); }

private:
    void update_readable() noexcept;  // with mutex_ held

    mutable std::mutex mutex_;
    std::deque<Bytes> inbound_;
    std::vector<Bytes> written_;
    int read_error_ = 0;
    WriteOutcome write_outcome_ = WriteOutcome::kWritten;
    UniqueFd event_;
    bool signalled_ = false;
};

}  // namespace sixgate::net::tun
