#pragma once
// Network namespaces for tests: NetnsGuard creates a uniquely named namespace ("sg-TAG-PID-N"),
// runs commands in it, lets the test thread enter it, and removes it with every process it
// started: on destruction, at exit(), and on SIGINT/SIGTERM/SIGHUP. What a SIGKILL leaves behind
// is removed by reap_stale_namespaces() (the owner PID in the name is dead), which
// tests/netns/reap_stale_netns.sh runs as a ctest FIXTURES_CLEANUP step.

#include <dirent.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sixgate::testing {

namespace netns_detail {

inline constexpr int kMaxNamespaces = 16;
inline constexpr int kMaxProcesses = 64;
inline constexpr std::size_t kPathSize = 128;

// Fixed-size, async-signal-safe record of what to remove.
struct Registry {
    char paths[kMaxNamespaces][kPathSize] = {};
    std::atomic<bool> path_used[kMaxNamespaces] = {};
    std::atomic<pid_t> pids[kMaxProcesses] = {};
};

inline Registry& registry() {
    static Registry instance;
    return instance;
}

// What `ip netns del` does: detach the bind mount, remove the file. Signal-safe.
inline void remove_namespace_file(const char* path) {
    ::umount2(path, MNT_DETACH);
    ::unlink(path);
}

inline void cleanup_all() {
    Registry& r = registry();
    for (auto& slot : r.pids) {
        const pid_t pid = slot.exchange(0);
        if (pid > 0) {
            ::kill(-pid, SIGKILL);  // its process group
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
        }
    }
    for (int i = 0; i < kMaxNamespaces; ++i)
        if (r.path_used[i].exchange(false)) remove_namespace_file(r.paths[i]);
}

inline void on_signal(int signal_number) {
    cleanup_all();
    ::signal(signal_number, SIG_DFL);
    ::raise(signal_number);
}

inline void install_handlers_once() {
    static const bool installed = [] {
        for (int s : {SIGINT, SIGTERM, SIGHUP}) ::signal(s, on_signal);
        std::atexit(cleanup_all);
        return true;
    }();
    (void)installed;
}

inline int register_path(const std::string& path) {
    Registry& r = registry();
    for (int i = 0; i < kMaxNamespaces; ++i) {
        if (r.path_used[i].load()) continue;
        std::snprintf(r.paths[i], kPathSize, "%s", path.c_str());
        r.path_used[i].store(true);
        return i;
    }
    return -1;
}

inline void register_pid(pid_t pid) {
    for (auto& slot : registry().pids) {
        pid_t expected = 0;
        if (slot.compare_exchange_strong(expected, pid)) return;
    }
}

inline void forget_pid(pid_t pid) {
    for (auto& slot : registry().pids) {
        pid_t expected = pid;
        if (slot.compare_exchange_strong(expected, 0)) return;
    }
}

inline std::string shell_quote(std::string_view text) {
    std::string quoted = "'";
    for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// Kills every process whose network namespace is the one at path (like `ip netns pids`).
inline void kill_processes_in(const std::string& path) {
    struct stat ns {};
    if (::stat(path.c_str(), &ns) != 0) return;
    DIR* proc = ::opendir("/proc");
    if (!proc) return;
    while (dirent* entry = ::readdir(proc)) {
        const pid_t pid = pid_t(std::atoi(entry->d_name));
        if (pid <= 0 || pid == ::getpid()) continue;
        struct stat other {};
        const std::string link = "/proc/" + std::string(entry->d_name) + "/ns/net";
        if (::stat(link.c_str(), &other) == 0 && other.st_ino == ns.st_ino &&
            other.st_dev == ns.st_dev)
            ::kill(pid, SIGKILL);
    }
    ::closedir(proc);
}

}  // namespace netns_detail

struct CommandResult {
    int exit_code = -1;  // -1: did not exit normally
    std::string output;  // stdout and stderr
};

// Runs a shell command in the current namespace.
inline CommandResult run_command(const std::string& command) {
    CommandResult result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    std::size_t n;
    while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
    const int status = ::pclose(pipe);
    if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
    return result;
}

// True if this process may create namespaces (root and iproute2); otherwise why not.
inline bool netns_available(std::string* why = nullptr) {
    if (::geteuid() != 0) {
        if (why) *why = "not root";
        return false;
    }
    if (run_command("ip netns list >/dev/null").exit_code != 0) {
        if (why) *why = "`ip netns` does not work";
        return false;
    }
    return true;
}

// Deletes "sg-*-PID-N" namespaces whose PID is no longer alive (left by a SIGKILLed test).
// Only names with a dead owner are touched, so tests running in parallel are safe.
inline int reap_stale_namespaces(std::string_view tag_prefix = "sg-") {
    int reaped = 0;
    DIR* dir = ::opendir("/run/netns");
    if (!dir) return 0;
    while (dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name.rfind(tag_prefix, 0) != 0) continue;
        const auto last = name.rfind('-');
        if (last == std::string::npos || last == 0) continue;
        const auto before = name.rfind('-', last - 1);
        if (before == std::string::npos) continue;
        const pid_t owner = pid_t(std::atoi(name.substr(before + 1, last - before - 1).c_str()));
        if (owner <= 0 || ::kill(owner, 0) == 0 || errno != ESRCH) continue;
        const std::string path = "/run/netns/" + name;
        netns_detail::kill_processes_in(path);
        netns_detail::remove_namespace_file(path.c_str());
        ++reaped;
    }
    ::closedir(dir);
    return reaped;
}

