// Fuzzes every packet-view parse: Ipv4View, Ipv6View (and the extension-header walk), UdpView,
// TcpView, IcmpView and Icmpv6View, in full and truncated modes, the quoted packet inside any ICMP
// error, and the mutable headers. Whatever parses has every accessor read (ASan catches an
// out-of-bounds read) and its invariants checked (abort on a broken one).
//
// Input: a packet starting at its IP header (version 4 or 6), or any bytes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "net/packet/packet.hpp"

namespace {

using namespace sixgate::net;
using namespace sixgate::net::packet;

void require(bool condition) {
    if (!condition) std::abort();
}

// Sums every byte a span covers, so a span that points outside its buffer is read.
std::uint64_t touch(std::span<const std::byte> bytes) {
    std::uint64_t sum = 0;
    for (const auto b : bytes) sum += std::to_integer<std::uint8_t>(b);
    return sum;
}

bool inside(std::span<const std::byte> part, std::span<const std::byte> whole) {
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

std::uint64_t sink = 0;

void touch_transport(std::uint8_t protocol, std::span<const std::byte> bytes, int depth);

void touch_udp(std::span<const std::byte> bytes) {
    for (const auto udp : {UdpView::parse(bytes), UdpView::parse_truncated(bytes)}) {
        if (!udp) continue;
        require(inside(udp->bytes(), bytes) && udp->length() >= 8);
        require(udp->truncated() == (udp->bytes().size() < udp->length()));
        sink += touch(udp->header()) + touch(udp->payload()) + udp->source_port() +
                udp->destination_port() + udp->length() + udp->checksum() +
                udp->has_zero_checksum() + udp->truncated();
    }
    if (UdpView::parse(bytes)) require(UdpView::parse_truncated(bytes).has_value());
}

void touch_tcp(std::span<const std::byte> bytes) {
    const auto tcp = TcpView::parse(bytes);
    if (!tcp) return;
    require(tcp->header_length() >= 20 && tcp->header_length() <= bytes.size());
    require(tcp->options().size() + 20 == tcp->header_length());
    sink += touch(tcp->header()) + touch(tcp->options()) + touch(tcp->payload()) +
            tcp->source_port() + tcp->destination_port() + tcp->sequence_number() +
            tcp->acknowledgment_number() + tcp->data_offset() + tcp->flags() + tcp->fin() +
            tcp->syn() + tcp->rst() + tcp->psh() + tcp->ack() + tcp->urg() + tcp->ece() +
            tcp->cwr() + tcp->window() + tcp->checksum() + tcp->urgent_pointer();
}

void touch_ip(std::span<const std::byte> bytes, int depth);

void touch_icmp(std::span<const std::byte> bytes, int depth) {
    const auto icmp = IcmpView::parse(bytes);
    if (!icmp) return;
    sink += touch(icmp->header()) + touch(icmp->body()) + icmp->type() + icmp->code() +
            icmp->checksum() + icmp->rest_of_header() + icmp->identifier() + icmp->sequence() +
            icmp->is_error() + icmp->next_hop_mtu() + icmp->pointer() + icmp->checksum_valid();
    if (icmp->is_error()) touch_ip(icmp->body(), depth + 1);
}

void touch_icmpv6(std::span<const std::byte> bytes, const Ipv6Address& source,
                  const Ipv6Address& destination, int depth) {
    const auto icmp = Icmpv6View::parse(bytes);
    if (!icmp) return;
    sink += touch(icmp->header()) + touch(icmp->body()) + icmp->type() + icmp->code() +
            icmp->checksum() + icmp->rest_of_header() + icmp->identifier() + icmp->sequence() +
            icmp->is_error() + icmp->mtu() + icmp->pointer() +
            icmp->checksum_valid(source, destination);
    if (icmp->is_error()) touch_ip(icmp->body(), depth + 1);
}

void touch_transport(std::uint8_t protocol, std::span<const std::byte> bytes, int depth) {
    touch_udp(bytes);
    touch_tcp(bytes);
    if (protocol == kProtoIcmp) touch_icmp(bytes, depth);
    if (protocol == kProtoIcmpv6) touch_icmpv6(bytes, Ipv6Address(), Ipv6Address(), depth);
}

void touch_ipv4(const Ipv4View& ip, std::span<const std::byte> bytes, int depth) {
    require(inside(ip.bytes(), bytes));
    require(ip.header_length() >= 20 && ip.header_length() <= ip.bytes().size());
    require(ip.header_length() <= ip.total_length());
    require(ip.bytes().size() <= ip.total_length());
    require(ip.options().size() + 20 == ip.header_length());
    require(ip.fragment_offset() % 8 == 0);
    sink += touch(ip.header()) + touch(ip.options()) + touch(ip.payload()) + ip.tos() + ip.dscp() +
            ip.ecn() + ip.total_length() + ip.identification() + ip.reserved_flag() +
            ip.dont_fragment() + ip.more_fragments() + ip.fragment_offset() + ip.ttl() +
            ip.protocol() + ip.header_checksum() + ip.header_checksum_valid() +
            ip.source().to_uint() + ip.destination().to_uint() + ip.is_fragment() +
            ip.is_first_fragment() + ip.has_upper_layer_header() + ip.truncated();
    if (ip.has_upper_layer_header()) touch_transport(ip.protocol(), ip.payload(), depth);
}

void touch_ipv6(const Ipv6View& ip, std::span<const std::byte> bytes, int depth) {
    require(inside(ip.bytes(), bytes));
    require(ip.bytes().size() >= 40 && ip.bytes().size() <= 40u + ip.payload_length());
    require(ip.upper_layer_offset() <= ip.bytes().size());
    require(ip.extension_headers_length() <= ExtensionHeaderChain::kMaxBytes);
    require(ip.chain().header_count() <= ExtensionHeaderChain::kMaxHeaders);
    require(!ip.has_fragment_header() ||
            ip.fragment_header_offset() + 8 <= ip.upper_layer_offset());
    require(!ip.has_routing_header() || ip.routing_header_offset() + 8 <= ip.upper_layer_offset());
    const auto& chain = ip.chain();
    sink += touch(ip.header()) + touch(ip.payload()) + touch(ip.extension_headers()) +
            touch(ip.upper_layer_payload()) + ip.traffic_class() + ip.dscp() + ip.ecn() +
            ip.flow_label() + ip.payload_length() + ip.next_header() + ip.hop_limit() +
            ip.source().group(0) + ip.destination().group(7) +
            static_cast<std::uint8_t>(ip.chain_end()) + to_string(ip.chain_end()).size() +
            ip.upper_layer_protocol() + ip.has_fragment_header() + ip.fragment_header_offset() +
            ip.fragment_offset() + ip.more_fragments() + ip.fragment_identification() +
            ip.is_fragment() + ip.is_first_fragment() + ip.has_routing_header() +
            ip.routing_header_offset() + ip.routing_type() + ip.segments_left() + ip.truncated() +
            chain.fragment_next_header() + chain.last_next_header();
    if (ip.chain_end() == ChainEnd::upper_layer) {
        if (ip.upper_layer_protocol() == kProtoIcmpv6) {
            touch_icmpv6(ip.upper_layer_payload(), ip.source(), ip.destination(), depth);
        } else {
            touch_transport(ip.upper_layer_protocol(), ip.upper_layer_payload(), depth);
        }
    }
}

void touch_ip(std::span<const std::byte> bytes, int depth) {
    if (depth > 3) return;  // ICMP errors quoting ICMP errors: bounded
    const auto v4 = Ipv4View::parse(bytes);
    const auto v4_truncated = Ipv4View::parse_truncated(bytes);
    if (v4) {
        require(v4_truncated && v4_truncated->bytes().size() == v4->bytes().size());
        touch_ipv4(*v4, bytes, depth);
    }
    if (v4_truncated) touch_ipv4(*v4_truncated, bytes, depth);
    const auto v6 = Ipv6View::parse(bytes);
    const auto v6_truncated = Ipv6View::parse_truncated(bytes);
    if (v6) {
        require(v6_truncated && v6_truncated->upper_layer_offset() == v6->upper_layer_offset());
        touch_ipv6(*v6, bytes, depth);
    }
    if (v6_truncated) touch_ipv6(*v6_truncated, bytes, depth);
}

void rewrite(std::span<const std::byte> input) {
    std::vector<std::byte> copy(input.begin(), input.end());
    const std::span<std::byte> bytes(copy);
    if (auto ip = MutableIpv4Header::wrap(bytes)) {
        if (ip->ttl() > 1) ip->decrement_ttl();
        ip->set_tos(1);
        ip->set_total_length(2);
        ip->set_identification(3);
        sink += ip->set_fragment(true, false, 8);
        ip->set_protocol(4);
        ip->set_source(Ipv4Address(5));
        ip->set_destination(Ipv4Address(6));
        ip->fill_header_checksum();
        ip->set_ttl(7);
        sink += ip->header_checksum() + touch(ip->header()) + ip->header_length();
    }
    if (auto ip = MutableIpv6Header::wrap(bytes)) {
        ip->set_traffic_class(1);
        ip->set_flow_label(2);
        ip->set_payload_length(3);
        ip->set_next_header(4);
        ip->set_hop_limit(5);
        ip->set_source(Ipv6Address());
        ip->set_destination(Ipv6Address());
        sink += ip->hop_limit() + touch(ip->header());
    }
    if (auto udp = MutableUdpHeader::wrap(bytes)) {
        udp->set_source_port(1);
        udp->set_destination_port(2);
        udp->set_length(3);
        udp->set_checksum(4);
        sink += udp->checksum();
    }
    if (auto tcp = MutableTcpHeader::wrap(bytes)) {
        tcp->set_source_port(1);
        tcp->set_destination_port(2);
        tcp->set_checksum(3);
        sink += tcp->checksum();
    }
    if (auto icmp = MutableIcmpHeader::wrap(bytes)) {
        icmp->set_type(1);
        icmp->set_code(2);
        icmp->set_rest_of_header(3);
        icmp->set_checksum(4);
        sink += icmp->checksum();
    }
    sink += write_ipv4_header(bytes, {}) + write_ipv6_header(bytes, {}) +
            write_ipv6_fragment_header(bytes, {});
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = std::as_bytes(std::span(data, size));
    touch_ip(bytes, 0);
    // The same bytes as upper-layer headers and as a bare extension-header chain.
    for (const std::uint8_t protocol : {kProtoIcmp, kProtoIcmpv6})
        touch_transport(protocol, bytes, 1);
    if (!bytes.empty()) {
        const auto chain =
            ExtensionHeaderChain::walk(std::to_integer<std::uint8_t>(bytes[0]), bytes.subspan(1));
        if (chain) {
            require(chain->length() <= bytes.size() - 1);
            sink += chain->length() + chain->header_count() + chain->last_next_header() +
                    static_cast<std::uint8_t>(chain->end()) + chain->has_fragment_header() +
                    chain->fragment_header_offset() + chain->fragment_next_header() +
                    chain->fragment_offset() + chain->more_fragments() +
                    chain->fragment_identification() + chain->has_routing_header() +
                    chain->routing_header_offset() + chain->routing_type() + chain->segments_left();
        }
    }
    rewrite(bytes);
    return 0;
}
