// The checked-in vectors are what make_isatap_vectors.py (scapy, with tshark confirming the RA)
// prints today: a change to the script without regenerating, a scapy that disagrees, or a tshark
// that reads the RA differently fails here. scapy or tshark missing fails too.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/unit/command_output.hpp"

namespace {

using sixgate::testing::command_output;

TEST(IsatapVectors, AreWhatScapyBuildsAndTsharkConfirmsToday) {
    RecordProperty("rfc", "5214 8.2.3");
    std::ifstream file(SIXGATE_ISATAP_VECTOR_DIR "/isatap_vectors.hpp");
    ASSERT_TRUE(file) << "cannot read isatap_vectors.hpp";
    std::stringstream checked_in;
    checked_in << file.rdbuf();
    const std::string generated =
        command_output("/usr/bin/python3 " SIXGATE_ISATAP_VECTOR_DIR "/make_isatap_vectors.py 2>&1");
    EXPECT_TRUE(generated == checked_in.str())
        << "isatap_vectors.hpp differs from what make_isatap_vectors.py prints: re-run "
           "/usr/bin/python3 make_isatap_vectors.py > isatap_vectors.hpp\n"
        << generated.substr(0, 400);
}

}  // namespace
