#pragma once
// A lab host's running sixgate, found from outside: the process in the host's network namespace
// whose command line is `sixgate run -c PATH`, its config file and its control socket, both reached
// through /proc/PID/root so the same code works for namespaces made by `lab up` and for containers.
// Also the config rewrite of a reload step (ISATAP allow-list additions).
// Entry points: find_sixgate_process(), with_isatap_allow().

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/ip_prefix.hpp"
#include "net/result.hpp"

namespace sixgate::lab {

struct SixgateProcess {
    pid_t pid = 0;
    std::string config_path;     // as the process was given it
    std::string config_file;     // the same file seen from here: /proc/PID/root/PATH
    std::string control_socket;  // the config's control.socket, seen from here
};

// The config path in a `sixgate ... run -c PATH` command line (argv split at NULs), if it is one.
// Accepts -c PATH, -cPATH, --config PATH and --config=PATH.
std::optional<std::string> sixgate_run_config(const std::vector<std::string>& argv);

// The config's control.socket, or sixgate's default when the config names none.
// Error bad_message: the text is not YAML.
Result<std::string> control_socket_of(std::string_view config_yaml);

// The sixgate process in the network namespace /run/netns/NAME. Errors: no_such_process when none
// runs there (the message says so), or the namespace cannot be read.
Result<SixgateProcess> find_sixgate_process(const std::string& namespace_name);

// The config text with `add` appended to isatap.allow (kept: everything else, as YAML re-emitted).
// Error invalid_argument: no isatap section with an allow list.
Result<std::string> with_isatap_allow(std::string_view config_yaml, const std::vector<net::Ipv4Prefix>& add);

Result<std::string> read_text_file(const std::string& path);
// Writes in place (same inode: the process reads the file by its path, which may cross a mount).
Result<void> write_text_file(const std::string& path, std::string_view text);

}  // namespace sixgate::lab
