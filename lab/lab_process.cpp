#include "lab/lab_process.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <deque>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace sixgate::lab {
namespace {

constexpr const char* kNetnsDirectory = "/run/netns";

int decode_status(int status) {
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
}

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
    std::vector<char*> pointers;
    for (const std::string& argument : argv) pointers.push_back(const_cast<char*>(argument.c_str()));
    pointers.push_back(nullptr);
    return pointers;
}

// The child starts with no signal blocked and SIGINT/SIGTERM at their defaults.
void default_signals(posix_spawnattr_t& attributes, short extra_flags) {
    sigset_t none;
    sigemptyset(&none);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGPIPE);
    posix_spawnattr_setsigmask(&attributes, &none);
    posix_spawnattr_setsigdefault(&attributes, &defaults);
    posix_spawnattr_setflags(&attributes, static_cast<short>(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | extra_flags));
}

}  // namespace

Result<CommandResult> run_command(const std::vector<std::string>& argv) {
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return make_error(std::errc::io_error, std::string("pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDERR_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    default_signals(attributes, 0);
    pid_t pid = 0;
    auto pointers = c_argv(argv);
    const int spawn_error = ::posix_spawnp(&pid, argv.front().c_str(), &actions, &attributes, pointers.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    ::close(pipe_fds[1]);
    if (spawn_error != 0) {
        ::close(pipe_fds[0]);
        return make_error(std::errc::no_such_file_or_directory, "cannot run " + argv.front() + ": " + std::strerror(spawn_error));
    }
    CommandResult result;
    char buffer[4096];
    for (;;) {
        const ssize_t got = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (got > 0) result.output.append(buffer, static_cast<std::size_t>(got));
        else if (got == 0 || errno != EINTR) break;
    }
    ::close(pipe_fds[0]);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    result.status = decode_status(status);
    return result;
}

std::vector<std::string> in_namespace(const std::string& namespace_name, std::vector<std::string> argv) {
    argv.insert(argv.begin(), {"ip", "netns", "exec", namespace_name});
    return argv;
}

std::string describe_failure(const std::vector<std::string>& argv, const CommandResult& result) {
    std::string command;
    for (const std::string& argument : argv) command += (command.empty() ? "" : " ") + argument;
    std::string output = result.output;
    while (!output.empty() && (output.back() == '\n' || output.back() == ' ')) output.pop_back();
    std::replace(output.begin(), output.end(), '\n', ' ');
    return command + " failed (" + std::to_string(result.status) + ")" + (output.empty() ? "" : ": " + output);
}

Result<pid_t> spawn_detached(const std::vector<std::string>& argv, const std::string& log_file) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    default_signals(attributes, POSIX_SPAWN_SETSID);
    pid_t pid = 0;
    auto pointers = c_argv(argv);
    const int spawn_error = ::posix_spawnp(&pid, argv.front().c_str(), &actions, &attributes, pointers.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    if (spawn_error != 0)
        return make_error(std::errc::no_such_file_or_directory, "cannot run " + argv.front() + ": " + std::strerror(spawn_error));
    return pid;
}

std::string child_exit(pid_t pid) {
    int status = 0;
    const pid_t reaped = ::waitpid(pid, &status, WNOHANG);
    if (reaped == 0) return "";
    if (reaped == pid) {
        if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
        if (WIFSIGNALED(status)) return std::string("killed by ") + ::sigabbrev_np(WTERMSIG(status)) + " (signal " +
                                        std::to_string(WTERMSIG(status)) + ")";
        return "stopped";
    }
    return std::filesystem::exists("/proc/" + std::to_string(pid)) ? "" : "not running";
}

std::string last_lines(const std::string& path, std::size_t count) {
    std::ifstream file(path);
    std::deque<std::string> lines;
    for (std::string line; std::getline(file, line);) {
        lines.push_back(std::move(line));
        if (lines.size() > count) lines.pop_front();
    }
    std::string text;
    for (const std::string& line : lines) text += line + "\n";
    return text;
}

std::vector<std::string> namespaces_with_prefix(const std::string& prefix) {
    std::vector<std::string> names;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator(kNetnsDirectory, error)) {
        const std::string name = entry.path().filename().string();
        if (name.starts_with(prefix)) names.push_back(name);
    }
    std::sort(names.begin(), names.end());
    return names;
}

bool namespace_exists(const std::string& name) {
    std::error_code error;
    return std::filesystem::exists(std::string(kNetnsDirectory) + "/" + name, error);
}

std::vector<pid_t> namespace_processes(const std::string& namespace_name) {
    std::vector<pid_t> pids;
    struct stat wanted {};
    if (::stat((std::string(kNetnsDirectory) + "/" + namespace_name).c_str(), &wanted) != 0) return pids;
    std::error_code error;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
        const std::string name = entry.path().filename().string();
        if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
        struct stat found {};
        if (::stat(("/proc/" + name + "/ns/net").c_str(), &found) != 0) continue;
        if (found.st_dev == wanted.st_dev && found.st_ino == wanted.st_ino) pids.push_back(static_cast<pid_t>(std::stoi(name)));
    }
    return pids;
}

}  // namespace sixgate::lab
