#pragma once
// `sixgate lab down`: removing every thing a lab made, from its state file and by its namespace
// prefix, also after a failed, interrupted or killed `lab up`. Entry points: tear_down_lab(),
// lab_exists().

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

namespace sixgate::lab {

struct LabDownReport {
    bool was_up = false;  // anything of the lab existed
    bool ok = true;       // everything is gone
    std::size_t processes = 0;
    std::vector<std::string> namespaces;
    std::vector<std::string> files;  // control sockets and the run directory
};

// Removes everything of lab `lab` (run directory `run_directory`): its processes (TERM, then
// KILL after 2 s), namespaces, control sockets (the state's and `control_sockets`) and files.
// Prints what it removed; idempotent.
LabDownReport tear_down_lab(const std::string& lab, const std::string& run_directory,
                            const std::vector<std::string>& control_sockets, std::ostream& out, std::ostream& err);

// Whether anything of the lab exists: its state file or a namespace with its prefix.
bool lab_exists(const std::string& lab, const std::string& run_directory);

}  // namespace sixgate::lab
