// A TCP sender in the namespace's kernel, routed into a TUN with TSO on: the test is the TCP
// peer behind the TUN (it answers the SYN and ACKs the data) and checks what the kernel's GSO
// super-packets become.
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <chrono>

#include "tests/netns/tun/tun_netns_fixture.hpp"

namespace sixgate::net::tun {
namespace {

using packet::PacketBuffer;
using namespace sixgate::net::tun::testing;

constexpr std::uint16_t kServerPort = 8080;
constexpr std::uint32_t kPeerIsn = 0x10000000;
constexpr std::uint8_t kSyn = 0x02, kAck = 0x10, kFin = 0x01, kPsh = 0x08;

std::byte pattern(std::size_t i) {
    return std::byte(static_cast<std::uint8_t>(i * 13 + 7));
}

struct TcpSegment {
    std::uint16_t sport = 0, dport = 0;
    std::uint32_t seq = 0;
    std::uint8_t flags = 0;
    std::span<const std::byte> payload;
};

std::optional<TcpSegment> tcp_of(std::span<const std::byte> p) {
    if (p.empty() || l4_protocol(p) != kTcp) return std::nullopt;
    const std::size_t l4 = l4_offset(p);
    if (p.size() < l4 + 20) return std::nullopt;
    const std::size_t header = std::size_t{u8(p, l4 + 12)} / 16 * 4;
    if (p.size() < l4 + header) return std::nullopt;
    return TcpSegment{load_be16(p, l4), load_be16(p, l4 + 2), load_be32(p, l4 + 4), u8(p, l4 + 13),
                      p.subspan(l4 + header)};
}

class TunTcp : public TunNamespace, public ::testing::WithParamInterface<bool> {
protected:
    const Family& family() const { return GetParam() ? kIpv6 : kIpv4; }
    TunQueue& queue() { return device_->queue(0); }

