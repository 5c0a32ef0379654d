#include "clat/nd_proxy.hpp"

#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <random>
#include <vector>

#include <spdlog/spdlog.h>

#include "net/byte_order.hpp"
#include "net/checksum.hpp"
#include "net/nd/option_view.hpp"
#include "net/netlink/interfaces.hpp"
#include "net/netlink/sysctl.hpp"

namespace sixgate::clat {

namespace nd = net::nd;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::size_t kNdMessageSize = 24;  // type..target (RFC 4861 4.3, 4.4)
constexpr std::size_t kIpv6HeaderSize = 40;
constexpr std::uint8_t kHopLimit = 255;
constexpr std::chrono::milliseconds kDefaultRetransTimer{1000};  // RFC 4861 10 RETRANS_TIMER
constexpr int kLogLinesPerSecond = 20;

const net::Ipv6Address kAllNodes{
    net::Ipv6Address::Bytes{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}};

Error system_error(const std::string& what) {
    return Error{std::error_code(errno, std::generic_category()),
                 what + ": " + std::strerror(errno)};
}

bool is_multicast(const net::Ipv6Address& address) noexcept {
    return address.bytes()[0] == 0xff;
}
bool is_unspecified(const net::Ipv6Address& address) noexcept {
    return address == net::Ipv6Address();
}

// ff02::1:ff00:0/104 (RFC 4291 2.7.1).
bool is_solicited_node(const net::Ipv6Address& address) noexcept {
    const auto& b = address.bytes();
    static constexpr std::array<std::uint8_t, 13> kPrefix{0xff, 0x02, 0, 0, 0,    0,   0,
                                                          0,    0,    0, 0, 0x01, 0xff};
    return std::equal(kPrefix.begin(), kPrefix.end(), b.begin());
}

std::string mac_to_string(const nd::MacAddress& mac) {
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", mac[0], mac[1], mac[2], mac[3],
                       mac[4], mac[5]);
}

net::Ipv6Address read_address(std::span<const std::uint8_t> bytes) {
    net::Ipv6Address::Bytes b;
    std::copy_n(bytes.begin(), 16, b.begin());
    return net::Ipv6Address(b);
}

// The checks NS and NA share (RFC 4861 7.1.1 and 7.1.2, first bullets): returns the drop or the
// target and the options area.
struct CommonNd {
    net::Ipv6Address target;
    std::span<const std::uint8_t> options;
};

NdProxyParseResult<CommonNd> check_common(std::span<const std::uint8_t> icmp, std::uint8_t type,
                                          std::uint8_t hop_limit, const net::Ipv6Address& source,
                                          const net::Ipv6Address& destination) {
    if (icmp.size() < 4) return NdProxyDropReason::too_short;
    if (icmp[0] != type) return NdProxyDropReason::wrong_type;
    if (icmp[1] != 0) return NdProxyDropReason::bad_code;
    // Hop limit 255 proves the sender is on this link.
    if (hop_limit != kHopLimit) return NdProxyDropReason::bad_hop_limit;
    if (icmp.size() < kNdMessageSize) return NdProxyDropReason::too_short;
    if (!net::icmpv6_checksum_is_valid(source, destination, icmp))
        return NdProxyDropReason::bad_checksum;
    CommonNd common{read_address(icmp.subspan(8, 16)), icmp.subspan(kNdMessageSize)};
    if (is_multicast(common.target)) return NdProxyDropReason::target_multicast;
    if (!nd::NdOptionList::parse(common.options)) return NdProxyDropReason::bad_options;
    return common;
}

std::optional<nd::MacAddress> link_layer_option(const nd::NdOptionView& option) {
    if (option.size() != 8) return std::nullopt;
    nd::MacAddress mac;
    std::copy_n(option.bytes().begin() + 2, 6, mac.begin());
    return mac;
}

