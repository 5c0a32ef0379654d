// TunQueue over a datagram socketpair: one packet per read(), like a TUN descriptor, so the
// read, offload and write paths run without root.
#include "net/tun/tun_queue.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <memory>
#include <vector>

#include "tests/unit/net/tun/gso_vectors.hpp"

namespace sixgate::net::tun {
namespace {

using packet::PacketBuffer;
using testing::Bytes;
using testing::gso_vectors;
using testing::to_hex;

struct Buffers {
    explicit Buffers(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) owned.push_back(std::make_unique<PacketBuffer>());
        for (auto& b : owned) pointers.push_back(b.get());
    }
    std::vector<std::unique_ptr<PacketBuffer>> owned;
    std::vector<PacketBuffer*> pointers;
};

// `kernel` is the far end: what it sends, the queue reads.
struct Pair {
    explicit Pair(bool vnet_hdr) {
        std::array<int, 2> fds{};
        EXPECT_EQ(::socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds.data()),
                  0);
        queue = std::make_unique<TunQueue>(UniqueFd(fds[0]), vnet_hdr);
        kernel = UniqueFd(fds[1]);
    }
    void send(std::span<const std::byte> bytes) const {
        ASSERT_EQ(::send(kernel.get(), bytes.data(), bytes.size(), 0), ssize_t(bytes.size()));
    }
    void send(const VirtioNetHeader& header, std::span<const std::byte> packet) const {
        Bytes bytes(VirtioNetHeader::kSize);
        ASSERT_TRUE(header.serialize(bytes));
        bytes.insert(bytes.end(), packet.begin(), packet.end());
        send(bytes);
    }
    Bytes receive() const {
        Bytes bytes(70000);
        const ssize_t n = ::recv(kernel.get(), bytes.data(), bytes.size(), 0);
        bytes.resize(n < 0 ? 0 : std::size_t(n));
        return bytes;
    }
    std::unique_ptr<TunQueue> queue;
    UniqueFd kernel;
};

Bytes packet_of(std::size_t size, int seed) {
    Bytes bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = std::byte(static_cast<unsigned>(seed + i));
    bytes[0] = std::byte{0x45};
    return bytes;
}

Bytes held(const PacketBuffer* buffer) {
    return Bytes(buffer->data().begin(), buffer->data().end());
}

const testing::GsoVector& vector_named(const std::string& name) {
    EXPECT_EQ(gso_vectors().error, "");
    return gso_vectors().cases.at(name);
}

TEST(TunQueue, ReadsEveryWaitingPacketThenStopsWithoutError) {
    Pair pair(false);
    for (int i = 0; i < 3; ++i) pair.send(packet_of(60 + i, i));
    Buffers buffers(8);
    const auto result = pair.queue->read_batch(buffers.pointers);
    EXPECT_EQ(result.packets, 3u);
    EXPECT_EQ(result.error, 0);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(held(buffers.pointers[i]), packet_of(60 + i, i));
        EXPECT_EQ(buffers.pointers[i]->headroom(), PacketBuffer::kHeadroom);
    }
    EXPECT_EQ(pair.queue->read_batch(buffers.pointers).packets, 0u);
}

TEST(TunQueue, ReadsNoMoreThanTheBatchHolds) {
    Pair pair(false);
    for (int i = 0; i < 3; ++i) pair.send(packet_of(40, i));
    Buffers buffers(2);
    EXPECT_EQ(pair.queue->read_batch(buffers.pointers).packets, 2u);
    EXPECT_EQ(pair.queue->read_batch(buffers.pointers).packets, 1u);
    EXPECT_EQ(held(buffers.pointers[0]), packet_of(40, 2));
}

TEST(TunQueue, ReportsAReadErrorOtherThanWouldBlock) {
    TunQueue queue(UniqueFd(-1), false);
    Buffers buffers(1);
    EXPECT_EQ(queue.read_batch(buffers.pointers).error, EBADF);
}

TEST(TunQueue, WithVnetHdrThePacketStartsAtTheDefaultHeadroom) {
    Pair pair(true);
    pair.send(VirtioNetHeader{}, packet_of(100, 1));
    Buffers buffers(1);
    ASSERT_EQ(pair.queue->read_batch(buffers.pointers).packets, 1u);
    EXPECT_EQ(held(buffers.pointers[0]), packet_of(100, 1));
    EXPECT_EQ(buffers.pointers[0]->headroom(), PacketBuffer::kHeadroom);
}

TEST(TunQueue, SplitsASuperPacketIntoOneBufferPerSegment) {
    const auto& v = vector_named("tcp4");
    Pair pair(true);
    pair.send(v.header, v.input);
    pair.send(VirtioNetHeader{}, packet_of(50, 9));
    Buffers buffers(8);
    const auto result = pair.queue->read_batch(buffers.pointers);
    ASSERT_EQ(result.packets, v.expected.size() + 1);
    for (std::size_t i = 0; i < v.expected.size(); ++i)
        EXPECT_EQ(to_hex(buffers.pointers[i]->data()), to_hex(v.expected[i])) << i;
    EXPECT_EQ(held(buffers.pointers[v.expected.size()]), packet_of(50, 9));
    EXPECT_EQ(pair.queue->counters().gso_super_packets, 1u);
    EXPECT_EQ(pair.queue->counters().gso_segments, v.expected.size());
}

