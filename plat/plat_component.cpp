#include "plat/plat_component.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

namespace sixgate::plat {

namespace netlink = net::netlink;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

std::string_view filtering_name(config::Filtering filtering) {
    return config::to_string(filtering);
}

}  // namespace

PlatComponent::PlatComponent(boost::asio::io_context& io, const config::Config& config,
                             netlink::KernelApi& kernel, PlatComponentOptions options)
    : kernel_(kernel),
      options_(options),
      plat_(config.plat),
      translation_(config.translation),
      tun_name_(*config.plat.tun),
      kernel_state_(kernel),
      expiry_timer_(io),
      answer_(std::make_unique<net::packet::PacketBuffer>()) {
    kernel_state_.set_error_sink(
        [](const Error& error) { spdlog::error("plat kernel cleanup: {}", error.message); });
}

PlatComponent::~PlatComponent() {
    stop();
}

Result<std::unique_ptr<PlatComponent>> PlatComponent::start(boost::asio::io_context& io,
                                                            const config::Config& config,
                                                            netlink::KernelApi& kernel,
                                                            PlatComponentOptions options) {
    if (!config.plat.prefix->has_value())
        return make_error(std::errc::invalid_argument,
                          "plat.prefix is not set (and no plan gives 'nat64')");
    std::unique_ptr<PlatComponent> plat(new PlatComponent(io, config, kernel, options));

    auto table = SessionTable::create(session_table_config(config.plat));
    if (!table) return with_context(table.error(), "plat session table");
    plat->table_ = std::move(*table);
    auto parts = make_plat_translator(config.translation, config.plat);
    if (!parts) return with_context(parts.error(), "plat translator");
    plat->translator_ = std::make_unique<PlatTranslator>(*plat->table_, std::move(*parts));

    PlatKernelInputs inputs;
    inputs.tun = plat->tun_name_;
    inputs.pool6 = **config.plat.prefix;
    inputs.routed_ipv4 = plat->table_->routed_ipv4();
    plat->plan_ = plan_plat_kernel_state(inputs);
    // Before anything is created: a refusal leaves the host as it was.
    if (auto checked = check_plat_kernel_conflicts(kernel, plat->plan_); !checked)
        return checked.error();

    if (auto done = plat->start_tun_and_kernel_state(); !done) return done.error();
    plat->schedule_expiry();
    return plat;
}

Result<void> PlatComponent::start_tun_and_kernel_state() {
    net::tun::TunOptions tun_options;
    tun_options.queues = *plat_.queues;
    auto tun = net::tun::TunDevice::open(*plat_.tun, tun_options);
    if (!tun) return with_context(tun.error(), "plat tun " + *plat_.tun + " (plat.tun)");
    tun_.emplace(std::move(*tun));
    if (tun_->name() != tun_name_) {
        // A pattern ("plat%d") became a name: the routes go to that device.
        tun_name_ = tun_->name();
        for (auto& route : plan_.routes) route.device = tun_name_;
    }
    if (auto done = tun_->set_up(); !done)
        return with_context(done.error(), "plat tun " + tun_name_ + " up");

    if (auto done = apply_plat_kernel_plan(kernel_state_, plan_); !done) return done.error();
    for (const auto& route : plan_.routes) spdlog::info("plat route {}", netlink::describe(route));

    std::vector<net::tun::PacketIo*> queues;
    for (auto& queue : tun_->queues()) queues.push_back(&queue);
    auto data_path = PlatDataPath::start(std::move(queues), *translator_);
    if (!data_path) return with_context(data_path.error(), "plat tun " + tun_name_);
    data_path_ = std::move(*data_path);

    std::string pool4;
    for (const auto& entry : plat_.pool4)
        pool4 += (pool4.empty() ? "" : ",") + entry.prefix.to_string();
    spdlog::info(
        "plat tun={} queues={} vnet_hdr={} prefix={} pool4={} static_bib={} filtering={} "
        "max_sessions={}",
        tun_name_, tun_->queue_count(), tun_->vnet_hdr(), (*plat_.prefix)->to_string(), pool4,
        plat_.static_bib.size(), filtering_name(*plat_.filtering), *plat_.max_sessions);
    return {};
}

