#pragma once
// RFC 7757 Explicit Address Mappings: a table of (IPv4 prefix, IPv6 prefix) pairs, looked up by
// longest prefix match in either direction, the suffix bits carried across unchanged.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/result.hpp"

namespace sixgate::xlat {

// One EAM (RFC 7757 3.1). Both directions use it.
struct EamEntry {
    net::Ipv4Prefix ipv4;
    net::Ipv6Prefix ipv6;
    bool operator==(const EamEntry&) const = default;
};

// The Explicit Address Mapping Table. Built on the control plane; lookups allocate nothing and
// cost one binary search per distinct prefix length present (at most 33 for IPv4, 129 for IPv6).
//
// What an entry may be (RFC 7757 3.2 copies the address's suffix bits right after the other
// family's prefix):
// - The IPv4 suffix may not be longer than the IPv6 suffix, or its bits would not fit. A longer
//   IPv6 suffix is allowed, as in the RFC's own examples (192.0.2.128/26 with 2001:db8:dddd::/64):
//   IPv4 to IPv6 leaves the excess bits zero, IPv6 to IPv4 ignores them.
// - An IPv4 or IPv6 prefix may appear in one entry only: two entries with the same prefix would
//   tie in the longest match.
// - Entries may nest (192.0.2.0/24 and 192.0.2.8/29): the longest match picks, as RFC 7757 3.2
//   has it. The caller should know this makes the mapping asymmetric for the covered addresses.
class EamTable {
public:
    EamTable() = default;

    // Every entry checked; the error lists each broken rule, one per line.
    static Result<EamTable> create(std::span<const EamEntry> entries);

    // One entry more; the table is unchanged on error.
    Result<void> insert(const EamEntry& entry);

    // RFC 7757 3.2: the entry whose IPv4 (IPv6) prefix matches longest, or nullptr.
    const EamEntry* find_ipv4(net::Ipv4Address address) const noexcept;
    const EamEntry* find_ipv6(const net::Ipv6Address& address) const noexcept;

    // The address through the longest matching entry, suffix bits copied; nullopt on no match.
    std::optional<net::Ipv6Address> to_ipv6(net::Ipv4Address address) const noexcept;
    std::optional<net::Ipv4Address> to_ipv4(const net::Ipv6Address& address) const noexcept;

    // Translation through one given entry; the address must be inside the entry's prefix.
    static net::Ipv6Address translate(const EamEntry& entry, net::Ipv4Address address) noexcept;
    static net::Ipv4Address translate(const EamEntry& entry,
                                      const net::Ipv6Address& address) noexcept;

    std::span<const EamEntry> entries() const noexcept { return entries_; }
    std::size_t size() const noexcept { return entries_.size(); }
    bool empty() const noexcept { return entries_.empty(); }

private:
    struct Key6 {
        std::uint64_t high = 0;
        std::uint64_t low = 0;
        auto operator<=>(const Key6&) const = default;
    };
    template <class Key>
    struct Slot {
        Key key;
        std::uint32_t entry;  // index into entries_
    };
    // All entries of one prefix length, sorted by key: one binary search per length.
    template <class Key>
    struct Level {
        int length = 0;
        std::vector<Slot<Key>> slots;
    };

    static Key6 key_of(const net::Ipv6Address& address) noexcept;
    static Key6 mask(Key6 key, int length) noexcept;
    static std::uint32_t mask(std::uint32_t key, int length) noexcept;
    // Rebuilds levels4_/levels6_ from entries_.
    void index();

    std::vector<EamEntry> entries_;
    std::vector<Level<std::uint32_t>> levels4_;  // longest length first
    std::vector<Level<Key6>> levels6_;           // longest length first
};

}  // namespace sixgate::xlat