// Classic BPF over the IPv6 header (a SOCK_DGRAM packet socket starts there): next header ICMPv6,
// type NS or NA, target equal to ours. Everything else never reaches userspace.
std::vector<sock_filter> target_filter(const net::Ipv6Address& target) {
    std::vector<sock_filter> program;
    const auto& t = target.bytes();
    auto word = [&](int i) {
        return std::uint32_t{t[4 * i]} << 24 | std::uint32_t{t[4 * i + 1]} << 16 |
               std::uint32_t{t[4 * i + 2]} << 8 | t[4 * i + 3];
    };
    // 15 instructions; `drop` is the last, jumps are counted from the next instruction.
    constexpr std::uint8_t kDrop = 14;
    auto to_drop = [&](std::size_t at) { return std::uint8_t(kDrop - at - 1); };
    program.push_back(BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6));                   // 0 next header
    program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, to_drop(1)));  // 1
    program.push_back(BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 40));                  // 2 ICMPv6 type
    program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kIcmpv6NeighborSolicitation, 1, 0));  // 3
    program.push_back(
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, kIcmpv6NeighborAdvertisement, 0, to_drop(4)));  // 4
    for (int i = 0; i < 4; ++i) {  // 5..12 target
        program.push_back(BPF_STMT(BPF_LD | BPF_W | BPF_ABS, std::uint32_t(48 + 4 * i)));
        program.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, word(i), 0, to_drop(program.size())));
    }
    program.push_back(BPF_STMT(BPF_RET | BPF_K, 0xffff));  // 13 accept
    program.push_back(BPF_STMT(BPF_RET | BPF_K, 0));       // 14 drop
    return program;
}

// The interface's RetransTimer as the kernel keeps it (learned from RAs or configured).
std::chrono::milliseconds retrans_timer(const std::string& interface) {
    auto text =
        net::netlink::read_sysctl("/proc/sys/net/ipv6/neigh/" + interface + "/retrans_time_ms");
    if (!text) return kDefaultRetransTimer;
    try {
        const long value = std::stol(*text);
        if (value > 0 && value <= 60000) return std::chrono::milliseconds(value);
    } catch (const std::exception&) {
    }
    return kDefaultRetransTimer;
}

}  // namespace

std::string_view to_string(NdProxyDropReason reason) noexcept {
    switch (reason) {
        case NdProxyDropReason::bad_ip_header:
            return "bad_ip_header";
        case NdProxyDropReason::too_short:
            return "too_short";
        case NdProxyDropReason::wrong_type:
            return "wrong_type";
        case NdProxyDropReason::bad_code:
            return "bad_code";
        case NdProxyDropReason::bad_hop_limit:
            return "bad_hop_limit";
        case NdProxyDropReason::bad_checksum:
            return "bad_checksum";
        case NdProxyDropReason::bad_options:
            return "bad_options";
        case NdProxyDropReason::bad_link_layer_option:
            return "bad_link_layer_option";
        case NdProxyDropReason::target_multicast:
            return "target_multicast";
        case NdProxyDropReason::unspecified_source_not_solicited_node:
            return "unspecified_source_not_solicited_node";
        case NdProxyDropReason::unspecified_source_with_link_layer:
            return "unspecified_source_with_link_layer";
        case NdProxyDropReason::multicast_destination_solicited:
            return "multicast_destination_solicited";
    }
    return "unknown";
}

NdProxyParseResult<NeighborSolicitation> parse_neighbor_solicitation(
    std::span<const std::uint8_t> icmp, std::uint8_t hop_limit, const net::Ipv6Address& source,
    const net::Ipv6Address& destination) {
    auto common = check_common(icmp, kIcmpv6NeighborSolicitation, hop_limit, source, destination);
    if (!common) return common.error();
    NeighborSolicitation result{source, destination, common->target, std::nullopt, std::nullopt};
    auto options = nd::NdOptionList::parse(common->options);
    for (const nd::NdOptionView option : *options) {
        if (option.type() == std::uint8_t(nd::NdOptionType::source_link_layer_address)) {
            // RFC 2464 8: on Ethernet the option is 8 bytes.
            auto mac = link_layer_option(option);
            if (!mac) return NdProxyDropReason::bad_link_layer_option;
            result.source_link_layer_address = mac;
        } else if (option.type() == kNdOptionNonce && !result.nonce) {
            NdNonce nonce;
            std::copy_n(option.bytes().begin() + 2, nonce.size(), nonce.begin());
            result.nonce = nonce;
        }
        // RFC 4861 7.1.1: other options are ignored.
    }
    if (is_unspecified(source)) {
        // RFC 4861 7.1.1: a DAD probe goes to a solicited-node group and names no link-layer
        // address (nobody may cache it for an address not yet owned).
        if (!is_solicited_node(destination))
            return NdProxyDropReason::unspecified_source_not_solicited_node;
        if (result.source_link_layer_address)
            return NdProxyDropReason::unspecified_source_with_link_layer;
    }
    return result;
}

