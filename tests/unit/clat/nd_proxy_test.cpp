// The ND proxy's codecs (RFC 4861 7.1.1, 7.1.2, 7.2.4, 7.2.8; RFC 4862 5.4.2): every input and
// every expected output packet is built by scapy (nd_proxy_scapy_vectors.py), not by the code
// under test.

#include <gtest/gtest.h>

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "clat/nd_proxy.hpp"

#ifndef SIXGATE_CLAT_TEST_DIR
#error "SIXGATE_CLAT_TEST_DIR must name tests/unit/clat"
#endif

namespace sixgate::clat {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

net::Ipv6Address address(const char* text) {
    return *net::Ipv6Address::parse(text);
}

const net::Ipv6Address kTarget = address("2001:db8:64::c1a7");
const net::nd::MacAddress kPeerMac{0x02, 0x00, 0x5e, 0x00, 0x53, 0x01};
const net::nd::MacAddress kOurMac{0x02, 0x00, 0x5e, 0x00, 0x53, 0xc1};
const net::nd::MacAddress kFrameMac{0x02, 0x00, 0x5e, 0x00, 0x53, 0x77};

std::vector<std::uint8_t> from_hex(const std::string& hex) {
    std::vector<std::uint8_t> bytes;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
        bytes.push_back(std::uint8_t(std::stoi(hex.substr(i, 2), nullptr, 16)));
    return bytes;
}

std::string to_hex(std::span<const std::uint8_t> bytes) {
    std::string hex;
    char two[3];
    for (std::uint8_t b : bytes) {
        std::snprintf(two, sizeof two, "%02x", b);
        hex += two;
    }
    return hex;
}

// A packet split the way the proxy sees it: IP header fields and the ICMPv6 message.
struct Packet {
    std::vector<std::uint8_t> bytes;
    std::uint8_t hop_limit() const { return bytes[7]; }
    net::Ipv6Address source() const { return field(8); }
    net::Ipv6Address destination() const { return field(24); }
    std::span<const std::uint8_t> icmp() const {
        return std::span(bytes).subspan(40, std::size_t(bytes[4] << 8 | bytes[5]));
    }
    net::Ipv6Address field(std::size_t at) const {
        net::Ipv6Address::Bytes b;
        std::copy_n(bytes.begin() + long(at), 16, b.begin());
        return net::Ipv6Address(b);
    }
};

class NdProxyCodec : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        const std::string command =
            std::string(kPython) + " " + SIXGATE_CLAT_TEST_DIR + "/nd_proxy_scapy_vectors.py 2>&1";
        FILE* pipe = ::popen(command.c_str(), "r");
        if (!pipe) return;
        std::array<char, 4096> chunk;
        std::size_t read = 0;
        while ((read = std::fread(chunk.data(), 1, chunk.size(), pipe)) > 0)
            output_.append(chunk.data(), read);
        const int status = ::pclose(pipe);
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        std::istringstream lines(output_);
        std::string name, hex;
        while (lines >> name >> hex) vectors_[name] = hex;
    }

    // Fails, never skips, without scapy: the expected bytes would be unconfirmed.
    Packet scapy(const std::string& name) {
        if (exit_status_ != 0) {
            ADD_FAILURE() << "nd_proxy_scapy_vectors.py failed (exit " << exit_status_ << "):\n"
                          << output_;
            return Packet{std::vector<std::uint8_t>(64, 0)};
        }
        auto found = vectors_.find(name);
        if (found == vectors_.end()) {
            ADD_FAILURE() << "no scapy vector " << name;
            return Packet{std::vector<std::uint8_t>(64, 0)};
        }
        return Packet{from_hex(found->second)};
    }

    NdProxyParseResult<NeighborSolicitation> parse_ns(const std::string& name) {
        const Packet packet = scapy(name);
        return parse_neighbor_solicitation(packet.icmp(), packet.hop_limit(), packet.source(),
                                           packet.destination());
    }

    void expect_drop(const std::string& name, NdProxyDropReason reason) {
        auto result = parse_ns(name);
        ASSERT_FALSE(result.ok()) << name;
        EXPECT_EQ(to_string(result.error()), to_string(reason)) << name;
    }

    // The whole packet the proxy would send for `reply`, from `source`.
    std::string build_reply(const ProxyReply& reply, const net::Ipv6Address& source) {
        std::array<std::uint8_t, 64> icmp{};
        std::array<std::uint8_t, 128> packet{};
        auto icmp_length = build_neighbor_advertisement(reply.advertisement, icmp);
        EXPECT_TRUE(icmp_length.ok());
        auto length = build_ipv6_icmp_packet(source, reply.destination,
                                             std::span(icmp).first(*icmp_length), packet);
        EXPECT_TRUE(length.ok());
        return to_hex(std::span(packet).first(*length));
    }

    static inline std::string output_;
    static inline int exit_status_ = -1;
    static inline std::map<std::string, std::string> vectors_;
};

