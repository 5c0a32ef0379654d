#include "plat/plat_translator.hpp"

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "net/byte_order.hpp"
#include "net/packet/ipv4_view.hpp"
#include "net/packet/ipv6_view.hpp"
#include "plat/filtering_and_updating.hpp"
#include "plat/fragment_flows.hpp"
#include "plat/hairpinning.hpp"
#include "plat/incoming_tuple.hpp"
#include "plat/outgoing_tuple.hpp"
#include "xlat/icmp6_error_reply.hpp"
#include "xlat/ipv4_to_ipv6.hpp"
#include "xlat/ipv6_to_ipv4.hpp"

namespace sixgate::plat {

namespace pk = net::packet;

namespace {

constexpr std::size_t kIpv6Header = 40;
constexpr std::size_t kIcmpHeader = 8;
constexpr std::size_t kErrorHeaders = kIpv6Header + kIcmpHeader;  // where an ICMPv6 error quotes

// RFC 6146 3.4 (unsupported protocols): ICMPv6 Port Unreachable, ICMPv4 Protocol Unreachable.
constexpr std::uint8_t kIcmpv6DestinationUnreachable = 1;
constexpr std::uint8_t kIcmpv6PortUnreachable = 4;
constexpr std::uint8_t kIcmpDestinationUnreachable = 3;
constexpr std::uint8_t kIcmpProtocolUnreachable = 2;
constexpr std::uint8_t kIcmpPortUnreachable = 3;

struct Context {
    SessionTable& table;
    const xlat::TranslatorParts& parts;
    FragmentFlows& flows;
    PlatCounters& counters;
    Millis now;
};

PlatResult nothing() noexcept {
    return {};
}

PlatResult drop(Context& c, PlatDropReason reason) noexcept {
    ++c.counters.plat_drops[static_cast<std::size_t>(reason)];
    return nothing();
}

PlatResult drop(Context& c, xlat::DropReason reason) noexcept {
    ++c.counters.xlat_drops[static_cast<std::size_t>(reason)];
    return nothing();
}

PlatResult drop(Context& c, const StepDrop& why) noexcept {
    return why.translator ? drop(c, why.xlat) : drop(c, why.plat);
}

// An error the PLAT built itself (the reason is already counted).
PlatResult originated(Context& c, const xlat::TranslationResult& result) noexcept {
    if (result.verdict != xlat::Verdict::icmp_error) return nothing();
    ++c.counters.icmp_errors_sent;
    return {result, false};
}

// The endpoint as it was before the 6 -> 4 rewrite, to put back into a quote of it.
struct SavedEndpoint {
    net::Ipv6Address address;
    std::optional<std::uint16_t> port;
    std::optional<std::uint16_t> checksum;
};

SavedEndpoint save_endpoint(std::span<const std::byte> bytes,
                            const Ipv6Endpoint& endpoint) noexcept {
    SavedEndpoint saved;
    net::Ipv6Address::Bytes address{};
    std::memcpy(address.data(), bytes.data() + endpoint.address_at, address.size());
    saved.address = net::Ipv6Address(address);
    if (endpoint.upper_layer_at == kNoUpperLayer) return saved;
    const std::size_t port_at =
        endpoint.upper_layer_at + port_offset(endpoint.protocol, endpoint.source);
    const std::size_t checksum_at = endpoint.upper_layer_at + checksum_offset(endpoint.protocol);
    if (port_at + 2 <= bytes.size()) saved.port = net::load_be16(bytes, port_at);
    if (checksum_at + 2 <= bytes.size()) saved.checksum = net::load_be16(bytes, checksum_at);
    return saved;
}

// Writes the saved bytes back at the endpoint moved by `shift` (a quote's offset), as far as the
// bytes reach: exact, where an inverse incremental update could turn 0xffff into 0x0000.
void restore_endpoint(std::span<std::byte> bytes, std::size_t shift, const Ipv6Endpoint& endpoint,
                      const SavedEndpoint& saved) noexcept {
    if (shift + endpoint.address_at + 16 > bytes.size()) return;
    std::memcpy(bytes.data() + shift + endpoint.address_at, saved.address.bytes().data(), 16);
    if (endpoint.upper_layer_at == kNoUpperLayer) return;
    const std::size_t l4 = shift + endpoint.upper_layer_at;
    const std::size_t port_at = l4 + port_offset(endpoint.protocol, endpoint.source);
    const std::size_t checksum_at = l4 + checksum_offset(endpoint.protocol);
    if (saved.port && port_at + 2 <= bytes.size()) net::store_be16(bytes, port_at, *saved.port);
    if (saved.checksum && checksum_at + 2 <= bytes.size())
        net::store_be16(bytes, checksum_at, *saved.checksum);
}

// xlat answered a rewritten IPv6 packet with an ICMPv6 error (Time Exceeded, Packet Too Big,
// Parameter Problem, RFC 7915 5.4): it quotes the stand-in source and the pool4 port and goes to
// the stand-in. Put the client back in both places so the client recognises its own packet.
void undo_rewrite_in_error(std::span<std::byte> error, const Ipv6Endpoint& endpoint,
                           const SavedEndpoint& saved) noexcept {
    if (error.size() < kErrorHeaders) return;
    std::memcpy(error.data() + 24, saved.address.bytes().data(), 16);
    restore_endpoint(error, kErrorHeaders, endpoint, saved);
    (void)fill_icmpv6_checksum(error);
}

// A translated IPv6 packet (one of possibly several fragments) to the stand-in of (T,t): the
// destination becomes the client (X',x); a hairpinned one's source becomes pool6 + T (3.8).
void rewrite_output_4to6(std::span<std::byte> packet, const Ipv6Transport& client,
                         L4Protocol protocol, bool change_port,
                         const xlat::Rfc6052Prefix* hairpin_pool6) noexcept {
    const auto view = pk::Ipv6View::parse(packet);
    if (!view) return;
    const std::size_t l4 =
        view->chain_end() == pk::ChainEnd::upper_layer ? view->upper_layer_offset() : kNoUpperLayer;
    (void)rewrite_ipv6_endpoint(packet, {24, l4, protocol, false}, client,
                                change_port && l4 != kNoUpperLayer);
    if (hairpin_pool6) (void)rewrite_hairpin_source(packet, l4, protocol, *hairpin_pool6);
}

// RFC 6146 3.6 for an ICMPv4 error translated by xlat: it goes to the stand-in of T and quotes
// (stand-in of T, t) -> (Y', y). Both become the client (X', x); the ICMPv6 checksum is redone.
void rewrite_error_output_4to6(std::span<std::byte> packet, const Ipv6Transport& client,
                               L4Protocol protocol) noexcept {
    if (packet.size() < kErrorHeaders + kIpv6Header) return;
    std::memcpy(packet.data() + 24, client.address.bytes().data(), 16);
    const auto quoted = pk::Ipv6View::parse_truncated(packet.subspan(kErrorHeaders));
    if (quoted) {
        const std::size_t l4 = quoted->chain_end() == pk::ChainEnd::upper_layer
                                   ? kErrorHeaders + quoted->upper_layer_offset()
                                   : kNoUpperLayer;
        (void)rewrite_ipv6_endpoint(packet, {kErrorHeaders + 8, l4, protocol, true}, client,
                                    l4 != kNoUpperLayer);
    }
    (void)fill_icmpv6_checksum(packet);
}

PlatResult process_4to6(Context& c, pk::PacketBuffer& buffer, std::span<std::byte> fragments,
                        const xlat::TranslatorSettings& settings, bool hairpin) noexcept {
    const auto& mapping = c.parts.mapping;
    const auto view = pk::Ipv4View::parse(buffer.data());
    if (!view) return drop(c, xlat::DropReason::malformed_ipv4);
    if (!view->header_checksum_valid()) return drop(c, xlat::DropReason::bad_ipv4_header_checksum);
    // RFC 6146 3.5: only packets to pool4 (or a static BIB address) are processed.
    if (!c.table.owns_ipv4(view->destination()))
        return drop(c, PlatDropReason::not_pool4_destination);

    const auto in = incoming_tuple_4(*view);
    if (!in) {
        if (!hairpin && !in.error().translator &&
            in.error().plat == PlatDropReason::unsupported_protocol) {
            // RFC 6146 3.4: other protocols are dropped with Protocol Unreachable.
            const net::Ipv4Address pool4_address = view->destination();
            (void)drop(c, in.error());
            if (!icmp4_error_from(buffer, *view, kIcmpDestinationUnreachable,
                                  kIcmpProtocolUnreachable, pool4_address, mapping))
                return nothing();
            xlat::TranslationResult result;
            result.verdict = xlat::Verdict::icmp_error;
            result.length = buffer.size();
            result.fragment_count = 1;
            result.fragment_lengths[0] = static_cast<std::uint16_t>(buffer.size());
            return originated(c, result);
        }
        return hairpin ? drop(c, PlatDropReason::hairpin_failed) : drop(c, in.error());
    }
    const L4Protocol protocol = in->tuple.protocol;
    const FragmentKey key{in->tuple.source.address, in->tuple.destination.address, in->protocol,
                          in->identification};

    Ipv6Transport client;
    bool change_port = true;
    switch (in->kind) {
        case PacketKind::icmp_error: {
            if (hairpin) return drop(c, PlatDropReason::hairpin_failed);
            // RFC 6146 3.5 leaves the tables alone for ICMP errors; 3.6 finds the client through
            // the BIB entry of the quoted (T,t).
            const auto binding = c.table.find_ipv6_binding(protocol, in->tuple.destination);
            if (!binding) return drop(c, PlatDropReason::icmp_error_no_session);
            const auto result = xlat::translate_ipv4_to_ipv6(buffer, fragments, mapping, settings);
            if (result.verdict != xlat::Verdict::translated) return drop(c, result.reason);
            rewrite_error_output_4to6(buffer.data(), *binding, protocol);
            ++c.counters.icmp_errors_relayed;
            return {result, false};
        }
        case PacketKind::later_fragment: {
            const auto known = c.flows.find(key, c.now);
            if (!known) {
                // DEVIATION(RFC 6146 3.4): fragments arriving before the first one are not
                // queued for it; they are dropped and counted (the sender retransmits).
                return drop(c, hairpin ? PlatDropReason::hairpin_failed
                                       : PlatDropReason::fragment_no_state);
            }
            client.address = *known;
            change_port = false;
            break;
        }
        case PacketKind::query: {
            const Outcome4 outcome = c.table.from_ipv4(in->tuple, in->flags, c.now, view->bytes());
            if (outcome.verdict != StateVerdict::forward) {
                ++c.counters.state_drops;
                if (hairpin) return drop(c, PlatDropReason::hairpin_failed);
                const StateReply reply = reply_for_state_drop(outcome.reason, protocol, false);
                return originated(c, send_state_error(buffer, reply, mapping));
            }
            client = outcome.destination6;
            if (in->first_fragment) c.flows.remember(key, client.address, c.now);
            break;
        }
    }

    const auto result = xlat::translate_ipv4_to_ipv6(buffer, fragments, mapping, settings);
    if (result.verdict == xlat::Verdict::drop)
        return hairpin ? drop(c, PlatDropReason::hairpin_failed) : drop(c, result.reason);
    if (result.verdict == xlat::Verdict::icmp_error) {
        // Time Exceeded / Fragmentation Needed to the IPv4 sender, quoting its packet as received.
        if (hairpin) return drop(c, PlatDropReason::hairpin_failed);
        ++c.counters.xlat_drops[static_cast<std::size_t>(result.reason)];
        ++c.counters.icmp_errors_sent;
        return {result, false};
    }
    const xlat::Rfc6052Prefix* pool6 = hairpin && mapping.pool6() ? &*mapping.pool6() : nullptr;
    const bool in_fragments = result.fragment_count >= 2;
    if (in_fragments) {
        std::size_t at = 0;
        for (std::size_t i = 0; i < result.fragment_count; ++i) {
            const std::size_t length = result.fragment_lengths[i];
            rewrite_output_4to6(fragments.subspan(at, length), client, protocol, change_port,
                                pool6);
            at += length;
        }
    } else {
        rewrite_output_4to6(buffer.data(), client, protocol, change_port, pool6);
    }
    if (hairpin)
        ++c.counters.hairpinned;
    else
        ++c.counters.translated_4to6;
    return {result, in_fragments};
}

// RFC 6146 3.6 for an ICMPv6 error from the IPv6 side: the quote is (Y',y) -> (X',x); X' and x
// become the stand-in of T and t before xlat translates it (the ICMPv6 checksum follows, so xlat's
// check of it still holds exactly when it held on arrival).
PlatResult relay_icmpv6_error(Context& c, pk::PacketBuffer& buffer, const Incoming6& in) noexcept {
    const auto binding = c.table.find_ipv4_binding(in.tuple.protocol, in.tuple.source);
    if (!binding) return drop(c, PlatDropReason::icmp_error_no_session);
    // An error about a hairpinned packet names two of the PLAT's own sessions; not relayed.
    if (is_hairpin(c.table, in.tuple.destination.address))
        return drop(c, PlatDropReason::hairpin_failed);
    const auto bytes = buffer.data();
    const ChecksumDelta delta = rewrite_ipv6_endpoint(
        bytes, in.endpoint, {stand_in_address(binding->address), binding->port}, true);
    const std::size_t checksum_at = in.icmp_offset + 2;
    net::store_be16(bytes, checksum_at, delta.apply(net::load_be16(bytes, checksum_at)));
    const auto result = xlat::translate_ipv6_to_ipv4(buffer, c.parts.mapping, c.parts.settings,
                                                     next_ipv4_identification());
    if (result.verdict != xlat::Verdict::translated) return drop(c, result.reason);
    ++c.counters.icmp_errors_relayed;
    return {result, false};
}

PlatResult process_6to4(Context& c, pk::PacketBuffer& buffer,
                        std::span<std::byte> fragments) noexcept {
    const auto& mapping = c.parts.mapping;
    const auto view = pk::Ipv6View::parse(buffer.data());
    if (!view) return drop(c, xlat::DropReason::malformed_ipv6);
    // RFC 6146 3.5: only destinations under pool6; sources under it are loops.
    if (!mapping.pool6() || !mapping.pool6()->contains(view->destination()))
        return drop(c, PlatDropReason::not_pool6_destination);
    if (!valid_ipv6_client(view->source(), mapping)) return drop(c, PlatDropReason::invalid_source);

    const auto in = incoming_tuple_6(*view, mapping);
    if (!in) {
        if (!in.error().translator && in.error().plat == PlatDropReason::unsupported_protocol) {
            // RFC 6146 3.4: other protocols are dropped with ICMPv6 Port Unreachable.
            (void)drop(c, in.error());
            return originated(c, xlat::reply_with_icmpv6_error(
                                     buffer, view->bytes().size(), mapping,
                                     {kIcmpv6DestinationUnreachable, kIcmpv6PortUnreachable, 0},
                                     xlat::DropReason::unsupported_protocol));
        }
        return drop(c, in.error());
    }

    Ipv4Transport source4;
    bool change_port = true;
    switch (in->kind) {
        case PacketKind::icmp_error:
            return relay_icmpv6_error(c, buffer, *in);
        case PacketKind::later_fragment: {
            // No ports: the client's paired pool4 address (RFC 6888 / RFC 4787 paired pooling)
            // is the source of every packet it sends.
            const auto paired = c.table.paired_address(in->tuple.source.address);
            if (!paired) return drop(c, PlatDropReason::fragment_no_state);
            source4.address = *paired;
            change_port = false;
            break;
        }
        case PacketKind::query: {
            const Outcome6 outcome = c.table.from_ipv6(in->tuple, in->flags, c.now);
            if (outcome.verdict != StateVerdict::forward) {
                ++c.counters.state_drops;
                const StateReply reply =
                    reply_for_state_drop(outcome.reason, in->tuple.protocol, true);
                return originated(c, send_state_error(buffer, reply, mapping));
            }
            source4 = outcome.source4;
            break;
        }
    }

    // RFC 6146 3.6 / 3.7: (X',x) becomes (T,t): the stand-in of T goes in here, xlat maps it to T.
    const SavedEndpoint saved = save_endpoint(buffer.data(), in->endpoint);
    (void)rewrite_ipv6_endpoint(buffer.data(), in->endpoint,
                                {stand_in_address(source4.address), source4.port}, change_port);
    const bool hairpin = is_hairpin(c.table, in->tuple.destination.address);
    const auto result =
        xlat::translate_ipv6_to_ipv4(buffer, mapping, c.parts.settings, next_ipv4_identification());
    switch (result.verdict) {
        case xlat::Verdict::drop:
            return drop(c, result.reason);
        case xlat::Verdict::icmp_error:
            undo_rewrite_in_error(buffer.data(), in->endpoint, saved);
            ++c.counters.xlat_drops[static_cast<std::size_t>(result.reason)];
            ++c.counters.icmp_errors_sent;
            return {result, false};
        case xlat::Verdict::translated:
            break;
    }
    if (!hairpin) {
        ++c.counters.translated_6to4;
        return {result, false};
    }
    // RFC 6146 3.8: back in as an IPv4 packet to one of our own addresses.
    if (result.fragment_count != 1) return drop(c, PlatDropReason::hairpin_failed);
    return process_4to6(c, buffer, fragments, hairpin_settings(c.parts.settings), true);
}

void add_problem(std::string& problems, const std::string& problem) {
    if (!problems.empty()) problems += '\n';
    problems += problem;
}

}  // namespace

std::string_view to_string(PlatDropReason reason) noexcept {
    switch (reason) {
        case PlatDropReason::not_pool6_destination:
            return "not_pool6_destination";
        case PlatDropReason::not_pool4_destination:
            return "not_pool4_destination";
        case PlatDropReason::unsupported_protocol:
            return "unsupported_protocol";
        case PlatDropReason::icmp_not_query:
            return "icmp_not_query";
        case PlatDropReason::icmp_error_no_session:
            return "icmp_error_no_session";
        case PlatDropReason::icmp_error_malformed:
            return "icmp_error_malformed";
        case PlatDropReason::fragment_no_state:
            return "fragment_no_state";
        case PlatDropReason::invalid_source:
            return "invalid_source";
        case PlatDropReason::hairpin_failed:
            return "hairpin_failed";
        case PlatDropReason::unknown_ip_version:
            return "unknown_ip_version";
    }
    return "unknown";
}

Result<xlat::TranslatorParts> make_plat_translator(const config::TranslationConfig& translation,
                                                   const config::PlatConfig& plat) {
    std::string problems;
    const std::optional<net::Ipv6Prefix>& pool6 = plat.prefix.value;
    if (!pool6) add_problem(problems, "plat.prefix is not set: the PLAT needs its pool6 prefix");
    if (plat.pool4.empty()) add_problem(problems, "plat.pool4 is empty: the PLAT needs addresses");
    // The stand-ins (plat/outgoing_tuple.hpp) live in ::ffff:0:0/96: nothing else may use it.
    const net::Ipv6Prefix mapped(stand_in_address(net::Ipv4Address()), 96);
    if (pool6 && (pool6->contains(mapped) || mapped.contains(*pool6)))
        add_problem(problems, "plat.prefix " + pool6->to_string() +
                                  " overlaps ::ffff:0:0/96, which the PLAT reserves for its "
                                  "internal pool4 mapping (and RFC 4291 2.5.5.2 for IPv4-mapped "
                                  "addresses)");
    for (const config::EamEntry& entry : translation.eam) {
        if (mapped.contains(entry.ipv6) || entry.ipv6.contains(mapped))
            add_problem(problems, "translation.eam " + entry.ipv6.to_string() +
                                      " overlaps ::ffff:0:0/96, which the PLAT reserves for its "
                                      "internal pool4 mapping");
    }
    if (!problems.empty()) return make_error(std::errc::invalid_argument, std::move(problems));

    // One EAM per pool4 prefix, and per static BIB address outside pool4, to its stand-in.
    std::vector<config::EamEntry> stand_ins;
    for (const config::Pool4Entry& entry : plat.pool4)
        stand_ins.push_back({entry.prefix, stand_in_prefix(entry.prefix)});
    for (const config::StaticBibEntry& entry : plat.static_bib) {
        bool covered = false;
        for (const config::EamEntry& known : stand_ins)
            covered = covered || known.ipv4.contains(entry.ipv4);
        if (!covered) {
            const net::Ipv4Prefix single(entry.ipv4, 32);
            stand_ins.push_back({single, stand_in_prefix(single)});
        }
    }

    config::TranslationConfig own = translation;
    const net::Ipv4Address own4 =
        own.ipv4_address.value.value_or(plat.pool4.front().prefix.address());
    if (!own.ipv4_address.value) own.ipv4_address.set(own4, config::Origin::derived, "plat.pool4");
    if (!own.ipv6_address.value) {
        auto prefix = xlat::Rfc6052Prefix::create(*pool6);
        if (prefix)
            own.ipv6_address.set(prefix->embed(own4), config::Origin::derived, "plat.prefix");
    }
    return xlat::make_translator(own, pool6, stand_ins);
}

PlatTranslator::PlatTranslator(SessionTable& table, xlat::TranslatorParts parts) noexcept
    : table_(table), parts_(std::move(parts)), fragment_flows_(std::make_shared<FragmentFlows>()) {}

PlatResult PlatTranslator::process(pk::PacketBuffer& buffer, std::span<std::byte> fragments,
                                   Millis now, PlatCounters& counters) const noexcept {
    Context c{table_, parts_, *fragment_flows_, counters, now};
    if (buffer.empty()) return drop(c, PlatDropReason::unknown_ip_version);
    switch (std::to_integer<std::uint8_t>(buffer.data()[0]) >> 4) {
        case 6:
            return process_6to4(c, buffer, fragments);
        case 4:
            return process_4to6(c, buffer, fragments, parts_.settings, false);
        default:
            return drop(c, PlatDropReason::unknown_ip_version);
    }
}

bool PlatTranslator::answer_held_syn(std::span<const std::byte> held,
                                     pk::PacketBuffer& out) const noexcept {
    if (!out.assign(held)) return false;
    const auto view = pk::Ipv4View::parse_truncated(out.data());
    if (!view) return false;
    // RFC 6146 3.5.2.2: Port Unreachable, from the pool4 address the SYN was sent to.
    return icmp4_error_from(out, *view, kIcmpDestinationUnreachable, kIcmpPortUnreachable,
                            view->destination(), parts_.mapping);
}

}  // namespace sixgate::plat
