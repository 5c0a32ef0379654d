#pragma once
// Loading sixgate's YAML config: every error collected with file:line:column, then typed structs.
// Entry points: load_config_file(), load_config(), parse_config().

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "config/diagnostics.hpp"
#include "net/result.hpp"

namespace sixgate::config {

struct LoadOptions {
    // public_ipv4: {from_interface: NAME}; empty means the system lookup (getifaddrs).
    std::function<Result<net::Ipv4Address>(const std::string& ifname)> interface_ipv4;
    // Proposes a ULA when one is missing; empty means net::generate_ula_prefix(). Tests pin it.
    std::function<net::Ipv6Prefix()> propose_ula;
};

struct LoadResult {
    Config config;                       // complete only when errors is empty
    std::vector<Diagnostic> errors;      // in file order
    std::vector<Diagnostic> warnings;    // in file order; also in config.warnings
    bool ok() const noexcept { return errors.empty(); }
};

// The lowest level: YAML text with the name to show in diagnostics. Never throws for bad input.
LoadResult parse_config(std::string_view yaml_text, const std::string& display_name,
                        const LoadOptions& options = {});
LoadResult parse_config_file(const std::string& path, const LoadOptions& options = {});

// Errors then warnings, for tests: what `sixgate check` would print.
std::vector<Diagnostic> config_diagnostics(std::string_view yaml_text, const std::string& display_name,
                                           const LoadOptions& options = {});

// The config, or an Error whose message holds every diagnostic (errors and warnings), one a line.
Result<Config> load_config(std::string_view yaml_text, const std::string& display_name,
                           const LoadOptions& options = {});
Result<Config> load_config_file(const std::string& path, const LoadOptions& options = {});

}  // namespace sixgate::config
