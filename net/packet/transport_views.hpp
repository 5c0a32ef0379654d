#pragma once
// Read-only views of upper-layer headers: UDP (RFC 768), TCP (RFC 9293), ICMP (RFC 792) and
// ICMPv6 (RFC 4443), plus the checksums over their pseudo-headers (RFC 768, RFC 8200 8.1).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "net/byte_order.hpp"
#include "net/ip_address.hpp"

namespace sixgate::net::packet {

namespace transport_detail {
inline std::uint8_t byte_at(std::span<const std::byte> bytes, std::size_t at) noexcept {
    return std::to_integer<std::uint8_t>(bytes[at]);
}
}  // namespace transport_detail

class UdpView {
public:
    static constexpr std::size_t kHeaderLength = 8;

    // RFC 768: 8 <= Length <= the buffer; bytes after Length are ignored.
    static std::optional<UdpView> parse(std::span<const std::byte> bytes) noexcept;
    // A quoted datagram or a first fragment: the header must be there, Length may point past the
    // end of the buffer (it must still be >= 8).
    static std::optional<UdpView> parse_truncated(std::span<const std::byte> bytes) noexcept;

    std::span<const std::byte> bytes() const noexcept { return bytes_; }
    std::span<const std::byte> header() const noexcept { return bytes_.first(kHeaderLength); }
    std::span<const std::byte> payload() const noexcept { return bytes_.subspan(kHeaderLength); }
    bool truncated() const noexcept { return bytes_.size() < length(); }

    std::uint16_t source_port() const noexcept { return load_be16(bytes_, 0); }
    std::uint16_t destination_port() const noexcept { return load_be16(bytes_, 2); }
    std::uint16_t length() const noexcept { return load_be16(bytes_, 4); }
    std::uint16_t checksum() const noexcept { return load_be16(bytes_, 6); }
    // RFC 768: zero means the sender computed none (allowed over IPv4 only; RFC 7915 4.5 says
    // what a translator does with it).
    bool has_zero_checksum() const noexcept { return checksum() == 0; }

private:
    explicit UdpView(std::span<const std::byte> bytes) noexcept : bytes_(bytes) {}
    std::span<const std::byte> bytes_;  // at least 8 bytes
};

class TcpView {
public:
    static constexpr std::size_t kMinHeaderLength = 20;

    static constexpr std::uint8_t kFin = 0x01;
    static constexpr std::uint8_t kSyn = 0x02;
    static constexpr std::uint8_t kRst = 0x04;
    static constexpr std::uint8_t kPsh = 0x08;
    static constexpr std::uint8_t kAck = 0x10;
    static constexpr std::uint8_t kUrg = 0x20;
    static constexpr std::uint8_t kEce = 0x40;
    static constexpr std::uint8_t kCwr = 0x80;

    // RFC 9293 3.1: Data Offset >= 5 and the header, options included, inside the buffer. TCP has
    // no length field: the segment is the whole buffer.
    static std::optional<TcpView> parse(std::span<const std::byte> bytes) noexcept;

    std::span<const std::byte> bytes() const noexcept { return bytes_; }
    std::span<const std::byte> header() const noexcept { return bytes_.first(header_length()); }
    std::span<const std::byte> options() const noexcept {
        return bytes_.subspan(kMinHeaderLength, header_length() - kMinHeaderLength);
    }
    std::span<const std::byte> payload() const noexcept { return bytes_.subspan(header_length()); }

    std::uint16_t source_port() const noexcept { return load_be16(bytes_, 0); }
    std::uint16_t destination_port() const noexcept { return load_be16(bytes_, 2); }
    std::uint32_t sequence_number() const noexcept { return load_be32(bytes_, 4); }
    std::uint32_t acknowledgment_number() const noexcept { return load_be32(bytes_, 8); }
    std::uint8_t data_offset() const noexcept {  // 32-bit words
        return static_cast<std::uint8_t>(transport_detail::byte_at(bytes_, 12) >> 4);
    }
    std::size_t header_length() const noexcept { return std::size_t{data_offset()} * 4; }
    // The eight flag bits of byte 13 (kFin ... kCwr).
    std::uint8_t flags() const noexcept { return transport_detail::byte_at(bytes_, 13); }
    bool fin() const noexcept { return (flags() & kFin) != 0; }
    bool syn() const noexcept { return (flags() & kSyn) != 0; }
    bool rst() const noexcept { return (flags() & kRst) != 0; }
    bool psh() const noexcept { return (flags() & kPsh) != 0; }
    bool ack() const noexcept { return (flags() & kAck) != 0; }
    bool urg() const noexcept { return (flags() & kUrg) != 0; }
    bool ece() const noexcept { return (flags() & kEce) != 0; }
    bool cwr() const noexcept { return (flags() & kCwr) != 0; }
    std::uint16_t window() const noexcept { return load_be16(bytes_, 14); }
    std::uint16_t checksum() const noexcept { return load_be16(bytes_, 16); }
    std::uint16_t urgent_pointer() const noexcept { return load_be16(bytes_, 18); }

private:
    explicit TcpView(std::span<const std::byte> bytes) noexcept : bytes_(bytes) {}
    std::span<const std::byte> bytes_;  // at least header_length() (>= 20) bytes
};

// The common ICMP/ICMPv6 layout: type, code, checksum, 32 bits that depend on the type, body.
class IcmpHeaderView {
public:
    static constexpr std::size_t kHeaderLength = 8;

