#pragma once
// RFC 4861 (RS, RA, SLLA, PIO, MTU), 4191 (RIO, Prf), 8106 (RDNSS, DNSSL), 8781 (PREF64).
// Entry points: build_router_advertisement, fill_icmpv6_checksum, parse_router_*, parse_*_option.

#include "net/nd/drop_reason.hpp"      // IWYU pragma: export
#include "net/nd/option_builders.hpp"  // IWYU pragma: export
#include "net/nd/option_parsers.hpp"   // IWYU pragma: export
#include "net/nd/option_view.hpp"      // IWYU pragma: export
#include "net/nd/options.hpp"          // IWYU pragma: export
#include "net/nd/router_messages.hpp"  // IWYU pragma: export
