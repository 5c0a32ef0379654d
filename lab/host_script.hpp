#pragma once
// What a lab host runs, as a POSIX shell script: wait for its links, set addresses, routes and
// sysctls, start its services (socat, dnsmasq, unbound), then `exec sixgate run` with its config.
// The container export runs it as each container's command. Entry points: host_script(),
// segment_switch_script().

#include <string>

#include "lab/topology.hpp"

namespace sixgate::lab {

// Where the script writes the host's sixgate config and service files.
inline constexpr const char* kLabRunDirectory = "/run/sixgate";

std::string host_script(const Topology& topology, const Host& host);

// A shared segment as a container of its own: a bridge over its ports p1..pN (member order).
std::string segment_switch_script(const Segment& segment);
std::string switch_port(std::size_t index);  // "p1" for the first member

}  // namespace sixgate::lab
