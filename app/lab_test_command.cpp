// PLACEHOLDER until the checks land (engineer C replaces this file).
#include "app/lab_test_command.hpp"

#include <iostream>

#include "app/exit_codes.hpp"

namespace sixgate::app {

int run_lab_test(const LabTestOptions&, std::ostream&, std::ostream& err) {
    err << "sixgate lab test: not built yet\n";
    return kExitUsage;
}

void add_lab_test_command(CLI::App& lab, CommandRunner& run) {
    CLI::App* command = lab.add_subcommand("test", "not built yet");
    command->allow_extras();
    command->callback([&run] {
        run = [] {
            std::cerr << "sixgate lab test: not built yet\n";
            return kExitUsage;
        };
    });
}

}  // namespace sixgate::app
