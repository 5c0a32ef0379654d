#include "clat/clat_data_path.hpp"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <system_error>

#include "net/byte_order.hpp"
#include "net/packet/ipv4_view.hpp"
#include "net/packet/packet_buffer.hpp"
#include "xlat/icmp4_error.hpp"
#include "xlat/icmp_mapping.hpp"
#include "xlat/ipv4_to_ipv6.hpp"
#include "xlat/ipv6_to_ipv4.hpp"
#include "xlat/mtu.hpp"

namespace sixgate::clat {

using net::packet::PacketBuffer;
using net::tun::PacketIo;
using net::tun::WriteOutcome;
using xlat::TranslationResult;
using xlat::Verdict;

namespace {

using Counter = std::atomic<std::uint64_t>;

// Only the owning thread writes a counter, so a relaxed load and store (no locked
// read-modify-write) is enough; readers see a recent value.
inline void bump(Counter& counter, std::uint64_t by = 1) noexcept {
    counter.store(counter.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
}

inline std::uint64_t read(const Counter& counter) noexcept {
    return counter.load(std::memory_order_relaxed);
}

// 65535 bytes of IPv4 payload cut for lowest-ipv6-mtu 1280 (1232 per fragment) make at most 54
// fragments of 48 header bytes each on top of the payload.
constexpr std::size_t kFragmentArea = 65536 + 64 * 48;

}  // namespace

std::string_view to_string(ClatDropReason reason) noexcept {
    switch (reason) {
        case ClatDropReason::plat_prefix_unknown:
            return "plat_prefix_unknown";
        case ClatDropReason::clat_address_unknown:
            return "clat_address_unknown";
        case ClatDropReason::foreign_ipv4_source:
            return "foreign_ipv4_source";
        case ClatDropReason::foreign_ipv6_destination:
            return "foreign_ipv6_destination";
        case ClatDropReason::ipv4_multicast:
            return "ipv4_multicast";
        case ClatDropReason::ipv6_multicast:
            return "ipv6_multicast";
        case ClatDropReason::unknown_ip_version:
            return "unknown_ip_version";
    }
    return "unknown";
}

Result<xlat::TranslatorParts> make_clat_translator(const config::TranslationConfig& translation,
                                                   const ClatTranslatorInputs& inputs) {
    config::TranslationConfig own = translation;
    own.ipv4_address.set(inputs.own_ipv4, config::Origin::derived, "clat");
    own.ipv6_address.set(inputs.clat_ipv6, config::Origin::derived, "clat");
    // RFC 6877 6.3 / RFC 7757: the host's IPv4 address <-> the CLAT's IPv6 address, first.
    const config::EamEntry host{net::Ipv4Prefix(inputs.host_ipv4, 32),
                                net::Ipv6Prefix(inputs.clat_ipv6, 128)};
    auto parts = xlat::make_translator(own, inputs.plat_prefix, std::span(&host, 1));
    if (!parts) return parts.error();
    parts->settings.ipv6_next_hop_mtu = inputs.uplink_mtu;
    // DEVIATION(RFC 7915 4.1, 5.1): the CLAT does not decrement TTL / hop limit. It is part of
    // the host, not a router hop, and the kernel already decrements the hop limit once when it
    // forwards the translated packet between TUN and uplink; a second decrement would count the
    // host as two hops (a TTL-1 probe is answered by the kernel, as for any first hop).
    parts->settings.decrement_ttl = false;
    return parts;
}

struct ClatDataPath::Translator {
    xlat::AddressMapping mapping;
    xlat::TranslatorSettings settings;
};

// One thread's state: everything it touches per packet was allocated at start.
struct alignas(64) ClatDataPath::Worker {
    Worker(ClatDataPath& owner, PacketIo& io, std::size_t batch_size)
        : owner(owner), io(io), tun_queue(dynamic_cast<net::tun::TunQueue*>(&io)) {
        storage.reserve(batch_size);
        batch.reserve(batch_size);
        for (std::size_t i = 0; i < batch_size; ++i) {
            storage.push_back(std::make_unique<PacketBuffer>());
            batch.push_back(storage.back().get());
        }
        out = std::make_unique<PacketBuffer>();
        fragments.resize(kFragmentArea);
    }

