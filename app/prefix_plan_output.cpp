#include "app/prefix_plan_output.hpp"

#include <algorithm>
#include <cctype>
#include <sstream>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace sixgate::app {
namespace {

struct Row {
    std::string role, value, note;
};

std::vector<Row> plan_rows(const PlanReport& report) {
    const net::PrefixPlan& plan = report.plan;
    std::vector<Row> rows;
    if (plan.behind_nat)
        rows.push_back({"site (ULA /48)", plan.site.to_string(),
                        report.ula_generated ? "generated now (RFC 4193 3.2.2): pin it in the config"
                                             : "pinned ULA (RFC 4193)"});
    else
        rows.push_back({"organisation /48", plan.site.to_string(),
                        "6to4 prefix of " + plan.public_ipv4.to_string() + " (RFC 3056)"});
    rows.push_back({"organisation /64", plan.organization.to_string(), "manage-out hosts (SLAAC), name 'org'"});
    rows.push_back({"server", plan.server.to_string(), "the sixgate server on the organisation /64"});
    rows.push_back({"IP-HTTPS clients", plan.iphttps.to_string(), "remote clients over IP-HTTPS, name 'iphttps'"});
    if (plan.teredo)
        rows.push_back({"Teredo clients", plan.teredo->prefix.to_string(),
                        "name 'teredo'; needs a 2nd consecutive public IPv4: " +
                            plan.teredo->second_ipv4.to_string()});
    else
        rows.push_back({"Teredo clients", "-", "not available: " + plan.teredo_unavailable});
    rows.push_back({"ISATAP hosts", plan.isatap.to_string(),
                    "limited-scope ISATAP (::0:5efe:a.b.c.d), name 'isatap'"});
    rows.push_back({"NAT64", plan.nat64.to_string(), "PLAT prefix (RFC 6052), sent as PREF64, name 'nat64'"});
    if (report.client)
        rows.push_back({"6to4 client", report.client->sixtofour.to_string(),
                        "what a client with " + report.client->ipv4.to_string() + " uses (RFC 3056)"});
    return rows;
}

std::string reach_text(const net::PrefixPlan& plan) {
    if (!plan.behind_nat) {
        if (plan.scope.name.empty()) return "globally reachable";
        return "globally reachable (" + std::string(plan.scope.name) + ", " + std::string(plan.scope.rfc) + ")";
    }
    return "not globally reachable: " + std::string(plan.scope.name) + ", " + std::string(plan.scope.block) +
           ", " + std::string(plan.scope.rfc) + "; the server is behind NAT, 6to4 and Teredo do not apply";
}

}  // namespace

std::string render_plan_table(const PlanReport& report) {
    std::ostringstream out;
    out << "prefix plan for " << report.plan.public_ipv4.to_string() << " (" << reach_text(report.plan)
        << ")\n\n";
    const auto rows = plan_rows(report);
    std::size_t role_width = 4, value_width = 6;
    for (const Row& row : rows) {
        role_width = std::max(role_width, row.role.size());
        value_width = std::max(value_width, row.value.size());
    }
    auto line = [&](const std::string& role, const std::string& value, const std::string& note) {
        out << "  " << role << std::string(role_width - role.size() + 2, ' ') << value
            << std::string(value_width - value.size() + 2, ' ') << note << '\n';
    };
    line("role", "prefix", "note");
    for (const Row& row : rows) line(row.role, row.value, row.note);
    return out.str();
}

std::string render_plan_json(const PlanReport& report) {
    const net::PrefixPlan& plan = report.plan;
    nlohmann::ordered_json json;
    json["public_ipv4"] = plan.public_ipv4.to_string();
    json["globally_reachable"] = !plan.behind_nat;
    json["behind_nat"] = plan.behind_nat;
    if (plan.scope.name.empty())
        json["special_purpose"] = nullptr;
    else
        json["special_purpose"] = {{"block", plan.scope.block}, {"name", plan.scope.name}, {"rfc", plan.scope.rfc}};
    json["site"] = plan.site.to_string();
    json["ula_generated"] = report.ula_generated;
    json["organization"] = plan.organization.to_string();
    json["server"] = plan.server.to_string();
    json["iphttps"] = plan.iphttps.to_string();
    if (plan.teredo) {
        json["teredo"] = {{"prefix", plan.teredo->prefix.to_string()},
                          {"second_ipv4", plan.teredo->second_ipv4.to_string()}};
        json["teredo_unavailable"] = nullptr;
    } else {
        json["teredo"] = nullptr;
        json["teredo_unavailable"] = plan.teredo_unavailable;
    }
    json["isatap"] = plan.isatap.to_string();
    json["nat64"] = plan.nat64.to_string();
    if (report.client)
        json["client"] = {{"ipv4", report.client->ipv4.to_string()},
                          {"sixtofour_address", report.client->sixtofour.to_string()},
                          {"warning", report.client->warning.empty() ? nlohmann::ordered_json(nullptr)
                                                                     : nlohmann::ordered_json(report.client->warning)}};
    else
        json["client"] = nullptr;
    return json.dump(2) + "\n";
}

