#include "isatap/host_table.hpp"

#include <algorithm>
#include <bit>

namespace sixgate::isatap {

HostTable::HostTable(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {
    records_.reserve(capacity_);
    slots_.assign(std::bit_ceil(2 * capacity_), kEmpty);
}

std::uint32_t HostTable::lookup(net::Ipv4Address host, std::size_t& slot) const noexcept {
    // Fibonacci hashing, then linear probing; at most half the slots are ever used, so an empty
    // slot always ends the probe.
    const std::size_t mask = slots_.size() - 1;
    slot = std::size_t((std::uint64_t{host.to_uint()} * 0x9e3779b97f4a7c15ull) >> 32) & mask;
    while (slots_[slot] != kEmpty) {
        if (records_[slots_[slot]].ipv4 == host) return slots_[slot];
        slot = (slot + 1) & mask;
    }
    return kEmpty;
}

HostRecord* HostTable::get(net::Ipv4Address host) noexcept {
    std::size_t slot = 0;
    const std::uint32_t index = lookup(host, slot);
    return index == kEmpty ? nullptr : &records_[index];
}

HostTable::Recorded HostTable::record_in(net::Ipv4Address host, bool allowed, std::size_t bytes,
                                         Clock::time_point now) noexcept {
    std::lock_guard lock(mutex_);
    std::size_t slot = 0;
    std::uint32_t index = lookup(host, slot);
    Recorded recorded = Recorded::existing;
    if (index == kEmpty) {
        if (records_.size() >= capacity_) {
            ++table_full_;
            return Recorded::full;
        }
        index = std::uint32_t(records_.size());
        HostRecord record;
        record.ipv4 = host;
        record.allowed = allowed;
        record.first_seen = now;
        records_.push_back(record);  // within the reserved capacity: no allocation
        slots_[slot] = index;
        if (allowed) ++allowed_;
        recorded = Recorded::added;
    }
    HostRecord& record = records_[index];
    // A reload builds a new table, so `allowed` only changes here if the policy did.
    if (record.allowed != allowed) {
        allowed ? ++allowed_ : --allowed_;
        record.allowed = allowed;
    }
    ++record.packets_in;
    record.bytes_in += bytes;
    record.last_seen = now;
    return recorded;
}

void HostTable::record_dropped(net::Ipv4Address host) noexcept {
    std::lock_guard lock(mutex_);
    if (HostRecord* record = get(host)) ++record->packets_dropped;
}

void HostTable::record_isatap_address(net::Ipv4Address host,
                                      const net::Ipv6Address& address) noexcept {
    std::lock_guard lock(mutex_);
    if (HostRecord* record = get(host)) record->isatap_address = address;
}

void HostTable::record_out(net::Ipv4Address host, std::size_t bytes) noexcept {
    std::lock_guard lock(mutex_);
    if (HostRecord* record = get(host)) {
        ++record->packets_out;
        record->bytes_out += bytes;
    }
}

void HostTable::record_solicitation(net::Ipv4Address host) noexcept {
    std::lock_guard lock(mutex_);
    if (HostRecord* record = get(host)) ++record->solicitations;
}

void HostTable::record_advertisement(net::Ipv4Address host) noexcept {
    std::lock_guard lock(mutex_);
    if (HostRecord* record = get(host)) ++record->advertisements;
}

HostTableSummary HostTable::summary() const {
    std::lock_guard lock(mutex_);
    return {records_.size(), allowed_, records_.size() - allowed_, table_full_};
}

std::vector<HostRecord> HostTable::snapshot(std::size_t limit) const {
    std::vector<HostRecord> copy;
    {
        std::lock_guard lock(mutex_);
        copy = records_;
    }
    const std::size_t count = std::min(limit, copy.size());
    std::partial_sort(
        copy.begin(), copy.begin() + std::ptrdiff_t(count), copy.end(),
        [](const HostRecord& a, const HostRecord& b) { return a.last_seen > b.last_seen; });
    copy.resize(count);
    return copy;
}

std::optional<HostRecord> HostTable::find(net::Ipv4Address host) const {
    std::lock_guard lock(mutex_);
    std::size_t slot = 0;
    const std::uint32_t index = lookup(host, slot);
    if (index == kEmpty) return std::nullopt;
    return records_[index];
}

}  // namespace sixgate::isatap
