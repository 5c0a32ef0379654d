#pragma once
// The CLAT's data path (DESIGN.md "The data path"): one run-to-completion thread per TUN queue,
// no Asio on it. Each thread reads a batch into buffers it allocated once, lets the version nibble
// pick the direction, translates in place (RFC 7915 through xlat/), and writes the result (every
// fragment, or the ICMP error) back into the same queue: the kernel forwards the IPv6 packets out
// of the uplink and delivers the IPv4 ones to the host. Drops are counted per thread and reason
// (relaxed atomics, summed on demand). No allocation, exception or log line per packet.
//
// The translator (mapping + settings) is an immutable object behind an atomic pointer: a PLAT
// prefix change swaps it without stopping the threads. Replaced objects are kept until the data
// path is destroyed (prefix changes are rare), so no thread can ever see a freed one.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <vector>

#include "config/config.hpp"
#include "net/ip_address.hpp"
#include "net/ip_prefix.hpp"
#include "net/result.hpp"
#include "net/tun/packet_io.hpp"
#include "net/tun/queue_threads.hpp"
#include "net/tun/tun_queue.hpp"
#include "net/unique_fd.hpp"
#include "xlat/address_mapping.hpp"
#include "xlat/translation.hpp"
#include "xlat/translator_config.hpp"

namespace sixgate::clat {

// Why the CLAT itself (before or instead of the translator) dropped a packet. snake_case names are
// stable counter names, next to xlat::DropReason's.
enum class ClatDropReason : std::uint8_t {
    // No PLAT prefix known yet (or it was withdrawn / expired). An IPv4 packet is answered with
    // ICMP Destination Unreachable, net unreachable, from the CLAT's own IPv4 address, so the
    // application fails at once instead of waiting for a timeout; an IPv6 one is dropped.
    plat_prefix_unknown,
    clat_address_unknown,      // the CLAT has no IPv6 address yet: the same as above
    foreign_ipv4_source,       // the IPv4 source is not the host's CLAT address (nor another EAM)
    foreign_ipv6_destination,  // the IPv6 destination is not the CLAT address (nor another EAM)
    ipv4_multicast,            // multicast or limited broadcast: nothing to translate it to
    ipv6_multicast,            // the kernel's own MLD/ND/RS on the TUN (expected, harmless)
    unknown_ip_version,        // neither 4 nor 6 in the first nibble, or an empty packet
};
inline constexpr std::size_t kClatDropReasonCount = 7;
std::string_view to_string(ClatDropReason reason) noexcept;

// Why no translator is installed.
enum class NotReady : std::uint8_t {
    clat_address_unknown,
    plat_prefix_unknown,
};

// The data path's counters, summed over its threads.
struct ClatDataPathCounters {
    std::uint64_t packets_read = 0;
    std::uint64_t translated_4to6 = 0;  // IPv4 packets translated (however many fragments)
    std::uint64_t translated_6to4 = 0;
    std::uint64_t fragments_4to6 = 0;  // IPv6 fragments written for IPv4 packets that needed them
    std::uint64_t fragments_6to4 = 0;
    std::uint64_t icmp_errors_to_ipv4 = 0;  // ICMPv4 errors written back to the host
    std::uint64_t icmp_errors_to_ipv6 = 0;  // ICMPv6 errors written back toward the IPv6 side
    std::uint64_t tun_read_errors = 0;
    std::uint64_t tun_write_errors = 0;
    std::array<std::uint64_t, xlat::kDropReasonCount> xlat_drops{};
    std::array<std::uint64_t, kClatDropReasonCount> clat_drops{};
    net::tun::TunQueueCounters tun;  // the TUN queues' own counters, summed

    std::uint64_t xlat_drop(xlat::DropReason reason) const noexcept {
        return xlat_drops[static_cast<std::size_t>(reason)];
    }
    std::uint64_t clat_drop(ClatDropReason reason) const noexcept {
        return clat_drops[static_cast<std::size_t>(reason)];
    }
};

// What the CLAT's translator is built from.
struct ClatTranslatorInputs {
    net::Ipv4Address host_ipv4{192, 0, 0, 1};      // clat.ipv4_address
    net::Ipv4Address own_ipv4{192, 0, 0, 2};       // clat_own_ipv4() or translation.ipv4_address
    net::Ipv6Address clat_ipv6;                    // the CLAT's dedicated address
    net::Ipv6Prefix plat_prefix;                   // pool6
    std::uint32_t uplink_mtu = xlat::kUnknownMtu;  // the IPv6 next-hop MTU
};

// make_translator(translation, plat_prefix, {host_ipv4/32 <-> clat_ipv6/128}) with the CLAT's
// own addresses (own_ipv4; clat_ipv6, the only address whose answers come back into the TUN) and
// settings: ipv6_next_hop_mtu = uplink MTU, lowest_ipv6_mtu and udp_zero_checksum from the
// config, TTL not decremented (see the DEVIATION in the .cpp).
Result<xlat::TranslatorParts> make_clat_translator(const config::TranslationConfig& translation,
                                                   const ClatTranslatorInputs& inputs);

struct ClatDataPathOptions {
    // The source of the ICMPv4 errors sent while no translator is installed (clat_own_ipv4).
    net::Ipv4Address own_ipv4{192, 0, 0, 2};
    std::size_t batch = 32;  // packets per read; each buffer is 64 KiB + headroom
};

class ClatDataPath {
public:
    // Starts one thread per queue; each queue is served by its thread only and must outlive the
    // data path. Until set_translator(), packets are handled as NotReady::clat_address_unknown.
    static Result<std::unique_ptr<ClatDataPath>> start(std::vector<net::tun::PacketIo*> queues,
                                                       ClatDataPathOptions options = {});
    ~ClatDataPath();  // stop()
    ClatDataPath(const ClatDataPath&) = delete;
    ClatDataPath& operator=(const ClatDataPath&) = delete;

    // Control plane: installs a new translator; the threads pick it up at their next batch.
    void set_translator(xlat::TranslatorParts parts);
    // Removes the translator: packets are handled as `why` says until the next set_translator.
    void clear_translator(NotReady why);
    bool has_translator() const noexcept {
        return current_.load(std::memory_order_acquire) != nullptr;
    }
    std::uint64_t translator_changes() const noexcept {
        return changes_.load(std::memory_order_relaxed);
    }

    // Wakes every thread through its stop eventfd and joins it. Idempotent.
    void stop();

    std::size_t thread_count() const noexcept { return workers_.size(); }
    ClatDataPathCounters counters() const;

private:
    struct Translator;
    struct Worker;

    ClatDataPath(ClatDataPathOptions options, xlat::AddressMapping error_mapping);

    ClatDataPathOptions options_;
    // For the Net Unreachable answers while there is no translator: only its own_ipv4 is used.
    xlat::AddressMapping error_mapping_;
    std::atomic<const Translator*> current_{nullptr};
    std::atomic<std::uint8_t> not_ready_{static_cast<std::uint8_t>(NotReady::clat_address_unknown)};
    std::atomic<std::uint64_t> changes_{0};
    std::mutex translators_mutex_;  // control plane only
    std::vector<std::unique_ptr<const Translator>>
        translators_;  // every one installed, until destruction
    std::vector<std::unique_ptr<Worker>> workers_;
    net::tun::QueueThreads threads_;  // after workers_: stopped and joined before they go
};

}  // namespace sixgate::clat