    std::span<const std::byte> bytes() const noexcept { return bytes_; }
    std::span<const std::byte> header() const noexcept { return bytes_.first(kHeaderLength); }
    // After the 8-byte header: the quoted packet of an error, the data of an echo.
    std::span<const std::byte> body() const noexcept { return bytes_.subspan(kHeaderLength); }
    std::uint8_t type() const noexcept { return transport_detail::byte_at(bytes_, 0); }
    std::uint8_t code() const noexcept { return transport_detail::byte_at(bytes_, 1); }
    std::uint16_t checksum() const noexcept { return load_be16(bytes_, 2); }
    // Identifier and sequence of an echo, the MTU of Packet Too Big, the pointer of a Parameter
    // Problem, ...
    std::uint32_t rest_of_header() const noexcept { return load_be32(bytes_, 4); }
    std::uint16_t identifier() const noexcept { return load_be16(bytes_, 4); }  // echo
    std::uint16_t sequence() const noexcept { return load_be16(bytes_, 6); }    // echo

protected:
    explicit IcmpHeaderView(std::span<const std::byte> bytes) noexcept : bytes_(bytes) {}
    std::span<const std::byte> bytes_;  // at least 8 bytes
};

class IcmpView : public IcmpHeaderView {
public:
    static constexpr std::uint8_t kEchoReply = 0;
    static constexpr std::uint8_t kDestinationUnreachable = 3;
    static constexpr std::uint8_t kSourceQuench = 4;
    static constexpr std::uint8_t kRedirect = 5;
    static constexpr std::uint8_t kEchoRequest = 8;
    static constexpr std::uint8_t kTimeExceeded = 11;
    static constexpr std::uint8_t kParameterProblem = 12;

    // The 8-byte header must be there. An ICMP message has no length field of its own, so there
    // is no truncated mode: quoted ICMP messages parse the same way.
    static std::optional<IcmpView> parse(std::span<const std::byte> bytes) noexcept;

    // RFC 792: Destination Unreachable, Source Quench, Redirect, Time Exceeded, Parameter Problem
    // quote the packet that caused them.
    bool is_error() const noexcept;
    // RFC 1191: the next-hop MTU of Destination Unreachable / Fragmentation Needed (code 4).
    std::uint16_t next_hop_mtu() const noexcept { return load_be16(bytes_, 6); }
    // RFC 792: the pointer of a Parameter Problem.
    std::uint8_t pointer() const noexcept { return transport_detail::byte_at(bytes_, 4); }
    // RFC 792: the checksum over the whole message (no pseudo-header) verifies.
    bool checksum_valid() const noexcept;

private:
    using IcmpHeaderView::IcmpHeaderView;
};

class Icmpv6View : public IcmpHeaderView {
public:
    static constexpr std::uint8_t kDestinationUnreachable = 1;
    static constexpr std::uint8_t kPacketTooBig = 2;
    static constexpr std::uint8_t kTimeExceeded = 3;
    static constexpr std::uint8_t kParameterProblem = 4;
    static constexpr std::uint8_t kEchoRequest = 128;
    static constexpr std::uint8_t kEchoReply = 129;

    static std::optional<Icmpv6View> parse(std::span<const std::byte> bytes) noexcept;

    // RFC 4443 2.1: types 0..127 are errors.
    bool is_error() const noexcept { return type() < 128; }
    std::uint32_t mtu() const noexcept { return rest_of_header(); }      // Packet Too Big
    std::uint32_t pointer() const noexcept { return rest_of_header(); }  // Parameter Problem
    // RFC 4443 2.3: the checksum over the IPv6 pseudo-header and the whole message verifies.
    bool checksum_valid(const Ipv6Address& source, const Ipv6Address& destination) const noexcept;

private:
    using IcmpHeaderView::IcmpHeaderView;
};

// Upper-layer checksums: the complement of the one's-complement sum over the pseudo-header and the
// segment (its checksum field as it is: pass a segment with the field zeroed to compute one, or as
// received to verify, where a valid one gives 0). RFC 768 / RFC 9293 3.1 for IPv4, RFC 8200 8.1 for
// IPv6.
std::uint16_t upper_layer_checksum(const Ipv4Address& source, const Ipv4Address& destination,
                                   std::uint8_t protocol,
                                   std::span<const std::byte> segment) noexcept;
std::uint16_t upper_layer_checksum(const Ipv6Address& source, const Ipv6Address& destination,
                                   std::uint8_t next_header,
                                   std::span<const std::byte> segment) noexcept;

}  // namespace sixgate::net::packet
