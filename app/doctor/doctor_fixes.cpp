#include "app/doctor/doctor_fixes.hpp"

namespace sixgate::app::doctor {
namespace {

namespace nl = net::netlink;

std::string sysctl(const std::string& interface, const std::string& key, int value) {
    return "sysctl -w net.ipv6.conf." + interface + "." + key + "=" + std::to_string(value);
}

// RFC 4861 6.3.7: solicit an RA now instead of waiting for the next periodic one.
std::string solicit(const std::string& interface) { return "rdisc6 " + interface; }

// The sixgate config edit and the reload that applies it (SIGHUP restarts the changed component).
std::string reload(const SixgateState& g) {
    return g.pid > 0 ? "kill -HUP " + std::to_string(g.pid) : "kill -HUP $(pidof sixgate)";
}

std::string config_path(const SixgateState& g) {
    return g.config.empty() ? "/etc/sixgate/sixgate.yaml" : shell_quote(g.config);
}

// A name or address as an extended regular expression, matched as a whole list item.
std::string regex_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (std::string_view(".[]()*+?{}|^$\\/").find(c) != std::string_view::npos) out += '\\';
        out += c;
    }
    return out;
}

}  // namespace

std::string shell_quote(const std::string& text) {
    if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                "_-./:=@%+,") == std::string::npos)
        return text;
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string Fixer::alias(const std::string& interface) const {
    return "\"" + (alias_.empty() ? interface : alias_) + "\"";
}

void Fixer::windows_router_discovery(Finding& f, const std::string& interface) const {
    f.windows_fix.push_back("Set-NetIPInterface -InterfaceAlias " + alias(interface) +
                            " -AddressFamily IPv6 -RouterDiscovery Enabled");
    f.windows_fix.push_back("netsh interface ipv6 set interface " + alias(interface) + " routerdiscovery=enabled");
}

void Fixer::accept_ra(Finding& f, const std::string& interface, int value) const {
    f.linux_fix = {sysctl(interface, "accept_ra", value), solicit(interface)};
    windows_router_discovery(f, interface);
}

void Fixer::route_information(Finding& f, const std::string& interface, bool also_router_preference) const {
    // 128: every RIO, the /64 client prefixes and the /96 NAT64 prefix alike.
    f.linux_fix = {sysctl(interface, "accept_ra_rt_info_max_plen", 128)};
    if (also_router_preference) f.linux_fix.push_back(sysctl(interface, "accept_ra_rtr_pref", 1));
    f.linux_fix.push_back(solicit(interface));
    f.windows_note = "Windows takes RFC 4191 routes as part of router discovery, with no length limit to raise: "
                     "router discovery must be on";
    windows_router_discovery(f, interface);
}

void Fixer::slaac(Finding& f, const std::string& interface, bool autoconf_off) const {
    if (autoconf_off) f.linux_fix.push_back(sysctl(interface, "autoconf", 1));
    f.linux_fix.push_back(solicit(interface));
    windows_router_discovery(f, interface);
}

void Fixer::forwarding(Finding& f, const std::string& interface) const {
    f.linux_fix = {"sysctl -w net.ipv6.conf.all.forwarding=1"};
    const std::string windows_interface = interface.empty() ? "Ethernet" : interface;
    f.windows_fix = {"Set-NetIPInterface -InterfaceAlias " + alias(windows_interface) + " -AddressFamily IPv6 -Forwarding Enabled",
                     "netsh interface ipv6 set interface " + alias(windows_interface) + " forwarding=enabled"};
}

void Fixer::isatap_router(Finding& f, const HostSnapshot& s, const PrlEntry& entry) const {
    // Name the router by the address the name resolved to, else by the router in use.
    std::string router = entry.ipv4 ? entry.ipv4->to_string() : s.sixgate.isatap_host->router;
    if (router.empty()) {
        f.linux_fix = {"# in " + config_path(s.sixgate) + " replace '" + entry.entry +
                           "' under isatap.routers by the sixgate server's intranet IPv4 or own DNS name, then:",
                       reload(s.sixgate)};
        f.windows_note = "point the ISATAP client at the server's own name or address";
        f.windows_fix = {"Set-NetIsatapConfiguration -Router <server name or IPv4> -State Enabled"};
        return;
    }
    // The routers list in flow style (`routers: [a, b]`): replace this item on that line only.
    f.linux_fix = {"sed -i -E '/^[[:space:]]*routers:/s/([[, ]|^)" + regex_escape(entry.entry) + "([], ]|$)/\\1" +
                       router + "\\2/' " + config_path(s.sixgate),
                   reload(s.sixgate)};
    f.windows_fix = {"Set-NetIsatapConfiguration -Router " + router + " -State Enabled",
                     "netsh interface isatap set router " + router + " enabled"};
}

void Fixer::isatap_allow(Finding& f, const HostSnapshot& s) const {
    const IsatapHostState& host = *s.sixgate.isatap_host;
    std::string own_ipv4 = "<this host's IPv4>";
    if (const HostInterface* i = find_interface(s, host.interface); i && !i->ipv4.empty())
        own_ipv4 = i->ipv4.front().address.to_string();
    f.linux_fix = {"# on the sixgate ISATAP router: add " + own_ipv4 + " to isatap.allow, then: kill -HUP <its pid>"};
    for (const PrlEntry& entry : host.prl)
        if (!entry.error.empty()) f.linux_fix.push_back("getent ahostsv4 " + shell_quote(entry.entry) + "   # " + entry.error);
    f.windows_note = "the same allow-list decides for a Windows ISATAP client";
    f.windows_fix = {"Get-NetIsatapConfiguration"};
}

