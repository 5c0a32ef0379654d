#include "lab/lab_host_process.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "config/config.hpp"
#include "lab/lab_process.hpp"

namespace sixgate::lab {
namespace {

std::vector<std::string> read_cmdline(pid_t pid) {
    std::vector<std::string> argv;
    std::ifstream file("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
    std::string argument;
    while (std::getline(file, argument, '\0')) argv.push_back(argument);
    return argv;
}

// A path inside the process's view of the file system, seen from here.
std::string through_root(pid_t pid, const std::string& path) {
    const std::string proc = "/proc/" + std::to_string(pid);
    if (path.starts_with('/')) return proc + "/root" + path;
    return proc + "/cwd/" + path;
}

}  // namespace

std::optional<std::string> sixgate_run_config(const std::vector<std::string>& argv) {
    if (argv.empty() || std::filesystem::path(argv[0]).filename().string().find("sixgate") == std::string::npos)
        return std::nullopt;
    if (std::find(argv.begin(), argv.end(), "run") == argv.end()) return std::nullopt;
    for (std::size_t i = 1; i < argv.size(); ++i) {
        const std::string& argument = argv[i];
        if ((argument == "-c" || argument == "--config") && i + 1 < argv.size()) return argv[i + 1];
        if (argument.starts_with("--config=")) return argument.substr(9);
        if (argument.starts_with("-c") && argument.size() > 2 && argument[2] != '-') return argument.substr(2);
    }
    return std::nullopt;
}

Result<std::string> control_socket_of(std::string_view config_yaml) {
    try {
        const YAML::Node root = YAML::Load(std::string(config_yaml));
        // (A missing key of a const node is an invalid node: only IsDefined() may be asked of it.)
        const YAML::Node control = root.IsMap() ? root["control"] : YAML::Node();
        const YAML::Node socket = control.IsDefined() && control.IsMap() ? control["socket"] : YAML::Node();
        if (socket.IsDefined() && socket.IsScalar()) return socket.Scalar();
    } catch (const YAML::Exception& error) {
        return make_error(std::errc::bad_message, "the sixgate config is not YAML: " + error.msg);
    }
    return std::string(*config::ControlConfig{}.socket);
}

Result<SixgateProcess> find_sixgate_process(const std::string& namespace_name) {
    struct stat wanted {};
    const std::string ns_path = "/run/netns/" + namespace_name;
    if (::stat(ns_path.c_str(), &wanted) != 0)
        return make_error(std::errc(errno), "cannot read namespace " + ns_path + ": " + std::strerror(errno));
    std::vector<pid_t> pids = namespace_processes(namespace_name);
    std::sort(pids.begin(), pids.end());
    for (pid_t pid : pids) {
        auto config_path = sixgate_run_config(read_cmdline(pid));
        if (!config_path) continue;
        SixgateProcess process{pid, *config_path, through_root(pid, *config_path), {}};
        auto text = read_text_file(process.config_file);
        if (!text) return text.error();
        auto socket = control_socket_of(*text);
        if (!socket) return socket.error();
        process.control_socket = through_root(pid, *socket);
        return process;
    }
    return make_error(std::errc::no_such_process, "no `sixgate run -c CONFIG` process in namespace " + namespace_name);
}

Result<std::string> with_isatap_allow(std::string_view config_yaml, const std::vector<net::Ipv4Prefix>& add) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(config_yaml));
    } catch (const YAML::Exception& error) {
        return make_error(std::errc::bad_message, "the sixgate config is not YAML: " + error.msg);
    }
    const bool has_allow = root.IsMap() && root["isatap"].IsDefined() && root["isatap"].IsMap() &&
                           root["isatap"]["allow"].IsDefined() && root["isatap"]["allow"].IsSequence();
    if (!has_allow)
        return make_error(std::errc::invalid_argument, "the sixgate config has no isatap.allow list to add to");
    YAML::Node allow = root["isatap"]["allow"];
    for (const net::Ipv4Prefix& prefix : add) {
        // Single addresses as the config writes them.
        const std::string text = prefix.length() == 32 ? prefix.address().to_string() : prefix.to_string();
        bool present = false;
        for (const YAML::Node& item : allow) present = present || (item.IsScalar() && item.Scalar() == text);
        if (!present) allow.push_back(text);
    }
    YAML::Emitter emitter;
    emitter << root;
    return std::string(emitter.c_str()) + "\n";
}

Result<std::string> read_text_file(const std::string& path) {
    std::ifstream file(path, std::ios::binary);
    std::ostringstream text;
    if (file) text << file.rdbuf();
    if (!file || file.bad()) return make_error(std::errc(errno ? errno : EIO), "cannot read " + path + ": " + std::strerror(errno));
    return text.str();
}

Result<void> write_text_file(const std::string& path, std::string_view text) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) return make_error(std::errc::io_error, "cannot write " + path + ": " + std::strerror(errno));
    return {};
}

}  // namespace sixgate::lab
