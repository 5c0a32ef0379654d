// Fuzzes the IPv4 -> IPv6 translator (RFC 7915 4): any bytes as an IPv4 packet, translated with
// a fixed mapping (pool6 2001:db8:64::/96) and settings picked by the first byte. It must never
// crash or touch memory it does not own, and what comes out must be well formed: an IPv6 packet
// (or fragments that are), or an ICMPv4 error of at most 576 bytes. Any violation aborts.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "net/ip_prefix.hpp"
#include "net/packet/packet.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/ipv4_to_ipv6.hpp"

namespace {

using namespace sixgate;
using namespace sixgate::xlat;
namespace packet = sixgate::net::packet;

void check(bool condition) {
    if (!condition) std::abort();
}

const AddressMapping& fixed_mapping() {
    static const AddressMapping mapping = [] {
        AddressMappingConfig config;
        config.pool6 = *Rfc6052Prefix::create(*net::Ipv6Prefix::parse("2001:db8:64::/96"));
        (void)config.eam.insert(
            {*net::Ipv4Prefix::parse("192.0.2.0/24"), *net::Ipv6Prefix::parse("2001:db8:1::/120")});
        config.own_ipv4 = *net::Ipv4Address::parse("192.0.2.1");
        config.own_ipv6 = *net::Ipv6Address::parse("2001:db8:ffff::1");
        return *AddressMapping::create(config);
    }();
    return mapping;
}

void check_ipv6(std::span<const std::byte> bytes, std::size_t limit) {
    const auto ipv6 = packet::Ipv6View::parse(bytes);
    check(ipv6.has_value());
    check(ipv6->bytes().size() == bytes.size());
    check(bytes.size() <= limit);
    if (ipv6->upper_layer_protocol() == packet::kProtoIcmpv6 && !ipv6->is_fragment()) {
        const auto icmp = packet::Icmpv6View::parse(ipv6->upper_layer_payload());
        check(icmp.has_value());
        // Errors are rebuilt whole: their checksum must verify and they fit the minimum MTU.
        if (icmp->is_error()) {
            check(icmp->checksum_valid(ipv6->source(), ipv6->destination()));
            check(bytes.size() <= 1280);
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static packet::PacketBuffer buffer;  // 64 KiB: not on the stack
    static std::vector<std::byte> fragments(70000);
    if (size == 0) return 0;

    TranslatorSettings settings;
    const std::uint8_t knobs = data[0];
    settings.decrement_ttl = (knobs & 1) == 0;
    settings.udp_zero_checksum =
        (knobs & 2) != 0 ? UdpZeroChecksumAction::drop : UdpZeroChecksumAction::compute;
    if (knobs & 4) settings.ipv6_next_hop_mtu = 1280 + (knobs >> 4) * 100;
    if (knobs & 8) settings.ipv4_next_hop_mtu = 576;
    if (knobs & 0x80) settings.lowest_ipv6_mtu = 1500;
    // A small fragment area now and then, to reach output_too_small.
    const std::size_t fragment_room = (knobs & 0x40) != 0 ? 2000 : fragments.size();

    const auto input = std::as_bytes(std::span(data + 1, size - 1));
    if (!buffer.assign(input)) return 0;
    const TranslationResult result = translate_ipv4_to_ipv6(
        buffer, std::span(fragments).first(fragment_room), fixed_mapping(), settings);

    switch (result.verdict) {
        case Verdict::translated:
            if (result.fragment_count == 1) {
                check(result.length == buffer.size());
                check(result.fragment_lengths[0] == buffer.size());
                check_ipv6(buffer.data(), 65535 + 40);
            } else {
                check(result.fragment_count >= 2);
                check(result.fragment_count <= result.fragment_lengths.size());
                std::size_t offset = 0;
                for (std::size_t i = 0; i < result.fragment_count; ++i) {
                    const auto piece = std::span<const std::byte>(fragments).subspan(
                        offset, result.fragment_lengths[i]);
                    check_ipv6(piece, settings.lowest_ipv6_mtu < settings.ipv6_next_hop_mtu
                                          ? settings.lowest_ipv6_mtu
                                          : settings.ipv6_next_hop_mtu);
                    check(packet::Ipv6View::parse(piece)->has_fragment_header());
                    offset += result.fragment_lengths[i];
                }
                check(offset == result.length);
            }
            break;
        case Verdict::icmp_error: {
            const auto ipv4 = packet::Ipv4View::parse(buffer.data());
            check(ipv4.has_value());
            check(ipv4->header_checksum_valid());
            check(ipv4->protocol() == packet::kProtoIcmp);
            check(buffer.size() <= 576);
            const auto icmp = packet::IcmpView::parse(ipv4->payload());
            check(icmp.has_value() && icmp->checksum_valid() && icmp->is_error());
            break;
        }
        case Verdict::drop:
            break;
    }
    return 0;
}
