#include "router/ra_consistency.hpp"

#include <optional>

namespace sixgate::router {

namespace nd = net::nd;

namespace {

template <class T>
std::string disagreement(const std::string& field, const T& ours, const T& theirs) {
    return "field=" + field + " ours=" + std::to_string(ours) + " theirs=" + std::to_string(theirs);
}

std::optional<std::uint32_t> mtu_of(const nd::RouterAdvertisement& ra) {
    for (const auto& option : ra.options)
        if (const auto* mtu = std::get_if<nd::MtuOption>(&option)) return mtu->mtu;
    return std::nullopt;
}

}  // namespace

std::vector<std::string> find_inconsistencies(const nd::RouterAdvertisement& ours, const nd::RouterAdvertisement& theirs) {
    std::vector<std::string> found;
    // Zero means "unspecified" for these three and agrees with anything.
    if (ours.cur_hop_limit && theirs.cur_hop_limit && ours.cur_hop_limit != theirs.cur_hop_limit)
        found.push_back(disagreement("cur_hop_limit", int(ours.cur_hop_limit), int(theirs.cur_hop_limit)));
    if (ours.managed != theirs.managed) found.push_back(disagreement("managed", int(ours.managed), int(theirs.managed)));
    if (ours.other_config != theirs.other_config)
        found.push_back(disagreement("other_config", int(ours.other_config), int(theirs.other_config)));
    if (ours.reachable_time && theirs.reachable_time && ours.reachable_time != theirs.reachable_time)
        found.push_back(disagreement("reachable_time", ours.reachable_time, theirs.reachable_time));
    if (ours.retrans_timer && theirs.retrans_timer && ours.retrans_timer != theirs.retrans_timer)
        found.push_back(disagreement("retrans_timer", ours.retrans_timer, theirs.retrans_timer));
    const auto our_mtu = mtu_of(ours), their_mtu = mtu_of(theirs);
    if (our_mtu && their_mtu && *our_mtu != *their_mtu) found.push_back(disagreement("mtu", *our_mtu, *their_mtu));
    // sixgate's lifetimes are fixed (they do not decrement in real time), so equal is expected.
    for (const auto& option : theirs.options) {
        const auto* their_prefix = std::get_if<nd::PrefixInformationOption>(&option);
        if (!their_prefix) continue;
        for (const auto& mine : ours.options) {
            const auto* our_prefix = std::get_if<nd::PrefixInformationOption>(&mine);
            if (!our_prefix || our_prefix->prefix != their_prefix->prefix) continue;
            const std::string name = their_prefix->prefix.to_string();
            if (our_prefix->preferred_lifetime != their_prefix->preferred_lifetime)
                found.push_back(disagreement("prefix " + name + " preferred_lifetime", our_prefix->preferred_lifetime,
                                             their_prefix->preferred_lifetime));
            if (our_prefix->valid_lifetime != their_prefix->valid_lifetime)
                found.push_back(disagreement("prefix " + name + " valid_lifetime", our_prefix->valid_lifetime,
                                             their_prefix->valid_lifetime));
        }
    }
    return found;
}

}  // namespace sixgate::router
