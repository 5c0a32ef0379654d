// `sixgate doctor`: what this host lacks for manage-out or 464XLAT, and the commands that fix it.

#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/commands.hpp"
#include "app/control_protocol.hpp"
#include "app/doctor/doctor_report.hpp"
#include "app/doctor/doctor_rules.hpp"
#include "app/doctor/host_snapshot.hpp"
#include "app/exit_codes.hpp"

namespace sixgate::app {
namespace {

struct DoctorOptions {
    std::string target;
    bool windows = false;
    bool json = false;
    std::string socket = kDefaultControlSocketPath;
    std::string interface_alias;
};

std::optional<net::netlink::AnyIpAddress> parse_target(const std::string& text) {
    if (auto v6 = net::Ipv6Address::parse(text)) return net::netlink::AnyIpAddress(*v6);
    if (auto v4 = net::Ipv4Address::parse(text)) return net::netlink::AnyIpAddress(*v4);
    return std::nullopt;
}

int run_doctor(const DoctorOptions& options) {
    doctor::SnapshotRequest request{options.socket, std::nullopt};
    if (!options.target.empty()) {
        request.target = parse_target(options.target);
        if (!request.target) {
            std::cerr << "sixgate doctor: error: --target: '" << options.target
                      << "' is not an IPv6 or IPv4 address\n";
            return kExitUsage;
        }
    }
    auto snapshot = doctor::collect_host_snapshot(request);
    if (!snapshot) {
        std::cerr << "sixgate doctor: error: " << snapshot.error().message << "\n";
        return kExitUnavailable;
    }
    const auto findings = doctor::diagnose(*snapshot, {request.target, options.interface_alias});
    if (options.json) {
        std::cout << doctor::doctor_json(*snapshot, request.target ? std::optional(options.target) : std::nullopt,
                                         findings)
                         .dump(2)
                  << "\n";
    } else {
        std::cout << doctor::render_doctor_text(*snapshot, findings,
                                                options.windows ? doctor::FixForm::kWindows : doctor::FixForm::kLinux);
    }
    std::cout.flush();
    return doctor::count_problems(findings) == 0 ? kExitOk : kExitFailure;
}

}  // namespace

void add_doctor_command(CLI::App& app, CommandRunner& run) {
    auto options = std::make_shared<DoctorOptions>();
    CLI::App* command = app.add_subcommand("doctor", "Say what this host lacks for manage-out or 464XLAT, and the fix");
    command->footer(
        "Examples:\n"
        "  sudo sixgate doctor\n"
        "  sudo sixgate doctor --target 2002:836b:2:1000::10\n"
        "  sudo sixgate doctor --target 198.51.100.10 --json\n"
        "  sudo sixgate doctor --windows --interface-alias Ethernet\n"
        "Exit status: 0 nothing wrong, 1 a problem found, 2 bad option, 3 cannot read the host.\n"
        "Checks and their fixes: docs/doctor.md");
    command->add_option("--target", options->target, "An address to reach: route lookup and ICMP echo");
    command->add_flag("--windows", options->windows, "Print the fixes as netsh / PowerShell lines for a Windows host");
    command->add_flag("--json", options->json, "Print the findings as JSON (both fix forms)");
    command->add_option("--socket", options->socket, "The control socket of the local sixgate")->capture_default_str();
    command->add_option("--interface-alias", options->interface_alias,
                        "With --windows: the Windows interface alias to name (default: the Linux interface name)");
    command->callback([options, &run] { run = [options] { return run_doctor(*options); }; });
}

}  // namespace sixgate::app
