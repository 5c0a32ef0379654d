#include "net/netlink/sysctl.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "net/netlink/route_socket.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::net::netlink {
namespace {

Result<void> check_path(const std::string& path, std::string_view verb) {
    if (path.rfind("/proc/sys/", 0) != 0 || path.find("..") != std::string::npos)
        return make_error(std::errc::invalid_argument,
                          std::string(verb) + " sysctl " + path + ": not a path under /proc/sys/");
    return {};
}

}  // namespace

std::string ipv6_conf_path(std::string_view interface, std::string_view key) {
    return "/proc/sys/net/ipv6/conf/" + std::string(interface) + "/" + std::string(key);
}

Result<std::string> read_sysctl(const std::string& path) {
    if (auto valid = check_path(path, "read"); !valid) return valid.error();
    UniqueFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return kernel_error(errno, "read sysctl " + path);
    std::string value;
    char buffer[512];
    for (;;) {
        const ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return kernel_error(errno, "read sysctl " + path);
        if (n == 0) break;
        value.append(buffer, std::size_t(n));
    }
    while (!value.empty() && (value.back() == '\n' || value.back() == ' ')) value.pop_back();
    return value;
}

Result<void> write_sysctl(const std::string& path, const std::string& value) {
    if (auto valid = check_path(path, "write"); !valid) return valid;
    const std::string context = "write sysctl " + path + "=" + value;
    UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) return kernel_error(errno, context);
    const std::string line = value + "\n";
    ssize_t n;
    do {
        n = ::write(fd.get(), line.data(), line.size());
    } while (n < 0 && errno == EINTR);
    if (n < 0) return kernel_error(errno, context);
    if (std::size_t(n) != line.size())
        return make_error(std::errc::io_error, context + ": short write");
    return {};
}

}  // namespace sixgate::net::netlink
