// Fuzzes the RFC 8925 client's DHCPv4 reply parser (clat/dhcpv4_message.hpp) and the client's
// decisions on what parses: never a crash or an out-of-bounds read; every accessor of a parsed
// reply is safe; the client never holds a lease outside "leased" and never waits less than
// MIN_V6ONLY_WAIT (RFC 8925 3.4).
//
// Input: a DHCPv4 message as it would arrive on UDP port 68. The client's xid and chaddr are
// taken from the input so that the fuzzer reaches the state machine.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>

#include "clat/dhcpv4_message.hpp"
#include "clat/rfc8925_client.hpp"

namespace {

using namespace sixgate::clat;
using namespace std::chrono_literals;

void require(bool condition) {
    if (!condition) std::abort();
}

void touch_every_accessor(const DhcpReplyView& view) {
    (void)view.xid();
    (void)view.chaddr();
    (void)view.yiaddr();
    (void)view.server_id();
    (void)view.subnet_mask();
    (void)view.router();
    (void)view.lease_time();
    const auto wait = view.ipv6_only_wait();
    require(!(wait && view.ipv6_only_option_malformed()));
    for (int code = 0; code < 256; code += 17) (void)view.option(static_cast<std::uint8_t>(code));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    auto view = DhcpReplyView::parse(bytes);
    if (!view) return 0;
    touch_every_accessor(*view);

    std::array<std::uint8_t, 6> mac = view->chaddr();
    Rfc8925ClientOptions options;
    const std::uint32_t xid = view->xid();
    options.new_xid = [xid] { return xid; };
    options.jitter = [] { return std::chrono::milliseconds(0); };
    Rfc8925Client client(mac, options);
    const DhcpClock::time_point t0{DhcpClock::duration(1000s)};
    (void)client.start(t0);
    // The same reply as an answer to the DISCOVER, and again to a REQUEST if one went out.
    for (int round = 0; round < 2; ++round) {
        (void)client.on_datagram(bytes, t0 + 1s);
        require(client.lease().has_value() == (client.state() == Rfc8925State::leased));
        if (client.state() == Rfc8925State::ipv6_only) {
            require(client.v6only_wait_s() >= kMinV6OnlyWait);
            require(client.next_deadline() >= t0 + 1s + 300s);
        }
    }
    (void)client.on_timer(client.next_deadline());
    return 0;
}
