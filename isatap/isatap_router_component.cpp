#include "isatap/isatap_router_component.hpp"

#include <utility>
#include <variant>

#include <spdlog/spdlog.h>

#include "isatap/isatap_address.hpp"
#include "isatap/isatap_advertisement.hpp"
#include "isatap/isatap_policy.hpp"

namespace sixgate::isatap {

namespace netlink = net::netlink;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

json drop_counts(const IsatapDropCounts& drops) {
    json counts = json::object();
    for (std::size_t i = 0; i < kIsatapDropCount; ++i)
        counts[std::string(to_string(static_cast<IsatapDrop>(i)))] = drops[i];
    return counts;
}

}  // namespace

IsatapRouterComponent::IsatapRouterComponent(const config::Config& config,
                                             netlink::KernelApi& kernel)
    : isatap_(config.isatap), tun_name_(*config.isatap.tun), kernel_state_(kernel) {
    kernel_state_.set_error_sink(
        [](const Error& error) { spdlog::error("isatap kernel cleanup: {}", error.message); });
}

IsatapRouterComponent::~IsatapRouterComponent() {
    stop();
}

Result<std::unique_ptr<IsatapRouterComponent>> IsatapRouterComponent::start(
    boost::asio::io_context& io, const config::Config& config, netlink::KernelApi& kernel) {
    (void)io;  // the router has no timers: RAs are only sent in answer to solicitations
    const config::IsatapConfig& isatap = config.isatap;
    if (!isatap.prefix->has_value())
        return make_error(std::errc::invalid_argument,
                          "isatap.prefix is not set (and no plan gives 'isatap')");
    if (isatap.allow.empty())
        return make_error(
            std::errc::invalid_argument,
            "isatap.allow is empty: the router would serve nobody (limited scope, RFC 5214)");
    std::unique_ptr<IsatapRouterComponent> router(new IsatapRouterComponent(config, kernel));

    auto local = interface_ipv4(kernel, *isatap.interface);
    if (!local) return local.error();
    router->local_ = *local;

    IsatapPolicyConfig policy;
    policy.allow = isatap.allow;
    policy.local = *local;
    policy.isatap_prefix = **isatap.prefix;
    // RFC 6324 3.2.3: the other ISATAP routers and 6to4 relays on the IPv4 network.
    policy.loop_guard = isatap.other_routers;
    // 6to4 addresses in the site this node routes are delivered here, not to a relay.
    if (config.plan) policy.served_prefixes.push_back(config.plan->site);
    auto engine =
        RouterEngine::create(IsatapPolicy(std::move(policy)), compose_isatap_advertisement(config));
    if (!engine) return engine.error();
    router->engine_ = std::move(*engine);

    if (auto done = router->start_link_and_kernel_state(); !done) return done.error();
    return router;
}

