#pragma once
// The stateful NAT64's packet path (RFC 6146 3.4-3.8), one packet at a time, in the steps the RFC
// names (DESIGN.md: plat/incoming_tuple, filtering_and_updating, outgoing_tuple, hairpinning), with
// the header translation itself done by the stateless translator (xlat/, RFC 7915 as RFC 6146 3.7
// asks) and the addresses and ports rewritten from the session table's answer.
//
// Direction comes from the version nibble: IPv6 packets (to the pool6 prefix) go 6 -> 4, IPv4
// packets (to a pool4 or static BIB address) go 4 -> 6; the result goes back into the TUN, where
// the kernel routes it. No allocation, exception or log line per packet; every drop is counted.
// Entry points: make_plat_translator, PlatTranslator::process, PlatTranslator::answer_held_syn.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

#include "config/config.hpp"
#include "net/packet/packet_buffer.hpp"
#include "net/result.hpp"
#include "plat/plat_types.hpp"
#include "plat/session_table.hpp"
#include "xlat/translation.hpp"
#include "xlat/translator_config.hpp"

namespace sixgate::plat {

class FragmentFlows;  // plat/fragment_flows.hpp

// Why the PLAT itself (outside the table and the translator) dropped a packet. Stable names.
enum class PlatDropReason : std::uint8_t {
    not_pool6_destination,     // IPv6 destination outside the pool6 prefix
    not_pool4_destination,     // IPv4 destination neither pool4 nor a static BIB address
    unsupported_protocol,      // neither TCP, UDP nor ICMP (RFC 6146 3.1 handles only these)
    icmp_not_query,            // ICMP informational other than Echo (RFC 6146 3.5.3)
    icmp_error_no_session,     // an ICMP error quoting a transport address with no BIB entry
    icmp_error_malformed,      // an ICMP error whose quoted packet cannot be read
    fragment_no_state,         // a non-first fragment with no flow known for it (out of order)
    invalid_source,            // IPv6 source not unicast (multicast, unspecified, IPv4-mapped) or
                               // under pool6 (RFC 6146 3.5: a hairpinning loop)
    hairpin_failed,            // a hairpinned packet (3.8) the second pass could not deliver
    unknown_ip_version,
};
inline constexpr std::size_t kPlatDropReasonCount = 10;
std::string_view to_string(PlatDropReason reason) noexcept;

// Per data-path thread (plain integers: one thread writes them; the owner sums snapshots).
struct PlatCounters {
    std::uint64_t translated_6to4 = 0;
    std::uint64_t translated_4to6 = 0;
    std::uint64_t hairpinned = 0;             // RFC 6146 3.8
    std::uint64_t icmp_errors_relayed = 0;    // ICMP errors translated to the right session
    std::uint64_t icmp_errors_sent = 0;       // errors the PLAT originated (3.5.1.1, 3.5.2.2, ...)
    std::array<std::uint64_t, kPlatDropReasonCount> plat_drops{};
    std::array<std::uint64_t, xlat::kDropReasonCount> xlat_drops{};
    // The table counts its own drops (StateDrop); these are the packets that met them.
    std::uint64_t state_drops = 0;
};

// What to write back into the TUN.
struct PlatResult {
    // translated or icmp_error: the packet(s) to write; drop: nothing (already counted).
    xlat::TranslationResult xlat;
    // true: the fragments are back to back at the start of the `fragments` span given to
    // process() (IPv4 -> IPv6 fragmentation); false: in the buffer (one packet or fragments).
    bool in_fragments = false;
};

// The stateless translator as the PLAT uses it: pool6 = plat.prefix, the config's `translation:`
// section, own IPv4 address = translation.ipv4_address or else the first pool4 address, own IPv6
// = translation.ipv6_address or else pool6 + own IPv4; plus whatever the PLAT's address rewrite
// needs (the .cpp says how).
Result<xlat::TranslatorParts> make_plat_translator(const config::TranslationConfig& translation,
                                                   const config::PlatConfig& plat);

class PlatTranslator {
public:
    // `table` must outlive the translator. `parts` from make_plat_translator.
    PlatTranslator(SessionTable& table, xlat::TranslatorParts parts) noexcept;

    // One packet read from the TUN, translated in place. `fragments` is a scratch area of at least
    // 64 KiB + 64 * 48 bytes for IPv4 -> IPv6 fragmentation. Thread-safe (const but for the
    // table, which locks its shards); `counters` belongs to the calling thread.
    PlatResult process(net::packet::PacketBuffer& buffer, std::span<std::byte> fragments,
                       Millis now, PlatCounters& counters) const noexcept;

    // RFC 6146 3.5.2.2: a held V4 SYN whose TCP_INCOMING_SYN passed is answered with ICMP
    // Destination Unreachable, Port Unreachable (type 3 code 3), quoting it. Writes the ICMPv4
    // packet into `out`; false if `held` cannot be read.
    bool answer_held_syn(std::span<const std::byte> held,
                         net::packet::PacketBuffer& out) const noexcept;

    const xlat::TranslatorParts& parts() const noexcept { return parts_; }

private:
    SessionTable& table_;
    xlat::TranslatorParts parts_;
    // IPv4 fragments after the first: the client the first one went to (shared by copies).
    std::shared_ptr<FragmentFlows> fragment_flows_;
};

}  // namespace sixgate::plat
