#include <iostream>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"

namespace sixgate::app {
namespace {

struct Planned {
    const char* name;
    const char* description;
    const char* component;
};

constexpr Planned kPlanned[] = {
    {"doctor", "Say what this host lacks for manage-out or 464XLAT, and the fix", "the doctor"},
};

}  // namespace

void add_planned_commands(CLI::App& app, CommandRunner& run) {
    for (const Planned& planned : kPlanned) {
        CLI::App* command = app.add_subcommand(planned.name, std::string(planned.description) + " (not built yet)");
        // Accept whatever arguments a later version takes, so the message below is what users see.
        command->allow_extras();
        command->callback([&run, planned] {
            run = [planned] {
                std::cerr << "sixgate " << planned.name << ": not built yet: " << planned.component
                          << " is planned but not in this version\n";
                return kExitUsage;
            };
        });
    }
}

}  // namespace sixgate::app