void PlatComponent::schedule_expiry() {
    expiry_timer_.expires_after(options_.expiry_interval);
    expiry_timer_.async_wait([this](const boost::system::error_code& error) {
        if (error || stopped_) return;
        (void)expire_now();
        if (options_.route_check_interval.count() > 0 && Clock::now() >= next_route_check_) {
            next_route_check_ = Clock::now() + options_.route_check_interval;
            (void)restore_missing_routes();
        }
        schedule_expiry();
    });
}

ExpiryReport PlatComponent::expire_now() {
    if (stopped_ || !table_) return {};
    return table_->expire(monotonic_now_ms(),
                          [this](std::span<const std::byte> held) { answer_held_syn(held); });
}

std::size_t PlatComponent::restore_missing_routes() {
    if (stopped_ || !tun_) return 0;
    netlink::RouteQuery query;
    query.table = netlink::kMainRouteTable;
    query.protocol = netlink::kSixgateRouteProtocol;
    auto present = kernel_.list_routes(query);
    if (!present) {
        spdlog::warn("plat route check: {}", present.error().message);
        return 0;
    }
    std::size_t restored = 0;
    for (const auto& route : kernel_state_.owned_routes()) {
        const bool there = std::any_of(present->begin(), present->end(),
                                       [&](const auto& r) { return r.same_route_as(route); });
        if (there) continue;
        // Still owned by kernel_state_, so stop() removes it as before.
        if (auto added = kernel_.add_route(route); !added) {
            spdlog::error("plat route {} went missing and could not be put back: {}",
                          netlink::describe(route), added.error().message);
            continue;
        }
        spdlog::warn("plat route {} went missing (another sixgate's reconcile?): put back",
                     netlink::describe(route));
        ++restored;
    }
    routes_restored_ += restored;
    return restored;
}

void PlatComponent::answer_held_syn(std::span<const std::byte> held) noexcept {
    // RFC 6146 3.5.2.2: no IPv6 SYN came within TCP_INCOMING_SYN: ICMP Port Unreachable to the
    // IPv4 peer, through the TUN (the kernel routes it like any packet the PLAT sends).
    if (!data_path_ || !translator_->answer_held_syn(held, *answer_) ||
        !data_path_->write_control(answer_->data())) {
        ++held_syn_answers_failed_;
        return;
    }
    ++held_syn_answers_written_;
}

void PlatComponent::stop() {
    if (stopped_) return;
    stopped_ = true;
    expiry_timer_.cancel();
    // The threads go before the TUN they read; the kernel state while the TUN still exists.
    if (data_path_) data_path_->stop();
    for (const Error& error : kernel_state_.remove_all())
        spdlog::error("plat kernel cleanup: {}", error.message);
    if (tun_) spdlog::info("plat stopped tun={} removed", tun_name_);
    tun_.reset();
}

