#pragma once
// `sixgate lab`: `graph` and `export` over a topology (a built-in name or a file); `up`, `down` and
// `run` are in app/lab_runner_command.hpp, `test` in app/lab_test_command.hpp. The run_* functions
// are what the CLI calls, exposed for tests.

#include <ostream>
#include <string>

namespace sixgate::app {

struct LabGraphOptions {
    std::string topology;       // a built-in name or a file; empty: the default built-in one
    std::string format = "dot"; // dot, svg or png
    std::string output;         // a file; empty: standard output
    std::string dot_program = "dot";
};

struct LabExportOptions {
    std::string topology;
    std::string format;  // containerlab or compose
    std::string output;
};

int run_lab_graph(const LabGraphOptions& options, std::ostream& out, std::ostream& err);
int run_lab_export(const LabExportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace sixgate::app
