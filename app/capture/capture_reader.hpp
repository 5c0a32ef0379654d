#pragma once
// Capture files for `sixgate translate`, read and written through libpcap (pcap and pcapng in).
// Entry points: CaptureReader::open and next(); CaptureWriter::create (capture_writer.hpp).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "net/result.hpp"

struct pcap;  // libpcap's pcap_t, kept out of this header

namespace sixgate::app::capture {

// When a record was captured: seconds since the epoch and nanoseconds (0..999'999'999).
// Microsecond captures read back with nanoseconds = microseconds * 1000.
struct CaptureTimestamp {
    std::int64_t seconds = 0;
    std::uint32_t nanoseconds = 0;

    friend bool operator==(const CaptureTimestamp&, const CaptureTimestamp&) = default;
};

enum class IpVersion : std::uint8_t { none = 0, v4 = 4, v6 = 6 };

// Why a record carries no IP packet: the caller counts these ("not_ip") and goes on.
enum class NotIpReason : std::uint8_t {
    none,             // the record carries an IP packet
    non_ip_protocol,  // EtherType, SLL protocol or loopback family other than IPv4/IPv6 (ARP...)
    link_header_truncated,  // the capture cut the record inside its link-layer header
    unknown_ip_version,     // a raw-IP record whose first nibble is neither 4 nor 6, or empty
};

// snake_case names, stable: usable as counter names.
std::string_view to_string(NotIpReason reason) noexcept;

// One record of a capture. `packet` points into a buffer the reader owns: valid until the next
// call to next() or the reader's end.
struct CaptureRecord {
    std::uint64_t number = 0;  // 1 for the first record of the file
    CaptureTimestamp timestamp;
    // The IP packet, link-layer header and (Ethernet) padding removed; empty when not IP.
    std::span<const std::byte> packet;
    // The IP packet's length on the wire. Larger than packet.size() when the capture's snap
    // length cut the record short.
    std::uint32_t original_length = 0;
    IpVersion ip_version = IpVersion::none;
    NotIpReason not_ip = NotIpReason::none;

    bool is_ip() const noexcept { return not_ip == NotIpReason::none; }
    bool truncated() const noexcept { return packet.size() < original_length; }
};

// Reads pcap and pcapng files through libpcap, nanosecond timestamps kept. Link types: raw IP
// (DLT_RAW, LINKTYPE_RAW 101, LINKTYPE_IPV4 228, LINKTYPE_IPV6 229), Ethernet (802.1Q, 802.1ad
// and 0x9100 VLAN tags skipped), Linux cooked v1 (113) and v2 (276), BSD loopback (NULL, LOOP).
// Move-only.
class CaptureReader {
public:
    // Errors name the path. Codes: no_such_file_or_directory, permission_denied, is_a_directory
    // (from the system); invalid_argument: empty or not a pcap/pcapng file; not_supported: a link
    // type this reader cannot strip (the message names it); io_error: unreadable header.
    static Result<CaptureReader> open(const std::string& path);

    // The next record, std::nullopt at the end of the file. An error (io_error, naming the path
    // and the record number) when the file is truncated or unreadable; reading then stops.
    Result<std::optional<CaptureRecord>> next();

    int link_type() const noexcept { return link_type_; }  // DLT_ value as libpcap maps it
    std::string link_type_name() const;                    // "EN10MB", "RAW", "LINUX_SLL2"...
    const std::string& path() const noexcept { return path_; }
    std::uint64_t records_read() const noexcept { return records_read_; }

private:
    struct PcapClose {
        void operator()(pcap* handle) const noexcept;
    };

    CaptureReader(std::unique_ptr<pcap, PcapClose> handle, std::string path, int link_type);

    std::unique_ptr<pcap, PcapClose> handle_;
    std::string path_;
    int link_type_ = 0;
    std::uint64_t records_read_ = 0;
    bool failed_ = false;
};

}  // namespace sixgate::app::capture
