#pragma once
// RFC 7915 4.2 and 5.2 (ICMP type/code and Parameter Problem pointer tables), RFC 4884 (length of
// ICMP multi-part messages). Entry points: translate_icmp4_header, translate_icmp6_header,
// map_pointer_4to6, map_pointer_6to4, icmp_extension_offset, plan_icmp_extension.
//
// Pure header-level decisions: no packet bytes are read or written here. The translator reads
// type, code and the first word of the rest-of-header, asks for a decision, and builds the
// translated message from it (checksums, the inner packet of 4.3/5.3 and MTUs are its job;
// MTUs come from xlat/mtu.hpp). Every (type, code) pair has a defined outcome.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace sixgate::xlat {

// Why an ICMP message was not translated (one drop counter each). snake_case names are stable:
// they are counter and metric label names.
enum class IcmpDropReason : std::uint8_t {
    icmp4_type_obsolete,    // Source Quench, Timestamp, Information, Address Mask: gone in ICMPv6
    icmp4_type_single_hop,  // Redirect, Router Advertisement, Router Solicitation
    icmp4_type_untranslatable,     // Alternative Host Address and every type RFC 7915 4.2 does not
                                   // list
    icmp4_code_untranslatable,     // a listed type whose code the RFC drops or does not list
    icmp4_pointer_untranslatable,  // Parameter Problem pointer not in Figure 3, or "n/a" there
    icmp6_type_single_hop,         // MLD (130-132) and Neighbor Discovery (133-137)
    icmp6_informational_unknown,   // any other informational type (128-255)
    icmp6_error_unknown,           // any error type (0-127) other than 1, 2, 3, 4
    icmp6_code_untranslatable,     // a listed type whose code the RFC drops or does not list
    icmp6_pointer_untranslatable,  // Parameter Problem pointer not in Figure 6, or "n/a" there
};

inline constexpr std::size_t kIcmpDropReasonCount = 10;

std::string_view to_string(IcmpDropReason reason) noexcept;

// What the translated message's second word (bytes 4..7) carries.
enum class IcmpRestOfHeader : std::uint8_t {
    echo,    // identifier and sequence number carried over; a stateful caller remaps the identifier
    unused,  // zero, except for an RFC 4884 length field (see IcmpExtensionHandling)
    pointer,  // Parameter Problem pointer: IcmpTranslation::pointer
    mtu,      // Packet Too Big / Fragmentation Needed MTU: computed with xlat/mtu.hpp
};

// What to do with an RFC 4884 extension behind the quoted packet.
enum class IcmpExtensionHandling : std::uint8_t {
    none,  // neither message type has a length field (echo, Parameter Problem 6->4, ...)
    translate_length,  // both have one: keep the extension, recompute the length
                       // (plan_icmp_extension)
    strip,  // only the incoming type has one: cut the quoted packet at the length and drop
            // whatever follows it, since the outgoing type cannot say where it would start
};

enum class IcmpVerdict : std::uint8_t { translate, drop };

// One decision. When verdict is drop only reason is meaningful (and vice versa).
struct IcmpTranslation {
    IcmpVerdict verdict = IcmpVerdict::drop;
    std::uint8_t type = 0;
    std::uint8_t code = 0;
    IcmpRestOfHeader rest = IcmpRestOfHeader::unused;
    std::uint32_t pointer = 0;  // only with rest == pointer; fits in 8 bits for ICMPv4
    IcmpExtensionHandling extension = IcmpExtensionHandling::none;
    bool is_error = false;  // an error message: its quoted packet is translated too (4.3, 5.3)
    IcmpDropReason reason = IcmpDropReason::icmp4_type_untranslatable;

    constexpr bool translated() const noexcept { return verdict == IcmpVerdict::translate; }
    friend constexpr bool operator==(const IcmpTranslation&, const IcmpTranslation&) = default;
};

