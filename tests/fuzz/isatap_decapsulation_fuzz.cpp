// Fuzzes ISATAP decapsulation (RFC 4213 3.6, isatap/tunnel_packet.hpp) and what the router-mode
// and host-mode policies (RFC 5214 7.3, RFC 6324 3.2.3, isatap/isatap_policy.hpp) decide on what
// comes out, plus outbound_destination on the input read as a packet from the TUN. The first
// input byte steers: bit 0 fixes the IPv4 header checksum, bits 1-2 point the outer destination
// at the router (1), the host (2) or elsewhere, bit 3 says whether the host has a router yet;
// the rest is the datagram. Never a crash or an out-of-bounds access (ASan/UBSan), and the
// invariants below hold.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "isatap/isatap_address.hpp"
#include "isatap/isatap_policy.hpp"
#include "isatap/tunnel_packet.hpp"
#include "net/checksum.hpp"

namespace {

using namespace sixgate;
using namespace sixgate::isatap;

void require(bool condition) {
    if (!condition) std::abort();
}

const net::Ipv4Address kRouter(10, 1, 0, 1);
const net::Ipv4Address kHost(10, 1, 0, 20);

const IsatapPolicy& router_policy() {
    static const IsatapPolicy policy = [] {
        IsatapPolicyConfig config;
        config.allow = {net::Ipv4Prefix(net::Ipv4Address(10, 1, 0, 0), 24)};
        config.local = kRouter;
        config.isatap_prefix = *net::Ipv6Prefix::parse("2002:836b:2:8000::/64");
        config.loop_guard = {net::Ipv4Prefix(net::Ipv4Address(10, 1, 0, 9), 32)};
        config.served_prefixes = {*net::Ipv6Prefix::parse("2002:a01:1::/48")};
        return IsatapPolicy(config);
    }();
    return policy;
}

const IsatapPolicy& host_policy() {
    static const IsatapPolicy policy = [] {
        IsatapPolicyConfig config;
        config.prl = {kRouter};
        config.local = kHost;
        return IsatapPolicy(config);
    }();
    return policy;
}

void check_outbound(const IsatapPolicy& policy, const net::packet::Ipv6View& view,
                    std::optional<net::Ipv4Address> router) {
    auto result = policy.outbound_destination(view, router);
    if (!result.ok()) {
        require(static_cast<std::size_t>(result.error()) < kIsatapDropCount);
        return;
    }
    if (policy.router_mode()) {
        // Router mode only ever sends to an allowed host whose ISATAP address is the destination.
        require(policy.allowed(*result));
        require(embedded_ipv4(view.destination()) == *result);
    }
    require(*result != policy.config().local);
}

std::array<std::byte, 65536> buffer;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1 || size - 1 > buffer.size()) return 0;
    const std::uint8_t control = data[0];
    const std::size_t length = size - 1;
    std::memcpy(buffer.data(), data + 1, length);
    // An exact-size span: ASan catches any read past the datagram.
    const std::span<std::byte> packet(buffer.data(), length);

    if (length >= 20) {
        const unsigned destination_choice = (control >> 1) & 3;
        if (destination_choice == 1 || destination_choice == 2) {
            const auto address = (destination_choice == 1 ? kRouter : kHost).bytes();
            for (int i = 0; i < 4; ++i) packet[16 + i] = std::byte{address[i]};
        }
        const std::size_t ihl = (std::to_integer<std::size_t>(packet[0]) & 0x0f) * 4;
        if ((control & 1) && ihl >= 20 && ihl <= length) {
            packet[10] = packet[11] = std::byte{0};
            net::ChecksumAccumulator sum;
            sum.add(std::span<const std::byte>(packet.first(ihl)));
            const std::uint16_t checksum = sum.checksum();
            packet[10] = std::byte(checksum >> 8);
            packet[11] = std::byte(checksum & 0xff);
        }
    }
    const std::optional<net::Ipv4Address> router =
        (control & 8) ? std::optional<net::Ipv4Address>(kRouter) : std::nullopt;

    auto decapsulated = decapsulate(packet);
    if (decapsulated.ok()) {
        const Decapsulated& d = *decapsulated;
        // The inner packet lies inside the datagram and is exactly 40 + Payload Length bytes.
        require(d.inner.data() >= packet.data() && d.inner.data() + d.inner.size() <= packet.data() + packet.size());
        require(d.inner.size() == 40 + std::size_t{d.view.payload_length()});
        require(d.view.bytes().data() == d.inner.data() && d.view.bytes().size() == d.inner.size());
        const auto router_verdict = router_policy().check_inbound(d);
        if (!router_verdict) {
            // RFC 5214 7.3 held: an allowed host sent it, with its own address inside.
            require(router_policy().allowed(d.outer_source));
            require(embedded_ipv4(d.view.source()) == d.outer_source);
            require(d.outer_destination == kRouter);
        }
        const auto host_verdict = host_policy().check_inbound(d);
        if (!host_verdict) require(d.outer_destination == kHost);
        check_outbound(router_policy(), d.view, router);
        check_outbound(host_policy(), d.view, router);
    } else {
        require(static_cast<std::size_t>(decapsulated.error()) < kIsatapDropCount);
    }

    // The same bytes as an IPv6 packet read from the TUN.
    if (const auto view = net::packet::Ipv6View::parse(packet)) {
        check_outbound(router_policy(), *view, router);
        check_outbound(host_policy(), *view, router);
    }
    return 0;
}
