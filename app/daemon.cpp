#include "app/daemon.hpp"

#include <csignal>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "app/exit_codes.hpp"
#include "app/logging.hpp"
#include "config/loader.hpp"

namespace sixgate::app {

namespace {

void apply_log_level(config::LogLevel level) {
    if (log_level_pinned()) return;
    spdlog::set_level(parse_log_level(std::string(config::to_string(level))).value_or(spdlog::level::info));
}

Result<std::string> read_file(const std::string& path) {
    std::ifstream file(path);
    if (!file) return make_error(std::errc::no_such_file_or_directory, path + ": cannot be read");
    std::ostringstream text;
    text << file.rdbuf();
    return text.str();
}

}  // namespace

Daemon::Daemon(std::string config_path, std::string config_text, config::Config config)
    : config_path_(std::move(config_path)),
      config_text_(std::move(config_text)),
      config_(std::move(config)),
      signals_(io_, SIGINT, SIGTERM, SIGHUP) {}

Daemon::~Daemon() = default;

int Daemon::run() {
    apply_log_level(*config_.logging.level);
    if (auto started = start_components(); !started) {
        spdlog::error("start failed: {}", started.error().message);
        isatap_.reset();  // stop(): thread joined, kernel state removed, TUN closed
        stop_plat();
        clat_.reset();    // removes whatever kernel state was already added
        router_.reset();
        const auto code = started.error().code;
        const bool not_allowed = code == std::errc::operation_not_permitted || code == std::errc::permission_denied;
        if (not_allowed) spdlog::error("sixgate run needs root (CAP_NET_ADMIN and CAP_NET_RAW)");
        return not_allowed ? kExitUnavailable : kExitFailure;
    }
    wait_for_signals();
    spdlog::info("sixgate {} running pid={} config={}", SIXGATE_VERSION, ::getpid(), config_path_);
    io_.run();
    spdlog::info("sixgate stopped");
    return exit_status_;
}

Result<void> Daemon::start_components() {
    auto kernel = net::netlink::NetlinkKernel::open();
    if (!kernel) return kernel.error();
    kernel_ = std::make_unique<net::netlink::NetlinkKernel>(std::move(*kernel));

    ControlServerOptions control;
    control.socket_path = *config_.control.socket;
    auto server = ControlServer::start(io_, control);
    if (!server) return server.error();
    control_.emplace(std::move(*server));
    control_->set_status_source([this] { return snapshot(); });
    spdlog::info("control socket={}", control_->socket_path());

    if (config_.public_ipv4 && !config_.public_ipv4->source.empty()) {
        auto watch = AddressWatch::start(io_, [this] { reload("interface address change", false); });
        if (!watch) return watch.error();
        address_watch_ = std::move(*watch);
        spdlog::info("public_ipv4 followed from_interface={} now={}", config_.public_ipv4->source,
                     config_.public_ipv4->value.to_string());
    }
    if (*config_.router.enabled) {
        auto router = router::RouterComponent::start(io_, config_, *kernel_);
        if (!router) return router.error();
        router_ = std::move(*router);
    }
    // After the router: its start-up reconcile removes routes with sixgate's protocol that it
    // does not want, which would include ISATAP's, the CLAT's and the PLAT's (same protocol 115).
    if (auto started = apply_isatap(config_, false); !started) return started;
    if (auto started = apply_clat(config_, false); !started) return started;
    if (auto started = apply_plat(config_, false); !started) return started;
    return {};
}

Result<void> Daemon::apply_clat(const config::Config& config, bool force_restart) {
    const bool unchanged = clat_ && clat_->clat_config() == config.clat &&
                           clat_->translation_config() == config.translation;
    if (*config.clat.enabled && unchanged && !force_restart) return {};
    if (clat_) {
        spdlog::info("clat {}", *config.clat.enabled ? "config changed: restarting" : "disabled: stopping");
        clat_.reset();  // stop(): threads joined, kernel state removed, TUN closed
    }
    if (!*config.clat.enabled) return {};
    auto clat = clat::ClatComponent::start(io_, config, *kernel_);
    if (!clat) return clat.error();
    clat_ = std::move(*clat);
    return {};
}

Result<void> Daemon::apply_plat([[maybe_unused]] const config::Config& config,
                                [[maybe_unused]] bool force_restart) {
    const bool unchanged = plat_ && plat_->plat_config() == config.plat &&
                           plat_->translation_config() == config.translation;
    if (*config.plat.enabled && unchanged && !force_restart) return {};
    if (plat_) {
        spdlog::info("plat {}", *config.plat.enabled ? "config changed: restarting" : "disabled: stopping");
        plat_.reset();  // stop(): threads joined, routes removed, sysctls restored, TUN closed
    }
    if (!*config.plat.enabled) return {};
    auto plat = plat::PlatComponent::start(io_, config, *kernel_);
    if (!plat) return plat.error();
    plat_ = std::move(*plat);
    return {};
}

Result<void> Daemon::apply_isatap(const config::Config& config, bool force_restart) {
    // The router mode's RAs carry the router's RFC 4191 routes and the plan's prefixes.
    const bool router_mode = *config.isatap.mode == config::IsatapMode::router;
    const bool same_routes = config_.router == config.router && config_.public_ipv4 == config.public_ipv4 &&
                             config_.ula == config.ula;
    const bool unchanged = isatap_ && isatap_->isatap_config() == config.isatap && (!router_mode || same_routes);
    if (*config.isatap.enabled && unchanged && !force_restart) return {};
    if (isatap_) {
        spdlog::info("isatap {}", *config.isatap.enabled ? "config changed: restarting" : "disabled: stopping");
        isatap_.reset();  // stop(): thread joined, kernel state removed, TUN closed
    }
    if (!*config.isatap.enabled) return {};
    auto isatap = isatap::start_isatap(io_, config, *kernel_);
    if (!isatap) return isatap.error();
    isatap_ = std::move(*isatap);
    return {};
}

void Daemon::stop_plat() {
    plat_.reset();
}

void Daemon::wait_for_signals() {
    signals_.async_wait([this](boost::system::error_code error, int signal) {
        if (error) return;
        if (signal == SIGHUP) {
            reload("SIGHUP", true);
        } else if (!shutting_down_) {
            spdlog::info("signal={} stopping: final router advertisements, then kernel state removed",
                         signal == SIGINT ? "SIGINT" : "SIGTERM");
            shutdown();
        } else {
            spdlog::warn("second stop signal: exiting without waiting for the final advertisements");
            isatap_.reset();
            stop_plat();
            clat_.reset();
            router_.reset();
            io_.stop();
        }
        wait_for_signals();
    });
}

void Daemon::reload(const std::string& why, bool reread_file) {
    if (shutting_down_) return;
    std::string text = config_text_;
    if (reread_file) {
        auto read = read_file(config_path_);
        if (!read) {
            spdlog::error("reload ({}) failed, the running config stays: {}", why, read.error().message);
            return;
        }
        text = std::move(*read);
    }
    auto loaded = config::parse_config(text, config_path_);
    if (!loaded.ok()) {
        spdlog::error("reload ({}) failed, the running config stays:", why);
        for (const auto& diagnostic : loaded.errors) spdlog::error("{}", diagnostic.to_string());
        return;
    }
    for (const auto& warning : loaded.warnings) spdlog::warn("{}", warning.to_string());
    if (loaded.config == config_ && text == config_text_) {
        if (reread_file) spdlog::info("reload ({}): nothing changed", why);
        return;
    }
    if (config_.plan && loaded.config.plan && config_.plan->site != loaded.config.plan->site)
        spdlog::info("renumbering ({}): public_ipv4 {} -> {}, site {} -> {}", why,
                     config_.plan->public_ipv4.to_string(), loaded.config.plan->public_ipv4.to_string(),
                     config_.plan->site.to_string(), loaded.config.plan->site.to_string());
    if (auto applied = apply(loaded.config); !applied) {
        spdlog::error("reload ({}) could not be applied fully: {}", why, applied.error().message);
        return;
    }
    config_text_ = std::move(text);
    config_ = std::move(loaded.config);
    spdlog::info("reload ({}) applied", why);
}

Result<void> Daemon::apply(const config::Config& config) {
    apply_log_level(*config.logging.level);
    if (*config.control.socket != *config_.control.socket) {
        ControlServerOptions options;
        options.socket_path = *config.control.socket;
        auto server = ControlServer::start(io_, options);
        if (!server) return server.error();
        control_.emplace(std::move(*server));
        control_->set_status_source([this] { return snapshot(); });
        spdlog::info("control socket moved to {}", *config.control.socket);
    }
    bool router_started = false;
    if (*config.router.enabled && router_) {
        if (auto applied = router_->apply(config); !applied) return applied;
    } else if (*config.router.enabled) {
        // The others stop first and start again after the router (below): its start-up reconcile
        // removes their protocol-115 routes, and stopped first each restores the sysctls it
        // changed (forwarding) before the router records the values it finds.
        isatap_.reset();
        stop_plat();
        clat_.reset();
        auto router = router::RouterComponent::start(io_, config, *kernel_);
        if (!router) return router.error();
        router_ = std::move(*router);
        router_started = true;
    } else if (router_) {
        auto* stopping = router_.get();
        stopping->stop([this, stopping] {
            if (router_.get() == stopping) router_.reset();
        });
    }
    // A router started now has reconciled sixgate's routes away, ISATAP's, the CLAT's and the
    // PLAT's among them: they restart after it.
    if (auto applied = apply_isatap(config, router_started); !applied) return applied;
    if (auto applied = apply_clat(config, router_started); !applied) return applied;
    return apply_plat(config, router_started);
}

void Daemon::shutdown() {
    shutting_down_ = true;
    address_watch_.reset();
    isatap_.reset();  // synchronous: thread joined, kernel state removed, TUN closed
    stop_plat();    // synchronous, like the CLAT
    clat_.reset();  // synchronous: threads joined, kernel state removed, TUN closed
    auto finish = [this] {
        if (control_) control_->stop();
        signals_.cancel();
        io_.stop();
    };
    if (router_)
        router_->stop(finish);
    else
        finish();
}

nlohmann::json Daemon::snapshot() const {
    nlohmann::json json = status_snapshot_base(started_at_);
    json["config"] = config_path_;
    auto& components = json["components"] = nlohmann::json::object();
    if (router_) components["router"] = router_->status();
    if (clat_) components["clat"] = clat_->status();
    if (plat_) components["plat"] = plat_->status();
    if (isatap_) components["isatap"] = isatap_->status();
    if (config_.plan) {
        json["plan"] = {{"public_ipv4", config_.plan->public_ipv4.to_string()},
                        {"site", config_.plan->site.to_string()},
                        {"organization", config_.plan->organization.to_string()},
                        {"iphttps", config_.plan->iphttps.to_string()},
                        {"nat64", config_.plan->nat64.to_string()}};
    }
    return json;
}

}  // namespace sixgate::app
