// The checked-in vectors are what make_4to6_vectors.py (scapy) prints today: a change to the
// script without regenerating, or a scapy that disagrees, fails here. scapy missing fails too.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/unit/command_output.hpp"

namespace {

using sixgate::testing::command_output;

TEST(Translate4to6Vectors, AreWhatScapyBuildsToday) {
    RecordProperty("rfc", "7915 4");
    std::ifstream file(SIXGATE_4TO6_VECTOR_DIR "/vectors_4to6.hpp");
    ASSERT_TRUE(file) << "cannot read vectors_4to6.hpp";
    std::stringstream checked_in;
    checked_in << file.rdbuf();
    const std::string generated =
        command_output("/usr/bin/python3 " SIXGATE_4TO6_VECTOR_DIR "/make_4to6_vectors.py");
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
