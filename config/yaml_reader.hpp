#pragma once
// Typed readers over yaml-cpp nodes: each checks the type and the bound, and on failure records a
// diagnostic at the node's file:line:column with its key path, then returns nothing.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/diagnostics.hpp"
#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"

namespace sixgate::config {

// An inclusive range with the unit and the rule it comes from, for messages like
// "must be 4..65535 s (RFC 4861 6.2.1, as updated by RFC 8319), found 3".
struct Bound {
    std::int64_t min = 0;
    std::int64_t max = 0xffffffff;
    std::string_view unit;  // "s", "ms", "bytes" or empty
    std::string_view rule;  // "RFC 4861 6.2.1" or empty
};

// "must be MIN..MAX UNIT (RULE)" or "must be at least MIN UNIT (RULE)" when max is 2^32-1.
std::string bound_text(const Bound& bound);

// "key.sub" and "list[3]".
std::string join_path(std::string_view path, std::string_view key);
std::string index_path(std::string_view path, std::size_t index);

// "'abc'", "nothing", "a map", "a list": what a node holds, for "expected X, found Y".
std::string describe(const YAML::Node& node);

class MapView;

class Reader {
public:
    explicit Reader(std::string file) : file_(std::move(file)) {}

    const std::string& file() const noexcept { return file_; }
    std::vector<Diagnostic>& diagnostics() noexcept { return diagnostics_; }
    bool has_errors() const noexcept;

    void error(const YAML::Node& at, std::string_view path, std::string message);
    void warning(const YAML::Node& at, std::string_view path, std::string message);
    void add(Severity severity, int line, int column, std::string_view path, std::string message);

    // A map whose keys must be among `keys`: an unknown key is an error at the key with a
    // suggestion, a repeated key is an error. A null node (a key with nothing after it) reads as
    // an empty map when null_is_empty.
    // `anchor` is where errors about the map go when it is null (the key that has no value).
    std::optional<MapView> map(const YAML::Node& node, const std::string& path,
                               std::span<const std::string_view> keys, bool null_is_empty = false,
                               const YAML::Node* anchor = nullptr);
    // A list; null reads as an empty list.
    std::optional<std::vector<YAML::Node>> list(const YAML::Node& node, const std::string& path);

    std::optional<std::string> scalar(const YAML::Node& node, const std::string& path,
                                      std::string_view expected);
    std::optional<bool> boolean(const YAML::Node& node, const std::string& path);
    std::optional<std::int64_t> integer(const YAML::Node& node, const std::string& path);
    std::optional<std::uint32_t> number(const YAML::Node& node, const std::string& path, const Bound& bound);
    // A number, or "infinity" for 0xffffffff (RFC 4861 4.6.2: all ones means infinity).
    std::optional<std::uint32_t> lifetime(const YAML::Node& node, const std::string& path, const Bound& bound);
    // One of `names`, returned as its index.
    std::optional<std::size_t> choice(const YAML::Node& node, const std::string& path,
                                      std::span<const std::string_view> names);

    std::optional<net::Ipv4Address> ipv4_address(const YAML::Node& node, const std::string& path);
    // An IPv4 prefix; a plain address reads as a /32 when address_is_host.
    std::optional<net::Ipv4Prefix> ipv4_prefix(const YAML::Node& node, const std::string& path,
                                               bool address_is_host = false);
    // Linux interface name rules (dev_valid_name): 1..15 bytes, not "." or "..", no '/', ':' or
    // whitespace.
    std::optional<std::string> interface_name(const YAML::Node& node, const std::string& path);
    // RFC 1035 2.3.4 / RFC 1123 2.1: labels of 1..63 letters, digits and hyphens, 253 in all.
    std::optional<std::string> dns_name(const YAML::Node& node, const std::string& path);

private:
    std::string file_;
    std::vector<Diagnostic> diagnostics_;
};

// The entries of a checked map, by key (first occurrence).
class MapView {
public:
    // `node` is the map, or where an empty one was written (for "required" errors).
    MapView(YAML::Node node, std::string path) : node_(std::move(node)), path_(std::move(path)) {}
    void add(std::string name, YAML::Node key, YAML::Node value) {
        fields_.push_back(Field{std::move(name), std::move(key), std::move(value)});
    }

    // The value for a key, or nullptr when absent.
    const YAML::Node* get(std::string_view key) const;
    // The key itself (for its position), or a null node when absent.
    YAML::Node key_node(std::string_view key) const;
    bool has(std::string_view key) const { return get(key) != nullptr; }
    const YAML::Node& node() const noexcept { return node_; }
    const std::string& path() const noexcept { return path_; }
    std::string path(std::string_view key) const { return join_path(path_, key); }

private:
    struct Field {
        std::string name;
        YAML::Node key;
        YAML::Node value;
    };
    YAML::Node node_;
    std::string path_;
    std::vector<Field> fields_;
};

bool is_valid_interface_name(std::string_view name);
bool is_valid_dns_name(std::string_view name);

}  // namespace sixgate::config
