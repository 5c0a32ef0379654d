#include "net/tun/fake_tun.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <system_error>

namespace sixgate::net::tun {

FakeTun::FakeTun() : event_(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) {
    if (!event_) throw std::system_error(errno, std::generic_category(), "eventfd for FakeTun");
}

bool FakeTun::inject(std::span<const std::byte> packet) {
    if (packet.size() > packet::PacketBuffer::kMaxPacket) return false;
    const std::lock_guard lock(mutex_);
    inbound_.emplace_back(packet.begin(), packet.end());
    update_readable();
    return true;
}

std::size_t FakeTun::pending_reads() const {
    const std::lock_guard lock(mutex_);
    return inbound_.size();
}

std::vector<FakeTun::Bytes> FakeTun::take_written() {
    const std::lock_guard lock(mutex_);
    std::vector<Bytes> taken;
    taken.swap(written_);
    return taken;
}

std::size_t FakeTun::written_count() const {
    const std::lock_guard lock(mutex_);
    return written_.size();
}

void FakeTun::fail_next_read(int error) {
    const std::lock_guard lock(mutex_);
    read_error_ = error;
    update_readable();
}

void FakeTun::set_write_outcome(WriteOutcome outcome) {
    const std::lock_guard lock(mutex_);
    write_outcome_ = outcome;
}

ReadResult FakeTun::read_batch(std::span<packet::PacketBuffer* const> buffers) noexcept {
    const std::lock_guard lock(mutex_);
    ReadResult result;
    if (read_error_ != 0) {
        result.error = read_error_;
        read_error_ = 0;
    } else {
        while (result.packets < buffers.size() && !inbound_.empty()) {
            (void)buffers[result.packets]->assign(inbound_.front());
            inbound_.pop_front();
            ++result.packets;
        }
    }
    update_readable();
    return result;
}

WriteOutcome FakeTun::write(const packet::PacketBuffer& packet) noexcept {
    const std::lock_guard lock(mutex_);
    if (write_outcome_ != WriteOutcome::kWritten) return write_outcome_;
    try {
        written_.emplace_back(packet.data().begin(), packet.data().end());
    } catch (const std::bad_alloc&) {  // a test's fake, not the data path: report, go on
        return WriteOutcome::kFailed;
    }
    return WriteOutcome::kWritten;
}

void FakeTun::update_readable() noexcept {
    const bool readable = !inbound_.empty() || read_error_ != 0;
    if (readable == signalled_) return;
    if (readable) {
        const std::uint64_t one = 1;
        (void)!::write(event_.get(), &one, sizeof(one));
    } else {
        std::uint64_t count = 0;
        (void)!::read(event_.get(), &count, sizeof(count));
    }
    signalled_ = readable;
}

}  // namespace sixgate::net::tun
