#pragma once
// KernelState: the RAII owner of what one sixgate component puts in the kernel (routes, addresses,
// sysctl values). It removes or restores only what it changed, in reverse order, on exit; what
// the administrator configured is reported as "present, not ours" and never touched.

#include <cstdint>
#include <functional>
#include <string>
#include <variant>
#include <vector>

#include "net/netlink/kernel_api.hpp"
#include "net/result.hpp"

namespace sixgate::net::netlink {

enum class Ownership {
    kAdded,           // added now; removed on exit
    kAdopted,         // left by a killed earlier run (sixgate's protocol); kept, removed on exit
    kAlreadyOwned,    // this owner already had it
    kPresentNotOurs,  // another protocol's or the administrator's; left alone, never removed
};
const char* to_string(Ownership ownership) noexcept;

enum class SysctlOutcome {
    kChanged,     // written; the previous value is restored on exit
    kAlreadySet,  // already had the value; nothing to restore
};

// What the component wants in the kernel now, for reconcile().
struct DesiredKernelState {
    std::vector<Route> routes;
    std::vector<InterfaceAddress> addresses;
};

struct ReconcileReport {
    std::vector<Route> removed_routes;  // stale: a previous run's, no longer wanted
    std::vector<InterfaceAddress> removed_addresses;
    std::vector<Route> adopted_routes;  // a previous run's and still wanted: now owned
    std::vector<InterfaceAddress> adopted_addresses;
    std::vector<Error> failures;  // stale entries that could not be removed
};

class KernelState {
  public:
    // Receives cleanup errors the destructor cannot return.
    using ErrorSink = std::function<void(const Error&)>;

    // kernel must outlive this owner. Routes and addresses it adds carry protocol.
    explicit KernelState(KernelApi& kernel, std::uint8_t protocol = kSixgateRouteProtocol);
    ~KernelState();  // remove_all(); errors go to the sink, if any
    KernelState(const KernelState&) = delete;
    KernelState& operator=(const KernelState&) = delete;

    void set_error_sink(ErrorSink sink) { error_sink_ = std::move(sink); }

    // Adds the route with this owner's protocol, unless a route to the same destination in the
    // same table already exists: another protocol's is kPresentNotOurs; an identical one with
    // sixgate's protocol is adopted.
    Result<Ownership> add_route(Route route);
    // Adds the address with this owner's protocol, unless the device has it already: with
    // sixgate's protocol and the same prefix length it is adopted, else kPresentNotOurs.
    Result<Ownership> add_address(InterfaceAddress address);
    // Writes a /proc/sys value, remembering the first previous value to restore.
    Result<SysctlOutcome> set_sysctl(const std::string& path, const std::string& value);

    // Withdraws one owned route/address now (e.g. on reload); false if this owner does not own it
    // (then nothing is touched). "Already gone" counts as removed.
    Result<bool> remove_route(const Route& route);
    Result<bool> remove_address(const InterfaceAddress& address);

    // Start-up: finds routes and addresses carrying protocol (left by a killed run), removes those
    // not in wanted and adopts the rest. With several owners in one process, call it once with
    // the union of what they want; the others then adopt their entries in add_route/add_address.
    Result<ReconcileReport> reconcile(std::uint8_t protocol, const DesiredKernelState& wanted);

    // Removes what this owner added or adopted and restores sysctls, newest first; "already
    // gone" (ESRCH, EADDRNOTAVAIL, ENODEV, ENOENT) is not an error. Returns the other failures.
    std::vector<Error> remove_all();

    std::vector<Route> owned_routes() const;
    std::vector<InterfaceAddress> owned_addresses() const;

  private:
    struct SysctlChange {
        std::string path;
        std::string previous;
    };
    using Entry = std::variant<Route, InterfaceAddress, SysctlChange>;

    Result<void> undo(const Entry& entry);
    bool owns(const Route& route) const;
    bool owns(const InterfaceAddress& address) const;

    KernelApi& kernel_;
    std::uint8_t protocol_;
    std::vector<Entry> journal_;  // in the order of the changes
    ErrorSink error_sink_;
};

}  // namespace sixgate::net::netlink