TEST_F(NdProxyCodec, MulticastSolicitationIsAnsweredSolicitedToItsSourceLinkLayerAddress) {
    RecordProperty("rfc", "4861 7.2.4, 7.2.8");
    auto ns = parse_ns("ns_multicast_with_slla");
    ASSERT_TRUE(ns.ok());
    EXPECT_EQ(ns->target, kTarget);
    EXPECT_EQ(ns->source_link_layer_address, kPeerMac);
    EXPECT_FALSE(ns->from_unspecified());
    const ProxyReply reply = proxy_reply(*ns, kFrameMac, kOurMac);
    EXPECT_EQ(reply.destination, address("fe80::1"));
    EXPECT_EQ(reply.destination_mac, kPeerMac);  // the option wins over the frame's source
    EXPECT_TRUE(reply.advertisement.solicited);
    EXPECT_FALSE(reply.advertisement.override);  // 7.2.8: a proxy clears O
    EXPECT_FALSE(reply.advertisement.router);
    EXPECT_EQ(build_reply(reply, kTarget), to_hex(scapy("reply_solicited").bytes));
}

TEST_F(NdProxyCodec, UnicastSolicitationWithoutOptionIsAnsweredToTheFrameSource) {
    RecordProperty("rfc", "4861 7.2.4");
    auto ns = parse_ns("ns_unicast_without_slla");
    ASSERT_TRUE(ns.ok());
    EXPECT_FALSE(ns->source_link_layer_address.has_value());
    const ProxyReply reply = proxy_reply(*ns, kFrameMac, kOurMac);
    EXPECT_EQ(reply.destination, address("2001:db8:64::1"));
    EXPECT_EQ(reply.destination_mac, kFrameMac);
    EXPECT_EQ(build_reply(reply, kTarget), to_hex(scapy("reply_unicast").bytes));
}

TEST_F(NdProxyCodec, DadProbeIsDefendedToAllNodesWithSolicitedClear) {
    RecordProperty("rfc", "4861 7.2.4");
    auto ns = parse_ns("ns_dad");
    ASSERT_TRUE(ns.ok());
    EXPECT_TRUE(ns->from_unspecified());
    const ProxyReply reply = proxy_reply(*ns, kFrameMac, kOurMac);
    EXPECT_EQ(reply.destination, address("ff02::1"));
    EXPECT_EQ(reply.destination_mac, (net::nd::MacAddress{0x33, 0x33, 0, 0, 0, 1}));
    EXPECT_FALSE(reply.advertisement.solicited);
    EXPECT_EQ(build_reply(reply, kTarget), to_hex(scapy("reply_dad_defense").bytes));
}

TEST_F(NdProxyCodec, DadProbeWithNonceMatchesScapy) {
    RecordProperty("rfc", "4862 5.4.2, 7527 4.1");
    std::array<std::uint8_t, 64> icmp{};
    std::array<std::uint8_t, 128> packet{};
    const NdNonce nonce{0x01, 0x02, 0x03, 0x04, 0x05, 0xa6};
    auto icmp_length = build_neighbor_solicitation(kTarget, std::nullopt, nonce, icmp);
    ASSERT_TRUE(icmp_length.ok());
    auto length = build_ipv6_icmp_packet(net::Ipv6Address(), solicited_node_address(kTarget),
                                         std::span(icmp).first(*icmp_length), packet);
    ASSERT_TRUE(length.ok());
    EXPECT_EQ(to_hex(std::span(packet).first(*length)), to_hex(scapy("dad_probe").bytes));
    // Read back, the nonce is what tells our own looped probe apart.
    const Packet probe = scapy("dad_probe");
    auto parsed = parse_neighbor_solicitation(probe.icmp(), probe.hop_limit(), probe.source(),
                                              probe.destination());
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->nonce, nonce);
}

