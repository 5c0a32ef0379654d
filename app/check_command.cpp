#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "config/loader.hpp"
#include "config/effective.hpp"

namespace sixgate::app {
namespace {

int run_check(const std::string& path) {
    auto config = config::load_config_file(path);
    if (!config) {
        std::cerr << config.error().message;
        if (!config.error().message.ends_with('\n')) std::cerr << '\n';
        return kExitUsage;
    }
    for (const auto& warning : config->warnings) std::cerr << warning.to_string() << '\n';
    std::cout << config::effective_config_yaml(*config);
    return kExitOk;
}

}  // namespace

void add_check_command(CLI::App& app, CommandRunner& run) {
    auto path = std::make_shared<std::string>();
    CLI::App* command = app.add_subcommand("check", "Load and validate a config; print the effective config");
    command->footer("Example:\n  sixgate check -c config/examples/directaccess.yaml");
    command->add_option("-c,--config", *path, "The YAML config file")->required();
    command->callback([path, &run] { run = [path] { return run_check(*path); }; });
}

}  // namespace sixgate::app
