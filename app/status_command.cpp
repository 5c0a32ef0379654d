// `sixgate status`: ask a running sixgate over its control socket for its state and counters.

#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>
#include <string>

#include "app/commands.hpp"
#include "app/control_protocol.hpp"
#include "app/exit_codes.hpp"
#include "app/status_format.hpp"

namespace sixgate::app {
namespace {

struct StatusOptions {
    std::string socket = kDefaultControlSocketPath;
    bool json = false;
    bool prometheus = false;
    double timeout_s = 5;
};

int run_status(const StatusOptions& options) {
    if (!(options.timeout_s > 0) || options.timeout_s > 3600) {
        std::cerr
            << "sixgate status: error: --timeout must be more than 0 and at most 3600 seconds\n";
        return kExitUsage;
    }
    const auto timeout = std::chrono::milliseconds(std::llround(options.timeout_s * 1000));
    auto reply = request_control(options.socket, nlohmann::json{{"command", "status"}}, timeout);
    if (!reply) {
        std::cerr << "sixgate status: " << reply.error().message << "\n";
        // Not being root is a missing prerequisite; everything else is a run-time failure.
        return reply.error().code == std::errc::permission_denied ? kExitUnavailable : kExitFailure;
    }
    if (options.json) {
        std::cout << render_status_json(*reply);
    } else if (options.prometheus) {
        std::cout << render_status_prometheus(*reply);
    } else {
        std::cout << render_status_text(*reply);
    }
    std::cout.flush();
    return kExitOk;
}

}  // namespace

void add_status_command(CLI::App& app, CommandRunner& run) {
    auto options = std::make_shared<StatusOptions>();
    CLI::App* command = app.add_subcommand(
        "status", "Show a running sixgate's state and counters (control socket)");
    command->footer(
        "Examples:\n"
        "  sudo sixgate status\n"
        "  sudo sixgate status --json\n"
        "  sudo sixgate status --prometheus > /var/lib/node_exporter/sixgate.prom\n"
        "Output forms and metric names: docs/status.md");
    command->add_option("--socket", options->socket, "The control socket of the running sixgate")
        ->capture_default_str();
    auto* json = command->add_flag("--json", options->json,
                                   "Print the state as JSON (shape in docs/status.md)");
    auto* prometheus = command->add_flag("--prometheus", options->prometheus,
                                         "Print counters in the Prometheus text exposition format");
    json->excludes(prometheus);
    command->add_option("--timeout", options->timeout_s, "Seconds to wait for the answer")
        ->capture_default_str();
    command->callback([options, &run] { run = [options] { return run_status(*options); }; });
}

}  // namespace sixgate::app
