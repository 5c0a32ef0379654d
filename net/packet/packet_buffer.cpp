#include "net/packet/packet_buffer.hpp"

#include <algorithm>

namespace sixgate::net::packet {

std::span<std::byte> PacketBuffer::reset(std::size_t headroom) noexcept {
    start_ = std::min(headroom, kCapacity);
    length_ = 0;
    return std::span(storage_).subspan(start_);
}

bool PacketBuffer::assign(std::span<const std::byte> packet) noexcept {
    if (packet.size() > kMaxPacket) return false;
    const auto space = reset();
    std::copy(packet.begin(), packet.end(), space.begin());
    length_ = packet.size();
    return true;
}

}  // namespace sixgate::net::packet
