#pragma once
// The effective config: the loaded config written back as YAML with every default and derived
// value literal, commented with where it came from, and loadable again with the same values.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.hpp"
#include "net/prefix_plan.hpp"

namespace sixgate::config {

std::string effective_config_yaml(const Config& config);

// The plan block's entries (public_ipv4, behind_nat, site, org, server, iphttps, teredo, isatap,
// nat64) as text; the loader checks a plan block read back against the same entries.
std::vector<std::pair<std::string_view, std::string>> plan_summary(const net::PrefixPlan& plan);

}  // namespace sixgate::config
