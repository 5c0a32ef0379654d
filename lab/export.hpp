#pragma once
// `sixgate lab export`: the same topology as a containerlab topology or a Docker Compose file,
// one container per host (image sixgate:latest, no network of its own: links are veth pairs
// wired between containers, as containerlab does) and one per shared segment (a bridge).
// Entry points: export_topology(), parse_export_format().

#include <optional>
#include <string>
#include <string_view>

#include "lab/topology.hpp"

namespace sixgate::lab {

enum class ExportFormat { containerlab, compose };

inline constexpr const char* kLabImage = "sixgate:latest";

std::optional<ExportFormat> parse_export_format(std::string_view text);

// The file's text. `topology_argument` is what the regenerating command names ("directaccess"),
// written into the header so readers know how the file was made.
std::string export_topology(const Topology& topology, ExportFormat format, const std::string& topology_argument);

}  // namespace sixgate::lab
