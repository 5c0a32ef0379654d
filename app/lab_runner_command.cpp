// PLACEHOLDER until the runner lands (engineer R replaces this file).
#include "app/lab_runner_command.hpp"

#include <iostream>

#include "app/exit_codes.hpp"

namespace sixgate::app {

int run_lab_up(const LabUpOptions&, std::ostream&, std::ostream& err) {
    err << "sixgate lab up: not built yet\n";
    return kExitUsage;
}
int run_lab_down(const LabDownOptions&, std::ostream&, std::ostream& err) {
    err << "sixgate lab down: not built yet\n";
    return kExitUsage;
}
int run_lab_run(const LabRunOptions&, std::ostream&, std::ostream& err) {
    err << "sixgate lab run: not built yet\n";
    return kExitUsage;
}

void add_lab_runner_commands(CLI::App& lab, CommandRunner& run) {
    for (const char* name : {"up", "down", "run"}) {
        CLI::App* command = lab.add_subcommand(name, "not built yet");
        command->allow_extras();
        const std::string subcommand = name;
        command->callback([&run, subcommand] {
            run = [subcommand] {
                std::cerr << "sixgate lab " << subcommand << ": not built yet\n";
                return kExitUsage;
            };
        });
    }
}

}  // namespace sixgate::app
