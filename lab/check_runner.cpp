#include "lab/check_runner.hpp"

#include <signal.h>

#include <algorithm>
#include <thread>

#include "lab/lab_host_process.hpp"
#include "lab/lab_names.hpp"

namespace sixgate::lab {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

double ms_since(Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

bool is_link_local(const IpAddress& address) {
    const auto* v6 = std::get_if<net::Ipv6Address>(&address);
    return v6 && v6->bytes()[0] == 0xfe && (v6->bytes()[1] & 0xc0) == 0x80;
}

std::string protocol_cell(const Check& check) {
    std::string text(to_string(check.protocol));
    if (check.port) text += "/" + std::to_string(*check.port);
    return text;
}

// A reload applied by this run, to undo at the end.
struct AppliedReload {
    std::string host;
    std::string config_file;
    std::string original;
    nlohmann::json allow_before;  // the running router's isatap.allow before the change
};

class Runner {
public:
    Runner(const Topology& topology, const CheckEnvironment& environment, const CheckTiming& timing)
        : topology_(topology), environment_(environment), timing_(timing) {}

    CheckReport run() {
        CheckReport report;
        report.lab = topology_.name;
        for (const Check& check : topology_.checks)
            report.rows.push_back(check.is_reload() ? reload(check) : probe(check));
        // Newest first, so several steps on one host end at its first original.
        for (auto it = applied_.rbegin(); it != applied_.rend(); ++it) report.rows.push_back(restore(*it));
        return report;
    }

private:
    std::string ns(const std::string& host) const { return host_namespace(topology_.name, host); }

    Result<nlohmann::json> status_of(const std::string& host) const {
        auto process = find_sixgate_process(ns(host));
        if (!process) return process.error();
        return environment_.status(process->control_socket);
    }

    Result<std::uint64_t> counter(const CounterRise& rise) const {
        auto snapshot = status_of(rise.host);
        if (!snapshot) return snapshot.error();
        return status_counter(*snapshot, rise.counter);
    }

    Result<void> sighup(const std::string& host) const {
        auto process = find_sixgate_process(ns(host));
        if (!process) return process.error();
        if (::kill(process->pid, SIGHUP) != 0)
            return make_error(std::errc(errno), "cannot signal sixgate pid " + std::to_string(process->pid) + " on " + host);
        return {};
    }

    std::vector<LiveAddress> live_addresses(const std::string& host) const {
        std::vector<LiveAddress> addresses;
        (void)in_namespace(ns(host), [&] { addresses = namespace_addresses(); });
        return addresses;
    }

    CheckRow probe(const Check& check) {
        CheckRow row;
        row.from = check.from;
        row.to = check.to;
        row.protocol = protocol_cell(check);
        row.expected = std::string(to_string(check.expect));
        if (check.counter_rises) {
            // The counter's last name keeps the column narrow; the result names it in full.
            const std::string& path = check.counter_rises->counter;
            row.expected += ", " + path.substr(path.rfind('.') + 1) + " rises";
        }
        std::optional<std::uint64_t> before;
        if (check.counter_rises) {
            auto value = counter(*check.counter_rises);
            if (!value) return error_row(std::move(row), "reading " + check.counter_rises->host + "'s counter: " + value.error().message);
            before = *value;
        }
        for (const std::string& host : check.sighup)
            if (auto sent = sighup(host); !sent) return error_row(std::move(row), sent.error().message);

        const bool want_success = check.expect == Expectation::success;
        const auto start = Clock::now();
        const auto deadline = start + (want_success ? timing_.success_deadline : timing_.failure_window);
        ProbeOutcome outcome;
        std::string target_text;
        const LiveAddressLookup live = [this](const std::string& host) { return live_addresses(host); };
        auto entered = in_namespace(ns(check.from), [&] {
            for (;;) {
                auto target = resolve_target(topology_, check, live);
                if (target) {
                    target_text = to_string(*target);
                    ProbeRequest request{check.protocol, *target, check.port, check.query, check.within};
                    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
                    outcome = probe_once(request, std::clamp(left, milliseconds{100}, timing_.attempt_timeout));
                } else {
                    outcome = ProbeOutcome{false, {}, target.error().message};
                }
                if (outcome.success || Clock::now() + timing_.retry_pause >= deadline) return;
                std::this_thread::sleep_for(timing_.retry_pause);
            }
        });
        row.elapsed_ms = ms_since(start);
        row.target = target_text;
        if (!entered) return error_row(std::move(row), entered.error().message);
        row.result = outcome.success ? "success" : "failure";
        row.detail = outcome.detail;
        if (outcome.success) row.rtt_ms = std::chrono::duration<double, std::milli>(outcome.rtt).count();
        row.met = outcome.success == want_success;
        if (check.counter_rises) {
            auto after = counter(*check.counter_rises);
            if (!after) {
                row.met = false;
                row.detail += "; reading " + check.counter_rises->host + "'s counter: " + after.error().message;
            } else {
                const bool rose = *after > *before;
                row.met = row.met && rose;
                row.detail += "; " + check.counter_rises->host + " " + check.counter_rises->counter + " " +
                              std::to_string(*before) + " -> " + std::to_string(*after);
            }
        }
        if (!row.met && environment_.doctor) {
            auto process = find_sixgate_process(ns(check.from));
            row.doctor = environment_.doctor(ns(check.from), target_text, process ? process->control_socket : "");
        }
        return row;
    }

    CheckRow error_row(CheckRow row, std::string message) const {
        row.result = "error";
        row.detail = std::move(message);
        row.met = false;
        return row;
    }

    // Polls the host's status until `done` says the running config is the one wanted.
    Result<double> wait_for_status(const std::string& host, const std::function<bool(const nlohmann::json&)>& done) const {
        const auto start = Clock::now();
        std::string last = "no status";
        while (Clock::now() - start < timing_.reload_deadline) {
            auto snapshot = status_of(host);
            if (snapshot && done(*snapshot)) return ms_since(start);
            last = snapshot ? "the status does not show it yet" : snapshot.error().message;
            std::this_thread::sleep_for(milliseconds{100});
        }
        return make_error(std::errc::timed_out, "not applied within " + std::to_string(timing_.reload_deadline.count()) +
                                                    " ms: " + last);
    }

    static nlohmann::json allow_list(const nlohmann::json& snapshot) {
        const auto* allow = &snapshot;
        for (const char* key : {"components", "isatap", "allow"}) {
            if (!allow->is_object() || !allow->contains(key)) return nlohmann::json();
            allow = &(*allow)[key];
        }
        return *allow;
    }

    CheckRow reload(const Check& check) {
        const ReloadStep& step = *check.reload;
        CheckRow row;
        row.from = step.host;
        row.to = "-";
        row.protocol = "reload";
        row.expected = "applied";
        std::string added;
        for (const auto& prefix : step.isatap_allow_add) added += (added.empty() ? "" : ",") + prefix.to_string();
        row.target = "isatap.allow +" + added;
        const auto start = Clock::now();
        auto process = find_sixgate_process(ns(step.host));
        if (!process) return error_row(std::move(row), process.error().message);
        auto snapshot = status_of(step.host);
        if (!snapshot) return error_row(std::move(row), snapshot.error().message);
        auto original = read_text_file(process->config_file);
        if (!original) return error_row(std::move(row), original.error().message);
        auto changed = with_isatap_allow(*original, step.isatap_allow_add);
        if (!changed) return error_row(std::move(row), changed.error().message);
        if (auto written = write_text_file(process->config_file, *changed); !written)
            return error_row(std::move(row), written.error().message);
        applied_.push_back(AppliedReload{step.host, process->config_file, *original, allow_list(*snapshot)});
        if (auto sent = sighup(step.host); !sent) return error_row(std::move(row), sent.error().message);
        auto seen = wait_for_status(step.host, [&](const nlohmann::json& now) {
            const nlohmann::json allow = allow_list(now);
            return allow.is_array() && std::all_of(step.isatap_allow_add.begin(), step.isatap_allow_add.end(), [&](const auto& p) {
                       return std::find(allow.begin(), allow.end(), p.to_string()) != allow.end();
                   });
        });
        if (!seen) return error_row(std::move(row), seen.error().message);
        row.detail = "in its status after " + std::to_string(static_cast<long>(*seen)) + " ms";
        for (const std::string& host : step.sighup) {
            if (auto sent = sighup(host); !sent) return error_row(std::move(row), sent.error().message);
            row.detail += "; sighup " + host;
        }
        row.elapsed_ms = ms_since(start);
        row.result = "applied";
        row.met = true;
        return row;
    }

    CheckRow restore(const AppliedReload& applied) {
        CheckRow row;
        row.from = applied.host;
        row.to = "-";
        row.protocol = "restore";
        row.expected = "applied";
        row.target = "the original config";
        const auto start = Clock::now();
        if (auto written = write_text_file(applied.config_file, applied.original); !written)
            return error_row(std::move(row), written.error().message);
        if (auto sent = sighup(applied.host); !sent) return error_row(std::move(row), sent.error().message);
        auto seen = wait_for_status(applied.host, [&](const nlohmann::json& now) { return allow_list(now) == applied.allow_before; });
        if (!seen) return error_row(std::move(row), seen.error().message);
        row.detail = "isatap.allow back to " + applied.allow_before.dump() + " after " +
                     std::to_string(static_cast<long>(*seen)) + " ms";
        row.elapsed_ms = ms_since(start);
        row.result = "applied";
        row.met = true;
        return row;
    }

    const Topology& topology_;
    const CheckEnvironment& environment_;
    CheckTiming timing_;
    std::vector<AppliedReload> applied_;
};

}  // namespace

Result<IpAddress> resolve_target(const Topology& topology, const Check& check, const LiveAddressLookup& live) {
    if (check.address) return *check.address;
    if (check.protocol == CheckProtocol::dns && check.server) return *check.server;
    const Host* host = topology.find_host(check.to);
    if (!host || !check.family) return make_error(std::errc::invalid_argument, "no target for " + check.describe());
    const bool want_v4 = *check.family == AddressFamily::ipv4;
    for (const HostInterface& interface : host->interfaces)
        for (const InterfaceAddress& address : interface.addresses)
            if (address.is_ipv4() == want_v4 && !is_link_local(address.address)) return address.address;
    if (!want_v4 && live) {
        for (const LiveAddress& address : live(host->name)) {
            const HostInterface* interface = host->find_interface(address.device);
            if (interface && interface->slaac && !is_ipv4(address.address) && !is_link_local(address.address))
                return address.address;
        }
    }
    return make_error(std::errc::resource_unavailable_try_again,
                      "host " + check.to + " has no " + std::string(to_string(*check.family)) + " address (yet)");
}

Result<std::uint64_t> status_counter(const nlohmann::json& snapshot, const std::string& path) {
    const nlohmann::json* node = snapshot.is_object() && snapshot.contains("components") ? &snapshot["components"] : nullptr;
    std::string_view rest = path;
    while (node && !rest.empty()) {
        const std::size_t dot = rest.find('.');
        const std::string key(rest.substr(0, dot));
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
        node = node->is_object() && node->contains(key) ? &(*node)[key] : nullptr;
    }
    if (!node || !node->is_number_unsigned())
        return make_error(std::errc::invalid_argument, "no counter components." + path + " in the status");
    return node->get<std::uint64_t>();
}

CheckReport run_checks(const Topology& topology, const CheckEnvironment& environment, const CheckTiming& timing) {
    return Runner(topology, environment, timing).run();
}

}  // namespace sixgate::lab
