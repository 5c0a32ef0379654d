#include "net/tun/fake_tun.hpp"

#include <gtest/gtest.h>
#include <poll.h>

#include <cerrno>
#include <memory>
#include <thread>
#include <vector>

namespace sixgate::net::tun {
namespace {

using packet::PacketBuffer;
using Bytes = FakeTun::Bytes;

Bytes packet_of(std::size_t size, int seed) {
    Bytes bytes(size);
    for (std::size_t i = 0; i < size; ++i) bytes[i] = std::byte(static_cast<unsigned>(seed + i));
    return bytes;
}

bool readable(const PacketIo& io) {
    pollfd p{io.readable_fd(), POLLIN, 0};
    return ::poll(&p, 1, 0) == 1 && (p.revents & POLLIN) != 0;
}

struct Buffers {
    explicit Buffers(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) owned.push_back(std::make_unique<PacketBuffer>());
        for (auto& b : owned) pointers.push_back(b.get());
    }
    std::vector<std::unique_ptr<PacketBuffer>> owned;
    std::vector<PacketBuffer*> pointers;
};

TEST(FakeTun, InjectedPacketsAreReadInOrderInBatches) {
    FakeTun tun;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(tun.inject(packet_of(20 + i, i)));
    Buffers buffers(2);
    PacketIo& io = tun;
    auto result = io.read_batch(buffers.pointers);
    ASSERT_EQ(result.packets, 2u);
    EXPECT_EQ(Bytes(buffers.pointers[1]->data().begin(), buffers.pointers[1]->data().end()),
              packet_of(21, 1));
    EXPECT_EQ(buffers.pointers[0]->headroom(), PacketBuffer::kHeadroom);
    result = io.read_batch(buffers.pointers);
    EXPECT_EQ(result.packets, 1u);
    EXPECT_EQ(io.read_batch(buffers.pointers).packets, 0u);
}

TEST(FakeTun, WrittenPacketsAreTakenOnceInOrder) {
    FakeTun tun;
    PacketBuffer buffer;
    for (int i = 0; i < 2; ++i) {
        ASSERT_TRUE(buffer.assign(packet_of(30, i)));
        EXPECT_EQ(tun.write(buffer), WriteOutcome::kWritten);
    }
    EXPECT_EQ(tun.written_count(), 2u);
    const auto written = tun.take_written();
    ASSERT_EQ(written.size(), 2u);
    EXPECT_EQ(written[0], packet_of(30, 0));
    EXPECT_EQ(written[1], packet_of(30, 1));
    EXPECT_TRUE(tun.take_written().empty());
}

TEST(FakeTun, ReadableFdPollsReadableExactlyWhilePacketsWait) {
    FakeTun tun;
    EXPECT_FALSE(readable(tun));
    ASSERT_TRUE(tun.inject(packet_of(20, 0)));
    ASSERT_TRUE(tun.inject(packet_of(20, 1)));
    EXPECT_TRUE(readable(tun));
    Buffers one(1);
    ASSERT_EQ(tun.read_batch(one.pointers).packets, 1u);
    EXPECT_TRUE(readable(tun));
    ASSERT_EQ(tun.read_batch(one.pointers).packets, 1u);
    EXPECT_FALSE(readable(tun));
}

TEST(FakeTun, InjectedReadErrorIsReportedOnce) {
    FakeTun tun;
    tun.fail_next_read(EBADFD);
    EXPECT_TRUE(readable(tun));
    Buffers buffers(1);
    EXPECT_EQ(tun.read_batch(buffers.pointers).error, EBADFD);
    EXPECT_EQ(tun.read_batch(buffers.pointers).error, 0);
}

TEST(FakeTun, InjectedWriteOutcomeHoldsUntilReset) {
    FakeTun tun;
    PacketBuffer buffer;
    ASSERT_TRUE(buffer.assign(packet_of(30, 0)));
    tun.set_write_outcome(WriteOutcome::kWouldBlock);
    EXPECT_EQ(tun.write(buffer), WriteOutcome::kWouldBlock);
    EXPECT_EQ(tun.write(buffer), WriteOutcome::kWouldBlock);
    EXPECT_EQ(tun.written_count(), 0u);
    tun.set_write_outcome(WriteOutcome::kWritten);
    EXPECT_EQ(tun.write(buffer), WriteOutcome::kWritten);
    EXPECT_EQ(tun.written_count(), 1u);
}

TEST(FakeTun, RefusesAPacketLongerThanABufferHolds) {
    FakeTun tun;
    EXPECT_FALSE(tun.inject(Bytes(PacketBuffer::kMaxPacket + 1)));
    EXPECT_EQ(tun.pending_reads(), 0u);
}

TEST(FakeTun, ADataPathThreadCanEchoWhatTheTestInjects) {
    FakeTun tun;
    std::thread data_path([&tun] {
        Buffers buffers(4);
        std::size_t echoed = 0;
        while (echoed < 100) {
            pollfd p{tun.readable_fd(), POLLIN, 0};
            ::poll(&p, 1, 1000);
            const auto result = tun.read_batch(buffers.pointers);
            for (std::size_t i = 0; i < result.packets; ++i)
                if (tun.write(*buffers.pointers[i]) == WriteOutcome::kWritten) ++echoed;
        }
    });
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(tun.inject(packet_of(40, i)));
    data_path.join();
    const auto written = tun.take_written();
    ASSERT_EQ(written.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(written[i], packet_of(40, i));
}

}  // namespace
}  // namespace sixgate::net::tun