NdProxyParseResult<NeighborAdvertisement> parse_neighbor_advertisement(
    std::span<const std::uint8_t> icmp, std::uint8_t hop_limit, const net::Ipv6Address& source,
    const net::Ipv6Address& destination) {
    auto common = check_common(icmp, kIcmpv6NeighborAdvertisement, hop_limit, source, destination);
    if (!common) return common.error();
    NeighborAdvertisement result;
    result.target = common->target;
    result.router = (icmp[4] & 0x80) != 0;
    result.solicited = (icmp[4] & 0x40) != 0;
    result.override = (icmp[4] & 0x20) != 0;
    // RFC 4861 7.1.2: a solicited NA answers one node, so it is never multicast.
    if (is_multicast(destination) && result.solicited)
        return NdProxyDropReason::multicast_destination_solicited;
    const auto options = nd::NdOptionList::parse(common->options);  // checked in check_common
    for (const nd::NdOptionView option : *options) {
        if (option.type() != std::uint8_t(nd::NdOptionType::target_link_layer_address)) continue;
        auto mac = link_layer_option(option);
        if (!mac) return NdProxyDropReason::bad_link_layer_option;
        result.target_link_layer_address = mac;
    }
    return result;
}

Result<std::size_t> build_neighbor_advertisement(const NeighborAdvertisement& message,
                                                 std::span<std::uint8_t> out) {
    const std::size_t length = kNdMessageSize + (message.target_link_layer_address ? 8 : 0);
    if (out.size() < length)
        return make_error(std::errc::no_buffer_space, "neighbor advertisement does not fit");
    std::fill_n(out.begin(), length, std::uint8_t{0});
    out[0] = kIcmpv6NeighborAdvertisement;
    out[4] = std::uint8_t((message.router ? 0x80 : 0) | (message.solicited ? 0x40 : 0) |
                          (message.override ? 0x20 : 0));
    std::copy(message.target.bytes().begin(), message.target.bytes().end(), out.begin() + 8);
    if (message.target_link_layer_address) {
        out[24] = std::uint8_t(nd::NdOptionType::target_link_layer_address);
        out[25] = 1;
        std::copy(message.target_link_layer_address->begin(),
                  message.target_link_layer_address->end(), out.begin() + 26);
    }
    return length;
}

Result<std::size_t> build_neighbor_solicitation(
    const net::Ipv6Address& target, const std::optional<nd::MacAddress>& source_link_layer_address,
    const std::optional<NdNonce>& nonce, std::span<std::uint8_t> out) {
    const std::size_t length =
        kNdMessageSize + (source_link_layer_address ? 8 : 0) + (nonce ? 8 : 0);
    if (out.size() < length)
        return make_error(std::errc::no_buffer_space, "neighbor solicitation does not fit");
    std::fill_n(out.begin(), length, std::uint8_t{0});
    out[0] = kIcmpv6NeighborSolicitation;
    std::copy(target.bytes().begin(), target.bytes().end(), out.begin() + 8);
    std::size_t at = kNdMessageSize;
    if (source_link_layer_address) {
        out[at] = std::uint8_t(nd::NdOptionType::source_link_layer_address);
        out[at + 1] = 1;
        std::copy(source_link_layer_address->begin(), source_link_layer_address->end(),
                  out.begin() + at + 2);
        at += 8;
    }
    if (nonce) {
        out[at] = kNdOptionNonce;
        out[at + 1] = 1;
        std::copy(nonce->begin(), nonce->end(), out.begin() + at + 2);
    }
    return length;
}

