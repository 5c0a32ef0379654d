#include "clat/rfc7050.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cstring>

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include "xlat/rfc6052.hpp"

namespace sixgate::clat {

using Clock = std::chrono::steady_clock;

namespace {

// RFC 7050 2.1: the well-known IPv4 addresses of ipv4only.arpa.
constexpr std::array<net::Ipv4Address, 2> kWellKnownIpv4{net::Ipv4Address(192, 0, 0, 170),
                                                         net::Ipv4Address(192, 0, 0, 171)};
// RFC 7050 3.2 / RFC 6052 2.2: every prefix length the address format defines.
constexpr std::array<int, 6> kSearchOrder{96, 64, 56, 48, 40, 32};

std::optional<net::Ipv6Prefix> prefix_of(const net::Ipv6Address& answer) {
    // RFC 6052 2.2: bits 64..71 (the "u" octet) are zero in every format.
    if (answer.bytes()[8] != 0) return std::nullopt;
    for (int length : kSearchOrder) {
        auto prefix = xlat::Rfc6052Prefix::create(net::Ipv6Prefix(answer, length));
        if (!prefix) continue;
        const auto embedded = prefix->extract(answer);
        if (embedded && std::find(kWellKnownIpv4.begin(), kWellKnownIpv4.end(), *embedded) !=
                            kWellKnownIpv4.end())
            return prefix->prefix();
    }
    return std::nullopt;
}

std::string describe(const std::string& name) {
    return "dns64 " + name;
}

}  // namespace

std::vector<net::Ipv6Prefix> plat_prefixes_from_answers(std::span<const net::Ipv6Address> answers) {
    std::vector<net::Ipv6Prefix> prefixes;
    for (const net::Ipv6Address& answer : answers) {
        const auto prefix = prefix_of(answer);
        if (prefix && std::find(prefixes.begin(), prefixes.end(), *prefix) == prefixes.end())
            prefixes.push_back(*prefix);
    }
    return prefixes;
}

Result<std::vector<net::Ipv6Address>> Rfc7050Discovery::resolve_with_getaddrinfo(
    const std::string& name) {
    addrinfo hints{};
    hints.ai_family = AF_INET6;
    hints.ai_socktype = SOCK_DGRAM;  // one entry per address
    hints.ai_flags = 0;              // no AI_ADDRCONFIG: an IPv6-only host must still ask for AAAA
    addrinfo* list = nullptr;
    const int status = ::getaddrinfo(name.c_str(), nullptr, &hints, &list);
    if (status != 0) {
        const std::errc code = status == EAI_NONAME || status == EAI_NODATA
                                   ? std::errc::no_such_device_or_address
                                   : std::errc::resource_unavailable_try_again;
        return make_error(code, "resolve " + name + " AAAA: " + ::gai_strerror(status));
    }
    std::vector<net::Ipv6Address> answers;
    for (addrinfo* entry = list; entry; entry = entry->ai_next) {
        if (entry->ai_family != AF_INET6 || entry->ai_addrlen < sizeof(sockaddr_in6)) continue;
        sockaddr_in6 address;
        std::memcpy(&address, entry->ai_addr, sizeof address);
        net::Ipv6Address::Bytes bytes;
        std::memcpy(bytes.data(), &address.sin6_addr, 16);
        const net::Ipv6Address answer(bytes);
        if (std::find(answers.begin(), answers.end(), answer) == answers.end())
            answers.push_back(answer);
    }
    ::freeaddrinfo(list);
    return answers;
}

Result<std::unique_ptr<Rfc7050Discovery>> Rfc7050Discovery::start(boost::asio::io_context& io,
                                                                  OnChange on_change,
                                                                  Resolver resolver,
                                                                  Rfc7050Options options) {
    if (options.name.empty())
        return make_error(std::errc::invalid_argument, "rfc 7050 discovery: empty name");
    if (options.retry_initial.count() <= 0 || options.retry_max < options.retry_initial ||
        options.refresh_interval.count() <= 0 || options.validity < options.refresh_interval)
        return make_error(std::errc::invalid_argument,
                          "rfc 7050 discovery: need 0 < retry_initial <= retry_max and 0 < "
                          "refresh_interval <= validity");
    if (!resolver) {
        resolver = [name = options.name] { return resolve_with_getaddrinfo(name); };
    }
    std::unique_ptr<Rfc7050Discovery> discovery(
        new Rfc7050Discovery(io, std::move(on_change), std::move(resolver), std::move(options)));
    discovery->worker_ = std::thread([raw = discovery.get()] { raw->worker_loop(); });
    spdlog::info("rfc7050 discovery name={} started refresh={}s", discovery->options_.name,
                 discovery->options_.refresh_interval.count());
    discovery->request_lookup();
    return discovery;
}

Rfc7050Discovery::Rfc7050Discovery(boost::asio::io_context& io, OnChange on_change,
                                   Resolver resolver, Rfc7050Options options)
    : io_(io),
      on_change_(std::move(on_change)),
      resolver_(std::move(resolver)),
      options_(std::move(options)),
      lookup_timer_(io),
      expiry_timer_(io),
      retry_delay_(options_.retry_initial) {}

Rfc7050Discovery::~Rfc7050Discovery() {
    *alive_ = false;
    lookup_timer_.cancel();
    expiry_timer_.cancel();
    {
        std::lock_guard lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    if (worker_.joinable()) worker_.join();
}

void Rfc7050Discovery::worker_loop() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || requested_; });
            if (stop_) return;
            requested_ = false;
        }
        Result<std::vector<net::Ipv6Address>> result = resolver_();
        boost::asio::post(io_, [this, alive = alive_, result = std::move(result)]() mutable {
            if (*alive) on_result(std::move(result));
        });
    }
}

