#include "app/translate_run.hpp"

#include <numeric>
#include <utility>

#include "app/translate_report.hpp"
#include "xlat/ipv4_to_ipv6.hpp"
#include "xlat/ipv6_to_ipv4.hpp"

namespace sixgate::app {
namespace {

using capture::CaptureRecord;
using capture::IpVersion;
using capture::NotIpReason;
using net::packet::PacketBuffer;
using xlat::TranslationResult;
using xlat::Verdict;

// The most IPv4-to-IPv6 fragments take: the whole payload plus an IPv6 and a Fragment header for
// each of at most fragment_lengths.size() pieces.
constexpr std::size_t kFragmentsCapacity =
    PacketBuffer::kMaxPacket + std::tuple_size_v<decltype(TranslationResult::fragment_lengths)> *
                                   (xlat::kIpv6HeaderLength + xlat::kFragmentHeaderLength);

std::string verdict_text(const TranslationResult& result) {
    switch (result.verdict) {
        case Verdict::translated:
            if (result.fragment_count > 1)
                return "translated, " + std::to_string(result.fragment_count) + " fragments";
            return "translated";
        case Verdict::icmp_error:
            return "icmp error sent back (" + std::string(xlat::to_string(result.reason)) + ")";
        case Verdict::drop:
            break;
    }
    return "dropped: " + std::string(xlat::to_string(result.reason));
}

void print_line(std::ostream& out, std::uint64_t number, const std::string& in,
                const std::string& verdict, const std::string& result) {
    out << number << ": " << in << " => " << verdict;
    if (!result.empty()) out << " => " << result;
    out << '\n';
}

}  // namespace

std::uint64_t TranslateSummary::icmp_errors_total() const noexcept {
    return std::accumulate(icmp_errors.begin(), icmp_errors.end(), std::uint64_t{0});
}

std::uint64_t TranslateSummary::dropped_total() const noexcept {
    return std::accumulate(dropped.begin(), dropped.end(), std::uint64_t{0}) +
           std::accumulate(not_ip.begin(), not_ip.end(), std::uint64_t{0}) + truncated_by_snaplen;
}

CaptureTranslator::CaptureTranslator(xlat::TranslatorParts parts)
    : parts_(std::move(parts)),
      buffer_(std::make_unique<PacketBuffer>()),
      fragments_(kFragmentsCapacity) {}

Result<void> CaptureTranslator::run(capture::CaptureReader& reader, capture::CaptureWriter& writer,
                                    TranslateSummary& summary, std::ostream* verbose) {
    summary.input = reader.path();
    summary.input_link = reader.link_type_name();
    summary.output = writer.path();
    summary.complete = false;
    PacketBuffer& buffer = *buffer_;

    for (;;) {
        auto next = reader.next();
        if (!next) return next.error();
        if (!next->has_value()) break;
        const CaptureRecord& record = **next;
        ++summary.records_read;

        if (!record.is_ip()) {
            ++summary.not_ip[static_cast<std::size_t>(record.not_ip)];
            if (verbose)
                print_line(*verbose, record.number, "not IP",
                           "dropped: " + std::string(capture::to_string(record.not_ip)), {});
            continue;
        }
        if (record.truncated()) {
            // The capture's snap length cut the packet: translating part of it would invent a
            // different packet (lengths and checksums no longer agree).
            ++summary.truncated_by_snaplen;
            if (verbose)
                print_line(*verbose, record.number,
                           describe_packet(record.packet) + " (" +
                               std::to_string(record.packet.size()) + " of " +
                               std::to_string(record.original_length) + " bytes captured)",
                           "dropped: truncated_by_snaplen", {});
            continue;
        }

        const bool is_ipv4 = record.ip_version == IpVersion::v4;
        std::string in_text;
        if (verbose) in_text = describe_packet(record.packet);

        // Each record starts from a fresh buffer with the full headroom: no state from the last
        // translation is carried into this one.
        TranslationResult result;
        if (!buffer.assign(record.packet)) {
            // Longer than any IP packet can be (Total Length and Payload Length are 16 bits).
            result.verdict = Verdict::drop;
            result.reason =
                is_ipv4 ? xlat::DropReason::malformed_ipv4 : xlat::DropReason::malformed_ipv6;
        } else if (is_ipv4) {
            result =
                xlat::translate_ipv4_to_ipv6(buffer, fragments_, parts_.mapping, parts_.settings);
        } else {
            // RFC 6864 4.2 asks for an Identification unique per flow for a while: the record
            // number is, within 65536 records, and makes the output the same on every run.
            result = xlat::translate_ipv6_to_ipv4(buffer, parts_.mapping, parts_.settings,
                                                  static_cast<std::uint16_t>(record.number));
        }

        // Where the packets to write lie: 4to6 fragments in fragments_, 6to4 fragments back to
        // back in the buffer, everything else the buffer's packet.
        std::span<const std::byte> out = buffer.data();
        std::size_t pieces = 1;
        if (result.verdict == Verdict::drop) {
            pieces = 0;
            ++summary.dropped[static_cast<std::size_t>(result.reason)];
        } else if (result.verdict == Verdict::icmp_error) {
            ++summary.icmp_errors[static_cast<std::size_t>(result.reason)];
        } else {
            ++(is_ipv4 ? summary.ipv4_to_ipv6 : summary.ipv6_to_ipv4);
            if (result.fragment_count > 1) {
                pieces = result.fragment_count;
                ++summary.fragmented;
                summary.fragments_written += pieces;
                if (is_ipv4) out = std::span<const std::byte>(fragments_).first(result.length);
            }
        }

        std::size_t at = 0;
        std::string out_text;
        for (std::size_t i = 0; i < pieces; ++i) {
            const std::size_t length = pieces > 1 ? result.fragment_lengths[i] : out.size();
            const auto packet = out.subspan(at, length);
            if (verbose && i == 0) out_text = describe_packet(packet);
            auto written = writer.write(record.timestamp, packet);
            if (!written) return written.error();
            ++summary.records_written;
            at += length;
        }
        if (verbose) {
            if (pieces > 1)
                out_text += " + " + std::to_string(pieces - 1) +
                            (pieces == 2 ? " more fragment" : " more fragments");
            print_line(*verbose, record.number, in_text, verdict_text(result), out_text);
        }
    }
    summary.complete = true;
    return {};
}

}  // namespace sixgate::app
