#pragma once
// The commands that mend what doctor_rules finds: Linux lines (ip, sysctl, rdisc6, the sixgate
// config + SIGHUP) and, for the same problem on a Windows host, netsh / PowerShell lines.

#include <string>
#include <vector>

#include "app/doctor/doctor_rules.hpp"

namespace sixgate::app::doctor {

class Fixer {
  public:
    // alias: the Windows interface alias to print; empty: the Linux interface name.
    explicit Fixer(std::string alias) : alias_(std::move(alias)) {}

    void accept_ra(Finding& f, const std::string& interface, int value) const;
    void route_information(Finding& f, const std::string& interface, bool also_router_preference) const;
    void slaac(Finding& f, const std::string& interface, bool autoconf_off) const;
    void forwarding(Finding& f, const std::string& interface) const;
    void isatap_router(Finding& f, const HostSnapshot& s, const PrlEntry& entry) const;
    void isatap_allow(Finding& f, const HostSnapshot& s) const;
    void plat_prefix(Finding& f, const HostSnapshot& s) const;
    void clat_restart(Finding& f, const HostSnapshot& s) const;
    // via: the interface a router was heard on (nullptr: none heard; solicit on every ra one).
    void route(Finding& f, const net::Ipv6Prefix& destination, const HostInterface* via,
               const std::vector<const HostInterface*>& ra) const;
    void ipv4_route(Finding& f, const HostSnapshot& s, const net::Ipv4Address& target) const;
    void path(Finding& f, const net::netlink::Route& route, const std::string& target) const;

  private:
    std::string alias(const std::string& interface) const;
    void windows_router_discovery(Finding& f, const std::string& interface) const;

    std::string alias_;
};

// 'text' for sh, quoted only when needed.
std::string shell_quote(const std::string& text);

}  // namespace sixgate::app::doctor