    void run() noexcept;
    void handle(PacketBuffer& buffer, const Translator* translator) noexcept;
    void handle_ipv4(PacketBuffer& buffer, const Translator* translator) noexcept;
    void handle_ipv6(PacketBuffer& buffer, const Translator* translator) noexcept;
    void not_ready_ipv4(PacketBuffer& buffer) noexcept;
    void count_result(const TranslationResult& result) noexcept;
    void write(const PacketBuffer& packet) noexcept;
    void write_part(std::span<const std::byte> bytes) noexcept;
    ClatDropReason not_ready_reason() const noexcept {
        return static_cast<NotReady>(owner.not_ready_.load(std::memory_order_relaxed)) ==
                       NotReady::plat_prefix_unknown
                   ? ClatDropReason::plat_prefix_unknown
                   : ClatDropReason::clat_address_unknown;
    }
    void drop(ClatDropReason reason) noexcept {
        bump(clat_drops[static_cast<std::size_t>(reason)]);
    }

    ClatDataPath& owner;
    PacketIo& io;
    net::tun::TunQueue* tun_queue;  // the same object when it is a real TUN queue: its counters
    std::vector<std::unique_ptr<PacketBuffer>> storage;
    std::vector<PacketBuffer*> batch;
    std::unique_ptr<PacketBuffer> out;  // one fragment at a time is copied here to be written
    std::vector<std::byte> fragments;   // translate_ipv4_to_ipv6 writes its fragments here
    std::uint16_t identification = 0;   // RFC 7915 5.1 / RFC 6864: per thread, per packet

