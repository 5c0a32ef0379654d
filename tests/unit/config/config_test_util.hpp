#pragma once
// Helpers for config tests: load YAML text as "t.yaml" with a fake interface lookup and a fixed
// ULA proposal, and read diagnostics as the strings `sixgate check` prints.

#include <string>
#include <vector>

#include "config/loader.hpp"

namespace sixgate::config::testing {

inline LoadOptions fake_options() {
    LoadOptions options;
    options.interface_ipv4 = [](const std::string& ifname) -> Result<net::Ipv4Address> {
        if (ifname == "wan0") return net::Ipv4Address(131, 107, 0, 2);
        if (ifname == "lan0") return net::Ipv4Address(10, 0, 0, 2);
        return make_error(std::errc::no_such_device, "no interface named '" + ifname + "'");
    };
    options.propose_ula = [] { return *net::Ipv6Prefix::parse("fd11:2233:4455::/48"); };
    return options;
}

inline LoadResult load(const std::string& text) { return parse_config(text, "t.yaml", fake_options()); }

inline std::vector<std::string> strings(const std::vector<Diagnostic>& diagnostics) {
    std::vector<std::string> out;
    for (const Diagnostic& d : diagnostics) out.push_back(d.to_string());
    return out;
}

inline std::vector<std::string> errors(const std::string& text) { return strings(load(text).errors); }
inline std::vector<std::string> warnings(const std::string& text) { return strings(load(text).warnings); }

// A valid public server and a router interface, to which a test appends the keys it checks.
inline constexpr const char* kPublicRouter =
    "public_ipv4: 131.107.0.2\n"
    "router:\n"
    "  interfaces:\n"
    "    - name: eth1\n";

}  // namespace sixgate::config::testing
