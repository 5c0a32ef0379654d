// The embedded packet vectors must be exactly what make_packet_vectors.py writes with scapy, so
// the expected values in every test still come from scapy's dissector. Fails (does not skip) when
// Debian's python3 or scapy is missing: then nothing confirms the vectors.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

constexpr const char* kPython = "/usr/bin/python3";
const std::string kDirectory = SIXGATE_PACKET_TEST_DIR;

// The script's standard output and exit status.
std::pair<std::string, int> run(const std::string& command) {
    std::string output;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return {output, -1};
    std::array<char, 4096> chunk;
    std::size_t n;
    while ((n = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0)
        output.append(chunk.data(), n);
    return {output, ::pclose(pipe)};
}

TEST(PacketVectors, EqualWhatTheScapyScriptGenerates) {
    const auto [generated, status] =
        run(std::string(kPython) + " " + kDirectory + "/make_packet_vectors.py");
    ASSERT_EQ(status, 0) << kPython << " with scapy 2.5 is needed (apt-get install python3-scapy)";
    std::ifstream file(kDirectory + "/packet_vectors.hpp");
    ASSERT_TRUE(file) << "cannot read packet_vectors.hpp";
    std::stringstream embedded;
    embedded << file.rdbuf();
    // Report the first differing line, not two 50 kB strings.
    std::istringstream want(generated);
    std::istringstream have(embedded.str());
    std::string want_line;
    std::string have_line;
    for (int line = 1;; ++line) {
        const bool more_want = static_cast<bool>(std::getline(want, want_line));
        const bool more_have = static_cast<bool>(std::getline(have, have_line));
        if (!more_want && !more_have) break;
        ASSERT_TRUE(more_want == more_have && want_line == have_line)
            << "packet_vectors.hpp line " << line << " is \"" << have_line
            << "\", the script writes \"" << want_line
            << "\"; regenerate: /usr/bin/python3 make_packet_vectors.py > packet_vectors.hpp";
    }
}

}  // namespace
