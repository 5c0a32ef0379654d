#pragma once
// DHCPv4 messages for the RFC 8925 client (RFC 2131 message format, RFC 2132 options): builders of
// DHCPDISCOVER and DHCPREQUEST that ask for option 108 "IPv6-Only Preferred", and a validated view
// of the DHCPOFFER/DHCPACK/DHCPNAK a server sends back.
// Entry points: build_dhcp_discover, build_dhcp_request, parse_dhcp_reply.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "net/ip_address.hpp"
#include "net/result.hpp"

namespace sixgate::clat {

inline constexpr std::uint16_t kDhcpServerPort = 67;
inline constexpr std::uint16_t kDhcpClientPort = 68;
// RFC 8925 3.1: the option code, and 3.4: the shortest wait a client accepts (seconds).
inline constexpr std::uint8_t kOptionIpv6OnlyPreferred = 108;
inline constexpr std::uint32_t kMinV6OnlyWait = 300;

// RFC 2132 9.6: DHCP message types.
enum class DhcpMessageType : std::uint8_t {
    discover = 1,
    offer = 2,
    request = 3,
    decline = 4,
    ack = 5,
    nak = 6,
    release = 7,
    inform = 8,
};
std::string_view to_string(DhcpMessageType type) noexcept;

// What the client puts in every message it sends.
struct DhcpClientFields {
    std::uint32_t xid = 0;
    std::array<std::uint8_t, 6> mac{};  // chaddr (Ethernet)
    std::uint16_t secs = 0;             // seconds since the client began (RFC 2131 4.4.1)
};

// The options the client asks for (option 55): subnet mask, router, lease time, and
// RFC 8925 3.2: IPv6-Only Preferred.
inline constexpr std::array<std::uint8_t, 4> kParameterRequestList{1, 3, 51,
                                                                   kOptionIpv6OnlyPreferred};

// RFC 2131 4.4.1: DHCPDISCOVER with the broadcast flag set (the client has no IPv4 address to
// receive unicast on), padded to the 300-byte BOOTP minimum (RFC 1542 2.1).
std::vector<std::byte> build_dhcp_discover(const DhcpClientFields& client);

// RFC 2131 4.3.2 SELECTING: DHCPREQUEST for the offered address (option 50) from the server that
// offered it (option 54), ciaddr zero, broadcast.
std::vector<std::byte> build_dhcp_request(const DhcpClientFields& client,
                                          net::Ipv4Address requested, net::Ipv4Address server_id);

// Why a datagram on port 68 was not taken as a reply to this client (counted, never trusted).
enum class DhcpDropReason : std::uint8_t {
    too_short,           // less than the 236-byte BOOTP header + magic cookie
    not_a_reply,         // op is not BOOTREPLY
    bad_hardware,        // htype/hlen is not Ethernet/6
    no_magic_cookie,     // RFC 2131 3: 99.130.83.99 missing
    truncated_option,    // an option's length runs past the end of its field
    no_message_type,     // option 53 missing or not 1 byte
    wrong_message_type,  // not OFFER, ACK or NAK
    wrong_xid,           // not our transaction
    wrong_chaddr,        // not our hardware address
    count_,
};
inline constexpr std::size_t kDhcpDropReasonCount =
    static_cast<std::size_t>(DhcpDropReason::count_);
std::string_view to_string(DhcpDropReason reason) noexcept;

// A validated server reply: the options area (and sname/file when option 52 overloads them) is
// well formed up to END, so the accessors stay in bounds.
class DhcpReplyView {
public:
    static Expected<DhcpReplyView, DhcpDropReason> parse(std::span<const std::byte> bytes);

    DhcpMessageType message_type() const noexcept { return type_; }
    std::uint32_t xid() const noexcept;
    std::array<std::uint8_t, 6> chaddr() const noexcept;
    net::Ipv4Address yiaddr() const noexcept;

    // The first instance of an option's value, if present.
    std::optional<std::span<const std::byte>> option(std::uint8_t code) const noexcept;
    std::optional<net::Ipv4Address> server_id() const noexcept;    // 54
    std::optional<net::Ipv4Address> subnet_mask() const noexcept;  // 1
    std::optional<net::Ipv4Address> router() const noexcept;       // 3, the first
    std::optional<std::uint32_t> lease_time() const noexcept;      // 51, seconds
    // RFC 8925 3.1: V6ONLY_WAIT as sent; an option whose length is not 4 is ignored (empty).
    std::optional<std::uint32_t> ipv6_only_wait() const noexcept;
    // True when option 108 is present but not 4 bytes long (ignored, but worth a counter).
    bool ipv6_only_option_malformed() const noexcept;

private:
    explicit DhcpReplyView(std::span<const std::byte> bytes) : bytes_(bytes) {}
    std::span<const std::byte> bytes_;
    DhcpMessageType type_ = DhcpMessageType::offer;
    std::uint8_t overload_ = 0;  // option 52: 1 file, 2 sname, 3 both
};

// Parses and checks that the reply belongs to this client (xid, chaddr).
Expected<DhcpReplyView, DhcpDropReason> parse_dhcp_reply(std::span<const std::byte> bytes,
                                                         const DhcpClientFields& client);

}  // namespace sixgate::clat
