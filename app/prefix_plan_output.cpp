#include "app/prefix_plan_output.hpp"

#include <algorithm>
#include <sstream>
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
    return out.str();
}

}  // namespace sixgate::app
