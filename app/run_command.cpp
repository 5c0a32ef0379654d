#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "app/commands.hpp"
#include "app/daemon.hpp"
#include "app/exit_codes.hpp"
#include "app/logging.hpp"
#include "config/loader.hpp"

namespace sixgate::app {
namespace {

int run_daemon(const std::string& path) {
    std::ifstream file(path);
    if (!file) {
        std::cerr << "sixgate run: error: " << path << ": cannot be read\n";
        return kExitUsage;
    }
    std::ostringstream text;
    text << file.rdbuf();
    auto loaded = config::parse_config(text.str(), path);
    for (const auto& diagnostic : loaded.errors) std::cerr << diagnostic.to_string() << '\n';
    if (!loaded.ok()) return kExitUsage;
    // From here on the log has timestamps: this is a daemon.
    setup_logging(spdlog::default_logger()->level(), true);
    for (const auto& warning : loaded.warnings) spdlog::warn("{}", warning.to_string());
    Daemon daemon(path, text.str(), std::move(loaded.config));
    return daemon.run();
}

}  // namespace

void add_run_command(CLI::App& app, CommandRunner& run) {
    auto path = std::make_shared<std::string>();
    CLI::App* command = app.add_subcommand("run", "Run the components the config enables: router, isatap, clat, plat");
    command->footer(
        "Signals: SIGTERM/SIGINT stop cleanly (final RAs, kernel state removed); SIGHUP reloads the config.\n"
        "Example:\n  sixgate run -c config/examples/directaccess.yaml");
    command->add_option("-c,--config", *path, "The YAML config file")->required();
    command->callback([path, &run] { run = [path] { return run_daemon(*path); }; });
}

}  // namespace sixgate::app
