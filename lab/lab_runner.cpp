#include "lab/lab_runner.hpp"

#include <fstream>
#include <thread>

#include "lab/lab_names.hpp"
#include "lab/lab_process.hpp"
#include "lab/lab_state.hpp"

namespace sixgate::lab {
namespace {

volatile std::sig_atomic_t caught_signal = 0;
constexpr int kCaughtSignals[3] = {SIGINT, SIGTERM, SIGHUP};

void on_signal(int number) {
    if (caught_signal == 0) caught_signal = number;
}

constexpr std::size_t kLogLinesShown = 20;

// One `lab up`: the steps, the state file kept current, and the way out on any failure.
class LabBringUp {
public:
    LabBringUp(const LabPlan& plan, const std::string& topology_argument, const LabRunnerContext& context)
        : plan_(plan), context_(context), argument_(topology_argument) {
        state_.lab = plan.lab;
        state_.topology = topology_argument;
        state_.run_directory = plan.run_directory;
        state_.control_sockets = plan.control_sockets;
        total_ = 2 + plan.bridges.size() + plan.hosts.size();
        for (const PlannedLink& link : plan.links)
            if (!is_bridge_port(link)) ++total_;
    }

    LabUpOutcome run() {
        if (auto outcome = make_namespaces(); outcome != LabUpOutcome::up) return outcome;
        if (auto outcome = make_segments(); outcome != LabUpOutcome::up) return outcome;
        if (auto outcome = start_hosts(); outcome != LabUpOutcome::up) return outcome;
        if (auto outcome = wait_until_ready(); outcome != LabUpOutcome::up) return outcome;
        print_summary();
        return LabUpOutcome::up;
    }

private:
    bool is_bridge_port(const PlannedLink& link) const {
        for (const PlannedBridge& bridge : plan_.bridges)
            if (link.namespace_a == bridge.namespace_name) return true;
        return false;
    }

    std::string host_of(const std::string& namespace_name) const {
        return namespace_name.substr(lab_namespace_prefix(plan_.lab).size());
    }

    void step(const std::string& text) {
        context_.out << "[" << ++step_ << "/" << total_ << "] " << text << std::endl;
    }

    // Removes everything made so far; `outcome` says why.
    LabUpOutcome abandon(LabUpOutcome outcome) {
        context_.err << "sixgate lab up: removing what was made\n";
        tear_down_lab(plan_.lab, plan_.run_directory, plan_.control_sockets, context_.err, context_.err);
        return outcome;
    }

    LabUpOutcome fail(const std::string& message) {
        if (LabInterruptGuard::interrupted()) return interrupted();
        context_.err << "sixgate lab up: error: " << message << "\n";
        return abandon(LabUpOutcome::failed);
    }

    LabUpOutcome interrupted() {
        context_.err << "sixgate lab up: interrupted by signal " << LabInterruptGuard::signal_number() << "\n";
        return abandon(LabUpOutcome::interrupted);
    }

    LabUpOutcome save() {
        if (auto saved = write_lab_state(state_); !saved) return fail(saved.error().message);
        return LabUpOutcome::up;
    }

    // Runs one command of a step; a failure ends the bring-up.
    LabUpOutcome command(const std::vector<std::string>& argv) {
        if (LabInterruptGuard::interrupted()) return interrupted();
        auto result = run_command(argv);
        if (!result) return fail(result.error().message);
        if (!result->ok()) return fail(describe_failure(argv, *result));
        return LabUpOutcome::up;
    }

#define SIXGATE_LAB_TRY(expression)                                     \
    do {                                                                \
        if (auto outcome_ = (expression); outcome_ != LabUpOutcome::up) \
            return outcome_;                                            \
    } while (false)

    LabUpOutcome make_namespaces() {
        step("namespaces: " + std::to_string(plan_.namespaces.size()) + " named " + lab_namespace_prefix(plan_.lab) + "*");
        // Recorded first: an interrupt right after `ip netns add` still finds it.
        state_.namespaces = plan_.namespaces;
        SIXGATE_LAB_TRY(save());
        for (const std::string& name : plan_.namespaces) SIXGATE_LAB_TRY(command({"ip", "netns", "add", name}));
        for (const PlannedBridge& bridge : plan_.bridges) {
            // A bridge namespace only switches frames: no IPv6 of its own (no RS, MLD or DAD).
            for (const char* key : {"net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1"})
                SIXGATE_LAB_TRY(command(in_namespace(bridge.namespace_name, {"sysctl", "-qw", key})));
        }
        return LabUpOutcome::up;
    }