Result<std::size_t> build_ipv6_icmp_packet(const net::Ipv6Address& source,
                                           const net::Ipv6Address& destination,
                                           std::span<const std::uint8_t> icmp,
                                           std::span<std::uint8_t> out) {
    const std::size_t length = kIpv6HeaderSize + icmp.size();
    if (icmp.size() < 4 || icmp.size() > 0xffff || out.size() < length)
        return make_error(std::errc::no_buffer_space, "icmpv6 packet does not fit");
    std::fill_n(out.begin(), kIpv6HeaderSize, std::uint8_t{0});
    out[0] = 0x60;
    net::store_be16(out, 4, std::uint16_t(icmp.size()));
    out[6] = net::kIpProtocolIcmpv6;
    out[7] = kHopLimit;
    std::copy(source.bytes().begin(), source.bytes().end(), out.begin() + 8);
    std::copy(destination.bytes().begin(), destination.bytes().end(), out.begin() + 24);
    auto message = out.subspan(kIpv6HeaderSize, icmp.size());
    std::copy(icmp.begin(), icmp.end(), message.begin());
    net::store_be16(message, 2, 0);
    net::store_be16(message, 2, net::icmpv6_checksum(source, destination, message));
    return length;
}

net::Ipv6Address solicited_node_address(const net::Ipv6Address& address) noexcept {
    net::Ipv6Address::Bytes b{0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0xff, 0, 0, 0};
    std::copy_n(address.bytes().begin() + 13, 3, b.begin() + 13);
    return net::Ipv6Address(b);
}

nd::MacAddress multicast_mac(const net::Ipv6Address& group) noexcept {
    const auto& b = group.bytes();
    return {0x33, 0x33, b[12], b[13], b[14], b[15]};
}

ProxyReply proxy_reply(const NeighborSolicitation& solicitation, const nd::MacAddress& frame_source,
                       const nd::MacAddress& our_mac) {
    ProxyReply reply;
    reply.advertisement.target = solicitation.target;
    reply.advertisement.router = false;
    // RFC 4861 7.2.8: O=0 from a proxy.
    reply.advertisement.override = false;
    reply.advertisement.target_link_layer_address = our_mac;
    if (solicitation.from_unspecified()) {
        // RFC 4861 7.2.4: the prober has no address to answer to: all-nodes, S=0.
        reply.destination = kAllNodes;
        reply.destination_mac = multicast_mac(kAllNodes);
        reply.advertisement.solicited = false;
    } else {
        reply.destination = solicitation.source;
        reply.destination_mac = solicitation.source_link_layer_address.value_or(frame_source);
        reply.advertisement.solicited = true;
    }
    return reply;
}

Result<std::unique_ptr<NdProxy>> NdProxy::start(boost::asio::io_context& io, std::string interface,
                                                net::Ipv6Address target,
                                                bool duplicate_address_detection) {
    const std::string where = "nd proxy for " + target.to_string() + " on " + interface;
    if (is_multicast(target) || is_unspecified(target))
        return make_error(std::errc::invalid_argument,
                          where + ": the target must be a unicast address");
    auto route_socket = net::netlink::RouteSocket::open();
    if (!route_socket)
        return Error{route_socket.error().code, where + ": " + route_socket.error().message};
    auto info = net::netlink::interface_info(*route_socket, interface);
    if (!info) return Error{info.error().code, where + ": " + info.error().message};
    if (info->link_layer_address.size() != 6)
        return make_error(std::errc::invalid_argument,
                          where + ": the interface has no Ethernet address");
    nd::MacAddress mac;
    std::copy_n(info->link_layer_address.begin(), 6, mac.begin());

    // Protocol 0 until bind, so no frame is queued before the filter is in place.
    net::UniqueFd fd(::socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!fd) return system_error(where + ": packet socket");
    std::vector<sock_filter> program = target_filter(target);
    sock_fprog filter{static_cast<unsigned short>(program.size()), program.data()};
    if (::setsockopt(fd.get(), SOL_SOCKET, SO_ATTACH_FILTER, &filter, sizeof filter) != 0)
        return system_error(where + ": attach filter");
    const int on = 1;
    // Our own NS and NA come back as PACKET_OUTGOING otherwise (also checked per frame).
    (void)::setsockopt(fd.get(), SOL_PACKET, PACKET_IGNORE_OUTGOING, &on, sizeof on);
    sockaddr_ll address{};
    address.sll_family = AF_PACKET;
    address.sll_protocol = htons(ETH_P_IPV6);
    address.sll_ifindex = info->index;
    if (::bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0)
        return system_error(where + ": bind");
    // RFC 4862 5.4.2: join the solicited-node group before probing. A link-layer subscription is
    // what the NIC's filter needs; it is dropped with the socket.
    packet_mreq membership{};
    membership.mr_ifindex = info->index;
    membership.mr_type = PACKET_MR_MULTICAST;
    membership.mr_alen = 6;
    const nd::MacAddress group_mac = multicast_mac(solicited_node_address(target));
    std::copy(group_mac.begin(), group_mac.end(), membership.mr_address);
    if (::setsockopt(fd.get(), SOL_PACKET, PACKET_ADD_MEMBERSHIP, &membership, sizeof membership) !=
        0)
        return system_error(where + ": join " + solicited_node_address(target).to_string());

    std::unique_ptr<NdProxy> proxy(
        new NdProxy(io, interface, info->index, target, mac, std::move(fd)));
    if (duplicate_address_detection) {
        if (auto dad = proxy->duplicate_address_detection(retrans_timer(interface)); !dad)
            return dad.error();
    }
    proxy->wait_readable();
    spdlog::info("nd proxy interface={} target={} mac={} dad={} started", interface,
                 target.to_string(), mac_to_string(mac),
                 duplicate_address_detection ? "passed" : "off");
    return proxy;
}

