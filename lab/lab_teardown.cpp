#include "lab/lab_teardown.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "lab/lab_names.hpp"
#include "lab/lab_process.hpp"
#include "lab/lab_state.hpp"

namespace sixgate::lab {
namespace {

void add_unique(std::vector<std::string>& list, const std::string& item) {
    if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

std::vector<pid_t> processes_in(const std::vector<std::string>& namespaces) {
    std::vector<pid_t> pids;
    for (const std::string& name : namespaces)
        for (pid_t pid : namespace_processes(name))
            if (pid != ::getpid()) pids.push_back(pid);
    return pids;
}

// A host's main process still runs a command of this lab (not a reused pid): its command line
// names the lab's namespace (`ip netns exec sglab.LAB.HOST ...`) or its directory (the script,
// `sixgate run -c RUN_DIR/HOST.yaml`).
bool runs_lab_command(pid_t pid, const std::string& lab, const std::string& run_directory) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::string command((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    return command.find(lab_namespace_prefix(lab)) != std::string::npos ||
           command.find(run_directory + "/") != std::string::npos;
}

// The process groups of the hosts' main processes (each leads its own session and group). They
// catch a host that was still entering its namespace when the namespaces were scanned: it would
// otherwise live on in a namespace without a name. A group id is not reused while it has members.
std::vector<pid_t> host_process_groups(const std::vector<LabHostProcess>& hosts, const std::string& lab,
                                       const std::string& run_directory) {
    std::vector<pid_t> groups;
    for (const LabHostProcess& host : hosts)
        if (host.pid > 0 && ::getpgid(host.pid) == host.pid && runs_lab_command(host.pid, lab, run_directory))
            groups.push_back(host.pid);
    return groups;
}

// Our own children (host scripts started by this process) are reaped so they do not linger as
// zombies; anything else was re-parented and init reaps it.
void reap(const std::vector<LabHostProcess>& children) {
    for (const LabHostProcess& child : children) ::waitpid(child.pid, nullptr, WNOHANG);
}

// Sends `number` to every process left; false when none is.
bool signal_all(const std::vector<std::string>& namespaces, const std::vector<pid_t>& groups, int number) {
    bool any = false;
    for (pid_t group : groups) any = (::kill(-group, number) == 0) || any;
    for (pid_t pid : processes_in(namespaces)) any = (::kill(pid, number) == 0) || any;
    return any;
}

// TERM, up to 2 s for a clean exit (sixgate removes its kernel state), then KILL.
std::size_t stop_processes(const std::vector<std::string>& namespaces, const std::vector<LabHostProcess>& hosts,
                           const std::string& lab, const std::string& run_directory) {
    const std::vector<pid_t> groups = host_process_groups(hosts, lab, run_directory);
    std::vector<pid_t> counted = processes_in(namespaces);
    for (pid_t group : groups)
        if (std::find(counted.begin(), counted.end(), group) == counted.end()) counted.push_back(group);
    signal_all(namespaces, groups, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    bool left = true;
    while (left && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        reap(hosts);
        left = signal_all(namespaces, groups, 0);
    }
    for (int round = 0; round < 40 && left; ++round) {
        signal_all(namespaces, groups, SIGKILL);
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        reap(hosts);
        left = signal_all(namespaces, groups, 0);
    }
    return counted.size();
}

enum class SocketUse { absent, stale, answering, not_a_socket };

SocketUse socket_use(const std::string& path) {
    struct stat status {};
    if (::lstat(path.c_str(), &status) != 0) return SocketUse::absent;
    if (!S_ISSOCK(status.st_mode)) return SocketUse::not_a_socket;
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof address.sun_path) return SocketUse::stale;
    std::memcpy(address.sun_path, path.c_str(), path.size());
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return SocketUse::stale;
    const bool answered = ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return answered ? SocketUse::answering : SocketUse::stale;
}

}  // namespace

bool lab_exists(const std::string& lab, const std::string& run_directory) {
    std::error_code error;
    return std::filesystem::exists(lab_state_path(run_directory), error) ||
           !namespaces_with_prefix(lab_namespace_prefix(lab)).empty();
}

LabDownReport tear_down_lab(const std::string& lab, const std::string& run_directory,
                            const std::vector<std::string>& control_sockets, std::ostream& out, std::ostream& err) {
    LabDownReport report;
    std::vector<std::string> namespaces;
    std::vector<std::string> sockets;
    std::vector<LabHostProcess> children;
    auto state = read_lab_state(run_directory);
    if (!state) {
        err << "sixgate lab down: warning: " << state.error().message << "; removing the lab by its names instead\n";
    } else if (*state) {
        namespaces = (*state)->namespaces;
        sockets = (*state)->control_sockets;
        children = (*state)->processes;
    }
    for (const std::string& name : namespaces_with_prefix(lab_namespace_prefix(lab))) add_unique(namespaces, name);
    for (const std::string& socket : control_sockets) add_unique(sockets, socket);
    std::error_code error;
    const bool has_directory = std::filesystem::exists(run_directory, error);
    std::vector<std::string> existing;
    for (const std::string& name : namespaces)
        if (namespace_exists(name)) existing.push_back(name);
    report.was_up = has_directory || !existing.empty();
    if (!report.was_up) {
        out << "lab " << lab << " is not up: nothing to remove\n";
        return report;
    }

    report.processes = stop_processes(existing, children, lab, run_directory);
    for (const std::string& name : existing) {
        const std::vector<std::string> argv = {"ip", "netns", "delete", name};
        auto result = run_command(argv);
        if (!result || !result->ok()) {
            err << "sixgate lab down: error: " << (result ? describe_failure(argv, *result) : result.error().message) << "\n";
            report.ok = false;
            continue;
        }
        report.namespaces.push_back(name);
    }
    for (const std::string& socket : sockets) {
        switch (socket_use(socket)) {
            case SocketUse::absent:
                break;
            case SocketUse::stale:
                if (std::filesystem::remove(socket, error)) report.files.push_back(socket);
                break;
            case SocketUse::answering:
                err << "sixgate lab down: warning: " << socket << " still answers (a sixgate outside the lab?): left alone\n";
                break;
            case SocketUse::not_a_socket:
                err << "sixgate lab down: warning: " << socket << " is not a socket: left alone\n";
                break;
        }
    }
    if (has_directory) {
        std::filesystem::remove_all(run_directory, error);
        if (error) {
            err << "sixgate lab down: error: cannot remove " << run_directory << ": " << error.message() << "\n";
            report.ok = false;
        } else {
            report.files.push_back(run_directory);
        }
        // /run/sixgate/lab goes too once no lab is left in it.
        const auto parent = std::filesystem::path(run_directory).parent_path();
        if (run_directory == lab_run_directory(lab) && std::filesystem::is_empty(parent, error))
            std::filesystem::remove(parent, error);
    }

    out << "lab " << lab << " is down: stopped " << report.processes << " process" << (report.processes == 1 ? "" : "es")
        << ", removed " << report.namespaces.size() << " namespace" << (report.namespaces.size() == 1 ? "" : "s");
    for (const std::string& file : report.files) out << ", " << file;
    out << "\n";
    return report;
}

}  // namespace sixgate::lab
