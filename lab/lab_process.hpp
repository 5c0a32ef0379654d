#pragma once
// The processes and namespaces behind `lab up/down`: running `ip` and friends, starting a host's
// script detached (its own session, surviving `lab up`), finding every process in a namespace.
// Entry points: run_command(), spawn_detached(), namespace_processes().

#include <string>
#include <sys/types.h>
#include <vector>

#include "net/result.hpp"

namespace sixgate::lab {

struct CommandResult {
    int status = 0;      // the exit status; 128+N when killed by signal N
    std::string output;  // stdout and stderr, interleaved

    bool ok() const noexcept { return status == 0; }
};

// Runs argv[0] (looked up in PATH) with stdin from /dev/null and waits for it. An Error only when
// it cannot be started.
Result<CommandResult> run_command(const std::vector<std::string>& argv);
// "ip netns exec NS ARGS..."
std::vector<std::string> in_namespace(const std::string& namespace_name, std::vector<std::string> argv);
// A failed command as a message: "ip link add ... failed (2): RTNETLINK answers: File exists".
std::string describe_failure(const std::vector<std::string>& argv, const CommandResult& result);

// Starts argv in a new session (Ctrl-C in the terminal does not reach it) with stdin from
// /dev/null and stdout and stderr appended to log_file.
Result<pid_t> spawn_detached(const std::vector<std::string>& argv, const std::string& log_file);

// For a child of this process: "" while it runs, else how it ended ("exited with status 1",
// "killed by signal 9"); reaps it. Not a child (any more): "not running" unless /proc has it.
std::string child_exit(pid_t pid);

// The last `count` lines of a file ("" when it cannot be read).
std::string last_lines(const std::string& path, std::size_t count);

// Names in /run/netns starting with prefix, sorted.
std::vector<std::string> namespaces_with_prefix(const std::string& prefix);
bool namespace_exists(const std::string& name);
// Every process whose network namespace is the named one (what `ip netns pids` prints).
std::vector<pid_t> namespace_processes(const std::string& namespace_name);

}  // namespace sixgate::lab
