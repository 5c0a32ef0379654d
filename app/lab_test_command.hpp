#pragma once
// `sixgate lab test`: the topology's checks against a lab that is up (its namespaces named as in
// lab/lab_names.hpp, made by `lab up` or attached by the container test): a table row per check,
// a one-line verdict, exit status 0 only if every check met its expectation; --json.

#include <ostream>
#include <string>

#include "app/commands.hpp"

namespace sixgate::app {

struct LabTestOptions {
    std::string topology;        // a built-in name or a file; empty: the default built-in one
    std::string sixgate_program; // for `sixgate doctor` and `sixgate status` in the hosts; empty: this executable
    bool json = false;
};

int run_lab_test(const LabTestOptions& options, std::ostream& out, std::ostream& err);

// Registers test under `sixgate lab`.
void add_lab_test_command(CLI::App& lab, CommandRunner& run);

}  // namespace sixgate::app
