#pragma once
// Doctor's findings as text (one "ok:" line per passed check; per problem what is wrong, why,
// and "fix:" lines, Linux or Windows) and as JSON (both fix forms).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/doctor/doctor_rules.hpp"

namespace sixgate::app::doctor {

enum class FixForm { kLinux, kWindows };

std::size_t count_problems(const std::vector<Finding>& findings);

std::string render_doctor_text(const HostSnapshot& snapshot, const std::vector<Finding>& findings, FixForm form);

// {"host", "target", "sixgate": {"running", "socket", "error"}, "problems", "findings": [{"check",
// "ok", "summary", "why", "fix": {"linux": [...], "windows": [...], "windows_note"}}]}
nlohmann::json doctor_json(const HostSnapshot& snapshot, const std::optional<std::string>& target,
                           const std::vector<Finding>& findings);

}  // namespace sixgate::app::doctor
