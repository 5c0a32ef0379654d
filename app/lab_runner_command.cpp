// `sixgate lab up`, `lab down` and `lab run`: the CLI over the namespace runner (lab/lab_runner.hpp).
#include "app/lab_runner_command.hpp"

#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <unistd.h>

#include "app/control_protocol.hpp"
#include "app/exit_codes.hpp"
#include "app/lab_test_command.hpp"
#include "lab/builtin_topologies.hpp"
#include "lab/lab_runner.hpp"
#include "lab/topology_loader.hpp"

namespace sixgate::app {
namespace {

constexpr int kExitInterrupted = 130;  // 128 + SIGINT, as a shell reports Ctrl-C

// The topology and what to make for it, or the exit status after printing why not.
struct PreparedLab {
    lab::Topology topology;
    lab::LabPlan plan;
};

std::optional<PreparedLab> prepare(const std::string& topology, const std::string& program, const char* command,
                                   std::ostream& err, int& status) {
    lab::TopologyLoadResult loaded = lab::load_topology(topology);
    err << loaded.report();
    if (!loaded.ok()) {
        err << "sixgate lab " << command << ": error: the topology has " << loaded.errors.size() << " error"
            << (loaded.errors.size() == 1 ? "" : "s") << "; nothing was made\n";
        status = kExitUsage;
        return std::nullopt;
    }
    lab::LabPlanOptions options;
    options.sixgate_program = program;
    auto plan = lab::plan_lab(loaded.topology, options);
    if (!plan) {
        err << "sixgate lab " << command << ": error: " << loaded.topology.source << ": " << plan.error().message << "\n";
        status = kExitUsage;
        return std::nullopt;
    }
    if (::geteuid() != 0) {
        err << "sixgate lab " << command << ": needs root (network namespaces, veth pairs): run it with sudo\n";
        status = kExitUnavailable;
        return std::nullopt;
    }
    return PreparedLab{std::move(loaded.topology), std::move(*plan)};
}

// The binary the hosts run: the one given, else this very executable.
std::optional<std::string> sixgate_program(const std::string& given, const char* command, std::ostream& err) {
    std::error_code error;
    const std::filesystem::path path = given.empty() ? std::filesystem::read_symlink("/proc/self/exe", error)
                                                     : std::filesystem::absolute(given, error);
    if (error || ::access(path.c_str(), X_OK) != 0) {
        err << "sixgate lab " << command << ": error: cannot run the sixgate program '"
            << (given.empty() ? "/proc/self/exe" : given) << "'\n";
        return std::nullopt;
    }
    return path.string();
}

// Ready: it answers `status` and no component says it is still waiting (a CLAT waiting for its
// address or PLAT prefix reports "waiting_for_...").
lab::ControlProbe control_probe() {
    return [](const std::string& socket) -> Result<void> {
        auto reply = request_control(socket, nlohmann::json{{"command", "status"}}, std::chrono::milliseconds(1000));
        if (!reply) return reply.error();
        const nlohmann::json& components = (*reply)["components"];
        if (!components.is_object()) return {};
        for (const auto& [name, component] : components.items()) {
            if (!component.is_object() || !component.contains("state") || !component["state"].is_string()) continue;
            const std::string state = component["state"].get<std::string>();
            if (state.starts_with("waiting"))
                return make_error(std::errc::resource_unavailable_try_again, name + " is " + state);
        }
        return {};
    };
}

int up_status(lab::LabUpOutcome outcome) {
    switch (outcome) {
        case lab::LabUpOutcome::up: return kExitOk;
        case lab::LabUpOutcome::interrupted: return kExitInterrupted;
        case lab::LabUpOutcome::already_up:
        case lab::LabUpOutcome::refused:
        case lab::LabUpOutcome::failed: return kExitFailure;
    }
    return kExitFailure;
}

int down(const lab::LabPlan& plan, std::ostream& out, std::ostream& err) {
    const lab::LabDownReport report = lab::tear_down_lab(plan.lab, plan.run_directory, plan.control_sockets, out, err);
    return report.ok ? kExitOk : kExitFailure;
}

}  // namespace

int run_lab_up(const LabUpOptions& options, std::ostream& out, std::ostream& err) {
    int status = kExitOk;
    auto program = sixgate_program(options.sixgate_program, "up", err);
    if (!program) return kExitUnavailable;
    auto lab = prepare(options.topology, *program, "up", err, status);
    if (!lab) return status;
    lab::LabInterruptGuard guard;
    lab::LabRunnerContext context{out, err, control_probe()};
    return up_status(lab::bring_up_lab(lab->plan, options.topology, context));
}

int run_lab_down(const LabDownOptions& options, std::ostream& out, std::ostream& err) {
    int status = kExitOk;
    auto lab = prepare(options.topology, "sixgate", "down", err, status);
    if (!lab) return status;
    lab::LabInterruptGuard guard;  // a Ctrl-C must not stop the removal half-way
    return down(lab->plan, out, err);
}

int run_lab_run(const LabRunOptions& options, std::ostream& out, std::ostream& err) {
    int status = kExitOk;
    auto program = sixgate_program(options.sixgate_program, "run", err);
    if (!program) return kExitUnavailable;
    auto lab = prepare(options.topology, *program, "run", err, status);
    if (!lab) return status;
    lab::LabInterruptGuard guard;
    // With --json, standard output carries the checks' JSON only.
    std::ostream& progress = options.json ? err : out;
    lab::LabRunnerContext context{progress, err, control_probe()};
    const lab::LabUpOutcome outcome = lab::bring_up_lab(lab->plan, options.topology, context);
    // Already up: that lab is someone else's to take down.
    if (outcome != lab::LabUpOutcome::up) return up_status(outcome);
    int test_status = kExitInterrupted;
    if (!lab::LabInterruptGuard::interrupted()) {
        progress << "\n";
        test_status = run_lab_test(LabTestOptions{options.topology, *program, options.json}, out, err);
    }
    progress << "\n";
    const int down_status = down(lab->plan, progress, err);
    if (lab::LabInterruptGuard::interrupted()) return kExitInterrupted;
    return test_status != kExitOk ? test_status : down_status;
}

void add_lab_runner_commands(CLI::App& lab, CommandRunner& run) {
    const std::string topology_help = "A built-in topology name or a topology file (default " +
                                      std::string(lab::kDefaultTopology) + ")";
    const char* program_help = "The sixgate binary the hosts run (default: this one)";

    auto up = std::make_shared<LabUpOptions>();
    CLI::App* up_command = lab.add_subcommand("up", "Bring the lab up in network namespaces (root); progress, then a summary");
    up_command->add_option("topology", up->topology, topology_help);
    up_command->add_option("--sixgate", up->sixgate_program, program_help);
    up_command->callback([up, &run] { run = [up] { return run_lab_up(*up, std::cout, std::cerr); }; });

    auto down_options = std::make_shared<LabDownOptions>();
    CLI::App* down_command = lab.add_subcommand(
        "down", "Remove every namespace, process and file of the lab (also after a failed or interrupted up)");
    down_command->add_option("topology", down_options->topology, topology_help);
    down_command->callback([down_options, &run] {
        run = [down_options] { return run_lab_down(*down_options, std::cout, std::cerr); };
    });

    auto run_options = std::make_shared<LabRunOptions>();
    CLI::App* run_command = lab.add_subcommand("run", "up, test, down: prove the lab works and leave nothing behind");
    run_command->add_option("topology", run_options->topology, topology_help);
    run_command->add_option("--sixgate", run_options->sixgate_program, program_help);
    run_command->add_flag("--json", run_options->json, "Print the checks' result as JSON (progress goes to stderr)");
    run_command->callback([run_options, &run] {
        run = [run_options] { return run_lab_run(*run_options, std::cout, std::cerr); };
    });
}

}  // namespace sixgate::app
