#pragma once
// TunDevice: a layer-3 TUN device (IFF_TUN | IFF_NO_PI) with one non-blocking descriptor per
// queue, the virtio_net_hdr probed and enabled at run time, and receive offloads negotiated.
// Non-persistent: the kernel removes the device when the last queue closes. Link state,
// addresses and routes belong to netlink elsewhere; set_mtu/set_up are small conveniences.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "net/result.hpp"
#include "net/tun/tun_queue.hpp"

namespace sixgate::net::tun {

enum class VnetHdrMode : std::uint8_t {
    kAuto,  // on if the kernel offers IFF_VNET_HDR
    kOn,    // required: open fails without it
    kOff,
};

// Receive offloads asked of the kernel (TUNSETOFFLOAD); only with the virtio_net_hdr on.
struct TunOffloads {
    bool checksum = true;          // TUN_F_CSUM: packets may arrive with a partial checksum
    bool tcp_segmentation = true;  // TUN_F_TSO4 | TUN_F_TSO6 (needs checksum)
    bool udp_segmentation = true;  // TUN_F_USO4 | TUN_F_USO6 (Linux 6.2; dropped if refused)

    bool operator==(const TunOffloads&) const = default;
};

struct TunOptions {
    std::size_t queues = 1;  // > 1 uses IFF_MULTI_QUEUE
    VnetHdrMode vnet_hdr = VnetHdrMode::kAuto;
    TunOffloads offloads{};
};

class TunDevice {
public:
    // Creates (or attaches to) the TUN device `name` ("" or a pattern like "clat%d" lets the
    // kernel pick) in the calling thread's network namespace. Errors name the device and the
    // call that failed, e.g. "TUNSETIFF clat0: Operation not permitted (need CAP_NET_ADMIN)".
    static Result<TunDevice> open(std::string_view name, const TunOptions& options = {});

    // The name the kernel gave.
    const std::string& name() const noexcept { return name_; }
    std::size_t queue_count() const noexcept { return queues_.size(); }
    TunQueue& queue(std::size_t index) noexcept { return queues_[index]; }
    std::span<TunQueue> queues() noexcept { return queues_; }
    bool vnet_hdr() const noexcept { return vnet_hdr_; }
    // The offloads the kernel accepted (all false without the virtio_net_hdr).
    const TunOffloads& offloads() const noexcept { return offloads_; }

    // SIOCSIFMTU / SIOCSIFFLAGS(IFF_UP) on the device, in the calling thread's namespace.
    Result<void> set_mtu(int mtu) const;
    Result<void> set_up(bool up = true) const;

private:
    TunDevice() = default;

    std::string name_;
    std::vector<TunQueue> queues_;
    bool vnet_hdr_ = false;
    TunOffloads offloads_{false, false, false};
};

// The same ioctls for any interface by name.
Result<void> set_interface_mtu(std::string_view name, int mtu);
Result<void> set_interface_up(std::string_view name, bool up);

}  // namespace sixgate::net::tun
