#pragma once
// A DHCPv4 lease on the CLAT's uplink when the network offers IPv4 without RFC 8925 option 108:
// the leased address (with the lease time as its kernel lifetime, so it also goes if sixgate is
// killed) and the default route via option 3's router, added through KernelApi and removed when
// the lease ends or sixgate stops. Entry points: DhcpLeaseInstaller::install, remove.

#include <optional>
#include <string>

#include "clat/rfc8925_client.hpp"
#include "net/netlink/kernel_state.hpp"
#include "net/result.hpp"

namespace sixgate::clat {

class DhcpLeaseInstaller {
public:
    DhcpLeaseInstaller(net::netlink::KernelApi& kernel, std::string uplink);
    ~DhcpLeaseInstaller();  // remove()
    DhcpLeaseInstaller(const DhcpLeaseInstaller&) = delete;
    DhcpLeaseInstaller& operator=(const DhcpLeaseInstaller&) = delete;

    // Puts the lease on the uplink; a different earlier lease is removed first. On failure what
    // was added is removed again.
    Result<void> install(const DhcpLease& lease);
    // Removes the lease's address and route; errors are logged. Idempotent.
    void remove();

    const std::optional<DhcpLease>& installed() const noexcept { return installed_; }

private:
    net::netlink::KernelState state_;
    std::string uplink_;
    std::optional<DhcpLease> installed_;
};

}  // namespace sixgate::clat
