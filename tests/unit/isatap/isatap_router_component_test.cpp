// IsatapRouterComponent: start-up refusals against a FakeKernel (nothing left in the kernel), and,
// as root, a real start and stop in namespaces this test creates (sg-isrc-PID-N with the router,
// sg-isrh-PID-N with an IPv4 host; always removed): the TUN with the router's two addresses,
// forwarding, a Router Solicitation from an allowed host answered and one from a refused host
// not, status, and everything gone after stop or a failed start.

#include <gtest/gtest.h>
#include <poll.h>

#include <array>
#include <chrono>

#include <boost/asio/io_context.hpp>

#include "isatap/isatap_address.hpp"
#include "isatap/isatap_router_component.hpp"
#include "isatap/tunnel_packet.hpp"
#include "net/ipv4_raw_socket.hpp"
#include "net/nd/router_messages.hpp"
#include "net/netlink/fake_kernel.hpp"
#include "net/packet/header_writers.hpp"
#include "tests/netns/netns_guard.hpp"

namespace sixgate::isatap {
namespace {

namespace netlink = net::netlink;
namespace nd = net::nd;
using sixgate::testing::NetnsGuard;

net::Ipv4Address v4(const char* text) {
    return *net::Ipv4Address::parse(text);
}
net::Ipv6Address v6(const char* text) {
    return *net::Ipv6Address::parse(text);
}

const net::Ipv4Address kRouter = v4("10.78.0.1");
const net::Ipv4Address kHost = v4("10.78.0.2");     // allowed
const net::Ipv4Address kRefused = v4("10.78.0.3");  // not allowed

config::Config router_config(const std::string& interface = "va") {
    config::Config config;
    config.plan = *net::derive_prefix_plan(v4("131.107.0.2"), std::nullopt);
    config.isatap.enabled = true;
    config.isatap.mode = config::IsatapMode::router;
    config.isatap.interface = interface;
    config.isatap.tun = std::string("isatap7");
    config.isatap.prefix.set(config.plan->isatap, config::Origin::derived);
    config.isatap.allow = {net::Ipv4Prefix(kHost, 32)};
    return config;
}

std::string start_error(netlink::FakeKernel& kernel, const config::Config& config) {
    boost::asio::io_context io;
    auto started = IsatapRouterComponent::start(io, config, kernel);
    if (started) return "started";
    return started.error().message;
}

TEST(IsatapRouterComponentStart, RefusesAnInterfaceThatDoesNotExistAndNamesIt) {
    netlink::FakeKernel kernel;
    const std::string error = start_error(kernel, router_config("eth9"));
    EXPECT_NE(error.find("isatap.interface eth9"), std::string::npos) << error;
    EXPECT_TRUE(kernel.changes().empty());
}

TEST(IsatapRouterComponentStart, RefusesAnInterfaceWithoutAnIpv4Address) {
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0");
    netlink::InterfaceAddress v6_only;
    v6_only.device = "eth0";
    v6_only.address = v6("2001:db8::1");
    kernel.addresses().push_back(v6_only);
    const std::string error = start_error(kernel, router_config("eth0"));
    EXPECT_NE(error.find("isatap.interface eth0 has no IPv4 address"), std::string::npos) << error;
    EXPECT_TRUE(kernel.changes().empty());
}

TEST(IsatapRouterComponentStart, RefusesAnEmptyAllowListOrNoPrefix) {
    netlink::FakeKernel kernel;
    config::Config config = router_config();
    config.isatap.allow.clear();
    EXPECT_NE(start_error(kernel, config).find("isatap.allow is empty"), std::string::npos);
    config = router_config();
    config.isatap.prefix.set(std::nullopt, config::Origin::defaulted);
    EXPECT_NE(start_error(kernel, config).find("isatap.prefix is not set"), std::string::npos);
    EXPECT_TRUE(kernel.changes().empty());
}

// A Router Solicitation from `host` (link-local ISATAP source, to all-routers), hop limit 255.
std::vector<std::byte> solicitation_from(net::Ipv4Address host) {
    const net::Ipv6Address source = isatap_link_local(host);
    const net::Ipv6Address destination = v6("ff02::2");
    std::array<std::uint8_t, 16> icmp{};
    auto length = nd::build_router_solicitation(nd::RouterSolicitation{}, icmp);
    EXPECT_TRUE(length.ok());
    nd::fill_icmpv6_checksum(std::span(icmp.data(), *length), source, destination);
    std::vector<std::byte> packet(40 + *length);
    net::packet::Ipv6HeaderFields fields;
    fields.payload_length = std::uint16_t(*length);
    fields.next_header = 58;
    fields.hop_limit = 255;
    fields.source = source;
    fields.destination = destination;
    EXPECT_EQ(net::packet::write_ipv6_header(packet, fields), 40u);
    std::copy_n(reinterpret_cast<const std::byte*>(icmp.data()), *length, packet.begin() + 40);
    return packet;
}

// The next Router Advertisement the socket receives within `timeout`, decapsulated and parsed.
std::optional<nd::RouterAdvertisement> receive_advertisement(
    net::Ipv4RawSocket& socket, std::chrono::milliseconds timeout,
    net::Ipv6Address* destination = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<std::byte> buffer(65536);
    while (std::chrono::steady_clock::now() < deadline) {
        pollfd fd{socket.fd(), POLLIN, 0};
        (void)::poll(&fd, 1, 50);
        auto received = socket.receive(buffer);
        if (!received.ok() || !received->has_value()) continue;
        auto packet = decapsulate(std::span<const std::byte>(buffer.data(), **received));
        if (!packet.ok() || packet->view.next_header() != 58) continue;
        const auto icmp = packet->view.payload();
        auto ra = nd::parse_router_advertisement(
            std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(icmp.data()),
                                          icmp.size()),
            packet->view.hop_limit(), packet->view.source(), packet->view.destination());
        if (!ra.ok()) continue;
        if (destination) *destination = packet->view.destination();
        return *ra;
    }
    return std::nullopt;
}

class IsatapRouterComponentNetns : public ::testing::Test {
protected:
    void SetUp() override {
        std::string why;
        if (!sixgate::testing::netns_available(&why)) GTEST_SKIP() << why;
        router_ns = std::make_unique<NetnsGuard>("isrc");
        host_ns = std::make_unique<NetnsGuard>("isrh");
        ASSERT_TRUE(router_ns->ok()) << router_ns->error();
        ASSERT_TRUE(host_ns->ok()) << host_ns->error();
        const auto made = router_ns->run(
            "ip link set lo up && ip link add va type veth peer name vb netns " + host_ns->name() +
            " && ip addr add 10.78.0.1/24 dev va && ip link set va up");
        ASSERT_EQ(made.exit_code, 0) << made.output;
        const auto host = host_ns->run(
            "ip link set lo up && ip addr add 10.78.0.2/24 dev vb && ip addr add 10.78.0.3/24 dev "
            "vb && "
            "ip link set vb up");
        ASSERT_EQ(host.exit_code, 0) << host.output;
    }
    std::string in_router(const std::string& command) { return router_ns->run(command).output; }
    net::Ipv4RawSocket host_socket(net::Ipv4Address address) {
        auto entry = host_ns->enter();
        auto opened = net::Ipv4RawSocket::open(kProtocolIpv6InIpv4, "vb", address);
        EXPECT_TRUE(opened.ok()) << opened.error().message;
        return std::move(*opened);
    }
    std::unique_ptr<NetnsGuard> router_ns;
    std::unique_ptr<NetnsGuard> host_ns;
};

TEST_F(IsatapRouterComponentNetns, StartsAnswersTheAllowedHostOnlyAndRemovesEverythingOnStop) {
    RecordProperty("rfc", "5214 8.2.3");
    ASSERT_EQ(in_router("sysctl -n net.ipv6.conf.all.forwarding"), "0\n");
    net::Ipv4RawSocket allowed = host_socket(kHost);
    net::Ipv4RawSocket refused = host_socket(kRefused);
    {
        auto entry = router_ns->enter();
        ASSERT_TRUE(entry.ok());
        auto kernel = netlink::NetlinkKernel::open();
        ASSERT_TRUE(kernel) << kernel.error().message;
        boost::asio::io_context io;
        auto started = IsatapRouterComponent::start(io, router_config(), *kernel);
        ASSERT_TRUE(started) << started.error().message;
        IsatapRouterComponent& router = **started;
        EXPECT_EQ(router.tun_name(), "isatap7");
        EXPECT_EQ(router.local_ipv4(), kRouter);

        // RFC 5214 6.1, 6.2: the router's ISATAP addresses (private IPv4: 0000:5efe).
        const std::string addresses = in_router("ip -6 addr show dev isatap7");
        EXPECT_NE(addresses.find("2002:836b:2:8000:0:5efe:a4e:1/64"), std::string::npos)
            << addresses;
        EXPECT_NE(addresses.find("fe80::5efe:a4e:1/64"), std::string::npos) << addresses;
        EXPECT_NE(in_router("ip link show isatap7").find("mtu 1280"), std::string::npos);
        EXPECT_EQ(in_router("sysctl -n net.ipv6.conf.all.forwarding"), "1\n");

        // The allowed host solicits and gets the RA, to its link-local ISATAP address.
        ASSERT_EQ(allowed.send(kRouter, solicitation_from(kHost)), 0);
        net::Ipv6Address destination;
        auto ra = receive_advertisement(allowed, std::chrono::seconds(3), &destination);
        ASSERT_TRUE(ra) << "no Router Advertisement for the allowed host";
        EXPECT_EQ(destination, isatap_link_local(kHost));
        bool has_prefix = false;
        for (const auto& option : ra->options)
            if (const auto* pio = std::get_if<nd::PrefixInformationOption>(&option))
                has_prefix = pio->prefix == *net::Ipv6Prefix::parse("2002:836b:2:8000::/64");
        EXPECT_TRUE(has_prefix);

        // The refused host gets nothing at all.
        ASSERT_EQ(refused.send(kRouter, solicitation_from(kRefused)), 0);
        EXPECT_FALSE(receive_advertisement(refused, std::chrono::milliseconds(700)));

        const nlohmann::json status = router.status();
        EXPECT_EQ(status["mode"], "router");
        EXPECT_EQ(status["interface"], "va");
        EXPECT_EQ(status["local_ipv4"], "10.78.0.1");
        EXPECT_EQ(status["tun"], "isatap7");
        EXPECT_EQ(status["prefix"], "2002:836b:2:8000::/64");
        EXPECT_EQ(status["router_address"], "2002:836b:2:8000:0:5efe:a4e:1");
        EXPECT_EQ(status["router_link_local"], "fe80::5efe:a4e:1");
        EXPECT_EQ(status["allow"], nlohmann::json::array({"10.78.0.2/32"}));
        EXPECT_EQ(status["hosts_seen"], 2);
        EXPECT_EQ(status["hosts_allowed"], 1);
        EXPECT_EQ(status["hosts_refused"], 1);
        EXPECT_EQ(status["hosts_truncated"], false);
        ASSERT_EQ(status["hosts"].size(), 2u);
        for (const auto& host : status["hosts"]) {
            const bool is_allowed = host["ipv4"] == "10.78.0.2";
            EXPECT_EQ(host["allowed"], is_allowed);
            EXPECT_EQ(host["solicitations"], is_allowed ? 1 : 0);
            EXPECT_EQ(host["advertisements"], is_allowed ? 1 : 0);
            EXPECT_EQ(host["packets_in"], 1);
            EXPECT_TRUE(host.contains("last_seen_seconds_ago"));
        }
        EXPECT_EQ(status["counters"]["solicitations_received"], 1);
        EXPECT_EQ(status["counters"]["advertisements_sent"], 1);
        EXPECT_GE(status["counters"]["ipv4_received"].get<int>(), 2);
        EXPECT_EQ(status["isatap_drops"]["source_not_allowed"], 1);
        EXPECT_EQ(status["isatap_drops"].size(), kIsatapDropCount);

        router.stop();
        router.stop();
        EXPECT_EQ(router.status()["state"], "stopped");
    }
    EXPECT_NE(router_ns->run("ip link show isatap7").exit_code, 0);
    EXPECT_EQ(in_router("sysctl -n net.ipv6.conf.all.forwarding"), "0\n");
}

TEST_F(IsatapRouterComponentNetns, AFailedStartAfterTheTunOpenedRemovesWhatItAdded) {
    auto entry = router_ns->enter();
    ASSERT_TRUE(entry.ok());
    // The TUN and the raw socket are real (in the namespace); the kernel state goes to a
    // FakeKernel that refuses the forwarding sysctl after both addresses were added.
    netlink::FakeKernel kernel;
    kernel.add_interface("va");
    kernel.add_interface("isatap7");
    netlink::InterfaceAddress local;
    local.device = "va";
    local.address = kRouter;
    local.prefix_length = 24;
    kernel.addresses().push_back(local);
    kernel.sysctls()["/proc/sys/net/ipv6/conf/all/forwarding"] = "0";
    kernel.fail_next(netlink::FakeKernel::Operation::kWriteSysctl, std::errc::permission_denied);
    const std::string error = start_error(kernel, router_config());
    EXPECT_NE(error.find("isatap ipv6 forwarding"), std::string::npos) << error;
    EXPECT_EQ(kernel.addresses().size(), 1u);  // only the administrator's
    EXPECT_NE(router_ns->run("ip link show isatap7").exit_code, 0);
}

TEST_F(IsatapRouterComponentNetns, ATunThatCannotBeMadeIsAClearErrorAndLeavesNothing) {
    auto entry = router_ns->enter();
    ASSERT_TRUE(entry.ok());
    auto kernel = netlink::NetlinkKernel::open();
    ASSERT_TRUE(kernel) << kernel.error().message;
    config::Config config = router_config();
    config.isatap.tun = std::string("a-name-longer-than-ifnamsiz");
    boost::asio::io_context io;
    auto started = IsatapRouterComponent::start(io, config, *kernel);
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().message.find("a-name-longer-than-ifnamsiz"), std::string::npos)
        << started.error().message;
    EXPECT_EQ(in_router("sysctl -n net.ipv6.conf.all.forwarding"), "0\n");
    EXPECT_EQ(in_router("ip -6 addr show scope global"), "");
}

}  // namespace
}  // namespace sixgate::isatap
