#pragma once
// What the TUN namespace tests share: a fixture that creates a namespace, moves the test thread
// into it and opens the TUN device there, and helpers to wait for packets.

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/tun/tun.hpp"
#include "tests/netns/netns_guard.hpp"
#include "tests/netns/tun/tun_packets.hpp"

namespace sixgate::net::tun::testing {

using packet::PacketBuffer;
using sixgate::testing::NetnsEntry;
using sixgate::testing::NetnsGuard;

inline constexpr const char* kDevice = "sgtun0";
inline constexpr std::uint16_t kPort = 5000;

struct Buffers {
    explicit Buffers(std::size_t n) {
        for (std::size_t i = 0; i < n; ++i) owned.push_back(std::make_unique<PacketBuffer>());
        for (auto& b : owned) pointers.push_back(b.get());
    }
    std::vector<std::unique_ptr<PacketBuffer>> owned;
    std::vector<PacketBuffer*> pointers;
};

inline Bytes bytes_of(const std::string& text) {
    Bytes b(text.size());
    std::memcpy(b.data(), text.data(), text.size());
    return b;
}

inline Bytes held(const PacketBuffer& buffer) {
    return Bytes(buffer.data().begin(), buffer.data().end());
}

inline bool wait_readable(int fd, int timeout_ms) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) == 1;
}

// Reads from the queue until a packet matches (others, like MLD reports, are skipped).
inline std::optional<Bytes> wait_for(TunQueue& queue,
                                     const std::function<bool(const Bytes&)>& match,
                                     int timeout_ms = 3000) {
    static Buffers buffers(64);  // 4 MiB: once per binary
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!wait_readable(queue.fd(), 100)) continue;
        const auto result = queue.read_batch(buffers.pointers);
        for (std::size_t i = 0; i < result.packets; ++i) {
            Bytes packet = held(*buffers.pointers[i]);
            if (match(packet)) return packet;
        }
    }
    return std::nullopt;
}

inline bool is_udp_to(const Bytes& p, std::uint16_t port) {
    return p.size() > l4_offset(p) + 8 && l4_protocol(p) == kUdp &&
           load_be16(p, l4_offset(p) + 2) == port;
}

inline sockaddr_storage socket_address(const Family& family, const std::string& text,
                                       std::uint16_t port, socklen_t& length) {
    sockaddr_storage storage{};
    if (family.v6) {
        auto* a = reinterpret_cast<sockaddr_in6*>(&storage);
        a->sin6_family = AF_INET6;
        a->sin6_port = htons(port);
        ::inet_pton(AF_INET6, text.c_str(), &a->sin6_addr);
        length = sizeof(sockaddr_in6);
    } else {
        auto* a = reinterpret_cast<sockaddr_in*>(&storage);
        a->sin_family = AF_INET;
        a->sin_port = htons(port);
        ::inet_pton(AF_INET, text.c_str(), &a->sin_addr);
        length = sizeof(sockaddr_in);
    }
    return storage;
}

inline UniqueFd udp_socket(const Family& family) {
    return UniqueFd(::socket(family.v6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
}

// A namespace with this thread inside and the TUN device up and addressed.
class TunNamespace : public ::testing::Test {
protected:
    void SetUp() override {
        guard_ = std::make_unique<NetnsGuard>("tun");
        ASSERT_TRUE(guard_->ok()) << guard_->error();
        entry_ = std::make_unique<NetnsEntry>(guard_->enter());
        ASSERT_TRUE(entry_->ok());
    }
    void TearDown() override {
        device_.reset();
        entry_.reset();
        guard_.reset();
    }

    void open(const TunOptions& options) {
        auto device = TunDevice::open(kDevice, options);
        ASSERT_TRUE(device) << device.error().message;
        device_ = std::make_unique<TunDevice>(std::move(*device));
        ASSERT_TRUE(device_->set_up());
        const auto configured =
            guard_->run(std::string("ip addr add 10.99.0.1/24 dev ") + kDevice +
                        " && ip -6 addr add fd99::1/64 dev " + kDevice + " nodad");
        ASSERT_EQ(configured.exit_code, 0) << configured.output;
    }

    std::unique_ptr<NetnsGuard> guard_;
    std::unique_ptr<NetnsEntry> entry_;
    std::unique_ptr<TunDevice> device_;
};

}  // namespace sixgate::net::tun::testing
