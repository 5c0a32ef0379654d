#pragma once
// A PLAT for the packet-path tests: the real SessionTable (one shard, one port per protocol so
// every transport address is known in advance: see make_plat_vectors.py) and a PlatTranslator
// from make_plat_translator, fed with byte vectors. The clock is a number the test moves.

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "net/packet/packet_buffer.hpp"
#include "plat/outgoing_tuple.hpp"
#include "plat/plat_translator.hpp"
#include "plat/session_table.hpp"
#include "tests/unit/plat/translator/plat_vectors.hpp"

namespace sixgate::plat::test {

inline net::Ipv6Address v6(const std::string& text) {
    return net::Ipv6Address::parse(text).value();
}
inline net::Ipv4Address v4(const std::string& text) {
    return net::Ipv4Address::parse(text).value();
}

inline const net::Ipv4Address kPool4 = v4("10.0.0.100");
inline const net::Ipv6Address kClient1 = v6("2001:db8:1::10");
inline const net::Ipv6Address kStatic6 = v6("2002:836b:2:1000::5");

struct PlatOptions {
    std::string pool6 = "64:ff9b::/96";
    Filtering filtering = Filtering::endpoint_independent;
    std::uint32_t ipv4_next_hop_mtu = xlat::kUnknownMtu;
};

class TestPlat {
public:
    explicit TestPlat(const PlatOptions& options = {}) {
        const auto pool4 = net::Ipv4Prefix(kPool4, 32);
        SessionTableConfig table_config;
        table_config.pool4.push_back(Pool4Range{pool4, {3388, 3389}, {50000, 50000}, {7, 7}});
        table_config.static_bib.push_back(
            StaticBinding{L4Protocol::tcp, {kStatic6, 3389}, {kPool4, 3389}});
        table_config.filtering = options.filtering;
        table_config.shard_count = 1;
        auto table = SessionTable::create(table_config);
        if (!table) ADD_FAILURE() << table.error().message;
        table_ = std::move(*table);

        config::PlatConfig plat;
        plat.prefix.value = net::Ipv6Prefix::parse(options.pool6).value();
        config::Pool4Entry entry;
        entry.prefix = pool4;
        plat.pool4.push_back(entry);
        config::StaticBibEntry fixed;
        fixed.ipv4 = kPool4;
        fixed.ipv4_port = 3389;
        fixed.ipv6.value = kStatic6;
        fixed.ipv6_port = 3389;
        plat.static_bib.push_back(fixed);
        auto parts = make_plat_translator(config::TranslationConfig{}, plat);
        if (!parts) ADD_FAILURE() << parts.error().message;
        parts->settings.ipv4_next_hop_mtu = options.ipv4_next_hop_mtu;
        translator_ = std::make_unique<PlatTranslator>(*table_, std::move(*parts));
    }

    PlatResult send(std::span<const std::uint8_t> packet) {
        seed_ipv4_identification(vectors::kIdentification);
        EXPECT_TRUE(buffer_->assign(std::as_bytes(packet)));
        return translator_->process(*buffer_, fragments_, now, counters);
    }

    // What process() left to write: the packets back to back.
    std::vector<std::uint8_t> output(const PlatResult& result) const {
        std::vector<std::uint8_t> bytes;
        if (result.xlat.verdict == xlat::Verdict::drop) return bytes;
        const std::span<const std::byte> from =
            result.in_fragments ? std::span<const std::byte>(fragments_).first(result.xlat.length)
                                : buffer_->data().first(result.xlat.length);
        for (const std::byte b : from) bytes.push_back(std::to_integer<std::uint8_t>(b));
        return bytes;
    }

    // Sends the vector's input and checks the output byte for byte (and the fragment lengths).
    PlatResult expect(const vectors::Vector& vector) {
        const PlatResult result = send(vector.input);
        const std::vector<std::uint8_t> expected(vector.output.begin(), vector.output.end());
        EXPECT_EQ(output(result), expected);
        if (!vector.lengths.empty()) {
            EXPECT_EQ(result.xlat.fragment_count, vector.lengths.size());
            for (std::size_t i = 0; i < vector.lengths.size() && i < 64; ++i)
                EXPECT_EQ(result.xlat.fragment_lengths[i], vector.lengths[i]) << "packet " << i;
        }
        return result;
    }

    SessionTable& table() { return *table_; }
    const PlatTranslator& translator() const { return *translator_; }
    std::uint64_t plat_drops(PlatDropReason reason) const {
        return counters.plat_drops[static_cast<std::size_t>(reason)];
    }
    std::uint64_t xlat_drops(xlat::DropReason reason) const {
        return counters.xlat_drops[static_cast<std::size_t>(reason)];
    }

    Millis now = 1'000;
    PlatCounters counters;

private:
    std::unique_ptr<SessionTable> table_;
    std::unique_ptr<PlatTranslator> translator_;
    std::unique_ptr<net::packet::PacketBuffer> buffer_ =
        std::make_unique<net::packet::PacketBuffer>();
    std::vector<std::byte> fragments_ = std::vector<std::byte>(65536 + 64 * 48);
};

}  // namespace sixgate::plat::test
