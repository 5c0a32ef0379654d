#pragma once
// A file of the source tree as bytes, for the lab tests (ctest runs them in the source directory).

#include <fstream>
#include <sstream>
#include <string>

namespace sixgate::lab::testing {

inline std::string read_source_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace sixgate::lab::testing
