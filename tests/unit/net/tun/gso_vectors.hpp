#pragma once
// Loads the scapy-made vectors of gso_vectors.py by running it with Debian's python3 (which has
// scapy). A missing scapy is a failure, not a skip: the expected bytes must come from it.

#include <cstddef>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "net/tun/virtio_net_header.hpp"

namespace sixgate::net::tun::testing {

using Bytes = std::vector<std::byte>;

inline Bytes from_hex(const std::string& hex) {
    Bytes bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<std::byte>(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

inline std::string to_hex(std::span<const std::byte> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (const std::byte b : bytes) {
        hex += kDigits[std::to_integer<int>(b) >> 4];
        hex += kDigits[std::to_integer<int>(b) & 0xf];
    }
    return hex;
}

struct GsoVector {
    VirtioNetHeader header;
    Bytes input;
    std::vector<Bytes> expected;
};

struct GsoVectors {
    std::map<std::string, GsoVector> cases;
    std::string error;  // non-empty if the script did not run
};

inline GsoVectors load_gso_vectors() {
    GsoVectors vectors;
    const std::string command =
        std::string("/usr/bin/python3 ") + SIXGATE_TUN_GSO_VECTORS + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) {
        vectors.error = "cannot run " + command;
        return vectors;
    }
    std::string output;
    char chunk[4096];
    std::size_t n;
    while ((n = std::fread(chunk, 1, sizeof(chunk), pipe)) > 0) output.append(chunk, n);
    if (::pclose(pipe) != 0) {
        vectors.error = command + " failed (is python3-scapy installed?): " + output;
        return vectors;
    }
    std::istringstream lines(output);
    std::string line;
    GsoVector* current = nullptr;
    while (std::getline(lines, line)) {
        std::istringstream words(line);
        std::string kind;
        words >> kind;
        if (kind == "case") {
            std::string name;
            words >> name;
            current = &vectors.cases[name];
        } else if (current && kind == "header") {
            unsigned flags = 0, type = 0, hdr_len = 0, gso_size = 0, start = 0, offset = 0;
            words >> flags >> type >> hdr_len >> gso_size >> start >> offset;
            current->header.flags = static_cast<std::uint8_t>(flags);
            current->header.gso_type = static_cast<std::uint8_t>(type);
            current->header.hdr_len = static_cast<std::uint16_t>(hdr_len);
            current->header.gso_size = static_cast<std::uint16_t>(gso_size);
            current->header.csum_start = static_cast<std::uint16_t>(start);
            current->header.csum_offset = static_cast<std::uint16_t>(offset);
        } else if (current && kind == "input") {
            std::string hex;
            words >> hex;
            current->input = from_hex(hex);
        } else if (current && kind == "expect") {
            std::string hex;
            words >> hex;
            current->expected.push_back(from_hex(hex));
        }
    }
    if (vectors.cases.empty()) vectors.error = "no cases from " + command + ": " + output;
    return vectors;
}

// Loaded once per test binary.
inline const GsoVectors& gso_vectors() {
    static const GsoVectors vectors = load_gso_vectors();
    return vectors;
}

}  // namespace sixgate::net::tun::testing
