#pragma once
// A userspace Neighbor Discovery proxy for one address (the CLAT's): answers Neighbor
// Solicitations for it on one interface (RFC 4861 7.2.3, 7.2.4, 7.2.8) after Duplicate Address
// Detection (RFC 4862 5.4), without the kernel's proxy_ndp (which only answers when the
// interface forwards, and forwarding stops the kernel from accepting RAs).
// Entry points: NdProxy::start; the pure codecs parse_neighbor_solicitation,
// parse_neighbor_advertisement, build_neighbor_advertisement, build_neighbor_solicitation,
// proxy_reply and build_ipv6_icmp_packet.
//
// Why a packet socket: a unicast NS (neighbor unreachability detection) is addressed to the
// proxied address itself, which is not assigned to the interface, so the kernel routes it (into
// the CLAT's TUN) instead of delivering it to a raw ICMPv6 socket. An AF_PACKET socket sees every
// frame the interface accepts, before routing; a BPF filter lets in only NS and NA whose target is
// the proxied address. Replies are sent on the same socket, straight to the solicitor's link-layer
// address, so they do not wait for the kernel to resolve the solicitor first.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <nlohmann/json.hpp>

#include "net/ip_address.hpp"
#include "net/nd/options.hpp"
#include "net/result.hpp"
#include "net/unique_fd.hpp"

namespace sixgate::clat {

inline constexpr std::uint8_t kIcmpv6NeighborSolicitation = 135;
inline constexpr std::uint8_t kIcmpv6NeighborAdvertisement = 136;
// RFC 3971 5.3.2 Nonce option, used by RFC 7527 (enhanced DAD) to recognise our own looped NS.
inline constexpr std::uint8_t kNdOptionNonce = 14;

// Why a received NS or NA was dropped (RFC 4861 7.1.1, 7.1.2). snake_case names are stable
// counter names.
enum class NdProxyDropReason : std::uint8_t {
    bad_ip_header,                          // not IPv6, or payload length beyond the frame
    too_short,                              // ICMPv6 shorter than 24 bytes
    wrong_type,                             // not the ICMPv6 type parsed
    bad_code,                               // ICMP code is not 0
    bad_hop_limit,                          // IP hop limit is not 255: sent from off-link
    bad_checksum,                           // ICMPv6 checksum does not verify
    bad_options,                            // an option with Length 0 or running past the end
    bad_link_layer_option,                  // a link-layer address option that is not 8 bytes
    target_multicast,                       // target address is multicast
    unspecified_source_not_solicited_node,  // DAD NS (source ::) not sent to a solicited-node group
    unspecified_source_with_link_layer,  // DAD NS (source ::) carrying a source link-layer option
    multicast_destination_solicited,     // NA to a multicast group with S=1 (7.1.2)
};
inline constexpr std::size_t kNdProxyDropReasonCount = 12;
std::string_view to_string(NdProxyDropReason reason) noexcept;

template <class T>
using NdProxyParseResult = Expected<T, NdProxyDropReason>;

using NdNonce = std::array<std::uint8_t, 6>;

struct NeighborSolicitation {
    net::Ipv6Address source;
    net::Ipv6Address destination;
    net::Ipv6Address target;
    std::optional<net::nd::MacAddress> source_link_layer_address;
    std::optional<NdNonce> nonce;  // the first 6 bytes of a Nonce option

