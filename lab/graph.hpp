#pragma once
// `sixgate lab graph`: the topology as Graphviz DOT (hosts with role, components and addresses;
// segments with their prefixes), and rendering it to SVG or PNG with Graphviz's `dot`.
// Entry points: topology_dot(), render_dot().

#include <string>

#include "lab/topology.hpp"
#include "net/result.hpp"

namespace sixgate::lab {

// Deterministic DOT text for the topology (same topology, same bytes).
std::string topology_dot(const Topology& topology);

// Runs `dot_program -T<format>` over the DOT text and returns its output. An error says when the
// program is missing (std::errc::no_such_file_or_directory) or failed (with what it printed).
Result<std::string> render_dot(const std::string& dot_text, const std::string& format,
                               const std::string& dot_program = "dot");

}  // namespace sixgate::lab
