#pragma once
// The state file of a lab that is up (RUN_DIR/state.json): every thing `lab up` made, recorded
// before it is made, so `lab down` can remove it all, also after a failed or killed `up`.
// Entry points: LabState, read_lab_state(), write_lab_state().

#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

#include "net/result.hpp"

namespace sixgate::lab {

struct LabHostProcess {
    std::string host;
    pid_t pid = 0;

    bool operator==(const LabHostProcess&) const = default;
};

struct LabState {
    std::string lab;
    std::string topology;       // the argument `up` was given ("" for the default built-in)
    std::string run_directory;  // holds this file, scripts, configs and logs
    std::vector<std::string> namespaces;       // made, or about to be made
    std::vector<std::string> control_sockets;  // the hosts' sixgate configs name these
    std::vector<LabHostProcess> processes;     // each host's main process

    bool operator==(const LabState&) const = default;
};

inline constexpr const char* kLabStateFileName = "state.json";
std::string lab_state_path(const std::string& run_directory);

std::string encode_lab_state(const LabState& state);
// Errors (code bad_message) name `path` and what is wrong.
Result<LabState> parse_lab_state(const std::string& text, const std::string& path);

// nullopt when there is no state file.
Result<std::optional<LabState>> read_lab_state(const std::string& run_directory);
// Writes a temporary file and renames it over the old one: a reader never sees half a file.
Result<void> write_lab_state(const LabState& state);

}  // namespace sixgate::lab
