// The checked-in vectors are what make_plat_vectors.py (scapy) prints today: a change to the
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

TEST(PlatVectors, AreWhatScapyBuildsToday) {
    RecordProperty("rfc", "6146 3");
    std::ifstream file(SIXGATE_PLAT_VECTOR_DIR "/plat_vectors.hpp");
    ASSERT_TRUE(file) << "cannot read plat_vectors.hpp";
    std::stringstream checked_in;
    checked_in << file.rdbuf();
    const std::string generated =
        command_output("/usr/bin/python3 " SIXGATE_PLAT_VECTOR_DIR "/make_plat_vectors.py");
    EXPECT_TRUE(generated == checked_in.str())
        << "plat_vectors.hpp differs from what make_plat_vectors.py prints: re-run "
           "/usr/bin/python3 make_plat_vectors.py > plat_vectors.hpp";
}

}  // namespace