    LabUpOutcome make_segments() {
        for (const PlannedBridge& bridge : plan_.bridges) {
            std::string members;
            for (const PlannedLink& link : plan_.links)
                if (link.namespace_a == bridge.namespace_name)
                    members += (members.empty() ? "" : ", ") + host_of(link.namespace_b) + ":" + link.name_b;
            step("segment " + bridge.segment + ": bridge of " + members);
            const std::string& ns = bridge.namespace_name;
            // No multicast snooping: without an MLD querier it could starve ND and RAs.
            SIXGATE_LAB_TRY(command({"ip", "-n", ns, "link", "add", bridge.bridge, "type", "bridge", "mcast_snooping", "0"}));
            for (const PlannedLink& link : plan_.links) {
                if (link.namespace_a != ns) continue;
                SIXGATE_LAB_TRY(add_veth(link));
                SIXGATE_LAB_TRY(command({"ip", "-n", ns, "link", "set", link.name_a, "master", bridge.bridge, "up"}));
            }
            SIXGATE_LAB_TRY(command({"ip", "-n", ns, "link", "set", bridge.bridge, "up"}));
        }
        for (const PlannedLink& link : plan_.links) {
            if (is_bridge_port(link)) continue;
            step("segment " + link.segment + ": veth " + host_of(link.namespace_a) + ":" + link.name_a + " <-> " +
                 host_of(link.namespace_b) + ":" + link.name_b);
            SIXGATE_LAB_TRY(add_veth(link));
        }
        return LabUpOutcome::up;
    }

    // Straight into both namespaces; the host ends stay down: the host script sets their IPv6
    // sysctls first (a device takes them when it comes up) and then brings them up.
    LabUpOutcome add_veth(const PlannedLink& link) {
        return command({"ip", "link", "add", link.name_a, "netns", link.namespace_a, "type", "veth", "peer", "name",
                        link.name_b, "netns", link.namespace_b});
    }

    LabUpOutcome start_hosts() {
        for (const PlannedHost& host : plan_.hosts) {
            if (LabInterruptGuard::interrupted()) return interrupted();
            step(host.name + ": up (" + host.summary + ")");
            const std::string script_file = plan_.run_directory + "/" + host.name + ".sh";
            std::ofstream(script_file, std::ios::binary | std::ios::trunc) << host.script;  // for reading only
            auto pid = spawn_detached(in_namespace(host.namespace_name, {"sh", "-ec", host.script}), host.log_file);
            if (!pid) return fail(host.name + ": " + pid.error().message);
            state_.processes.push_back({host.name, *pid});
            SIXGATE_LAB_TRY(save());
        }
        return LabUpOutcome::up;
    }

    LabUpOutcome host_died(const std::string& host, const std::string& how) {
        const PlannedHost* planned = plan_.find_host(host);
        context_.err << "sixgate lab up: error: " << host << ": its script " << how << "; the last lines of "
                     << planned->log_file << ":\n"
                     << last_lines(planned->log_file, kLogLinesShown);
        return abandon(LabUpOutcome::failed);
    }

