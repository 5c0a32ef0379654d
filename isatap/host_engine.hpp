#pragma once
// The ISATAP host's data path (RFC 5214 8.3, host side): a TunnelHandler that decapsulates what
// its routers and ISATAP neighbours send, hands Router Advertisements to the control plane
// through a small fixed ring, writes the rest to the TUN, and encapsulates what the kernel
// routes into the TUN to the current router (or, for link-local ISATAP destinations, straight to
// the embedded IPv4 address). No allocation, exception or log line per packet.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "isatap/drop_reason.hpp"
#include "isatap/isatap_policy.hpp"
#include "isatap/tunnel_link.hpp"
#include "net/ip_address.hpp"

namespace sixgate::isatap {

// RAs larger than this are not queued (counted): the ISATAP link MTU is 1280 (RFC 4213 3.2),
// a little more leaves room for a router that ignores it.
inline constexpr std::size_t kAdvertisementSlotBytes = 1500;
inline constexpr std::size_t kAdvertisementSlots = 8;

struct QueuedAdvertisement {
    net::Ipv4Address router;  // the outer IPv4 source
    std::size_t length = 0;
    std::array<std::byte, kAdvertisementSlotBytes> bytes{};  // the inner IPv6 packet
    std::span<const std::byte> packet() const noexcept { return std::span(bytes).first(length); }
};

struct HostEngineCounters {
    std::atomic<std::uint64_t> to_tun{0};                  // decapsulated, written to the TUN
    std::atomic<std::uint64_t> to_ipv4{0};                 // read from the TUN, encapsulated
    std::atomic<std::uint64_t> advertisements_queued{0};   // RAs handed to the control plane
    std::atomic<std::uint64_t> advertisements_overflow{0}; // ring full: the RA was dropped
    std::atomic<std::uint64_t> advertisements_too_large{0};
    std::atomic<std::uint64_t> multicast_not_forwarded{0}; // from the TUN to a multicast group
    std::array<std::atomic<std::uint64_t>, kIsatapDropCount> drops{};
};

class HostEngine final : public TunnelHandler {
public:
    // policy must stay alive until it is replaced and quiescent() says the data path let go of
    // it. notify_fd: an eventfd written when an RA was queued (-1: none; tests poll).
    HostEngine(const IsatapPolicy& policy, int notify_fd = -1);

    void from_ipv4(std::span<const std::byte> ipv4_packet, TunnelIo& io) noexcept override;
    void from_tun(std::span<const std::byte> ipv6_packet, TunnelIo& io) noexcept override;

    // ---- control plane ----
    // The router non-link-local traffic goes to (RFC 5214 8.3.4: the one that answered).
    void set_router(std::optional<net::Ipv4Address> router) noexcept;
    std::optional<net::Ipv4Address> router() const noexcept;

    // Publishes a new policy (the PRL changed). Returns a ticket: the old policy may be freed
    // once quiescent(ticket) is true.
    std::uint64_t set_policy(const IsatapPolicy& policy) noexcept;
    bool quiescent(std::uint64_t ticket) const noexcept;

    // Takes the oldest queued RA; false when none waits. Single consumer.
    bool pop_advertisement(QueuedAdvertisement& out) noexcept;

    const HostEngineCounters& counters() const noexcept { return counters_; }
    // Counts a drop the control plane decided (e.g. an RA HostRaState refused).
    void count_drop(IsatapDrop reason) noexcept;

private:
    // A packet is handled between enter() and leave(): the epoch is odd meanwhile, which is how
    // set_policy's caller learns when a replaced policy is no longer read.
    const IsatapPolicy& enter() noexcept;
    void leave() noexcept;
    void queue_advertisement(net::Ipv4Address router, std::span<const std::byte> packet) noexcept;

    std::atomic<const IsatapPolicy*> policy_;
    std::atomic<std::uint64_t> epoch_{0};
    std::atomic<std::uint64_t> router_{0};  // bit 32 set: present; low 32 bits: the address
    int notify_fd_;
    std::array<QueuedAdvertisement, kAdvertisementSlots> ring_{};
    std::atomic<std::uint64_t> ring_head_{0};  // written by the producer (data path)
    std::atomic<std::uint64_t> ring_tail_{0};  // written by the consumer (control plane)
    HostEngineCounters counters_;
};

}  // namespace sixgate::isatap
