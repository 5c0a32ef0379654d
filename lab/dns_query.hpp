#pragma once
// The lab's DNS check: an AAAA query (RFC 1035 4.1, RFC 3596 2.1) and the parse of its answer, small
// and strict enough to prove what a DNS64 resolver (RFC 6147) synthesized.
// Entry points: encode_aaaa_query(), parse_aaaa_answer().

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "net/ip_address.hpp"
#include "net/result.hpp"

namespace sixgate::lab {

inline constexpr std::uint16_t kDnsTypeAaaa = 28;  // RFC 3596 2.1
inline constexpr std::uint16_t kDnsClassIn = 1;

// A query for the AAAA records of `name` ("intranet-v4.corp.example", a trailing dot allowed),
// recursion desired. Error: invalid_argument for a name that is not labels of 1..63 bytes.
Result<std::vector<std::uint8_t>> encode_aaaa_query(std::uint16_t id, std::string_view name);

// The AAAA addresses in the answer section of a reply to query `id`, in order (CNAMEs and other
// records skipped). Errors: bad_message for a truncated or malformed message, a reply to another
// id, or not a response; protocol_error for an RCODE other than NOERROR ("rcode=3 NXDOMAIN").
Result<std::vector<net::Ipv6Address>> parse_aaaa_answer(std::span<const std::uint8_t> message, std::uint16_t id);

}  // namespace sixgate::lab
