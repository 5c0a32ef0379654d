#pragma once
// `sixgate translate`: every record of a capture through the stateless translator (RFC 7915 4 and
// 5), as a router would forward it; what came out written as raw IP, and every outcome counted.
// Entry points: CaptureTranslator::run, TranslateSummary.

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "app/capture/capture_reader.hpp"
#include "app/capture/capture_writer.hpp"
#include "net/packet/packet_buffer.hpp"
#include "net/result.hpp"
#include "xlat/translation.hpp"
#include "xlat/translator_config.hpp"

namespace sixgate::app {

// Index by NotIpReason; slot 0 (none) stays zero.
inline constexpr std::size_t kNotIpReasonSlots = 4;

// What happened to the records of one capture. Every record read is exactly one of: translated,
// answered with an ICMP error, dropped (by reason), not IP, or truncated by the snap length.
struct TranslateSummary {
    std::string input;       // path
    std::string input_link;  // the input's link type, as libpcap names it ("EN10MB", "RAW"...)
    std::string output;      // path
    std::uint64_t records_read = 0;
    std::uint64_t records_written = 0;    // packets, fragments and ICMP errors
    std::uint64_t ipv4_to_ipv6 = 0;       // translated IPv4 packets
    std::uint64_t ipv6_to_ipv4 = 0;       // translated IPv6 packets
    std::uint64_t fragmented = 0;         // translated packets the translator had to fragment
    std::uint64_t fragments_written = 0;  // the fragments those became
    std::array<std::uint64_t, xlat::kDropReasonCount> icmp_errors{};  // sent back, by reason
    std::array<std::uint64_t, xlat::kDropReasonCount> dropped{};      // by xlat::DropReason
    std::array<std::uint64_t, kNotIpReasonSlots> not_ip{};            // by capture::NotIpReason
    std::uint64_t truncated_by_snaplen = 0;  // the capture holds only part of the packet
    bool complete = false;                   // the whole input was read and everything written

    std::uint64_t translated() const noexcept { return ipv4_to_ipv6 + ipv6_to_ipv4; }
    std::uint64_t icmp_errors_total() const noexcept;
    // Drops of every kind: translator drops, not-IP records and truncated records.
    std::uint64_t dropped_total() const noexcept;
};

// The translator and the buffers it works in, made once; run() reuses them for every record.
class CaptureTranslator {
public:
    explicit CaptureTranslator(xlat::TranslatorParts parts);

    // Reads `reader` to its end; writes each translated packet (each fragment a record), or the
    // ICMP error the translator sends back, with the input record's timestamp. `verbose`, when
    // set, gets one line per record. An error (naming the file) when a record cannot be read
    // (a truncated file) or written; `summary` then counts what was done up to there and
    // `complete` stays false.
    Result<void> run(capture::CaptureReader& reader, capture::CaptureWriter& writer,
                     TranslateSummary& summary, std::ostream* verbose = nullptr);

    const xlat::TranslatorParts& parts() const noexcept { return parts_; }

private:
    xlat::TranslatorParts parts_;
    std::unique_ptr<net::packet::PacketBuffer> buffer_;  // 64 KiB: on the heap, made once
    std::vector<std::byte> fragments_;                   // IPv4-to-IPv6 fragments land here
};

}  // namespace sixgate::app
