#include "isatap/host_engine.hpp"

#include <unistd.h>

#include <algorithm>

#include "isatap/tunnel_packet.hpp"
#include "net/nd/router_messages.hpp"
#include "net/packet/ipv6_view.hpp"

namespace sixgate::isatap {

namespace {

constexpr std::uint8_t kIcmpv6 = 58;
constexpr std::uint64_t kRouterPresent = std::uint64_t{1} << 32;

bool is_router_advertisement(const net::packet::Ipv6View& view) noexcept {
    if (view.chain_end() != net::packet::ChainEnd::upper_layer || view.upper_layer_protocol() != kIcmpv6)
        return false;
    const auto icmp = view.upper_layer_payload();
    return !icmp.empty() && std::to_integer<std::uint8_t>(icmp[0]) == net::nd::kIcmpv6RouterAdvertisement;
}

}  // namespace

HostEngine::HostEngine(const IsatapPolicy& policy, int notify_fd) : policy_(&policy), notify_fd_(notify_fd) {}

const IsatapPolicy& HostEngine::enter() noexcept {
    epoch_.fetch_add(1, std::memory_order_seq_cst);
    return *policy_.load(std::memory_order_seq_cst);
}

void HostEngine::leave() noexcept {
    epoch_.fetch_add(1, std::memory_order_release);
}

void HostEngine::count_drop(IsatapDrop reason) noexcept {
    const auto index = static_cast<std::size_t>(reason);
    if (index < counters_.drops.size()) counters_.drops[index].fetch_add(1, std::memory_order_relaxed);
}

void HostEngine::from_ipv4(std::span<const std::byte> ipv4_packet, TunnelIo& io) noexcept {
    const IsatapPolicy& policy = enter();
    auto decapsulated = decapsulate(ipv4_packet);
    if (!decapsulated) {
        count_drop(decapsulated.error());
        leave();
        return;
    }
    // RFC 5214 7.3 and 8.3.2: from a PRL router anything goes; from anyone else the inner
    // source must embed the outer one. Then the RFC 6324 loop checks.
    if (const auto drop = policy.check_inbound(*decapsulated)) {
        count_drop(*drop);
        leave();
        return;
    }
    if (is_router_advertisement(decapsulated->view)) {
        // RFC 5214 8.3.2: only the PRL routers' RAs are processed; the control plane checks the
        // rest (RFC 4861 6.1.2, the router's link-local source).
        if (!policy.is_prl_router(decapsulated->outer_source))
            count_drop(IsatapDrop::bad_advertisement);
        else
            queue_advertisement(decapsulated->outer_source, decapsulated->inner);
        leave();
        return;
    }
    if (!io.write_tun(decapsulated->inner))
        count_drop(IsatapDrop::tun_write_failed);
    else
        counters_.to_tun.fetch_add(1, std::memory_order_relaxed);
    leave();
}

void HostEngine::from_tun(std::span<const std::byte> ipv6_packet, TunnelIo& io) noexcept {
    const IsatapPolicy& policy = enter();
    const auto view = net::packet::Ipv6View::parse(ipv6_packet);
    if (!view) {
        count_drop(IsatapDrop::inner_malformed);
        leave();
        return;
    }
    // The kernel's own multicast (MLD reports, ND) is not for the ISATAP link: RFC 5214 treats
    // it as NBMA, with no multicast to map a group to.
    if (view->destination().bytes()[0] == 0xff) {
        counters_.multicast_not_forwarded.fetch_add(1, std::memory_order_relaxed);
        leave();
        return;
    }
    const auto destination = policy.outbound_destination(*view, router());
    if (!destination) {
        count_drop(destination.error());
        leave();
        return;
    }
    if (!io.send_ipv4(*destination, view->bytes()))
        count_drop(IsatapDrop::send_failed);
    else
        counters_.to_ipv4.fetch_add(1, std::memory_order_relaxed);
    leave();
}

void HostEngine::queue_advertisement(net::Ipv4Address router, std::span<const std::byte> packet) noexcept {
    if (packet.size() > kAdvertisementSlotBytes) {
        counters_.advertisements_too_large.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    const std::uint64_t head = ring_head_.load(std::memory_order_relaxed);
    const std::uint64_t tail = ring_tail_.load(std::memory_order_acquire);
    if (head - tail >= kAdvertisementSlots) {
        counters_.advertisements_overflow.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    QueuedAdvertisement& slot = ring_[head % kAdvertisementSlots];
    slot.router = router;
    slot.length = packet.size();
    std::copy(packet.begin(), packet.end(), slot.bytes.begin());
    ring_head_.store(head + 1, std::memory_order_release);
    counters_.advertisements_queued.fetch_add(1, std::memory_order_relaxed);
    if (notify_fd_ >= 0) {
        const std::uint64_t one = 1;
        // A full eventfd counter (EAGAIN) still wakes the reader: nothing to do on failure.
        [[maybe_unused]] const auto written = ::write(notify_fd_, &one, sizeof(one));
    }
}

bool HostEngine::pop_advertisement(QueuedAdvertisement& out) noexcept {
    const std::uint64_t tail = ring_tail_.load(std::memory_order_relaxed);
    const std::uint64_t head = ring_head_.load(std::memory_order_acquire);
    if (tail == head) return false;
    const QueuedAdvertisement& slot = ring_[tail % kAdvertisementSlots];
    out.router = slot.router;
    out.length = slot.length;
    std::copy_n(slot.bytes.begin(), slot.length, out.bytes.begin());
    ring_tail_.store(tail + 1, std::memory_order_release);
    return true;
}

void HostEngine::set_router(std::optional<net::Ipv4Address> router) noexcept {
    router_.store(router ? kRouterPresent | router->to_uint() : 0, std::memory_order_relaxed);
}

std::optional<net::Ipv4Address> HostEngine::router() const noexcept {
    const std::uint64_t value = router_.load(std::memory_order_relaxed);
    if (!(value & kRouterPresent)) return std::nullopt;
    return net::Ipv4Address(static_cast<std::uint32_t>(value));
}

std::uint64_t HostEngine::set_policy(const IsatapPolicy& policy) noexcept {
    policy_.store(&policy, std::memory_order_seq_cst);
    return epoch_.load(std::memory_order_seq_cst);
}

bool HostEngine::quiescent(std::uint64_t ticket) const noexcept {
    // Even: no packet was being handled when the new policy was published, so every later one
    // reads the new pointer. Odd: the packet then in hand has finished once the epoch moved.
    return ticket % 2 == 0 || epoch_.load(std::memory_order_seq_cst) != ticket;
}

}  // namespace sixgate::isatap