    bool from_unspecified() const noexcept { return source == net::Ipv6Address(); }
    bool operator==(const NeighborSolicitation&) const = default;
};

struct NeighborAdvertisement {
    net::Ipv6Address target;
    bool router = false;     // R
    bool solicited = false;  // S
    bool override = false;   // O
    std::optional<net::nd::MacAddress> target_link_layer_address;
    bool operator==(const NeighborAdvertisement&) const = default;
};

// RFC 4861 7.1.1, in order: too_short (under 4 bytes), wrong_type, bad_code, bad_hop_limit,
// too_short (under 24 bytes), bad_checksum, target_multicast, bad_options, bad_link_layer_option,
// unspecified_source_not_solicited_node, unspecified_source_with_link_layer. `icmp` is the ICMPv6
// message; the rest from the IP header.
NdProxyParseResult<NeighborSolicitation> parse_neighbor_solicitation(
    std::span<const std::uint8_t> icmp, std::uint8_t hop_limit, const net::Ipv6Address& source,
    const net::Ipv6Address& destination);
// RFC 4861 7.1.2: as above, plus multicast_destination_solicited.
NdProxyParseResult<NeighborAdvertisement> parse_neighbor_advertisement(
    std::span<const std::uint8_t> icmp, std::uint8_t hop_limit, const net::Ipv6Address& source,
    const net::Ipv6Address& destination);

// The ICMPv6 message (checksum 0) at the start of `out`: 24 bytes, 32 with the target
// link-layer address option (RFC 4861 4.4).
Result<std::size_t> build_neighbor_advertisement(const NeighborAdvertisement& message,
                                                 std::span<std::uint8_t> out);
// An NS for `target` (RFC 4861 4.3), with a source link-layer address option and/or a Nonce
// option when given (checksum 0).
Result<std::size_t> build_neighbor_solicitation(
    const net::Ipv6Address& target,
    const std::optional<net::nd::MacAddress>& source_link_layer_address,
    const std::optional<NdNonce>& nonce, std::span<std::uint8_t> out);

// A whole IPv6 packet for the packet socket: the 40-byte header (hop limit 255, next header 58)
// then `icmp`, its checksum filled in. Returns the packet length.
Result<std::size_t> build_ipv6_icmp_packet(const net::Ipv6Address& source,
                                           const net::Ipv6Address& destination,
                                           std::span<const std::uint8_t> icmp,
                                           std::span<std::uint8_t> out);

// ff02::1:ffXX:XXXX, the solicited-node group of an address (RFC 4291 2.7.1).
net::Ipv6Address solicited_node_address(const net::Ipv6Address& address) noexcept;
// 33:33 and the group's low 32 bits (RFC 2464 7).
net::nd::MacAddress multicast_mac(const net::Ipv6Address& group) noexcept;

// What the proxy sends for a valid NS for its target.
struct ProxyReply {
    net::Ipv6Address destination;
    net::nd::MacAddress destination_mac{};
    NeighborAdvertisement advertisement;
};
// RFC 4861 7.2.4: a DAD NS (source ::) is answered to all-nodes with S=0; any other NS to its
// source with S=1, at the link-layer address the NS carried, else the frame's (`frame_source`).
// The target link-layer address option is always included (required for multicast NS).
// RFC 4861 7.2.8: a proxy sets O=0, so that the node owning the address, were it on the link,
// wins with its own O=1 advertisement; R=0 (the CLAT address is a host's).
// The NA's IP source is the target itself (NdProxy sends it so): the address is this host's,
// served by the CLAT behind a TUN, so the proxy answers from it as an owner would (7.2.4); peers
// such as ndisc6 only accept an answer whose source is the address they asked for.
ProxyReply proxy_reply(const NeighborSolicitation& solicitation,
                       const net::nd::MacAddress& frame_source, const net::nd::MacAddress& our_mac);

struct NdProxyCounters {
    std::uint64_t received = 0;        // NS and NA for the target seen on the link
    std::uint64_t answered = 0;        // NS answered with a solicited NA (S=1)
    std::uint64_t answered_dad = 0;    // DAD NS from :: answered to all-nodes (defended)
    std::uint64_t ignored_looped = 0;  // our own DAD NS looped back (same nonce)
    std::uint64_t conflicts = 0;       // NA from another node claiming the target
    std::uint64_t send_errors = 0;
    std::uint64_t receive_errors = 0;
    std::array<std::uint64_t, kNdProxyDropReasonCount> drops{};
};

class NdProxy {
public:
    // Opens the packet socket on `interface` (needs CAP_NET_RAW), subscribes to the target's
    // solicited-node group, and when duplicate_address_detection is on runs RFC 4862 5.4 DAD
    // first: one NS from :: to the solicited-node group, then waits the interface's RetransTimer
    // (net.ipv6.neigh.IF.retrans_time_ms, 1 s by default). This blocks the calling thread for that
    // long. If a node answers or is doing DAD for the same address, start fails with
    // errc::address_in_use naming the address and interface.
    static Result<std::unique_ptr<NdProxy>> start(boost::asio::io_context& io,
                                                  std::string interface, net::Ipv6Address target,
                                                  bool duplicate_address_detection = true);
    ~NdProxy();
    NdProxy(const NdProxy&) = delete;
    NdProxy& operator=(const NdProxy&) = delete;

    const net::Ipv6Address& target() const noexcept { return target_; }
    const NdProxyCounters& counters() const noexcept { return counters_; }
    // {"interface", "target", "mac", "answered", "answered_dad", ..., "dropped": {reason: n}}
    nlohmann::json status() const;

private:
    NdProxy(boost::asio::io_context& io, std::string interface, int interface_index,
            net::Ipv6Address target, net::nd::MacAddress mac, net::UniqueFd fd);

    struct Frame {
        std::span<const std::uint8_t> icmp;
        std::uint8_t hop_limit = 0;
        net::Ipv6Address source;
        net::Ipv6Address destination;
        net::nd::MacAddress frame_source{};
        bool usable = false;  // false: our own outgoing frame, or one already counted as a drop
    };
    // One frame from the socket: nullopt when none is waiting or it is not for us (outgoing,
    // dropped: counted).
    std::optional<Frame> receive_frame();
    Result<void> send_frame(std::span<const std::uint8_t> packet,
                            const net::nd::MacAddress& destination);
    Result<void> duplicate_address_detection(std::chrono::milliseconds retrans_timer);
    void wait_readable();
    void receive_all();
    void handle(const Frame& frame);
    void drop(NdProxyDropReason reason, const Frame& frame);
    bool may_log();

    std::string interface_;
    int interface_index_ = 0;
    net::Ipv6Address target_;
    net::nd::MacAddress mac_{};
    net::UniqueFd fd_;
    boost::asio::posix::stream_descriptor descriptor_;
    NdNonce nonce_{};
    std::array<std::uint8_t, 2048> receive_buffer_{};
    std::array<std::uint8_t, 128> send_buffer_{};
    std::array<std::uint8_t, 64> icmp_buffer_{};
    NdProxyCounters counters_;
    std::chrono::steady_clock::time_point log_window_start_{};
    int log_lines_in_window_ = 0;
};

}  // namespace sixgate::clat
