#include "plat/filtering_and_updating.hpp"

#include "net/packet/ipv6_view.hpp"
#include "net/packet/mutable_headers.hpp"
#include "plat/outgoing_tuple.hpp"
#include "xlat/icmp4_error.hpp"
#include "xlat/icmp6_error_reply.hpp"

namespace sixgate::plat {

namespace pk = net::packet;

namespace {

// RFC 4443 3.1 and RFC 792 Destination Unreachable.
constexpr std::uint8_t kIcmpv6DestinationUnreachable = 1;
constexpr std::uint8_t kIcmpv6AddressUnreachable = 3;
constexpr std::uint8_t kIcmpDestinationUnreachable = 3;
constexpr std::uint8_t kIcmpHostUnreachable = 1;
constexpr std::uint8_t kIcmpAdministrativelyProhibited = 13;  // RFC 1812 5.2.7.1

xlat::TranslationResult icmp_error_result(const pk::PacketBuffer& buffer) noexcept {
    xlat::TranslationResult result;
    result.verdict = xlat::Verdict::icmp_error;
    result.length = buffer.size();
    result.fragment_count = 1;
    result.fragment_lengths[0] = static_cast<std::uint16_t>(buffer.size());
    return result;
}

}  // namespace

bool valid_ipv6_client(const net::Ipv6Address& source,
                       const xlat::AddressMapping& mapping) noexcept {
    const auto& b = source.bytes();
    if (b[0] == 0xff) return false;  // multicast
    bool zero_but_last = true;
    for (int i = 0; i < 15; ++i) zero_but_last = zero_but_last && b[i] == 0;
    if (zero_but_last && (b[15] == 0 || b[15] == 1)) return false;  // :: and ::1
    if (is_stand_in(source)) return false;
    // RFC 6146 3.5: a source inside pool6 is dropped, or hairpinned packets could loop.
    if (mapping.pool6() && mapping.pool6()->contains(source)) return false;
    return true;
}

StateReply reply_for_state_drop(StateDrop reason, L4Protocol protocol, bool from_ipv6) noexcept {
    switch (reason) {
        case StateDrop::pool4_exhausted:
        case StateDrop::session_limit:
        case StateDrop::source_session_limit:
            // RFC 6146 3.5.1.1 (and 3.5.2.2, 3.5.3 by reference): no IPv4 transport address or
            // BIB/session entry could be had: Destination Unreachable, Address Unreachable.
            return from_ipv6 ? StateReply::icmpv6_address_unreachable : StateReply::none;
        case StateDrop::no_bib_entry:
            // RFC 6146 3.5.1 (UDP) and 3.5.3 (ICMP): no BIB entry for the IPv4 destination: the
            // packet is dropped and Destination Unreachable, Host Unreachable sent. TCP without a
            // SYN is silently dropped (3.5.2.2, CLOSED state).
            if (from_ipv6 || protocol == L4Protocol::tcp) return StateReply::none;
            return StateReply::icmpv4_host_unreachable;
        case StateDrop::filtered:
            // RFC 6146 3.5.1: address-dependent filtering refused it: Communication
            // Administratively Prohibited.
            return from_ipv6 ? StateReply::none : StateReply::icmpv4_admin_prohibited;
        case StateDrop::tcp_no_session:      // 3.5.2.2: silently dropped
        case StateDrop::v4_syn_held:         // 3.5.2.2: answered later, if at all
        case StateDrop::held_syn_limit:      // 3.5.2.2: the RFC stores "if resources allow"
        case StateDrop::held_syn_duplicate:  // the first copy is already held
            return StateReply::none;
    }
    return StateReply::none;
}

bool icmp4_error_from(pk::PacketBuffer& buffer, const pk::Ipv4View& original, std::uint8_t type,
                      std::uint8_t code, net::Ipv4Address source,
                      const xlat::AddressMapping& mapping) noexcept {
    if (!xlat::build_icmp4_error(buffer, original, {type, code, 0}, mapping)) return false;
    auto header = pk::MutableIpv4Header::wrap(buffer.data().first(20));
    if (!header) return false;
    header->set_source(source);
    header->fill_header_checksum();
    return true;
}

xlat::TranslationResult send_state_error(pk::PacketBuffer& buffer, StateReply reply,
                                         const xlat::AddressMapping& mapping) noexcept {
    xlat::TranslationResult dropped;
    switch (reply) {
        case StateReply::none:
            return dropped;
        case StateReply::icmpv6_address_unreachable:
            return xlat::reply_with_icmpv6_error(
                buffer, buffer.size(), mapping,
                {kIcmpv6DestinationUnreachable, kIcmpv6AddressUnreachable, 0},
                xlat::DropReason::destination_unmapped);
        case StateReply::icmpv4_host_unreachable:
        case StateReply::icmpv4_admin_prohibited: {
            const auto original = pk::Ipv4View::parse(buffer.data());
            if (!original) return dropped;
            const std::uint8_t code = reply == StateReply::icmpv4_host_unreachable
                                          ? kIcmpHostUnreachable
                                          : kIcmpAdministrativelyProhibited;
            if (!icmp4_error_from(buffer, *original, kIcmpDestinationUnreachable, code,
                                  original->destination(), mapping))
                return dropped;
            return icmp_error_result(buffer);
        }
    }
    return dropped;
}

}  // namespace sixgate::plat
