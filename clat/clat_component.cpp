#include "clat/clat_component.hpp"

#include <algorithm>
#include <limits>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "clat/clat_address.hpp"
#include "net/netlink/sysctl.hpp"

namespace sixgate::clat {

namespace netlink = net::netlink;
using Clock = std::chrono::steady_clock;

namespace {

std::string_view to_string(config::PlatPrefixSource source) {
    switch (source) {
        case config::PlatPrefixSource::pref64:
            return "pref64";
        case config::PlatPrefixSource::dns64:
            return "dns64";
        case config::PlatPrefixSource::configured:
            return "configured";
    }
    return "unknown";
}

}  // namespace

ClatComponent::ClatComponent(boost::asio::io_context& io, const config::Config& config,
                             netlink::KernelApi& kernel, ClatComponentOptions options)
    : io_(io),
      kernel_(kernel),
      options_(options),
      clat_(config.clat),
      translation_(config.translation),
      kernel_state_(kernel),
      address_timer_(io) {
    kernel_state_.set_error_sink(
        [](const Error& error) { spdlog::error("clat kernel cleanup: {}", error.message); });
    // The source of the ICMPv4 errors the CLAT sends the host: translation.ipv4_address when set
    // (and not the host's own), else RFC 7335's next address (clat_own_ipv4).
    const auto configured = translation_.ipv4_address.value;
    own_ipv4_ = configured && *configured != *clat_.ipv4_address
                    ? *configured
                    : clat_own_ipv4(*clat_.ipv4_address);
}

ClatComponent::~ClatComponent() {
    stop();
}

Result<std::unique_ptr<ClatComponent>> ClatComponent::start(boost::asio::io_context& io,
                                                            const config::Config& config,
                                                            netlink::KernelApi& kernel,
                                                            ClatComponentOptions options) {
    std::unique_ptr<ClatComponent> clat(new ClatComponent(io, config, kernel, options));
    const std::string& uplink = *clat->clat_.uplink;
    if (uplink.empty()) return make_error(std::errc::invalid_argument, "clat.uplink is not set");
    if (!*clat->clat_.dhcpv4.v6only_preferred) {
        if (auto done = clat->start_translation(); !done) return done.error();
        return clat;
    }
    // RFC 8925 3.2: first ask DHCPv4 on the uplink, with option 108 requested; the CLAT runs
    // once the network prefers IPv6-only or turns out to have no DHCPv4 server.
    Rfc8925ClientOptions client_options = options.dhcpv4;
    client_options.no_server_wait = std::chrono::seconds(*clat->clat_.dhcpv4.no_server_wait);
    ClatComponent* self = clat.get();
    auto client = V6OnlyClient::start(io, uplink, kernel, std::move(client_options),
                                      [self](Ipv4Mode mode) { self->on_ipv4_mode(mode); });
    if (!client) return with_context(client.error(), "clat.dhcpv4.v6only_preferred");
    clat->dhcpv4_ = std::move(*client);
    return clat;
}

Result<void> ClatComponent::start_translation() {
    translation_running_ = true;  // from here on stop_translation() undoes what is done
    const std::string& uplink = *clat_.uplink;
    auto info = kernel_.interface_info(uplink);
    if (!info)
        return Error{info.error().code,
                     "clat uplink " + uplink + " (clat.uplink): " + info.error().message};

    // The IPv6 MTU of the uplink (an RA MTU option may have lowered it below the device's).
    std::uint32_t uplink_mtu = info->mtu;
    if (auto ipv6_mtu = kernel_.read_sysctl(netlink::ipv6_conf_path(uplink, "mtu"))) {
        try {
            uplink_mtu = static_cast<std::uint32_t>(std::stoul(*ipv6_mtu));
        } catch (const std::exception&) {
            // keep the device MTU
        }
    }
    if (uplink_mtu < xlat::kIpv6MinimumMtu)
        return make_error(std::errc::invalid_argument,
                          "clat uplink " + uplink + ": IPv6 MTU " + std::to_string(uplink_mtu) +
                              " is below 1280 (RFC 8200 5); is IPv6 disabled on it?");
    mtus_ = plan_clat_mtus(uplink_mtu, *clat_.mtu);

    // RFC 6877 1 and 6.1: the CLAT serves a host (or network) without native IPv4. An IPv4
    // default route of anyone else's means there is native IPv4: refuse rather than shadow it
    // (the host would then send some IPv4 natively, some translated, depending on metrics).
    netlink::RouteQuery query;
    query.family = netlink::IpFamily::kIpv4;
    query.table = netlink::kMainRouteTable;
    query.destination = net::Ipv4Prefix(net::Ipv4Address(), 0);
    auto defaults = kernel_.list_routes(query);
    if (!defaults)
        return with_context(defaults.error(), "clat: checking for an IPv4 default route");
    if (!defaults->empty())
        return make_error(
            std::errc::file_exists,
            "clat: the host already has an IPv4 default route (" +
                netlink::describe(defaults->front()) + ", protocol " +
                std::to_string(defaults->front().protocol) +
                "); a CLAT is for hosts without native IPv4 (RFC 6877): remove that route or "
                "disable clat");

    // Linux 6.17+: per-interface force_forwarding lets the two interfaces forward while the uplink
    // stays a host that accepts RAs; without it all.forwarding=1 with accept_ra=2 on the uplink.
    forwarding_ = kernel_.read_sysctl(netlink::ipv6_conf_path(uplink, "force_forwarding"))
                      ? ForwardingMethod::force_forwarding
                      : ForwardingMethod::accept_ra_2;

    if (auto done = start_ipv4_side(); !done) return done;
    if (auto done = start_discovery(); !done) return done;

    if (const auto& literal = clat_.ipv6_address.value) {
        if (auto done = use_address(*literal, std::nullopt); !done) return done;
    } else {
        if (auto done = check_uplink_prefix(); !done) return done;
        schedule_address_poll();
    }
    update_translator();
    return {};
}

void ClatComponent::on_ipv4_mode(Ipv4Mode mode) {
    if (stopped_) return;
    if (mode == Ipv4Mode::clat && !translation_running_) {
        spdlog::info("clat starting: dhcpv4 says {} on uplink={}",
                     dhcpv4_ && dhcpv4_->status()["state"] == "ipv6_only" ? "ipv6-only preferred"
                                                                          : "no server",
                     *clat_.uplink);
        if (auto done = start_translation(); !done) {
            spdlog::error("clat: {}", done.error().message);
            last_error_ = done.error().message;
            stop_translation();
        }
    } else if (mode != Ipv4Mode::clat && translation_running_) {
        spdlog::info("clat stopping: dhcpv4 mode={} on uplink={} (ipv4 is not for the clat now)",
                     to_string(mode), *clat_.uplink);
        stop_translation();
    }
}

Result<void> ClatComponent::start_ipv4_side() {
    net::tun::TunOptions tun_options;
    tun_options.queues = *clat_.queues;
    auto tun = net::tun::TunDevice::open(*clat_.tun, tun_options);
    if (!tun) return with_context(tun.error(), "clat tun " + *clat_.tun + " (clat.tun)");
    tun_.emplace(std::move(*tun));
    if (auto done = tun_->set_mtu(static_cast<int>(mtus_.tun)); !done)
        return with_context(done.error(),
                            "clat tun " + tun_->name() + " mtu " + std::to_string(mtus_.tun));
    if (auto done = tun_->set_up(); !done)
        return with_context(done.error(), "clat tun " + tun_->name() + " up");
    spdlog::info("clat tun={} queues={} vnet_hdr={} mtu={}", tun_->name(), tun_->queue_count(),
                 tun_->vnet_hdr(), mtus_.tun);

    if (auto done = apply(plan_clat_kernel_state(kernel_inputs())); !done) return done;

    std::vector<net::tun::PacketIo*> queues;
    for (auto& queue : tun_->queues()) queues.push_back(&queue);
    ClatDataPathOptions data_options;
    data_options.own_ipv4 = own_ipv4_;
    auto data_path = ClatDataPath::start(std::move(queues), data_options);
    if (!data_path) return with_context(data_path.error(), "clat tun " + tun_->name());
    data_path_ = std::move(*data_path);
    spdlog::info("clat ipv4={} own_ipv4={} route=0.0.0.0/0 dev={} mtu={}{} uplink={} uplink_mtu={}",
                 clat_.ipv4_address->to_string(), own_ipv4_.to_string(), tun_->name(),
                 mtus_.ipv4_route, mtus_.configured ? " (clat.mtu)" : " (uplink - 28)",
                 *clat_.uplink, mtus_.uplink);
    return {};
}

Result<void> ClatComponent::start_discovery() {
    const config::PlatPrefixSetting& setting = *clat_.plat_prefix;
    switch (setting.source) {
        case config::PlatPrefixSource::configured:
            if (setting.prefix) {
                plat_prefix_ = PlatPrefix{*setting.prefix, Clock::time_point::max(), "configured"};
                spdlog::info("clat plat_prefix={} source=configured", setting.prefix->to_string());
            }
            return {};
        case config::PlatPrefixSource::pref64: {
            auto listener = Pref64Listener::start(
                io_, *clat_.uplink,
                [this](const std::optional<PlatPrefix>& p) { on_plat_prefix(p); });
            if (!listener)
                return with_context(listener.error(), "clat pref64 listener on " + *clat_.uplink);
            pref64_ = std::move(*listener);
            plat_prefix_ = pref64_->current();
            spdlog::info(
                "clat plat_prefix source=pref64 uplink={}: waiting for a Router Advertisement with "
                "PREF64 "
                "(RFC 8781)",
                *clat_.uplink);
            return {};
        }
        case config::PlatPrefixSource::dns64: {
            auto discovery = Rfc7050Discovery::start(
                io_, [this](const std::optional<PlatPrefix>& p) { on_plat_prefix(p); });
            if (!discovery) return with_context(discovery.error(), "clat dns64 discovery");
            dns64_ = std::move(*discovery);
            plat_prefix_ = dns64_->current();
            spdlog::info("clat plat_prefix source=dns64: resolving {} (RFC 7050)", kIpv4OnlyName);
            return {};
        }
    }
    return {};
}

Result<void> ClatComponent::check_uplink_prefix() {
    const std::string& uplink = *clat_.uplink;
    netlink::AddressQuery query;
    query.device = uplink;
    query.family = netlink::IpFamily::kIpv6;
    auto addresses = kernel_.list_addresses(query);
    if (!addresses) return with_context(addresses.error(), "clat uplink " + uplink + " addresses");
    const auto prefix = pick_uplink_prefix(*addresses);
    if (ipv6_ && ipv6_from_prefix_ && prefix && *prefix == *ipv6_from_prefix_)
        return {};  // unchanged
    if (ipv6_ && ipv6_from_prefix_) {
        // Still there (maybe no longer the preferred pick)? Keep it: a switch breaks connections.
        const bool still_there =
            std::any_of(addresses->begin(), addresses->end(), [&](const auto& a) {
                const auto* v6 = std::get_if<net::Ipv6Address>(&a.address);
                return v6 && a.prefix_length == 64 && ipv6_from_prefix_->contains(*v6) &&
                       !(a.flags &
                         (netlink::kAddressFlagDeprecated | netlink::kAddressFlagDadFailed));
            });
        if (still_there) return {};
        spdlog::warn("clat uplink={} prefix={} is gone: withdrawing ipv6={}", uplink,
                     ipv6_from_prefix_->to_string(), ipv6_->to_string());
        if (auto done = withdraw_address(); !done) return done;
        update_translator();
    }
    if (!prefix) {
        if (!waiting_logged_)
            spdlog::info(
                "clat waiting for a global /64 on uplink={} (ipv6_address auto, RFC 6877 6.3); "
                "IPv4 is "
                "answered with net unreachable until then",
                uplink);
        waiting_logged_ = true;
        return {};
    }
    std::vector<net::Ipv6Address> taken;
    for (const auto& a : *addresses)
        if (const auto* v6 = std::get_if<net::Ipv6Address>(&a.address)) taken.push_back(*v6);
    auto info = kernel_.interface_info(uplink);
    if (!info) return with_context(info.error(), "clat uplink " + uplink);
    std::vector<std::uint8_t> link_id = info->link_layer_address;
    if (link_id.empty())
        link_id.assign(uplink.begin(), uplink.end());  // no MAC (TUN, PPP): its name

    // RFC 7217 6: after a DAD failure, the next counter gives another identifier (at most 3 tries).
    for (int attempt = 0;; ++attempt) {
        const net::Ipv6Address address = derive_clat_address(*prefix, link_id, taken, dad_counter_);
        auto used = use_address(address, prefix);
        if (used) return {};
        if (used.error().code != std::errc::address_in_use || attempt >= 2) return used;
        spdlog::warn(
            "clat ipv6={} is in use on uplink={} (DAD): trying another interface identifier",
            address.to_string(), uplink);
        taken.push_back(address);
        ++dad_counter_;
    }
}

void ClatComponent::schedule_address_poll() {
    address_timer_.expires_after(ipv6_ ? options_.address_poll_running
                                       : options_.address_poll_waiting);
    address_timer_.async_wait([this](const boost::system::error_code& error) {
        if (error || stopped_) return;
        if (auto done = check_uplink_prefix(); !done) {
            if (done.error().message != last_error_)
                spdlog::error("clat: {}", done.error().message);
            last_error_ = done.error().message;
        } else if (ipv6_) {
            last_error_.clear();
        }
        update_translator();
        schedule_address_poll();
    });
}

Result<void> ClatComponent::use_address(const net::Ipv6Address& address,
                                        std::optional<net::Ipv6Prefix> from_prefix) {
    ipv6_ = address;
    ipv6_from_prefix_ = from_prefix;
    if (auto done = apply(plan_clat_kernel_state(kernel_inputs())); !done) {
        (void)withdraw_address();
        return done;
    }

    // RFC 6877 6.3: the address must reach this host. Inside an on-link prefix of the uplink the
    // router resolves it with Neighbor Discovery: answer for it. Otherwise it is routed here.
    const std::string& uplink = *clat_.uplink;
    netlink::AddressQuery query;
    query.device = uplink;
    query.family = netlink::IpFamily::kIpv6;
    auto addresses = kernel_.list_addresses(query);
    if (!addresses) {
        (void)withdraw_address();
        return with_context(addresses.error(), "clat uplink " + uplink + " addresses");
    }
    netlink::RouteQuery route_query;
    route_query.family = netlink::IpFamily::kIpv6;
    route_query.table = netlink::kMainRouteTable;
    auto routes = kernel_.list_routes(route_query);
    if (!routes) {
        (void)withdraw_address();
        return with_context(routes.error(), "clat: listing IPv6 routes");
    }
    std::vector<net::Ipv6Prefix> connected;
    for (const auto& route : *routes)
        if (route.device == uplink && !route.gateway && route.type == netlink::RouteType::kUnicast)
            if (const auto* p = std::get_if<net::Ipv6Prefix>(&route.destination))
                connected.push_back(*p);

    if (is_on_link(address, *addresses, connected)) {
        auto proxy = NdProxy::start(io_, uplink, address, options_.duplicate_address_detection);
        if (!proxy) {
            (void)withdraw_address();
            return with_context(proxy.error(),
                                "clat nd proxy for " + address.to_string() + " on " + uplink);
        }
        nd_proxy_ = std::move(*proxy);
    }
    spdlog::info("clat ipv6={} source={} reachability={} forwarding={}", address.to_string(),
                 from_prefix ? "auto from " + from_prefix->to_string() : std::string("configured"),
                 nd_proxy_ ? "nd_proxy on " + uplink : std::string("routed"),
                 to_string(forwarding_));
    return {};
}

Result<void> ClatComponent::withdraw_address() {
    nd_proxy_.reset();
    if (!ipv6_) return {};
    netlink::Route route;
    route.destination = net::Ipv6Prefix(*ipv6_, 128);
    route.device = tun_ ? tun_->name() : *clat_.tun;
    ipv6_.reset();
    ipv6_from_prefix_.reset();
    auto removed = kernel_state_.remove_route(route);
    if (!removed) return removed.error();
    return {};
}

void ClatComponent::on_plat_prefix(const std::optional<PlatPrefix>& prefix) {
    if (stopped_) return;
    if (prefix)
        spdlog::info("clat plat_prefix={} source=\"{}\"", prefix->prefix.to_string(),
                     prefix->source);
    else
        spdlog::warn(
            "clat plat_prefix withdrawn or expired: IPv4 is answered with net unreachable until a "
            "new one");
    plat_prefix_ = prefix;
    update_translator();
}

void ClatComponent::update_translator() {
    if (!data_path_) return;
    if (!ipv6_ || !plat_prefix_) {
        data_path_->clear_translator(!ipv6_ ? NotReady::clat_address_unknown
                                            : NotReady::plat_prefix_unknown);
        translator_ready_ = false;
        translator_inputs_.reset();
        return;
    }
    const auto inputs = std::pair(*ipv6_, plat_prefix_->prefix);
    if (translator_inputs_ == inputs) return;  // nothing changed (built, or failed the same way)
    ClatTranslatorInputs translator_inputs;
    translator_inputs.host_ipv4 = *clat_.ipv4_address;
    translator_inputs.own_ipv4 = own_ipv4_;
    translator_inputs.clat_ipv6 = *ipv6_;
    translator_inputs.plat_prefix = plat_prefix_->prefix;
    translator_inputs.uplink_mtu = mtus_.uplink;
    auto parts = make_clat_translator(translation_, translator_inputs);
    if (!parts) {
        spdlog::error("clat translator for plat_prefix={}: {}", plat_prefix_->prefix.to_string(),
                      parts.error().message);
        last_error_ = parts.error().message;
        data_path_->clear_translator(NotReady::plat_prefix_unknown);
        translator_ready_ = false;
        translator_inputs_ = inputs;  // the same inputs fail again: do not retry and log every poll
        return;
    }
    data_path_->set_translator(std::move(*parts));
    translator_ready_ = true;
    translator_inputs_ = inputs;
    last_error_.clear();
    spdlog::info("clat translating ipv4={} <-> ipv6={} plat_prefix={}",
                 clat_.ipv4_address->to_string(), ipv6_->to_string(),
                 plat_prefix_->prefix.to_string());
}

Result<void> ClatComponent::apply(const ClatKernelPlan& plan) {
    for (const auto& address : plan.addresses) {
        auto outcome = kernel_state_.add_address(address);
        if (!outcome) return with_context(outcome.error(), "clat");
        if (*outcome != netlink::Ownership::kAlreadyOwned)
            spdlog::info("clat address {} {}", netlink::describe(address),
                         netlink::to_string(*outcome));
    }
    for (const auto& route : plan.routes) {
        auto outcome = kernel_state_.add_route(route);
        if (!outcome) return with_context(outcome.error(), "clat");
        if (*outcome == netlink::Ownership::kPresentNotOurs)
            return make_error(std::errc::file_exists,
                              "clat route " + netlink::describe(route) + ": another route to " +
                                  netlink::to_string(route.destination) + " is already there");
        if (*outcome != netlink::Ownership::kAlreadyOwned)
            spdlog::info("clat route {} {}", netlink::describe(route),
                         netlink::to_string(*outcome));
    }
    for (const auto& sysctl : plan.sysctls) {
        auto outcome = kernel_state_.set_sysctl(sysctl.path, sysctl.value);
        if (!outcome) return with_context(outcome.error(), "clat sysctl " + sysctl.path);
        if (*outcome == netlink::SysctlOutcome::kChanged)
            spdlog::info("clat set {}={} (restored on exit)", sysctl.path, sysctl.value);
    }
    return {};
}

ClatKernelInputs ClatComponent::kernel_inputs() const {
    ClatKernelInputs inputs;
    inputs.tun = tun_ ? tun_->name() : *clat_.tun;
    inputs.uplink = *clat_.uplink;
    inputs.host_ipv4 = *clat_.ipv4_address;
    inputs.clat_ipv6 = ipv6_;
    inputs.mtus = mtus_;
    inputs.forwarding = forwarding_;
    return inputs;
}

void ClatComponent::stop() {
    if (stopped_) return;
    stopped_ = true;
    dhcpv4_.reset();  // removes a DHCPv4 lease, if one was taken
    stop_translation();
}

void ClatComponent::stop_translation() {
    translation_running_ = false;
    address_timer_.cancel();
    pref64_.reset();
    dns64_.reset();
    nd_proxy_.reset();
    // The threads go before the TUN they read; the kernel state while the TUN still exists.
    if (data_path_) data_path_->stop();
    for (const Error& error : kernel_state_.remove_all())
        spdlog::error("clat kernel cleanup: {}", error.message);
    if (tun_) spdlog::info("clat stopped tun={} removed", tun_->name());
    tun_.reset();
    // Ready for a later start_translation() (RFC 8925: the network may change its mind).
    ipv6_.reset();
    ipv6_from_prefix_.reset();
    plat_prefix_.reset();
    translator_ready_ = false;
    translator_inputs_.reset();
    waiting_logged_ = false;
}

std::string ClatComponent::state() const {
    if (stopped_) return "stopped";
    if (dhcpv4_ && !translation_running_)
        return dhcpv4_->mode() == Ipv4Mode::native ? "off_ipv4_native" : "waiting_for_dhcpv4";
    if (!ipv6_) return "waiting_for_address";
    if (!plat_prefix_) return "waiting_for_plat_prefix";
    if (!translator_ready_) return "failed";
    return "running";
}

nlohmann::json ClatComponent::status() const {
    using nlohmann::json;
    json status;
    status["uptime_s"] =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count();
    status["state"] = state();
    if (!last_error_.empty()) status["error"] = last_error_;
    status["tun"] = tun_ ? tun_->name() : *clat_.tun;
    status["uplink"] = *clat_.uplink;
    status["ipv4"] = clat_.ipv4_address->to_string();
    status["ipv6"] = ipv6_ ? json(ipv6_->to_string()) : json(nullptr);
    status["ipv6_source"] = ipv6_from_prefix_ ? "auto from " + ipv6_from_prefix_->to_string()
                            : clat_.ipv6_address.value
                                ? std::string("configured")
                                : std::string("auto: waiting for a global /64");
    status["reachability"] = nd_proxy_ ? "nd_proxy" : ipv6_ ? "routed" : "none";
    status["forwarding"] = std::string(to_string(forwarding_));
    if (plat_prefix_) {
        status["plat_prefix"] = plat_prefix_->prefix.to_string();
        status["plat_prefix_source"] = plat_prefix_->source;
        if (plat_prefix_->expires != Clock::time_point::max())
            status["plat_prefix_expires_in_s"] =
                std::max<std::int64_t>(0, std::chrono::duration_cast<std::chrono::seconds>(
                                              plat_prefix_->expires - Clock::now())
                                              .count());
    } else {
        status["plat_prefix"] = nullptr;
    }
    status["options"] = {
        {"queues", tun_ ? tun_->queue_count() : std::size_t{*clat_.queues}},
        {"mtu", mtus_.ipv4_route},
        {"mtu_source", mtus_.configured ? "clat.mtu" : "uplink - 28"},
        {"uplink_mtu", mtus_.uplink},
        {"tun_mtu", mtus_.tun},
        {"vnet_hdr", tun_ && tun_->vnet_hdr()},
        {"own_ipv4", own_ipv4_.to_string()},
        {"plat_prefix_setting", std::string(to_string(clat_.plat_prefix->source))},
    };
    if (data_path_) {
        const ClatDataPathCounters c = data_path_->counters();
        status["packets"] = {{"read", c.packets_read},
                             {"ipv4_to_ipv6", c.translated_4to6},
                             {"ipv6_to_ipv4", c.translated_6to4},
                             {"ipv6_fragments_written", c.fragments_4to6},
                             {"ipv4_fragments_written", c.fragments_6to4}};
        status["icmp_errors_sent"] = {{"to_ipv4", c.icmp_errors_to_ipv4},
                                      {"to_ipv6", c.icmp_errors_to_ipv6}};
        json drops = json::object();
        for (std::size_t i = 0; i < kClatDropReasonCount; ++i)
            drops[std::string(to_string(static_cast<ClatDropReason>(i)))] = c.clat_drops[i];
        for (std::size_t i = 0; i < xlat::kDropReasonCount; ++i)
            drops[std::string(xlat::to_string(static_cast<xlat::DropReason>(i)))] = c.xlat_drops[i];
        status["drops"] = std::move(drops);
        status["tun_counters"] = {{"packets_read", c.tun.packets_read},
                                  {"gso_super_packets", c.tun.gso_super_packets},
                                  {"gso_segments", c.tun.gso_segments},
                                  {"checksums_completed", c.tun.checksums_completed},
                                  {"dropped_bad_virtio_header", c.tun.dropped_bad_virtio_header},
                                  {"dropped_bad_gso", c.tun.dropped_bad_gso},
                                  {"read_errors", c.tun_read_errors},
                                  {"write_errors", c.tun_write_errors}};
        status["translator_changes"] = data_path_->translator_changes();
    }
    if (pref64_) status["pref64"] = pref64_->status();
    if (dns64_) status["dns64"] = dns64_->status();
    if (nd_proxy_) status["nd_proxy"] = nd_proxy_->status();
    if (dhcpv4_) status["dhcpv4"] = dhcpv4_->status();
    return status;
}

}  // namespace sixgate::clat
