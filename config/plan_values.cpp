#include "config/plan_values.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace sixgate::config {
namespace {

constexpr std::string_view kNameList = "site, org, iphttps, teredo, isatap, nat64";

// A plan name starts with a letter and is not a hex group ("beef::1" is a literal address).
bool looks_like_name(std::string_view head) {
    if (head.empty() || !std::isalpha(static_cast<unsigned char>(head[0]))) return false;
    if (std::any_of(head.begin(), head.end(), [](char c) {
            return !std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-';
        }))
        return false;
    const bool all_hex = head.size() <= 4 && std::all_of(head.begin(), head.end(), [](char c) {
                             return std::isxdigit(static_cast<unsigned char>(c));
                         });
    return !all_hex;
}

}  // namespace

std::optional<net::Ipv6Prefix> PlanValues::resolve(std::string_view name, const YAML::Node& node,
                                                   const std::string& path, std::string_view what) {
    if (std::find(std::begin(net::kPlanNames), std::end(net::kPlanNames), name) == std::end(net::kPlanNames)) {
        reader_.error(node, path,
                      "expected " + std::string(what) + " or a plan name (" + std::string(kNameList) +
                          "), found '" + std::string(name) + "'" + did_you_mean(name, net::kPlanNames));
        return std::nullopt;
    }
    if (state_ == State::failed) return std::nullopt;
    if (state_ == State::absent) {
        reader_.error(node, path,
                      "needs public_ipv4 to resolve '" + std::string(name) +
                          "' (plan names come from the prefix plan of public_ipv4); set public_ipv4 "
                          "or write a literal");
        return std::nullopt;
    }
    auto prefix = net::resolve_plan_name(*plan_, name);
    if (!prefix) {
        reader_.error(node, path, prefix.error().message);
        return std::nullopt;
    }
    return *prefix;
}

std::optional<Setting<net::Ipv6Prefix>> PlanValues::prefix(const YAML::Node& node, const std::string& path) {
    auto text = reader_.scalar(node, path, "an IPv6 prefix or a plan name");
    if (!text) return std::nullopt;
    Setting<net::Ipv6Prefix> setting;
    if (text->find(':') == std::string::npos) {
        auto prefix = resolve(*text, node, path, "an IPv6 prefix");
        if (!prefix) return std::nullopt;
        setting.set(*prefix, Origin::derived, *text);
        return setting;
    }
    auto prefix = net::Ipv6Prefix::parse(*text);
    if (!prefix) {
        reader_.error(node, path, "expected an IPv6 prefix, found '" + *text + "': " + prefix.error().message);
        return std::nullopt;
    }
    setting.set(*prefix, Origin::configured);
    return setting;
}

std::optional<Setting<net::Ipv6Address>> PlanValues::address_text(const std::string& text, const YAML::Node& node,
                                                                  const std::string& path) {
    Setting<net::Ipv6Address> setting;
    const std::size_t colons = text.find("::");
    const std::string_view head = std::string_view(text).substr(0, colons);
    if (looks_like_name(head)) {
        if (colons == std::string::npos) {
            reader_.error(node, path,
                          "expected an IPv6 address or NAME::suffix (e.g. org::1), found '" + text + "'");
            return std::nullopt;
        }
        auto prefix = resolve(head, node, path, "an IPv6 address");
        if (!prefix) return std::nullopt;
        auto suffix = net::Ipv6Address::parse(text.substr(colons));
        if (!suffix) {
            reader_.error(node, path, "expected NAME::suffix, found '" + text + "': " + suffix.error().message);
            return std::nullopt;
        }
        // The suffix must fit in the host part, or it would silently change the prefix.
        if (net::Ipv6Prefix(*suffix, prefix->length()).address() != net::Ipv6Address()) {
            reader_.error(node, path,
                          "suffix " + suffix->to_string() + " does not fit in the host part of '" +
                              std::string(head) + "' (" + prefix->to_string() + "), found '" + text + "'");
            return std::nullopt;
        }
        setting.set(prefix->with_host(*suffix), Origin::derived, text);
        return setting;
    }
    auto address = net::Ipv6Address::parse(text);
    if (!address) {
        reader_.error(node, path, "expected an IPv6 address, found '" + text + "': " + address.error().message);
        return std::nullopt;
    }
    setting.set(*address, Origin::configured);
    return setting;
}

std::optional<Setting<net::Ipv6Address>> PlanValues::address(const YAML::Node& node, const std::string& path) {
    auto text = reader_.scalar(node, path, "an IPv6 address or NAME::suffix");
    if (!text) return std::nullopt;
    return address_text(*text, node, path);
}

std::optional<Setting<InterfaceAddress>> PlanValues::interface_address(const YAML::Node& node,
                                                                       const std::string& path) {
    auto text = reader_.scalar(node, path, "an IPv6 address with a length (e.g. org::1/64)");
    if (!text) return std::nullopt;
    const std::size_t slash = text->find('/');
    int length = -1;
    if (slash != std::string::npos) {
        const std::string_view digits = std::string_view(*text).substr(slash + 1);
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
        if (digits.empty() || ec != std::errc{} || end != digits.data() + digits.size()) length = -1;
    }
    if (length < 0 || length > 128) {
        reader_.error(node, path,
                      "expected ADDRESS/LENGTH with a length 0..128 (e.g. org::1/64), found '" + *text + "'");
        return std::nullopt;
    }
    auto address = address_text(text->substr(0, slash), node, path);
    if (!address) return std::nullopt;
    Setting<InterfaceAddress> setting;
    setting.set(InterfaceAddress{address->value, length}, address->origin, address->source.empty() ? "" : *text);
    return setting;
}

std::optional<net::Ipv6Prefix> PlanValues::default_prefix(const YAML::Node& at, const std::string& path,
                                                          std::string_view name) {
    if (state_ == State::failed) return std::nullopt;
    if (state_ == State::absent) {
        reader_.error(at, path,
                      "the default '" + std::string(name) + "' needs public_ipv4 to resolve '" +
                          std::string(name) + "'; set public_ipv4 or give " + path + " a literal value");
        return std::nullopt;
    }
    auto prefix = net::resolve_plan_name(*plan_, name);
    if (!prefix) {
        reader_.error(at, path, "the default " + prefix.error().message);
        return std::nullopt;
    }
    return *prefix;
}

}  // namespace sixgate::config
