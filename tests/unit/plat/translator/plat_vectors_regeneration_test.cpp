// The checked-in vectors are what make_plat_vectors.py (scapy) prints today: a change to the
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

TEST(PlatVectors, AreWhatScapyBuildsToday) {
    RecordProperty("rfc", "6146 3");
    std::ifstream file(SIXGATE_PLAT_VECTOR_DIR "/plat_vectors.hpp");
    ASSERT_TRUE(file) << "cannot read plat_vectors.hpp";
    std::stringstream checked_in;
    checked_in << file.rdbuf();
    const std::string generated =
        run("/usr/bin/python3 " SIXGATE_PLAT_VECTOR_DIR "/make_plat_vectors.py");
    EXPECT_TRUE(generated == checked_in.str())
        << "plat_vectors.hpp differs from what make_plat_vectors.py prints: re-run "
           "/usr/bin/python3 make_plat_vectors.py > plat_vectors.hpp";
}

}  // namespace