NdProxy::NdProxy(boost::asio::io_context& io, std::string interface, int interface_index,
                 net::Ipv6Address target, nd::MacAddress mac, net::UniqueFd fd)
    : interface_(std::move(interface)),
      interface_index_(interface_index),
      target_(target),
      mac_(mac),
      fd_(std::move(fd)),
      descriptor_(io, fd_.get()) {
    std::random_device random;
    for (auto& byte : nonce_) byte = std::uint8_t(random());
}

NdProxy::~NdProxy() {
    boost::system::error_code ignored;
    descriptor_.cancel(ignored);
    descriptor_.release();  // fd_ closes it
}

std::optional<NdProxy::Frame> NdProxy::receive_frame() {
    sockaddr_ll from{};
    socklen_t from_length = sizeof from;
    const ssize_t length = ::recvfrom(fd_.get(), receive_buffer_.data(), receive_buffer_.size(), 0,
                                      reinterpret_cast<sockaddr*>(&from), &from_length);
    if (length < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
            ++counters_.receive_errors;
            if (may_log())
                spdlog::warn("nd proxy interface={} receive failed: {}", interface_,
                             std::strerror(errno));
        }
        return std::nullopt;
    }
    Frame frame;
    if (from.sll_pkttype == PACKET_OUTGOING) return frame;  // our own: not usable
    ++counters_.received;
    const std::span<const std::uint8_t> packet(receive_buffer_.data(), std::size_t(length));
    if (packet.size() < kIpv6HeaderSize || (packet[0] >> 4) != 6 ||
        std::size_t(net::load_be16(packet, 4)) > packet.size() - kIpv6HeaderSize) {
        drop(NdProxyDropReason::bad_ip_header, frame);
        return frame;
    }
    frame.hop_limit = packet[7];
    frame.source = read_address(packet.subspan(8, 16));
    frame.destination = read_address(packet.subspan(24, 16));
    frame.icmp = packet.subspan(kIpv6HeaderSize, net::load_be16(packet, 4));
    if (from.sll_halen == 6) std::copy_n(from.sll_addr, 6, frame.frame_source.begin());
    frame.usable = true;
    return frame;
}

Result<void> NdProxy::send_frame(std::span<const std::uint8_t> packet,
                                 const nd::MacAddress& destination) {
    sockaddr_ll to{};
    to.sll_family = AF_PACKET;
    to.sll_protocol = htons(ETH_P_IPV6);
    to.sll_ifindex = interface_index_;
    to.sll_halen = 6;
    std::copy(destination.begin(), destination.end(), to.sll_addr);
    const ssize_t sent = ::sendto(fd_.get(), packet.data(), packet.size(), 0,
                                  reinterpret_cast<const sockaddr*>(&to), sizeof to);
    if (sent < 0) return system_error("send on " + interface_);
    if (std::size_t(sent) != packet.size())
        return make_error(std::errc::message_size, "short send on " + interface_);
    return {};
}

