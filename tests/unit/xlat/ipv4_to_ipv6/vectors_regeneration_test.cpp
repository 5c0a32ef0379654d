// The checked-in vectors are what make_4to6_vectors.py (scapy) prints today: a change to the
// script without regenerating, or a scapy that disagrees, fails here. scapy missing fails too.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

namespace {

std::string run(const std::string& command) {
    std::string output;
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return output;
    std::array<char, 4096> chunk{};
    std::size_t n = 0;
    while ((n = fread(chunk.data(), 1, chunk.size(), pipe)) > 0) output.append(chunk.data(), n);
    const int status = pclose(pipe);
    if (status != 0) output = "exit status " + std::to_string(status) + ": " + output;
    return output;
}

TEST(Translate4to6Vectors, AreWhatScapyBuildsToday) {
    RecordProperty("rfc", "7915 4");
    std::ifstream file(SIXGATE_4TO6_VECTOR_DIR "/vectors_4to6.hpp");
    ASSERT_TRUE(file) << "cannot read vectors_4to6.hpp";
    std::stringstream checked_in;
    checked_in << file.rdbuf();
    const std::string generated =
        run("/usr/bin/python3 " SIXGATE_4TO6_VECTOR_DIR "/make_4to6_vectors.py");
    const std::string expected = checked_in.str();
    if (generated == expected) return;
    // Only the first line that differs: the files are long.
    std::istringstream a(generated), b(expected);
    std::string line_a, line_b;
    int line = 1;
    while (std::getline(a, line_a) && std::getline(b, line_b) && line_a == line_b) ++line;
    ADD_FAILURE() << "vectors_4to6.hpp differs from what the script prints at line " << line
                  << ":\n  script:    " << line_a.substr(0, 200)
                  << "\n  checked-in: " << line_b.substr(0, 200)
                  << "\nre-run make_4to6_vectors.py > vectors_4to6.hpp (needs /usr/bin/python3 "
                     "with scapy)";
}

}  // namespace
