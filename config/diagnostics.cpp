#include "config/diagnostics.hpp"

#include <algorithm>
#include <numeric>

namespace sixgate::config {

std::string Diagnostic::to_string() const {
    std::string text = file;
    if (line > 0) text += ":" + std::to_string(line) + ":" + std::to_string(column);
    text += severity == Severity::error ? ": error: " : ": warning: ";
    if (!key_path.empty()) text += key_path + ": ";
    return text + message;
}

std::string to_string(std::span<const Diagnostic> diagnostics) {
    std::string text;
    for (const Diagnostic& diagnostic : diagnostics) text += diagnostic.to_string() + "\n";
    return text;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), std::size_t{0});
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::string closest_match(std::string_view written, std::span<const std::string_view> candidates) {
    std::string_view best;
    std::size_t best_distance = 3;  // only suggest within distance 2
    for (std::string_view candidate : candidates) {
        const std::size_t distance = edit_distance(written, candidate);
        if (distance < best_distance) best = candidate, best_distance = distance;
    }
    if (!best.empty()) return std::string(best);
    // A prefix match catches abbreviations ("max_rtr" for "max_rtr_adv_interval").
    if (written.size() >= 3)
        for (std::string_view candidate : candidates)
            if (candidate.starts_with(written) || written.starts_with(candidate))
                return std::string(candidate);
    return {};
}

std::string did_you_mean(std::string_view written, std::span<const std::string_view> candidates) {
    const std::string match = closest_match(written, candidates);
    return match.empty() ? std::string() : " (did you mean '" + match + "'?)";
}

}  // namespace sixgate::config
