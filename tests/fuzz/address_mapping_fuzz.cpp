// Fuzzes the translator's address mapping: builds a pool6 prefix, an EAM table and an RFC 6791
// pool from the input, then checks embedding and extraction round trips, the EAM lookups against
// a brute-force longest match, the mapping order (EAM before pool6) and the pool's picks. Any
// mismatch aborts.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <span>
#include <vector>

#include "xlat/address_mapping.hpp"

namespace {

using namespace sixgate;
using namespace sixgate::xlat;

// Reads the input front to back; zeros once it runs dry.
class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> data) : data_(data) {}
    bool empty() const { return data_.empty(); }
    std::uint8_t byte() {
        if (data_.empty()) return 0;
        const std::uint8_t value = data_.front();
        data_ = data_.subspan(1);
        return value;
    }
    std::uint32_t u32() {
        std::uint32_t value = 0;
        for (int i = 0; i < 4; ++i) value = value << 8 | byte();
        return value;
    }
    net::Ipv4Address ipv4() { return net::Ipv4Address(u32()); }
    net::Ipv6Address ipv6() {
        net::Ipv6Address::Bytes bytes{};
        for (auto& b : bytes) b = byte();
        return net::Ipv6Address(bytes);
    }

private:
    std::span<const std::uint8_t> data_;
};

void check(bool condition) {
    if (!condition) std::abort();
}

// Brute-force longest match, the reference for the table's indexed lookups.
const EamEntry* longest_ipv4(std::span<const EamEntry> entries, net::Ipv4Address address) {
    const EamEntry* best = nullptr;
    for (const EamEntry& entry : entries)
        if (entry.ipv4.contains(address) && (!best || entry.ipv4.length() > best->ipv4.length()))
            best = &entry;
    return best;
}

const EamEntry* longest_ipv6(std::span<const EamEntry> entries, const net::Ipv6Address& address) {
    const EamEntry* best = nullptr;
    for (const EamEntry& entry : entries)
        if (entry.ipv6.contains(address) && (!best || entry.ipv6.length() > best->ipv6.length()))
            best = &entry;
    return best;
}

// Bit-by-bit reference of RFC 7757 3.2 suffix copying.
bool bit6(const net::Ipv6Address& address, int index) {
    return address.bytes()[index / 8] >> (7 - index % 8) & 1;
}

net::Ipv6Address reference_to_ipv6(const EamEntry& entry, net::Ipv4Address address) {
    auto bytes = entry.ipv6.address().bytes();
    for (int i = entry.ipv4.length(); i < 32; ++i) {
        const int at = entry.ipv6.length() + (i - entry.ipv4.length());
        if (address.to_uint() >> (31 - i) & 1) bytes[at / 8] |= std::uint8_t(0x80 >> (at % 8));
    }
    return net::Ipv6Address(bytes);
}

net::Ipv4Address reference_to_ipv4(const EamEntry& entry, const net::Ipv6Address& address) {
    std::uint32_t value = entry.ipv4.address().to_uint();
    for (int i = entry.ipv4.length(); i < 32; ++i)
        if (bit6(address, entry.ipv6.length() + (i - entry.ipv4.length()))) value |= 1u << (31 - i);
    return net::Ipv4Address(value);
}

void check_rfc6052(const Rfc6052Prefix& prefix, net::Ipv4Address v4, const net::Ipv6Address& v6) {
    const net::Ipv6Address embedded = prefix.embed(v4);
    check(prefix.contains(embedded));
    check(prefix.extract(embedded) == v4);
    check(embedded.bytes()[8] == 0);
    if (auto extracted = prefix.extract(v6)) {
        check(prefix.contains(v6));
        // Re-embedding gives the same address with the u octet and suffix cleared.
        const net::Ipv6Address again = prefix.embed(*extracted);
        check(prefix.extract(again) == extracted);
        const int length = prefix.length();
        for (int i = 0; i < length / 8; ++i) check(again.bytes()[i] == v6.bytes()[i]);
    } else {
        check(!prefix.contains(v6));
    }
}

