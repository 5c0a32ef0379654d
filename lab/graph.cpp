#include "lab/graph.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

extern char** environ;

namespace sixgate::lab {
namespace {

// A DOT double-quoted string: quotes and backslashes escaped; "\n" in `text` stays a DOT line
// break (centred).
std::string dot_quoted(const std::string& text) {
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') out += "\\n";
        else if (c == '"' || c == '\\') out += std::string("\\") + c;
        else out += c;
    }
    return out + "\"";
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string text;
    for (const std::string& part : parts) text += (text.empty() ? "" : separator) + part;
    return text;
}

std::string host_label(const Host& host) {
    std::vector<std::string> lines{host.name};
    if (!host.role.empty()) lines.push_back(host.role);
    if (host.sixgate) lines.push_back("sixgate: " + join(host.sixgate->components, ", "));
    std::vector<std::string> services;
    if (!host.services.tcp_listen.empty()) {
        std::vector<std::string> ports;
        for (auto port : host.services.tcp_listen) ports.push_back(std::to_string(port));
        services.push_back("tcp " + join(ports, ","));
    }
    if (!host.services.udp_echo.empty()) {
        std::vector<std::string> ports;
        for (auto port : host.services.udp_echo) ports.push_back(std::to_string(port));
        services.push_back("udp echo " + join(ports, ","));
    }
    if (host.services.dhcpv4)
        services.push_back(host.services.dhcpv4->v6only_wait ? "DHCPv4 + option 108" : "DHCPv4");
    if (host.services.dns64) services.push_back("DNS64 " + host.services.dns64->zone);
    if (!services.empty()) lines.push_back(join(services, ", "));
    for (const HostInterface& interface : host.interfaces) {
        std::vector<std::string> addresses;
        for (const InterfaceAddress& address : interface.addresses) addresses.push_back(address.to_string());
        if (interface.slaac) addresses.push_back("SLAAC");
        if (!addresses.empty()) lines.push_back(interface.name + ": " + join(addresses, " "));
    }
    for (const StaticRoute& route : host.routes) lines.push_back("route " + to_string(route.to) + " via " + to_string(route.via));
    return join(lines, "\n");
}

std::string prefixes_text(const Topology& topology, const Segment& segment) {
    std::vector<std::string> lines;
    for (const IpPrefix& prefix : topology.segment_prefixes(segment)) lines.push_back(to_string(prefix));
    for (const std::string& text : topology.segment_sixgate_prefixes(segment)) lines.push_back(text);
    return join(lines, "\n");
}

}  // namespace

std::string topology_dot(const Topology& topology) {
    std::ostringstream out;
    out << "graph " << dot_quoted(topology.name) << " {\n";
    std::string title = topology.name;
    if (!topology.description.empty()) title += ": " + topology.description;
    out << "  graph [label=" << dot_quoted(title) << ", labelloc=t, fontname=\"Helvetica\", rankdir=LR];\n";
    out << "  node [fontname=\"Helvetica\", fontsize=10];\n";
    out << "  edge [fontname=\"Helvetica\", fontsize=9];\n";
    for (const Host& host : topology.hosts) {
        const char* fill = host.sixgate ? "lightblue" : "white";
        out << "  " << dot_quoted("host:" + host.name) << " [shape=box, style=\"rounded,filled\", fillcolor=" << fill
            << ", label=" << dot_quoted(host_label(host)) << "];\n";
    }
    for (const Segment& segment : topology.segments) {
        const std::string prefixes = prefixes_text(topology, segment);
        if (segment.kind == SegmentKind::bridge) {
            const std::string label = segment.name + (prefixes.empty() ? "" : "\n" + prefixes);
            out << "  " << dot_quoted("segment:" + segment.name) << " [shape=ellipse, style=filled, fillcolor=lightyellow, label="
                << dot_quoted(label) << "];\n";
            for (const SegmentMember& member : segment.members)
                out << "  " << dot_quoted("host:" + member.host) << " -- " << dot_quoted("segment:" + segment.name)
                    << " [label=" << dot_quoted(member.interface) << "];\n";
        } else {
            const SegmentMember& a = segment.members[0];
            const SegmentMember& b = segment.members[1];
            std::string label = segment.name + " (veth)";
            if (!prefixes.empty()) label += "\n" + prefixes;
            out << "  " << dot_quoted("host:" + a.host) << " -- " << dot_quoted("host:" + b.host) << " [label=" << dot_quoted(label)
                << ", taillabel=" << dot_quoted(a.interface) << ", headlabel=" << dot_quoted(b.interface) << "];\n";
        }
    }
    out << "}\n";
    return out.str();
}

Result<std::string> render_dot(const std::string& dot_text, const std::string& format, const std::string& dot_program) {
    char pattern[] = "/tmp/sixgate-graph-XXXXXX";
    if (!::mkdtemp(pattern)) return make_error(std::errc(errno), std::string("cannot make a temporary directory: ") + std::strerror(errno));
    const std::filesystem::path directory(pattern);
    struct Cleanup {
        std::filesystem::path path;
        ~Cleanup() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    } cleanup{directory};
    const std::string input = (directory / "graph.dot").string();
    const std::string output = (directory / ("graph." + format)).string();
    const std::string errors = (directory / "stderr").string();
    {
        std::ofstream file(input, std::ios::binary);
        file << dot_text;
        if (!file) return make_error(std::errc::io_error, "cannot write " + input);
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const std::string type = "-T" + format;
    const std::string out_flag = "-o" + output;
    std::vector<char*> argv{const_cast<char*>(dot_program.c_str()), const_cast<char*>(type.c_str()),
                            const_cast<char*>(out_flag.c_str()), const_cast<char*>(input.c_str()), nullptr};
    pid_t pid = 0;
    const int spawn_error = ::posix_spawnp(&pid, dot_program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawn_error == ENOENT)
        return make_error(std::errc::no_such_file_or_directory,
                          "'" + dot_program + "' (Graphviz) is not installed: apt-get install graphviz, "
                          "or use --format dot and render the text elsewhere");
    if (spawn_error != 0)
        return make_error(std::errc(spawn_error), "cannot run '" + dot_program + "': " + std::strerror(spawn_error));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) return make_error(std::errc(errno), std::string("waitpid: ") + std::strerror(errno));
    std::ifstream error_file(errors, std::ios::binary);
    std::ostringstream error_text;
    error_text << error_file.rdbuf();
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::string message = "'" + dot_program + " " + type + "' failed";
        if (WIFEXITED(status)) message += " with status " + std::to_string(WEXITSTATUS(status));
        if (!error_text.str().empty()) message += ": " + error_text.str();
        while (!message.empty() && message.back() == '\n') message.pop_back();
        return make_error(std::errc::io_error, message);
    }
    std::ifstream file(output, std::ios::binary);
    std::ostringstream rendered;
    rendered << file.rdbuf();
    if (!file) return make_error(std::errc::io_error, "'" + dot_program + "' wrote no " + format + " output");
    return rendered.str();
}

}  // namespace sixgate::lab
