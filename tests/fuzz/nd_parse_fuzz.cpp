// Fuzzes the ND receive path: parse_router_advertisement, parse_router_solicitation and the single
// option parsers must accept or drop any bytes without reading out of bounds, and whatever parses
// must build back into a message that parses to the same value.
//
// Input: an ICMPv6 message. Each input is parsed twice: as given (so the checksum usually fails)
// and with its checksum fixed for fe80::1 -> ff02::1, so the fuzzer reaches the option code.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "net/ip_address.hpp"
#include "net/nd/option_parsers.hpp"
#include "net/nd/option_view.hpp"
#include "net/nd/router_messages.hpp"

namespace {

using namespace sixgate::net;
using namespace sixgate::net::nd;

const Ipv6Address kSource(Ipv6Address::Bytes{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
const Ipv6Address kDestination(Ipv6Address::Bytes{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                  1});

void require(bool condition) {
    if (!condition) std::abort();
}

void check_round_trip(const RouterAdvertisement& ra) {
    std::vector<std::uint8_t> buffer(65536);
    auto length = build_router_advertisement(ra, buffer);
    require(length.ok());  // everything a parser accepts must be buildable
    auto message = std::span(buffer).first(*length);
    fill_icmpv6_checksum(message, kSource, kDestination);
    auto again = parse_router_advertisement(message, kNdHopLimit, kSource, kDestination);
    require(again.ok() && *again == ra);
}

void check_round_trip(const RouterSolicitation& rs) {
    std::array<std::uint8_t, 64> buffer;
    auto length = build_router_solicitation(rs, buffer);
    require(length.ok());
    auto message = std::span(buffer).first(*length);
    fill_icmpv6_checksum(message, kSource, kDestination);
    auto again = parse_router_solicitation(message, kNdHopLimit, kSource, kDestination);
    require(again.ok() && *again == rs);
}

void parse_message(std::span<const std::uint8_t> icmp) {
    auto ra = parse_router_advertisement(icmp, kNdHopLimit, kSource, kDestination);
    if (ra) check_round_trip(*ra);
    auto rs = parse_router_solicitation(icmp, kNdHopLimit, kSource, kDestination);
    if (rs) check_round_trip(*rs);
    // From the unspecified address the RS checks differ (6.1.1); the checksum then fails unless
    // the input was made for it, which is fine: the early checks still run.
    (void)parse_router_solicitation(icmp, kNdHopLimit, Ipv6Address(), kDestination);
}

void parse_options(std::span<const std::uint8_t> bytes) {
    // As RTM_NEWNDUSEROPT delivers them: one option, possibly with trailing bytes.
    (void)parse_source_link_layer_address_option(bytes);
    (void)parse_mtu_option(bytes);
    (void)parse_prefix_information_option(bytes);
    (void)parse_route_information_option(bytes);
    (void)parse_rdnss_option(bytes);
    (void)parse_dnssl_option(bytes);
    (void)parse_pref64_option(bytes);
    if (auto list = NdOptionList::parse(bytes)) {
        std::size_t total = 0;
        for (const NdOptionView option : *list) total += option.size();
        require(total == bytes.size());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // Exactly sized copies, so that ASan sees a read one byte past the end.
    const std::vector<std::uint8_t> as_given(data, data + size);
    parse_message(as_given);
    parse_options(as_given);
    if (size >= 4) {
        std::vector<std::uint8_t> checksummed(data, data + size);
        fill_icmpv6_checksum(checksummed, kSource, kDestination);
        parse_message(checksummed);
    }
    return 0;
}