Result<void> NdProxy::duplicate_address_detection(std::chrono::milliseconds retrans) {
    const std::string where =
        "duplicate address detection for " + target_.to_string() + " on " + interface_;
    // RFC 4862 5.4.2: an NS from :: to the target's solicited-node group, no source link-layer
    // option; the Nonce option (RFC 7527 4.1) tells our own probe looped back from another's.
    const net::Ipv6Address group = solicited_node_address(target_);
    auto icmp = build_neighbor_solicitation(target_, std::nullopt, nonce_, icmp_buffer_);
    if (!icmp) return icmp.error();
    auto packet = build_ipv6_icmp_packet(net::Ipv6Address(), group,
                                         std::span(icmp_buffer_).first(*icmp), send_buffer_);
    if (!packet) return packet.error();
    if (auto sent = send_frame(std::span(send_buffer_).first(*packet), multicast_mac(group)); !sent)
        return Error{sent.error().code, where + ": " + sent.error().message};
    spdlog::debug("nd proxy interface={} target={} dad probe sent wait={}ms", interface_,
                  target_.to_string(), retrans.count());
    const auto deadline = Clock::now() + retrans;
    for (;;) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) return {};
        pollfd poll_fd{fd_.get(), POLLIN, 0};
        const int ready = ::poll(&poll_fd, 1, int(left.count()) + 1);
        if (ready < 0 && errno != EINTR) return system_error(where + ": poll");
        if (ready <= 0) continue;
        while (auto frame = receive_frame()) {
            if (!frame->usable) continue;  // outgoing, or counted as a drop
            if (!frame->icmp.empty() && frame->icmp[0] == kIcmpv6NeighborAdvertisement) {
                auto na = parse_neighbor_advertisement(frame->icmp, frame->hop_limit, frame->source,
                                                       frame->destination);
                if (!na) {
                    drop(na.error(), *frame);
                    continue;
                }
                if (na->target != target_) continue;
                // RFC 4862 5.4.4: an NA for the tentative address: it is someone else's.
                const std::string mac = na->target_link_layer_address
                                            ? mac_to_string(*na->target_link_layer_address)
                                            : mac_to_string(frame->frame_source);
                ++counters_.conflicts;
                spdlog::error("nd proxy interface={} target={} duplicate: defended by {} mac={}",
                              interface_, target_.to_string(), frame->source.to_string(), mac);
                return make_error(std::errc::address_in_use,
                                  "duplicate address: " + target_.to_string() +
                                      " is already used on " + interface_ + " by " +
                                      frame->source.to_string() + " (" + mac + ")");
            }
            auto ns = parse_neighbor_solicitation(frame->icmp, frame->hop_limit, frame->source,
                                                  frame->destination);
            if (!ns) {
                drop(ns.error(), *frame);
                continue;
            }
            if (ns->target != target_) continue;
            if (!ns->from_unspecified())
                continue;  // RFC 4862 5.4.3: resolution of a tentative address: ignore
            if (ns->nonce == nonce_) {
                ++counters_.ignored_looped;  // RFC 7527 4.2: our own probe came back
                continue;
            }
            // RFC 4862 5.4.3: another node probes the same address at the same time.
            ++counters_.conflicts;
            spdlog::error(
                "nd proxy interface={} target={} duplicate: another node probes it mac={}",
                interface_, target_.to_string(), mac_to_string(frame->frame_source));
            return make_error(std::errc::address_in_use,
                              "duplicate address: " + target_.to_string() +
                                  " is being claimed on " + interface_ +
                                  " by another node doing duplicate address detection (" +
                                  mac_to_string(frame->frame_source) + ")");
        }
    }
}

void NdProxy::wait_readable() {
    descriptor_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                           [this](boost::system::error_code error) {
                               if (error) return;  // cancelled: the proxy is going away
                               receive_all();
                               wait_readable();
                           });
}

