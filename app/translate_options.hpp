#pragma once
// `sixgate translate`: its options as typed, checked translator parts (RFC 7915 settings, RFC 6052
// pool6, RFC 7757 EAM, RFC 6791 pool), merged over a config file's `translation:` section.
// Entry point: resolve_translate_options.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/loader.hpp"
#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/result.hpp"
#include "xlat/translator_config.hpp"

namespace sixgate::app {

// The options as written; an empty string (or list) is an option not given.
struct TranslateOptions {
    std::string input;
    std::string output;
    std::string config_path;
    std::string pool6;
    std::vector<std::string> eam;           // "V4PREFIX=V6PREFIX", repeatable
    std::vector<std::string> rfc6791_pool;  // repeatable
    std::string ipv4_address;
    std::string ipv6_address;
    std::string lowest_ipv6_mtu;
    std::string ipv6_mtu;
    std::string ipv4_mtu;
    std::string udp_zero_checksum;
    bool no_decrement = false;
    bool json = false;
    bool verbose = false;
};

// RFC 7600: 192.0.0.8, the IPv4 dummy address, is what a translator with no IPv4 address of its
// own puts as the source of the ICMPv4 errors it sends. `sixgate translate` uses it when neither
// an ipv4_address nor an rfc6791_pool is given, so a capture can be translated with --pool6 only.
inline constexpr net::Ipv4Address kIpv4DummyAddress{192, 0, 0, 8};

struct TranslateSetup {
    xlat::TranslatorParts parts;
    std::optional<net::Ipv6Prefix> pool6;  // as used, for the report
    bool dummy_icmp_source = false;        // kIpv4DummyAddress stood in for an own IPv4 address
};

// Loads `-c FILE` when given (its `translation:` section; pool6 from clat.plat_prefix when that is
// a literal prefix, else plat.prefix), lays the options over it (a list option replaces the
// file's list) and builds the translator. Errors are usage errors: one line per problem, each
// naming the option (or the file, line and column) it is about.
Result<TranslateSetup> resolve_translate_options(const TranslateOptions& options,
                                                 const config::LoadOptions& load_options = {});

}  // namespace sixgate::app
