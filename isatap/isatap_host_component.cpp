#include "isatap/isatap_host_component.hpp"

#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <csignal>
#include <functional>
#include <memory>
#include <random>

#include <boost/asio/signal_set.hpp>

#include <spdlog/spdlog.h>

#include "isatap/isatap_address.hpp"
#include "net/netlink/sysctl.hpp"
#include "net/nd/router_messages.hpp"
#include "net/packet/header_writers.hpp"

namespace sixgate::isatap {

namespace netlink = net::netlink;
using std::chrono::duration_cast;
using std::chrono::seconds;

namespace {

constexpr std::uint8_t kIcmpv6 = 58;
// Kernel address lifetimes are rewritten (remove + add: KernelApi has no replace) only when
// an RA moved them by more than this, i.e. about once per RA, not on every expiry tick.
constexpr seconds kLifetimeSlack{10};

std::optional<std::uint32_t> seconds_left(RaTime until, RaTime now) {
    if (until == kNever) return std::nullopt;
    const auto left = duration_cast<seconds>(until - now + std::chrono::milliseconds{999}).count();
    return static_cast<std::uint32_t>(std::max<std::int64_t>(1, left));
}

nlohmann::json seconds_json(RaTime until, RaTime now) {
    if (until == kNever) return nullptr;
    return std::max<std::int64_t>(0, duration_cast<seconds>(until - now).count());
}

std::string join(const std::vector<net::Ipv6Prefix>& prefixes) {
    if (prefixes.empty()) return "none";
    std::string text;
    for (const auto& prefix : prefixes) text += (text.empty() ? "" : ",") + prefix.to_string();
    return text;
}

// Host mode: no allow-list, the PRL; never a router's served prefixes.
IsatapPolicyConfig host_policy_config(std::vector<net::Ipv4Address> prl, net::Ipv4Address local,
                                      const std::vector<net::Ipv4Prefix>& loop_guard) {
    IsatapPolicyConfig config;
    config.prl = std::move(prl);
    config.local = local;
    config.loop_guard = loop_guard;
    return config;
}

bool near(RaTime a, RaTime b) {
    if (a == kNever || b == kNever) return a == b;
    return (a > b ? a - b : b - a) <= kLifetimeSlack;
}

// Runs `action` on every SIGHUP while the component is alive. The daemon's own SIGHUP handler
// (reload) runs too: Boost.Asio delivers a signal to every signal_set waiting for it. The set lives
// in its handler, so a stopped component's set goes away at the next SIGHUP or with the io_context.
void on_each_hangup(const std::shared_ptr<boost::asio::signal_set>& signals, const std::shared_ptr<bool>& alive,
                    std::function<void()> action) {
    signals->async_wait([signals, alive, action = std::move(action)](boost::system::error_code error, int) mutable {
        if (error || !*alive) return;
        action();
        on_each_hangup(signals, alive, std::move(action));
    });
}

}  // namespace

IsatapHostComponent::IsatapHostComponent(boost::asio::io_context& io, const config::Config& config,
                                         netlink::KernelApi& kernel, IsatapHostOptions options)
    : io_(io),
      config_(config.isatap),
      options_(std::move(options)),
      loop_guard_(config.isatap.other_routers),
      tun_name_(*config.isatap.tun),
      prl_(config.isatap.routers),
      schedule_(seconds{*config.isatap.resolicit_interval},
                options_.seed ? *options_.seed : std::random_device{}()),
      kernel_state_(kernel),
      ra_events_(io),
      timer_(io) {
    kernel_state_.set_error_sink(
        [](const Error& error) { spdlog::error("isatap host kernel cleanup: {}", error.message); });
}

IsatapHostComponent::~IsatapHostComponent() {
    stop();
}

Result<std::unique_ptr<IsatapHostComponent>> IsatapHostComponent::start(boost::asio::io_context& io,
                                                                        const config::Config& config,
                                                                        netlink::KernelApi& kernel) {
    return start(io, config, kernel, IsatapHostOptions{});
}

Result<std::unique_ptr<IsatapHostComponent>> IsatapHostComponent::start(boost::asio::io_context& io,
                                                                        const config::Config& config,
                                                                        netlink::KernelApi& kernel,
                                                                        IsatapHostOptions options) {
    if (*config.isatap.mode != config::IsatapMode::host)
        return make_error(std::errc::invalid_argument, "isatap host: isatap.mode is not host");
    if (config.isatap.interface->empty())
        return make_error(std::errc::invalid_argument, "isatap host: isatap.interface is not set");
    if (config.isatap.routers.empty())
        return make_error(std::errc::invalid_argument,
                          "isatap host: isatap.routers is empty: a host needs its potential router list "
                          "(RFC 5214 8.3.2)");
    std::unique_ptr<IsatapHostComponent> host(new IsatapHostComponent(io, config, kernel, std::move(options)));
    if (auto opened = host->open(kernel); !opened) return opened.error();  // ~ undoes the rest
    return host;
}

Result<void> IsatapHostComponent::open(netlink::KernelApi& kernel) {
    const std::string& interface = *config_.interface;
    auto local = interface_ipv4(kernel, interface);
    if (!local) return local.error();
    local_ = *local;
    link_local_ = isatap_link_local(local_);
    ra_state_ = HostRaState(local_);

    for (const auto& name : prl_.blocked_names())
        spdlog::warn("isatap host prl name={} may never resolve: DNS servers block names whose first label is "
                     "'isatap' by default (the Windows DNS global query block list)",
                     name);

    policy_ = std::make_unique<IsatapPolicy>(host_policy_config(prl_.addresses(), local_, loop_guard_));

    auto link = TunnelLink::open(interface, local_, tun_name_);
    if (!link) return with_context(link.error(), "isatap host link on " + interface + " tun " + tun_name_);
    link_ = std::move(*link);
    tun_name_ = link_->tun_name();

    // The RAs are this component's to process: the kernel must neither solicit on the TUN (its
    // RSs would reach the router twice) nor autoconfigure from it.
    if (auto set = kernel_state_.set_sysctl(netlink::ipv6_conf_path(tun_name_, "accept_ra"), "0"); !set)
        return with_context(set.error(), "isatap host tun " + tun_name_ + " accept_ra");
    // RFC 5214 6.2: the ISATAP link-local address, fe80::[200:]5efe:V4. The TUN has no link
    // layer and no DAD (IFF_NOARP).
    netlink::InterfaceAddress ll;
    ll.device = tun_name_;
    ll.address = link_local_;
    ll.prefix_length = 64;
    ll.flags = netlink::kAddressFlagNoDad;
    if (auto added = kernel_state_.add_address(ll); !added)
        return with_context(added.error(), "isatap host tun " + tun_name_ + " link-local " + link_local_.to_string());

    const int event_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (event_fd < 0) return make_error(std::errc(errno), "isatap host: eventfd");
    ra_events_.assign(event_fd);
    engine_ = std::make_unique<HostEngine>(*policy_, event_fd);
    if (auto started = link_->start(*engine_); !started)
        return with_context(started.error(), "isatap host data path on " + tun_name_);

    if (prl_.has_names())
        resolver_ = std::make_unique<PrlResolver>(
            io_, [this](std::vector<NameResolution> results) { on_resolved(std::move(results)); }, options_.resolver);
    wait_for_advertisements();
    schedule_.start(RaClock::now());
    arm_timer();
    // RFC 4861 6.3.7 lets a host solicit on events of its own: SIGHUP (an administrator, or
    // `sixgate lab test` after adding the host to a router's allow-list) restarts the initial burst,
    // so a host refused until now need not wait out the RFC 7559 backoff, which grows to an hour.
    on_each_hangup(std::make_shared<boost::asio::signal_set>(io_, SIGHUP), alive_, [this] {
        spdlog::info("isatap host signal=SIGHUP soliciting again routers={}", prl_.addresses().size());
        schedule_.start(RaClock::now());
        arm_timer();
    });
    spdlog::info("isatap host interface={} local_ipv4={} tun={} link_local={} prl={} resolicit={}s", interface,
                 local_.to_string(), tun_name_, link_local_.to_string(), config_.routers.size(),
                 *config_.resolicit_interval);
    return {};
}

void IsatapHostComponent::stop() {
    if (stopped_) return;
    stopped_ = true;
    *alive_ = false;
    timer_.cancel();
    boost::system::error_code ignored;
    ra_events_.cancel(ignored);
    if (link_) link_->stop();  // the data path no longer touches the engine or the eventfd
    resolver_.reset();
    for (const Error& error : kernel_state_.remove_all())
        spdlog::error("isatap host kernel cleanup: {}", error.message);
    installed_addresses_.clear();
    installed_routes_.clear();
    if (link_) spdlog::info("isatap host tun={} stopped", tun_name_);
    link_.reset();  // closes the TUN: the kernel deletes it
    ra_events_.close(ignored);
}

void IsatapHostComponent::arm_timer() {
    if (stopped_) return;
    // While a round waits for DNS, only expiries can be due.
    std::optional<RaTime> next;
    if (!round_pending_) next = schedule_.next_solicitation();
    if (auto expiry = ra_state_.next_expiry(); expiry && (!next || *expiry < *next)) next = expiry;
    if (!next) {
        timer_.cancel();
        return;
    }
    timer_.expires_at(*next);
    timer_.async_wait([this, alive = alive_](boost::system::error_code error) {
        if (error || !*alive) return;
        on_timer();
    });
}

void IsatapHostComponent::on_timer() {
    const auto now = RaClock::now();
    if (ra_state_.expire(now)) {
        spdlog::info("isatap host advertised information expired addresses={} routes={}",
                     ra_state_.addresses().size(), ra_state_.routes().size());
        sync_kernel();
    }
    if (!round_pending_ && schedule_.due(now)) begin_round();
    arm_timer();
}

void IsatapHostComponent::begin_round() {
    // RFC 5214 8.3.2: names are looked up again before each solicitation, so the PRL follows DNS.
    if (resolver_) {
        round_pending_ = true;
        resolver_->request(prl_.names());
        return;
    }
    send_solicitations();
}

void IsatapHostComponent::on_resolved(std::vector<NameResolution> results) {
    if (stopped_) return;
    if (prl_.apply(results)) publish_policy();
    reclaim_policies();
    if (round_pending_) {
        round_pending_ = false;
        send_solicitations();
    }
    arm_timer();
}

void IsatapHostComponent::publish_policy() {
    const auto addresses = prl_.addresses();
    auto next = std::make_unique<IsatapPolicy>(host_policy_config(addresses, local_, loop_guard_));
    const std::uint64_t ticket = engine_->set_policy(*next);
    retired_policies_.emplace_back(std::move(policy_), ticket);
    policy_ = std::move(next);
    // A router that left the PRL is no longer where traffic goes.
    if (const auto router = engine_->router();
        router && std::find(addresses.begin(), addresses.end(), *router) == addresses.end())
        engine_->set_router(std::nullopt);
    std::string list;
    for (const auto& address : addresses) list += (list.empty() ? "" : ",") + address.to_string();
    spdlog::info("isatap host prl changed routers={}", list.empty() ? "none" : list);
}

void IsatapHostComponent::reclaim_policies() {
    std::erase_if(retired_policies_, [this](const auto& retired) { return engine_->quiescent(retired.second); });
}

void IsatapHostComponent::send_solicitations() {
    const auto now = RaClock::now();
    // RFC 5214 8.3.4 and RFC 4861 6.3.7: an RS from the ISATAP link-local address to
    // all-routers, hop limit 255, to each PRL router (unicast in IPv4: the link is NBMA).
    std::array<std::byte, net::packet::Ipv6View::kHeaderLength + 8> packet{};
    const auto all_routers = net::Ipv6Address::parse("ff02::2");
    std::array<std::uint8_t, 8> icmp{};
    auto built = net::nd::build_router_solicitation(net::nd::RouterSolicitation{}, icmp);
    const auto routers = prl_.addresses();
    std::size_t sent = 0;
    if (built && all_routers && *built == icmp.size()) {
        net::nd::fill_icmpv6_checksum(icmp, link_local_, *all_routers);
        net::packet::Ipv6HeaderFields header;
        header.payload_length = static_cast<std::uint16_t>(icmp.size());
        header.next_header = kIcmpv6;
        header.hop_limit = net::nd::kNdHopLimit;
        header.source = link_local_;
        header.destination = *all_routers;
        if (net::packet::write_ipv6_header(packet, header) != net::packet::Ipv6View::kHeaderLength) return;
        std::transform(icmp.begin(), icmp.end(), packet.begin() + net::packet::Ipv6View::kHeaderLength,
                       [](std::uint8_t b) { return std::byte{b}; });
        for (const auto& router : routers) {
            if (link_->control_io().send_ipv4(router, packet)) {
                ++sent;
                ++solicitations_sent_;
            } else {
                ++solicitation_failures_;
            }
        }
    } else {
        spdlog::error("isatap host: building the router solicitation failed");
    }
    ++solicitation_rounds_;
    schedule_.on_solicitation_sent(now);
    spdlog::debug("isatap host rs round={} routers={} sent={} phase={} next_in_ms={}", solicitation_rounds_,
                  routers.size(), sent, to_string(schedule_.phase()),
                  duration_cast<std::chrono::milliseconds>(schedule_.next_solicitation() - now).count());
}

void IsatapHostComponent::wait_for_advertisements() {
    if (stopped_) return;
    ra_events_.async_wait(boost::asio::posix::stream_descriptor::wait_read,
                          [this, alive = alive_](boost::system::error_code error) {
                              if (error || !*alive) return;
                              on_advertisements();
                              wait_for_advertisements();
                          });
}

void IsatapHostComponent::on_advertisements() {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto read = ::read(ra_events_.native_handle(), &count, sizeof(count));
    while (engine_->pop_advertisement(scratch_)) handle_advertisement(scratch_);
}

void IsatapHostComponent::handle_advertisement(const QueuedAdvertisement& queued) {
    const auto now = RaClock::now();
    const auto routers = prl_.addresses();
    auto applied = ra_state_.apply(queued.packet(), queued.router, routers, now);
    if (!applied) {
        ++advertisements_refused_;
        engine_->count_drop(IsatapDrop::bad_advertisement);
        spdlog::debug("isatap host ra refused router={} why={}{}", queued.router.to_string(),
                      to_string(applied.error().why),
                      applied.error().nd_reason ? " nd=" + std::string(net::nd::to_string(*applied.error().nd_reason))
                                                : std::string());
        return;
    }
    ++advertisements_received_;
    last_advertisement_ = now;
    engine_->set_router(queued.router);
    const RaSummary& summary = *applied;
    const std::string line = "router=" + summary.router.to_string() + " prefix=" + join(summary.prefixes) +
                             " routes=" + join(summary.routes) + " withdrawn=" + join(summary.withdrawn) +
                             " router_lifetime=" + std::to_string(summary.router_lifetime);
    if (line != last_summary_)
        spdlog::info("isatap host ra applied {}", line);
    else
        spdlog::debug("isatap host ra applied {}", line);
    last_summary_ = line;
    sync_kernel();
    schedule_.on_advertisement(now, ra_state_.next_expiry());
    arm_timer();
}

void IsatapHostComponent::sync_kernel() {
    const auto now = RaClock::now();
    const auto kernel_address = [&](const HostAddress& a) {
        netlink::InterfaceAddress address;
        address.device = tun_name_;
        address.address = a.address;
        address.prefix_length = 64;
        address.flags = netlink::kAddressFlagNoDad;
        // RFC 4862 5.5.3: the kernel deprecates and removes the address on these lifetimes too.
        address.valid_lifetime_s = seconds_left(a.valid_until, now);
        address.preferred_lifetime_s = a.preferred_until <= now ? std::optional<std::uint32_t>(0)
                                                                : seconds_left(a.preferred_until, now);
        return address;
    };
    const auto kernel_route = [&](const HostRoute& r) {
        netlink::Route route;
        route.destination = r.prefix;
        route.device = tun_name_;
        return route;
    };
    const auto remove_address = [&](const HostAddress& a) {
        if (auto removed = kernel_state_.remove_address(kernel_address(a)); !removed) {
            ++kernel_errors_;
            spdlog::error("isatap host address remove {} failed: {}", a.address.to_string(), removed.error().message);
        }
    };
    const auto add_address = [&](const HostAddress& a) {
        auto added = kernel_state_.add_address(kernel_address(a));
        if (!added) {
            ++kernel_errors_;
            spdlog::error("isatap host address add {} failed: {}", a.address.to_string(), added.error().message);
            return false;
        }
        return true;
    };

    const auto& desired = ra_state_.addresses();
    std::vector<HostAddress> installed;
    for (const auto& old : installed_addresses_) {
        const bool wanted = std::any_of(desired.begin(), desired.end(),
                                        [&](const HostAddress& d) { return d.address == old.address; });
        if (!wanted) {
            remove_address(old);
            spdlog::info("isatap host address removed {}/64 dev={}", old.address.to_string(), tun_name_);
        }
    }
    for (const auto& address : desired) {
        const auto old = std::find_if(installed_addresses_.begin(), installed_addresses_.end(),
                                      [&](const HostAddress& a) { return a.address == address.address; });
        if (old != installed_addresses_.end()) {
            if (near(old->valid_until, address.valid_until) && near(old->preferred_until, address.preferred_until)) {
                installed.push_back(*old);
                continue;
            }
            remove_address(*old);  // new lifetimes: KernelApi has no replace
        }
        if (!add_address(address)) continue;
        installed.push_back(address);
        if (old == installed_addresses_.end())
            spdlog::info("isatap host address added {}/64 dev={} valid={} preferred={}", address.address.to_string(),
                         tun_name_, seconds_json(address.valid_until, now).dump(),
                         seconds_json(address.preferred_until, now).dump());
    }
    installed_addresses_ = std::move(installed);

    const auto routes = ra_state_.routes();
    std::vector<HostRoute> installed_routes;
    for (const auto& old : installed_routes_) {
        const bool wanted =
            std::any_of(routes.begin(), routes.end(), [&](const HostRoute& r) { return r.prefix == old.prefix; });
        if (wanted) continue;
        if (auto removed = kernel_state_.remove_route(kernel_route(old)); !removed) {
            ++kernel_errors_;
            spdlog::error("isatap host route remove {} failed: {}", old.prefix.to_string(), removed.error().message);
        } else {
            spdlog::info("isatap host route removed {} dev={}", old.prefix.to_string(), tun_name_);
        }
    }
    for (const auto& route : routes) {
        const bool present = std::any_of(installed_routes_.begin(), installed_routes_.end(),
                                         [&](const HostRoute& r) { return r.prefix == route.prefix; });
        if (!present) {
            auto added = kernel_state_.add_route(kernel_route(route));
            if (!added) {
                ++kernel_errors_;
                spdlog::error("isatap host route add {} failed: {}", route.prefix.to_string(), added.error().message);
                continue;
            }
            if (*added == netlink::Ownership::kPresentNotOurs)
                spdlog::warn("isatap host route {} exists already (not sixgate's): left alone", route.prefix.to_string());
            else
                spdlog::info("isatap host route added {} dev={} lifetime={}", route.prefix.to_string(), tun_name_,
                             seconds_json(route.expires, now).dump());
        }
        installed_routes.push_back(route);
    }
    installed_routes_ = std::move(installed_routes);
}

nlohmann::json IsatapHostComponent::status() const {
    const auto now = RaClock::now();
    nlohmann::json addresses = nlohmann::json::array();
    for (const auto& address : ra_state_.addresses())
        addresses.push_back({{"address", address.address.to_string()},
                             {"valid_s", seconds_json(address.valid_until, now)},
                             {"preferred_s", seconds_json(address.preferred_until, now)}});
    nlohmann::json routes = nlohmann::json::array();
    for (const auto& route : ra_state_.routes())
        routes.push_back({{"prefix", route.prefix.to_string()}, {"lifetime_s", seconds_json(route.expires, now)}});
    nlohmann::json counters = nlohmann::json::object();
    nlohmann::json drops = nlohmann::json::object();
    if (engine_) {
        const auto& c = engine_->counters();
        counters["to_tun"] = c.to_tun.load(std::memory_order_relaxed);
        counters["to_ipv4"] = c.to_ipv4.load(std::memory_order_relaxed);
        counters["advertisements_queued"] = c.advertisements_queued.load(std::memory_order_relaxed);
        counters["advertisements_overflow"] = c.advertisements_overflow.load(std::memory_order_relaxed);
        counters["advertisements_too_large"] = c.advertisements_too_large.load(std::memory_order_relaxed);
        counters["multicast_not_forwarded"] = c.multicast_not_forwarded.load(std::memory_order_relaxed);
        for (std::size_t i = 0; i < kIsatapDropCount; ++i)
            drops[std::string(to_string(static_cast<IsatapDrop>(i)))] = c.drops[i].load(std::memory_order_relaxed);
    }
    if (link_) {
        const auto& l = link_->counters();
        counters["ipv4_received"] = l.ipv4_received.load(std::memory_order_relaxed);
        counters["ipv4_sent"] = l.ipv4_sent.load(std::memory_order_relaxed);
        counters["tun_read"] = l.tun_read.load(std::memory_order_relaxed);
        counters["tun_written"] = l.tun_written.load(std::memory_order_relaxed);
        counters["send_errors"] = l.send_errors.load(std::memory_order_relaxed);
        counters["tun_write_errors"] = l.tun_write_errors.load(std::memory_order_relaxed);
        counters["receive_errors"] = l.receive_errors.load(std::memory_order_relaxed);
    }
    counters["solicitation_rounds"] = solicitation_rounds_;
    counters["solicitation_failures"] = solicitation_failures_;
    counters["advertisements_refused"] = advertisements_refused_;
    counters["kernel_errors"] = kernel_errors_;
    const auto router = engine_ ? engine_->router() : std::nullopt;
    return {
        {"mode", "host"},
        {"interface", *config_.interface},
        {"local_ipv4", local_.to_string()},
        {"tun", tun_name_},
        {"link_local", link_local_.to_string()},
        {"prl", prl_.status()},
        {"router", router ? nlohmann::json(router->to_string()) : nlohmann::json(nullptr)},
        {"addresses", addresses},
        {"routes", routes},
        {"solicitations_sent", solicitations_sent_},
        {"advertisements_received", advertisements_received_},
        {"last_advertisement_seconds_ago",
         last_advertisement_ ? nlohmann::json(duration_cast<seconds>(now - *last_advertisement_).count())
                             : nlohmann::json(nullptr)},
        {"schedule",
         {{"phase", to_string(schedule_.phase())},
          {"next_solicitation_in_s",
           round_pending_ ? nlohmann::json(nullptr)
                          : nlohmann::json(std::max<std::int64_t>(
                                0, duration_cast<seconds>(schedule_.next_solicitation() - now).count()))}}},
        {"counters", counters},
        {"isatap_drops", drops},
    };
}

}  // namespace sixgate::isatap
