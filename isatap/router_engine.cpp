#include "isatap/router_engine.hpp"

#include <spdlog/spdlog.h>

#include "isatap/isatap_address.hpp"
#include "isatap/isatap_advertisement.hpp"
#include "isatap/tunnel_packet.hpp"
#include "net/icmpv6_socket.hpp"
#include "net/packet/ipv6_view.hpp"
#include "net/packet/protocol_numbers.hpp"

namespace sixgate::isatap {

namespace {

constexpr std::size_t kIpv6HeaderLength = net::packet::Ipv6View::kHeaderLength;
constexpr std::size_t kDestinationOffset = 24;

bool is_link_local(const net::Ipv6Address& a) noexcept {
    return a.bytes()[0] == 0xfe && (a.bytes()[1] & 0xc0) == 0x80;  // fe80::/10
}

}  // namespace

RouterEngine::RouterEngine(IsatapPolicy policy, std::size_t host_capacity)
    : policy_(std::move(policy)), hosts_(host_capacity) {}

Result<std::unique_ptr<RouterEngine>> RouterEngine::create(
    IsatapPolicy policy, const net::nd::RouterAdvertisement& advertisement,
    std::size_t host_capacity) {
    if (!policy.router_mode())
        return make_error(std::errc::invalid_argument, "isatap router: the allow-list is empty");
    if (!policy.config().isatap_prefix)
        return make_error(std::errc::invalid_argument, "isatap router: no ISATAP prefix");
    const net::Ipv4Address local = policy.config().local;
    const net::Ipv6Prefix prefix = *policy.config().isatap_prefix;
    std::unique_ptr<RouterEngine> engine(new RouterEngine(std::move(policy), host_capacity));
    engine->link_local_ = isatap_link_local(local);
    engine->router_address_ = isatap_address(prefix, local);
    // RFC 5214 8.2.3: the answer to a solicitation is a unicast RA from the router's link-local
    // address; built once here, the destination (all-nodes for now) is rewritten per answer.
    auto built =
        build_advertisement_packet(advertisement, engine->link_local_, net::kAllNodes,
                                   std::as_writable_bytes(std::span(engine->advertisement_)));
    if (!built)
        return Error{built.error().code, "isatap router advertisement (must fit the " +
                                             std::to_string(kIsatapMtu) +
                                             "-byte tunnel MTU): " + built.error().message};
    engine->advertisement_length_ = *built;
    return engine;
}

bool RouterEngine::is_solicitation_for_us(const net::packet::Ipv6View& view) const noexcept {
    // An RS directly after the fixed header (RFC 4861 4.1), to all-routers or to this router.
    if (view.next_header() != net::packet::kProtoIcmpv6) return false;
    const auto payload = view.payload();
    if (payload.empty() ||
        std::to_integer<std::uint8_t>(payload[0]) != net::nd::kIcmpv6RouterSolicitation)
        return false;
    const net::Ipv6Address destination = view.destination();
    return destination == net::kAllRouters || destination == link_local_;
}

void RouterEngine::from_ipv4(std::span<const std::byte> ipv4_packet, TunnelIo& io) noexcept {
    auto decapsulated = decapsulate(ipv4_packet);
    if (!decapsulated) return drop(decapsulated.error());
    const Decapsulated& packet = *decapsulated;

    const std::optional<IsatapDrop> refused = policy_.check_inbound(packet);
    // Not addressed to this node: not from a host of this link either, so not recorded.
    if (refused == IsatapDrop::outer_not_for_us) return drop(*refused);

    const net::Ipv4Address host = packet.outer_source;
    const bool allowed = policy_.allowed(host);
    switch (hosts_.record_in(host, allowed, ipv4_packet.size(), HostTable::Clock::now())) {
        case HostTable::Recorded::added:
            // Once per host (the table is bounded), never per packet.
            spdlog::info("isatap host={} allowed={}", host.to_string(), allowed);
            break;
        case HostTable::Recorded::full:
            // Once: after that the table_full counter tells how many packets came from unlisted
            // hosts.
            if (!table_full_logged_) {
                table_full_logged_ = true;
                spdlog::warn(
                    "isatap host table full capacity={}: further hosts are handled as usual but "
                    "not listed",
                    hosts_.capacity());
            }
            break;
        case HostTable::Recorded::existing:
            break;
    }
    if (refused) {
        // The limited scope: a refused host gets no answer of any kind (no RA, no ICMP).
        hosts_.record_dropped(host);
        return drop(*refused);
    }
    bump(decapsulated_);

    const net::Ipv6Address source = packet.view.source();
    if (!is_link_local(source)) hosts_.record_isatap_address(host, source);

    if (is_solicitation_for_us(packet.view)) return answer_solicitation(packet, io);
    if (!io.write_tun(packet.inner)) return drop(IsatapDrop::tun_write_failed);
    bump(written_to_tun_);
}

void RouterEngine::answer_solicitation(const Decapsulated& packet, TunnelIo& io) noexcept {
    const net::Ipv4Address host = packet.outer_source;
    bump(solicitations_received_);
    hosts_.record_solicitation(host);
    const net::packet::Ipv6View& view = packet.view;
    const auto icmp = view.payload();
    const std::span<const std::uint8_t> message(reinterpret_cast<const std::uint8_t*>(icmp.data()),
                                                icmp.size());
    // RFC 4861 6.1.1: hop limit 255, checksum, code 0, options well formed.
    auto solicitation = net::nd::parse_router_solicitation(message, view.hop_limit(), view.source(),
                                                           view.destination());
    if (!solicitation) {
        hosts_.record_dropped(host);
        return drop(IsatapDrop::bad_solicitation);
    }

    // RFC 5214 8.2.3: answered by unicast to the soliciting host's address; one sent from ::
    // (should decapsulation ever let it through) goes to the host's ISATAP link-local address.
    const net::Ipv6Address destination =
        view.source() == net::Ipv6Address() ? isatap_link_local(host) : view.source();
    const std::span<std::uint8_t> ra(advertisement_.data(), advertisement_length_);
    std::copy(destination.bytes().begin(), destination.bytes().end(),
              ra.begin() + kDestinationOffset);
    net::nd::fill_icmpv6_checksum(ra.subspan(kIpv6HeaderLength), link_local_, destination);
    if (!io.send_ipv4(host, std::as_bytes(ra))) return drop(IsatapDrop::send_failed);
    bump(advertisements_sent_);
    hosts_.record_advertisement(host);
    hosts_.record_out(host, ra.size());
}

void RouterEngine::from_tun(std::span<const std::byte> ipv6_packet, TunnelIo& io) noexcept {
    const auto view = net::packet::Ipv6View::parse(ipv6_packet);
    if (!view) return drop(IsatapDrop::inner_malformed);
    // Router mode: only ISATAP addresses (link-local or in the ISATAP prefix) of allowed hosts.
    const auto destination = policy_.outbound_destination(*view, std::nullopt);
    if (!destination) return drop(destination.error());
    if (!io.send_ipv4(*destination, view->bytes())) return drop(IsatapDrop::send_failed);
    bump(encapsulated_);
    hosts_.record_out(*destination, view->bytes().size());
}

RouterEngineCounters RouterEngine::counters() const noexcept {
    RouterEngineCounters c;
    c.decapsulated = decapsulated_.load(std::memory_order_relaxed);
    c.encapsulated = encapsulated_.load(std::memory_order_relaxed);
    c.solicitations_received = solicitations_received_.load(std::memory_order_relaxed);
    c.advertisements_sent = advertisements_sent_.load(std::memory_order_relaxed);
    c.written_to_tun = written_to_tun_.load(std::memory_order_relaxed);
    for (std::size_t i = 0; i < kIsatapDropCount; ++i)
        c.drops[i] = drops_[i].load(std::memory_order_relaxed);
    return c;
}

}  // namespace sixgate::isatap
