#include "xlat/eam.hpp"

#include <algorithm>
#include <map>
#include <string>

namespace sixgate::xlat {
namespace {

std::string describe(const EamEntry& entry) {
    return "EAM " + entry.ipv4.to_string() + " -> " + entry.ipv6.to_string();
}

int suffix4(const EamEntry& entry) {
    return 32 - entry.ipv4.length();
}
int suffix6(const EamEntry& entry) {
    return 128 - entry.ipv6.length();
}

// The rules one entry must keep on its own.
std::optional<std::string> check_entry(const EamEntry& entry) {
    // RFC 7757 3.2: the IPv4 suffix is copied bit for bit after the IPv6 prefix, so it must fit.
    if (suffix4(entry) > suffix6(entry))
        return describe(entry) + ": the IPv4 suffix (" + std::to_string(suffix4(entry)) +
               " bits) is longer than the IPv6 suffix (" + std::to_string(suffix6(entry)) +
               " bits), so its bits cannot be carried (RFC 7757 3.2)";
    return std::nullopt;
}

// The rules an entry must keep against one already in the table.
std::optional<std::string> check_pair(const EamEntry& entry, const EamEntry& existing) {
    if (entry == existing) return describe(entry) + ": the entry is listed twice";
    // Nested prefixes are fine (the longest match decides); the same prefix twice would tie.
    if (entry.ipv4 == existing.ipv4)
        return describe(entry) + ": IPv4 prefix " + entry.ipv4.to_string() +
               " is already mapped by " + describe(existing) +
               "; a prefix may be in one entry only, or the longest match (RFC 7757 3.2) "
               "would tie";
    if (entry.ipv6 == existing.ipv6)
        return describe(entry) + ": IPv6 prefix " + entry.ipv6.to_string() +
               " is already mapped by " + describe(existing) +
               "; a prefix may be in one entry only, or the longest match (RFC 7757 3.2) "
               "would tie";
    return std::nullopt;
}

Error table_error(const std::vector<std::string>& problems) {
    std::string message;
    for (const std::string& problem : problems) {
        if (!message.empty()) message += '\n';
        message += problem;
    }
    return make_error(std::errc::invalid_argument, std::move(message));
}

template <class Level, class Key>
const typename decltype(Level::slots)::value_type* search(const Level& level, Key key) noexcept {
    auto it = std::lower_bound(level.slots.begin(), level.slots.end(), key,
                               [](const auto& slot, const Key& k) { return slot.key < k; });
    if (it == level.slots.end() || it->key != key) return nullptr;
    return &*it;
}

}  // namespace

EamTable::Key6 EamTable::key_of(const net::Ipv6Address& address) noexcept {
    Key6 key;
    const auto& bytes = address.bytes();
    for (int i = 0; i < 8; ++i) key.high = key.high << 8 | bytes[i];
    for (int i = 8; i < 16; ++i) key.low = key.low << 8 | bytes[i];
    return key;
}

EamTable::Key6 EamTable::mask(Key6 key, int length) noexcept {
    if (length <= 0) return {};
    if (length < 64) return {key.high & ~(~std::uint64_t{0} >> length), 0};
    if (length == 64) return {key.high, 0};
    if (length < 128) return {key.high, key.low & ~(~std::uint64_t{0} >> (length - 64))};
    return key;
}

std::uint32_t EamTable::mask(std::uint32_t key, int length) noexcept {
    if (length <= 0) return 0;
    if (length >= 32) return key;
    return key & ~(~std::uint32_t{0} >> length);
}

net::Ipv6Address EamTable::translate(const EamEntry& entry, net::Ipv4Address address) noexcept {
    const int bits = suffix4(entry);
    Key6 key = key_of(entry.ipv6.address());
    if (bits > 0) {
        const std::uint64_t suffix = address.to_uint() & (~std::uint64_t{0} >> (64 - bits));
        // RFC 7757 3.2: the suffix goes right after the IPv6 prefix; any further bits stay zero.
        const int shift = 128 - entry.ipv6.length() - bits;
        if (shift >= 64) {
            key.high |= suffix << (shift - 64);
        } else {
            key.low |= suffix << shift;
            if (shift > 0) key.high |= suffix >> (64 - shift);
        }
    }
    net::Ipv6Address::Bytes bytes{};
    for (int i = 0; i < 8; ++i) {
        bytes[i] = std::uint8_t(key.high >> (56 - 8 * i));
        bytes[8 + i] = std::uint8_t(key.low >> (56 - 8 * i));
    }
    return net::Ipv6Address(bytes);
}

net::Ipv4Address EamTable::translate(const EamEntry& entry,
                                     const net::Ipv6Address& address) noexcept {
    const int bits = suffix4(entry);
    if (bits == 0) return entry.ipv4.address();
    const Key6 key = key_of(address);
    // RFC 7757 3.2: read as many bits after the IPv6 prefix as the IPv4 suffix holds; IPv6
    // suffix bits past those have no IPv4 counterpart and are ignored.
    const int shift = 128 - entry.ipv6.length() - bits;
    std::uint64_t value = 0;
    if (shift >= 64)
        value = key.high >> (shift - 64);
    else if (shift == 0)
        value = key.low;
    else
        value = key.low >> shift | key.high << (64 - shift);
    value &= ~std::uint64_t{0} >> (64 - bits);
    return net::Ipv4Address(entry.ipv4.address().to_uint() | std::uint32_t(value));
}

Result<EamTable> EamTable::create(std::span<const EamEntry> entries) {
    EamTable table;
    std::vector<std::string> problems;
    // Which entry holds each prefix so far: duplicates found in O(n log n) for large tables.
    std::map<net::Ipv4Prefix, std::size_t> by_ipv4;
    std::map<net::Ipv6Prefix, std::size_t> by_ipv6;
    for (const EamEntry& entry : entries) {
        std::optional<std::string> problem = check_entry(entry);
        if (auto it = by_ipv4.find(entry.ipv4); !problem && it != by_ipv4.end())
            problem = check_pair(entry, table.entries_[it->second]);
        if (auto it = by_ipv6.find(entry.ipv6); !problem && it != by_ipv6.end())
            problem = check_pair(entry, table.entries_[it->second]);
        if (problem) {
            problems.push_back(std::move(*problem));
            continue;
        }
        by_ipv4.emplace(entry.ipv4, table.entries_.size());
        by_ipv6.emplace(entry.ipv6, table.entries_.size());
        table.entries_.push_back(entry);
    }
    if (!problems.empty()) return table_error(problems);
    table.index();
    return table;
}

Result<void> EamTable::insert(const EamEntry& entry) {
    std::optional<std::string> problem = check_entry(entry);
    for (std::size_t i = 0; !problem && i < entries_.size(); ++i)
        problem = check_pair(entry, entries_[i]);
    if (problem) return make_error(std::errc::invalid_argument, std::move(*problem));
    entries_.push_back(entry);
    index();
    return {};
}

void EamTable::index() {
    levels4_.clear();
    levels6_.clear();
    for (std::uint32_t i = 0; i < entries_.size(); ++i) {
        const EamEntry& entry = entries_[i];
        const auto add = [i](auto& levels, int length, auto key) {
            auto level = std::find_if(levels.begin(), levels.end(),
                                      [&](const auto& l) { return l.length == length; });
            if (level == levels.end()) {
                levels.emplace_back();
                level = levels.end() - 1;
                level->length = length;
            }
            level->slots.push_back({key, i});
        };
        add(levels4_, entry.ipv4.length(), entry.ipv4.address().to_uint());
        add(levels6_, entry.ipv6.length(), key_of(entry.ipv6.address()));
    }
    const auto longest_first = [](const auto& a, const auto& b) { return a.length > b.length; };
    const auto by_key = [](const auto& a, const auto& b) { return a.key < b.key; };
    std::sort(levels4_.begin(), levels4_.end(), longest_first);
    std::sort(levels6_.begin(), levels6_.end(), longest_first);
    for (auto& level : levels4_) std::sort(level.slots.begin(), level.slots.end(), by_key);
    for (auto& level : levels6_) std::sort(level.slots.begin(), level.slots.end(), by_key);
}

const EamEntry* EamTable::find_ipv4(net::Ipv4Address address) const noexcept {
    for (const auto& level : levels4_)
        if (const auto* slot = search(level, mask(address.to_uint(), level.length)))
            return &entries_[slot->entry];
    return nullptr;
}

const EamEntry* EamTable::find_ipv6(const net::Ipv6Address& address) const noexcept {
    const Key6 key = key_of(address);
    for (const auto& level : levels6_)
        if (const auto* slot = search(level, mask(key, level.length)))
            return &entries_[slot->entry];
    return nullptr;
}

std::optional<net::Ipv6Address> EamTable::to_ipv6(net::Ipv4Address address) const noexcept {
    const EamEntry* entry = find_ipv4(address);
    if (!entry) return std::nullopt;
    return translate(*entry, address);
}

std::optional<net::Ipv4Address> EamTable::to_ipv4(const net::Ipv6Address& address) const noexcept {
    const EamEntry* entry = find_ipv6(address);
    if (!entry) return std::nullopt;
    return translate(*entry, address);
}

}  // namespace sixgate::xlat
