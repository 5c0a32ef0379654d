#pragma once
// sixgate's configuration as typed, validated values: one YAML file configures every component.
// RFCs behind the bounds: 4861, 8319, 4191, 8106, 8781, 9096 (router), 5214 (isatap), 6877, 7050,
// 7335 (clat), 6146, 6052 (plat), 7915, 7757, 6791 (translation).
// Entry points: load_config_file() in config/loader.hpp, effective_config_yaml() in config/effective.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/diagnostics.hpp"
#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/prefix_plan.hpp"

namespace sixgate::config {

// Where a value came from, so the effective config can say "# default" or "# derived: org".
enum class Origin {
    configured,  // written literally in the file
    defaulted,   // not written: the built-in default
    derived,     // computed: from a plan name, from another value, or a default taken from the plan
};

// A value with its origin. Equality compares the value only: a derived value written back
// literally is the same setting.
template <class T>
struct Setting {
    T value{};
    Origin origin = Origin::defaulted;
    std::string source;  // for derived values: what it came from, e.g. "org" or "3 * max_rtr_adv_interval"

    Setting() = default;
    Setting(T initial) : value(std::move(initial)) {}  // NOLINT: a default value reads naturally

    void set(T new_value, Origin new_origin, std::string new_source = {}) {
        value = std::move(new_value);
        origin = new_origin;
        source = std::move(new_source);
    }
    const T& operator*() const noexcept { return value; }
    const T* operator->() const noexcept { return &value; }
    friend bool operator==(const Setting& a, const Setting& b) { return a.value == b.value; }
};

// An address with a prefix length, e.g. the router's own 2002:836b:2:3333::1/64.
struct InterfaceAddress {
    net::Ipv6Address address;
    int length = 64;
    std::string to_string() const { return address.to_string() + "/" + std::to_string(length); }
    bool operator==(const InterfaceAddress&) const = default;
};

inline constexpr std::uint32_t kInfiniteLifetime = 0xffffffff;

// ---- logging, control -------------------------------------------------------------------------
enum class LogLevel { trace, debug, info, warn, error, critical, off };

struct LoggingConfig {
    Setting<LogLevel> level{LogLevel::info};
    bool operator==(const LoggingConfig&) const = default;
};

struct ControlConfig {
    Setting<std::string> socket{std::string("/run/sixgate/sixgate.sock")};
    bool operator==(const ControlConfig&) const = default;
};

// ---- router -----------------------------------------------------------------------------------
enum class RouterPreference { low, medium, high };  // RFC 4191 2.1

struct PrefixInformation {  // RFC 4861 4.6.2
    Setting<net::Ipv6Prefix> prefix;
    Setting<bool> on_link{true};
    Setting<bool> autonomous{true};
    Setting<std::uint32_t> valid_lifetime{5400};      // RFC 9096 3.3: 90 minutes
    Setting<std::uint32_t> preferred_lifetime{2700};  // RFC 9096 3.3: 45 minutes
    bool operator==(const PrefixInformation&) const = default;
};

struct RouteInformation {  // RFC 4191 2.3
    Setting<net::Ipv6Prefix> prefix;
    Setting<RouterPreference> preference{RouterPreference::medium};
    Setting<std::uint32_t> lifetime;
    bool operator==(const RouteInformation&) const = default;
};

struct RdnssConfig {  // RFC 8106 5.1
    std::vector<Setting<net::Ipv6Address>> servers;
    Setting<std::uint32_t> lifetime;
    bool operator==(const RdnssConfig&) const = default;
};

struct DnsslConfig {  // RFC 8106 5.2
    std::vector<std::string> domains;
    Setting<std::uint32_t> lifetime;
    bool operator==(const DnsslConfig&) const = default;
};

struct Pref64Config {  // RFC 8781
    Setting<bool> enabled{false};
    Setting<net::Ipv6Prefix> prefix;
    Setting<std::uint32_t> lifetime;  // a multiple of 8, <= 65528
    bool operator==(const Pref64Config&) const = default;
};

struct RouterInterface {
    std::string name;
    Setting<std::uint32_t> max_rtr_adv_interval{600};
    Setting<std::uint32_t> min_rtr_adv_interval{198};
    Setting<std::uint32_t> router_lifetime{0};
    Setting<RouterPreference> router_preference{RouterPreference::medium};
    Setting<std::uint32_t> cur_hop_limit{64};
    Setting<bool> managed{false};
    Setting<bool> other_config{false};
    Setting<std::uint32_t> reachable_time{0};
    Setting<std::uint32_t> retrans_timer{0};
    Setting<std::optional<std::uint32_t>> link_mtu;
    Setting<bool> source_link_address{true};
    Setting<bool> unicast_solicited_replies{false};
    Setting<std::uint32_t> unicast_reply_limit{10};
    std::vector<PrefixInformation> prefixes;
    std::vector<RouteInformation> routes;
    std::optional<RdnssConfig> rdnss;
    std::optional<DnsslConfig> dnssl;
    Pref64Config pref64;
    bool operator==(const RouterInterface&) const = default;
};

struct KernelRoute {  // installed through netlink
    Setting<net::Ipv6Prefix> prefix;
    std::optional<Setting<net::Ipv6Address>> via;
    std::optional<std::string> dev;
    Setting<std::uint32_t> metric{1024};
    bool operator==(const KernelRoute&) const = default;
};

struct RouterConfig {
    Setting<bool> enabled{false};
    Setting<bool> forwarding{true};
    Setting<std::optional<InterfaceAddress>> server_address;  // empty only when disabled without a plan
    std::vector<RouterInterface> interfaces;
    std::vector<KernelRoute> routes;
    bool operator==(const RouterConfig&) const = default;
};

// ---- isatap -----------------------------------------------------------------------------------
enum class IsatapMode { router, host };

struct IsatapRouterEntry {  // an entry of the host's potential router list (RFC 5214 8.3.2)
    std::string text;                  // as written: an IPv4 address or a DNS name
    std::optional<net::Ipv4Address> address;  // set when it is an address
    bool operator==(const IsatapRouterEntry&) const = default;
};

struct IsatapConfig {
    Setting<bool> enabled{false};
    Setting<IsatapMode> mode{IsatapMode::router};
    Setting<std::string> interface;
    Setting<std::string> tun{std::string("isatap0")};
    Setting<std::optional<net::Ipv6Prefix>> prefix;  // router mode
    std::vector<net::Ipv4Prefix> allow;  // router mode; single addresses as /32
    // Router mode: other ISATAP routers and 6to4 relays on the IPv4 network, whose ISATAP and
    // 6to4 addresses are never forwarded to or accepted from (RFC 6324 3.2.3).
    std::vector<net::Ipv4Prefix> other_routers;
    std::vector<IsatapRouterEntry> routers;  // host mode
    Setting<std::uint32_t> resolicit_interval{900};  // host mode
    bool operator==(const IsatapConfig&) const = default;
};

// ---- clat -------------------------------------------------------------------------------------
enum class PlatPrefixSource { pref64, dns64, configured };

struct PlatPrefixSetting {
    PlatPrefixSource source = PlatPrefixSource::pref64;
    std::optional<net::Ipv6Prefix> prefix;  // when configured
    bool operator==(const PlatPrefixSetting&) const = default;
};

// RFC 8925: the CLAT asks DHCPv4 on its uplink whether the network prefers IPv6-only (option 108)
// before it runs; without option 108 in the offer it takes the lease and leaves IPv4 native.
struct ClatDhcpv4Config {
    Setting<bool> v6only_preferred{false};
    // With no answer at all: seconds of RFC 2131 4.1 retransmissions before the CLAT runs anyway.
    Setting<std::uint32_t> no_server_wait{10};
    bool operator==(const ClatDhcpv4Config&) const = default;
};

struct ClatConfig {
    Setting<bool> enabled{false};
    Setting<std::string> tun{std::string("clat0")};
    Setting<std::uint32_t> queues{1};
    Setting<std::string> uplink;
    Setting<net::Ipv4Address> ipv4_address{net::Ipv4Address(192, 0, 0, 1)};  // RFC 7335
    Setting<std::optional<net::Ipv6Address>> ipv6_address;  // empty: auto
    Setting<PlatPrefixSetting> plat_prefix;
    Setting<std::optional<std::uint32_t>> mtu;  // empty: auto
    ClatDhcpv4Config dhcpv4;
    bool operator==(const ClatConfig&) const = default;
};

// ---- plat -------------------------------------------------------------------------------------
struct PortRange {
    std::uint16_t first = 0;
    std::uint16_t last = 65535;
    bool contains(std::uint32_t port) const noexcept { return port >= first && port <= last; }
    std::string to_string() const { return std::to_string(first) + "-" + std::to_string(last); }
    bool operator==(const PortRange&) const = default;
};

struct Pool4Entry {
    net::Ipv4Prefix prefix;
    Setting<PortRange> tcp_ports{PortRange{1024, 65535}};
    Setting<PortRange> udp_ports{PortRange{1024, 65535}};
    Setting<PortRange> icmp_ids{PortRange{0, 65535}};
    bool operator==(const Pool4Entry&) const = default;
};

enum class Filtering { endpoint_independent, address_dependent };  // RFC 6146 3.5.1.1
enum class Protocol { tcp, udp, icmp };

struct PlatTimeouts {  // seconds, RFC 6146 3.5
    Setting<std::uint32_t> udp{300};
    Setting<std::uint32_t> icmp{60};
    Setting<std::uint32_t> tcp_established{7440};
    Setting<std::uint32_t> tcp_transitory{240};
    Setting<std::uint32_t> tcp_incoming_syn{6};
    // Tests and labs: every timeout may go down to 1 s, below RFC 6146's minimums (a warning says so).
    Setting<bool> allow_below_rfc_minimum{false};
    bool operator==(const PlatTimeouts&) const = default;
};

struct StaticBibEntry {
    Protocol protocol = Protocol::tcp;
    net::Ipv4Address ipv4;
    std::uint16_t ipv4_port = 0;
    Setting<net::Ipv6Address> ipv6;
    std::uint16_t ipv6_port = 0;
    bool operator==(const StaticBibEntry&) const = default;
};

struct PlatConfig {
    Setting<bool> enabled{false};
    Setting<std::string> tun{std::string("plat0")};
    Setting<std::uint32_t> queues{1};
    Setting<std::optional<net::Ipv6Prefix>> prefix;  // empty only when disabled without a plan
    std::vector<Pool4Entry> pool4;
    Setting<Filtering> filtering{Filtering::endpoint_independent};
    PlatTimeouts timeouts;
    Setting<std::uint32_t> max_sessions{65536};
    Setting<std::uint32_t> max_sessions_per_source{4096};
    std::vector<StaticBibEntry> static_bib;
    bool operator==(const PlatConfig&) const = default;
};

// ---- translation (RFC 7915), shared by clat, plat and `sixgate translate` ----------------------
struct EamEntry {  // RFC 7757
    net::Ipv4Prefix ipv4;
    net::Ipv6Prefix ipv6;
    bool operator==(const EamEntry&) const = default;
};

enum class UdpZeroChecksum { compute, drop };  // RFC 7915 4.5

struct TranslationConfig {
    std::vector<EamEntry> eam;
    std::vector<net::Ipv4Prefix> rfc6791_pool;
    Setting<std::optional<net::Ipv4Address>> ipv4_address;
    Setting<std::optional<net::Ipv6Address>> ipv6_address;
    Setting<std::uint32_t> lowest_ipv6_mtu{1280};
    Setting<UdpZeroChecksum> udp_zero_checksum{UdpZeroChecksum::compute};
    bool operator==(const TranslationConfig&) const = default;
};

// ---- the whole file ---------------------------------------------------------------------------
struct Config {
    std::optional<Setting<net::Ipv4Address>> public_ipv4;  // source = interface name when from_interface
    std::optional<net::Ipv6Prefix> ula;
    std::optional<net::PrefixPlan> plan;  // derived when public_ipv4 is set (and a ULA where needed)
    LoggingConfig logging;
    ControlConfig control;
    RouterConfig router;
    IsatapConfig isatap;
    ClatConfig clat;
    PlatConfig plat;
    TranslationConfig translation;
    std::vector<Diagnostic> warnings;

    // Compares the settings; warnings and the derived plan are not settings.
    bool operator==(const Config& other) const {
        return public_ipv4 == other.public_ipv4 && ula == other.ula && logging == other.logging &&
               control == other.control && router == other.router && isatap == other.isatap &&
               clat == other.clat && plat == other.plat && translation == other.translation;
    }
};

// Names as written in YAML.
std::string_view to_string(LogLevel level);
std::string_view to_string(RouterPreference preference);
std::string_view to_string(IsatapMode mode);
std::string_view to_string(Filtering filtering);
std::string_view to_string(Protocol protocol);
std::string_view to_string(UdpZeroChecksum action);

}  // namespace sixgate::config
