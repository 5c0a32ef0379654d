// Byte-exact conformance of translate_ipv6_to_ipv4 with RFC 7915 section 5: every input and every
// expected output in vectors_6to4.hpp was built by scapy (make_6to4_vectors.py), not by this code.
// The first test fails (does not skip) when Debian's python3 or scapy is missing: then nothing
// confirms the vectors.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "tests/unit/xlat/ipv6_to_ipv4/translate_6to4_test_util.hpp"
#include "tests/unit/xlat/ipv6_to_ipv4/vectors_6to4.hpp"
#include "xlat/ipv6_to_ipv4.hpp"

namespace sixgate::xlat::vectors6to4 {
// Test names show the vector's name, never its bytes (pointers differ from run to run).
void PrintTo(const Vector& vector, std::ostream* out) { *out << vector.name; }
}  // namespace sixgate::xlat::vectors6to4

namespace sixgate::xlat::testing {
namespace {

constexpr const char* kPython = "/usr/bin/python3";
const std::string kDirectory = SIXGATE_6TO4_TEST_DIR;

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

TEST(Translate6to4Vectors, EqualWhatTheScapyScriptGenerates) {
    RecordProperty("rfc", "7915 5");
    const auto [generated, status] =
        run(std::string(kPython) + " " + kDirectory + "/make_6to4_vectors.py");
    ASSERT_EQ(status, 0) << kPython << " with scapy 2.5 is needed (apt-get install python3-scapy)";
    std::ifstream file(kDirectory + "/vectors_6to4.hpp");
    ASSERT_TRUE(file) << "cannot read vectors_6to4.hpp";
    std::stringstream embedded;
    embedded << file.rdbuf();
    std::istringstream want(generated);
    std::istringstream have(embedded.str());
    std::string want_line;
    std::string have_line;
    for (int line = 1;; ++line) {
        const bool more_want = static_cast<bool>(std::getline(want, want_line));
        const bool more_have = static_cast<bool>(std::getline(have, have_line));
        if (!more_want && !more_have) break;
        ASSERT_TRUE(more_want == more_have && want_line == have_line)
            << "vectors_6to4.hpp line " << line << " is \"" << have_line
            << "\", the script writes \"" << want_line
            << "\"; regenerate: /usr/bin/python3 make_6to4_vectors.py > vectors_6to4.hpp";
    }
}

std::string_view verdict_name(Verdict verdict) {
    switch (verdict) {
        case Verdict::translated:
            return "translated";
        case Verdict::icmp_error:
            return "icmp_error";
        case Verdict::drop:
            return "drop";
    }
    return "?";
}

class Translate6to4 : public ::testing::TestWithParam<vectors6to4::Vector> {};

TEST_P(Translate6to4, GivesWhatRfc7915Says) {
    const vectors6to4::Vector& vector = GetParam();
    RecordProperty("rfc", std::string(vector.rfc));
    auto& buffer = scratch_buffer();
    ASSERT_TRUE(buffer.assign(as_bytes(vector.input)));
    TranslatorSettings settings;
    settings.ipv4_next_hop_mtu = vector.ipv4_next_hop_mtu;
    settings.ipv6_next_hop_mtu = vector.ipv6_next_hop_mtu;

    const TranslationResult result = translate_ipv6_to_ipv4(buffer, mapping_named(vector.mapping),
                                                            settings, vectors6to4::kIdentification);

    EXPECT_EQ(verdict_name(result.verdict), vector.verdict);
    if (vector.verdict != "translated") {
        EXPECT_EQ(to_string(result.reason), vector.reason);
    }
    if (vector.verdict == "drop") {
        // Nothing was written: the input is still there for the caller.
        EXPECT_EQ(to_vector(buffer.data()),
                  std::vector<std::uint8_t>(vector.input.begin(), vector.input.end()));
        return;
    }
    EXPECT_EQ(result.length, buffer.size());
    EXPECT_EQ(to_vector(buffer.data()),
              std::vector<std::uint8_t>(vector.output.begin(), vector.output.end()));
    ASSERT_EQ(result.fragment_count, vector.fragment_lengths.size());
    for (std::size_t i = 0; i < result.fragment_count; ++i)
        EXPECT_EQ(result.fragment_lengths[i], vector.fragment_lengths[i]) << "fragment " << i;
}

INSTANTIATE_TEST_SUITE_P(Scapy, Translate6to4, ::testing::ValuesIn(vectors6to4::kAll),
                         [](const ::testing::TestParamInfo<vectors6to4::Vector>& info) {
                             return std::string(info.param.name);
                         });

}  // namespace
}  // namespace sixgate::xlat::testing
