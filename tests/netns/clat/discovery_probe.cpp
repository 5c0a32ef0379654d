// A small driver for the discovery netns tests: runs one of Pref64Listener, NdProxy or
// Rfc7050Discovery on an io_context and prints one JSON object per line (flushed) for each
// event, and the final status on SIGTERM/SIGINT or when the time limit is reached.
//   discovery_probe pref64 IF SECONDS [--no-solicit]
//   discovery_probe ndproxy IF ADDRESS SECONDS [--no-dad]
//   discovery_probe rfc7050 SECONDS
// Exit status: 0 after a clean stop, 2 on usage errors, 3 when start() failed (the error is
// printed as {"event":"error","message":...}).

#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include "clat/nd_proxy.hpp"
#include "clat/pref64_listener.hpp"
#include "clat/rfc7050.hpp"

namespace {

using namespace sixgate;

void emit(const nlohmann::json& line) {
    std::cout << line.dump() << std::endl;  // endl flushes: the test reads line by line
}

nlohmann::json describe(const std::optional<clat::PlatPrefix>& prefix) {
    if (!prefix) return {{"event", "change"}, {"prefix", nullptr}};
    const auto left = std::chrono::duration_cast<std::chrono::seconds>(
        prefix->expires - std::chrono::steady_clock::now());
    return {{"event", "change"},
            {"prefix", prefix->prefix.to_string()},
            {"source", prefix->source},
            {"lifetime_s", left.count()}};
}

int usage() {
    std::cerr << "usage: discovery_probe pref64 IF SECONDS [--no-solicit] | ndproxy IF ADDRESS "
                 "SECONDS [--no-dad] | "
                 "rfc7050 SECONDS\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    // Logs go to stderr so stdout stays one JSON object per line.
    spdlog::set_default_logger(spdlog::stderr_logger_mt("probe"));
    spdlog::set_level(spdlog::level::debug);
    if (argc < 3) return usage();
    const std::string mode = argv[1];
    boost::asio::io_context io;
    std::function<nlohmann::json()> status;
    std::unique_ptr<clat::Pref64Listener> listener;
    std::unique_ptr<clat::NdProxy> proxy;
    std::unique_ptr<clat::Rfc7050Discovery> discovery;
    int seconds = 0;
    try {
        if (mode == "pref64" && argc >= 4) {
            seconds = std::stoi(argv[3]);
            clat::Pref64ListenerOptions options;
            options.solicit = !(argc >= 5 && std::string(argv[4]) == "--no-solicit");
            auto started = clat::Pref64Listener::start(
                io, argv[2], [](const auto& p) { emit(describe(p)); }, options);
            if (!started)
                return emit({{"event", "error"}, {"message", started.error().message}}), 3;
            listener = std::move(*started);
            status = [&] { return listener->status(); };
        } else if (mode == "ndproxy" && argc >= 5) {
            auto target = net::Ipv6Address::parse(argv[3]);
            if (!target) return usage();
            seconds = std::stoi(argv[4]);
            const bool dad = !(argc >= 6 && std::string(argv[5]) == "--no-dad");
            auto started = clat::NdProxy::start(io, argv[2], *target, dad);
            if (!started)
                return emit({{"event", "error"}, {"message", started.error().message}}), 3;
            proxy = std::move(*started);
            status = [&] { return proxy->status(); };
        } else if (mode == "rfc7050") {
            seconds = std::stoi(argv[2]);
            auto started =
                clat::Rfc7050Discovery::start(io, [](const auto& p) { emit(describe(p)); });
            if (!started)
                return emit({{"event", "error"}, {"message", started.error().message}}), 3;
            discovery = std::move(*started);
            status = [&] { return discovery->status(); };
        } else {
            return usage();
        }
    } catch (const std::exception&) {
        return usage();  // std::stoi on a bad number
    }
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    boost::asio::steady_timer limit(io);
    boost::asio::steady_timer tick(io);
    auto finish = [&] {
        emit({{"event", "status"}, {"status", status()}});
        io.stop();
    };
    signals.async_wait([&](boost::system::error_code error, int) {
        if (!error) finish();
    });
    limit.expires_after(std::chrono::seconds(seconds));
    limit.async_wait([&](boost::system::error_code error) {
        if (!error) finish();
    });
    // SIGUSR1 prints the status without stopping.
    boost::asio::signal_set usr1(io, SIGUSR1);
    std::function<void()> wait_usr1 = [&] {
        usr1.async_wait([&](boost::system::error_code error, int) {
            if (error) return;
            emit({{"event", "status"}, {"status", status()}});
            wait_usr1();
        });
    };
    wait_usr1();
    emit({{"event", "started"}});  // only now: a SIGUSR1 before the handler would kill the probe
    io.run();
    return 0;
}
