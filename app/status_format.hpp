#pragma once
// `sixgate status` output forms from the status snapshot JSON (shape in docs/status.md): text,
// pretty JSON and the Prometheus text exposition format. Generic over the JSON, so a component
// added later shows up without changes here; conventions the walk relies on:
//   - "components" maps a component name to an object; its "uptime_s" is its uptime;
//   - an array of objects is a list of things (e.g. "interfaces"), each labelled by its "name"
//     (or the field named like the list's singular, or "prefix", "address", or its first string
//     field);
//   - an object named "drops" (or "..._drops") maps a reason to a count, one named "X_by_Y" maps
//     a Y to a count of X (a label in Prometheus); any other object is a section (its keys extend
//     the metric name);
//   - an object named "options" is configuration: shown as text, not exported as metrics;
//   - a number is a counter, unless its name ends in "_s" or "_ms" (a duration: a gauge, exported
//     in seconds) or starts with "current_" (a gauge).

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace sixgate::app {

// Aligned, per component, per list item; drops by reason only when non-zero, with their total.
std::string render_status_text(const nlohmann::json& snapshot);

// The snapshot, pretty-printed (2 spaces) with a final newline.
std::string render_status_json(const nlohmann::json& snapshot);

// sixgate_<component>_<field>[_total] with labels (interface="eth1", reason="bad_hop_limit");
// one HELP and TYPE line per metric family.
std::string render_status_prometheus(const nlohmann::json& snapshot);

// 42s, 5m 06s, 4h 05m 06s, 3d 04h 05m 06s
std::string format_uptime(std::int64_t seconds);

}  // namespace sixgate::app