void Fixer::plat_prefix(Finding& f, const HostSnapshot& s) const {
    // A literal prefix works at once and needs neither PREF64 nor DNS64 (RFC 6877 6.3 allows
    // configuration). Prefer what the DNS64 synthesises, else the PLAT's well-known prefix.
    const std::string prefix = s.dns64_prefix ? s.dns64_prefix->to_string()
                               : s.sixgate.nat64_prefix ? s.sixgate.nat64_prefix->to_string()
                                                        : "64:ff9b::/96";
    if (!s.dns64_prefix && !s.sixgate.nat64_prefix)
        f.why += "; 64:ff9b::/96 below is the well-known prefix (RFC 6052 2.1): use your PLAT's if it differs";
    f.linux_fix = {"sed -i -E 's|^([[:space:]]*plat_prefix:).*|\\1 " + prefix + "|' " + config_path(s.sixgate),
                   reload(s.sixgate)};
    f.windows_note = "Windows has no CLAT for wired or Wi-Fi interfaces: an IPv6-only Windows host reaches "
                     "IPv4 only by names its DNS64 synthesises into " + prefix;
}

void Fixer::clat_restart(Finding& f, const HostSnapshot& s) const {
    f.linux_fix = {"sixgate check -c " + config_path(s.sixgate),
                   "kill -TERM " + std::to_string(s.sixgate.pid) + "; sixgate run -c " + config_path(s.sixgate) + " &"};
    f.windows_note = "Windows has no CLAT for wired or Wi-Fi interfaces";
}

void Fixer::route(Finding& f, const net::Ipv6Prefix& destination, const HostInterface* via,
                  const std::vector<const HostInterface*>& ra) const {
    const std::string prefix = destination.to_string();
    if (!via) {
        for (const HostInterface* i : ra) f.linux_fix.push_back(solicit(i->name) + "   # find the router");
        f.linux_fix.push_back("# then: ip -6 route add " + prefix + " via <the router's link-local> dev <interface>");
        f.windows_fix = {"New-NetRoute -DestinationPrefix " + prefix +
                         " -InterfaceAlias \"Ethernet\" -NextHop <the router's link-local>"};
        return;
    }
    const std::string router = via->routers.front().to_string();
    f.why += "; the router " + router + " was heard on " + via->name;
    f.linux_fix = {"ip -6 route add " + prefix + " via " + router + " dev " + via->name};
    f.windows_fix = {"New-NetRoute -DestinationPrefix " + prefix + " -InterfaceAlias " + alias(via->name) +
                         " -NextHop " + router,
                     "netsh interface ipv6 add route " + prefix + " " + alias(via->name) + " " + router};
}

void Fixer::ipv4_route(Finding& f, const HostSnapshot& s, const net::Ipv4Address& target) const {
    if (s.sixgate.clat) {
        f.why += "; the CLAT's IPv4 default route through " + s.sixgate.clat->tun + " is missing";
        clat_restart(f, s);
        return;
    }
    bool has_ipv4 = false;
    for (const HostInterface& i : s.interfaces) has_ipv4 = has_ipv4 || (!i.loopback && !i.ipv4.empty());
    if (!has_ipv4) {
        f.why += "; this host has no IPv4 address: an IPv6-only host reaches IPv4 through a CLAT (RFC 6877)";
        f.linux_fix = {"printf 'clat:\\n  uplink: <interface>\\n  plat_prefix: pref64\\n' > /etc/sixgate/clat.yaml",
                       "sixgate run -c /etc/sixgate/clat.yaml &"};
        f.windows_note = "Windows has no CLAT for wired or Wi-Fi interfaces";
        return;
    }
    f.linux_fix = {"ip route add " + target.to_string() + "/32 via <IPv4 gateway> dev <interface>"};
    f.windows_fix = {"New-NetRoute -DestinationPrefix " + target.to_string() + "/32 -InterfaceAlias \"Ethernet\" -NextHop <IPv4 gateway>"};
}

void Fixer::path(Finding& f, const nl::Route& route, const std::string& target) const {
    const bool ipv6 = std::holds_alternative<net::Ipv6Prefix>(route.destination);
    const auto* gateway6 = route.gateway ? std::get_if<net::Ipv6Address>(&*route.gateway) : nullptr;
    const bool link_local = gateway6 && gateway6->bytes()[0] == 0xfe && (gateway6->bytes()[1] & 0xc0) == 0x80;
    if (route.gateway)
        f.linux_fix.push_back("ping -c 3 " + nl::to_string(*route.gateway) + (link_local ? "%" + route.device : "") +
                              "   # does the next hop answer?");
    f.linux_fix.push_back(std::string(ipv6 ? "ip -6" : "ip") + " route get " + target + "   # on the router too: the route back");
    f.windows_fix = {"Test-NetConnection " + target + " -TraceRoute", "Find-NetRoute -RemoteIPAddress " + target};
}

}  // namespace sixgate::app::doctor
