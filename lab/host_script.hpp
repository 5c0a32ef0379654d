#pragma once
// What a lab host runs, as a POSIX shell script: wait for its links, set addresses, routes and
// sysctls, start its services (socat, dnsmasq, unbound), then `exec sixgate run` with its config.
// The container export runs it as each container's command. Entry points: host_script(),
// segment_switch_script().

#include <string>

#include "lab/topology.hpp"

namespace sixgate::lab {

// Where the script writes the host's sixgate config and service files (in a container).
inline constexpr const char* kLabRunDirectory = "/run/sixgate";

struct HostScriptOptions {
    std::string sixgate_program = "sixgate";       // what `exec ... run -c CONFIG` runs
    std::string run_directory = kLabRunDirectory;  // the host's config and service files
    // Hosts are namespaces sharing this machine's filesystem (not containers): every file a
    // service would write elsewhere (dnsmasq's leases and pid file) goes under run_directory too.
    bool shared_filesystem = false;
};

// The defaults are what the container export runs.
std::string host_script(const Topology& topology, const Host& host, const HostScriptOptions& options = {});

// `word` as one POSIX shell word: unchanged when it needs no quoting, else single-quoted.
std::string shell_word(const std::string& word);

// A shared segment as a container of its own: a bridge over its ports p1..pN (member order).
std::string segment_switch_script(const Segment& segment);
std::string switch_port(std::size_t index);  // "p1" for the first member

}  // namespace sixgate::lab
