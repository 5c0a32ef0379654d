#pragma once
// The topologies compiled into sixgate: the text of lab/topologies/*.yaml, embedded at build
// time (lab/embed_topologies.cmake), so `sixgate lab ...` works without a file.

#include <span>
#include <string_view>

namespace sixgate::lab {

struct BuiltinTopology {
    std::string_view name;  // "directaccess"
    std::string_view path;  // "lab/topologies/directaccess.yaml", the shipped file it was made from
    std::string_view text;
};

inline constexpr std::string_view kDefaultTopology = "directaccess";

std::span<const BuiltinTopology> builtin_topologies();
const BuiltinTopology* find_builtin_topology(std::string_view name);

}  // namespace sixgate::lab
