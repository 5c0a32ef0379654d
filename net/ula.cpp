#include "net/ula.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "net/sha1.hpp"

namespace sixgate::net {

UlaGlobalId ula_global_id(std::uint64_t ntp_time, const Eui64& eui64) noexcept {
    std::array<std::uint8_t, 16> key;
    for (int i = 0; i < 8; ++i) key[i] = std::uint8_t(ntp_time >> (56 - 8 * i));
    for (int i = 0; i < 8; ++i) key[8 + i] = eui64[i];
    const Sha1Digest digest = sha1(key);
    UlaGlobalId id;
    for (int i = 0; i < 5; ++i) id[i] = digest[15 + i];
    return id;
}

Ipv6Prefix ula_prefix(const UlaGlobalId& global_id) noexcept {
    Ipv6Address::Bytes bytes{};
    bytes[0] = 0xfd;
    for (int i = 0; i < 5; ++i) bytes[1 + i] = global_id[i];
    return Ipv6Prefix(Ipv6Address(bytes), 48);
}

bool is_local_ula(const Ipv6Prefix& prefix) noexcept {
    return prefix.length() >= 8 && prefix.address().bytes()[0] == 0xfd;
}

Eui64 eui64_from_mac(const std::array<std::uint8_t, 6>& mac) noexcept {
    return {mac[0], mac[1], mac[2], 0xff, 0xfe, mac[3], mac[4], mac[5]};
}

std::uint64_t ntp_time_now() noexcept {
    using namespace std::chrono;
    constexpr std::uint64_t kNtpToUnixSeconds = 2208988800ull;  // 1900-01-01 to 1970-01-01
    const auto since_epoch = system_clock::now().time_since_epoch();
    const auto seconds = duration_cast<std::chrono::seconds>(since_epoch);
    const auto nanos = duration_cast<nanoseconds>(since_epoch - seconds).count();
    const std::uint64_t fraction = (std::uint64_t(nanos) << 32) / 1'000'000'000ull;
    return (std::uint64_t(seconds.count()) + kNtpToUnixSeconds) << 32 | fraction;
}

namespace {

bool parse_mac(const std::string& text, std::array<std::uint8_t, 6>& mac) {
    unsigned b[6];
    if (std::sscanf(text.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4],
                    &b[5]) != 6)
        return false;
    bool non_zero = false;
    for (int i = 0; i < 6; ++i) mac[i] = std::uint8_t(b[i]), non_zero |= b[i] != 0;
    return non_zero;
}

}  // namespace

Eui64 system_eui64() {
    std::error_code ec;
    std::filesystem::directory_iterator it("/sys/class/net", ec), end;
    std::vector<std::filesystem::path> interfaces;
    for (; !ec && it != end; it.increment(ec)) interfaces.push_back(it->path());
    std::sort(interfaces.begin(), interfaces.end());
    for (const auto& interface : interfaces) {
        std::ifstream file(interface / "address");
        std::string text;
        std::array<std::uint8_t, 6> mac;
        if (std::getline(file, text) && parse_mac(text, mac)) return eui64_from_mac(mac);
    }
    std::ifstream machine_id("/etc/machine-id");
    std::string id;
    std::getline(machine_id, id);
    const Sha1Digest digest =
        sha1(std::span(reinterpret_cast<const std::uint8_t*>(id.data()), id.size()));
    Eui64 eui64;
    for (int i = 0; i < 8; ++i) eui64[i] = digest[i];
    return eui64;
}

Ipv6Prefix generate_ula_prefix() { return ula_prefix(ula_global_id(ntp_time_now(), system_eui64())); }

}  // namespace sixgate::net
