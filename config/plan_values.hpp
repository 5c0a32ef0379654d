#pragma once
// Values written by prefix plan name: a prefix as `org`, an address as `org::1`, an interface
// address as `org::1/64`. Each resolves against the plan derived from public_ipv4, and each
// failure is reported at the value's own file:line:column.

#include <optional>
#include <string>

#include "config/config.hpp"
#include "config/yaml_reader.hpp"
#include "net/prefix_plan.hpp"

namespace sixgate::config {

class PlanValues {
public:
    enum class State {
        absent,  // no public_ipv4: a plan name is an error at its use
        failed,  // public_ipv4 or ula is wrong: already reported there, uses stay quiet
        ready,
    };

    explicit PlanValues(Reader& reader) : reader_(reader) {}
    void set_failed() { state_ = State::failed; }
    void set_plan(net::PrefixPlan plan) { plan_ = std::move(plan), state_ = State::ready; }
    State state() const noexcept { return state_; }
    const net::PrefixPlan* plan() const noexcept { return plan_ ? &*plan_ : nullptr; }

    // A literal IPv6 prefix or a plan name.
    std::optional<Setting<net::Ipv6Prefix>> prefix(const YAML::Node& node, const std::string& path);
    // A literal IPv6 address or NAME::suffix.
    std::optional<Setting<net::Ipv6Address>> address(const YAML::Node& node, const std::string& path);
    // The same as text (from a larger value such as "[org::5]:3389"), reported at node.
    std::optional<Setting<net::Ipv6Address>> address_text(const std::string& text, const YAML::Node& node,
                                                          const std::string& path);
    // ADDRESS/LENGTH where ADDRESS is a literal or NAME::suffix.
    std::optional<Setting<InterfaceAddress>> interface_address(const YAML::Node& node, const std::string& path);
    // A default taken from the plan, e.g. prefixes [org]: the named prefix, or an error at `at`
    // (the map that leaves the value out) when there is no plan to take it from.
    std::optional<net::Ipv6Prefix> default_prefix(const YAML::Node& at, const std::string& path,
                                                  std::string_view name);

private:
    // Resolves a name, reporting at node; nullopt after reporting (or silently when failed).
    std::optional<net::Ipv6Prefix> resolve(std::string_view name, const YAML::Node& node,
                                           const std::string& path, std::string_view what);

    Reader& reader_;
    State state_ = State::absent;
    std::optional<net::PrefixPlan> plan_;
};

}  // namespace sixgate::config
