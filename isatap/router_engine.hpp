#pragma once
// The ISATAP router's packet logic (RFC 5214 limited scope, RFC 6324 loop checks), as the
// TunnelHandler of its TunnelLink. From IPv4: decapsulate, check against the policy, record the
// host, answer Router Solicitations with a unicast Router Advertisement (RFC 5214 8.2.3), hand
// everything else to the TUN. From the TUN: encapsulate to the IPv4 address an allowed ISATAP
// destination embeds. Every drop is counted by IsatapDrop; nothing is allocated per packet.
// Entry points: RouterEngine::create, from_ipv4, from_tun, counters.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "isatap/drop_reason.hpp"
#include "isatap/host_table.hpp"
#include "isatap/isatap_policy.hpp"
#include "isatap/tunnel_link.hpp"
#include "net/ip_address.hpp"
#include "net/nd/router_messages.hpp"
#include "net/result.hpp"

namespace sixgate::isatap {

// A snapshot of the engine's counters.
struct RouterEngineCounters {
    std::uint64_t decapsulated = 0;  // accepted from IPv4 (solicitations included)
    std::uint64_t encapsulated = 0;  // sent to an ISATAP host from the TUN
    std::uint64_t solicitations_received = 0;
    std::uint64_t advertisements_sent = 0;
    std::uint64_t written_to_tun = 0;
    IsatapDropCounts drops{};

    std::uint64_t dropped() const noexcept {
        std::uint64_t sum = 0;
        for (std::uint64_t n : drops) sum += n;
        return sum;
    }
};

class RouterEngine final : public TunnelHandler {
public:
    // `policy` must be in router mode with its local address and ISATAP prefix set. The answer
    // to every solicitation is `advertisement`, built here once; an error when it does not fit
    // the tunnel MTU or cannot be built.
    static Result<std::unique_ptr<RouterEngine>> create(
        IsatapPolicy policy, const net::nd::RouterAdvertisement& advertisement,
        std::size_t host_capacity = HostTable::kDefaultCapacity);

    void from_ipv4(std::span<const std::byte> ipv4_packet, TunnelIo& io) noexcept override;
    void from_tun(std::span<const std::byte> ipv6_packet, TunnelIo& io) noexcept override;

    const IsatapPolicy& policy() const noexcept { return policy_; }
    const HostTable& hosts() const noexcept { return hosts_; }
    // The router's own addresses on the ISATAP link.
    const net::Ipv6Address& link_local() const noexcept { return link_local_; }
    const net::Ipv6Address& router_address() const noexcept { return router_address_; }

    // Any thread.
    RouterEngineCounters counters() const noexcept;

private:
    RouterEngine(IsatapPolicy policy, std::size_t host_capacity);

    using Counter = std::atomic<std::uint64_t>;
    static void bump(Counter& counter) noexcept { counter.fetch_add(1, std::memory_order_relaxed); }
    void drop(IsatapDrop reason) noexcept { bump(drops_[static_cast<std::size_t>(reason)]); }
    bool is_solicitation_for_us(const net::packet::Ipv6View& view) const noexcept;
    void answer_solicitation(const Decapsulated& packet, TunnelIo& io) noexcept;

    IsatapPolicy policy_;
    HostTable hosts_;
    net::Ipv6Address link_local_;
    net::Ipv6Address router_address_;
    // The advertisement as one IPv6 packet from link_local_, built at start; each answer
    // rewrites its destination and ICMPv6 checksum in place (data-path thread only).
    std::array<std::uint8_t, kIsatapMtu> advertisement_{};
    std::size_t advertisement_length_ = 0;
    bool table_full_logged_ = false;  // data-path thread only

    Counter decapsulated_{0};
    Counter encapsulated_{0};
    Counter solicitations_received_{0};
    Counter advertisements_sent_{0};
    Counter written_to_tun_{0};
    std::array<Counter, kIsatapDropCount> drops_{};
};

}  // namespace sixgate::isatap
