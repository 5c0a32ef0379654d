#include "app/status_format.hpp"

#include <algorithm>
#include <cstddef>
#include <map>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

namespace sixgate::app {
namespace {

using nlohmann::json;
using Labels = std::vector<std::pair<std::string, std::string>>;

// Top-level keys the text header and the info metric consume.
constexpr std::string_view kHeaderKeys[] = {"version", "pid", "started_at", "components"};

bool is_header_key(std::string_view key) {
    return std::find(std::begin(kHeaderKeys), std::end(kHeaderKeys), key) != std::end(kHeaderKeys);
}

// A list of values longer than this is printed one item a line.
constexpr std::size_t kMaxInlineListChars = 60;

bool is_drops_key(std::string_view key) {
    return key == "drops" || key.ends_with("_drops");
}

// "entries" (or "..._entries"): a listing of table rows (the PLAT's BIB entries and sessions),
// shown in the text but not exported as metrics: per-row series would be unbounded and unlabelled.
bool is_listing_key(std::string_view key) {
    return key == "entries" || key.ends_with("_entries");
}

bool all_numbers(const json& object) {
    return std::all_of(object.begin(), object.end(),
                       [](const json& value) { return value.is_number(); });
}

bool is_drop_map(std::string_view key, const json& value) {
    return is_drops_key(key) && value.is_object() && all_numbers(value);
}

bool is_object_list(const json& value) {
    return value.is_array() && !value.empty() &&
           std::all_of(value.begin(), value.end(),
                       [](const json& item) { return item.is_object(); });
}

// Shown on the key's own line: a scalar, a list of scalars, an empty object or array.
bool is_inline(const json& value) {
    if (value.is_primitive()) return true;
    if (value.is_object()) return value.empty();
    return !is_object_list(value);
}

// "interfaces" -> "interface", "prefixes" -> "prefix", "entries" -> "entry".
std::string singular(std::string_view plural) {
    std::string word(plural);
    if (word.ends_with("ies")) return word.substr(0, word.size() - 3) + "y";
    for (std::string_view suffix : {"sses", "xes", "shes", "ches"}) {
        if (word.ends_with(suffix)) return word.substr(0, word.size() - 2);
    }
    if (word.ends_with("s") && word.size() > 1) return word.substr(0, word.size() - 1);
    return word;
}

// The field naming a list item: "name", else the list's singular ("prefix" in "prefixes"), else
// a field that usually identifies (a route is its prefix, not its preference), else its first
// string field. Empty when there is none.
std::string label_key(const json& item, const std::string& list_singular) {
    for (const std::string& candidate :
         {std::string("name"), list_singular, std::string("prefix"), std::string("address")}) {
        const auto it = item.find(candidate);
        if (it != item.end() && it->is_string()) return candidate;
    }
    for (const auto& [key, value] : item.items()) {
        if (value.is_string()) return key;
    }
    return {};
}

std::string item_label(const json& item, const std::string& key, std::size_t index) {
    if (key.empty()) return "#" + std::to_string(index + 1);
    return item.at(key).get<std::string>();
}

std::string number_text(const json& value) {
    return value.dump();  // integers exactly; floats in nlohmann's shortest round-trip form
}

std::string scalar_text(const json& value) {
    if (value.is_null()) return "-";
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
    if (value.is_number()) return number_text(value);
    if (value.is_array()) {
        if (value.empty()) return "-";
        std::string joined;
        for (const json& item : value) {
            if (!joined.empty()) joined += ", ";
            joined += item.is_primitive() ? scalar_text(item) : item.dump();
        }
        return joined;
    }
    if (value.is_object() && value.empty()) return "-";
    return value.dump();
}

// Sum of a drop map: integers exactly, floats only if the snapshot has them.
json drop_total(const json& drops) {
    std::uint64_t integers = 0;
    double floats = 0;
    bool any_float = false;
    for (const json& count : drops) {
        if (count.is_number_float()) {
            any_float = true;
            floats += count.get<double>();
        } else if (count.is_number_unsigned()) {
            integers += count.get<std::uint64_t>();
        } else {
            integers +=
                static_cast<std::uint64_t>(std::max<std::int64_t>(0, count.get<std::int64_t>()));
        }
    }
    if (any_float) return floats + static_cast<double>(integers);
    return integers;
}

bool is_zero(const json& number) {
    return number.get<double>() == 0;
}

void append_line(std::string& out, int indent, const std::string& key, std::size_t width,
                 const std::string& value) {
    out.append(static_cast<std::size_t>(indent), ' ');
    out += key;
    out.append(width - key.size() + 2, ' ');
    out += value;
    out += '\n';
}

// One object's fields at `indent`: its inline fields aligned (scalars, then drop maps with their
// non-zero reasons), then its nested objects and lists in key order.
void render_fields(std::string& out, const json& object, int indent, const std::string& skip) {
    std::size_t width = 0;
    for (const auto& [key, value] : object.items()) {
        if (key == skip) continue;
        if (is_inline(value) || is_drop_map(key, value)) width = std::max(width, key.size());
    }
    for (const auto& [key, value] : object.items()) {
        if (key == skip || !is_inline(value) || is_drop_map(key, value)) continue;
        const std::string text = scalar_text(value);
        if (value.is_array() && text.size() > kMaxInlineListChars) {
            // A long list (kernel routes, say): one item a line, below its key.
            out.append(static_cast<std::size_t>(indent), ' ');
            out += key + "\n";
            for (const json& item : value) {
                out.append(static_cast<std::size_t>(indent + 2), ' ');
                out += scalar_text(item) + "\n";
            }
            continue;
        }
        append_line(out, indent, key, width, text);
    }
    for (const auto& [key, value] : object.items()) {
        if (key == skip || !is_drop_map(key, value)) continue;
        append_line(out, indent, key, width, number_text(drop_total(value)));
        std::size_t reason_width = 0;
        for (const auto& [reason, count] : value.items()) {
            if (!is_zero(count)) reason_width = std::max(reason_width, reason.size());
        }
        for (const auto& [reason, count] : value.items()) {
            if (!is_zero(count))
                append_line(out, indent + 2, reason, reason_width, number_text(count));
        }
    }
    for (const auto& [key, value] : object.items()) {
        if (key == skip || is_inline(value) || is_drop_map(key, value)) continue;
        if (value.is_object()) {
            out.append(static_cast<std::size_t>(indent), ' ');
            out += key + "\n";
            render_fields(out, value, indent + 2, "");
            continue;
        }
        const std::string item_name = singular(key);
        for (std::size_t index = 0; index < value.size(); ++index) {
            const json& item = value[index];
            const std::string label = label_key(item, item_name);
            out.append(static_cast<std::size_t>(indent), ' ');
            out += item_name + " " + item_label(item, label, index) + "\n";
            render_fields(out, item, indent + 2, label);
        }
    }
}

// --- Prometheus text exposition format (version 0.0.4) ---

struct Sample {
    Labels labels;
    std::string value;
};

struct Family {
    std::string name;
    std::string type;
    std::string help;
    std::vector<Sample> samples;
};

// Metric and label names: [a-zA-Z_:][a-zA-Z0-9_:]*, so anything else becomes '_'.
std::string metric_name(std::string_view text) {
    std::string name;
    for (char c : text) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == ':';
        name += ok ? c : '_';
    }
    if (name.empty() || (name[0] >= '0' && name[0] <= '9')) name.insert(name.begin(), '_');
    return name;
}

std::string label_value(std::string_view text) {
    std::string escaped;
    for (char c : text) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '"')
            escaped += "\\\"";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

std::string help_text(std::string_view text) {
    std::string escaped;
    for (char c : text) {
        if (c == '\\')
            escaped += "\\\\";
        else if (c == '\n')
            escaped += "\\n";
        else
            escaped += c;
    }
    return escaped;
}

class Exposition {
public:
    void add(const std::string& name, const std::string& type, const std::string& help,
             Labels labels, std::string value) {
        auto [it, inserted] = index_.try_emplace(name, families_.size());
        if (inserted) families_.push_back(Family{name, type, help, {}});
        families_[it->second].samples.push_back(Sample{std::move(labels), std::move(value)});
    }

