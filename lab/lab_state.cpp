#include "lab/lab_state.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace sixgate::lab {
namespace {

constexpr int kStateVersion = 1;

std::vector<std::string> string_list(const nlohmann::json& object, const char* key) {
    std::vector<std::string> items;
    for (const nlohmann::json& item : object.at(key)) items.push_back(item.get<std::string>());
    return items;
}

}  // namespace

std::string lab_state_path(const std::string& run_directory) { return run_directory + "/" + kLabStateFileName; }

std::string encode_lab_state(const LabState& state) {
    nlohmann::json processes = nlohmann::json::array();
    for (const LabHostProcess& process : state.processes) processes.push_back({{"host", process.host}, {"pid", process.pid}});
    const nlohmann::json json = {{"version", kStateVersion},
                                 {"lab", state.lab},
                                 {"topology", state.topology},
                                 {"run_directory", state.run_directory},
                                 {"namespaces", state.namespaces},
                                 {"control_sockets", state.control_sockets},
                                 {"processes", processes}};
    return json.dump(2) + "\n";
}

Result<LabState> parse_lab_state(const std::string& text, const std::string& path) {
    const nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded())
        return make_error(std::errc::bad_message, path + ": the lab state file is not JSON (remove it, then run `sixgate lab down` again)");
    try {
        if (json.at("version").get<int>() != kStateVersion)
            return make_error(std::errc::bad_message, path + ": lab state version " + json.at("version").dump() +
                                                          " is not " + std::to_string(kStateVersion));
        LabState state;
        state.lab = json.at("lab").get<std::string>();
        state.topology = json.at("topology").get<std::string>();
        state.run_directory = json.at("run_directory").get<std::string>();
        state.namespaces = string_list(json, "namespaces");
        state.control_sockets = string_list(json, "control_sockets");
        for (const nlohmann::json& process : json.at("processes"))
            state.processes.push_back({process.at("host").get<std::string>(), process.at("pid").get<pid_t>()});
        return state;
    } catch (const nlohmann::json::exception& error) {
        // e.g. "[json.exception.out_of_range.403] key 'lab' not found"
        return make_error(std::errc::bad_message, path + ": not a lab state file: " + error.what());
    }
}

Result<std::optional<LabState>> read_lab_state(const std::string& run_directory) {
    const std::string path = lab_state_path(run_directory);
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        if (errno == ENOENT) return std::optional<LabState>{};
        return make_error(std::errc::io_error, path + ": " + std::strerror(errno));
    }
    std::ostringstream text;
    text << file.rdbuf();
    auto state = parse_lab_state(text.str(), path);
    if (!state) return state.error();
    return std::optional<LabState>{std::move(*state)};
}

Result<void> write_lab_state(const LabState& state) {
    std::error_code error;
    std::filesystem::create_directories(state.run_directory, error);
    if (error) return make_error(std::errc::io_error, "cannot create " + state.run_directory + ": " + error.message());
    const std::string path = lab_state_path(state.run_directory);
    const std::string temporary = path + ".tmp";
    {
        std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
        file << encode_lab_state(state);
        file.close();
        if (!file) return make_error(std::errc::io_error, "cannot write " + temporary);
    }
    std::filesystem::rename(temporary, path, error);
    if (error) return make_error(std::errc::io_error, "cannot write " + path + ": " + error.message());
    return {};
}

}  // namespace sixgate::lab