TEST(TunQueue, SegmentsThatDoNotFitComeFirstInTheNextBatch) {
    const auto& v = vector_named("tcp6");  // 4 segments
    Pair pair(true);
    pair.send(v.header, v.input);
    pair.send(VirtioNetHeader{}, packet_of(50, 3));
    Buffers buffers(3);
    ASSERT_EQ(pair.queue->read_batch(buffers.pointers).packets, 3u);
    EXPECT_EQ(pair.queue->pending_segments(), 1u);
    for (std::size_t i = 0; i < 3; ++i)
        EXPECT_EQ(to_hex(buffers.pointers[i]->data()), to_hex(v.expected[i])) << i;
    ASSERT_EQ(pair.queue->read_batch(buffers.pointers).packets, 2u);
    EXPECT_EQ(to_hex(buffers.pointers[0]->data()), to_hex(v.expected[3]));
    EXPECT_EQ(held(buffers.pointers[1]), packet_of(50, 3));
    EXPECT_EQ(pair.queue->pending_segments(), 0u);
}

TEST(TunQueue, ABatchOfOneStillDeliversEverySegmentInOrder) {
    const auto& v = vector_named("udp4");
    Pair pair(true);
    pair.send(v.header, v.input);
    Buffers buffers(1);
    for (const auto& expected : v.expected) {
        ASSERT_EQ(pair.queue->read_batch(buffers.pointers).packets, 1u);
        EXPECT_EQ(to_hex(buffers.pointers[0]->data()), to_hex(expected));
    }
    EXPECT_EQ(pair.queue->read_batch(buffers.pointers).packets, 0u);
}

TEST(TunQueue, CompletesAPartialChecksum) {
    const auto& v = vector_named("csum_udp6");
    Pair pair(true);
    pair.send(v.header, v.input);
    Buffers buffers(2);
    ASSERT_EQ(pair.queue->read_batch(buffers.pointers).packets, 1u);
    EXPECT_EQ(to_hex(buffers.pointers[0]->data()), to_hex(v.expected[0]));
    EXPECT_EQ(pair.queue->counters().checksums_completed, 1u);
}

TEST(TunQueue, DropsMalformedOffloadPacketsAndReadsOn) {
    const auto& v = vector_named("tcp4");
    Pair pair(true);
    pair.send(Bytes(5));  // shorter than the virtio header
    auto bad_gso = v.header;
    bad_gso.csum_offset = 3;
    pair.send(bad_gso, v.input);
    VirtioNetHeader bad_checksum;
    bad_checksum.flags = VirtioNetHeader::kFlagNeedsChecksum;
    bad_checksum.csum_start = 500;
    pair.send(bad_checksum, packet_of(60, 1));
    pair.send(VirtioNetHeader{}, packet_of(60, 2));
    Buffers buffers(4);
    const auto result = pair.queue->read_batch(buffers.pointers);
    EXPECT_EQ(result.packets, 1u);
    EXPECT_EQ(result.dropped, 3u);
    EXPECT_EQ(held(buffers.pointers[0]), packet_of(60, 2));
    EXPECT_EQ(pair.queue->counters().dropped_bad_virtio_header, 2u);
    EXPECT_EQ(pair.queue->counters().dropped_bad_gso, 1u);
}

TEST(TunQueue, WritePrependsAZeroVirtioHeader) {
    Pair pair(true);
    PacketBuffer buffer;
    ASSERT_TRUE(buffer.assign(packet_of(80, 4)));
    ASSERT_EQ(pair.queue->write(buffer), WriteOutcome::kWritten);
    Bytes expected(VirtioNetHeader::kSize);
    const auto packet = packet_of(80, 4);
    expected.insert(expected.end(), packet.begin(), packet.end());
    EXPECT_EQ(pair.receive(), expected);
    EXPECT_EQ(held(&buffer), packet);  // the caller's buffer is untouched
}

TEST(TunQueue, WriteWithAHeaderSendsItSerialized) {
    Pair pair(true);
    PacketBuffer buffer;
    ASSERT_TRUE(buffer.assign(packet_of(40, 4)));
    VirtioNetHeader header;
    header.flags = VirtioNetHeader::kFlagNeedsChecksum;
    header.csum_start = 20;
    header.csum_offset = 6;
    ASSERT_EQ(pair.queue->write(buffer, header), WriteOutcome::kWritten);
    const auto got = pair.receive();
    ASSERT_EQ(got.size(), 52u);
    EXPECT_EQ(VirtioNetHeader::parse(got), header);
}

TEST(TunQueue, WriteWithoutVnetHdrSendsThePacketAlone) {
    Pair pair(false);
    PacketBuffer buffer;
    ASSERT_TRUE(buffer.assign(packet_of(80, 4)));
    ASSERT_EQ(pair.queue->write(buffer), WriteOutcome::kWritten);
    EXPECT_EQ(pair.receive(), packet_of(80, 4));
    VirtioNetHeader offload;
    offload.flags = VirtioNetHeader::kFlagNeedsChecksum;
    EXPECT_EQ(pair.queue->write(buffer, offload), WriteOutcome::kRejected);
}

TEST(TunQueue, WriteToAFullQueueWouldBlock) {
    Pair pair(false);
    PacketBuffer buffer;
    ASSERT_TRUE(buffer.assign(packet_of(1000, 4)));
    WriteOutcome outcome = WriteOutcome::kWritten;
    for (int i = 0; i < 100000 && outcome == WriteOutcome::kWritten; ++i)
        outcome = pair.queue->write(buffer);
    EXPECT_EQ(outcome, WriteOutcome::kWouldBlock);
    EXPECT_EQ(pair.queue->last_write_error(), EAGAIN);
    EXPECT_EQ(pair.queue->counters().write_errors, 1u);
}

}  // namespace
}  // namespace sixgate::net::tun
