// `sixgate lab test`: the topology's checks (lab/check_runner.hpp) against a lab that is up.
#include "app/lab_test_command.hpp"

#include <unistd.h>

#include <filesystem>
#include <iostream>
#include <memory>

#include "app/control_protocol.hpp"
#include "app/exit_codes.hpp"
#include "lab/builtin_topologies.hpp"
#include "lab/check_runner.hpp"
#include "lab/lab_names.hpp"
#include "lab/lab_process.hpp"
#include "lab/topology_loader.hpp"

namespace sixgate::app {
namespace {

// `SIXGATE doctor --target ADDRESS --socket PATH` inside the namespace, asking the host's own
// sixgate (its socket as seen from here, which also reaches into a container).
std::string run_doctor(const std::string& program, const std::string& namespace_name, const std::string& target,
                       const std::string& control_socket) {
    std::vector<std::string> doctor{program, "doctor"};
    if (!target.empty()) doctor.insert(doctor.end(), {"--target", target});
    if (!control_socket.empty()) doctor.insert(doctor.end(), {"--socket", control_socket});
    std::vector<std::string> argv{"timeout", "30"};
    for (std::string& word : lab::in_namespace(namespace_name, std::move(doctor))) argv.push_back(std::move(word));
    auto result = lab::run_command(argv);
    // Status 2 is a bad command line: nothing about the host to show.
    if (!result || result->status == kExitUsage) return "";
    return result->output;
}

// The host namespaces `lab up` makes (or the container test attaches) that are missing.
std::vector<std::string> missing_namespaces(const lab::Topology& topology) {
    std::vector<std::string> missing;
    for (const lab::Host& host : topology.hosts) {
        const std::string name = lab::host_namespace(topology.name, host.name);
        if (!lab::namespace_exists(name)) missing.push_back(name);
    }
    return missing;
}

}  // namespace

int run_lab_test(const LabTestOptions& options, std::ostream& out, std::ostream& err) {
    lab::TopologyLoadResult loaded = lab::load_topology(options.topology);
    err << loaded.report();
    if (!loaded.ok()) {
        err << "sixgate lab test: error: the topology has " << loaded.errors.size() << " error"
            << (loaded.errors.size() == 1 ? "" : "s") << "\n";
        return kExitUsage;
    }
    const lab::Topology& topology = loaded.topology;
    if (::geteuid() != 0) {
        err << "sixgate lab test: needs root (it enters the lab's network namespaces): run it with sudo\n";
        return kExitUnavailable;
    }
    if (const auto missing = missing_namespaces(topology); !missing.empty()) {
        const std::string argument = options.topology.empty() ? std::string(lab::kDefaultTopology) : options.topology;
        err << "sixgate lab test: lab " << topology.name << " is not up: run `sixgate lab up " << argument
            << "` (no namespace " << missing.front() << ")\n";
        return kExitUnavailable;
    }
    std::error_code error;
    const std::string program =
        options.sixgate_program.empty() ? std::filesystem::read_symlink("/proc/self/exe", error).string() : options.sixgate_program;

    lab::CheckEnvironment environment;
    environment.status = [](const std::string& socket) {
        return request_control(socket, nlohmann::json{{"command", "status"}}, std::chrono::milliseconds(2000));
    };
    environment.doctor = [program](const std::string& namespace_name, const std::string& target,
                                   const std::string& control_socket) {
        return run_doctor(program, namespace_name, target, control_socket);
    };
    const lab::CheckReport report = lab::run_checks(topology, environment);
    if (options.json) out << lab::check_report_json(report).dump(2) << "\n";
    else out << lab::format_check_table(report);
    out.flush();
    return report.all_met() ? kExitOk : kExitFailure;
}

void add_lab_test_command(CLI::App& lab, CommandRunner& run) {
    auto options = std::make_shared<LabTestOptions>();
    CLI::App* command = lab.add_subcommand(
        "test", "Run the topology's checks against the lab that is up: a table row per check, a verdict; "
                "exit 0 only if every check met its expectation");
    command->add_option("topology", options->topology,
                        "A built-in topology name or a topology file (default " + std::string(lab::kDefaultTopology) + ")");
    command->add_option("--sixgate", options->sixgate_program, "The sixgate binary for `doctor` (default: this one)");
    command->add_flag("--json", options->json, "Print every row and the verdict as JSON");
    command->callback([options, &run] { run = [options] { return run_lab_test(*options, std::cout, std::cerr); }; });
}

}  // namespace sixgate::app