    // Opens the device with offloads, connects a kernel socket to the peer and completes the
    // handshake by hand.
    void connect_through_tun() {
        open(TunOptions{});
        if (HasFatalFailure()) return;
        ASSERT_TRUE(device_->vnet_hdr());
        ASSERT_TRUE(device_->offloads().tcp_segmentation);
        socket_ = UniqueFd(::socket(family().v6 ? AF_INET6 : AF_INET,
                                    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
        socklen_t length = 0;
        const auto to = socket_address(family(), family().peer_address, kServerPort, length);
        ASSERT_NE(::connect(socket_.get(), reinterpret_cast<const sockaddr*>(&to), length), 0);
        ASSERT_EQ(errno, EINPROGRESS);
        const auto syn = wait_for(queue(), [](const Bytes& p) {
            const auto t = tcp_of(p);
            return t && t->dport == kServerPort && (t->flags & kSyn);
        });
        ASSERT_TRUE(syn) << "no SYN read";
        const auto t = *tcp_of(*syn);
        kernel_port_ = t.sport;
        stream_start_ = t.seq + 1;
        const std::uint16_t mss =
            static_cast<std::uint16_t>(1500 - family().ip_header_length() - 20);
        TcpFields synack{
            kServerPort,
            kernel_port_,
            kPeerIsn,
            stream_start_,
            static_cast<std::uint8_t>(kSyn | kAck),
            65535,
            Bytes{std::byte{2}, std::byte{4}, std::byte(mss >> 8), std::byte(mss & 0xff)}};
        write_tcp(synack);
        pollfd p{socket_.get(), POLLOUT, 0};
        ASSERT_EQ(::poll(&p, 1, 3000), 1);
        int error = -1;
        socklen_t size = sizeof(error);
        ASSERT_EQ(::getsockopt(socket_.get(), SOL_SOCKET, SO_ERROR, &error, &size), 0);
        ASSERT_EQ(error, 0) << std::strerror(error);
        data_.resize(kStreamBytes);
        for (std::size_t i = 0; i < data_.size(); ++i) data_[i] = pattern(i);
    }

    void write_tcp(const TcpFields& fields) {
        PacketBuffer buffer;
        ASSERT_TRUE(buffer.assign(
            build_tcp(family(), family().peer_address, family().kernel_address, fields)));
        ASSERT_EQ(queue().write(buffer), WriteOutcome::kWritten);
    }
    void acknowledge(std::uint32_t ack) {
        write_tcp(TcpFields{kServerPort, kernel_port_, kPeerIsn + 1, ack, kAck, 65535, {}});
    }
    // Hands the socket as much of the stream as it takes.
    void keep_sending() {
        if (sent_ >= data_.size()) return;
        const ssize_t n = ::send(socket_.get(), data_.data() + sent_, data_.size() - sent_,
                                 MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n > 0) sent_ += std::size_t(n);
    }
    bool from_sender(const TcpSegment& t) const {
        return t.sport == kernel_port_ && t.dport == kServerPort;
    }

    static constexpr std::size_t kStreamBytes = 400000;
    UniqueFd socket_;
    std::uint16_t kernel_port_ = 0;
    std::uint32_t stream_start_ = 0;
    Bytes data_;
    std::size_t sent_ = 0;
};

TEST_P(TunTcp, ASuperPacketFromTheKernelSplitsIntoSegmentsThatVerify) {
    connect_through_tun();
    if (HasFatalFailure()) return;
    // Read the descriptor directly, to see the super-packet as the kernel hands it over.
    Bytes raw(VirtioNetHeader::kSize + PacketBuffer::kMaxPacket);
    std::optional<VirtioNetHeader> gso_header;
    Bytes super;
    std::uint32_t acked = stream_start_;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!gso_header && std::chrono::steady_clock::now() < deadline) {
        keep_sending();
        if (!wait_readable(queue().fd(), 50)) continue;
        const ssize_t n = ::read(queue().fd(), raw.data(), raw.size());
        if (n < ssize_t(VirtioNetHeader::kSize)) continue;
        const auto header =
            VirtioNetHeader::parse(raw, VirtioNetHeader::kSize, queue().byte_order());
        const std::span<const std::byte> packet =
            std::span(raw).subspan(VirtioNetHeader::kSize, std::size_t(n) - VirtioNetHeader::kSize);
        const auto t = tcp_of(packet);
        if (!header || !t || !from_sender(*t) || t->payload.empty()) continue;
        if (header->is_gso()) {
            gso_header = header;
            super.assign(packet.begin(), packet.end());
        }
        acked = std::max(acked, std::uint32_t(t->seq + t->payload.size()));
        acknowledge(acked);
    }
    ASSERT_TRUE(gso_header) << "no GSO super-packet within 10 s";
    EXPECT_EQ(gso_header->gso_kind(),
              family().v6 ? VirtioNetHeader::kGsoTcpV6 : VirtioNetHeader::kGsoTcpV4);
    EXPECT_TRUE(gso_header->needs_checksum());
    EXPECT_EQ(gso_header->csum_start, family().ip_header_length());
    EXPECT_EQ(gso_header->csum_offset, 16);

    const auto super_tcp = *tcp_of(super);
    const std::size_t count =
        (super_tcp.payload.size() + gso_header->gso_size - 1) / gso_header->gso_size;
    ASSERT_GT(count, 1u);
    Buffers out(count);
    const auto split = split_gso(super, *gso_header, out.pointers);
    ASSERT_TRUE(split) << to_string(split.error());
    ASSERT_EQ(*split, count);
    std::uint32_t next_seq = super_tcp.seq;
    for (std::size_t i = 0; i < count; ++i) {
        const Bytes segment = held(*out.pointers[i]);
        SCOPED_TRACE("segment " + std::to_string(i));
        EXPECT_TRUE(ip_length_matches(segment));
        if (!family().v6) {
            EXPECT_TRUE(ipv4_header_checksum_valid(segment));
        }
        EXPECT_TRUE(l4_checksum_valid(segment));
        const auto t = *tcp_of(segment);
        EXPECT_EQ(t.seq, next_seq);
        EXPECT_LE(t.payload.size(), gso_header->gso_size);
        if (i + 1 < count) {
            EXPECT_EQ(t.payload.size(), gso_header->gso_size);
            EXPECT_EQ(t.flags & (kFin | kPsh), 0);
        }
        const std::size_t offset = t.seq - stream_start_;
        ASSERT_LE(offset + t.payload.size(), data_.size());
        EXPECT_TRUE(std::equal(t.payload.begin(), t.payload.end(), data_.begin() + long(offset)));
        next_seq = t.seq + std::uint32_t(t.payload.size());
    }
}

TEST_P(TunTcp, TheQueueDeliversAWholeStreamAsValidSegments) {
    connect_through_tun();
    if (HasFatalFailure()) return;
    Buffers buffers(64);
    Bytes received(data_.size());
    std::uint32_t expected_seq = stream_start_;
    std::size_t bad = 0, largest = 0;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (expected_seq - stream_start_ < data_.size() &&
           std::chrono::steady_clock::now() < deadline) {
        keep_sending();
        if (queue().pending_segments() == 0 && !wait_readable(queue().fd(), 50)) continue;
        const auto result = queue().read_batch(buffers.pointers);
        bool advanced = false;
        for (std::size_t i = 0; i < result.packets; ++i) {
            const auto packet = buffers.pointers[i]->data();
            const auto t = tcp_of(packet);
            if (!t || !from_sender(*t) || t->payload.empty()) continue;
            largest = std::max(largest, packet.size());
            if (!ip_length_matches(packet) || !l4_checksum_valid(packet) ||
                (!family().v6 && !ipv4_header_checksum_valid(packet))) {
                ++bad;
                continue;
            }
            if (t->seq != expected_seq) continue;  // a retransmission or out of order: re-ACK
            std::copy(t->payload.begin(), t->payload.end(),
                      received.begin() + long(t->seq - stream_start_));
            expected_seq += std::uint32_t(t->payload.size());
            advanced = true;
        }
        if (result.packets > 0 || advanced) acknowledge(expected_seq);
    }
    EXPECT_EQ(bad, 0u);
    ASSERT_EQ(expected_seq - stream_start_, data_.size()) << "stream incomplete";
    EXPECT_EQ(received, data_);
    EXPECT_GT(queue().counters().gso_super_packets, 0u);
    EXPECT_GT(queue().counters().gso_segments, queue().counters().gso_super_packets);
    EXPECT_LE(largest, 1500u);  // segments, never a super-packet
}

INSTANTIATE_TEST_SUITE_P(Kernel, TunTcp, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                             return std::string(info.param ? "Ipv6" : "Ipv4");
                         });

}  // namespace
}  // namespace sixgate::net::tun
