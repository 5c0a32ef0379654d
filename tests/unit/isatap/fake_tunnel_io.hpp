#pragma once
// A TunnelIo that records what a handler sends, for the router and host unit tests.

#include <cstddef>
#include <span>
#include <vector>

#include "isatap/tunnel_link.hpp"

namespace sixgate::isatap::testing {

struct SentIpv4 {
    net::Ipv4Address destination;
    std::vector<std::byte> ipv6_packet;
};

class FakeTunnelIo final : public TunnelIo {
public:
    bool send_ipv4(net::Ipv4Address destination, std::span<const std::byte> ipv6_packet) noexcept override {
        if (fail_sends) return false;
        sent.push_back({destination, {ipv6_packet.begin(), ipv6_packet.end()}});
        return true;
    }
    bool write_tun(std::span<const std::byte> ipv6_packet) noexcept override {
        if (fail_tun_writes) return false;
        tun.emplace_back(ipv6_packet.begin(), ipv6_packet.end());
        return true;
    }

    std::vector<SentIpv4> sent;
    std::vector<std::vector<std::byte>> tun;
    bool fail_sends = false;
    bool fail_tun_writes = false;
};

}  // namespace sixgate::isatap::testing
