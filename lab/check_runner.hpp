#pragma once
// Runs a topology's checks against a lab that is up: each probe from inside the from-host's
// namespace, retried until it succeeds or a deadline passes (expected success: the lab may still
// converge), or tried for a fixed window that must see no success (expected failure); counters read
// from a host's sixgate status; reload steps rewrite a running sixgate's config and SIGHUP it, and
// are undone at the end so the next run starts from the same lab.
// Entry points: run_checks(), resolve_target().

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lab/check_report.hpp"
#include "lab/probes.hpp"
#include "lab/topology.hpp"
#include "net/result.hpp"

namespace sixgate::lab {

struct CheckTiming {
    std::chrono::milliseconds success_deadline{10'000};
    std::chrono::milliseconds failure_window{3'000};
    std::chrono::milliseconds attempt_timeout{1'000};
    std::chrono::milliseconds retry_pause{250};
    std::chrono::milliseconds reload_deadline{5'000};  // until the status shows a reload applied
};

// What the runner needs from the outside world; tests stand in for it.
struct CheckEnvironment {
    // A sixgate status snapshot through the control socket at this path.
    std::function<Result<nlohmann::json>(const std::string& socket)> status;
    // `sixgate doctor --target ADDRESS [--socket PATH]` inside the namespace: its explanation, or
    // empty. control_socket: the host's own sixgate's, seen from here (empty when none runs).
    std::function<std::string(const std::string& namespace_name, const std::string& target,
                              const std::string& control_socket)>
        doctor;
};

// The live addresses of a host (read inside its namespace), for hosts configured by SLAAC.
using LiveAddressLookup = std::function<std::vector<LiveAddress>(const std::string& host)>;

// Where a check goes: `address`, or the dns server, or the `to` host's address of `family`: the
// first static one from the topology (IPv6 link-local skipped), else for a SLAAC host the first live
// global address on a SLAAC interface. Error resource_unavailable_try_again: none (yet).
Result<IpAddress> resolve_target(const Topology& topology, const Check& check, const LiveAddressLookup& live);

// A number at a dot path under the snapshot's "components" ("isatap.isatap_drops.source_not_allowed").
Result<std::uint64_t> status_counter(const nlohmann::json& snapshot, const std::string& path);

CheckReport run_checks(const Topology& topology, const CheckEnvironment& environment, const CheckTiming& timing = {});

}  // namespace sixgate::lab
