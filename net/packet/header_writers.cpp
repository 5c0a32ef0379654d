#include "net/packet/header_writers.hpp"

#include <cstring>

#include "net/byte_order.hpp"
#include "net/checksum.hpp"

namespace sixgate::net::packet {

namespace {

constexpr std::uint32_t kMaxFragmentOffset = 65528;  // 13 bits of 8-byte units

bool valid_fragment_offset(std::uint32_t offset_bytes) noexcept {
    return offset_bytes % 8 == 0 && offset_bytes <= kMaxFragmentOffset;
}

}  // namespace

std::size_t write_ipv4_header(std::span<std::byte> out, const Ipv4HeaderFields& fields) noexcept {
    constexpr std::size_t kLength = 20;
    if (out.size() < kLength || !valid_fragment_offset(fields.fragment_offset)) return 0;
    const auto header = out.first(kLength);
    header[0] = std::byte{0x45};  // version 4, IHL 5
    header[1] = std::byte{fields.tos};
    store_be16(header, 2, fields.total_length);
    store_be16(header, 4, fields.identification);
    store_be16(header, 6,
               static_cast<std::uint16_t>((fields.dont_fragment ? 0x4000 : 0) |
                                          (fields.more_fragments ? 0x2000 : 0) |
                                          fields.fragment_offset >> 3));
    header[8] = std::byte{fields.ttl};
    header[9] = std::byte{fields.protocol};
    store_be16(header, 10, 0);
    store_be32(header, 12, fields.source.to_uint());
    store_be32(header, 16, fields.destination.to_uint());
    ChecksumAccumulator sum;
    sum.add(std::span<const std::byte>(header));
    store_be16(header, 10, sum.checksum());
    return kLength;
}

std::size_t write_ipv6_header(std::span<std::byte> out, const Ipv6HeaderFields& fields) noexcept {
    constexpr std::size_t kLength = 40;
    if (out.size() < kLength || fields.flow_label > 0xfffff) return 0;
    store_be32(
        out, 0,
        std::uint32_t{6} << 28 | std::uint32_t{fields.traffic_class} << 20 | fields.flow_label);
    store_be16(out, 4, fields.payload_length);
    out[6] = std::byte{fields.next_header};
    out[7] = std::byte{fields.hop_limit};
    std::memcpy(out.data() + 8, fields.source.bytes().data(), 16);
    std::memcpy(out.data() + 24, fields.destination.bytes().data(), 16);
    return kLength;
}

std::size_t write_ipv6_fragment_header(std::span<std::byte> out,
                                       const Ipv6FragmentHeaderFields& fields) noexcept {
    constexpr std::size_t kLength = 8;
    if (out.size() < kLength || !valid_fragment_offset(fields.fragment_offset)) return 0;
    out[0] = std::byte{fields.next_header};
    out[1] = std::byte{0};  // reserved
    store_be16(
        out, 2,
        static_cast<std::uint16_t>(fields.fragment_offset | (fields.more_fragments ? 1 : 0)));
    store_be32(out, 4, fields.identification);
    return kLength;
}

}  // namespace sixgate::net::packet