json PlatComponent::status() const {
    json status;
    status["uptime_s"] =
        std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started_).count();
    status["state"] = stopped_ ? "stopped" : "running";
    status["tun"] = tun_name_;
    status["prefix"] = (*plat_.prefix)->to_string();
    status["filtering"] = std::string(filtering_name(*plat_.filtering));
    json timeouts = {{"udp", *plat_.timeouts.udp},
                     {"icmp", *plat_.timeouts.icmp},
                     {"tcp_established", *plat_.timeouts.tcp_established},
                     {"tcp_transitory", *plat_.timeouts.tcp_transitory},
                     {"tcp_incoming_syn", *plat_.timeouts.tcp_incoming_syn}};
    status["options"] = {
        {"queues", tun_ ? tun_->queue_count() : std::size_t{*plat_.queues}},
        {"vnet_hdr", tun_ && tun_->vnet_hdr()},
        {"limits",
         {{"max_sessions", *plat_.max_sessions},
          {"max_sessions_per_source", *plat_.max_sessions_per_source}}},
        {"timeouts_s", std::move(timeouts)},
    };
    if (!table_) return status;

    const TableCounters table = table_->counters();
    const Millis now = monotonic_now_ms();
    json snapshot = table_->snapshot(options_.status_entries, now);

    // pool4 use: "used"/"free" go up and down, so they are gauges (docs/status.md: current_).
    json pool4 = json::array();
    if (snapshot.contains("pool4") && snapshot["pool4"].is_array()) {
        for (const json& entry : snapshot["pool4"]) {
            json item = json::object();
            for (const auto& [key, value] : entry.items()) {
                if (!value.is_object()) {
                    item[key] = value;
                    continue;
                }
                json use = json::object();
                for (const auto& [field, number] : value.items())
                    use[field == "used" || field == "free" ? "current_" + field : field] = number;
                item[key] = std::move(use);
            }
            pool4.push_back(std::move(item));
        }
    }
    status["pool4"] = std::move(pool4);

    json occupancy = json::object();
    for (std::size_t i = 0; i < kL4ProtocolCount; ++i) {
        const ProtocolCounters& p = table.by_protocol[i];
        occupancy[std::string(to_string(static_cast<L4Protocol>(i)))] = {
            {"current_bib_static", p.bib_static},
            {"current_bib_dynamic", p.bib_dynamic},
            {"current_sessions", p.sessions},
            {"sessions_created", p.sessions_created},
            {"sessions_expired", p.sessions_expired},
            {"bib_created", p.bib_created},
            {"bib_expired", p.bib_expired}};
    }
    status["table"] = std::move(occupancy);
    status["held_syns"] = {{"current_held", table.held_syns},
                           {"answered", table.held_syns_answered},
                           {"released", table.held_syns_released},
                           {"answers_written", held_syn_answers_written_},
                           {"answers_failed", held_syn_answers_failed_}};
    status["current_memory_bytes"] = table_->memory_bytes();
    status["routes_restored"] = routes_restored_;

    json state_drops = json::object();
    for (std::size_t i = 0; i < kStateDropCount; ++i)
        state_drops[std::string(to_string(static_cast<StateDrop>(i)))] = table.drops[i];
    status["state_drops"] = std::move(state_drops);

    if (data_path_) {
        const PlatDataPathCounters c = data_path_->counters();
        status["packets"] = {{"read", c.packets_read},
                             {"translated_6to4", c.plat.translated_6to4},
                             {"translated_4to6", c.plat.translated_4to6},
                             {"hairpinned", c.plat.hairpinned},
                             {"fragments_written", c.fragments_written},
                             {"state_dropped", c.plat.state_drops}};
        status["icmp_errors"] = {{"relayed", c.plat.icmp_errors_relayed},
                                 {"sent", c.plat.icmp_errors_sent}};
        json plat_drops = json::object();
        for (std::size_t i = 0; i < kPlatDropReasonCount; ++i)
            plat_drops[std::string(to_string(static_cast<PlatDropReason>(i)))] =
                c.plat.plat_drops[i];
        status["plat_drops"] = std::move(plat_drops);
        json xlat_drops = json::object();
        for (std::size_t i = 0; i < xlat::kDropReasonCount; ++i)
            xlat_drops[std::string(xlat::to_string(static_cast<xlat::DropReason>(i)))] =
                c.plat.xlat_drops[i];
        status["xlat_drops"] = std::move(xlat_drops);
        status["tun_counters"] = {{"packets_read", c.tun.packets_read},
                                  {"gso_super_packets", c.tun.gso_super_packets},
                                  {"gso_segments", c.tun.gso_segments},
                                  {"checksums_completed", c.tun.checksums_completed},
                                  {"dropped_bad_virtio_header", c.tun.dropped_bad_virtio_header},
                                  {"dropped_bad_gso", c.tun.dropped_bad_gso},
                                  {"read_errors", c.tun_read_errors},
                                  {"write_errors", c.tun_write_errors},
                                  {"control_writes", c.control_writes},
                                  {"control_write_errors", c.control_write_errors}};
    }

    // The BIB entries and sessions themselves: a listing, not metrics (docs/status.md "entries").
    json entries = json::object();
    entries["bib"] = snapshot.contains("bib") ? snapshot["bib"] : json::array();
    entries["sessions"] = snapshot.contains("sessions") ? snapshot["sessions"] : json::array();
    entries["truncated"] = snapshot.value("truncated", false);
    entries["limit"] = options_.status_entries;
    status["entries"] = std::move(entries);
    return status;
}

}  // namespace sixgate::plat
