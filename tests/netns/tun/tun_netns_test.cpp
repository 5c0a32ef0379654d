// TunDevice against the real kernel, in a namespace each test creates and always removes
// (NetnsGuard). Needs root; exits 77 (skipped) without it.
#include <gtest/gtest.h>
#include <linux/capability.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include "tests/netns/tun/tun_netns_fixture.hpp"

namespace sixgate::net::tun {
namespace {

using packet::PacketBuffer;
using namespace sixgate::net::tun::testing;

TEST_F(TunNamespace, OpenGivesTheRequestedNameAndTheProbedFeatures) {
    open(TunOptions{});
    EXPECT_EQ(device_->name(), kDevice);
    EXPECT_EQ(device_->queue_count(), 1u);
    EXPECT_TRUE(device_->vnet_hdr());  // this kernel offers IFF_VNET_HDR
    EXPECT_TRUE(device_->offloads().checksum);
    EXPECT_TRUE(device_->offloads().tcp_segmentation);
    const int flags = ::fcntl(device_->queue(0).fd(), F_GETFL);
    EXPECT_NE(flags & O_NONBLOCK, 0);
    EXPECT_NE(::fcntl(device_->queue(0).fd(), F_GETFD) & FD_CLOEXEC, 0);
}

TEST_F(TunNamespace, APatternLetsTheKernelPickTheName) {
    auto device = TunDevice::open("sgt%d");
    ASSERT_TRUE(device) << device.error().message;
    EXPECT_EQ(device->name(), "sgt0");
}

TEST_F(TunNamespace, DeviceGoesAwayWhenTheLastQueueCloses) {
    open(TunOptions{.queues = 2});
    EXPECT_EQ(guard_->run(std::string("ip link show ") + kDevice).exit_code, 0);
    device_.reset();
    EXPECT_NE(guard_->run(std::string("ip link show ") + kDevice).exit_code, 0);
}

TEST_F(TunNamespace, ErrorsNameTheCallAndTheDevice) {
    auto taken = TunDevice::open("lo");  // exists and is not a TUN
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error().message.rfind("TUNSETIFF lo: ", 0), 0u) << taken.error().message;
    auto long_name = TunDevice::open("a-name-too-long-for-linux");
    ASSERT_FALSE(long_name);
    EXPECT_NE(long_name.error().message.find("a-name-too-long-for-linux"), std::string::npos);
    EXPECT_EQ(long_name.error().code, std::errc::invalid_argument);
}

TEST_F(TunNamespace, WithoutCapNetAdminTheErrorSaysSo) {
    int pipe_fds[2];
    ASSERT_EQ(::pipe(pipe_fds), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(pipe_fds[0]);
        // Still root (so /dev/net/tun opens), but without CAP_NET_ADMIN in the effective set.
        __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
        __user_cap_data_struct data[2] = {};
        if (::syscall(SYS_capget, &header, data) != 0) ::_exit(2);
        data[CAP_NET_ADMIN / 32].effective &= ~(1u << (CAP_NET_ADMIN % 32));
        if (::syscall(SYS_capset, &header, data) != 0) ::_exit(2);
        auto device = TunDevice::open("sgnoperm0");
        const std::string message = device ? "opened" : device.error().message;
        (void)!::write(pipe_fds[1], message.data(), message.size());
        ::_exit(0);
    }
    ::close(pipe_fds[1]);
    char text[512] = {};
    const ssize_t n = ::read(pipe_fds[0], text, sizeof(text) - 1);
    ::close(pipe_fds[0]);
    ::waitpid(child, nullptr, 0);
    ASSERT_GT(n, 0);
    EXPECT_STREQ(text, "TUNSETIFF sgnoperm0: Operation not permitted (need CAP_NET_ADMIN)");
}

TEST_F(TunNamespace, SetMtuChangesTheLinkMtu) {
    open(TunOptions{});
    ASSERT_TRUE(device_->set_mtu(1400));
    const auto shown = guard_->run(std::string("ip link show ") + kDevice);
    EXPECT_NE(shown.output.find("mtu 1400"), std::string::npos) << shown.output;
}

// Each case once with the virtio_net_hdr on (offloads on) and once off.
class TunTraffic : public TunNamespace,
                   public ::testing::WithParamInterface<std::tuple<bool, bool>> {
protected:
    bool vnet() const { return std::get<0>(GetParam()); }
    const Family& family() const { return std::get<1>(GetParam()) ? kIpv6 : kIpv4; }
    void SetUp() override {
        TunNamespace::SetUp();
        if (HasFatalFailure()) return;
        open(TunOptions{.vnet_hdr = vnet() ? VnetHdrMode::kOn : VnetHdrMode::kOff});
        if (HasFatalFailure()) return;
        ASSERT_EQ(device_->vnet_hdr(), vnet());
    }
    TunQueue& queue() { return device_->queue(0); }
};

TEST_P(TunTraffic, AUdpDatagramFromTheKernelIsReadBackWithValidChecksums) {
    const auto socket = udp_socket(family());
    socklen_t length = 0;
    const auto to = socket_address(family(), family().peer_address, kPort, length);
    const std::string text = "hello through the tun";
    ASSERT_EQ(::sendto(socket.get(), text.data(), text.size(), 0,
                       reinterpret_cast<const sockaddr*>(&to), length),
              ssize_t(text.size()));
    const auto packet = wait_for(queue(), [](const Bytes& p) { return is_udp_to(p, kPort); });
    ASSERT_TRUE(packet);
    EXPECT_EQ(ip_version(*packet), family().v6 ? 6 : 4);
    EXPECT_TRUE(ip_length_matches(*packet));
    if (!family().v6) {
        EXPECT_TRUE(ipv4_header_checksum_valid(*packet));
    }
    EXPECT_TRUE(l4_checksum_valid(*packet));  // completed by the queue if left partial
    const Bytes payload(packet->begin() + long(l4_offset(*packet)) + 8, packet->end());
    EXPECT_EQ(payload, bytes_of(text));
}

TEST_P(TunTraffic, APingFromTheKernelIsReadAndAnswered) {
    sixgate::testing::CommandResult ping;
    const std::string command =
        std::string("ping ") + (family().v6 ? "-6 " : "-4 ") + "-c 1 -W 3 " + family().peer_address;
    std::thread pinger([&] { ping = guard_->run(command); });
    const std::uint8_t request_type = family().v6 ? 128 : 8;
    const std::uint8_t protocol = family().v6 ? kIcmpv6 : kIcmp;
    const auto request = wait_for(queue(), [&](const Bytes& p) {
        return l4_protocol(p) == protocol && p.size() >= l4_offset(p) + 8 &&
               u8(p, l4_offset(p)) == request_type;
    });
    if (request) {
        EXPECT_TRUE(l4_checksum_valid(*request));
        Bytes icmp(request->begin() + long(l4_offset(*request)), request->end());
        icmp[0] = std::byte{static_cast<std::uint8_t>(family().v6 ? 129 : 0)};
        const Bytes reply =
            build_ip(family(), family().peer_address, family().kernel_address, protocol, icmp, 2);
        PacketBuffer buffer;
        ASSERT_TRUE(buffer.assign(reply));
        EXPECT_EQ(queue().write(buffer), WriteOutcome::kWritten);
    }
    pinger.join();
    ASSERT_TRUE(request) << "no echo request read";
    EXPECT_EQ(ping.exit_code, 0) << ping.output;
}

TEST_P(TunTraffic, APacketWrittenIntoTheTunReachesAKernelSocket) {
    const auto socket = udp_socket(family());
    socklen_t length = 0;
    const auto bound = socket_address(family(), family().kernel_address, kPort, length);
    ASSERT_EQ(::bind(socket.get(), reinterpret_cast<const sockaddr*>(&bound), length), 0);
    const Bytes data = bytes_of("from the peer behind the tun");
    PacketBuffer buffer;
    ASSERT_TRUE(buffer.assign(
        build_udp(family(), family().peer_address, family().kernel_address, 4242, kPort, data)));
    ASSERT_EQ(queue().write(buffer), WriteOutcome::kWritten);
    ASSERT_TRUE(wait_readable(socket.get(), 3000));
    Bytes got(2048);
    const ssize_t n = ::recv(socket.get(), got.data(), got.size(), MSG_DONTWAIT);
    ASSERT_GT(n, 0);
    got.resize(std::size_t(n));
    EXPECT_EQ(got, data);
}

std::string traffic_name(const ::testing::TestParamInfo<std::tuple<bool, bool>>& info) {
    return std::string(std::get<1>(info.param) ? "Ipv6" : "Ipv4") +
           (std::get<0>(info.param) ? "VnetHdrOn" : "VnetHdrOff");
}

INSTANTIATE_TEST_SUITE_P(Kernel, TunTraffic,
                         ::testing::Combine(::testing::Bool(), ::testing::Bool()), traffic_name);

TEST_F(TunNamespace, BothQueuesOfAMultiQueueDeviceCarryTraffic) {
    open(TunOptions{.queues = 2});
    ASSERT_EQ(device_->queue_count(), 2u);
    // Many flows: the kernel spreads them over the queues by flow hash.
    constexpr int kFlows = 64;
    std::vector<UniqueFd> sockets;
    socklen_t length = 0;
    const auto to = socket_address(kIpv4, kIpv4.peer_address, kPort, length);
    for (int i = 0; i < kFlows; ++i) {
        sockets.push_back(udp_socket(kIpv4));
        ASSERT_EQ(::sendto(sockets.back().get(), "x", 1, 0, reinterpret_cast<const sockaddr*>(&to),
                           length),
                  1);
    }
    Buffers buffers(kFlows);
    std::array<int, 2> per_queue{};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (per_queue[0] + per_queue[1] < kFlows && std::chrono::steady_clock::now() < deadline) {
        std::array<pollfd, 2> fds{pollfd{device_->queue(0).fd(), POLLIN, 0},
                                  pollfd{device_->queue(1).fd(), POLLIN, 0}};
        ::poll(fds.data(), fds.size(), 100);
        for (std::size_t q = 0; q < 2; ++q) {
            const auto result = device_->queue(q).read_batch(buffers.pointers);
            for (std::size_t i = 0; i < result.packets; ++i)
                if (is_udp_to(held(*buffers.pointers[i]), kPort)) ++per_queue[q];
        }
    }
    EXPECT_EQ(per_queue[0] + per_queue[1], kFlows);
    EXPECT_GT(per_queue[0], 0);
    EXPECT_GT(per_queue[1], 0);

    // And writes on either queue reach the kernel.
    const auto socket = udp_socket(kIpv4);
    const auto bound = socket_address(kIpv4, kIpv4.kernel_address, kPort, length);
    ASSERT_EQ(::bind(socket.get(), reinterpret_cast<const sockaddr*>(&bound), length), 0);
    for (std::size_t q = 0; q < 2; ++q) {
        PacketBuffer buffer;
        const Bytes data = bytes_of("queue " + std::to_string(q));
        ASSERT_TRUE(buffer.assign(
            build_udp(kIpv4, kIpv4.peer_address, kIpv4.kernel_address, 4242, kPort, data)));
        ASSERT_EQ(device_->queue(q).write(buffer), WriteOutcome::kWritten);
        ASSERT_TRUE(wait_readable(socket.get(), 3000));
        Bytes got(64);
        const ssize_t n = ::recv(socket.get(), got.data(), got.size(), MSG_DONTWAIT);
        ASSERT_GT(n, 0);
        got.resize(std::size_t(n));
        EXPECT_EQ(got, data);
    }
}

}  // namespace
}  // namespace sixgate::net::tun

int main(int argc, char** argv) {
    std::string why;
    if (!sixgate::testing::netns_available(&why)) {
        std::cout << "skipped: " << why << "\n";
        return 77;
    }
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
