// IsatapHostComponent: start-up refusals against a FakeKernel, and, as root, a real start in two
// namespaces this test creates (sg-isataph-PID-N, always removed): the host side runs the
// component on a veth, the router side is a plain protocol-41 raw socket that receives the
// Router Solicitation and answers with an RA. Checks the TUN, its link-local address, the SLAAC
// address and RFC 4191 route in the kernel, status(), and that stop() leaves nothing.

#include "isatap/isatap_host_component.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>

#include <boost/asio/io_context.hpp>

#include "net/checksum.hpp"
#include "net/netlink/fake_kernel.hpp"
#include "net/nd/router_messages.hpp"
#include "net/packet/header_writers.hpp"
#include "net/packet/ipv6_view.hpp"
#include "tests/netns/netns_guard.hpp"

namespace sixgate::isatap {
namespace {

namespace netlink = net::netlink;
using sixgate::testing::NetnsGuard;

net::Ipv4Address v4(const char* text) { return *net::Ipv4Address::parse(text); }
net::Ipv6Address v6(const char* text) { return *net::Ipv6Address::parse(text); }

config::Config host_config(const std::string& interface, const std::string& router) {
    config::Config config;
    config.isatap.enabled = true;
    config.isatap.mode = config::IsatapMode::host;
    config.isatap.interface = interface;
    config.isatap.tun = std::string("isatapt0");
    config::IsatapRouterEntry entry{router, std::nullopt};
    if (auto address = net::Ipv4Address::parse(router)) entry.address = *address;
    config.isatap.routers.push_back(entry);
    return config;
}

TEST(IsatapHostComponentStart, InterfaceWithoutIpv4AddressIsAClearErrorAndChangesNothing) {
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0");
    boost::asio::io_context io;
    auto started = IsatapHostComponent::start(io, host_config("eth0", "10.1.0.1"), kernel);
    ASSERT_FALSE(started.ok());
    EXPECT_NE(started.error().message.find("isatap.interface eth0 has no IPv4 address"),
              std::string::npos)
        << started.error().message;
    EXPECT_TRUE(kernel.changes().empty());
}

TEST(IsatapHostComponentStart, RefusesRouterModeAndAnEmptyPrl) {
    netlink::FakeKernel kernel;
    boost::asio::io_context io;
    auto config = host_config("eth0", "10.1.0.1");
    config.isatap.mode = config::IsatapMode::router;
    EXPECT_FALSE(IsatapHostComponent::start(io, config, kernel).ok());
    config = host_config("eth0", "10.1.0.1");
    config.isatap.routers.clear();
    auto started = IsatapHostComponent::start(io, config, kernel);
    ASSERT_FALSE(started.ok());
    EXPECT_NE(started.error().message.find("potential router list"), std::string::npos);
    EXPECT_TRUE(kernel.changes().empty());
}

// The router side: a raw protocol-41 socket in its own namespace.
class RawRouter {
public:
    bool open() {
        fd_ = ::socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, 41);
        return fd_ >= 0;
    }
    ~RawRouter() {
        if (fd_ >= 0) ::close(fd_);
    }
    // One datagram (IPv4 header first) within `timeout`, pumping `io` meanwhile.
    std::vector<std::byte> receive(boost::asio::io_context& io, std::chrono::milliseconds timeout) {
        const auto until = std::chrono::steady_clock::now() + timeout;
        while (std::chrono::steady_clock::now() < until) {
            io.run_for(std::chrono::milliseconds{20});
            pollfd p{fd_, POLLIN, 0};
            if (::poll(&p, 1, 20) == 1) {
                std::vector<std::byte> buffer(2048);
                const auto n = ::recv(fd_, buffer.data(), buffer.size(), 0);
                if (n > 0) {
                    buffer.resize(std::size_t(n));
                    return buffer;
                }
            }
        }
        return {};
    }
    bool send(net::Ipv4Address destination, std::span<const std::byte> payload) {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_addr.s_addr = htonl(destination.to_uint());
        return ::sendto(fd_, payload.data(), payload.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to)) ==
               ssize_t(payload.size());
    }

private:
    int fd_ = -1;
};

std::vector<std::byte> router_advertisement(const net::Ipv6Address& source, const net::Ipv6Address& destination) {
    net::nd::RouterAdvertisement ra;
    ra.options.push_back(net::nd::PrefixInformationOption{*net::Ipv6Prefix::parse("2001:db8:1:8000::/64"), true,
                                                          true, 3600, 1800});
    ra.options.push_back(net::nd::RouteInformationOption{*net::Ipv6Prefix::parse("2001:db8:1:1000::/64"),
                                                         net::nd::RoutePreference::medium, 1800});
    std::array<std::uint8_t, 256> icmp{};
    const auto length = net::nd::build_router_advertisement(ra, icmp);
    EXPECT_TRUE(length.ok());
    net::nd::fill_icmpv6_checksum(std::span(icmp).first(*length), source, destination);
    std::vector<std::byte> packet(40 + *length);
    net::packet::Ipv6HeaderFields header;
    header.payload_length = static_cast<std::uint16_t>(*length);
    header.next_header = 58;
    header.hop_limit = 255;
    header.source = source;
    header.destination = destination;
    EXPECT_EQ(net::packet::write_ipv6_header(packet, header), 40u);
    for (std::size_t i = 0; i < *length; ++i) packet[40 + i] = std::byte{icmp[i]};
    return packet;
}

