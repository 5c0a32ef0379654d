// Fuzzes the PLAT's packet path (RFC 6146 3.4-3.8, plat/plat_translator.hpp) with the real
// session table kept across inputs, so one input can open a session that a later one answers,
// quotes in an ICMP error or hairpins through. The first input byte moves the clock, picks the
// IPv4 next-hop MTU and sometimes runs expiry; the rest is the packet (also tried as a held SYN).
// Never a crash or an out-of-bounds access (ASan/UBSan); whatever comes out parses: IPv4 with a
// valid header checksum, IPv6 with a valid ICMPv6 checksum where it is an ICMPv6 error.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <vector>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/packet/packet.hpp"
#include "plat/plat_translator.hpp"
#include "plat/session_table.hpp"

namespace {

using namespace sixgate;
using namespace sixgate::plat;
namespace pk = sixgate::net::packet;

void require(bool condition) {
    if (!condition) std::abort();
}

constexpr std::uint32_t kMtus[] = {xlat::kUnknownMtu, 68, 576, 1280, 1400, 1500, 9000,
                                   xlat::kUnknownMtu};

struct Plat {
    std::unique_ptr<SessionTable> table;
    std::unique_ptr<PlatTranslator> translators[8];
};

Plat& the_plat() {
    static Plat* instance = [] {
        auto* p = new Plat;
        const auto pool4 = *net::Ipv4Prefix::parse("192.0.2.0/30");
        SessionTableConfig config;
        config.pool4.push_back(Pool4Range{pool4, {1024, 2047}, {1024, 2047}, {0, 1023}});
        config.static_bib.push_back(StaticBinding{L4Protocol::tcp,
                                                  {*net::Ipv6Address::parse("2001:db8::5"), 80},
                                                  {pool4.address(), 2000}});
        config.filtering = Filtering::address_dependent;
        config.max_sessions = 512;
        config.max_held_syns = 16;
        config.shard_count = 2;
        auto table = SessionTable::create(config);
        if (!table) std::fprintf(stderr, "%s\n", table.error().message.c_str());
        require(table.ok());
        p->table = std::move(*table);

        config::PlatConfig settings;
        settings.prefix.value = *net::Ipv6Prefix::parse("64:ff9b::/96");
        config::Pool4Entry entry;
        entry.prefix = pool4;
        settings.pool4.push_back(entry);
        for (std::size_t i = 0; i < 8; ++i) {
            auto parts = make_plat_translator(config::TranslationConfig{}, settings);
            if (!parts) std::fprintf(stderr, "%s\n", parts.error().message.c_str());
            require(parts.ok());
            parts->settings.ipv4_next_hop_mtu = kMtus[i];
            p->translators[i] = std::make_unique<PlatTranslator>(*p->table, std::move(*parts));
        }
        return p;
    }();
    return *instance;
}

void check_ipv4(std::span<const std::byte> packet) {
    const auto ipv4 = pk::Ipv4View::parse(packet);
    require(ipv4.has_value() && ipv4->header_checksum_valid() &&
            ipv4->total_length() == packet.size());
}

void check_ipv6(std::span<const std::byte> packet) {
    const auto ipv6 = pk::Ipv6View::parse(packet);
    require(ipv6.has_value() && ipv6->bytes().size() == packet.size());
    if (ipv6->upper_layer_protocol() != pk::kProtoIcmpv6 ||
        ipv6->chain_end() != pk::ChainEnd::upper_layer)
        return;
    const auto icmp = pk::Icmpv6View::parse(ipv6->upper_layer_payload());
    if (icmp && icmp->is_error())
        require(icmp->checksum_valid(ipv6->source(), ipv6->destination()));
}

void check(std::span<const std::byte> packet) {
    require(!packet.empty());
    if ((std::to_integer<std::uint8_t>(packet[0]) >> 4) == 4)
        check_ipv4(packet);
    else
        check_ipv6(packet);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static auto buffer = std::make_unique<pk::PacketBuffer>();
    static auto answer = std::make_unique<pk::PacketBuffer>();
    static std::vector<std::byte> fragments(65536 + 64 * 48);
    static Millis now = 1'000;
    static PlatCounters counters;
    if (size < 1) return 0;
    Plat& p = the_plat();
    const PlatTranslator& translator = *p.translators[data[0] & 7];
    now += (data[0] >> 3) & 3 ? 1'000 * ((data[0] >> 3) & 3) : 0;
    if ((data[0] & 0x20) != 0) {
        now += 7'000;
        (void)p.table->expire(now, [&](std::span<const std::byte> held) {
            if (translator.answer_held_syn(held, *answer)) check_ipv4(answer->data());
        });
    }
    const auto packet = std::as_bytes(std::span(data + 1, size - 1));
    if (translator.answer_held_syn(packet, *answer)) check_ipv4(answer->data());
    if (!buffer->assign(packet)) return 0;

    const PlatResult result = translator.process(*buffer, fragments, now, counters);
    if (result.xlat.verdict == xlat::Verdict::drop) return 0;
    require(result.xlat.fragment_count >= 1 &&
            result.xlat.fragment_count <= result.xlat.fragment_lengths.size());
    const std::span<const std::byte> out =
        result.in_fragments ? std::span<const std::byte>(fragments) : buffer->data();
    require(result.xlat.length <= out.size());
    std::size_t at = 0;
    for (std::size_t i = 0; i < result.xlat.fragment_count; ++i) {
        require(at + result.xlat.fragment_lengths[i] <= result.xlat.length);
        check(out.subspan(at, result.xlat.fragment_lengths[i]));
        at += result.xlat.fragment_lengths[i];
    }
    require(at == result.xlat.length);
    return 0;
}
