#include "net/packet/packet_buffer.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <utility>
#include <vector>

#include "net/packet/header_writers.hpp"
#include "net/packet/ipv6_view.hpp"
#include "vector_fields.hpp"

namespace sixgate::net::packet {
namespace {

using namespace vectors;

TEST(PacketBuffer, StartsEmptyWithTheDefaultHeadroom) {
    auto buffer = std::make_unique<PacketBuffer>();
    EXPECT_TRUE(buffer->empty());
    EXPECT_EQ(buffer->size(), 0u);
    EXPECT_EQ(buffer->headroom(), PacketBuffer::kHeadroom);
    EXPECT_EQ(buffer->room(), PacketBuffer::kMaxPacket);
}

TEST(PacketBuffer, ReadsIntoTheSpaceAfterTheHeadroom) {
    auto buffer = std::make_unique<PacketBuffer>();
    const auto space = buffer->reset();
    ASSERT_EQ(space.size(), PacketBuffer::kMaxPacket);
    const auto packet = bytes(kIpv6Udp);
    std::copy(packet.begin(), packet.end(), space.begin());
    ASSERT_TRUE(buffer->set_length(packet.size()));
    EXPECT_EQ(buffer->data().data(), space.data());
    EXPECT_TRUE(std::equal(packet.begin(), packet.end(), buffer->data().begin()));
    EXPECT_FALSE(buffer->set_length(PacketBuffer::kMaxPacket + 1));
    EXPECT_EQ(buffer->size(), packet.size());
}

TEST(PacketBuffer, PrependsAHeaderInPlace) {
    auto buffer = std::make_unique<PacketBuffer>();
    const auto inner = bytes(kIpv6Udp);
    ASSERT_TRUE(buffer->assign(inner));
    const auto* payload = buffer->data().data();
    // ISATAP-style: an outer header written in the headroom, the packet not moved.
    ASSERT_TRUE(buffer->prepend(40));
    EXPECT_EQ(buffer->data().data() + 40, payload);
    EXPECT_EQ(buffer->headroom(), PacketBuffer::kHeadroom - 40);
    ASSERT_EQ(write_ipv6_header(buffer->data(), {.payload_length = std::uint16_t(inner.size()),
                                                 .next_header = kProtoIpv6}),
              40u);
    const auto outer = Ipv6View::parse(std::as_const(*buffer).data());
    ASSERT_TRUE(outer);
    EXPECT_EQ(outer->upper_layer_protocol(), kProtoIpv6);
    EXPECT_TRUE(Ipv6View::parse(outer->upper_layer_payload()));
}

TEST(PacketBuffer, RefusesToPrependMoreThanTheHeadroom) {
    auto buffer = std::make_unique<PacketBuffer>();
    ASSERT_TRUE(buffer->assign(bytes(kIpv6Udp)));
    EXPECT_FALSE(buffer->prepend(PacketBuffer::kHeadroom + 1));
    EXPECT_EQ(buffer->headroom(), PacketBuffer::kHeadroom);
    EXPECT_TRUE(buffer->prepend(PacketBuffer::kHeadroom));
    EXPECT_EQ(buffer->headroom(), 0u);
    EXPECT_FALSE(buffer->prepend(1));
}

TEST(PacketBuffer, TrimsTheFrontToReplaceAHeader) {
    auto buffer = std::make_unique<PacketBuffer>();
    const auto packet = bytes(kIpv4UdpZeroChecksum);
    ASSERT_TRUE(buffer->assign(packet));
    ASSERT_TRUE(buffer->trim_front(20));  // IPv4 header off ...
    EXPECT_EQ(buffer->size(), packet.size() - 20);
    EXPECT_EQ(buffer->headroom(), PacketBuffer::kHeadroom + 20);
    ASSERT_TRUE(buffer->prepend(40));  // ... IPv6 header on
    EXPECT_EQ(buffer->size(), packet.size() + 20);
    EXPECT_FALSE(buffer->trim_front(buffer->size() + 1));
    EXPECT_TRUE(buffer->trim_front(buffer->size()));
    EXPECT_TRUE(buffer->empty());
}

TEST(PacketBuffer, ResetsWithAChosenHeadroom) {
    auto buffer = std::make_unique<PacketBuffer>();
    EXPECT_EQ(buffer->reset(12).size(), PacketBuffer::kCapacity - 12);
    EXPECT_EQ(buffer->headroom(), 12u);
    EXPECT_TRUE(buffer->reset(PacketBuffer::kCapacity + 5).empty());
    EXPECT_EQ(buffer->room(), 0u);
    EXPECT_FALSE(buffer->set_length(1));
}

TEST(PacketBuffer, RefusesToAssignAPacketLongerThanTheMaximum) {
    auto buffer = std::make_unique<PacketBuffer>();
    std::vector<std::byte> huge(PacketBuffer::kMaxPacket + 1);
    EXPECT_FALSE(buffer->assign(huge));
    huge.pop_back();
    EXPECT_TRUE(buffer->assign(huge));
    EXPECT_EQ(buffer->size(), PacketBuffer::kMaxPacket);
}

}  // namespace
}  // namespace sixgate::net::packet
