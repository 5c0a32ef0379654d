#pragma once
// `sixgate lab up`, `lab down` and `lab run` (= up + test + down): the lab in network namespaces
// (lab/lab_names.hpp names them). The run_* functions are what the CLI calls, exposed for tests.

#include <ostream>
#include <string>

#include "app/commands.hpp"

namespace sixgate::app {

struct LabUpOptions {
    std::string topology;        // a built-in name or a file; empty: the default built-in one
    std::string sixgate_program; // the binary the hosts run; empty: this executable
};

struct LabDownOptions {
    std::string topology;
};

struct LabRunOptions {
    std::string topology;
    std::string sixgate_program;
    bool json = false;  // the checks' result as JSON (what `lab test --json` prints)
};

int run_lab_up(const LabUpOptions& options, std::ostream& out, std::ostream& err);
int run_lab_down(const LabDownOptions& options, std::ostream& out, std::ostream& err);
int run_lab_run(const LabRunOptions& options, std::ostream& out, std::ostream& err);

// Registers up, down and run under `sixgate lab`.
void add_lab_runner_commands(CLI::App& lab, CommandRunner& run);

}  // namespace sixgate::app