void check_eam(const EamTable& table, net::Ipv4Address v4, const net::Ipv6Address& v6) {
    const EamEntry* by4 = table.find_ipv4(v4);
    check(by4 == longest_ipv4(table.entries(), v4));
    if (by4) {
        const net::Ipv6Address mapped = *table.to_ipv6(v4);
        check(mapped == reference_to_ipv6(*by4, v4));
        check(by4->ipv6.contains(mapped));
        // Back through the same entry always gives the address again; through the table only when
        // no more specific IPv6 entry takes over.
        check(EamTable::translate(*by4, mapped) == v4);
        if (table.find_ipv6(mapped) == by4) check(table.to_ipv4(mapped) == v4);
    } else {
        check(!table.to_ipv6(v4));
    }
    const EamEntry* by6 = table.find_ipv6(v6);
    check(by6 == longest_ipv6(table.entries(), v6));
    if (by6) {
        const net::Ipv4Address mapped = *table.to_ipv4(v6);
        check(mapped == reference_to_ipv4(*by6, v6));
        check(by6->ipv4.contains(mapped));
    } else {
        check(!table.to_ipv4(v6));
    }
}

void check_mapping(const AddressMapping& mapping, net::Ipv4Address v4, const net::Ipv6Address& v6) {
    const EamTable& eam = mapping.eam();
    const auto to6 = mapping.try_map_ipv4_to_ipv6(v4);
    if (eam.find_ipv4(v4)) {
        check(to6 && *to6 == *eam.to_ipv6(v4));  // EAM first (RFC 7757 3.2)
    } else if (!mapping.pool6()) {
        check(!to6 && to6.error() == MappingFailure::no_match);
    } else if (!mapping.pool6()->allowed(v4)) {
        check(!to6 && to6.error() == MappingFailure::well_known_prefix_non_global);
    } else {
        check(to6 && *to6 == mapping.pool6()->embed(v4));
        // Back again unless an EAM claims that IPv6 address first.
        if (!eam.find_ipv6(*to6)) check(mapping.map_ipv6_to_ipv4(*to6) == v4);
    }
    check(mapping.map_ipv4_to_ipv6(v4).has_value() == to6.ok());

    const auto to4 = mapping.try_map_ipv6_to_ipv4(v6);
    if (eam.find_ipv6(v6)) {
        check(to4 && *to4 == *eam.to_ipv4(v6));
    } else if (!mapping.pool6() || !mapping.pool6()->extract(v6)) {
        check(!to4 && to4.error() == MappingFailure::no_match);
    } else if (!mapping.pool6()->allowed(*mapping.pool6()->extract(v6))) {
        check(!to4 && to4.error() == MappingFailure::well_known_prefix_non_global);
    } else {
        check(to4 && *to4 == *mapping.pool6()->extract(v6));
    }
    check(mapping.map_ipv6_to_ipv4(v6).has_value() == to4.ok());

    if (auto hairpin = mapping.hairpin_destination(v6)) {
        check(mapping.pool6() && !eam.find_ipv6(v6));
        check(to4 && eam.to_ipv6(*to4) == hairpin);
    }

    const net::Ipv4Address source = mapping.icmp_error_source(v4.to_uint());
    if (mapping.rfc6791_pool().empty())
        check(mapping.own_ipv4() == source);
    else
        check(mapping.rfc6791_pool().contains(source));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Reader in({data, size});

    // pool6: one of the six lengths, the WKP, or none.
    std::optional<Rfc6052Prefix> pool6;
    const std::uint8_t choice = in.byte() % 8;
    const net::Ipv6Address pool6_address = in.ipv6();
    if (choice < 6) {
        auto prefix =
            Rfc6052Prefix::create(net::Ipv6Prefix(pool6_address, Rfc6052Prefix::kLengths[choice]));
        if (prefix) pool6 = *prefix;
    } else if (choice == 6) {
        pool6 = Rfc6052Prefix::well_known();
    }
    // Lengths the create() must refuse.
    const int odd_length = in.byte() % 129;
    auto odd = Rfc6052Prefix::create(net::Ipv6Prefix(pool6_address, odd_length));
    bool listed = false;
    for (int length : Rfc6052Prefix::kLengths) listed = listed || length == odd_length;
    if (!listed) check(!odd);

    // EAM: up to 16 entries; rejected ones are skipped, the table must stay consistent. Entries
    // are built near each other so that they nest and collide often.
    std::vector<EamEntry> entries;
    const int entry_count = in.byte() % 17;
    const net::Ipv4Address base4 = in.ipv4();
    const net::Ipv6Address base6 = in.ipv6();
    for (int i = 0; i < entry_count; ++i) {
        const std::uint8_t flip = in.byte();
        const int length4 = in.byte() % 33;
        const int length6 = in.byte() % 129;
        net::Ipv6Address::Bytes bytes = base6.bytes();
        bytes[flip % 16] ^= in.byte();
        entries.push_back(
            {net::Ipv4Prefix(
                 net::Ipv4Address(base4.to_uint() ^ (std::uint32_t{in.byte()} << (flip % 25))),
                 length4),
             net::Ipv6Prefix(net::Ipv6Address(bytes), length6)});
    }
    EamTable table;
    for (const EamEntry& entry : entries) {
        const std::size_t before = table.size();
        auto inserted = table.insert(entry);
        check(table.size() == before + (inserted ? 1 : 0));
        // RFC 7757 3.2: an IPv4 suffix longer than the IPv6 suffix never gets in.
        if (32 - entry.ipv4.length() > 128 - entry.ipv6.length()) check(!inserted);
    }
    // create() over the same list keeps exactly the entries insert() kept, or refuses them all.
    if (auto created = EamTable::create(entries)) check(created->size() == entries.size());

    // RFC 6791 pool: up to 4 prefixes.
    std::vector<net::Ipv4Prefix> prefixes;
    const int pool_count = in.byte() % 5;
    for (int i = 0; i < pool_count; ++i) prefixes.emplace_back(in.ipv4(), 8 + in.byte() % 25);
    auto pool = Rfc6791Pool::create(prefixes);
    if (pool) {
        std::uint64_t total = 0;
        for (const auto& prefix : pool->prefixes())
            total += std::uint64_t{1} << (32 - prefix.length());
        check(pool->size() == total);
    }

    AddressMappingConfig config;
    config.pool6 = pool6;
    config.eam = table;
    if (pool) config.rfc6791_pool = *pool;
    if (in.byte() & 1) config.own_ipv4 = net::Ipv4Address(192, 0, 0, 1);
    auto mapping = AddressMapping::create(config);
    if (!mapping)
        check((!pool6 && table.empty()) || (config.rfc6791_pool.empty() && !config.own_ipv4));

    // Probes: each an IPv4 and an IPv6 address, some taken from inside the configured prefixes.
    while (!in.empty()) {
        net::Ipv4Address v4 = in.ipv4();
        net::Ipv6Address v6 = in.ipv6();
        const std::uint8_t steer = in.byte();
        if (steer & 1 && pool6) v6 = pool6->embed(v4);
        if (steer & 2 && !table.empty()) {
            const EamEntry& entry = table.entries()[steer % table.size()];
            v4 = net::Ipv4Address(
                entry.ipv4.address().to_uint() |
                (v4.to_uint() &
                 (entry.ipv4.length() == 0 ? ~0u : ~(~0u << (32 - entry.ipv4.length())))));
            v6 = entry.ipv6.with_host(v6);
        }
        if (pool6) check_rfc6052(*pool6, v4, v6);
        for (int length : Rfc6052Prefix::kLengths) {
            auto prefix = Rfc6052Prefix::create(net::Ipv6Prefix(v6, length));
            if (prefix) check_rfc6052(*prefix, v4, v6);
        }
        check_eam(table, v4, v6);
        if (mapping) check_mapping(*mapping, v4, v6);
        if (pool && !pool->empty()) check(pool->contains(pool->pick(v4.to_uint())));
    }
    return 0;
}
