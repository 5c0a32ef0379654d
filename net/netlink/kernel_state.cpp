#include "net/netlink/kernel_state.hpp"

#include <algorithm>

namespace sixgate::net::netlink {
namespace {

bool already_gone(const Error& error) {
    return error.code == std::errc::no_such_process ||          // route: ESRCH
           error.code == std::errc::address_not_available ||    // address: EADDRNOTAVAIL
           error.code == std::errc::no_such_device ||           // its device went away
           error.code == std::errc::no_such_file_or_directory;  // sysctl of a removed device
}

bool wanted_route(const DesiredKernelState& wanted, const Route& route) {
    return std::any_of(wanted.routes.begin(), wanted.routes.end(),
                       [&](const Route& r) { return r.same_route_as(route); });
}

bool wanted_address(const DesiredKernelState& wanted, const InterfaceAddress& address) {
    return std::any_of(wanted.addresses.begin(), wanted.addresses.end(),
                       [&](const InterfaceAddress& a) { return a.same_address_as(address); });
}

}  // namespace

const char* to_string(Ownership ownership) noexcept {
    switch (ownership) {
        case Ownership::kAdded:
            return "added";
        case Ownership::kAdopted:
            return "adopted";
        case Ownership::kAlreadyOwned:
            return "already ours";
        case Ownership::kPresentNotOurs:
            return "present, not ours";
    }
    return "unknown";
}

KernelState::KernelState(KernelApi& kernel, std::uint8_t protocol)
    : kernel_(kernel), protocol_(protocol) {}

KernelState::~KernelState() {
    for (const Error& error : remove_all())
        if (error_sink_) error_sink_(error);
}

bool KernelState::owns(const Route& route) const {
    return std::any_of(journal_.begin(), journal_.end(), [&](const Entry& e) {
        const auto* r = std::get_if<Route>(&e);
        return r && r->same_route_as(route);
    });
}

bool KernelState::owns(const InterfaceAddress& address) const {
    return std::any_of(journal_.begin(), journal_.end(), [&](const Entry& e) {
        const auto* a = std::get_if<InterfaceAddress>(&e);
        return a && a->same_address_as(address);
    });
}

Result<Ownership> KernelState::add_route(Route route) {
    route.protocol = protocol_;
    if (owns(route)) return Ownership::kAlreadyOwned;
    RouteQuery query;
    query.family = family_of(route.destination);
    query.table = route.table;
    query.destination = route.destination;
    auto existing = kernel_.list_routes(query);
    if (!existing)
        return Error{existing.error().code,
                     "add route " + describe(route) + ": " + existing.error().message};
    for (const Route& other : *existing)
        if (other.protocol != protocol_) return Ownership::kPresentNotOurs;
    for (const Route& other : *existing) {
        if (other.same_route_as(route)) {
            journal_.emplace_back(route);
            return Ownership::kAdopted;
        }
    }
    if (auto added = kernel_.add_route(route); !added) return added.error();
    journal_.emplace_back(std::move(route));
    return Ownership::kAdded;
}

Result<Ownership> KernelState::add_address(InterfaceAddress address) {
    address.protocol = protocol_;
    if (owns(address)) return Ownership::kAlreadyOwned;
    AddressQuery query;
    query.device = address.device;
    query.family = family_of(address.address);
    auto existing = kernel_.list_addresses(query);
    if (!existing)
        return Error{existing.error().code,
                     "add address " + describe(address) + ": " + existing.error().message};
    for (const InterfaceAddress& other : *existing) {
        if (other.address != address.address) continue;
        if (other.protocol == protocol_ && other.prefix_length == address.prefix_length) {
            journal_.emplace_back(address);
            return Ownership::kAdopted;
        }
        return Ownership::kPresentNotOurs;
    }
    if (auto added = kernel_.add_address(address); !added) return added.error();
    journal_.emplace_back(std::move(address));
    return Ownership::kAdded;
}

Result<SysctlOutcome> KernelState::set_sysctl(const std::string& path, const std::string& value) {
    auto previous = kernel_.read_sysctl(path);
    if (!previous) return previous.error();
    if (*previous == value) return SysctlOutcome::kAlreadySet;
    if (auto written = kernel_.write_sysctl(path, value); !written) return written.error();
    const bool recorded = std::any_of(journal_.begin(), journal_.end(), [&](const Entry& e) {
        const auto* s = std::get_if<SysctlChange>(&e);
        return s && s->path == path;
    });
    if (!recorded)
        journal_.emplace_back(SysctlChange{path, std::move(*previous)});  // keep the original
    return SysctlOutcome::kChanged;
}

Result<bool> KernelState::remove_route(const Route& route) {
    auto it = std::find_if(journal_.begin(), journal_.end(), [&](const Entry& e) {
        const auto* r = std::get_if<Route>(&e);
        return r && r->same_route_as(route);
    });
    if (it == journal_.end()) return false;
    if (auto undone = undo(*it); !undone) return undone.error();
    journal_.erase(it);
    return true;
}

Result<bool> KernelState::remove_address(const InterfaceAddress& address) {
    auto it = std::find_if(journal_.begin(), journal_.end(), [&](const Entry& e) {
        const auto* a = std::get_if<InterfaceAddress>(&e);
        return a && a->same_address_as(address);
    });
    if (it == journal_.end()) return false;
    if (auto undone = undo(*it); !undone) return undone.error();
    journal_.erase(it);
    return true;
}

Result<void> KernelState::undo(const Entry& entry) {
    Result<void> done;
    if (const auto* route = std::get_if<Route>(&entry)) {
        done = kernel_.delete_route(*route);
    } else if (const auto* address = std::get_if<InterfaceAddress>(&entry)) {
        done = kernel_.delete_address(*address);
    } else {
        const auto& change = std::get<SysctlChange>(entry);
        done = kernel_.write_sysctl(change.path, change.previous);
    }
    if (!done && already_gone(done.error())) return {};
    return done;
}

std::vector<Error> KernelState::remove_all() {
    std::vector<Error> failures;
    for (auto it = journal_.rbegin(); it != journal_.rend(); ++it)
        if (auto undone = undo(*it); !undone) failures.push_back(undone.error());
    journal_.clear();
    return failures;
}

Result<ReconcileReport> KernelState::reconcile(std::uint8_t protocol,
                                               const DesiredKernelState& wanted) {
    RouteQuery route_query;
    route_query.protocol = protocol;
    auto routes = kernel_.list_routes(route_query);
    if (!routes) return routes.error();
    AddressQuery address_query;
    address_query.protocol = protocol;
    auto addresses = kernel_.list_addresses(address_query);
    if (!addresses) return addresses.error();

    ReconcileReport report;
    // Routes first: they may depend on the addresses.
    for (Route& route : *routes) {
        if (wanted_route(wanted, route)) {
            report.adopted_routes.push_back(std::move(route));
            continue;
        }
        if (auto removed = kernel_.delete_route(route); !removed && !already_gone(removed.error()))
            report.failures.push_back(removed.error());
        else
            report.removed_routes.push_back(std::move(route));
    }
    for (InterfaceAddress& address : *addresses) {
        if (wanted_address(wanted, address)) {
            report.adopted_addresses.push_back(std::move(address));
            continue;
        }
        if (auto removed = kernel_.delete_address(address);
            !removed && !already_gone(removed.error()))
            report.failures.push_back(removed.error());
        else
            report.removed_addresses.push_back(std::move(address));
    }
    // Journal addresses before routes so that remove_all() takes routes away first.
    for (const InterfaceAddress& address : report.adopted_addresses)
        if (!owns(address)) journal_.emplace_back(address);
    for (const Route& route : report.adopted_routes)
        if (!owns(route)) journal_.emplace_back(route);
    return report;
}

std::vector<Route> KernelState::owned_routes() const {
    std::vector<Route> routes;
    for (const Entry& e : journal_)
        if (const auto* r = std::get_if<Route>(&e)) routes.push_back(*r);
    return routes;
}

std::vector<InterfaceAddress> KernelState::owned_addresses() const {
    std::vector<InterfaceAddress> addresses;
    for (const Entry& e : journal_)
        if (const auto* a = std::get_if<InterfaceAddress>(&e)) addresses.push_back(*a);
    return addresses;
}

}  // namespace sixgate::net::netlink
