#pragma once
// VirtioNetHeader: the virtio_net_hdr a TUN device with IFF_VNET_HDR puts in front of every
// packet (virtio 1.2 5.1.6 "struct virtio_net_hdr"; Linux include/uapi/linux/virtio_net.h).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace sixgate::net::tun {

// The byte order of the header's 16-bit fields. A legacy virtio header is in the guest's
// native order; sixgate asks the kernel for little-endian (TUNSETVNETLE), the virtio 1.x order,
// so the fields are little-endian on every host where that ioctl works.
enum class VnetByteOrder : std::uint8_t { kLittle, kBig };

struct VirtioNetHeader {
    // The legacy header is 10 bytes; with num_buffers (VIRTIO_NET_F_MRG_RXBUF, and what
    // TUNSETVNETHDRSZ 12 asks for) it is 12.
    static constexpr std::size_t kLegacySize = 10;
    static constexpr std::size_t kSize = 12;

    // flags
    static constexpr std::uint8_t kFlagNeedsChecksum = 0x01;  // csum_start/csum_offset are valid
    static constexpr std::uint8_t kFlagDataValid = 0x02;      // checksum already verified
    // gso_type
    static constexpr std::uint8_t kGsoNone = 0;
    static constexpr std::uint8_t kGsoTcpV4 = 1;
    static constexpr std::uint8_t kGsoUdp = 3;  // UFO: IPv4 fragmentation, never split here
    static constexpr std::uint8_t kGsoTcpV6 = 4;
    static constexpr std::uint8_t kGsoUdpL4 = 5;   // USO (Linux 6.2)
    static constexpr std::uint8_t kGsoEcn = 0x80;  // the TCP super-packet carries CWR

    std::uint8_t flags = 0;
    std::uint8_t gso_type = 0;
    std::uint16_t hdr_len = 0;      // bytes of IP + transport header (a hint: recomputed on split)
    std::uint16_t gso_size = 0;     // payload bytes per segment (the MSS)
    std::uint16_t csum_start = 0;   // from the IP header (TUN has no link header)
    std::uint16_t csum_offset = 0;  // from csum_start to the checksum field
    std::uint16_t num_buffers = 0;  // only in the 12-byte header; 0 from TUN

    // Reads the first `size` (10 or 12) bytes. nullopt if bytes is shorter or size is neither.
    static std::optional<VirtioNetHeader> parse(
        std::span<const std::byte> bytes, std::size_t size = kSize,
        VnetByteOrder order = VnetByteOrder::kLittle) noexcept;
    // Writes `size` (10 or 12) bytes. False (nothing written) if out is shorter or size is
    // neither.
    [[nodiscard]] bool serialize(std::span<std::byte> out, std::size_t size = kSize,
                                 VnetByteOrder order = VnetByteOrder::kLittle) const noexcept;

    bool needs_checksum() const noexcept { return (flags & kFlagNeedsChecksum) != 0; }
    // gso_type without the ECN bit.
    std::uint8_t gso_kind() const noexcept {
        return static_cast<std::uint8_t>(gso_type & ~kGsoEcn);
    }
    bool is_gso() const noexcept { return gso_kind() != kGsoNone; }

    bool operator==(const VirtioNetHeader&) const = default;
};

}  // namespace sixgate::net::tun