// ICMP numbers used by the tables (RFC 792, RFC 4443 and the IANA registries).
namespace icmp4 {
inline constexpr std::uint8_t kEchoReply = 0;
inline constexpr std::uint8_t kDestinationUnreachable = 3;
inline constexpr std::uint8_t kSourceQuench = 4;
inline constexpr std::uint8_t kRedirect = 5;
inline constexpr std::uint8_t kAlternateHostAddress = 6;
inline constexpr std::uint8_t kEchoRequest = 8;
inline constexpr std::uint8_t kRouterAdvertisement = 9;
inline constexpr std::uint8_t kRouterSolicitation = 10;
inline constexpr std::uint8_t kTimeExceeded = 11;
inline constexpr std::uint8_t kParameterProblem = 12;
inline constexpr std::uint8_t kTimestamp = 13;
inline constexpr std::uint8_t kTimestampReply = 14;
inline constexpr std::uint8_t kInformationRequest = 15;
inline constexpr std::uint8_t kInformationReply = 16;
inline constexpr std::uint8_t kAddressMaskRequest = 17;
inline constexpr std::uint8_t kAddressMaskReply = 18;
// Destination Unreachable codes.
inline constexpr std::uint8_t kProtocolUnreachable = 2;
inline constexpr std::uint8_t kPortUnreachable = 3;
inline constexpr std::uint8_t kFragmentationNeeded = 4;
}  // namespace icmp4

namespace icmp6 {
inline constexpr std::uint8_t kDestinationUnreachable = 1;
inline constexpr std::uint8_t kPacketTooBig = 2;
inline constexpr std::uint8_t kTimeExceeded = 3;
inline constexpr std::uint8_t kParameterProblem = 4;
inline constexpr std::uint8_t kEchoRequest = 128;
inline constexpr std::uint8_t kEchoReply = 129;
inline constexpr std::uint8_t kFirstSingleHop = 130;  // MLD Query
inline constexpr std::uint8_t kLastSingleHop = 137;   // Redirect
// Parameter Problem codes.
inline constexpr std::uint8_t kErroneousHeaderField = 0;
inline constexpr std::uint8_t kUnrecognizedNextHeader = 1;
inline constexpr std::uint8_t kUnrecognizedOption = 2;
// Offset of the Next Header field in the IPv6 header.
inline constexpr std::uint32_t kNextHeaderOffset = 6;
}  // namespace icmp6

// RFC 7915 4.2, Figure 3: the IPv4 header octet a Parameter Problem points at, to the IPv6 header
// octet that holds the same field. nullopt: the value is not listed or is "n/a" (drop).
// clang-format off
constexpr std::optional<std::uint8_t> map_pointer_4to6(std::uint8_t pointer) noexcept {
    switch (pointer) {
        case 0: return 0;  // Version/IHL -> Version/TC
        case 1: return 1;  // Type Of Service -> TC/Flow Label
        case 2: case 3: return 4;  // Total Length -> Payload Length
        case 8: return 7;  // Time to Live -> Hop Limit
        case 9: return 6;  // Protocol -> Next Header
        case 12: case 13: case 14: case 15: return 8;  // Source Address
        case 16: case 17: case 18: case 19: return 24;  // Destination Address
        default: return std::nullopt;  // 4-7 (Identification, Flags/Fragment Offset), 10-11
                                       // (Header Checksum) are "n/a"; 20+ (options) unlisted
    }
}

// RFC 7915 5.2, Figure 6: the IPv6 header octet to the IPv4 header octet of the same field.
constexpr std::optional<std::uint8_t> map_pointer_6to4(std::uint32_t pointer) noexcept {
    if (pointer <= 1) return static_cast<std::uint8_t>(pointer);  // Version/TC, TC/Flow Label
    if (pointer <= 3) return std::nullopt;  // Flow Label: "n/a"
    if (pointer <= 5) return 2;  // Payload Length -> Total Length
    if (pointer == 6) return 9;  // Next Header -> Protocol
    if (pointer == 7) return 8;  // Hop Limit -> Time to Live
    if (pointer <= 23) return 12;  // Source Address
    if (pointer <= 39) return 16;  // Destination Address
    return std::nullopt;  // past the fixed header: not listed
}
// clang-format on

namespace detail {
constexpr IcmpTranslation drop(IcmpDropReason reason) noexcept {
    IcmpTranslation t;
    t.verdict = IcmpVerdict::drop;
    t.reason = reason;
    return t;
}
constexpr IcmpTranslation to(std::uint8_t type, std::uint8_t code, IcmpRestOfHeader rest,
                             IcmpExtensionHandling extension, bool is_error,
                             std::uint32_t pointer = 0) noexcept {
    IcmpTranslation t;
    t.verdict = IcmpVerdict::translate;
    t.type = type;
    t.code = code;
    t.rest = rest;
    t.pointer = pointer;
    t.extension = extension;
    t.is_error = is_error;
    return t;
}
}  // namespace detail

