// Fuzzes the CLAT's control-plane parsers: Pref64Tracker::handle_datagram over any bytes as a
// netlink datagram (RTM_NEWNDUSEROPT), and the ND proxy's NS/NA parsers (with the checksum fixed
// so the fuzzer reaches the option checks). Never a crash; whatever parses builds back into a
// message that parses to the same value.
//
// Input: the first byte picks the parser (even: netlink datagram, odd: ICMPv6 NS/NA).

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "clat/nd_proxy.hpp"
#include "clat/pref64_listener.hpp"
#include "net/ip_address.hpp"
#include "net/nd/router_messages.hpp"

namespace {

using namespace sixgate;
using namespace sixgate::net;

void require(bool condition) {
    if (!condition) std::abort();
}

const Ipv6Address kSource(Ipv6Address::Bytes{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
const Ipv6Address kSolicitedNode(Ipv6Address::Bytes{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
                                                    0xff, 0, 0, 1});

void parse_neighbor_messages(std::span<const std::uint8_t> input) {
    std::vector<std::uint8_t> icmp(input.begin(), input.end());
    if (icmp.size() >= 4) nd::fill_icmpv6_checksum(icmp, kSource, kSolicitedNode);
    if (auto ns = clat::parse_neighbor_solicitation(icmp, nd::kNdHopLimit, kSource, kSolicitedNode)) {
        std::array<std::uint8_t, 64> out{};
        auto length = clat::build_neighbor_solicitation(ns->target, ns->source_link_layer_address,
                                                        ns->nonce, out);
        require(length.ok());
        auto message = std::span(out).first(*length);
        nd::fill_icmpv6_checksum(message, kSource, kSolicitedNode);
        auto again =
            clat::parse_neighbor_solicitation(message, nd::kNdHopLimit, kSource, kSolicitedNode);
        require(again.ok() && again->target == ns->target);
    }
    (void)clat::parse_neighbor_advertisement(icmp, nd::kNdHopLimit, kSource, kSolicitedNode);
    (void)clat::parse_neighbor_solicitation(icmp, 64, Ipv6Address(), kSolicitedNode);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const auto input = std::span(data + 1, size - 1);
    if ((data[0] & 1) == 0) {
        clat::Pref64Tracker tracker("eth0", 2);
        const auto now = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
        (void)tracker.handle_datagram(input, now);
        (void)tracker.handle_datagram(input, now + std::chrono::seconds(1));
        (void)tracker.expire(now + std::chrono::hours(24));
        require(tracker.known_prefixes() == 0 || tracker.current().has_value());
    } else {
        parse_neighbor_messages(input);
    }
    return 0;
}
