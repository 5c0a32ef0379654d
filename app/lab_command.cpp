#include "app/lab_command.hpp"

#include <fstream>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/lab_runner_command.hpp"
#include "app/lab_test_command.hpp"
#include "lab/builtin_topologies.hpp"
#include "lab/export.hpp"
#include "lab/graph.hpp"
#include "lab/topology_loader.hpp"

namespace sixgate::app {
namespace {

// The topology, or its diagnostics printed and nothing.
std::optional<lab::Topology> load(const std::string& topology, const char* command, std::ostream& err) {
    lab::TopologyLoadResult result = lab::load_topology(topology);
    if (!result.ok()) {
        err << result.report();
        err << "sixgate lab " << command << ": error: the topology has " << result.errors.size() << " error"
            << (result.errors.size() == 1 ? "" : "s") << "\n";
        return std::nullopt;
    }
    err << result.report();  // warnings
    return std::move(result.topology);
}

int write_output(const std::string& text, const std::string& path, const char* command, std::ostream& out,
                 std::ostream& err) {
    if (path.empty() || path == "-") {
        out << text;
        out.flush();
        return out ? kExitOk : kExitFailure;
    }
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
        err << "sixgate lab " << command << ": error: cannot write '" << path << "'\n";
        return kExitFailure;
    }
    return kExitOk;
}

std::string builtin_names() {
    std::string names;
    for (const lab::BuiltinTopology& topology : lab::builtin_topologies())
        names += (names.empty() ? "" : ", ") + std::string(topology.name);
    return names;
}

}  // namespace

int run_lab_graph(const LabGraphOptions& options, std::ostream& out, std::ostream& err) {
    if (options.format != "dot" && options.format != "svg" && options.format != "png") {
        err << "sixgate lab graph: error: --format must be dot, svg or png, found '" << options.format << "'\n";
        return kExitUsage;
    }
    auto topology = load(options.topology, "graph", err);
    if (!topology) return kExitUsage;
    const std::string dot = lab::topology_dot(*topology);
    if (options.format == "dot") return write_output(dot, options.output, "graph", out, err);
    auto rendered = lab::render_dot(dot, options.format, options.dot_program);
    if (!rendered) {
        err << "sixgate lab graph: error: " << rendered.error().message << "\n";
        return rendered.error().code == std::errc::no_such_file_or_directory ? kExitUnavailable : kExitFailure;
    }
    return write_output(*rendered, options.output, "graph", out, err);
}

int run_lab_export(const LabExportOptions& options, std::ostream& out, std::ostream& err) {
    const auto format = lab::parse_export_format(options.format);
    if (!format) {
        err << "sixgate lab export: error: --format must be containerlab or compose, found '" << options.format << "'\n";
        return kExitUsage;
    }
    auto topology = load(options.topology, "export", err);
    if (!topology) return kExitUsage;
    const std::string argument = options.topology.empty() ? std::string(lab::kDefaultTopology) : options.topology;
    return write_output(lab::export_topology(*topology, *format, argument), options.output, "export", out, err);
}

void add_lab_command(CLI::App& app, CommandRunner& run) {
    CLI::App* lab = app.add_subcommand("lab", "Lab topologies in network namespaces: up, test, down, run (all three), "
                                              "graph, export (containerlab, Compose)");
    lab->require_subcommand(1);
    lab->footer("Topologies: a built-in name (" + builtin_names() + "; default " + std::string(lab::kDefaultTopology) +
                ") or a YAML file (docs/lab.md).\n"
                "Examples:\n"
                "  sixgate lab graph --format svg -o directaccess.svg\n"
                "  sixgate lab export --format compose 464xlat -o 464xlat.compose.yml");

    auto graph = std::make_shared<LabGraphOptions>();
    CLI::App* graph_command = lab->add_subcommand("graph", "Draw the topology with Graphviz: hosts, roles, addresses, segments, prefixes");
    graph_command->add_option("topology", graph->topology, "A built-in topology name or a topology file");
    graph_command->add_option("--format", graph->format, "dot (text, no Graphviz needed), svg or png")
        ->capture_default_str();
    graph_command->add_option("-o,--output", graph->output, "Write to this file instead of standard output");
    graph_command->callback([graph, &run] { run = [graph] { return run_lab_graph(*graph, std::cout, std::cerr); }; });

    auto exported = std::make_shared<LabExportOptions>();
    CLI::App* export_command = lab->add_subcommand("export", "Write the topology as a containerlab topology or a Compose file");
    export_command->add_option("topology", exported->topology, "A built-in topology name or a topology file");
    export_command->add_option("--format", exported->format, "containerlab or compose")->required();
    export_command->add_option("-o,--output", exported->output, "Write to this file instead of standard output");
    export_command->callback([exported, &run] { run = [exported] { return run_lab_export(*exported, std::cout, std::cerr); }; });

    add_lab_runner_commands(*lab, run);
    add_lab_test_command(*lab, run);
}

}  // namespace sixgate::app
