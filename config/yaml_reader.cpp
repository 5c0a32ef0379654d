#include "config/yaml_reader.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sixgate::config {
namespace {

constexpr std::string_view kTrue[] = {"true", "True", "TRUE"};
constexpr std::string_view kFalse[] = {"false", "False", "FALSE"};

bool one_of(std::string_view text, std::span<const std::string_view> names) {
    return std::find(names.begin(), names.end(), text) != names.end();
}

std::string list_names(std::span<const std::string_view> names) {
    std::string text;
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i > 0) text += i + 1 == names.size() ? " or " : ", ";
        text += names[i];
    }
    return text;
}

}  // namespace

std::string bound_text(const Bound& bound) {
    std::string text = bound.max >= 0xffffffff
                           ? "must be at least " + std::to_string(bound.min)
                           : "must be " + std::to_string(bound.min) + ".." + std::to_string(bound.max);
    if (!bound.unit.empty()) text += " " + std::string(bound.unit);
    if (!bound.rule.empty()) text += " (" + std::string(bound.rule) + ")";
    return text;
}

std::string join_path(std::string_view path, std::string_view key) {
    return path.empty() ? std::string(key) : std::string(path) + "." + std::string(key);
}

std::string index_path(std::string_view path, std::size_t index) {
    return std::string(path) + "[" + std::to_string(index) + "]";
}

std::string describe(const YAML::Node& node) {
    switch (node.Type()) {
    case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: break;
    }
    return "nothing";
}

bool Reader::has_errors() const noexcept {
    return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::error; });
}

void Reader::add(Severity severity, int line, int column, std::string_view path, std::string message) {
    diagnostics_.push_back(Diagnostic{file_, line, column, std::string(path), std::move(message), severity});
}

void Reader::error(const YAML::Node& at, std::string_view path, std::string message) {
    const YAML::Mark mark = at.Mark();
    // yaml-cpp marks are 0-based.
    if (mark.is_null()) return add(Severity::error, 0, 0, path, std::move(message));
    add(Severity::error, mark.line + 1, mark.column + 1, path, std::move(message));
}

void Reader::warning(const YAML::Node& at, std::string_view path, std::string message) {
    const YAML::Mark mark = at.Mark();
    if (mark.is_null()) return add(Severity::warning, 0, 0, path, std::move(message));
    add(Severity::warning, mark.line + 1, mark.column + 1, path, std::move(message));
}

std::optional<MapView> Reader::map(const YAML::Node& node, const std::string& path,
                                   std::span<const std::string_view> keys, bool null_is_empty,
                                   const YAML::Node* anchor) {
    if (null_is_empty && node.IsNull()) return MapView(anchor && anchor->Mark().line >= 0 ? *anchor : node, path);
    if (!node.IsMap()) {
        error(node, path, "expected a map of keys, found " + describe(node));
        return std::nullopt;
    }
    MapView view(node, path);
    for (auto it = node.begin(); it != node.end(); ++it) {
        const YAML::Node key = it->first;
        if (!key.IsScalar()) {
            error(key, path, "expected a key name, found " + describe(key));
            continue;
        }
        const std::string& name = key.Scalar();
        const std::string key_path = join_path(path, name);
        if (!one_of(name, keys)) {
            error(key, key_path, "unknown key '" + name + "'" + did_you_mean(name, keys));
            continue;
        }
        if (view.has(name)) {
            error(key, key_path, "key '" + name + "' appears twice in this map");
            continue;
        }
        view.add(name, key, it->second);
    }
    return view;
}

std::optional<std::vector<YAML::Node>> Reader::list(const YAML::Node& node, const std::string& path) {
    if (node.IsNull()) return std::vector<YAML::Node>{};
    if (!node.IsSequence()) {
        error(node, path, "expected a list, found " + describe(node));
        return std::nullopt;
    }
    std::vector<YAML::Node> items;
    for (const YAML::Node& item : node) items.push_back(item);
    return items;
}

std::optional<std::string> Reader::scalar(const YAML::Node& node, const std::string& path,
                                          std::string_view expected) {
    if (!node.IsScalar()) {
        error(node, path, "expected " + std::string(expected) + ", found " + describe(node));
        return std::nullopt;
    }
    return node.Scalar();
}

std::optional<bool> Reader::boolean(const YAML::Node& node, const std::string& path) {
    auto text = scalar(node, path, "true or false");
    if (!text) return std::nullopt;
    if (one_of(*text, kTrue)) return true;
    if (one_of(*text, kFalse)) return false;
    // Strict on purpose: "yes", "on" or "no" read differently across YAML versions.
    error(node, path, "expected true or false, found '" + *text + "'");
    return std::nullopt;
}

std::optional<std::int64_t> Reader::integer(const YAML::Node& node, const std::string& path) {
    auto text = scalar(node, path, "an integer");
    if (!text) return std::nullopt;
    std::string_view digits = *text;
    int base = 10;
    const bool negative = digits.starts_with('-');
    if (negative) digits.remove_prefix(1);
    if (digits.starts_with("0x") || digits.starts_with("0X")) base = 16, digits.remove_prefix(2);
    std::uint64_t magnitude = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude, base);
    if (digits.empty() || ec == std::errc::invalid_argument || end != digits.data() + digits.size()) {
        error(node, path, "expected an integer, found '" + *text + "'");
        return std::nullopt;
    }
    if (ec == std::errc::result_out_of_range || magnitude > (std::uint64_t{1} << 62)) {
        error(node, path, "expected an integer that fits in 62 bits, found '" + *text + "'");
        return std::nullopt;
    }
    const auto value = static_cast<std::int64_t>(magnitude);
    return negative ? -value : value;
}

