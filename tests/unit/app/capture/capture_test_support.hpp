#pragma once
// Shared by the capture tests: running scapy and tshark, the captures make_test_captures.py
// writes, hex, and temporary folders.

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <span>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#ifndef SIXGATE_CAPTURE_TEST_DIR
#error "SIXGATE_CAPTURE_TEST_DIR must name tests/unit/app/capture (set in its CMakeLists.txt)"
#endif
#ifndef SIXGATE_CAPTURE_VECTORS_DIR
#error "SIXGATE_CAPTURE_VECTORS_DIR must name a build folder (set in its CMakeLists.txt)"
#endif

namespace sixgate::app::capture::test {

// Debian's python: the one on PATH may be a pyenv build without scapy.
inline constexpr const char* kPython = "/usr/bin/python3";

struct CommandOutput {
    int exit_status = -1;
    std::string output;
};

// Runs a shell command; stdout, and stderr unless the command redirects it.
inline CommandOutput run(const std::string& command) {
    CommandOutput result;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> chunk;
    std::size_t read = 0;
    while ((read = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0)
        result.output.append(chunk.data(), read);
    const int status = ::pclose(pipe);
    result.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

inline std::string to_hex(std::span<const std::byte> bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string hex;
    for (std::byte b : bytes) {
        hex += kDigits[std::to_integer<unsigned>(b) >> 4];
        hex += kDigits[std::to_integer<unsigned>(b) & 0xF];
    }
    return hex;
}

inline std::vector<std::byte> from_hex(const std::string& hex) {
    std::vector<std::byte> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(static_cast<std::byte>(std::stoul(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

// A folder of its own under the temporary directory, removed with everything in it.
class TemporaryDirectory {
public:
    TemporaryDirectory() {
        std::string pattern =
            (std::filesystem::temp_directory_path() / "sixgate-capture-XXXXXX").string();
        if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
    }
    ~TemporaryDirectory() {
        std::error_code ignored;
        if (!path_.empty()) std::filesystem::remove_all(path_, ignored);
    }
    TemporaryDirectory(const TemporaryDirectory&) = delete;
    TemporaryDirectory& operator=(const TemporaryDirectory&) = delete;

    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

private:
    std::filesystem::path path_;
};

// What make_test_captures.py says a record must read back as.
struct ExpectedRecord {
    std::string label;
    std::int64_t seconds = 0;
    std::uint32_t nanoseconds = 0;
    int ip_version = 0;
    std::string not_ip;
    std::uint32_t original_length = 0;
    std::string hex;  // empty when no IP packet
};

struct ExpectedCapture {
    std::string file;
    std::vector<ExpectedRecord> records;
};

// The captures scapy writes, made once per build folder (scapy takes about half a second to
// import, and ctest runs each test in a process of its own): written to a fresh folder, then
// renamed into place, so concurrent test processes never see half a set.
class ScapyCaptures : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        namespace fs = std::filesystem;
        const fs::path directory = SIXGATE_CAPTURE_VECTORS_DIR;
        std::error_code error;
        if (!fs::exists(directory / "manifest.txt", error)) {
            std::string staging = directory.string() + ".tmp-XXXXXX";
            if (::mkdtemp(staging.data()) == nullptr) {
                generation_ = {-1, "cannot create " + staging};
                return;
            }
            generation_ = run(std::string(kPython) + " " + SIXGATE_CAPTURE_TEST_DIR +
                              "/make_test_captures.py " + staging + " 2>&1");
            if (generation_.exit_status == 0) fs::rename(staging, directory, error);
            // A concurrent process may have put its set in place first: use that one.
            fs::remove_all(staging, error);
            if (generation_.exit_status != 0) return;
        }
        directory_ = directory.string();
        std::ifstream manifest(directory / "manifest.txt");
        std::string line;
        ExpectedCapture* current = nullptr;
        while (std::getline(manifest, line)) {
            std::istringstream fields(line);
            std::string kind;
            fields >> kind;
            if (kind == "capture") {
                std::string name;
                fields >> name;
                current = &captures_[name];
                fields >> current->file;
            } else if (kind == "record" && current != nullptr) {
                ExpectedRecord record;
                fields >> record.label >> record.seconds >> record.nanoseconds >>
                    record.ip_version >> record.not_ip >> record.original_length >> record.hex;
                if (record.hex == "-") record.hex.clear();
                current->records.push_back(record);
            }
        }
    }

    // Fails, never skips, when the captures could not be made: the reader is then untested.
    static bool captures_made() {
        if (generation_.exit_status != 0) {
            ADD_FAILURE() << kPython << " make_test_captures.py failed (exit "
                          << generation_.exit_status
                          << "); the capture tests need Debian's python3 with python3-scapy and "
                             "editcap (tshark):\n"
                          << generation_.output;
            return false;
        }
        return true;
    }

    static std::string path_of(const std::string& file) { return directory_ + "/" + file; }

    static const ExpectedCapture* expected(const std::string& name) {
        auto found = captures_.find(name);
        if (found == captures_.end()) {
            ADD_FAILURE() << "make_test_captures.py wrote no capture '" << name << "'";
            return nullptr;
        }
        return &found->second;
    }

    static inline CommandOutput generation_{0, ""};
    static inline std::string directory_;
    static inline std::map<std::string, ExpectedCapture> captures_;
};

}  // namespace sixgate::app::capture::test