// RFC 7915 4.2: what an ICMPv4 message (type, code) becomes in ICMPv6. pointer is the first octet
// of the rest-of-header, read only for Parameter Problem.
constexpr IcmpTranslation translate_icmp4_header(std::uint8_t type, std::uint8_t code,
                                                 std::uint8_t pointer = 0) noexcept {
    using R = IcmpRestOfHeader;
    using E = IcmpExtensionHandling;
    using D = IcmpDropReason;
    switch (type) {
        // Echo and Echo Reply: types 128 and 129. Only the type changes, so the code is carried.
        case icmp4::kEchoRequest:
            return detail::to(icmp6::kEchoRequest, code, R::echo, E::none, false);
        case icmp4::kEchoReply:
            return detail::to(icmp6::kEchoReply, code, R::echo, E::none, false);
        // Information, Timestamp and Address Mask messages are obsolete in ICMPv6: silently drop.
        case icmp4::kInformationRequest:
        case icmp4::kInformationReply:
        case icmp4::kTimestamp:
        case icmp4::kTimestampReply:
        case icmp4::kAddressMaskRequest:
        case icmp4::kAddressMaskReply:
            return detail::drop(D::icmp4_type_obsolete);
        // Router Advertisement and Solicitation are single-hop: silently drop.
        case icmp4::kRouterAdvertisement:
        case icmp4::kRouterSolicitation:
            return detail::drop(D::icmp4_type_single_hop);
        case icmp4::kDestinationUnreachable:
            // Type 1 with the code translated below; RFC 4884 allows extensions on both ends.
            switch (code) {
                case 0:
                case 1:  // Net, Host Unreachable -> No route to destination
                case 5:  // Source Route Failed -> No route (source routes are not translated)
                case 6:
                case 7:
                case 8:  // unknown network/host, host isolated -> No route
                case 11:
                case 12:  // network/host unreachable for TOS -> No route
                    return detail::to(icmp6::kDestinationUnreachable, 0, R::unused,
                                      E::translate_length, true);
                case icmp4::kProtocolUnreachable:
                    // Becomes Parameter Problem, Unrecognized Next Header, pointing at the
                    // IPv6 Next Header field. ICMPv6 Parameter Problem has no length field.
                    return detail::to(icmp6::kParameterProblem, icmp6::kUnrecognizedNextHeader,
                                      R::pointer, E::strip, true, icmp6::kNextHeaderOffset);
                case icmp4::kPortUnreachable:
                    return detail::to(icmp6::kDestinationUnreachable, 4, R::unused,
                                      E::translate_length, true);
                case icmp4::kFragmentationNeeded:
                    // Packet Too Big, code 0; the MTU rule is in xlat/mtu.hpp. ICMPv6 Packet Too
                    // Big has no length field (its second word is the MTU).
                    return detail::to(icmp6::kPacketTooBig, 0, R::mtu, E::strip, true);
                case 9:
                case 10:  // destination network/host administratively prohibited
                case 13:  // communication administratively prohibited
                case 15:  // precedence cutoff in effect
                    return detail::to(icmp6::kDestinationUnreachable, 1, R::unused,
                                      E::translate_length, true);
                default:  // 14 (Host Precedence Violation) and codes the RFC does not list
                    return detail::drop(D::icmp4_code_untranslatable);
            }
        // Redirect is single-hop; Alternative Host Address is dropped; Source Quench is obsolete.
        case icmp4::kRedirect:
            return detail::drop(D::icmp4_type_single_hop);
        case icmp4::kAlternateHostAddress:
            return detail::drop(D::icmp4_type_untranslatable);
        case icmp4::kSourceQuench:
            return detail::drop(D::icmp4_type_obsolete);
        // Time Exceeded: type 3, the code is unchanged.
        case icmp4::kTimeExceeded:
            return detail::to(icmp6::kTimeExceeded, code, R::unused, E::translate_length, true);
        case icmp4::kParameterProblem:
            // Codes 0 (pointer indicates the error) and 2 (bad length) become code 0 with the
            // pointer moved through Figure 3; code 1 (missing a required option) and unlisted
            // codes are dropped. ICMPv6 Parameter Problem has no length field.
            if (code == 0 || code == 2) {
                const auto mapped = map_pointer_4to6(pointer);
                if (!mapped) return detail::drop(D::icmp4_pointer_untranslatable);
                return detail::to(icmp6::kParameterProblem, icmp6::kErroneousHeaderField,
                                  R::pointer, E::strip, true, *mapped);
            }
            return detail::drop(D::icmp4_code_untranslatable);
        default:
            // Unknown ICMPv4 types: silently drop.
            return detail::drop(D::icmp4_type_untranslatable);
    }
}