TEST(IsatapHostComponentNetns, SolicitsLearnsTheAddressAndRoutesAndRemovesEverythingOnStop) {
    RecordProperty("rfc", "5214 8.3, 4861 6.3.7, 4862 5.5.3, 4191 3.1");
    std::string why;
    if (!sixgate::testing::netns_available(&why)) GTEST_SKIP() << why;
    NetnsGuard host_ns("isataph");
    NetnsGuard router_ns("isataph");
    ASSERT_TRUE(host_ns.ok()) << host_ns.error();
    ASSERT_TRUE(router_ns.ok()) << router_ns.error();
    auto made = host_ns.run("ip link set lo up && ip link add sgih0 type veth peer name sgir0 netns " +
                            router_ns.name() + " && ip addr add 10.9.0.1/24 dev sgih0 && ip link set sgih0 up");
    ASSERT_EQ(made.exit_code, 0) << made.output;
    made = router_ns.run("ip link set lo up && ip addr add 10.9.0.2/24 dev sgir0 && ip link set sgir0 up");
    ASSERT_EQ(made.exit_code, 0) << made.output;

    RawRouter router;
    {
        auto inside = router_ns.enter();
        ASSERT_TRUE(inside.ok());
        ASSERT_TRUE(router.open());
    }
    auto inside = host_ns.enter();
    ASSERT_TRUE(inside.ok());
    auto kernel = netlink::NetlinkKernel::open();
    ASSERT_TRUE(kernel.ok()) << kernel.error().message;
    boost::asio::io_context io;
    auto started = IsatapHostComponent::start(io, host_config("sgih0", "10.9.0.2"), *kernel);
    ASSERT_TRUE(started.ok()) << started.error().message;
    auto& host = **started;
    EXPECT_EQ(host.link_local(), v6("fe80::5efe:a09:1"));
    auto shown = host_ns.run("ip -6 addr show dev isatapt0");
    EXPECT_NE(shown.output.find("fe80::5efe:a09:1/64"), std::string::npos) << shown.output;

    // RFC 4861 6.3.7: the first RS within a second (plus ARP), to the PRL router.
    const auto rs = router.receive(io, std::chrono::milliseconds{3000});
    ASSERT_GE(rs.size(), 20u + 48u) << "no Router Solicitation arrived";
    const auto inner = net::packet::Ipv6View::parse(std::span(rs).subspan(20));
    ASSERT_TRUE(inner.has_value());
    EXPECT_EQ(inner->source(), v6("fe80::5efe:a09:1"));
    EXPECT_EQ(inner->destination(), v6("ff02::2"));
    EXPECT_EQ(inner->hop_limit(), 255);
    const auto icmp = inner->upper_layer_payload();
    ASSERT_EQ(icmp.size(), 8u);
    EXPECT_EQ(std::to_integer<int>(icmp[0]), 133);
    const std::span<const std::uint8_t> icmp_bytes(reinterpret_cast<const std::uint8_t*>(icmp.data()), icmp.size());
    EXPECT_TRUE(net::icmpv6_checksum_is_valid(inner->source(), inner->destination(), icmp_bytes));

    // The router answers (RFC 5214 8.2.3: unicast to the host's link-local address).
    ASSERT_TRUE(router.send(v4("10.9.0.1"), router_advertisement(v6("fe80::5efe:a09:2"), v6("fe80::5efe:a09:1"))));
    for (int i = 0; i < 100 && host.status()["advertisements_received"] != 1; ++i)
        io.run_for(std::chrono::milliseconds{20});
    auto status = host.status();
    EXPECT_EQ(status["advertisements_received"], 1) << status.dump();
    EXPECT_EQ(status["router"], "10.9.0.2");
    EXPECT_EQ(status["mode"], "host");
    EXPECT_EQ(status["local_ipv4"], "10.9.0.1");
    EXPECT_GE(status["solicitations_sent"].get<int>(), 1);
    ASSERT_EQ(status["addresses"].size(), 1u) << status.dump();
    EXPECT_EQ(status["addresses"][0]["address"], "2001:db8:1:8000:0:5efe:a09:1");
    shown = host_ns.run("ip -6 addr show dev isatapt0");
    EXPECT_NE(shown.output.find("2001:db8:1:8000:0:5efe:a09:1/64"), std::string::npos) << shown.output;
    auto routes = host_ns.run("ip -6 route show dev isatapt0");
    EXPECT_NE(routes.output.find("2001:db8:1:1000::/64 proto 115"), std::string::npos) << routes.output;
    EXPECT_EQ(status["isatap_drops"]["bad_advertisement"], 0);

    host.stop();
    EXPECT_NE(host_ns.run("ip link show isatapt0").exit_code, 0) << "the TUN is gone";
    routes = host_ns.run("ip -6 route show proto 115");
    EXPECT_EQ(routes.output, "") << routes.output;
}

}  // namespace
}  // namespace sixgate::isatap