    LabUpOutcome wait_until_ready() {
        const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(context_.ready_timeout).count();
        step("waiting for every host to be ready (up to " + std::to_string(seconds) + " s)");
        const auto deadline = std::chrono::steady_clock::now() + context_.ready_timeout;
        std::vector<bool> ready(plan_.hosts.size(), false);
        std::vector<HostReadiness> last(plan_.hosts.size());
        for (;;) {
            for (const LabHostProcess& process : state_.processes)
                if (const std::string how = child_exit(process.pid); !how.empty())
                    return host_died(process.host, how);
            if (LabInterruptGuard::interrupted()) return interrupted();
            bool all = true;
            for (std::size_t i = 0; i < plan_.hosts.size(); ++i) {
                if (ready[i]) continue;
                last[i] = host_readiness(plan_.hosts[i], context_.probe_control);
                ready[i] = last[i].ready();
                all = all && ready[i];
                if (!ready[i]) continue;
                for (const std::string& address : last[i].slaac_addresses)
                    context_.out << "      " << plan_.hosts[i].name << ": SLAAC " << address << std::endl;
            }
            if (all) return LabUpOutcome::up;
            if (std::chrono::steady_clock::now() >= deadline) break;
            std::this_thread::sleep_for(std::chrono::milliseconds(250));
        }
        context_.err << "sixgate lab up: error: not ready after " << seconds << " s:\n";
        for (std::size_t i = 0; i < plan_.hosts.size(); ++i) {
            if (ready[i]) continue;
            const PlannedHost& host = plan_.hosts[i];
            context_.err << "  " << host.name << " is waiting for:";
            for (const std::string& what : last[i].waiting_for) context_.err << " " << what << ";";
            context_.err << " the last lines of " << host.log_file << ":\n" << last_lines(host.log_file, kLogLinesShown);
        }
        return abandon(LabUpOutcome::failed);
    }

    void print_summary() {
        std::ostream& out = context_.out;
        out << "\nlab " << plan_.lab << " is up: " << plan_.hosts.size() << " hosts in namespaces "
            << lab_namespace_prefix(plan_.lab) << "HOST\n";
        for (const PlannedHost& host : plan_.hosts) {
            out << "  " << host.name << ":";
            for (const std::string& address : host_addresses(host.namespace_name)) out << "  " << address;
            if (host.control_socket) out << "  (sixgate status --socket " << *host.control_socket << ")";
            out << "\n";
        }
        const std::string argument = argument_.empty() ? "" : " " + argument_;
        out << "logs and configs: " << plan_.run_directory << "/HOST.log, HOST.sh, HOST.yaml\n"
            << "a shell in a host: ip netns exec " << lab_namespace_prefix(plan_.lab) << "HOST bash\n"
            << "next: sixgate lab test" << argument << "; when done: sixgate lab down" << argument << std::endl;
    }

#undef SIXGATE_LAB_TRY

    const LabPlan& plan_;
    const LabRunnerContext& context_;
    std::string argument_;
    LabState state_;
    std::size_t step_ = 0;
    std::size_t total_ = 0;
};

}  // namespace

LabInterruptGuard::LabInterruptGuard() {
    caught_signal = 0;
    struct sigaction action {};
    action.sa_handler = on_signal;
    sigemptyset(&action.sa_mask);
    for (std::size_t i = 0; i < 3; ++i) ::sigaction(kCaughtSignals[i], &action, &previous_[i]);
}

LabInterruptGuard::~LabInterruptGuard() {
    for (std::size_t i = 0; i < 3; ++i) ::sigaction(kCaughtSignals[i], &previous_[i], nullptr);
}

bool LabInterruptGuard::interrupted() noexcept { return caught_signal != 0; }
int LabInterruptGuard::signal_number() noexcept { return caught_signal; }

LabUpOutcome bring_up_lab(const LabPlan& plan, const std::string& topology_argument, const LabRunnerContext& context) {
    const std::string argument = topology_argument.empty() ? "" : " " + topology_argument;
    if (lab_exists(plan.lab, plan.run_directory)) {
        context.err << "sixgate lab up: lab " << plan.lab << " is already up (" << lab_state_path(plan.run_directory)
                    << " or namespaces " << lab_namespace_prefix(plan.lab) << "*): run `sixgate lab down" << argument
                    << "` first\n";
        return LabUpOutcome::already_up;
    }
    bool in_use = false;
    for (const std::string& socket : plan.control_sockets) {
        if (!context.probe_control(socket)) continue;
        context.err << "sixgate lab up: " << socket << " answers: a sixgate outside this lab (another lab?) uses it; "
                    << "stop it first (`sixgate lab down OTHER`)\n";
        in_use = true;
    }
    if (in_use) return LabUpOutcome::refused;
    return LabBringUp(plan, topology_argument, context).run();
}

}  // namespace sixgate::lab
