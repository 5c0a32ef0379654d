#include "app/translate_options.hpp"

#include <charconv>
#include <string_view>
#include <utility>

#include "xlat/mtu.hpp"
#include "xlat/rfc6052.hpp"

namespace sixgate::app {
namespace {

Error option_error(std::string_view option, const std::string& message) {
    return make_error(std::errc::invalid_argument, std::string(option) + ": " + message);
}

// A prefix, or a single address as the /32 (/128) that holds only it, as the config reads them.
Result<net::Ipv4Prefix> parse_ipv4_prefix(std::string_view text) {
    if (text.find('/') != std::string_view::npos) return net::Ipv4Prefix::parse(text);
    auto address = net::Ipv4Address::parse(text);
    if (!address) return address.error();
    return net::Ipv4Prefix(*address, 32);
}

Result<net::Ipv6Prefix> parse_ipv6_prefix(std::string_view text) {
    if (text.find('/') != std::string_view::npos) return net::Ipv6Prefix::parse(text);
    auto address = net::Ipv6Address::parse(text);
    if (!address) return address.error();
    return net::Ipv6Prefix(*address, 128);
}

Result<std::uint32_t> parse_bytes(std::string_view option, const std::string& text,
                                  std::uint32_t low, std::uint32_t high, std::string_view why) {
    std::uint32_t value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    const std::string bounds =
        std::to_string(low) + ".." + std::to_string(high) + " bytes (" + std::string(why) + ")";
    if (error != std::errc() || end != text.data() + text.size())
        return option_error(option, "'" + text + "' is not a number of bytes; give " + bounds);
    if (value < low || value > high)
        return option_error(option, text + " is out of range: must be " + bounds);
    return value;
}

// "V4PREFIX=V6PREFIX", with the config's rule: RFC 7757 3.2 copies the suffix bit for bit.
Result<config::EamEntry> parse_eam(const std::string& text) {
    const std::string option = "--eam " + text;
    const auto equals = text.find('=');
    if (equals == std::string::npos)
        return option_error(option,
                            "expected V4PREFIX=V6PREFIX, e.g. 192.0.2.0/24=2001:db8:aaaa::/120");
    auto ipv4 = parse_ipv4_prefix(std::string_view(text).substr(0, equals));
    if (!ipv4) return option_error(option, ipv4.error().message);
    auto ipv6 = parse_ipv6_prefix(std::string_view(text).substr(equals + 1));
    if (!ipv6) return option_error(option, ipv6.error().message);
    const int suffix4 = 32 - ipv4->length(), suffix6 = 128 - ipv6->length();
    if (suffix4 != suffix6)
        return option_error(
            option, "suffix lengths must match (RFC 7757 3.2): " + ipv4->to_string() + " leaves " +
                        std::to_string(suffix4) + " bits, so the IPv6 prefix must be a /" +
                        std::to_string(96 + ipv4->length()) + ", found " + ipv6->to_string());
    return config::EamEntry{*ipv4, *ipv6};
}

// The pool6 a config names: the CLAT's literal PLAT prefix, else the PLAT's prefix.
std::optional<net::Ipv6Prefix> config_pool6(const config::Config& config) {
    const config::PlatPrefixSetting& plat_prefix = config.clat.plat_prefix.value;
    if (plat_prefix.source == config::PlatPrefixSource::configured && plat_prefix.prefix)
        return plat_prefix.prefix;
    return config.plat.prefix.value;
}

// Every option laid over `translation` and `pool6`; all problems collected, one per line.
void apply_options(const TranslateOptions& options, config::TranslationConfig& translation,
                   std::optional<net::Ipv6Prefix>& pool6, xlat::TranslatorSettings& settings,
                   std::string& problems) {
    const auto problem = [&problems](const Error& error) {
        if (!problems.empty()) problems += '\n';
        problems += error.message;
    };
    using config::Origin;
    if (!options.pool6.empty()) {
        auto prefix = net::Ipv6Prefix::parse(options.pool6);
        if (!prefix) {
            problem(option_error("--pool6", prefix.error().message));
        } else if (auto checked = xlat::Rfc6052Prefix::create(*prefix); !checked) {
            problem(option_error("--pool6", checked.error().message));
        } else {
            pool6 = *prefix;
        }
    }
    if (!options.eam.empty()) {
        translation.eam.clear();
        for (const std::string& text : options.eam) {
            auto entry = parse_eam(text);
            if (entry)
                translation.eam.push_back(*entry);
            else
                problem(entry.error());
        }
    }
    if (!options.rfc6791_pool.empty()) {
        translation.rfc6791_pool.clear();
        for (const std::string& text : options.rfc6791_pool) {
            auto prefix = parse_ipv4_prefix(text);
            if (prefix)
                translation.rfc6791_pool.push_back(*prefix);
            else
                problem(option_error("--rfc6791-pool", prefix.error().message));
        }
    }
    if (!options.ipv4_address.empty()) {
        auto address = net::Ipv4Address::parse(options.ipv4_address);
        if (address)
            translation.ipv4_address.set(*address, Origin::configured);
        else
            problem(option_error("--ipv4-address", address.error().message));
    }
    if (!options.ipv6_address.empty()) {
        auto address = net::Ipv6Address::parse(options.ipv6_address);
        if (address)
            translation.ipv6_address.set(*address, Origin::configured);
        else
            problem(option_error("--ipv6-address", address.error().message));
    }
    // RFC 7915 4.1: lowest-ipv6-mtu may be raised, never below the IPv6 minimum (RFC 8200 5).
    if (!options.lowest_ipv6_mtu.empty()) {
        auto mtu = parse_bytes("--lowest-ipv6-mtu", options.lowest_ipv6_mtu, xlat::kIpv6MinimumMtu,
                               xlat::kIpv4MaximumMtu, "RFC 8200 5");
        if (mtu)
            translation.lowest_ipv6_mtu.set(*mtu, Origin::configured);
        else
            problem(mtu.error());
    }
    if (!options.udp_zero_checksum.empty()) {
        if (options.udp_zero_checksum == "compute")
            translation.udp_zero_checksum.set(config::UdpZeroChecksum::compute, Origin::configured);
        else if (options.udp_zero_checksum == "drop")
            translation.udp_zero_checksum.set(config::UdpZeroChecksum::drop, Origin::configured);
        else
            problem(option_error(
                "--udp-zero-checksum",
                "'" + options.udp_zero_checksum + "' is not one of compute, drop (RFC 7915 4.5)"));
    }
    // Link MTUs: the IPv6 minimum is 1280 (RFC 8200 5), the IPv4 one 68 (RFC 791).
    if (!options.ipv6_mtu.empty()) {
        auto mtu = parse_bytes("--ipv6-mtu", options.ipv6_mtu, xlat::kIpv6MinimumMtu,
                               xlat::kIpv4MaximumMtu, "RFC 8200 5");
        if (mtu)
            settings.ipv6_next_hop_mtu = *mtu;
        else
            problem(mtu.error());
    }
    if (!options.ipv4_mtu.empty()) {
        auto mtu = parse_bytes("--ipv4-mtu", options.ipv4_mtu, xlat::kIpv4MinimumMtu,
                               xlat::kIpv4MaximumMtu, "RFC 791");
        if (mtu)
            settings.ipv4_next_hop_mtu = *mtu;
        else
            problem(mtu.error());
    }
    settings.decrement_ttl = !options.no_decrement;
}

}  // namespace

Result<TranslateSetup> resolve_translate_options(const TranslateOptions& options,
                                                 const config::LoadOptions& load_options) {
    config::TranslationConfig translation;
    std::optional<net::Ipv6Prefix> pool6;
    if (!options.config_path.empty()) {
        auto loaded = config::load_config_file(options.config_path, load_options);
        if (!loaded) return loaded.error();
        translation = loaded->translation;
        pool6 = config_pool6(*loaded);
    }

    std::string problems;
    xlat::TranslatorSettings link_settings;
    apply_options(options, translation, pool6, link_settings, problems);
    if (!problems.empty()) return make_error(std::errc::invalid_argument, std::move(problems));

    if (!pool6 && translation.eam.empty())
        return make_error(std::errc::invalid_argument,
                          "--pool6 or --eam is required: the translator needs a pool6 prefix "
                          "(RFC 6052) or at least one EAM (RFC 7757), on the command line or in "
                          "the -c file");

    const bool dummy_icmp_source =
        !translation.ipv4_address.value && translation.rfc6791_pool.empty();
    if (dummy_icmp_source)
        translation.ipv4_address.set(kIpv4DummyAddress, config::Origin::defaulted, "RFC 7600");
    auto parts = xlat::make_translator(translation, pool6);
    if (!parts) return parts.error();
    xlat::TranslatorParts built = std::move(*parts);
    built.settings.ipv6_next_hop_mtu = link_settings.ipv6_next_hop_mtu;
    built.settings.ipv4_next_hop_mtu = link_settings.ipv4_next_hop_mtu;
    built.settings.decrement_ttl = link_settings.decrement_ttl;
    return TranslateSetup{std::move(built), pool6, dummy_icmp_source};
}

}  // namespace sixgate::app
