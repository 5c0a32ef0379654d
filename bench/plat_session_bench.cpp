// The PLAT's session table on one thread: new UDP sessions per second (every call a new client
// transport address, so a BIB entry and a session each time), lookups of existing sessions from
// the IPv6 and the IPv4 side, and table memory per session. Issue 6 floors: >= 100,000 new UDP
// sessions/s on one core, <= 256 bytes per session.
#include <benchmark/benchmark.h>

#include <memory>
#include <vector>

#include "plat/session_table.hpp"

namespace sixgate::plat {
namespace {

constexpr std::uint32_t kPortsPerClient = 1024;

SessionTableConfig bench_config(std::uint32_t max_sessions) {
    SessionTableConfig config;
    config.pool4.push_back(Pool4Range{net::Ipv4Prefix::parse("192.0.2.0/24").value()});
    config.max_sessions = max_sessions;
    return config;
}

std::unique_ptr<SessionTable> make(std::uint32_t max_sessions) {
    return std::move(SessionTable::create(bench_config(max_sessions)).value());
}

// Flow i: client 2001:db8:b::/64 + (i / 1024), port 20000 + i % 1024, to 198.51.100.1:53.
Tuple6 flow(std::uint64_t i) {
    net::Ipv6Address::Bytes bytes{0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0b};
    const std::uint64_t host = i / kPortsPerClient + 1;
    for (int b = 0; b < 8; ++b) bytes[15 - b] = static_cast<std::uint8_t>(host >> (8 * b));
    return Tuple6{L4Protocol::udp,
                  {net::Ipv6Address(bytes), static_cast<std::uint16_t>(20000 + i % kPortsPerClient)},
                  {net::Ipv4Address(198, 51, 100, 1), 53}};
}

void BM_NewUdpSessions(benchmark::State& state) {
    constexpr std::uint64_t kRefill = 2'000'000;
    auto table = make(kRefill + 1);
    std::uint64_t i = 0;
    std::uint64_t refused = 0;
    for (auto _ : state) {
        if (i == kRefill) {
            state.PauseTiming();
            table = make(kRefill + 1);
            i = 0;
            state.ResumeTiming();
        }
        const Outcome6 out = table->from_ipv6(flow(i++), {}, 0);
        refused += out.verdict != StateVerdict::forward;
        benchmark::DoNotOptimize(out);
    }
    state.counters["sessions_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["refused"] = static_cast<double>(refused);
}
BENCHMARK(BM_NewUdpSessions);

constexpr std::uint64_t kFilled = 100'000;

void BM_LookupFromIpv6(benchmark::State& state) {
    auto table = make(kFilled + 1);
    for (std::uint64_t i = 0; i < kFilled; ++i) table->from_ipv6(flow(i), {}, 0);
    std::uint64_t i = 0;
    std::uint64_t missed = 0;
    for (auto _ : state) {
        const Outcome6 out = table->from_ipv6(flow(i), {}, 1);
        missed += out.verdict != StateVerdict::forward;
        i = i + 1 == kFilled ? 0 : i + 1;
        benchmark::DoNotOptimize(out);
    }
    state.counters["lookups_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["missed"] = static_cast<double>(missed);
    state.counters["new_sessions"] =
        static_cast<double>(table->counters().sessions() - kFilled);
}
BENCHMARK(BM_LookupFromIpv6);

void BM_LookupFromIpv4(benchmark::State& state) {
    auto table = make(kFilled + 1);
    std::vector<Tuple4> replies;
    replies.reserve(kFilled);
    for (std::uint64_t i = 0; i < kFilled; ++i) {
        const Tuple6 tuple = flow(i);
        const Outcome6 out = table->from_ipv6(tuple, {}, 0);
        replies.push_back(Tuple4{L4Protocol::udp, tuple.destination, out.source4});
    }
    std::size_t i = 0;
    std::uint64_t missed = 0;
    for (auto _ : state) {
        const Outcome4 in = table->from_ipv4(replies[i], {}, 1, {});
        missed += in.verdict != StateVerdict::forward;
        i = i + 1 == replies.size() ? 0 : i + 1;
        benchmark::DoNotOptimize(in);
    }
    state.counters["lookups_per_s"] =
        benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.counters["missed"] = static_cast<double>(missed);
}
BENCHMARK(BM_LookupFromIpv4);

// Fills 1,000,000 sessions, each with its own BIB entry (the worst case), then reports
// memory_bytes() / sessions; the timed part is the fill.
void BM_MemoryPerSession(benchmark::State& state) {
    constexpr std::uint64_t kSessions = 1'000'000;
    double per_session = 0;
    double sessions = 0;
    for (auto _ : state) {
        auto table = make(kSessions);
        for (std::uint64_t i = 0; i < kSessions; ++i) table->from_ipv6(flow(i), {}, 0);
        state.PauseTiming();
        sessions = static_cast<double>(table->counters().sessions());
        per_session = static_cast<double>(table->memory_bytes()) / sessions;
        table.reset();
        state.ResumeTiming();
    }
    state.counters["sessions"] = sessions;
    state.counters["bytes_per_session"] = per_session;
}
BENCHMARK(BM_MemoryPerSession)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace sixgate::plat