TEST_F(NdProxyCodec, SolicitedNodeAddressAndItsMacFollowTheLow24Bits) {
    RecordProperty("rfc", "4291 2.7.1, 2464 7");
    EXPECT_EQ(solicited_node_address(kTarget), address("ff02::1:ff00:c1a7"));
    EXPECT_EQ(multicast_mac(address("ff02::1:ff00:c1a7")),
              (net::nd::MacAddress{0x33, 0x33, 0xff, 0x00, 0xc1, 0xa7}));
}

TEST_F(NdProxyCodec, SolicitationsBreakingRfc4861Section711AreDroppedWithTheirReason) {
    RecordProperty("rfc", "4861 7.1.1");
    expect_drop("ns_hop_limit_64", NdProxyDropReason::bad_hop_limit);
    expect_drop("ns_code_1", NdProxyDropReason::bad_code);
    expect_drop("ns_bad_checksum", NdProxyDropReason::bad_checksum);
    expect_drop("ns_multicast_target", NdProxyDropReason::target_multicast);
    expect_drop("ns_zero_length_option", NdProxyDropReason::bad_options);
    expect_drop("ns_option_overflows", NdProxyDropReason::bad_options);
    expect_drop("ns_long_slla", NdProxyDropReason::bad_link_layer_option);
    expect_drop("ns_dad_to_unicast", NdProxyDropReason::unspecified_source_not_solicited_node);
    expect_drop("ns_dad_with_slla", NdProxyDropReason::unspecified_source_with_link_layer);
    expect_drop("ns_truncated", NdProxyDropReason::too_short);
    expect_drop("reply_solicited", NdProxyDropReason::wrong_type);  // an NA is not an NS
}

TEST_F(NdProxyCodec, EveryTruncationOfASolicitationIsRefusedWithoutReadingPastIt) {
    const Packet packet = scapy("ns_multicast_with_slla");
    const auto icmp = packet.icmp();
    for (std::size_t length = 0; length < icmp.size(); ++length) {
        std::vector<std::uint8_t> copy(icmp.begin(),
                                       icmp.begin() + long(length));  // exact-size heap copy
        auto result = parse_neighbor_solicitation(copy, 255, packet.source(), packet.destination());
        EXPECT_FALSE(result.ok()) << "length " << length;
    }
}

TEST_F(NdProxyCodec, AdvertisementsAreParsedAndMulticastSolicitedOnesDropped) {
    RecordProperty("rfc", "4861 7.1.2");
    const Packet defending = scapy("na_defending");
    auto na = parse_neighbor_advertisement(defending.icmp(), defending.hop_limit(),
                                           defending.source(), defending.destination());
    ASSERT_TRUE(na.ok());
    EXPECT_EQ(na->target, kTarget);
    EXPECT_TRUE(na->override);
    EXPECT_FALSE(na->solicited);
    EXPECT_EQ(na->target_link_layer_address, kPeerMac);
    const Packet bad = scapy("na_multicast_solicited");
    auto refused =
        parse_neighbor_advertisement(bad.icmp(), bad.hop_limit(), bad.source(), bad.destination());
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error(), NdProxyDropReason::multicast_destination_solicited);
}

TEST(NdProxyBuilders, RefuseBuffersTooSmall) {
    std::array<std::uint8_t, 31> small{};
    NeighborAdvertisement na{kTarget, false, true, false, kOurMac};
    EXPECT_FALSE(build_neighbor_advertisement(na, small).ok());
    std::array<std::uint8_t, 32> exact{};
    EXPECT_EQ(*build_neighbor_advertisement(na, exact), 32u);
    std::array<std::uint8_t, 70> packet{};
    EXPECT_FALSE(build_ipv6_icmp_packet(kTarget, kTarget, exact, packet).ok());
}

TEST(NdProxyDropReasons, HaveDistinctStableNames) {
    std::set<std::string_view> names;
    for (std::size_t i = 0; i < kNdProxyDropReasonCount; ++i)
        names.insert(to_string(NdProxyDropReason(i)));
    EXPECT_EQ(names.size(), kNdProxyDropReasonCount);
    EXPECT_EQ(names.count("unknown"), 0u);
}

}  // namespace
}  // namespace sixgate::clat
