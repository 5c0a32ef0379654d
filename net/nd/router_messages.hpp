#pragma once
// Router Solicitation and Router Advertisement (RFC 4861 4.1, 4.2; RFC 4191 2.2 preference):
// builders into caller-owned buffers, and parsers applying the receive checks of RFC 4861 6.1.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "net/ip_address.hpp"
#include "net/nd/drop_reason.hpp"
#include "net/nd/options.hpp"
#include "net/result.hpp"

namespace sixgate::net::nd {

inline constexpr std::uint8_t kIcmpv6RouterSolicitation = 133;
inline constexpr std::uint8_t kIcmpv6RouterAdvertisement = 134;
// RFC 4861 6.1: ND messages are only accepted with hop limit 255, which proves they are on-link.
inline constexpr std::uint8_t kNdHopLimit = 255;

struct RouterSolicitation {
    // RFC 4861 4.1: the only option an RS carries; absent when sent from the unspecified address.
    std::optional<SourceLinkLayerAddressOption> source_link_layer_address;
    bool operator==(const RouterSolicitation&) const = default;
};

struct RouterAdvertisement {
    std::uint8_t cur_hop_limit = 0;  // 0: unspecified
    bool managed = false;            // M: addresses from DHCPv6
    bool other_config = false;       // O: other configuration from DHCPv6
    // RFC 4191 2.2. Parsing turns reserved into medium, and so does a router lifetime of 0 (the
    // preference then means nothing); building refuses reserved.
    RoutePreference router_preference = RoutePreference::medium;
    std::uint16_t router_lifetime = 0;  // seconds; 0: not a default router
    std::uint32_t reachable_time = 0;   // milliseconds; 0: unspecified
    std::uint32_t retrans_timer = 0;    // milliseconds; 0: unspecified
    // Known options in message order. Parsing leaves out unknown options and those ignored.
    std::vector<NdOption> options;
    bool operator==(const RouterAdvertisement&) const = default;
};

// The ICMPv6 message (no IP header) with checksum 0, written at the start of `out`; returns its
// length. Fill the checksum with fill_icmpv6_checksum once the addresses are known (a raw
// IPPROTO_ICMPV6 socket does it itself).
Result<std::size_t> build_router_solicitation(const RouterSolicitation& message,
                                              std::span<std::uint8_t> out);
Result<std::size_t> build_router_advertisement(const RouterAdvertisement& message,
                                               std::span<std::uint8_t> out);

// Writes the ICMPv6 checksum (RFC 8200 8.1 pseudo-header) into a built message of 4 or more bytes;
// the message's checksum field is treated as zero. Shorter input is left untouched.
void fill_icmpv6_checksum(std::span<std::uint8_t> icmp_message, const Ipv6Address& source,
                          const Ipv6Address& destination) noexcept;

// `icmp` is the ICMPv6 message as received (the IP payload after any extension headers);
// hop_limit, source and destination come from the IP header (IPV6_RECVHOPLIMIT / IPV6_PKTINFO).
// Validity checks (RFC 4861 6.1.1 for RS, 6.1.2 for RA), in this order:
//   too_short, wrong_type, bad_code, bad_hop_limit, ra_source_not_link_local, bad_checksum,
//   zero_length_option / option_overflows, rs_unspecified_source_with_slla, bad_option_contents.
// Unknown options are skipped (RFC 4861 4.6). A known option that breaks its format drops the
// message (bad_option_contents), except route information and PREF64 options, which their RFCs
// (4191 2.3, 8781 4) say to ignore alone; those are left out of `options`.
NdParseResult<RouterSolicitation> parse_router_solicitation(std::span<const std::uint8_t> icmp,
                                                            std::uint8_t hop_limit,
                                                            const Ipv6Address& source,
                                                            const Ipv6Address& destination);
NdParseResult<RouterAdvertisement> parse_router_advertisement(std::span<const std::uint8_t> icmp,
                                                              std::uint8_t hop_limit,
                                                              const Ipv6Address& source,
                                                              const Ipv6Address& destination);

}  // namespace sixgate::net::nd
