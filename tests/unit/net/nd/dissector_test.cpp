// The independent confirmation of the expected bytes: scapy builds every vector itself
// (nd_scapy_vectors.py), and tshark decodes the PREF64 options and checksums sixgate builds
// (nd_tshark_decode.py). Both run under Debian's /usr/bin/python3, which has python3-scapy.

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include <array>
#include <cstdio>
#include <map>
#include <sstream>
#include <string>

#include "nd_test_vectors.hpp"
#include "net/nd/option_builders.hpp"
#include "net/nd/router_messages.hpp"

#ifndef SIXGATE_ND_TEST_DIR
#error "SIXGATE_ND_TEST_DIR must name tests/unit/net/nd (set in its CMakeLists.txt)"
#endif

namespace sixgate::net::nd {
namespace {

using namespace test;

constexpr const char* kPython = "/usr/bin/python3";

struct CommandOutput {
    int exit_status = -1;
    std::string output;  // stdout and stderr together
};

CommandOutput run(const std::string& command) {
    CommandOutput result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> chunk;
    std::size_t read = 0;
    while ((read = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0)
        result.output.append(chunk.data(), read);
    const int status = ::pclose(pipe);
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string script(const char* name) {
    return std::string(SIXGATE_ND_TEST_DIR) + "/" + name;
}

// name -> hex, from one run of the scapy script for the whole suite (scapy is slow to import).
class ScapyVectors : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        output_ = run(std::string(kPython) + " " + script("nd_scapy_vectors.py"));
        std::istringstream lines(output_.output);
        std::string name, hex;
        while (lines >> name >> hex) vectors_[name] = hex;
    }

    // Fails, never skips, when scapy is missing: the expected bytes are then unconfirmed.
    std::string scapy(const std::string& name) {
        if (output_.exit_status != 0) {
            ADD_FAILURE() << kPython << " nd_scapy_vectors.py failed (exit " << output_.exit_status
                          << "); the ND vectors need Debian's python3 with python3-scapy:\n"
                          << output_.output;
            return "<scapy failed>";
        }
        auto found = vectors_.find(name);
        if (found == vectors_.end()) {
            ADD_FAILURE() << "nd_scapy_vectors.py printed no vector '" << name << "'";
            return "<missing>";
        }
        return found->second;
    }

    static inline CommandOutput output_;
    static inline std::map<std::string, std::string> vectors_;
};

std::string built(const NdOption& option) {
    std::array<std::uint8_t, 2048> buffer;
    auto length = build_option(option, buffer);
    if (!length) return "error: " + length.error().message;
    return to_hex(std::span<const std::uint8_t>(buffer).first(*length));
}

std::string built_ra(const RouterAdvertisement& ra) {
    std::array<std::uint8_t, 1500> buffer;
    auto length = build_router_advertisement(ra, buffer);
    if (!length) return "error: " + length.error().message;
    auto message = std::span(buffer).first(*length);
    fill_icmpv6_checksum(message, kRouterLinkLocal, kAllNodes);
    return to_hex(message);
}

TEST_F(ScapyVectors, ScapyBuildsTheSameOptionBytes) {
    const std::vector<std::tuple<std::string, std::string_view, NdOption>> options{
        {"slla", hex::kSlla, slla()},
        {"mtu", hex::kMtu, mtu()},
        {"pio", hex::kPio, pio()},
        {"pio_off_link", hex::kPioOffLink, pio_off_link()},
        {"rio_0", hex::kRio0, rio_0()},
        {"rio_48", hex::kRio48, rio_48()},
        {"rio_96", hex::kRio96, rio_96()},
        {"rdnss", hex::kRdnss, rdnss()},
        {"dnssl", hex::kDnssl, dnssl()},
        {"pref64_96", hex::kPref64Of96, pref64_96()},
        {"pref64_56", hex::kPref64Of56, pref64_56()},
        {"pref64_32", hex::kPref64Of32, pref64_32()},
    };
    for (const auto& [name, expected, option] : options) {
        EXPECT_EQ(scapy(name), expected) << name;
        EXPECT_EQ(built(option), expected) << name;
    }
}

TEST_F(ScapyVectors, ScapyBuildsTheSameFullAdvertisementIncludingItsChecksum) {
    EXPECT_EQ(scapy("ra_full"), hex::kRaFull);
    EXPECT_EQ(built_ra(ra_full()), hex::kRaFull);
}

TEST_F(ScapyVectors, ScapyBuildsTheSameAdvertisementOfANonDefaultRouter) {
    EXPECT_EQ(scapy("ra_not_default_router"), hex::kRaNotDefaultRouter);
    EXPECT_EQ(built_ra(ra_not_default_router()), hex::kRaNotDefaultRouter);
}

TEST_F(ScapyVectors, ScapyBuildsTheSameRouterSolicitations) {
    EXPECT_EQ(scapy("rs_slla"), hex::kRsSlla);
    EXPECT_EQ(scapy("rs_unspecified"), hex::kRsUnspecified);
}

// tshark's reading of an RA sixgate built, from fe80::1 to ff02::1.
std::string tshark_decode(const std::string& ra_hex) {
    if (::access("/usr/bin/tshark", X_OK) != 0) return "<no tshark>";
    const auto result = run(std::string(kPython) + " " + script("nd_tshark_decode.py") + " " +
                            ra_hex + " fe80::1 ff02::1");
    if (result.exit_status != 0)
        return "nd_tshark_decode.py failed (exit " + std::to_string(result.exit_status) + "):\n" +
               result.output;
    return result.output;
}

TEST(TsharkDissector, DecodesThePref64OptionAndChecksumOfTheFullAdvertisement) {
    const std::string decoded = tshark_decode(built_ra(ra_full()));
    if (decoded == "<no tshark>") GTEST_SKIP() << "tshark is not installed";
    EXPECT_EQ(decoded,
              "checksum_status=1\n"
              "pref64 scaled_lifetime=225 plc=0 prefix=64:ff9b::\n");
}

TEST(TsharkDissector, DecodesEveryPref64LengthCodeAndTheLargestLifetime) {
    auto ra = ra_not_default_router();
    ra.options = {pref64_96(),
                  pref64_56(),
                  pref64_32(),
                  Pref64Option{prefix("2001:db8:1::/48"), 1},
                  Pref64Option{prefix("2001:db8:100::/40"), 0},
                  Pref64Option{prefix("2001:db8:1:2::/64"), 4096}};
    const std::string decoded = tshark_decode(built_ra(ra));
    if (decoded == "<no tshark>") GTEST_SKIP() << "tshark is not installed";
    EXPECT_EQ(decoded,
              "checksum_status=1\n"
              "pref64 scaled_lifetime=225 plc=0 prefix=64:ff9b::\n"
              "pref64 scaled_lifetime=75 plc=2 prefix=2001:db8:64:6400::\n"
              "pref64 scaled_lifetime=8191 plc=5 prefix=2001:db8::\n"
              "pref64 scaled_lifetime=1 plc=3 prefix=2001:db8:1::\n"
              "pref64 scaled_lifetime=0 plc=4 prefix=2001:db8:100::\n"
              "pref64 scaled_lifetime=4096 plc=1 prefix=2001:db8:1:2::\n");
}

}  // namespace
}  // namespace sixgate::net::nd
