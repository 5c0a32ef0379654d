#pragma once
// Config diagnostics: errors and warnings with file:line:column and the key path they concern,
// plus "did you mean" suggestions for misspelt keys and names.

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sixgate::config {

enum class Severity { error, warning };

struct Diagnostic {
    std::string file;
    int line = 0;    // 1-based; 0 when the problem has no position (an unreadable file)
    int column = 0;  // 1-based
    std::string key_path;  // e.g. router.interfaces[0].max_rtr_adv_interval
    std::string message;
    Severity severity = Severity::error;

    // "FILE:LINE:COL: error: KEY_PATH: MESSAGE" (or "warning:")
    std::string to_string() const;
    bool operator==(const Diagnostic&) const = default;
};

// One diagnostic per line, each ending in '\n'.
std::string to_string(std::span<const Diagnostic> diagnostics);

// Levenshtein distance (insertions, deletions, substitutions).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate the user most likely meant: the nearest within edit distance 2, else one that
// starts with what was written (or that what was written starts with). Empty when none fits.
std::string closest_match(std::string_view written, std::span<const std::string_view> candidates);

// " (did you mean 'X'?)" or empty.
std::string did_you_mean(std::string_view written, std::span<const std::string_view> candidates);

}  // namespace sixgate::config
