#include "net/nd/router_messages.hpp"

#include <algorithm>
#include <string>

#include "net/byte_order.hpp"
#include "net/checksum.hpp"
#include "net/nd/option_builders.hpp"
#include "net/nd/option_parsers.hpp"
#include "net/nd/option_view.hpp"

namespace sixgate::net::nd {
namespace {

constexpr std::size_t kRouterSolicitationHeaderSize = 8;
constexpr std::size_t kRouterAdvertisementHeaderSize = 16;

bool is_link_local(const Ipv6Address& address) noexcept {
    const auto& b = address.bytes();
    return b[0] == 0xfe && (b[1] & 0xc0) == 0x80;  // fe80::/10
}

bool is_unspecified(const Ipv6Address& address) noexcept {
    return address == Ipv6Address();
}

// The checks shared by RS and RA, up to and including the checksum.
std::optional<NdDropReason> check_icmp(std::span<const std::uint8_t> icmp, std::uint8_t type,
                                       std::size_t header_size, std::uint8_t hop_limit,
                                       const Ipv6Address& source, const Ipv6Address& destination) {
    if (icmp.size() < header_size) return NdDropReason::too_short;
    if (icmp[0] != type) return NdDropReason::wrong_type;
    if (icmp[1] != 0) return NdDropReason::bad_code;
    if (hop_limit != kNdHopLimit) return NdDropReason::bad_hop_limit;
    // RFC 4861 6.1.2: routers send RAs from their link-local address, so hosts can keep
    // recognising them when global prefixes change.
    if (type == kIcmpv6RouterAdvertisement && !is_link_local(source))
        return NdDropReason::ra_source_not_link_local;
    if (!icmpv6_checksum_is_valid(source, destination, icmp)) return NdDropReason::bad_checksum;
    return std::nullopt;
}

// Builds each option after `at`; returns the end offset.
Result<std::size_t> append_option(const NdOption& option, std::span<std::uint8_t> out,
                                  std::size_t at) {
    auto written = build_option(option, out.subspan(at));
    if (!written) return written.error();
    return at + *written;
}

}  // namespace

Result<std::size_t> build_router_solicitation(const RouterSolicitation& message,
                                              std::span<std::uint8_t> out) {
    if (out.size() < kRouterSolicitationHeaderSize)
        return make_error(std::errc::no_buffer_space, "router solicitation needs 8 bytes, " +
                                                          std::to_string(out.size()) + " left");
    std::fill_n(out.begin(), kRouterSolicitationHeaderSize, std::uint8_t{0});
    out[0] = kIcmpv6RouterSolicitation;
    std::size_t at = kRouterSolicitationHeaderSize;
    if (message.source_link_layer_address) {
        auto end = append_option(*message.source_link_layer_address, out, at);
        if (!end) return end;
        at = *end;
    }
    return at;
}

Result<std::size_t> build_router_advertisement(const RouterAdvertisement& message,
                                               std::span<std::uint8_t> out) {
    if (message.router_preference == RoutePreference::reserved)
        return make_error(std::errc::invalid_argument,
                          "router advertisement: router preference 'reserved' (binary 10) cannot "
                          "be sent (RFC 4191 2.2)");
    if (out.size() < kRouterAdvertisementHeaderSize)
        return make_error(std::errc::no_buffer_space, "router advertisement needs 16 bytes, " +
                                                          std::to_string(out.size()) + " left");
    std::fill_n(out.begin(), kRouterAdvertisementHeaderSize, std::uint8_t{0});
    out[0] = kIcmpv6RouterAdvertisement;
    out[4] = message.cur_hop_limit;
    // RFC 4191 2.2: a router that is not a default router (lifetime 0) sends preference medium.
    const auto preference =
        message.router_lifetime == 0 ? RoutePreference::medium : message.router_preference;
    out[5] =
        static_cast<std::uint8_t>((message.managed ? 0x80 : 0) | (message.other_config ? 0x40 : 0) |
                                  static_cast<std::uint8_t>(preference) << 3);
    store_be16(out, 6, message.router_lifetime);
    store_be32(out, 8, message.reachable_time);
    store_be32(out, 12, message.retrans_timer);
    std::size_t at = kRouterAdvertisementHeaderSize;
    for (const auto& option : message.options) {
        auto end = append_option(option, out, at);
        if (!end) return end;
        at = *end;
    }
    return at;
}

void fill_icmpv6_checksum(std::span<std::uint8_t> icmp_message, const Ipv6Address& source,
                          const Ipv6Address& destination) noexcept {
    if (icmp_message.size() < 4) return;
    store_be16(icmp_message, 2, 0);
    store_be16(icmp_message, 2, icmpv6_checksum(source, destination, icmp_message));
}

NdParseResult<RouterSolicitation> parse_router_solicitation(std::span<const std::uint8_t> icmp,
                                                            std::uint8_t hop_limit,
                                                            const Ipv6Address& source,
                                                            const Ipv6Address& destination) {
    if (auto drop = check_icmp(icmp, kIcmpv6RouterSolicitation, kRouterSolicitationHeaderSize,
                               hop_limit, source, destination))
        return *drop;
    auto options = NdOptionList::parse(icmp.subspan(kRouterSolicitationHeaderSize));
    if (!options) return options.reason();
    RouterSolicitation result;
    for (const NdOptionView option : *options) {
        if (option.type() != static_cast<std::uint8_t>(NdOptionType::source_link_layer_address))
            continue;  // RFC 4861 4.1: others are ignored
        // RFC 4861 6.1.1: a host without an address yet cannot be answered by unicast, so it must
        // not claim a link-layer address.
        if (is_unspecified(source)) return NdDropReason::rs_unspecified_source_with_slla;
        auto slla = parse_source_link_layer_address_option(option.bytes());
        if (!slla) return slla.reason();
        result.source_link_layer_address = *slla;
    }
    return result;
}

namespace {

// Appends a parsed option, or reports whether its failure drops the message.
template <class T>
std::optional<NdDropReason> keep(NdParseResult<T>&& parsed, std::vector<NdOption>& options,
                                 bool ignore_if_invalid) {
    if (parsed) {
        options.emplace_back(std::move(parsed).value());
        return std::nullopt;
    }
    if (ignore_if_invalid) return std::nullopt;
    return parsed.reason();
}

}  // namespace

NdParseResult<RouterAdvertisement> parse_router_advertisement(std::span<const std::uint8_t> icmp,
                                                              std::uint8_t hop_limit,
                                                              const Ipv6Address& source,
                                                              const Ipv6Address& destination) {
    if (auto drop = check_icmp(icmp, kIcmpv6RouterAdvertisement, kRouterAdvertisementHeaderSize,
                               hop_limit, source, destination))
        return *drop;
    auto list = NdOptionList::parse(icmp.subspan(kRouterAdvertisementHeaderSize));
    if (!list) return list.reason();

    RouterAdvertisement result;
    result.cur_hop_limit = icmp[4];
    result.managed = (icmp[5] & 0x80) != 0;
    result.other_config = (icmp[5] & 0x40) != 0;
    result.router_lifetime = load_be16(icmp, 6);
    result.reachable_time = load_be32(icmp, 8);
    result.retrans_timer = load_be32(icmp, 12);
    // RFC 4191 2.2: reserved reads as medium, and the preference of a router that is not a
    // default router (lifetime 0) is ignored.
    const auto preference = static_cast<RoutePreference>((icmp[5] >> 3) & 0x3);
    result.router_preference =
        preference == RoutePreference::reserved || result.router_lifetime == 0
            ? RoutePreference::medium
            : preference;

    for (const NdOptionView option : *list) {
        const auto bytes = option.bytes();
        std::optional<NdDropReason> drop;
        switch (static_cast<NdOptionType>(option.type())) {
            case NdOptionType::source_link_layer_address:
                drop = keep(parse_source_link_layer_address_option(bytes), result.options, false);
                break;
            case NdOptionType::mtu:
                drop = keep(parse_mtu_option(bytes), result.options, false);
                break;
            case NdOptionType::prefix_information:
                drop = keep(parse_prefix_information_option(bytes), result.options, false);
                break;
            case NdOptionType::route_information:
                drop = keep(parse_route_information_option(bytes), result.options, true);
                break;
            case NdOptionType::rdnss:
                drop = keep(parse_rdnss_option(bytes), result.options, false);
                break;
            case NdOptionType::dnssl:
                drop = keep(parse_dnssl_option(bytes), result.options, false);
                break;
            case NdOptionType::pref64:
                drop = keep(parse_pref64_option(bytes), result.options, true);
                break;
            default:
                break;  // RFC 4861 4.6: unknown options are skipped
        }
        if (drop) return *drop;
    }
    return result;
}

}  // namespace sixgate::net::nd
