#pragma once
// The I/O of one ISATAP node: a raw protocol-41 socket on its IPv4 interface and a TUN device
// (no virtio_net_hdr, MTU 1280), served by one data-path thread that polls both and hands each
// packet to a TunnelHandler (the router or the host logic). Nothing is allocated per packet.
// Entry points: TunnelLink::open, start, stop; TunnelHandler; TunnelIo.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "isatap/drop_reason.hpp"
#include "net/ip_address.hpp"
#include "net/ipv4_raw_socket.hpp"
#include "net/netlink/kernel_api.hpp"
#include "net/result.hpp"
#include "net/tun/queue_threads.hpp"
#include "net/tun/tun_device.hpp"

namespace sixgate::isatap {

// What a handler may do with a packet. Both calls never block and return false on failure
// (the caller counts send_failed / tun_write_failed).
class TunnelIo {
public:
    virtual ~TunnelIo() = default;
    // Encapsulates `ipv6_packet` in IPv4 (protocol 41) to `destination`.
    virtual bool send_ipv4(net::Ipv4Address destination, std::span<const std::byte> ipv6_packet) noexcept = 0;
    // Writes an IPv6 packet to the TUN device (the kernel routes it on).
    virtual bool write_tun(std::span<const std::byte> ipv6_packet) noexcept = 0;
};

// Called on the data-path thread only.
class TunnelHandler {
public:
    virtual ~TunnelHandler() = default;
    // A datagram from the raw socket, IPv4 header first.
    virtual void from_ipv4(std::span<const std::byte> ipv4_packet, TunnelIo& io) noexcept = 0;
    // An IPv6 packet read from the TUN.
    virtual void from_tun(std::span<const std::byte> ipv6_packet, TunnelIo& io) noexcept = 0;
};

// Packet counters of the link itself, written by the data-path thread, read by status().
struct TunnelLinkCounters {
    std::atomic<std::uint64_t> ipv4_received{0};
    std::atomic<std::uint64_t> ipv4_sent{0};
    std::atomic<std::uint64_t> tun_read{0};
    std::atomic<std::uint64_t> tun_written{0};
    std::atomic<std::uint64_t> send_errors{0};
    std::atomic<std::uint64_t> tun_write_errors{0};
    std::atomic<std::uint64_t> receive_errors{0};  // raw socket or TUN read errors
};

// This node's IPv4 address on `interface` (the first the kernel lists, its primary): the outer
// source of everything sent and the IPv4 address in its ISATAP addresses (RFC 5214 6.1). Errors
// name isatap.interface: no such interface, or one without an IPv4 address.
Result<net::Ipv4Address> interface_ipv4(net::netlink::KernelApi& kernel, const std::string& interface);

class TunnelLink {
public:
    // Opens the raw socket (bound to `local` on `interface`) and the TUN `tun_name`
    // (IFF_TUN|IFF_NO_PI, no virtio_net_hdr), sets the TUN's MTU to kIsatapMtu and brings it up.
    // Addresses and routes on the TUN are the component's (KernelState).
    static Result<std::unique_ptr<TunnelLink>> open(const std::string& interface, net::Ipv4Address local,
                                                    const std::string& tun_name);
    ~TunnelLink();  // stop()

    // Starts the data-path thread ("isatap-q0") feeding `handler`, which must outlive stop().
    Result<void> start(TunnelHandler& handler);
    void stop();  // joins the thread; idempotent

    const std::string& tun_name() const noexcept;
    net::Ipv4Address local() const noexcept;
    const TunnelLinkCounters& counters() const noexcept { return counters_; }
    // For control-plane sends (e.g. the host's Router Solicitations); thread-safe.
    TunnelIo& control_io() noexcept;

private:
    TunnelLink() = default;
    struct Impl;
    std::unique_ptr<Impl> impl_;
    TunnelLinkCounters counters_;
};

}  // namespace sixgate::isatap
