#pragma once
// The DHCPv4 messages scapy builds (dhcpv4_scapy_vectors.py), loaded once per test binary, and
// tshark's dissection of bytes sixgate built. Missing scapy or tshark fails the test.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstddef>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#ifndef SIXGATE_CLAT_TEST_DIR
#error "SIXGATE_CLAT_TEST_DIR must name tests/unit/clat"
#endif

namespace sixgate::clat::testing {

inline std::string run_command(const std::string& command, int& exit_status) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) {
        exit_status = -1;
        return output;
    }
    std::array<char, 4096> chunk;
    std::size_t read = 0;
    while ((read = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0)
        output.append(chunk.data(), read);
    const int status = ::pclose(pipe);
    exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return output;
}

inline std::string vectors_script() {
    return std::string("/usr/bin/python3 ") + SIXGATE_CLAT_TEST_DIR + "/dhcpv4_scapy_vectors.py";
}

inline std::vector<std::byte> from_hex(const std::string& hex) {
    std::vector<std::byte> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(std::byte(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

inline std::string to_hex(const std::vector<std::byte>& bytes) {
    std::string hex;
    char two[3];
    for (std::byte b : bytes) {
        std::snprintf(two, sizeof two, "%02x", std::to_integer<unsigned>(b));
        hex += two;
    }
    return hex;
}

// The scapy message called `name`; an empty vector (and a test failure) if there is none.
inline std::vector<std::byte> scapy_message(const std::string& name) {
    static int exit_status = 0;
    static const std::map<std::string, std::string> vectors = [] {
        std::map<std::string, std::string> loaded;
        const std::string output = run_command(vectors_script() + " 2>&1", exit_status);
        std::istringstream lines(output);
        std::string key, hex;
        while (lines >> key >> hex) loaded[key] = hex;
        if (exit_status != 0) loaded.clear(), loaded["error"] = output;
        return loaded;
    }();
    if (exit_status != 0) {
        ADD_FAILURE() << "dhcpv4_scapy_vectors.py failed (exit " << exit_status << ")";
        return {};
    }
    auto found = vectors.find(name);
    if (found == vectors.end()) {
        ADD_FAILURE() << "no scapy vector " << name;
        return {};
    }
    return from_hex(found->second);
}

// tshark -V of the message in an Ethernet/IPv4/UDP 68->67 frame.
inline std::string tshark_dissection(const std::vector<std::byte>& message) {
    int exit_status = 0;
    std::string output =
        run_command(vectors_script() + " --dissect " + to_hex(message) + " 2>&1", exit_status);
    if (exit_status != 0) ADD_FAILURE() << "tshark dissection failed:\n" << output;
    return output;
}

}  // namespace sixgate::clat::testing
