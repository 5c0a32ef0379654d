// sixgate: IPv6 manage-out router and 464XLAT gateway. One binary, one subcommand per job.

#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/logging.hpp"

namespace {

int run_main(int argc, char** argv) {
    using namespace sixgate::app;
    CLI::App app{"sixgate: IPv6 manage-out router and 464XLAT gateway for DirectAccess-style labs",
                 "sixgate"};
    app.set_version_flag("--version", "sixgate " SIXGATE_VERSION);
    app.require_subcommand(1);
    app.footer(
        "Examples:\n"
        "  sixgate prefixes --public-ipv4 131.107.0.2          the prefix plan\n"
        "  sixgate check -c config/examples/directaccess.yaml  validate a config\n"
        "Exit status: 0 ok, 1 run-time failure, 2 bad command line/config/input, 3 missing prerequisite.");
    std::string log_level = "info";
    auto* log_level_option =
        app.add_option("--log-level", log_level, std::string("Log level: ") + kLogLevelNames)->capture_default_str();

    CommandRunner run;
    add_prefixes_command(app, run);
    add_check_command(app, run);
    add_run_command(app, run);
    add_status_command(app, run);
    add_translate_command(app, run);
    add_lab_command(app, run);
    add_doctor_command(app, run);

    // CLI11 would say "a subcommand is required" for a misspelt one; name it instead.
    if (argc > 1 && argv[1][0] != '-') {
        std::string names;
        bool known = false;
        for (const CLI::App* command : app.get_subcommands([](CLI::App*) { return true; })) {
            names += (names.empty() ? "" : ", ") + command->get_name();
            known = known || command->get_name() == argv[1];
        }
        if (!known) {
            std::cerr << "sixgate: error: unknown command '" << argv[1] << "' (commands: " << names << ")\n";
            return kExitUsage;
        }
    }
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& success) {
        return app.exit(success);  // --help, --version
    } catch (const CLI::ParseError& error) {
        std::cerr << "sixgate: error: " << error.what() << " (see sixgate --help)\n";
        return kExitUsage;
    }
    const auto level = parse_log_level(log_level);
    if (!level) {
        std::cerr << "sixgate: error: --log-level: '" << log_level << "' is not one of " << kLogLevelNames
                  << "\n";
        return kExitUsage;
    }
    setup_logging(*level, false);
    if (log_level_option->count() > 0) pin_log_level();
    return run ? run() : kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        return run_main(argc, argv);
    } catch (const std::exception& error) {
        // Start-up failures throw with a message a user can act on; report it, never a trace.
        std::cerr << "sixgate: error: " << error.what() << "\n";
        return sixgate::app::kExitFailure;
    }
}
