#pragma once
// Internal: one loader per top-level section, sharing the reader and the plan.

#include "config/config.hpp"
#include "config/loader.hpp"
#include "config/plan_values.hpp"
#include "config/yaml_reader.hpp"

namespace sixgate::config {

struct LoadContext {
    Reader& reader;
    PlanValues& plan;
    const LoadOptions& options;
    YAML::Node section_key;  // the key of the section being read, where a bare `router:` is
};

// Each takes the section's node, or nullptr when the file leaves the section out.
void load_router(LoadContext& context, const YAML::Node* node, RouterConfig& router);
void load_isatap(LoadContext& context, const YAML::Node* node, IsatapConfig& isatap);
void load_clat(LoadContext& context, const YAML::Node* node, ClatConfig& clat);
void load_plat(LoadContext& context, const YAML::Node* node, PlatConfig& plat);
void load_translation(LoadContext& context, const YAML::Node* node, TranslationConfig& translation);

// A section's `enabled`: a present section is enabled unless it says otherwise.
Setting<bool> read_enabled(Reader& reader, const MapView& map);

// RFC 6052 2.2: the prefix lengths an IPv4-embedded IPv6 address may use.
bool is_rfc6052_length(int length);

}  // namespace sixgate::config
