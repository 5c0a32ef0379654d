#include "net/sha1.hpp"

#include <bit>
#include <cstring>

namespace sixgate::net {
namespace {

void process_block(std::array<std::uint32_t, 5>& h, const std::uint8_t* block) noexcept {
    std::uint32_t w[80];
    for (int i = 0; i < 16; ++i)
        w[i] = std::uint32_t(block[4 * i]) << 24 | std::uint32_t(block[4 * i + 1]) << 16 |
               std::uint32_t(block[4 * i + 2]) << 8 | block[4 * i + 3];
    for (int i = 16; i < 80; ++i) w[i] = std::rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);

    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
        std::uint32_t f, k;
        if (i < 20) f = (b & c) | (~b & d), k = 0x5a827999;
        else if (i < 40) f = b ^ c ^ d, k = 0x6ed9eba1;
        else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8f1bbcdc;
        else f = b ^ c ^ d, k = 0xca62c1d6;
        const std::uint32_t next = std::rotl(a, 5) + f + e + k + w[i];
        e = d, d = c, c = std::rotl(b, 30), b = a, a = next;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
}

}  // namespace

Sha1Digest sha1(std::span<const std::uint8_t> message) noexcept {
    std::array<std::uint32_t, 5> h{0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
    std::size_t offset = 0;
    for (; offset + 64 <= message.size(); offset += 64) process_block(h, message.data() + offset);

    // Padding: 0x80, zeros, then the message length in bits as a 64-bit big-endian number.
    std::uint8_t tail[128] = {};
    const std::size_t rest = message.size() - offset;
    if (rest) std::memcpy(tail, message.data() + offset, rest);
    tail[rest] = 0x80;
    const std::size_t tail_size = rest < 56 ? 64 : 128;
    const std::uint64_t bits = std::uint64_t(message.size()) * 8;
    for (int i = 0; i < 8; ++i) tail[tail_size - 1 - i] = std::uint8_t(bits >> (8 * i));
    for (std::size_t block = 0; block < tail_size; block += 64) process_block(h, tail + block);

    Sha1Digest digest;
    for (int i = 0; i < 5; ++i)
        for (int j = 0; j < 4; ++j) digest[4 * i + j] = std::uint8_t(h[i] >> (24 - 8 * j));
    return digest;
}

}  // namespace sixgate::net
