#include <iostream>
#include <memory>

#include <spdlog/spdlog.h>

#include "app/commands.hpp"
#include "app/exit_codes.hpp"
#include "app/prefix_plan_output.hpp"
#include "net/ula.hpp"

namespace sixgate::app {
namespace {

struct PrefixesOptions {
    std::string public_ipv4;
    std::string ula;
    std::string client_ipv4;
    bool json = false;
    bool windows = false;
    std::string interface_alias = "Ethernet";
    std::string host_id = "::100";
    std::string isatap_router = kDefaultIsatapRouterName;
};

int usage_error(const std::string& message) {
    std::cerr << "sixgate prefixes: error: " << message << "\n";
    return kExitUsage;
}

// A 6to4 client needs a globally reachable IPv4; a documentation address is allowed as an
// illustration (RFC 5737 blocks appear in every example), with a warning.
Result<ClientIllustration> client_illustration(const std::string& text) {
    auto ipv4 = net::Ipv4Address::parse(text);
    if (!ipv4) return Error{ipv4.error().code, "--client-ipv4: " + ipv4.error().message};
    ClientIllustration client{*ipv4, net::sixtofour_address(*ipv4), {}};
    const net::Ipv4Scope scope = net::classify_ipv4(*ipv4);
    if (scope.reach == net::Ipv4Reach::global) return client;
    if (scope.name.starts_with("documentation")) {
        client.warning = ipv4->to_string() + " is a documentation address (" + std::string(scope.rfc) +
                         "): the 6to4 address is only an illustration";
        return client;
    }
    return make_error(std::errc::invalid_argument,
                      "--client-ipv4: a 6to4 client needs a globally reachable IPv4 address; " +
                          ipv4->to_string() + " is in " + std::string(scope.block) + " (" +
                          std::string(scope.name) + ", " + std::string(scope.rfc) + ")");
}

int run_prefixes(const PrefixesOptions& options) {
    auto ipv4 = net::Ipv4Address::parse(options.public_ipv4);
    if (!ipv4) return usage_error("--public-ipv4: " + ipv4.error().message);

    std::optional<net::Ipv6Prefix> ula;
    if (!options.ula.empty()) {
        auto parsed = net::Ipv6Prefix::parse(options.ula);
        if (!parsed) return usage_error("--ula: " + parsed.error().message);
        ula = *parsed;
    }
    PlanReport report;
    if (net::plan_needs_ula(*ipv4)) {
        if (!ula) {
            ula = net::generate_ula_prefix();
            report.ula_generated = true;
            spdlog::warn("{} is not globally reachable, so the plan uses a ULA; generated {} (RFC 4193 "
                         "3.2.2): pin it with --ula or 'ula:' in the config, since a new ULA means "
                         "renumbering every host",
                         ipv4->to_string(), ula->to_string());
        }
    } else if (ula) {
        spdlog::warn("--ula {} is not used: {} is globally reachable, so the plan uses 6to4",
                     ula->to_string(), ipv4->to_string());
    }
    auto plan = net::derive_prefix_plan(*ipv4, ula);
    if (!plan) return usage_error(plan.error().message);
    report.plan = *plan;

    if (!options.client_ipv4.empty()) {
        auto client = client_illustration(options.client_ipv4);
        if (!client) return usage_error(client.error().message);
        if (!client->warning.empty()) spdlog::warn("{}", client->warning);
        report.client = *client;
    }

    if (options.json) {
        std::cout << render_plan_json(report);
    } else if (options.windows) {
        WindowsHostOptions windows;
        windows.interface_alias = options.interface_alias;
        auto host_id = net::Ipv6Address::parse(options.host_id);
        if (!host_id) return usage_error("--host-id: " + host_id.error().message);
        windows.host_id = *host_id;
        if (auto problem = isatap_router_name_problem(options.isatap_router))
            return usage_error("--isatap-router: " + *problem);
        windows.isatap_router = options.isatap_router;
        std::cout << render_plan_windows(report, windows);
    } else {
        std::cout << render_plan_table(report);
    }
    return kExitOk;
}

}  // namespace

void add_prefixes_command(CLI::App& app, CommandRunner& run) {
    auto options = std::make_shared<PrefixesOptions>();
    CLI::App* command = app.add_subcommand("prefixes", "Print the DirectAccess-style prefix plan");
    command->footer(
        "Examples:\n"
        "  sixgate prefixes --public-ipv4 131.107.0.2\n"
        "  sixgate prefixes --public-ipv4 131.107.0.2 --client-ipv4 198.51.100.83 --json\n"
        "  sixgate prefixes --public-ipv4 10.0.0.2 --ula fd12:3456:789a::/48 --windows\n"
        "  sixgate prefixes --public-ipv4 131.107.0.2 --windows --isatap-router gw6.corp.example");
    command->add_option("--public-ipv4", options->public_ipv4, "The server's IPv4 address (A.B.C.D)")
        ->required();
    command->add_option("--ula", options->ula, "ULA /48 for a server behind NAT (fdxx:xxxx:xxxx::/48)");
    command->add_option("--client-ipv4", options->client_ipv4,
                        "Also show the 6to4 address a client with this IPv4 uses");
    auto* json = command->add_flag("--json", options->json, "Print JSON (keys in docs/prefixes.md)");
    auto* windows = command->add_flag("--windows", options->windows,
                                      "Print netsh and PowerShell lines for a Windows manage-out host");
    json->excludes(windows);
    command->add_option("--interface-alias", options->interface_alias,
                        "With --windows: the host's interface alias")
        ->capture_default_str();
    command->add_option("--host-id", options->host_id,
                        "With --windows: interface ID of the host's static address")
        ->capture_default_str();
    command->add_option("--isatap-router", options->isatap_router,
                        "With --windows: DNS name (A record: the server's intranet IPv4) a limited-ISATAP "
                        "jump host uses as its router; not 'isatap'")
        ->capture_default_str();
    command->callback([options, &run] { run = [options] { return run_prefixes(*options); }; });
}

}  // namespace sixgate::app
