#include "clat/dhcpv4_lease.hpp"

#include <spdlog/spdlog.h>

namespace sixgate::clat {

namespace netlink = net::netlink;

DhcpLeaseInstaller::DhcpLeaseInstaller(netlink::KernelApi& kernel, std::string uplink)
    : state_(kernel), uplink_(std::move(uplink)) {
    state_.set_error_sink(
        [](const Error& error) { spdlog::error("dhcpv4 lease cleanup: {}", error.message); });
}

DhcpLeaseInstaller::~DhcpLeaseInstaller() {
    remove();
}

Result<void> DhcpLeaseInstaller::install(const DhcpLease& lease) {
    if (installed_ && installed_->address == lease.address &&
        installed_->prefix_length == lease.prefix_length && installed_->router == lease.router &&
        installed_->lease_time_s == lease.lease_time_s)
        return {};
    remove();

    netlink::InterfaceAddress address;
    address.device = uplink_;
    address.address = lease.address;
    address.prefix_length = lease.prefix_length;
    // The kernel drops the address when the lease runs out, even if sixgate cannot.
    if (lease.lease_time_s != 0xffffffff) address.valid_lifetime_s = lease.lease_time_s;
    auto added = state_.add_address(address);
    if (!added) return with_context(added.error(), "dhcpv4 lease " + netlink::describe(address));
    if (lease.router) {
        netlink::Route route;
        route.destination = net::Ipv4Prefix(net::Ipv4Address(), 0);
        route.gateway = *lease.router;
        route.device = uplink_;
        auto routed = state_.add_route(route);
        if (!routed || *routed == netlink::Ownership::kPresentNotOurs) {
            for (const Error& error : state_.remove_all())
                spdlog::error("dhcpv4 lease cleanup: {}", error.message);
            if (!routed) return with_context(routed.error(), "dhcpv4 lease default route");
            return make_error(std::errc::file_exists,
                              "dhcpv4 lease: another IPv4 default route is already there (" +
                                  netlink::describe(route) + " was not added)");
        }
    }
    installed_ = lease;
    spdlog::info("dhcpv4 lease installed address={}/{} router={} uplink={} lease_time_s={}",
                 lease.address.to_string(), lease.prefix_length,
                 lease.router ? lease.router->to_string() : std::string("none"), uplink_,
                 lease.lease_time_s);
    return {};
}

void DhcpLeaseInstaller::remove() {
    for (const Error& error : state_.remove_all())
        spdlog::error("dhcpv4 lease cleanup: {}", error.message);
    if (installed_)
        spdlog::info("dhcpv4 lease removed address={} uplink={}", installed_->address.to_string(),
                     uplink_);
    installed_.reset();
}

}  // namespace sixgate::clat