// RFC 7915 5.2: what an ICMPv6 message (type, code) becomes in ICMPv4. pointer is the
// rest-of-header word, read only for Parameter Problem.
constexpr IcmpTranslation translate_icmp6_header(std::uint8_t type, std::uint8_t code,
                                                 std::uint32_t pointer = 0) noexcept {
    using R = IcmpRestOfHeader;
    using E = IcmpExtensionHandling;
    using D = IcmpDropReason;
    switch (type) {
        // Echo Request and Reply: types 8 and 0. Only the type changes, so the code is carried.
        case icmp6::kEchoRequest:
            return detail::to(icmp4::kEchoRequest, code, R::echo, E::none, false);
        case icmp6::kEchoReply:
            return detail::to(icmp4::kEchoReply, code, R::echo, E::none, false);
        case icmp6::kDestinationUnreachable:
            // Type 3 with the code translated below; RFC 4884 allows extensions on both ends.
            switch (code) {
                case 0:  // No route to destination -> Host unreachable
                case 2:  // Beyond scope of source address -> Host unreachable
                case 3:  // Address unreachable -> Host unreachable
                    return detail::to(icmp4::kDestinationUnreachable, 1, R::unused,
                                      E::translate_length, true);
                case 1:  // administratively prohibited -> destination host administratively
                         // prohibited
                    return detail::to(icmp4::kDestinationUnreachable, 10, R::unused,
                                      E::translate_length, true);
                case 4:  // Port unreachable
                    return detail::to(icmp4::kDestinationUnreachable, icmp4::kPortUnreachable,
                                      R::unused, E::translate_length, true);
                default:  // 5, 6, 7, 8 and unassigned codes: the RFC drops "other code values"
                    return detail::drop(D::icmp6_code_untranslatable);
            }
        case icmp6::kPacketTooBig:
            // Destination Unreachable, Fragmentation Needed; MTU rule in xlat/mtu.hpp. The
            // ICMPv6 message has no length field, so there is no extension to carry.
            return detail::to(icmp4::kDestinationUnreachable, icmp4::kFragmentationNeeded, R::mtu,
                              E::none, true);
        case icmp6::kTimeExceeded:
            // Type 11, the code is unchanged.
            return detail::to(icmp4::kTimeExceeded, code, R::unused, E::translate_length, true);
        case icmp6::kParameterProblem:
            switch (code) {
                case icmp6::kErroneousHeaderField: {
                    // Type 12 code 0, pointer moved through Figure 6; drop when unlisted or "n/a".
                    const auto mapped = map_pointer_6to4(pointer);
                    if (!mapped) return detail::drop(D::icmp6_pointer_untranslatable);
                    return detail::to(icmp4::kParameterProblem, 0, R::pointer, E::none, true,
                                      *mapped);
                }
                case icmp6::kUnrecognizedNextHeader:
                    // Protocol Unreachable. Its second word is unused (there is no pointer).
                    return detail::to(icmp4::kDestinationUnreachable, icmp4::kProtocolUnreachable,
                                      R::unused, E::none, true);
                default:  // 2 (unrecognized option): silently drop; later codes are not listed
                    return detail::drop(D::icmp6_code_untranslatable);
            }
        default:
            // MLD and ND messages are single-hop; other informational and error types are
            // unknown: silently drop.
            if (type >= icmp6::kFirstSingleHop && type <= icmp6::kLastSingleHop) {
                return detail::drop(D::icmp6_type_single_hop);
            }
            return detail::drop(type >= 128 ? D::icmp6_informational_unknown
                                            : D::icmp6_error_unknown);
    }
}

// ---- RFC 4884 multi-part messages -------------------------------------------------------------

// The IP version an ICMP message belongs to: it fixes the unit of the RFC 4884 length field
// (32-bit words for ICMPv4, 64-bit words for ICMPv6) and the largest error message.
enum class IcmpFamily : std::uint8_t { v4, v6 };

constexpr std::size_t icmp_length_unit(IcmpFamily family) noexcept {
    return family == IcmpFamily::v4 ? 4 : 8;
}

