#pragma once
// pool4 (RFC 6146 3.5.1.1, RFC 6888): the layout of the IPv4 addresses and their port ranges,
// paired address choice, and each shard's port allocator. Ports come in blocks of 64: block b of
// every address belongs to shard b % shard_count, so a shard allocates alone in its own bitmap
// words, keeps parity and the 0-1023 / 1024-65535 split, and the IPv4 side finds the shard from
// the destination port.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "net/ip_address.hpp"
#include "net/result.hpp"
#include "plat/plat_types.hpp"
#include "plat/session_table.hpp"

namespace sixgate::plat {

inline constexpr std::uint32_t kPortsPerBlock = 64;
inline constexpr std::uint32_t kPortBlocks = 65536 / kPortsPerBlock;
inline constexpr std::uint32_t kMaxPool4Addresses = 1024;
inline constexpr std::uint32_t kMaxShards = 64;

class Pool4Layout {
public:
    // Checks the ranges (not empty, no overlap, port ranges in order, no reserved addresses, at
    // most kMaxPool4Addresses addresses) and fixes the shard count: the requested one, lowered
    // until every shard owns ports of every protocol's range.
    static Result<Pool4Layout> create(std::span<const Pool4Range> ranges,
                                      std::uint32_t requested_shards);

    std::uint32_t shard_count() const noexcept { return shard_count_; }
    std::uint32_t shard_of_port(std::uint16_t port) const noexcept {
        return (port / kPortsPerBlock) & (shard_count_ - 1);
    }
    std::uint32_t address_count() const noexcept { return address_count_; }
    net::Ipv4Address address(std::uint32_t index) const noexcept;
    std::optional<std::uint32_t> index_of(net::Ipv4Address address) const noexcept;
    std::uint32_t range_of(std::uint32_t address_index) const noexcept;
    const std::vector<Pool4Range>& ranges() const noexcept { return ranges_; }
    const config::PortRange& ports(std::uint32_t range_index, L4Protocol protocol) const noexcept;

    // RFC 6888 REQ-2 "paired": one IPv6 client always gets the same IPv4 address, chosen by a
    // hash of its address (independent of the shard hash).
    std::uint32_t paired_index(const net::Ipv6Address& client) const noexcept;

private:
    std::vector<Pool4Range> ranges_;
    std::vector<std::uint32_t> first_index_;  // first address index of each range
    std::uint32_t address_count_ = 0;
    std::uint32_t shard_count_ = 1;
};

// The ports of one shard: for every pool4 address and protocol, this shard's bitmap words (a set
// bit is a port in use or outside the range), free counts per port class and a next-fit cursor.
// Not thread safe: the shard's lock protects it.
class PortAllocator {
public:
    PortAllocator(const Pool4Layout& layout, std::uint32_t shard);

    // A static entry's port: false if it is not this shard's, outside the range, or taken.
    bool reserve(std::uint32_t address_index, L4Protocol protocol, std::uint16_t port) noexcept;
    // RFC 6146 3.5.1.1: `preferred` if free, else a port of the same class (0-1023 or 1024+)
    // and, where possible, the same parity; ICMP identifiers: any in the range.
    std::optional<std::uint16_t> allocate(std::uint32_t address_index, L4Protocol protocol,
                                          std::uint16_t preferred) noexcept;
    void release(std::uint32_t address_index, L4Protocol protocol, std::uint16_t port) noexcept;

    // Ports in use in this shard (in range) for the snapshot.
    std::uint64_t used(std::uint32_t address_index, L4Protocol protocol) const noexcept;
    std::size_t memory_bytes() const noexcept;

private:
    enum PortClass : std::uint32_t { kLow = 0, kHigh = 1 };
    struct ClassState {
        std::uint32_t free = 0;
        std::uint32_t cursor = 0;  // local word index to start the next search from
    };
    std::size_t slot(std::uint32_t address_index, L4Protocol protocol) const noexcept {
        return address_index * kL4ProtocolCount + static_cast<std::size_t>(protocol);
    }
    std::uint64_t* words(std::size_t slot) noexcept {
        return bits_.data() + slot * words_per_shard_;
    }
    const std::uint64_t* words(std::size_t slot) const noexcept {
        return bits_.data() + slot * words_per_shard_;
    }
    std::uint32_t block_of_local(std::uint32_t local) const noexcept {
        return local * shard_count_ + shard_;
    }
    bool owns(std::uint16_t port) const noexcept {
        return ((port / kPortsPerBlock) & (shard_count_ - 1)) == shard_;
    }
    std::optional<std::uint16_t> search(std::size_t slot, PortClass port_class,
                                        std::uint64_t mask) noexcept;
    void take(std::size_t slot, std::uint16_t port) noexcept;

    const Pool4Layout* layout_;
    std::uint32_t shard_;
    std::uint32_t shard_count_;
    std::uint32_t words_per_shard_;
    std::array<std::uint32_t, 2> class_begin_{};  // local word ranges of the two classes
    std::array<std::uint32_t, 2> class_end_{};
    std::vector<std::uint64_t> bits_;
    std::vector<std::array<ClassState, 2>> classes_;
    std::vector<std::uint32_t> out_of_range_;  // bits set only because they are outside the range
};

}  // namespace sixgate::plat