    Counter packets_read{0};
    Counter translated_4to6{0};
    Counter translated_6to4{0};
    Counter fragments_4to6{0};
    Counter fragments_6to4{0};
    Counter icmp_errors_to_ipv4{0};
    Counter icmp_errors_to_ipv6{0};
    Counter tun_read_errors{0};
    Counter tun_write_errors{0};
    std::array<Counter, xlat::kDropReasonCount> xlat_drops{};
    std::array<Counter, kClatDropReasonCount> clat_drops{};
    net::tun::PublishedTunQueueCounters tun_counters;  // refreshed after every batch
};

void ClatDataPath::Worker::run() noexcept {
    pollfd fds[2] = {{io.readable_fd(), POLLIN, 0}, {owner.threads_.stop_fd(), POLLIN, 0}};
    while (!owner.threads_.stopping()) {
        const net::tun::ReadResult read_result = io.read_batch(batch);
        bump(packets_read, read_result.packets);
        if (read_result.packets > 0) {
            // One load per batch: a swapped translator applies from the next batch on.
            const Translator* translator = owner.current_.load(std::memory_order_acquire);
            for (std::size_t i = 0; i < read_result.packets; ++i) handle(*batch[i], translator);
        }
        if (tun_queue) tun_counters.publish(tun_queue->counters());
        if (read_result.error != 0) {
            bump(tun_read_errors);
            // A failing queue polls readable at once: wait on the stop event alone for a while
            // instead of spinning.
            pollfd stop_only{owner.threads_.stop_fd(), POLLIN, 0};
            (void)::poll(&stop_only, 1, 100);
            continue;
        }
        if (read_result.packets == batch.size()) continue;  // more may be waiting
        fds[0].revents = fds[1].revents = 0;
        if (::poll(fds, 2, -1) < 0 && errno != EINTR) {
            pollfd stop_only{owner.threads_.stop_fd(), POLLIN, 0};
            (void)::poll(&stop_only, 1, 100);
        }
        if (fds[1].revents != 0) break;
    }
}

void ClatDataPath::Worker::handle(PacketBuffer& buffer, const Translator* translator) noexcept {
    if (buffer.empty()) return drop(ClatDropReason::unknown_ip_version);
    switch (std::to_integer<unsigned>(buffer.data()[0]) >> 4) {
        case 4:
            return handle_ipv4(buffer, translator);
        case 6:
            return handle_ipv6(buffer, translator);
        default:
            return drop(ClatDropReason::unknown_ip_version);
    }
}

void ClatDataPath::Worker::handle_ipv4(PacketBuffer& buffer,
                                       const Translator* translator) noexcept {
    const auto bytes = buffer.data();
    if (bytes.size() >= 20) {
        // Multicast 224.0.0.0/4 and the limited broadcast have no IPv6 unicast equivalent: the
        // kernel routes e.g. mDNS into the default route, i.e. here.
        const std::uint32_t destination = net::load_be32(bytes, 16);
        if ((destination >> 28) == 0xe || destination == 0xffffffffu)
            return drop(ClatDropReason::ipv4_multicast);
    }
    if (!translator) return not_ready_ipv4(buffer);
    // RFC 6877 6.3: the CLAT translates the host's own IPv4 address (the EAM to its dedicated
    // IPv6 address) and nothing else; another source would be sent out under the PLAT prefix.
    if (bytes.size() >= 20 &&
        !translator->mapping.eam().find_ipv4(net::Ipv4Address(net::load_be32(bytes, 12))))
        return drop(ClatDropReason::foreign_ipv4_source);
    const TranslationResult result =
        xlat::translate_ipv4_to_ipv6(buffer, fragments, translator->mapping, translator->settings);
    count_result(result);
    switch (result.verdict) {
        case Verdict::translated:
            bump(translated_4to6);
            if (result.fragment_count <= 1) return write(buffer);
            bump(fragments_4to6, result.fragment_count);
            for (std::size_t i = 0, at = 0; i < result.fragment_count; ++i) {
                write_part(
                    std::span<const std::byte>(fragments).subspan(at, result.fragment_lengths[i]));
                at += result.fragment_lengths[i];
            }
            return;
        case Verdict::icmp_error:
            bump(icmp_errors_to_ipv4);
            return write(buffer);
        case Verdict::drop:
            return;
    }
}

void ClatDataPath::Worker::handle_ipv6(PacketBuffer& buffer,
                                       const Translator* translator) noexcept {
    const auto bytes = buffer.data();
    if (bytes.size() >= 40 && std::to_integer<std::uint8_t>(bytes[24]) == 0xff)
        return drop(ClatDropReason::ipv6_multicast);
    if (!translator) return drop(not_ready_reason());
    if (bytes.size() >= 40) {
        net::Ipv6Address::Bytes destination{};
        std::memcpy(destination.data(), bytes.data() + 24, destination.size());
        if (!translator->mapping.eam().find_ipv6(net::Ipv6Address(destination)))
            return drop(ClatDropReason::foreign_ipv6_destination);
    }
    const TranslationResult result = xlat::translate_ipv6_to_ipv4(
        buffer, translator->mapping, translator->settings, identification++);
    count_result(result);
    switch (result.verdict) {
        case Verdict::translated:
            bump(translated_6to4);
            if (result.fragment_count <= 1) return write(buffer);
            bump(fragments_6to4, result.fragment_count);
            for (std::size_t i = 0, at = 0; i < result.fragment_count; ++i) {
                write_part(buffer.data().subspan(at, result.fragment_lengths[i]));
                at += result.fragment_lengths[i];
            }
            return;
        case Verdict::icmp_error:
            bump(icmp_errors_to_ipv6);
            return write(buffer);
        case Verdict::drop:
            return;
    }
}

void ClatDataPath::Worker::not_ready_ipv4(PacketBuffer& buffer) noexcept {
    drop(not_ready_reason());
    const auto view = net::packet::Ipv4View::parse(buffer.data());
    if (!view || !view->header_checksum_valid()) return;
    // RFC 792 / RFC 1812 5.2.7.1: no route to the destination network. build_icmp4_error refuses
    // what RFC 1812 4.3.2.7 forbids (errors about errors, non-first fragments, ...).
    const xlat::Icmp4Error error{xlat::icmp4::kDestinationUnreachable, 0, 0};
    if (!xlat::build_icmp4_error(buffer, *view, error, owner.error_mapping_)) return;
    bump(icmp_errors_to_ipv4);
    write(buffer);
}

void ClatDataPath::Worker::count_result(const TranslationResult& result) noexcept {
    if (result.verdict != Verdict::translated)
        bump(xlat_drops[static_cast<std::size_t>(result.reason)]);
}

void ClatDataPath::Worker::write(const PacketBuffer& packet) noexcept {
    if (io.write(packet) != WriteOutcome::kWritten) bump(tun_write_errors);
}

void ClatDataPath::Worker::write_part(std::span<const std::byte> bytes) noexcept {
    if (!out->assign(bytes)) {
        bump(tun_write_errors);
        return;
    }
    write(*out);
}

ClatDataPath::ClatDataPath(ClatDataPathOptions options, xlat::AddressMapping error_mapping)
    : options_(options), error_mapping_(std::move(error_mapping)) {}

Result<std::unique_ptr<ClatDataPath>> ClatDataPath::start(std::vector<PacketIo*> queues,
                                                          ClatDataPathOptions options) {
    if (queues.empty()) return make_error(std::errc::invalid_argument, "clat data path: no queues");
    if (options.batch == 0) options.batch = 1;
    // Only own_ipv4 matters for the errors; the well-known prefix just makes the mapping valid.
    xlat::AddressMappingConfig error_config;
    error_config.pool6 = xlat::Rfc6052Prefix::well_known();
    error_config.own_ipv4 = options.own_ipv4;
    auto error_mapping = xlat::AddressMapping::create(std::move(error_config));
    if (!error_mapping) return error_mapping.error();

    std::unique_ptr<ClatDataPath> path(new ClatDataPath(options, std::move(*error_mapping)));
    if (auto opened = path->threads_.open("clat"); !opened) return opened.error();
    for (PacketIo* io : queues)
        path->workers_.push_back(std::make_unique<Worker>(*path, *io, options.batch));
    auto started = path->threads_.start("clat", path->workers_.size(),
                                        [workers = &path->workers_](std::size_t i) { (*workers)[i]->run(); });
    if (!started) return started.error();
    return path;
}

ClatDataPath::~ClatDataPath() {
    stop();
}

void ClatDataPath::stop() {
    threads_.stop();
}

void ClatDataPath::set_translator(xlat::TranslatorParts parts) {
    auto translator =
        std::make_unique<const Translator>(Translator{std::move(parts.mapping), parts.settings});
    const std::lock_guard lock(translators_mutex_);
    current_.store(translator.get(), std::memory_order_release);
    translators_.push_back(std::move(translator));
    changes_.fetch_add(1, std::memory_order_relaxed);
}

void ClatDataPath::clear_translator(NotReady why) {
    const std::lock_guard lock(translators_mutex_);
    not_ready_.store(static_cast<std::uint8_t>(why), std::memory_order_relaxed);
    current_.store(nullptr, std::memory_order_release);
    changes_.fetch_add(1, std::memory_order_relaxed);
}

ClatDataPathCounters ClatDataPath::counters() const {
    ClatDataPathCounters sum;
    for (const auto& w : workers_) {
        sum.packets_read += read(w->packets_read);
        sum.translated_4to6 += read(w->translated_4to6);
        sum.translated_6to4 += read(w->translated_6to4);
        sum.fragments_4to6 += read(w->fragments_4to6);
        sum.fragments_6to4 += read(w->fragments_6to4);
        sum.icmp_errors_to_ipv4 += read(w->icmp_errors_to_ipv4);
        sum.icmp_errors_to_ipv6 += read(w->icmp_errors_to_ipv6);
        sum.tun_read_errors += read(w->tun_read_errors);
        sum.tun_write_errors += read(w->tun_write_errors);
        for (std::size_t i = 0; i < xlat::kDropReasonCount; ++i)
            sum.xlat_drops[i] += read(w->xlat_drops[i]);
        for (std::size_t i = 0; i < kClatDropReasonCount; ++i)
            sum.clat_drops[i] += read(w->clat_drops[i]);
        w->tun_counters.add_to(sum.tun);
    }
    return sum;
}

}  // namespace sixgate::clat