    std::string text() const {
        std::string out;
        for (const Family& family : families_) {
            out += "# HELP " + family.name + " " + help_text(family.help) + "\n";
            out += "# TYPE " + family.name + " " + family.type + "\n";
            for (const Sample& sample : family.samples) {
                out += family.name;
                if (!sample.labels.empty()) {
                    out += '{';
                    for (std::size_t i = 0; i < sample.labels.size(); ++i) {
                        if (i > 0) out += ',';
                        out += sample.labels[i].first + "=\"" +
                               label_value(sample.labels[i].second) + "\"";
                    }
                    out += '}';
                }
                out += " " + sample.value + "\n";
            }
        }
        return out;
    }

private:
    std::vector<Family> families_;
    std::map<std::string, std::size_t> index_;
};

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
    std::string joined;
    for (const std::string& part : parts) {
        if (!joined.empty()) joined += separator;
        joined += part;
    }
    return joined;
}

// One number at JSON path `parts` below a component.
void add_number(Exposition& exposition, const std::string& component,
                const std::vector<std::string>& parts, const Labels& labels, const json& value) {
    const std::string& key = parts.back();
    std::string base = "sixgate_" + component + "_" + join(parts, "_");
    std::string type = "counter";
    std::string sample = number_text(value);
    if (key.ends_with("_s")) {
        type = "gauge";
        base = base.substr(0, base.size() - 2) + "_seconds";
    } else if (key.ends_with("_ms")) {
        // Prometheus measures time in seconds.
        type = "gauge";
        base = base.substr(0, base.size() - 3) + "_seconds";
        sample = json(value.get<double>() / 1000).dump();
    } else if (key.starts_with("current_") || key.ends_with("_seconds_ago")) {
        type = "gauge";
    } else if (!base.ends_with("_total")) {
        base += "_total";
    }
    std::vector<std::string> label_names;
    for (const auto& [name, unused] : labels) label_names.push_back(name);
    const std::string help = component + " " + join(parts, ".") +
                             (label_names.empty() ? "" : " by " + join(label_names, " and "));
    exposition.add(metric_name(base), type, help, labels, std::move(sample));
}

