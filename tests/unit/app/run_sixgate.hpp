#pragma once
// Runs the built sixgate binary (SIXGATE_BINARY, set by the test's CMake) with arguments and
// collects its exit status, standard output and standard error, for the CLI tests.

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <string>

#include <gtest/gtest.h>

namespace sixgate::testing {

struct Invocation {
    int status = -1;
    std::string out;  // standard output
    std::string err;  // standard error
};

inline Invocation run_sixgate(const std::string& arguments) {
    // A file of its own: ctest runs these tests in parallel processes.
    std::string err_file = ::testing::TempDir() + "sixgate_cli_stderr_XXXXXX";
    const int err_fd = mkstemp(err_file.data());
    if (err_fd >= 0) close(err_fd);
    const std::string command = std::string(SIXGATE_BINARY) + " " + arguments + " 2>" + err_file;
    Invocation run;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return run;
    std::array<char, 4096> buffer;
    std::size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) run.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (FILE* err = std::fopen(err_file.c_str(), "r")) {
        while ((n = std::fread(buffer.data(), 1, buffer.size(), err)) > 0) run.err.append(buffer.data(), n);
        std::fclose(err);
    }
    std::remove(err_file.c_str());
    return run;
}

}  // namespace sixgate::testing
