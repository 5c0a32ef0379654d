#include "app/capture/capture_writer.hpp"

#include <pcap/pcap.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <limits>
#include <system_error>
#include <utility>

namespace sixgate::app::capture {
namespace {

constexpr std::uint32_t kMaxNanoseconds = 999'999'999;

}  // namespace

void CaptureWriter::PcapClose::operator()(pcap* handle) const noexcept {
    pcap_close(handle);
}

void CaptureWriter::DumperClose::operator()(pcap_dumper* dumper) const noexcept {
    pcap_dump_close(dumper);
}

CaptureWriter::CaptureWriter(std::unique_ptr<pcap, PcapClose> handle,
                             std::unique_ptr<pcap_dumper, DumperClose> dumper, std::string path)
    : handle_(std::move(handle)), dumper_(std::move(dumper)), path_(std::move(path)) {}

Result<CaptureWriter> CaptureWriter::create(const std::string& path, CaptureFormat format) {
    if (format != CaptureFormat::pcap)
        return make_error(std::errc::not_supported, path + ": only pcap output is supported");

    // DLT_RAW is written as LINKTYPE_RAW (101): each record starts with the IP header.
    std::unique_ptr<pcap, PcapClose> handle(
        pcap_open_dead_with_tstamp_precision(DLT_RAW, kSnapLength, PCAP_TSTAMP_PRECISION_NANO));
    if (!handle) return make_error(std::errc::not_enough_memory, path + ": cannot set up libpcap");

    // Opened here rather than by pcap_dump_open so that errno tells missing from forbidden, and
    // so that "-" is a file name, not standard output.
    std::FILE* file = std::fopen(path.c_str(), "wb");
    if (file == nullptr) {
        const int error = errno;
        return Error{
            std::error_code(error, std::generic_category()),
            "cannot create capture " + path + ": " + std::generic_category().message(error)};
    }
    std::unique_ptr<pcap_dumper, DumperClose> dumper(pcap_dump_fopen(handle.get(), file));
    if (!dumper) {
        std::fclose(file);  // libpcap leaves it to the caller on failure
        return make_error(std::errc::io_error, "cannot write capture header to " + path + ": " +
                                                   pcap_geterr(handle.get()));
    }
    return CaptureWriter(std::move(handle), std::move(dumper), path);
}

Error CaptureWriter::write_error(int errno_value) const {
    return Error{
        std::error_code(errno_value, std::generic_category()),
        "cannot write capture " + path_ + ": " + std::generic_category().message(errno_value)};
}

Result<void> CaptureWriter::write(const CaptureTimestamp& timestamp,
                                  std::span<const std::byte> packet,
                                  std::uint32_t original_length) {
    if (!dumper_)
        return make_error(std::errc::bad_file_descriptor, path_ + ": written after close");
    if (write_errno_ != 0) return write_error(write_errno_);
    // The pcap record header holds unsigned 32-bit seconds.
    if (timestamp.seconds < 0 || timestamp.seconds > std::numeric_limits<std::uint32_t>::max() ||
        timestamp.nanoseconds > kMaxNanoseconds)
        return make_error(std::errc::invalid_argument,
                          path_ + ": record " + std::to_string(records_written_ + 1) +
                              ": timestamp " + std::to_string(timestamp.seconds) + "." +
                              std::to_string(timestamp.nanoseconds) +
                              " does not fit a pcap record");

    const auto size = static_cast<std::uint32_t>(
        std::min<std::size_t>(packet.size(), std::numeric_limits<std::uint32_t>::max()));
    pcap_pkthdr header{};
    header.ts.tv_sec = static_cast<time_t>(timestamp.seconds);
    header.ts.tv_usec = static_cast<suseconds_t>(timestamp.nanoseconds);  // nanosecond handle
    header.caplen = std::min(size, kSnapLength);
    header.len = std::max(original_length, size);
    // pcap_dump's signature is pcap_handler's: the dumper travels as u_char*.
    errno = 0;
    pcap_dump(reinterpret_cast<u_char*>(dumper_.get()), &header,
              reinterpret_cast<const u_char*>(packet.data()));

    // pcap_dump returns nothing: a failed write shows in the stdio stream's error flag.
    if (std::ferror(pcap_dump_file(dumper_.get())) != 0) {
        write_errno_ = errno != 0 ? errno : EIO;
        return write_error(write_errno_);
    }
    ++records_written_;
    return {};
}

Result<void> CaptureWriter::close() {
    if (!dumper_) return {};
    errno = 0;
    if (pcap_dump_flush(dumper_.get()) != 0 && write_errno_ == 0)
        write_errno_ = errno != 0 ? errno : EIO;
    if (std::ferror(pcap_dump_file(dumper_.get())) != 0 && write_errno_ == 0) write_errno_ = EIO;
    dumper_.reset();
    handle_.reset();
    if (write_errno_ != 0) return write_error(write_errno_);
    return {};
}

}  // namespace sixgate::app::capture