void NdProxy::receive_all() {
    for (int budget = 64; budget > 0; --budget) {
        auto frame = receive_frame();
        if (!frame) return;
        if (!frame->usable) continue;  // outgoing, or already counted as a drop
        handle(*frame);
    }
}

void NdProxy::handle(const Frame& frame) {
    if (!frame.icmp.empty() && frame.icmp[0] == kIcmpv6NeighborAdvertisement) {
        auto na = parse_neighbor_advertisement(frame.icmp, frame.hop_limit, frame.source,
                                               frame.destination);
        if (!na) return drop(na.error(), frame);
        if (na->target != target_) return;
        // RFC 4862 5.4.4: after DAD an NA for our address means a duplicate; we keep answering
        // (the address is the CLAT's, there is no other to fall back to) and say so loudly.
        ++counters_.conflicts;
        if (may_log())
            spdlog::error("nd proxy interface={} target={} conflict: advertised by {} mac={}",
                          interface_, target_.to_string(), frame.source.to_string(),
                          na->target_link_layer_address
                              ? mac_to_string(*na->target_link_layer_address)
                              : mac_to_string(frame.frame_source));
        return;
    }
    auto ns =
        parse_neighbor_solicitation(frame.icmp, frame.hop_limit, frame.source, frame.destination);
    if (!ns) return drop(ns.error(), frame);
    if (ns->target != target_) return;
    if (ns->from_unspecified() && ns->nonce == nonce_) {
        ++counters_.ignored_looped;
        return;
    }
    const ProxyReply reply = proxy_reply(*ns, frame.frame_source, mac_);
    auto icmp = build_neighbor_advertisement(reply.advertisement, icmp_buffer_);
    auto packet = icmp ? build_ipv6_icmp_packet(target_, reply.destination,
                                                std::span(icmp_buffer_).first(*icmp), send_buffer_)
                       : Result<std::size_t>(icmp.error());
    Result<void> sent =
        packet ? send_frame(std::span(send_buffer_).first(*packet), reply.destination_mac)
               : Result<void>(packet.error());
    if (!sent) {
        ++counters_.send_errors;
        if (may_log())
            spdlog::warn("nd proxy interface={} target={} cannot answer {}: {}", interface_,
                         target_.to_string(), frame.source.to_string(), sent.error().message);
        return;
    }
    if (ns->from_unspecified()) {
        ++counters_.answered_dad;
        if (may_log())
            spdlog::warn("nd proxy interface={} target={} defended against a dad probe mac={}",
                         interface_, target_.to_string(), mac_to_string(frame.frame_source));
    } else {
        ++counters_.answered;
        if (may_log())
            spdlog::debug("nd proxy interface={} target={} answered={} mac={}", interface_,
                          target_.to_string(), frame.source.to_string(),
                          mac_to_string(reply.destination_mac));
    }
}

void NdProxy::drop(NdProxyDropReason reason, const Frame& frame) {
    ++counters_.drops[std::size_t(reason)];
    if (may_log())
        spdlog::debug("nd proxy interface={} target={} drop from={} reason={}", interface_,
                      target_.to_string(), frame.source.to_string(), to_string(reason));
}

bool NdProxy::may_log() {
    const auto now = Clock::now();
    if (now - log_window_start_ >= std::chrono::seconds(1)) {
        log_window_start_ = now;
        log_lines_in_window_ = 0;
    }
    return log_lines_in_window_++ < kLogLinesPerSecond;
}

nlohmann::json NdProxy::status() const {
    nlohmann::json dropped = nlohmann::json::object();
    for (std::size_t i = 0; i < kNdProxyDropReasonCount; ++i)
        dropped[std::string(to_string(NdProxyDropReason(i)))] = counters_.drops[i];
    return {{"interface", interface_},
            {"target", target_.to_string()},
            {"mac", mac_to_string(mac_)},
            {"received", counters_.received},
            {"answered", counters_.answered},
            {"answered_dad", counters_.answered_dad},
            {"ignored_looped", counters_.ignored_looped},
            {"conflicts", counters_.conflicts},
            {"send_errors", counters_.send_errors},
            {"receive_errors", counters_.receive_errors},
            {"dropped", dropped}};
}

}  // namespace sixgate::clat
