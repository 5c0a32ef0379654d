// Fuzzes translate_ipv6_to_ipv4 (RFC 7915 5) with a fixed mapping: any bytes as the IPv6 packet,
// the first input byte choosing the IPv4 next-hop MTU and whether the hop limit is decremented.
// Never a crash or an out-of-bounds access (ASan); a drop leaves the input as it was; a translated
// packet parses as IPv4 fragments with valid header checksums; an ICMPv6 error parses with a
// valid checksum.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/packet/packet.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/ipv6_to_ipv4.hpp"

namespace {

using namespace sixgate;
using namespace sixgate::xlat;
namespace pk = sixgate::net::packet;

void require(bool condition) {
    if (!condition) std::abort();
}

const AddressMapping& fixed_mapping() {
    static const AddressMapping mapping = [] {
        AddressMappingConfig config;
        config.pool6 = *Rfc6052Prefix::create(*net::Ipv6Prefix::parse("2001:db8:64::/96"));
        const EamEntry entries[] = {{*net::Ipv4Prefix::parse("192.0.2.0/24"),
                                     *net::Ipv6Prefix::parse("2001:db8:aaaa::/120")}};
        config.eam = *EamTable::create(entries);
        const net::Ipv4Prefix pool[] = {*net::Ipv4Prefix::parse("203.0.113.0/28")};
        config.rfc6791_pool = *Rfc6791Pool::create(pool);
        config.own_ipv4 = *net::Ipv4Address::parse("203.0.113.1");
        config.own_ipv6 = *net::Ipv6Address::parse("2001:db8:ffff::1");
        auto created = AddressMapping::create(std::move(config));
        require(created.ok());
        return std::move(created).value();
    }();
    return mapping;
}

constexpr std::uint32_t kMtus[] = {kUnknownMtu, 68, 296, 576, 1280, 1400, 1500, 9000};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static auto buffer = std::make_unique<pk::PacketBuffer>();
    if (size < 1) return 0;
    TranslatorSettings settings;
    settings.ipv4_next_hop_mtu = kMtus[data[0] & 7];
    settings.ipv6_next_hop_mtu = kMtus[(data[0] >> 3) & 7];
    settings.decrement_ttl = (data[0] & 0x40) == 0;
    const auto packet = std::as_bytes(std::span(data + 1, size - 1));
    // Vary the headroom too: 0 exercises the ICMPv6 error path that moves the quote.
    const auto space = buffer->reset((data[0] & 0x80) != 0 ? 0 : pk::PacketBuffer::kHeadroom);
    if (packet.size() > space.size()) return 0;
    std::memcpy(space.data(), packet.data(), packet.size());
    require(buffer->set_length(packet.size()));

    const TranslationResult result = translate_ipv6_to_ipv4(*buffer, fixed_mapping(), settings, 7);
    switch (result.verdict) {
        case Verdict::drop:
            require(buffer->size() == packet.size() &&
                    std::memcmp(buffer->data().data(), packet.data(), packet.size()) == 0);
            break;
        case Verdict::icmp_error: {
            const auto ipv6 = pk::Ipv6View::parse(buffer->data());
            require(ipv6.has_value() && buffer->size() <= 1280);
            const auto icmp = pk::Icmpv6View::parse(ipv6->upper_layer_payload());
            require(icmp.has_value() && icmp->checksum_valid(ipv6->source(), ipv6->destination()));
            break;
        }
        case Verdict::translated: {
            require(result.fragment_count >= 1 &&
                    result.fragment_count <= result.fragment_lengths.size());
            std::size_t at = 0;
            for (std::size_t i = 0; i < result.fragment_count; ++i) {
                require(at + result.fragment_lengths[i] <= buffer->size());
                const auto fragment = buffer->data().subspan(at, result.fragment_lengths[i]);
                const auto ipv4 = pk::Ipv4View::parse(fragment);
                require(ipv4.has_value() && ipv4->header_checksum_valid() &&
                        ipv4->total_length() == fragment.size());
                at += fragment.size();
            }
            require(at == buffer->size() && result.length == buffer->size());
            break;
        }
    }
    return 0;
}