std::optional<std::uint32_t> Reader::number(const YAML::Node& node, const std::string& path, const Bound& bound) {
    auto value = integer(node, path);
    if (!value) return std::nullopt;
    if (*value < bound.min || *value > bound.max) {
        error(node, path, bound_text(bound) + ", found " + std::to_string(*value));
        return std::nullopt;
    }
    return static_cast<std::uint32_t>(*value);
}

std::optional<std::uint32_t> Reader::lifetime(const YAML::Node& node, const std::string& path, const Bound& bound) {
    if (node.IsScalar() && node.Scalar() == "infinity") {
        if (bound.max < 0xffffffff) {
            error(node, path, bound_text(bound) + ", found infinity");
            return std::nullopt;
        }
        return 0xffffffffu;
    }
    if (node.IsScalar() && !node.Scalar().empty() && !std::isdigit(static_cast<unsigned char>(node.Scalar()[0])) &&
        node.Scalar()[0] != '-') {
        error(node, path, "expected a number of seconds or infinity, found " + describe(node));
        return std::nullopt;
    }
    return number(node, path, bound);
}

std::optional<std::size_t> Reader::choice(const YAML::Node& node, const std::string& path,
                                          std::span<const std::string_view> names) {
    auto text = scalar(node, path, "one of " + list_names(names));
    if (!text) return std::nullopt;
    const auto found = std::find(names.begin(), names.end(), *text);
    if (found != names.end()) return static_cast<std::size_t>(found - names.begin());
    error(node, path,
          "expected one of " + list_names(names) + ", found '" + *text + "'" + did_you_mean(*text, names));
    return std::nullopt;
}

std::optional<net::Ipv4Address> Reader::ipv4_address(const YAML::Node& node, const std::string& path) {
    auto text = scalar(node, path, "an IPv4 address");
    if (!text) return std::nullopt;
    auto address = net::Ipv4Address::parse(*text);
    if (!address) {
        error(node, path, "expected an IPv4 address, found '" + *text + "': " + address.error().message);
        return std::nullopt;
    }
    return *address;
}

std::optional<net::Ipv4Prefix> Reader::ipv4_prefix(const YAML::Node& node, const std::string& path,
                                                   bool address_is_host) {
    const std::string_view expected = address_is_host ? "an IPv4 address or prefix" : "an IPv4 prefix";
    auto text = scalar(node, path, expected);
    if (!text) return std::nullopt;
    if (address_is_host && text->find('/') == std::string::npos) {
        auto address = net::Ipv4Address::parse(*text);
        if (address) return net::Ipv4Prefix(*address, 32);
        error(node, path, "expected " + std::string(expected) + ", found '" + *text + "': " + address.error().message);
        return std::nullopt;
    }
    auto prefix = net::Ipv4Prefix::parse(*text);
    if (!prefix) {
        error(node, path, "expected " + std::string(expected) + ", found '" + *text + "': " + prefix.error().message);
        return std::nullopt;
    }
    return *prefix;
}

bool is_valid_interface_name(std::string_view name) {
    if (name.empty() || name.size() > 15 || name == "." || name == "..") return false;
    return std::none_of(name.begin(), name.end(), [](char c) {
        return c == '/' || c == ':' || std::isspace(static_cast<unsigned char>(c)) || c == '\0';
    });
}

std::optional<std::string> Reader::interface_name(const YAML::Node& node, const std::string& path) {
    auto text = scalar(node, path, "an interface name");
    if (!text) return std::nullopt;
    if (!is_valid_interface_name(*text)) {
        error(node, path,
              "expected a Linux interface name (1..15 characters, not '.' or '..', no '/', ':' or "
              "whitespace), found '" + *text + "'");
        return std::nullopt;
    }
    return text;
}

bool is_valid_dns_name(std::string_view name) {
    if (name.ends_with('.')) name.remove_suffix(1);
    if (name.empty() || name.size() > 253) return false;
    std::size_t start = 0;
    while (start <= name.size()) {
        std::size_t dot = name.find('.', start);
        if (dot == std::string_view::npos) dot = name.size();
        const std::string_view label = name.substr(start, dot - start);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
        for (char c : label)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
        start = dot + 1;
    }
    return true;
}

std::optional<std::string> Reader::dns_name(const YAML::Node& node, const std::string& path) {
    auto text = scalar(node, path, "a DNS name");
    if (!text) return std::nullopt;
    if (!is_valid_dns_name(*text)) {
        error(node, path,
              "expected a DNS name (labels of 1..63 letters, digits or inner hyphens, at most 253 "
              "characters; RFC 1035 2.3.4), found '" + *text + "'");
        return std::nullopt;
    }
    return text;
}

const YAML::Node* MapView::get(std::string_view key) const {
    for (const Field& field : fields_)
        if (field.name == key) return &field.value;
    return nullptr;
}

YAML::Node MapView::key_node(std::string_view key) const {
    for (const Field& field : fields_)
        if (field.name == key) return field.key;
    return YAML::Node();
}

}  // namespace sixgate::config
