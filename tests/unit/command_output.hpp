#pragma once
// What a shell command prints on standard output, for the tests that regenerate checked-in
// vectors with a script; a failing command's output starts with "exit status N: " (and
// "popen failed" when it could not be started), so it never equals a vectors file.

#include <cstdio>

#include <array>
#include <string>

namespace sixgate::testing {

inline std::string command_output(const std::string& command) {
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return "popen failed";
    std::string output;
    std::array<char, 4096> chunk{};
    std::size_t n = 0;
    while ((n = fread(chunk.data(), 1, chunk.size(), pipe)) > 0) output.append(chunk.data(), n);
    const int status = pclose(pipe);
    if (status != 0) output = "exit status " + std::to_string(status) + ": " + output;
    return output;
}

}  // namespace sixgate::testing
