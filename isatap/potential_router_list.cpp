#include "isatap/potential_router_list.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace sixgate::isatap {

Result<std::vector<net::Ipv4Address>> resolve_ipv4(const std::string& name) {
    addrinfo hints{};
    hints.ai_family = AF_INET;
    hints.ai_socktype = SOCK_DGRAM;  // one answer per address, not one per socket type
    addrinfo* list = nullptr;
    const int rc = ::getaddrinfo(name.c_str(), nullptr, &hints, &list);
    if (rc != 0) {
        const std::errc code = rc == EAI_NONAME || rc == EAI_NODATA ? std::errc::no_such_device_or_address
                                                                   : std::errc::resource_unavailable_try_again;
        return make_error(code, "getaddrinfo(" + name + ", AF_INET): " + ::gai_strerror(rc));
    }
    std::vector<net::Ipv4Address> addresses;
    for (const addrinfo* item = list; item; item = item->ai_next) {
        if (item->ai_family != AF_INET || !item->ai_addr) continue;
        sockaddr_in in{};
        std::memcpy(&in, item->ai_addr, sizeof(in));
        const net::Ipv4Address address(ntohl(in.sin_addr.s_addr));
        if (std::find(addresses.begin(), addresses.end(), address) == addresses.end())
            addresses.push_back(address);
    }
    ::freeaddrinfo(list);
    if (addresses.empty())
        return make_error(std::errc::no_such_device_or_address, "getaddrinfo(" + name + ", AF_INET): no address");
    return addresses;
}

PotentialRouterList::PotentialRouterList(const std::vector<config::IsatapRouterEntry>& routers) {
    for (const auto& router : routers) {
        Entry entry;
        entry.text = router.text;
        entry.is_name = !router.address;
        if (router.address) entry.addresses.push_back(*router.address);
        entries_.push_back(std::move(entry));
    }
}

bool PotentialRouterList::has_names() const noexcept {
    return std::any_of(entries_.begin(), entries_.end(), [](const Entry& e) { return e.is_name; });
}

std::vector<std::string> PotentialRouterList::names() const {
    std::vector<std::string> names;
    for (const auto& entry : entries_)
        if (entry.is_name && std::find(names.begin(), names.end(), entry.text) == names.end())
            names.push_back(entry.text);
    return names;
}

std::vector<std::string> PotentialRouterList::blocked_names() const {
    std::vector<std::string> blocked;
    for (const auto& entry : entries_) {
        if (!entry.is_name) continue;
        std::string label = entry.text.substr(0, entry.text.find('.'));
        std::transform(label.begin(), label.end(), label.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (label == "isatap") blocked.push_back(entry.text);
    }
    return blocked;
}

bool PotentialRouterList::apply(const std::vector<NameResolution>& results) {
    const auto before = addresses();
    for (auto& entry : entries_) {
        if (!entry.is_name) continue;
        const auto found = std::find_if(results.begin(), results.end(),
                                        [&](const NameResolution& r) { return r.name == entry.text; });
        if (found == results.end()) continue;
        if (found->result) {
            if (!entry.error.empty())
                spdlog::info("isatap host prl name={} resolved again addresses={}", entry.text,
                             found->result->size());
            entry.addresses = *found->result;
            entry.error.clear();
            entry.error_logged = false;
            continue;
        }
        entry.addresses.clear();
        entry.error = found->result.error().message;
        if (!entry.error_logged) {
            spdlog::warn("isatap host prl name={} does not resolve, retrying before each solicitation: {}",
                         entry.text, entry.error);
            entry.error_logged = true;
        }
    }
    return addresses() != before;
}

std::vector<net::Ipv4Address> PotentialRouterList::addresses() const {
    std::vector<net::Ipv4Address> all;
    for (const auto& entry : entries_)
        for (const auto& address : entry.addresses)
            if (std::find(all.begin(), all.end(), address) == all.end()) all.push_back(address);
    return all;
}

bool PotentialRouterList::contains(net::Ipv4Address address) const {
    return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& entry) {
        return std::find(entry.addresses.begin(), entry.addresses.end(), address) != entry.addresses.end();
    });
}

nlohmann::json PotentialRouterList::status() const {
    nlohmann::json rows = nlohmann::json::array();
    const auto error_json = [](const Entry& e) {
        return e.error.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.error);
    };
    for (const auto& entry : entries_) {
        if (entry.addresses.empty()) {
            rows.push_back({{"entry", entry.text}, {"ipv4", nullptr}, {"error", error_json(entry)}});
            continue;
        }
        for (const auto& address : entry.addresses)
            rows.push_back({{"entry", entry.text}, {"ipv4", address.to_string()}, {"error", error_json(entry)}});
    }
    return rows;
}

PrlResolver::PrlResolver(boost::asio::io_context& io, OnResults on_results, Ipv4Resolver resolver)
    : io_(io), on_results_(std::move(on_results)), resolver_(std::move(resolver)) {
    if (!resolver_) resolver_ = [](const std::string& name) { return resolve_ipv4(name); };
    worker_ = std::thread([this] { worker_loop(); });
}

PrlResolver::~PrlResolver() {
    *alive_ = false;
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void PrlResolver::request(std::vector<std::string> names) {
    if (in_flight_) {
        again_ = std::move(names);
        return;
    }
    in_flight_ = true;
    {
        std::lock_guard lock(mutex_);
        pending_ = std::move(names);
    }
    wake_.notify_one();
}

void PrlResolver::worker_loop() {
    for (;;) {
        std::vector<std::string> names;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || pending_.has_value(); });
            if (stop_) return;
            names = std::move(*pending_);
            pending_.reset();
        }
        std::vector<NameResolution> results;
        for (const auto& name : names) {
            {
                std::lock_guard lock(mutex_);
                if (stop_) return;
            }
            results.push_back(NameResolution{name, resolver_(name)});
        }
        boost::asio::post(io_, [this, alive = alive_, results = std::move(results)]() mutable {
            if (!*alive) return;
            in_flight_ = false;
            if (on_results_) on_results_(std::move(results));
            if (again_) {
                auto names_again = std::move(*again_);
                again_.reset();
                request(std::move(names_again));
            }
        });
    }
}

}  // namespace sixgate::isatap
