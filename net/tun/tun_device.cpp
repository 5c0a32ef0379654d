#include "net/tun/tun_device.hpp"

#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <bit>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>

// Linux 6.2 added UDP segmentation offload to TUN; Debian 12's headers (6.1) lack the names.
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#endif
#ifndef TUN_F_USO6
#define TUN_F_USO6 0x40
#endif

namespace sixgate::net::tun {
namespace {

constexpr const char* kTunPath = "/dev/net/tun";

std::string hint(int error) {
    switch (error) {
        case EPERM:
        case EACCES:
            return " (need CAP_NET_ADMIN)";
        case EBUSY:
            return " (the device exists with other flags, or is open elsewhere)";
        default:
            return "";
    }
}

Error system_error(int error, std::string_view call, std::string_view name) {
    return Error{
        std::error_code(error, std::generic_category()),
        std::string(call) + " " + std::string(name) + ": " + std::strerror(error) + hint(error)};
}

Result<UniqueFd> open_tun_control(std::string_view name) {
    UniqueFd fd(::open(kTunPath, O_RDWR | O_NONBLOCK | O_CLOEXEC));
    if (!fd) {
        const int error = errno;
        std::string why = std::strerror(error);
        if (error == ENOENT) why += " (is the tun module loaded?)";
        if (error == EACCES || error == EPERM) why += " (need access to it and CAP_NET_ADMIN)";
        return Error{std::error_code(error, std::generic_category()),
                     std::string("open ") + kTunPath + " for " + std::string(name) + ": " + why};
    }
    return fd;
}

Result<std::string> attach(const UniqueFd& fd, std::string_view name, short flags) {
    ifreq request{};
    std::memcpy(request.ifr_name, name.data(), name.size());
    request.ifr_flags = flags;
    if (::ioctl(fd.get(), TUNSETIFF, &request) != 0) return system_error(errno, "TUNSETIFF", name);
    return std::string(request.ifr_name, ::strnlen(request.ifr_name, IFNAMSIZ));
}

// Asks for the offloads; returns what the kernel took.
Result<TunOffloads> negotiate_offloads(const UniqueFd& fd, const std::string& name,
                                       const TunOffloads& wanted) {
    TunOffloads got{false, false, false};
    if (!wanted.checksum) return got;  // TSO and USO need TUN_F_CSUM
    unsigned long base = TUN_F_CSUM;
    if (wanted.tcp_segmentation) base |= TUN_F_TSO4 | TUN_F_TSO6;
    if (wanted.udp_segmentation &&
        ::ioctl(fd.get(), TUNSETOFFLOAD, base | TUN_F_USO4 | TUN_F_USO6) == 0) {
        return TunOffloads{true, wanted.tcp_segmentation, true};
    }
    if (::ioctl(fd.get(), TUNSETOFFLOAD, base) != 0)
        return system_error(errno, "TUNSETOFFLOAD", name);
    return TunOffloads{true, wanted.tcp_segmentation, false};
}

// Sets up the virtio_net_hdr on a device just created: 12 bytes, little-endian.
Result<VnetByteOrder> enable_vnet_header(const UniqueFd& fd, const std::string& name) {
    int size = static_cast<int>(VirtioNetHeader::kSize);
    if (::ioctl(fd.get(), TUNSETVNETHDRSZ, &size) != 0)
        return system_error(errno, "TUNSETVNETHDRSZ", name);
    int little = 1;
    if (::ioctl(fd.get(), TUNSETVNETLE, &little) == 0) return VnetByteOrder::kLittle;
    // Without TUNSETVNETLE the legacy header is in native order.
    return std::endian::native == std::endian::little ? VnetByteOrder::kLittle
                                                      : VnetByteOrder::kBig;
}

template <class Apply>
Result<void> with_interface(std::string_view name, const char* call, Apply apply) {
    if (name.empty() || name.size() >= IFNAMSIZ)
        return make_error(std::errc::invalid_argument,
                          std::string(call) + " " + std::string(name) + ": bad interface name");
    UniqueFd socket(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!socket) return system_error(errno, "socket", name);
    ifreq request{};
    std::memcpy(request.ifr_name, name.data(), name.size());
    if (!apply(socket.get(), request)) return system_error(errno, call, name);
    return {};
}

}  // namespace

Result<TunDevice> TunDevice::open(std::string_view name, const TunOptions& options) {
    const std::string requested = name.empty() ? "tun%d" : std::string(name);
    if (requested.size() >= IFNAMSIZ)
        return make_error(std::errc::invalid_argument, "tun " + requested + ": name longer than " +
                                                           std::to_string(IFNAMSIZ - 1) + " bytes");
    if (options.queues == 0)
        return make_error(std::errc::invalid_argument, "tun " + requested + ": 0 queues");

    auto first = open_tun_control(requested);
    if (!first) return first.error();
    unsigned int features = 0;
    if (::ioctl(first->get(), TUNGETFEATURES, &features) != 0)
        return system_error(errno, "TUNGETFEATURES", requested);

    const bool multi_queue = options.queues > 1;
    if (multi_queue && (features & IFF_MULTI_QUEUE) == 0)
        return make_error(std::errc::not_supported,
                          "TUNGETFEATURES " + requested + ": the kernel lacks IFF_MULTI_QUEUE");
    const bool vnet_offered = (features & IFF_VNET_HDR) != 0;
    if (options.vnet_hdr == VnetHdrMode::kOn && !vnet_offered)
        return make_error(std::errc::not_supported,
                          "TUNGETFEATURES " + requested + ": the kernel lacks IFF_VNET_HDR");
    const bool vnet = options.vnet_hdr != VnetHdrMode::kOff && vnet_offered;

    short flags = IFF_TUN | IFF_NO_PI;
    if (multi_queue) flags |= IFF_MULTI_QUEUE;
    if (vnet) flags |= IFF_VNET_HDR;

    auto real_name = attach(*first, requested, flags);
    if (!real_name) return real_name.error();

    TunDevice device;
    device.name_ = std::move(*real_name);
    device.vnet_hdr_ = vnet;
    VnetByteOrder order = VnetByteOrder::kLittle;
    if (vnet) {
        auto enabled = enable_vnet_header(*first, device.name_);
        if (!enabled) return enabled.error();
        order = *enabled;
        auto offloads = negotiate_offloads(*first, device.name_, options.offloads);
        if (!offloads) return offloads.error();
        device.offloads_ = *offloads;
    }

    device.queues_.reserve(options.queues);
    device.queues_.emplace_back(std::move(*first), vnet, order);
    for (std::size_t i = 1; i < options.queues; ++i) {
        auto fd = open_tun_control(device.name_);
        if (!fd) return fd.error();
        auto attached = attach(*fd, device.name_, flags);
        if (!attached) return attached.error();
        device.queues_.emplace_back(std::move(*fd), vnet, order);
    }
    return device;
}

Result<void> TunDevice::set_mtu(int mtu) const {
    return set_interface_mtu(name_, mtu);
}
Result<void> TunDevice::set_up(bool up) const {
    return set_interface_up(name_, up);
}

Result<void> set_interface_mtu(std::string_view name, int mtu) {
    return with_interface(name, "SIOCSIFMTU", [mtu](int socket, ifreq& request) {
        request.ifr_mtu = mtu;
        return ::ioctl(socket, SIOCSIFMTU, &request) == 0;
    });
}

Result<void> set_interface_up(std::string_view name, bool up) {
    return with_interface(name, "SIOCSIFFLAGS", [up](int socket, ifreq& request) {
        if (::ioctl(socket, SIOCGIFFLAGS, &request) != 0) return false;
        if (up)
            request.ifr_flags = static_cast<short>(request.ifr_flags | IFF_UP);
        else
            request.ifr_flags = static_cast<short>(request.ifr_flags & ~IFF_UP);
        return ::ioctl(socket, SIOCSIFFLAGS, &request) == 0;
    });
}

}  // namespace sixgate::net::tun
