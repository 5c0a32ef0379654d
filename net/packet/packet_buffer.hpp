#pragma once
// PacketBuffer: the buffer a data-path thread owns and reads one packet into, with headroom in
// front so headers can be prepended in place (IPv4->IPv6 growth, ISATAP encapsulation, a
// virtio_net_hdr) instead of copying the packet.

#include <array>
#include <cstddef>
#include <span>

namespace sixgate::net::packet {

class PacketBuffer {
public:
    // 128 bytes cover the worst prepend sixgate makes: a virtio_net_hdr (12), an ISATAP outer
    // IPv4 header (20), and IPv4->IPv6 growth (20, plus an 8-byte Fragment header).
    static constexpr std::size_t kHeadroom = 128;
    // The largest packet: an IPv4 or IPv6 (non-jumbo) packet, or a GSO super-packet from TUN,
    // is at most 64 KiB.
    static constexpr std::size_t kMaxPacket = 65536;
    static constexpr std::size_t kCapacity = kHeadroom + kMaxPacket;

    // Empty, the data starting after the headroom. 64 KiB inline: allocate it once (e.g. per
    // thread at start-up), never on a data-path stack.
    PacketBuffer() noexcept = default;
    PacketBuffer(const PacketBuffer&) = delete;  // copying 64 KiB is never what was meant
    PacketBuffer& operator=(const PacketBuffer&) = delete;

    // The current packet.
    std::span<std::byte> data() noexcept { return std::span(storage_).subspan(start_, length_); }
    std::span<const std::byte> data() const noexcept {
        return std::span(storage_).subspan(start_, length_);
    }
    std::size_t size() const noexcept { return length_; }
    bool empty() const noexcept { return length_ == 0; }
    // Bytes free in front of the packet.
    std::size_t headroom() const noexcept { return start_; }
    // Bytes from the start of the packet to the end of the storage: the most set_length accepts.
    std::size_t room() const noexcept { return kCapacity - start_; }

    // Empties the buffer with `headroom` bytes in front (at most kCapacity) and returns the
    // space to read a packet into; then set_length(bytes read).
    std::span<std::byte> reset(std::size_t headroom = kHeadroom) noexcept;
    // Copies `packet` in after the default headroom. False (buffer unchanged) if it is too long.
    [[nodiscard]] bool assign(std::span<const std::byte> packet) noexcept;

    // Grows the packet at the front by n bytes (their contents are whatever was there). False
    // (nothing changes) if n > headroom().
    [[nodiscard]] bool prepend(std::size_t n) noexcept {
        if (n > start_) return false;
        start_ -= n;
        length_ += n;
        return true;
    }
    // Removes n bytes from the front (e.g. a header being replaced). False if n > size().
    [[nodiscard]] bool trim_front(std::size_t n) noexcept {
        if (n > length_) return false;
        start_ += n;
        length_ -= n;
        return true;
    }
    // Sets the packet's length, keeping its start. False if n > room().
    [[nodiscard]] bool set_length(std::size_t n) noexcept {
        if (n > room()) return false;
        length_ = n;
        return true;
    }

private:
    std::array<std::byte, kCapacity> storage_{};
    std::size_t start_ = kHeadroom;
    std::size_t length_ = 0;
};

}  // namespace sixgate::net::packet