std::string render_plan_windows(const PlanReport& report, const WindowsHostOptions& options) {
    const net::PrefixPlan& plan = report.plan;
    const std::string alias = "\"" + options.interface_alias + "\"";
    const std::string host = plan.organization.with_host(options.host_id).to_string();
    const std::string server = plan.server.to_string();
    std::vector<net::Ipv6Prefix> routes{plan.iphttps};
    if (plan.teredo) routes.push_back(plan.teredo->prefix);
    routes.push_back(plan.nat64);

    std::ostringstream out;
    out << "# Static manage-out on a Windows host, toward the sixgate server " << server << "\n"
        << "# (" << plan.public_ipv4.to_string() << ", " << reach_text(plan) << ").\n"
        << "# Where the sixgate router sends RAs on the host's LAN, none of this is needed: the host\n"
        << "# forms its address by SLAAC and learns these routes from RFC 4191 Route Information.\n"
        << "# Interface alias: see Get-NetAdapter. Host address " << host << " is an example.\n\n"
        << "# PowerShell (elevated)\n"
        << "New-NetIPAddress -InterfaceAlias " << alias << " -IPAddress " << host << " -PrefixLength 64\n";
    for (const auto& route : routes)
        out << "New-NetRoute -InterfaceAlias " << alias << " -DestinationPrefix " << route.to_string()
            << " -NextHop " << server << "\n";
    out << "# Static manage-out needs no ISATAP: keep it off so no host tunnels to an 'isatap' name.\n"
        << "Set-NetIsatapConfiguration -State Disabled\n\n"
        << "# netsh (cmd.exe, elevated), the same configuration\n"
        << "netsh interface ipv6 add address interface=" << alias << " address=" << host << "/64\n";
    for (const auto& route : routes)
        out << "netsh interface ipv6 add route prefix=" << route.to_string() << " interface=" << alias
            << " nexthop=" << server << "\n";
    out << "netsh interface isatap set state disabled\n";

    // A jump host on the intranet's IPv4 reaches the client prefixes over limited-scope ISATAP
    // (RFC 5214) instead: the sixgate ISATAP router answers only the hosts on its allow-list.
    const std::string& router = options.isatap_router;
    out << "\n# Limited-scope ISATAP on an IPv4-only jump host (instead of the static lines above).\n"
        << "# The host forms " << plan.isatap.to_string() << " + ::5efe:<its IPv4> (::200:5efe: when that\n"
        << "# IPv4 is public, RFC 5214 6.1) from the router's RA and learns the routes to the client\n"
        << "# prefixes from it (RFC 4191); no address or route to add.\n"
        << "# DNS: an A record " << router << " must resolve to the sixgate server's intranet IPv4 (the\n"
        << "# address of isatap.interface). Do not name it 'isatap': Windows DNS servers block that name\n"
        << "# by default (the DNS global query block list). Only hosts on the server's isatap.allow list\n"
        << "# are served; any other host gets no answer.\n"
        << "# PowerShell (elevated)\n"
        << "Set-NetIsatapConfiguration -Router " << router << " -State Enabled\n"
        << "# netsh (cmd.exe, elevated), the same configuration\n"
        << "netsh interface isatap set router " << router << " enabled\n";

    // RFC 8925: IPv6-only-capable clients (sixgate's CLAT, current Windows/macOS/iOS/Android) that
    // see option 108 take no IPv4 lease and use 464XLAT through the PLAT (nat64 prefix) instead.
    // RFC 8925 3.4 suggests 1800 s for V6ONLY_WAIT; clients take no less than 300 s.
    constexpr int kV6OnlyWait = 1800;
    out << "\n# RFC 8925 option 108 'IPv6-Only Preferred' on a Windows Server DHCP server: clients\n"
        << "# that ask for it take no IPv4 lease and reach IPv4 by 464XLAT through "
        << plan.nat64.to_string() << ".\n"
        << "# The value is V6ONLY_WAIT in seconds (" << kV6OnlyWait
        << ", as RFC 8925 suggests; clients use at least 300). Server-wide\n"
        << "# here; add -ScopeId <scope> (netsh: dhcp server scope <scope> set optionvalue) for one scope.\n"
        << "# PowerShell (elevated)\n"
        << "Add-DhcpServerv4OptionDefinition -Name \"IPv6-Only Preferred\" -OptionId 108 -Type DWord "
           "-Description \"RFC 8925 V6ONLY_WAIT (s)\"\n"
        << "Set-DhcpServerv4OptionValue -OptionId 108 -Value " << kV6OnlyWait << "\n"
        << "# netsh (cmd.exe, elevated), the same configuration\n"
        << "netsh dhcp server add optiondef 108 \"IPv6-Only Preferred\" DWORD 0 "
           "comment=\"RFC 8925 V6ONLY_WAIT (s)\"\n"
        << "netsh dhcp server set optionvalue 108 DWORD " << kV6OnlyWait << "\n";
    return out.str();
}

std::optional<std::string> isatap_router_name_problem(const std::string& name) {
    if (name.empty()) return "expected a DNS name or an IPv4 address, found an empty name";
    if (net::Ipv4Address::parse(name)) return std::nullopt;
    if (name.size() > 253) return "'" + name + "' is longer than 253 characters (RFC 1035 2.3.4)";
    std::size_t start = 0;
    while (start <= name.size()) {
        const std::size_t end = std::min(name.find('.', start), name.size());
        const std::string_view label = std::string_view(name).substr(start, end - start);
        if (label.empty() || label.size() > 63)
            return "'" + name + "' is not a DNS name: each dot-separated label must be 1..63 characters";
        for (char c : label)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-')
                return "'" + name + "' is not a DNS name: '" + std::string(1, c) +
                       "' is not a letter, digit or hyphen";
        if (label.front() == '-' || label.back() == '-')
            return "'" + name + "' is not a DNS name: a label cannot start or end with a hyphen";
        if (start == 0) {
            std::string first(label);
            for (char& c : first) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (first == "isatap")
                return "'" + name + "' would never resolve on most Windows networks: DNS servers block names whose "
                       "first label is 'isatap' by default (the global query block list); use another name, e.g. " +
                       std::string(kDefaultIsatapRouterName);
        }
        start = end + 1;
    }
    return std::nullopt;
}

}  // namespace sixgate::app