void Rfc7050Discovery::request_lookup() {
    if (in_flight_) {
        again_ = true;
        return;
    }
    in_flight_ = true;
    ++counters_.lookups;
    {
        std::lock_guard lock(mutex_);
        requested_ = true;
    }
    wake_.notify_one();
}

void Rfc7050Discovery::refresh() {
    retry_delay_ = options_.retry_initial;
    lookup_timer_.cancel();
    request_lookup();
}

void Rfc7050Discovery::on_result(Result<std::vector<net::Ipv6Address>> result) {
    in_flight_ = false;
    if (again_) {
        again_ = false;
        request_lookup();
        return;
    }
    std::vector<net::Ipv6Prefix> found;
    if (!result) {
        ++counters_.failures;
        last_error_ = result.error().message;
    } else {
        found = plat_prefixes_from_answers(*result);
        if (found.empty()) {
            // RFC 7050 3.1: answers without the well-known addresses mean no usable DNS64 here.
            ++counters_.without_prefix;
            last_error_ = "no answer for " + options_.name + " holds 192.0.0.170 or 192.0.0.171 (" +
                          std::to_string(result->size()) + " AAAA)";
        }
    }
    if (found.empty()) {
        spdlog::warn("rfc7050 discovery name={} lookup failed retry_in={}ms error=\"{}\"",
                     options_.name, retry_delay_.count(), last_error_);
        schedule(retry_delay_);
        retry_delay_ = std::min(retry_delay_ * 2, options_.retry_max);
        return;
    }
    last_error_.clear();
    retry_delay_ = options_.retry_initial;
    prefixes_ = found;
    // Keep the prefix in use while DNS64 still reports it; otherwise take the first.
    net::Ipv6Prefix chosen = found.front();
    if (current_ && std::find(found.begin(), found.end(), current_->prefix) != found.end())
        chosen = current_->prefix;
    set_current(PlatPrefix{chosen, Clock::now() + options_.validity, describe(options_.name)});
    schedule(options_.refresh_interval);
}

void Rfc7050Discovery::schedule(std::chrono::milliseconds after) {
    next_lookup_ = Clock::now() + after;
    lookup_timer_.expires_after(after);
    lookup_timer_.async_wait([this](boost::system::error_code error) {
        if (!error) request_lookup();
    });
}

void Rfc7050Discovery::set_current(std::optional<PlatPrefix> next) {
    const bool changed =
        current_.has_value() != next.has_value() || (current_ && current_->prefix != next->prefix);
    current_ = std::move(next);
    arm_expiry();
    if (!changed) return;
    ++counters_.changes;
    if (current_)
        spdlog::info("rfc7050 discovery name={} prefix={} prefixes={}", options_.name,
                     current_->prefix.to_string(), prefixes_.size());
    else
        spdlog::info("rfc7050 discovery name={} prefix=none", options_.name);
    if (on_change_) on_change_(current_);
}

void Rfc7050Discovery::arm_expiry() {
    if (!current_) {
        expiry_timer_.cancel();
        return;
    }
    expiry_timer_.expires_at(current_->expires);
    expiry_timer_.async_wait([this](boost::system::error_code error) {
        if (error || !current_ || current_->expires > Clock::now()) return;
        ++counters_.expirations;
        spdlog::warn("rfc7050 discovery name={} prefix={} expired: no successful lookup for {}s",
                     options_.name, current_->prefix.to_string(), options_.validity.count());
        prefixes_.clear();
        set_current(std::nullopt);
    });
}

nlohmann::json Rfc7050Discovery::status() const {
    const auto now = Clock::now();
    nlohmann::json prefixes = nlohmann::json::array();
    for (const auto& prefix : prefixes_) prefixes.push_back(prefix.to_string());
    nlohmann::json status = {
        {"name", options_.name},
        {"prefixes", prefixes},
        {"last_error", last_error_.empty() ? nlohmann::json(nullptr) : nlohmann::json(last_error_)},
        {"lookup_in_flight", in_flight_},
        {"next_lookup_in_s",
         in_flight_
             ? nlohmann::json(nullptr)
             : nlohmann::json(std::max<std::int64_t>(
                   0,
                   std::chrono::duration_cast<std::chrono::seconds>(next_lookup_ - now).count()))},
        {"counters",
         {{"lookups", counters_.lookups},
          {"failures", counters_.failures},
          {"without_prefix", counters_.without_prefix},
          {"changes", counters_.changes},
          {"expirations", counters_.expirations}}}};
    if (current_) {
        status["prefix"] = current_->prefix.to_string();
        status["source"] = current_->source;
        status["expires_in_s"] = std::max<std::int64_t>(
            0, std::chrono::duration_cast<std::chrono::seconds>(current_->expires - now).count());
    } else {
        status["prefix"] = nullptr;
        status["source"] = nullptr;
        status["expires_in_s"] = nullptr;
    }
    return status;
}

}  // namespace sixgate::clat
