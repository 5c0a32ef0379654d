#pragma once
// The RFC 8925 client on the CLAT's uplink: Rfc8925Client's decisions driven by a steady timer and
// a UDP socket on 0.0.0.0:68 bound to the uplink (SO_BINDTODEVICE, SO_BROADCAST: the host has no
// IPv4 address yet), and the lease put on the uplink when IPv4 is native. It tells its owner
// whether the CLAT should run. Entry points: V6OnlyClient::start, mode, status.

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "clat/dhcpv4_lease.hpp"
#include "clat/rfc8925_client.hpp"
#include "net/netlink/kernel_api.hpp"
#include "net/result.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::clat {

class V6OnlyClient {
public:
    // Called when the mode changes. Going native, it is called before the lease is installed
    // (the CLAT's IPv4 default route must be gone first); leaving native, after it is removed.
    using OnModeChange = std::function<void(Ipv4Mode)>;

    // Opens the socket (fails if port 68 is taken, e.g. by another DHCP client) and sends the
    // first DISCOVER. The uplink must have a 6-byte (Ethernet) link-layer address.
    static Result<std::unique_ptr<V6OnlyClient>> start(boost::asio::io_context& io,
                                                       const std::string& uplink,
                                                       net::netlink::KernelApi& kernel,
                                                       Rfc8925ClientOptions options,
                                                       OnModeChange on_change);
    ~V6OnlyClient();
    V6OnlyClient(const V6OnlyClient&) = delete;
    V6OnlyClient& operator=(const V6OnlyClient&) = delete;

    Ipv4Mode mode() const noexcept { return logic_.mode(); }
    // components.clat.dhcpv4 in `sixgate status` (docs/clat.md "RFC 8925").
    nlohmann::json status() const;

private:
    V6OnlyClient(boost::asio::io_context& io, net::UniqueFd fd, std::string uplink,
                 std::array<std::uint8_t, 6> mac, net::netlink::KernelApi& kernel,
                 Rfc8925ClientOptions options, OnModeChange on_change);
    void wait_readable();
    void receive_all();
    void send(const Rfc8925Client::Outgoing& messages);
    void after_event(Ipv4Mode before, Rfc8925State state_before);
    void arm_timer();

    net::UniqueFd fd_;
    boost::asio::posix::stream_descriptor descriptor_;
    boost::asio::steady_timer timer_;
    std::string uplink_;
    Rfc8925Client logic_;
    DhcpLeaseInstaller lease_;
    OnModeChange on_change_;
    std::vector<std::byte> buffer_;
    std::uint64_t send_errors_ = 0;
    std::uint64_t datagrams_received_ = 0;
    std::string lease_error_;
};

}  // namespace sixgate::clat
