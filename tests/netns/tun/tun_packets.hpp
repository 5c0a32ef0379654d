#pragma once
// Packet builders and checkers for the TUN namespace tests: the test plays the far end of the
// TUN (the "peer"), so it must build checksummed IPv4/IPv6 UDP, ICMP and TCP packets itself.

#include <arpa/inet.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "net/byte_order.hpp"
#include "net/checksum.hpp"

namespace sixgate::net::tun::testing {

using Bytes = std::vector<std::byte>;

inline constexpr std::uint8_t kTcp = 6;
inline constexpr std::uint8_t kUdp = 17;
inline constexpr std::uint8_t kIcmp = 1;
inline constexpr std::uint8_t kIcmpv6 = 58;

// One side of the TUN: the namespace's own address (kernel) and the peer behind the TUN.
struct Family {
    bool v6 = false;
    std::string kernel_address;
    std::string peer_address;

    std::size_t ip_header_length() const { return v6 ? 40 : 20; }
    Bytes address_bytes(const std::string& text) const {
        Bytes bytes(v6 ? 16 : 4);
        ::inet_pton(v6 ? AF_INET6 : AF_INET, text.c_str(), bytes.data());
        return bytes;
    }
};

inline const Family kIpv4{false, "10.99.0.1", "10.99.0.2"};
inline const Family kIpv6{true, "fd99::1", "fd99::2"};

inline std::uint8_t u8(std::span<const std::byte> bytes, std::size_t at) {
    return std::to_integer<std::uint8_t>(bytes[at]);
}

inline std::uint8_t ip_version(std::span<const std::byte> packet) {
    return packet.empty() ? 0 : static_cast<std::uint8_t>(u8(packet, 0) >> 4);
}

// Transport offset and protocol (no IPv6 extension headers in these tests).
inline std::size_t l4_offset(std::span<const std::byte> packet) {
    return ip_version(packet) == 4 ? std::size_t{u8(packet, 0) & 0x0fu} * 4 : 40;
}
inline std::uint8_t l4_protocol(std::span<const std::byte> packet) {
    return ip_version(packet) == 4 ? u8(packet, 9) : u8(packet, 6);
}

// The upper-layer sum over pseudo-header and transport bytes (checksum field included).
inline std::uint16_t l4_sum(std::span<const std::byte> packet) {
    const std::size_t l4 = l4_offset(packet);
    ChecksumAccumulator sum;
    if (ip_version(packet) == 4)
        sum.add(packet.subspan(12, 8));
    else
        sum.add(packet.subspan(8, 32));
    sum.add_u16(l4_protocol(packet));
    sum.add_u32(static_cast<std::uint32_t>(packet.size() - l4));
    sum.add(packet.subspan(l4));
    return sum.folded_sum();
}

inline bool l4_checksum_valid(std::span<const std::byte> packet) {
    if (ip_version(packet) == 4 && l4_protocol(packet) == kIcmp) {
        ChecksumAccumulator sum;
        sum.add(packet.subspan(l4_offset(packet)));
        return sum.folded_sum() == 0xffff;
    }
    return l4_sum(packet) == 0xffff;
}

inline bool ipv4_header_checksum_valid(std::span<const std::byte> packet) {
    ChecksumAccumulator sum;
    sum.add(packet.first(l4_offset(packet)));
    return sum.folded_sum() == 0xffff;
}

// The IP length field agrees with the packet's size.
inline bool ip_length_matches(std::span<const std::byte> packet) {
    if (ip_version(packet) == 4) return load_be16(packet, 2) == packet.size();
    return std::size_t{load_be16(packet, 4)} + 40 == packet.size();
}

// An IP packet from src to dst around `l4`, with the transport checksum at `checksum_at` (in l4)
// filled in (ICMPv4: no pseudo-header).
inline Bytes build_ip(const Family& family, const std::string& src, const std::string& dst,
                      std::uint8_t protocol, Bytes l4, std::size_t checksum_at) {
    Bytes packet(family.ip_header_length());
    const Bytes s = family.address_bytes(src), d = family.address_bytes(dst);
    if (family.v6) {
        packet[0] = std::byte{0x60};
        store_be16(packet, 4, static_cast<std::uint16_t>(l4.size()));
        packet[6] = std::byte{protocol};
        packet[7] = std::byte{64};
        std::copy(s.begin(), s.end(), packet.begin() + 8);
        std::copy(d.begin(), d.end(), packet.begin() + 24);
    } else {
        packet[0] = std::byte{0x45};
        store_be16(packet, 2, static_cast<std::uint16_t>(20 + l4.size()));
        store_be16(packet, 6, 0x4000);  // DF
        packet[8] = std::byte{64};
        packet[9] = std::byte{protocol};
        std::copy(s.begin(), s.end(), packet.begin() + 12);
        std::copy(d.begin(), d.end(), packet.begin() + 16);
        ChecksumAccumulator sum;
        sum.add(std::span<const std::byte>(packet));
        store_be16(packet, 10, sum.checksum());
    }
    const std::size_t l4_at = packet.size();
    packet.insert(packet.end(), l4.begin(), l4.end());
    store_be16(packet, l4_at + checksum_at, 0);
    std::uint16_t checksum;
    if (!family.v6 && protocol == kIcmp) {
        ChecksumAccumulator sum;
        sum.add(std::span<const std::byte>(packet).subspan(l4_at));
        checksum = sum.checksum();
    } else {
        checksum = static_cast<std::uint16_t>(~l4_sum(packet));
    }
    if (protocol == kUdp && checksum == 0) checksum = 0xffff;
    store_be16(packet, l4_at + checksum_at, checksum);
    return packet;
}

inline Bytes build_udp(const Family& family, const std::string& src, const std::string& dst,
                       std::uint16_t sport, std::uint16_t dport, std::span<const std::byte> data) {
    Bytes udp(8);
    store_be16(udp, 0, sport);
    store_be16(udp, 2, dport);
    store_be16(udp, 4, static_cast<std::uint16_t>(8 + data.size()));
    udp.insert(udp.end(), data.begin(), data.end());
    return build_ip(family, src, dst, kUdp, std::move(udp), 6);
}

struct TcpFields {
    std::uint16_t sport = 0;
    std::uint16_t dport = 0;
    std::uint32_t seq = 0;
    std::uint32_t ack = 0;
    std::uint8_t flags = 0;
    std::uint16_t window = 65535;
    Bytes options;  // a multiple of 4 bytes
};

inline Bytes build_tcp(const Family& family, const std::string& src, const std::string& dst,
                       const TcpFields& f) {
    Bytes tcp(20);
    store_be16(tcp, 0, f.sport);
    store_be16(tcp, 2, f.dport);
    store_be32(tcp, 4, f.seq);
    store_be32(tcp, 8, f.ack);
    tcp[12] = std::byte(static_cast<std::uint8_t>((20 + f.options.size()) / 4 << 4));
    tcp[13] = std::byte{f.flags};
    store_be16(tcp, 14, f.window);
    tcp.insert(tcp.end(), f.options.begin(), f.options.end());
    return build_ip(family, src, dst, kTcp, std::move(tcp), 16);
}

}  // namespace sixgate::net::tun::testing