Result<void> IsatapRouterComponent::start_link_and_kernel_state() {
    auto link = TunnelLink::open(*isatap_.interface, local_, tun_name_);
    if (!link)
        return with_context(link.error(),
                            "isatap (isatap.interface " + *isatap_.interface + ", isatap.tun)");
    link_ = std::move(*link);
    tun_name_ = link_->tun_name();  // a pattern ("isatap%d") became a name

    // RFC 5214 6.1, 6.2: the router's ISATAP address and its link-local one; the /64s route the
    // ISATAP prefix and fe80::/64 into the TUN. No DAD: ISATAP addresses embed the IPv4 address.
    for (const net::Ipv6Address& address : {engine_->router_address(), engine_->link_local()}) {
        netlink::InterfaceAddress entry;
        entry.device = tun_name_;
        entry.address = address;
        entry.prefix_length = 64;
        entry.flags = netlink::kAddressFlagNoDad;
        if (auto added = kernel_state_.add_address(entry); !added)
            return with_context(added.error(),
                                "isatap address " + address.to_string() + "/64 on " + tun_name_);
    }
    // The kernel routes between the ISATAP link and the rest of the site.
    if (auto set = kernel_state_.set_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", "1"); !set)
        return with_context(set.error(), "isatap ipv6 forwarding");

    if (auto started = link_->start(*engine_); !started)
        return with_context(started.error(), "isatap data path");

    std::string allow;
    for (const auto& prefix : isatap_.allow)
        allow += (allow.empty() ? "" : ",") + prefix.to_string();
    spdlog::info(
        "isatap router interface={} local={} tun={} prefix={} router_address={} link_local={} "
        "allow={}",
        *isatap_.interface, local_.to_string(), tun_name_, (*isatap_.prefix)->to_string(),
        engine_->router_address().to_string(), engine_->link_local().to_string(), allow);
    return {};
}

void IsatapRouterComponent::stop() {
    if (stopped_) return;
    stopped_ = true;
    // The thread goes first; the addresses while the TUN still exists; then the TUN itself.
    if (link_) link_->stop();
    for (const Error& error : kernel_state_.remove_all())
        spdlog::error("isatap kernel cleanup: {}", error.message);
    if (link_) spdlog::info("isatap router stopped tun={} removed", tun_name_);
    link_.reset();
}

json IsatapRouterComponent::status() const {
    json status;
    status["mode"] = "router";
    status["state"] = stopped_ ? "stopped" : "running";
    status["uptime_s"] =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count();
    status["interface"] = *isatap_.interface;
    status["local_ipv4"] = local_.to_string();
    status["tun"] = tun_name_;
    status["prefix"] = (*isatap_.prefix)->to_string();
    if (!engine_) return status;
    status["router_address"] = engine_->router_address().to_string();
    status["router_link_local"] = engine_->link_local().to_string();
    json allow = json::array();
    for (const auto& prefix : isatap_.allow) allow.push_back(prefix.to_string());
    status["allow"] = std::move(allow);

    const HostTableSummary summary = engine_->hosts().summary();
    status["hosts_seen"] = summary.seen;
    status["hosts_allowed"] = summary.allowed;
    status["hosts_refused"] = summary.refused;
    const auto now = Clock::now();
    json hosts = json::array();
    for (const HostRecord& record : engine_->hosts().snapshot(kStatusHosts)) {
        json host = {
            {"ipv4", record.ipv4.to_string()},
            {"allowed", record.allowed},
            {"isatap_address",
             record.isatap_address ? json(record.isatap_address->to_string()) : json()},
            {"packets_in", record.packets_in},
            {"bytes_in", record.bytes_in},
            {"packets_dropped", record.packets_dropped},
            {"packets_out", record.packets_out},
            {"bytes_out", record.bytes_out},
            {"solicitations", record.solicitations},
            {"advertisements", record.advertisements},
            {"last_seen_seconds_ago",
             std::chrono::duration_cast<std::chrono::seconds>(now - record.last_seen).count()}};
        hosts.push_back(std::move(host));
    }
    status["hosts"] = std::move(hosts);
    status["hosts_truncated"] = summary.seen > kStatusHosts;

    const RouterEngineCounters c = engine_->counters();
    json counters = {{"decapsulated", c.decapsulated},
                     {"encapsulated", c.encapsulated},
                     {"solicitations_received", c.solicitations_received},
                     {"advertisements_sent", c.advertisements_sent},
                     {"written_to_tun", c.written_to_tun},
                     {"host_table_full", summary.table_full}};
    if (link_) {
        const TunnelLinkCounters& l = link_->counters();
        const auto read = [](const std::atomic<std::uint64_t>& n) {
            return n.load(std::memory_order_relaxed);
        };
        counters["ipv4_received"] = read(l.ipv4_received);
        counters["ipv4_sent"] = read(l.ipv4_sent);
        counters["tun_read"] = read(l.tun_read);
        counters["tun_written"] = read(l.tun_written);
        counters["send_errors"] = read(l.send_errors);
        counters["tun_write_errors"] = read(l.tun_write_errors);
        counters["receive_errors"] = read(l.receive_errors);
    }
    status["counters"] = std::move(counters);
    status["isatap_drops"] = drop_counts(c.drops);
    return status;
}

}  // namespace sixgate::isatap