// "drops" -> (drops, reason); "sessions_by_protocol" -> (sessions, protocol); else nothing: the
// object is a section whose keys extend the metric name (mixing units in one family is wrong).
std::optional<std::pair<std::string, std::string>> map_label(std::string_view key) {
    if (is_drops_key(key)) return std::pair{std::string(key), std::string("reason")};
    const std::size_t by = key.rfind("_by_");
    if (by == std::string_view::npos || by == 0 || by + 4 == key.size()) return std::nullopt;
    return std::pair{std::string(key.substr(0, by)), metric_name(key.substr(by + 4))};
}

void walk_metrics(Exposition& exposition, const std::string& component, const json& object,
                  const std::vector<std::string>& parts, const Labels& labels,
                  const std::string& skip) {
    const auto below = [&parts](const std::string& key) {
        std::vector<std::string> path = parts;
        path.push_back(key);
        return path;
    };
    for (const auto& [key, value] : object.items()) {
        if (key != skip && value.is_number() && !is_listing_key(key))
            add_number(exposition, component, below(key), labels, value);
    }
    for (const auto& [key, value] : object.items()) {
        if (key == skip || key == "options" || is_listing_key(key)) continue;
        if (value.is_object() && !value.empty() && all_numbers(value) && map_label(key)) {
            // A map of counts: one family, the map's keys as a label.
            const auto [metric, label] = *map_label(key);
            for (const auto& [entry, count] : value.items()) {
                Labels with = labels;
                with.emplace_back(label, entry);
                add_number(exposition, component, below(metric), with, count);
            }
        } else if (value.is_object()) {
            walk_metrics(exposition, component, value, below(key), labels, "");
        } else if (is_object_list(value)) {
            // A list of things: each item's name becomes a label, not part of the metric name.
            const std::string item_name = singular(key);
            for (std::size_t index = 0; index < value.size(); ++index) {
                const json& item = value[index];
                const std::string label = label_key(item, item_name);
                Labels with = labels;
                with.emplace_back(metric_name(item_name), item_label(item, label, index));
                walk_metrics(exposition, component, item, parts, with, label);
            }
        }
    }
}

}  // namespace

std::string format_uptime(std::int64_t seconds) {
    if (seconds < 0) seconds = 0;
    const std::int64_t days = seconds / 86400;
    const std::int64_t hours = seconds / 3600 % 24;
    const std::int64_t minutes = seconds / 60 % 60;
    const std::int64_t rest = seconds % 60;
    if (days > 0) return fmt::format("{}d {:02}h {:02}m {:02}s", days, hours, minutes, rest);
    if (hours > 0) return fmt::format("{}h {:02}m {:02}s", hours, minutes, rest);
    if (minutes > 0) return fmt::format("{}m {:02}s", minutes, rest);
    return fmt::format("{}s", rest);
}

std::string render_status_json(const json& snapshot) {
    return snapshot.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string render_status_text(const json& snapshot) {
    if (!snapshot.is_object()) return render_status_json(snapshot);
    std::string out = "sixgate";
    if (const auto version = snapshot.find("version"); version != snapshot.end()) {
        out += " " + scalar_text(*version);
    }
    if (const auto pid = snapshot.find("pid"); pid != snapshot.end())
        out += ", pid " + scalar_text(*pid);
    if (const auto started = snapshot.find("started_at"); started != snapshot.end()) {
        out += ", started " + scalar_text(*started);
    }
    out += "\n";
    json rest = json::object();
    for (const auto& [key, value] : snapshot.items()) {
        if (!is_header_key(key)) rest[key] = value;
    }
    render_fields(out, rest, 0, "");

    const auto components = snapshot.find("components");
    if (components == snapshot.end() || !components->is_object() || components->empty()) {
        out += "\nno components running\n";
        return out;
    }
    for (const auto& [name, component] : components->items()) {
        out += "\n" + name;
        if (!component.is_object()) {
            out += "  " + scalar_text(component) + "\n";
            continue;
        }
        const auto uptime = component.find("uptime_s");
        if (uptime != component.end() && uptime->is_number()) {
            out += " (up " + format_uptime(uptime->get<std::int64_t>()) + ")";
        }
        out += "\n";
        render_fields(out, component, 2,
                      uptime != component.end() && uptime->is_number() ? "uptime_s" : "");
    }
    return out;
}

std::string render_status_prometheus(const json& snapshot) {
    Exposition exposition;
    if (!snapshot.is_object()) return {};
    if (const auto version = snapshot.find("version");
        version != snapshot.end() && version->is_string()) {
        exposition.add("sixgate_info", "gauge", "sixgate version (the value is always 1)",
                       {{"version", version->get<std::string>()}}, "1");
    }
    const auto components = snapshot.find("components");
    if (components != snapshot.end() && components->is_object()) {
        for (const auto& [name, component] : components->items()) {
            if (component.is_object())
                walk_metrics(exposition, metric_name(name), component, {}, {}, "");
        }
    }
    return exposition.text();
}

}  // namespace sixgate::app
