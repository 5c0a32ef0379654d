#include "net/ula.hpp"

#include <gtest/gtest.h>

#include <string>

#include "net/sha1.hpp"

namespace sixgate::net {
namespace {

std::string hex(const Sha1Digest& digest) {
    std::string out;
    char buffer[3];
    for (auto byte : digest) std::snprintf(buffer, sizeof buffer, "%02x", byte), out += buffer;
    return out;
}

Sha1Digest sha1_of(const std::string& text) {
    return sha1(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// FIPS 180-2 appendix A and the usual known answers; lengths around the 55/56/64-byte padding edges.
TEST(Sha1, MatchesKnownAnswers) {
    EXPECT_EQ(hex(sha1_of("")), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    EXPECT_EQ(hex(sha1_of("abc")), "a9993e364706816aba3e25717850c26c9cd0d89d");
    EXPECT_EQ(hex(sha1_of("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
              "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    EXPECT_EQ(hex(sha1_of(std::string(1'000'000, 'a'))), "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    EXPECT_EQ(hex(sha1_of(std::string(64, 'a'))), "0098ba824b5c16427bd7a1122a5a442a25ec644d");
    EXPECT_EQ(hex(sha1_of(std::string(55, 'a'))), "c1c8bbdc22796e28c0e15163d20899b65621d65a");
}

// Key = NTP time || EUI-64; Global ID = the low 40 bits of SHA-1 (checked with Python's hashlib).
TEST(UlaGlobalId, IsTheLeastSignificant40BitsOfSha1OverTimeAndEui64) {
    const Eui64 eui64 = eui64_from_mac({0x00, 0x11, 0x22, 0x33, 0x44, 0x55});
    EXPECT_EQ(eui64, (Eui64{0x00, 0x11, 0x22, 0xff, 0xfe, 0x33, 0x44, 0x55}));
    const UlaGlobalId id = ula_global_id(0xe8d123456789abcdull, eui64);
    EXPECT_EQ(id, (UlaGlobalId{0x47, 0x54, 0x7a, 0xd1, 0x33}));
    EXPECT_EQ(ula_prefix(id).to_string(), "fd47:547a:d133::/48");
}

TEST(UlaPrefix, IsAnFdSlash48) {
    const Ipv6Prefix prefix = generate_ula_prefix();
    EXPECT_EQ(prefix.length(), 48);
    EXPECT_TRUE(is_local_ula(prefix));
    EXPECT_EQ(prefix.address().bytes()[0], 0xfd);
}

TEST(UlaPrefix, DiffersAcrossTimes) {
    const Eui64 eui64 = system_eui64();
    EXPECT_NE(ula_global_id(1ull << 32, eui64), ula_global_id(2ull << 32, eui64));
}

TEST(NtpTime, CountsFrom1900) {
    // 2020-01-01 is 3786825600 s after 1900-01-01; any clock here is later.
    EXPECT_GT(ntp_time_now() >> 32, 3786825600ull);
}

}  // namespace
}  // namespace sixgate::net
