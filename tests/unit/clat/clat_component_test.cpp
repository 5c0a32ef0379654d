// ClatComponent's start-up errors, against a FakeKernel: each is refused before anything is put
// in the kernel, with a message that says what to fix. (Starting for real needs a TUN: the
// namespace smoke test covers that.)
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>

#include "clat/clat_component.hpp"
#include "net/netlink/fake_kernel.hpp"

namespace sixgate::clat {
namespace {

namespace netlink = net::netlink;

config::Config clat_config() {
    config::Config config;
    config.clat.enabled = true;
    config.clat.uplink = std::string("eth0");
    config::PlatPrefixSetting prefix{config::PlatPrefixSource::configured,
                                     net::Ipv6Prefix::parse("2001:db8:64::/96").value()};
    config.clat.plat_prefix.set(prefix, config::Origin::configured);
    config.clat.ipv6_address.set(net::Ipv6Address::parse("2001:db8:c1a7::1").value(),
                                 config::Origin::configured);
    return config;
}

std::string start_error(netlink::FakeKernel& kernel, const config::Config& config) {
    boost::asio::io_context io;
    auto started = ClatComponent::start(io, config, kernel);
    if (started) return "started";
    return started.error().message;
}

TEST(ClatComponentStart, AMissingUplinkIsAClearError) {
    netlink::FakeKernel kernel;
    const std::string error = start_error(kernel, clat_config());
    EXPECT_NE(error.find("clat uplink eth0 (clat.uplink)"), std::string::npos) << error;
    EXPECT_TRUE(kernel.changes().empty());
}

TEST(ClatComponentStart, RefusesAHostThatAlreadyHasAnIpv4DefaultRoute) {
    RecordProperty("rfc", "6877 1");
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0");
    kernel.sysctls()["/proc/sys/net/ipv6/conf/eth0/mtu"] = "1500";
    netlink::Route native;
    native.destination = net::Ipv4Prefix(net::Ipv4Address(), 0);
    native.gateway = net::Ipv4Address(192, 0, 2, 1);
    native.device = "eth0";
    native.protocol = 4;  // static
    kernel.routes().push_back(native);
    const std::string error = start_error(kernel, clat_config());
    EXPECT_NE(error.find("already has an IPv4 default route (0.0.0.0/0 via 192.0.2.1 dev eth0"),
              std::string::npos)
        << error;
    EXPECT_NE(error.find("RFC 6877"), std::string::npos) << error;
    EXPECT_TRUE(kernel.changes().empty());
}

TEST(ClatComponentStart, AnUplinkWithoutIpv6IsAClearError) {
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0", 576);
    const std::string error = start_error(kernel, clat_config());
    EXPECT_NE(error.find("IPv6 MTU 576 is below 1280"), std::string::npos) << error;
}

TEST(ClatComponentStart, ATunThatCannotBeOpenedIsAClearErrorAndLeavesNothing) {
    netlink::FakeKernel kernel;
    kernel.add_interface("eth0");
    config::Config config = clat_config();
    config.clat.tun = std::string("a-name-longer-than-ifnamsiz");
    const std::string error = start_error(kernel, config);
    EXPECT_NE(error.find("clat tun a-name-longer-than-ifnamsiz (clat.tun)"), std::string::npos)
        << error;
    EXPECT_TRUE(kernel.changes().empty());
}

}  // namespace
}  // namespace sixgate::clat
