#include "plat/pool4.hpp"

#include <algorithm>
#include <bit>
#include <string>

#include "plat/hash_index.hpp"

namespace sixgate::plat {
namespace {

constexpr std::uint16_t kLowPortEnd = 1024;  // RFC 6146 3.5.1.1: 0-1023 and 1024-65535
constexpr std::uint64_t kEvenBits = 0x5555'5555'5555'5555ULL;  // bit i is port base + i

std::uint64_t address_count_of(const net::Ipv4Prefix& prefix) {
    return std::uint64_t{1} << (32 - prefix.length());
}

// Blocks of 64 ports that hold ports of `range` within [low, high].
std::uint32_t blocks_in(const config::PortRange& range, std::uint32_t low, std::uint32_t high) {
    const std::uint32_t first = std::max<std::uint32_t>(range.first, low);
    const std::uint32_t last = std::min<std::uint32_t>(range.last, high);
    if (first > last) return 0;
    return last / kPortsPerBlock - first / kPortsPerBlock + 1;
}

bool reserved_address(net::Ipv4Address address) {
    const std::uint32_t a = address.to_uint() >> 24;
    return a == 0 || a == 127 || a >= 224;  // "this network", loopback, multicast and class E
}

std::string range_name(std::size_t index, const Pool4Range& range) {
    return "pool4[" + std::to_string(index) + "] " + range.prefix.to_string();
}

}  // namespace

Result<Pool4Layout> Pool4Layout::create(std::span<const Pool4Range> ranges,
                                        std::uint32_t requested_shards) {
    if (ranges.empty()) {
        return make_error(std::errc::invalid_argument,
                          "plat pool4 is empty: the NAT64 needs at least one IPv4 address");
    }
    if (requested_shards == 0 || !std::has_single_bit(requested_shards) ||
        requested_shards > kMaxShards) {
        return make_error(std::errc::invalid_argument,
                          "plat shard_count " + std::to_string(requested_shards) +
                              " must be a power of two from 1 to " + std::to_string(kMaxShards));
    }
    Pool4Layout layout;
    std::uint64_t total = 0;
    std::uint32_t shards = requested_shards;
    for (std::size_t i = 0; i < ranges.size(); ++i) {
        const Pool4Range& range = ranges[i];
        for (std::size_t j = 0; j < i; ++j) {
            const net::Ipv4Prefix& other = ranges[j].prefix;
            if (other.contains(range.prefix.address()) || range.prefix.contains(other.address())) {
                return make_error(std::errc::invalid_argument,
                                  range_name(i, range) + " overlaps " + range_name(j, ranges[j]));
            }
        }
        const std::uint64_t count = address_count_of(range.prefix);
        for (std::uint64_t k = 0; k < count; k += std::max<std::uint64_t>(1, count / 8)) {
            // The reserved blocks are /8s: a sample of the prefix finds them.
            if (reserved_address(net::Ipv4Address(
                    static_cast<std::uint32_t>(range.prefix.address().to_uint() + k)))) {
                return make_error(std::errc::invalid_argument,
                                  range_name(i, range) +
                                      " holds reserved addresses (0/8, 127/8, 224/4, 240/4)");
            }
        }
        for (L4Protocol protocol : {L4Protocol::tcp, L4Protocol::udp, L4Protocol::icmp}) {
            const config::PortRange& ports = protocol == L4Protocol::tcp   ? range.tcp_ports
                                             : protocol == L4Protocol::udp ? range.udp_ports
                                                                           : range.icmp_ids;
            if (ports.first > ports.last) {
                return make_error(std::errc::invalid_argument,
                                  range_name(i, range) + " " + std::string(to_string(protocol)) +
                                      " range " + ports.to_string() + " is empty (first > last)");
            }
            // Every shard must own ports of every class the range has.
            if (protocol == L4Protocol::icmp) {
                shards = std::min(shards, blocks_in(ports, 0, 65535));
                continue;
            }
            for (auto [low, high] : {std::pair{0u, 1023u}, std::pair{1024u, 65535u}}) {
                const std::uint32_t blocks = blocks_in(ports, low, high);
                if (blocks != 0) shards = std::min(shards, blocks);
            }
        }
        layout.first_index_.push_back(static_cast<std::uint32_t>(total));
        total += count;
    }
    if (total > kMaxPool4Addresses) {
        return make_error(std::errc::invalid_argument,
                          "plat pool4 has " + std::to_string(total) + " addresses; at most " +
                              std::to_string(kMaxPool4Addresses) + " are supported");
    }
    layout.ranges_.assign(ranges.begin(), ranges.end());
    layout.address_count_ = static_cast<std::uint32_t>(total);
    layout.shard_count_ = std::bit_floor(std::max<std::uint32_t>(shards, 1));
    return layout;
}

net::Ipv4Address Pool4Layout::address(std::uint32_t index) const noexcept {
    const std::uint32_t range = range_of(index);
    return net::Ipv4Address(ranges_[range].prefix.address().to_uint() + (index - first_index_[range]));
}

std::optional<std::uint32_t> Pool4Layout::index_of(net::Ipv4Address address) const noexcept {
    for (std::size_t i = 0; i < ranges_.size(); ++i) {
        if (ranges_[i].prefix.contains(address)) {
            return first_index_[i] +
                   (address.to_uint() - ranges_[i].prefix.address().to_uint());
        }
    }
    return std::nullopt;
}

std::uint32_t Pool4Layout::range_of(std::uint32_t address_index) const noexcept {
    const auto it = std::upper_bound(first_index_.begin(), first_index_.end(), address_index);
    return static_cast<std::uint32_t>(it - first_index_.begin()) - 1;
}

const config::PortRange& Pool4Layout::ports(std::uint32_t range_index,
                                            L4Protocol protocol) const noexcept {
    const Pool4Range& range = ranges_[range_index];
    switch (protocol) {
        case L4Protocol::tcp: return range.tcp_ports;
        case L4Protocol::udp: return range.udp_ports;
        case L4Protocol::icmp: break;
    }
    return range.icmp_ids;
}

std::uint32_t Pool4Layout::paired_index(const net::Ipv6Address& client) const noexcept {
    std::uint64_t high = 0;
    std::uint64_t low = 0;
    for (int i = 0; i < 8; ++i) {
        high = high << 8 | client.bytes()[i];
        low = low << 8 | client.bytes()[8 + i];
    }
    // A different mix from the shard choice, so the addresses spread evenly inside each shard.
    const std::uint64_t hash = mix64(high ^ mix64(low ^ 0x9e3779b97f4a7c15ULL) ^ 0x5bd1e995ULL);
    return static_cast<std::uint32_t>(hash % address_count_);
}

PortAllocator::PortAllocator(const Pool4Layout& layout, std::uint32_t shard)
    : layout_(&layout),
      shard_(shard),
      shard_count_(layout.shard_count()),
      words_per_shard_(kPortBlocks / layout.shard_count()) {
    // Local word k is block k * shard_count + shard; the low class is blocks 0..15.
    const std::uint32_t low_blocks = kLowPortEnd / kPortsPerBlock;
    const std::uint32_t low_words =
        shard_ < low_blocks ? (low_blocks - shard_ + shard_count_ - 1) / shard_count_ : 0;
    class_begin_ = {0, low_words};
    class_end_ = {low_words, words_per_shard_};

    const std::size_t slots = std::size_t{layout.address_count()} * kL4ProtocolCount;
    bits_.assign(slots * words_per_shard_, 0);
    classes_.assign(slots, {});
    out_of_range_.assign(slots, 0);
    for (std::uint32_t a = 0; a < layout.address_count(); ++a) {
        const std::uint32_t range = layout.range_of(a);
        for (L4Protocol protocol : {L4Protocol::tcp, L4Protocol::udp, L4Protocol::icmp}) {
            const config::PortRange& ports = layout.ports(range, protocol);
            const std::size_t s = slot(a, protocol);
            std::uint64_t* w = words(s);
            for (std::uint32_t k = 0; k < words_per_shard_; ++k) {
                const std::uint32_t base = block_of_local(k) * kPortsPerBlock;
                std::uint64_t outside = 0;
                for (std::uint32_t bit = 0; bit < kPortsPerBlock; ++bit) {
                    if (!ports.contains(base + bit)) outside |= std::uint64_t{1} << bit;
                }
                w[k] = outside;
                out_of_range_[s] += static_cast<std::uint32_t>(std::popcount(outside));
                const std::uint32_t free = kPortsPerBlock - std::popcount(outside);
                // ICMP identifiers have no classes: everything counts as class 0.
                const bool low = protocol == L4Protocol::icmp || k < low_words;
                classes_[s][low ? kLow : kHigh].free += free;
            }
            if (protocol == L4Protocol::icmp) classes_[s][kHigh].free = 0;
        }
    }
}

bool PortAllocator::reserve(std::uint32_t address_index, L4Protocol protocol,
                            std::uint16_t port) noexcept {
    if (!owns(port)) return false;
    const std::size_t s = slot(address_index, protocol);
    const std::uint32_t local = (port / kPortsPerBlock) / shard_count_;
    if (words(s)[local] & (std::uint64_t{1} << (port % kPortsPerBlock))) return false;
    take(s, port);
    return true;
}

void PortAllocator::take(std::size_t s, std::uint16_t port) noexcept {
    const std::uint32_t local = (port / kPortsPerBlock) / shard_count_;
    words(s)[local] |= std::uint64_t{1} << (port % kPortsPerBlock);
    const bool icmp = s % kL4ProtocolCount == static_cast<std::size_t>(L4Protocol::icmp);
    --classes_[s][icmp || port < kLowPortEnd ? kLow : kHigh].free;
}

void PortAllocator::release(std::uint32_t address_index, L4Protocol protocol,
                            std::uint16_t port) noexcept {
    const std::size_t s = slot(address_index, protocol);
    const std::uint32_t local = (port / kPortsPerBlock) / shard_count_;
    const std::uint64_t bit = std::uint64_t{1} << (port % kPortsPerBlock);
    if (!(words(s)[local] & bit)) return;
    words(s)[local] &= ~bit;
    const bool icmp = protocol == L4Protocol::icmp;
    ++classes_[s][icmp || port < kLowPortEnd ? kLow : kHigh].free;
}

std::optional<std::uint16_t> PortAllocator::search(std::size_t s, PortClass port_class,
                                                   std::uint64_t mask) noexcept {
    const bool icmp = s % kL4ProtocolCount == static_cast<std::size_t>(L4Protocol::icmp);
    const std::uint32_t begin = icmp ? 0 : class_begin_[port_class];
    const std::uint32_t end = icmp ? words_per_shard_ : class_end_[port_class];
    if (begin >= end) return std::nullopt;
    ClassState& state = classes_[s][port_class];
    std::uint64_t* w = words(s);
    std::uint32_t k = std::clamp(state.cursor, begin, end - 1);
    // Next fit: from the cursor round to it again; the free count makes a full class O(1).
    for (std::uint32_t n = end - begin; n-- > 0;) {
        const std::uint64_t candidates = ~w[k] & mask;
        if (candidates != 0) {
            const auto bit = static_cast<std::uint32_t>(std::countr_zero(candidates));
            const auto port = static_cast<std::uint16_t>(block_of_local(k) * kPortsPerBlock + bit);
            state.cursor = k;
            take(s, port);
            return port;
        }
        k = k + 1 == end ? begin : k + 1;
    }
    return std::nullopt;
}

std::optional<std::uint16_t> PortAllocator::allocate(std::uint32_t address_index,
                                                     L4Protocol protocol,
                                                     std::uint16_t preferred) noexcept {
    const std::size_t s = slot(address_index, protocol);
    // Port preservation: the client's own port when this shard owns it and it is free.
    if (reserve(address_index, protocol, preferred)) return preferred;
    if (protocol == L4Protocol::icmp) {
        if (classes_[s][kLow].free == 0) return std::nullopt;
        return search(s, kLow, ~std::uint64_t{0});
    }
    // RFC 6146 3.5.1.1 (after RFC 4787 REQ-3/REQ-4): keep the client port's range and parity.
    const PortClass own = preferred < kLowPortEnd ? kLow : kHigh;
    const std::uint64_t parity = (preferred % 2 == 0) ? kEvenBits : ~kEvenBits;
    const config::PortRange& ports = layout_->ports(layout_->range_of(address_index), protocol);
    std::array<PortClass, 2> order{own, own};
    std::size_t classes = 1;
    // A well-known client port moves to 1024+ only when 0-1023 has nothing free; a high port
    // takes a low one only when the range has no high ports at all.
    if (own == kLow) {
        order[classes++] = kHigh;
    } else if (ports.last < kLowPortEnd) {
        order[0] = kLow;
    }
    for (std::size_t i = 0; i < classes; ++i) {
        if (classes_[s][order[i]].free == 0) continue;
        if (auto port = search(s, order[i], parity)) return port;
        if (auto port = search(s, order[i], ~std::uint64_t{0})) return port;
    }
    return std::nullopt;
}

std::uint64_t PortAllocator::used(std::uint32_t address_index, L4Protocol protocol) const noexcept {
    const std::size_t s = slot(address_index, protocol);
    std::uint64_t set = 0;
    const std::uint64_t* w = words(s);
    for (std::uint32_t k = 0; k < words_per_shard_; ++k) set += std::popcount(w[k]);
    return set - out_of_range_[s];
}

std::size_t PortAllocator::memory_bytes() const noexcept {
    return bits_.capacity() * sizeof(std::uint64_t) +
           classes_.capacity() * sizeof(classes_[0]) +
           out_of_range_.capacity() * sizeof(std::uint32_t);
}

}  // namespace sixgate::plat
