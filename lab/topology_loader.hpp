#pragma once
// Reading a lab topology from YAML: every error collected with file:line:column (the same
// diagnostics as sixgate's config), including errors in each host's embedded sixgate config.
// Entry points: parse_topology(), parse_topology_file(), load_topology().

#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostics.hpp"
#include "lab/topology.hpp"

namespace sixgate::lab {

struct TopologyLoadResult {
    Topology topology;                         // complete only when errors is empty
    std::vector<config::Diagnostic> errors;    // in file order
    std::vector<config::Diagnostic> warnings;  // in file order
    bool ok() const noexcept { return errors.empty(); }
    // Every diagnostic, one a line: what the lab commands print.
    std::string report() const;
};

// YAML text with the name to show in diagnostics; `sixgate: FILE` paths are relative to
// base_directory. Never throws for bad input.
TopologyLoadResult parse_topology(std::string_view yaml_text, const std::string& display_name,
                                  const std::string& base_directory = ".");
TopologyLoadResult parse_topology_file(const std::string& path);

// A built-in topology by name ("directaccess", "464xlat"), else a file; empty means the default
// built-in one (directaccess).
TopologyLoadResult load_topology(const std::string& file_or_name);

}  // namespace sixgate::lab
