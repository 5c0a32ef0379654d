#include "xlat/rfc6791_pool.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "net/ipv4_scope.hpp"

namespace sixgate::xlat {
namespace {

std::uint64_t address_count(const net::Ipv4Prefix& prefix) {
    return std::uint64_t{1} << (32 - prefix.length());
}

net::Ipv4Address last_address(const net::Ipv4Prefix& prefix) {
    return net::Ipv4Address(
        std::uint32_t(prefix.address().to_uint() + (address_count(prefix) - 1)));
}

// The special-purpose blocks that are never a unicast source lie at the edges of any prefix that
// reaches into them (0/8 and 127/8 end their halves, 224/3 ends the space), so the first and the
// last address of a prefix tell.
std::optional<std::string> check_prefix(const net::Ipv4Prefix& prefix) {
    for (net::Ipv4Address address : {prefix.address(), last_address(prefix)}) {
        const net::Ipv4Scope scope = net::classify_ipv4(address);
        if (scope.reach == net::Ipv4Reach::not_unicast)
            return "rfc6791 pool prefix " + prefix.to_string() + " reaches into " +
                   std::string(scope.block) + " (" + std::string(scope.name) + ", " +
                   std::string(scope.rfc) + "), which can never be the source of an ICMP error";
    }
    return std::nullopt;
}

// A 32-bit finaliser (MurmurHash3 fmix32): nearby hashes land far apart.
std::uint32_t mix(std::uint32_t h) noexcept {
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}

}  // namespace

Result<Rfc6791Pool> Rfc6791Pool::create(std::span<const net::Ipv4Prefix> prefixes) {
    std::vector<std::string> problems;
    Rfc6791Pool pool;
    for (const net::Ipv4Prefix& prefix : prefixes) {
        if (auto problem = check_prefix(prefix))
            problems.push_back(std::move(*problem));
        else
            pool.prefixes_.push_back(prefix);
    }
    std::sort(pool.prefixes_.begin(), pool.prefixes_.end());  // by address, then shorter first
    // Sorted by address, a prefix overlapping an earlier one starts inside its neighbour before it.
    for (std::size_t i = 1; i < pool.prefixes_.size(); ++i) {
        const net::Ipv4Prefix& before = pool.prefixes_[i - 1];
        const net::Ipv4Prefix& prefix = pool.prefixes_[i];
        if (before.contains(prefix.address()))
            problems.push_back("rfc6791 pool prefixes " + before.to_string() + " and " +
                               prefix.to_string() + " overlap; list each address once");
    }
    if (!problems.empty()) {
        std::string message;
        for (const std::string& problem : problems)
            message += (message.empty() ? "" : "\n") + problem;
        return make_error(std::errc::invalid_argument, std::move(message));
    }
    for (const net::Ipv4Prefix& prefix : pool.prefixes_) {
        pool.starts_.push_back(pool.total_);
        pool.total_ += address_count(prefix);
    }
    return pool;
}

bool Rfc6791Pool::contains(net::Ipv4Address address) const noexcept {
    return std::any_of(prefixes_.begin(), prefixes_.end(),
                       [&](const auto& p) { return p.contains(address); });
}

net::Ipv4Address Rfc6791Pool::pick(std::uint32_t hash) const noexcept {
    if (total_ == 0) return net::Ipv4Address();
    // Multiply-shift maps the 32-bit mix onto [0, total_) evenly; total_ <= 2^32 keeps it in 64
    // bits.
    const std::uint64_t index = (std::uint64_t{mix(hash)} * total_) >> 32;
    const auto after = std::upper_bound(starts_.begin(), starts_.end(), index);
    const std::size_t which = std::size_t(after - starts_.begin()) - 1;
    return net::Ipv4Address(
        std::uint32_t(prefixes_[which].address().to_uint() + (index - starts_[which])));
}

}  // namespace sixgate::xlat
