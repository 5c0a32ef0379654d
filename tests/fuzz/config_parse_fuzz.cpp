// Fuzzes the config loader: any text must load or give diagnostics, never crash, hang or throw;
// and what loads must print an effective config that loads again.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/effective.hpp"
#include "config/loader.hpp"

namespace {

const sixgate::config::LoadOptions kOptions{
    // No real interfaces or clocks: the same input always gives the same result.
    [](const std::string& name) -> sixgate::Result<sixgate::net::Ipv4Address> {
        if (name == "wan0") return sixgate::net::Ipv4Address(131, 107, 0, 2);
        return sixgate::make_error(std::errc::no_such_device, name + ": no such interface");
    },
    [] { return *sixgate::net::Ipv6Prefix::parse("fd12:3456:789a::/48"); },
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto loaded = sixgate::config::parse_config(text, "fuzz.yaml", kOptions);
    if (!loaded.ok()) return 0;
    const std::string effective = sixgate::config::effective_config_yaml(loaded.config);
    auto again = sixgate::config::parse_config(effective, "effective.yaml", kOptions);
    if (!again.ok() || !(again.config == loaded.config)) std::abort();
    return 0;
}