// RFC 4884 4/5: with an extension present the quoted datagram is padded to at least 128 octets.
inline constexpr std::size_t kIcmpExtensionMinimumOriginalDatagram = 128;
// Bytes after the 8-byte ICMP header that a translated error may carry: RFC 1812 4.3.2.3 (576
// octets for an ICMPv4 error) and RFC 4443 2.4(c) (the IPv6 minimum MTU, 1280, for ICMPv6),
// less the IP and ICMP headers.
inline constexpr std::size_t kIcmp4ErrorMaxPayload = 576 - 20 - 8;
inline constexpr std::size_t kIcmp6ErrorMaxPayload = 1280 - 40 - 8;

enum class IcmpExtensionPresence : std::uint8_t {
    absent,     // length 0 (RFC 792/4443 message), or the length spans the whole payload
    present,    // an extension starts at IcmpExtensionLocation::offset
    malformed,  // the length points past the end of the message
};

struct IcmpExtensionLocation {
    IcmpExtensionPresence presence = IcmpExtensionPresence::absent;
    std::size_t offset = 0;  // from the end of the 8-byte ICMP header; also the padded length of
                             // the quoted datagram when present
    friend constexpr bool operator==(const IcmpExtensionLocation&,
                                     const IcmpExtensionLocation&) = default;
};

// Where an incoming message's extension starts. payload_length counts the bytes after the
// 8-byte ICMP header.
constexpr IcmpExtensionLocation icmp_extension_offset(IcmpFamily family, std::uint8_t length_field,
                                                      std::size_t payload_length) noexcept {
    // RFC 4884 5: a zero length means no extension (a message in the RFC 792/4443 format).
    if (length_field == 0) return {};
    const std::size_t offset = std::size_t{length_field} * icmp_length_unit(family);
    if (offset > payload_length) return {IcmpExtensionPresence::malformed, offset};
    // Nothing after the quoted datagram: no extension to carry.
    if (offset == payload_length) return {};
    return {IcmpExtensionPresence::present, offset};
}

// How the translated message is laid out behind its ICMP header.
struct IcmpExtensionPlan {
    bool keep_extension = false;
    std::size_t quoted_length = 0;  // bytes of the translated quoted packet to keep
    std::size_t padding = 0;        // zero octets after them, before the extension
    std::uint8_t length_field = 0;  // the outgoing length attribute, in outgoing units
    friend constexpr bool operator==(const IcmpExtensionPlan&, const IcmpExtensionPlan&) = default;
};

// RFC 7915 4.2 / 5.2 "ICMP Error Payload" with RFC 4884: lay out a translated multi-part message.
// translated_quoted_length: the quoted packet once translated (before any padding);
// extension_length: bytes of the incoming extension; max_payload: room after the outgoing ICMP
// header (kIcmp4ErrorMaxPayload / kIcmp6ErrorMaxPayload, or less for a smaller link).
// The extension is kept whole or removed whole: its own checksum covers all of it (RFC 4884 7).
constexpr IcmpExtensionPlan plan_icmp_extension(IcmpFamily to, std::size_t translated_quoted_length,
                                                std::size_t extension_length,
                                                std::size_t max_payload) noexcept {
    const std::size_t unit = icmp_length_unit(to);
    IcmpExtensionPlan plan;
    // DEVIATION(RFC 7915 4.2): "the ICMPv4 extension SHOULD be simply truncated" when it does
    // not fit; a cut extension would fail its RFC 4884 checksum, so it is removed whole and the
    // length attribute set to 0 (plain RFC 4443 message).
    if (extension_length == 0 ||
        extension_length + kIcmpExtensionMinimumOriginalDatagram > max_payload) {
        plan.quoted_length =
            translated_quoted_length < max_payload ? translated_quoted_length : max_payload;
        return plan;
    }
    // Length attribute is 8 bits: the quoted part can never exceed 255 units.
    std::size_t room = max_payload - extension_length;
    if (room > 255 * unit) room = 255 * unit;
    std::size_t quoted = translated_quoted_length < room ? translated_quoted_length : room;
    // RFC 4884 4.1/4.5: padded with zeros to a whole number of units...
    std::size_t padded = (quoted + unit - 1) / unit * unit;
    if (padded > room) {
        quoted = room / unit * unit;
        padded = quoted;
    }
    // ...and to at least 128 octets when an extension follows.
    if (padded < kIcmpExtensionMinimumOriginalDatagram)
        padded = kIcmpExtensionMinimumOriginalDatagram;
    plan.keep_extension = true;
    plan.quoted_length = quoted;
    plan.padding = padded - quoted;
    plan.length_field = static_cast<std::uint8_t>(padded / unit);
    return plan;
}

}  // namespace sixgate::xlat
