#pragma once
// Mutable views: a translator or forwarder rewrites header fields in place. Separate types from
// the read-only views so a function's signature says whether it may write.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "net/byte_order.hpp"
#include "net/ip_address.hpp"

namespace sixgate::net::packet {

// Setters write the field only; checksums are the caller's (set_header_checksum,
// fill_header_checksum, or an RFC 1624 update with net/checksum.hpp) except where a setter's
// name says it updates the checksum.
class MutableIpv4Header {
public:
    // The header at the start of `bytes`: version 4, IHL >= 5 and IHL*4 bytes present. Lengths
    // beyond the header are not checked: parse an Ipv4View first.
    static std::optional<MutableIpv4Header> wrap(std::span<std::byte> bytes) noexcept;

    std::span<std::byte> header() const noexcept { return bytes_; }
    std::size_t header_length() const noexcept { return bytes_.size(); }
    std::uint16_t header_checksum() const noexcept { return load_be16(bytes_, 10); }
    std::uint8_t ttl() const noexcept { return std::to_integer<std::uint8_t>(bytes_[8]); }

    void set_tos(std::uint8_t tos) noexcept { bytes_[1] = std::byte{tos}; }
    void set_total_length(std::uint16_t length) noexcept { store_be16(bytes_, 2, length); }
    void set_identification(std::uint16_t id) noexcept { store_be16(bytes_, 4, id); }
    // DF and MF, and the offset in bytes. False (nothing written) unless the offset is a
    // multiple of 8 no greater than 65528.
    [[nodiscard]] bool set_fragment(bool dont_fragment, bool more_fragments,
                                    std::uint32_t offset_bytes) noexcept;
    void set_ttl(std::uint8_t ttl) noexcept { bytes_[8] = std::byte{ttl}; }
    void set_protocol(std::uint8_t protocol) noexcept { bytes_[9] = std::byte{protocol}; }
    void set_header_checksum(std::uint16_t checksum) noexcept { store_be16(bytes_, 10, checksum); }
    void set_source(const Ipv4Address& address) noexcept {
        store_be32(bytes_, 12, address.to_uint());
    }
    void set_destination(const Ipv4Address& address) noexcept {
        store_be32(bytes_, 16, address.to_uint());
    }
    // Recomputes the header checksum over the whole header (options included).
    void fill_header_checksum() noexcept;
    // Forwarding: TTL - 1 with the RFC 1624 checksum update. The caller checks ttl() > 1 first.
    void decrement_ttl() noexcept;

private:
    explicit MutableIpv4Header(std::span<std::byte> header) noexcept : bytes_(header) {}
    std::span<std::byte> bytes_;  // exactly the header: IHL*4 bytes
};

class MutableIpv6Header {
public:
    static constexpr std::size_t kHeaderLength = 40;

    // The fixed header at the start of `bytes`: 40 bytes present, version 6.
    static std::optional<MutableIpv6Header> wrap(std::span<std::byte> bytes) noexcept;

    std::span<std::byte> header() const noexcept { return bytes_; }
    std::uint8_t hop_limit() const noexcept { return std::to_integer<std::uint8_t>(bytes_[7]); }

    void set_traffic_class(std::uint8_t traffic_class) noexcept;
    // The low 20 bits are written; higher bits are ignored.
    void set_flow_label(std::uint32_t flow_label) noexcept;
    void set_payload_length(std::uint16_t length) noexcept { store_be16(bytes_, 4, length); }
    void set_next_header(std::uint8_t next_header) noexcept { bytes_[6] = std::byte{next_header}; }
    void set_hop_limit(std::uint8_t hop_limit) noexcept { bytes_[7] = std::byte{hop_limit}; }
    void set_source(const Ipv6Address& address) noexcept { set_address(8, address); }
    void set_destination(const Ipv6Address& address) noexcept { set_address(24, address); }

private:
    explicit MutableIpv6Header(std::span<std::byte> header) noexcept : bytes_(header) {}
    void set_address(std::size_t at, const Ipv6Address& address) noexcept;
    std::span<std::byte> bytes_;  // exactly 40 bytes
};

class MutableUdpHeader {
public:
    static std::optional<MutableUdpHeader> wrap(std::span<std::byte> bytes) noexcept;  // >= 8 bytes

    std::uint16_t checksum() const noexcept { return load_be16(bytes_, 6); }
    void set_source_port(std::uint16_t port) noexcept { store_be16(bytes_, 0, port); }
    void set_destination_port(std::uint16_t port) noexcept { store_be16(bytes_, 2, port); }
    void set_length(std::uint16_t length) noexcept { store_be16(bytes_, 4, length); }
    void set_checksum(std::uint16_t checksum) noexcept { store_be16(bytes_, 6, checksum); }

private:
    explicit MutableUdpHeader(std::span<std::byte> header) noexcept : bytes_(header) {}
    std::span<std::byte> bytes_;  // exactly 8 bytes
};

class MutableTcpHeader {
public:
    static std::optional<MutableTcpHeader> wrap(
        std::span<std::byte> bytes) noexcept;  // >= 20 bytes

    std::uint16_t checksum() const noexcept { return load_be16(bytes_, 16); }
    void set_source_port(std::uint16_t port) noexcept { store_be16(bytes_, 0, port); }
    void set_destination_port(std::uint16_t port) noexcept { store_be16(bytes_, 2, port); }
    void set_checksum(std::uint16_t checksum) noexcept { store_be16(bytes_, 16, checksum); }

private:
    explicit MutableTcpHeader(std::span<std::byte> header) noexcept : bytes_(header) {}
    std::span<std::byte> bytes_;  // exactly the 20-byte fixed header
};

// ICMP and ICMPv6 share the first 8 bytes' layout.
class MutableIcmpHeader {
public:
    static std::optional<MutableIcmpHeader> wrap(
        std::span<std::byte> bytes) noexcept;  // >= 8 bytes

    std::uint16_t checksum() const noexcept { return load_be16(bytes_, 2); }
    void set_type(std::uint8_t type) noexcept { bytes_[0] = std::byte{type}; }
    void set_code(std::uint8_t code) noexcept { bytes_[1] = std::byte{code}; }
    void set_checksum(std::uint16_t checksum) noexcept { store_be16(bytes_, 2, checksum); }
    void set_rest_of_header(std::uint32_t value) noexcept { store_be32(bytes_, 4, value); }

private:
    explicit MutableIcmpHeader(std::span<std::byte> header) noexcept : bytes_(header) {}
    std::span<std::byte> bytes_;  // exactly 8 bytes
};

}  // namespace sixgate::net::packet