class NetnsGuard;

// The calling thread inside a namespace until destruction, then back where it was.
class NetnsEntry {
  public:
    NetnsEntry() = default;
    NetnsEntry(NetnsEntry&& other) noexcept : previous_fd_(std::exchange(other.previous_fd_, -1)) {}
    NetnsEntry& operator=(NetnsEntry&&) = delete;
    NetnsEntry(const NetnsEntry&) = delete;
    ~NetnsEntry() { leave(); }

    bool ok() const noexcept { return previous_fd_ >= 0; }
    void leave() noexcept {
        if (previous_fd_ < 0) return;
        ::setns(previous_fd_, CLONE_NEWNET);
        ::close(previous_fd_);
        previous_fd_ = -1;
    }

  private:
    friend class NetnsGuard;
    explicit NetnsEntry(int previous_fd) noexcept : previous_fd_(previous_fd) {}
    int previous_fd_ = -1;
};

class NetnsGuard {
  public:
    // Creates "sg-TAG-PID-N". ok() says whether it worked; error() says why not.
    explicit NetnsGuard(std::string_view tag) {
        netns_detail::install_handlers_once();
        static std::atomic<int> counter{0};
        name_ = "sg-" + std::string(tag) + "-" + std::to_string(::getpid()) + "-" +
                std::to_string(counter++);
        path_ = "/run/netns/" + name_;
        slot_ = netns_detail::register_path(path_);
        const CommandResult created = run_command("ip netns add " + name_);
        if (created.exit_code != 0) {
            error_ = "ip netns add " + name_ + ": " + created.output;
            release_slot();
            return;
        }
        ok_ = true;
    }
    NetnsGuard(const NetnsGuard&) = delete;
    NetnsGuard& operator=(const NetnsGuard&) = delete;
    ~NetnsGuard() { remove(); }

    bool ok() const noexcept { return ok_; }
    const std::string& error() const noexcept { return error_; }
    const std::string& name() const noexcept { return name_; }

    // Runs a shell command inside the namespace.
    CommandResult run(const std::string& command) const {
        return run_command("ip netns exec " + name_ + " sh -c " +
                           netns_detail::shell_quote(command));
    }

    // Starts a long-running command inside the namespace, in its own process group; it is
    // killed when the guard goes. Returns its pid, or -1.
    pid_t spawn(const std::string& command) {
        const pid_t pid = ::fork();
        if (pid < 0) return -1;
        if (pid == 0) {
            ::setpgid(0, 0);
            const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
            if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) ::_exit(127);
            ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
            ::_exit(127);
        }
        ::setpgid(pid, pid);
        netns_detail::register_pid(pid);
        spawned_.push_back(pid);
        return pid;
    }

    // Moves the calling thread into the namespace (sockets opened meanwhile live there).
    NetnsEntry enter() const {
        const int previous = ::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        const int target = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
        const bool entered = previous >= 0 && target >= 0 && ::setns(target, CLONE_NEWNET) == 0;
        if (target >= 0) ::close(target);
        if (!entered) {
            if (previous >= 0) ::close(previous);
            return NetnsEntry();
        }
        return NetnsEntry(previous);
    }

    // Kills what runs inside, deletes the namespace. Idempotent.
    void remove() {
        if (!ok_) return;
        ok_ = false;
        for (const pid_t pid : spawned_) {
            ::kill(-pid, SIGKILL);
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            netns_detail::forget_pid(pid);
        }
        spawned_.clear();
        netns_detail::kill_processes_in(path_);
        netns_detail::remove_namespace_file(path_.c_str());
        release_slot();
    }

  private:
    void release_slot() {
        if (slot_ >= 0) netns_detail::registry().path_used[slot_].store(false);
        slot_ = -1;
    }

    std::string name_;
    std::string path_;
    std::string error_;
    std::vector<pid_t> spawned_;
    int slot_ = -1;
    bool ok_ = false;
};

}  // namespace sixgate::testing
