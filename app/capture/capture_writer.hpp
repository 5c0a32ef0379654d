#pragma once
// Capture files for `sixgate translate`, written through libpcap: raw IP, nanosecond timestamps.
// Entry points: CaptureWriter::create, write() and close(); the reader is in capture_reader.hpp.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "app/capture/capture_reader.hpp"
#include "net/result.hpp"

struct pcap;         // libpcap's pcap_t
struct pcap_dumper;  // libpcap's pcap_dumper_t

namespace sixgate::app::capture {

// pcap only: libpcap 1.10 (Debian 12) reads pcapng but has no pcapng writer.
enum class CaptureFormat : std::uint8_t { pcap };

// Writes LINKTYPE_RAW captures (IPv4 and IPv6 packets, no link header) with nanosecond
// timestamps (magic 0xa1b23c4d), snap length 262144. Move-only; the destructor closes the file,
// dropping any error: call close() to learn of one.
class CaptureWriter {
public:
    static constexpr std::uint32_t kSnapLength = 262144;

    // Creates or truncates `path`. Errors name the path: no_such_file_or_directory,
    // permission_denied, is_a_directory... (from the system), io_error when the header cannot be
    // written.
    static Result<CaptureWriter> create(const std::string& path,
                                        CaptureFormat format = CaptureFormat::pcap);

    // One record. `original_length` is the packet's length on the wire when `packet` is a
    // truncated copy (0: packet.size()). Packets longer than kSnapLength are cut to it, keeping
    // their original length. Errors: invalid_argument for a timestamp the format cannot hold
    // (seconds outside 0..2^32-1, nanoseconds over 999'999'999); a write error
    // (no_space_on_device...) once the file reports one; bad_file_descriptor after close(). No
    // allocation on success.
    Result<void> write(const CaptureTimestamp& timestamp, std::span<const std::byte> packet,
                       std::uint32_t original_length = 0);

    // Flushes and closes; reports a write error (disk full...) that happened on the way. Further
    // calls to close() succeed and do nothing.
    Result<void> close();

    const std::string& path() const noexcept { return path_; }
    std::uint64_t records_written() const noexcept { return records_written_; }

    CaptureWriter(CaptureWriter&&) noexcept = default;
    CaptureWriter& operator=(CaptureWriter&&) noexcept = default;
    ~CaptureWriter() = default;

private:
    struct PcapClose {
        void operator()(pcap* handle) const noexcept;
    };
    struct DumperClose {
        void operator()(pcap_dumper* dumper) const noexcept;
    };

    CaptureWriter(std::unique_ptr<pcap, PcapClose> handle,
                  std::unique_ptr<pcap_dumper, DumperClose> dumper, std::string path);

    Error write_error(int errno_value) const;

    std::unique_ptr<pcap, PcapClose> handle_;
    std::unique_ptr<pcap_dumper, DumperClose> dumper_;
    std::string path_;
    std::uint64_t records_written_ = 0;
    int write_errno_ = 0;  // the first write error seen, reported by write() and close()
};

}  // namespace sixgate::app::capture
