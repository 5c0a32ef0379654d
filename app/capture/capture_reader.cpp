#include "app/capture/capture_reader.hpp"

#include <pcap/pcap.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>
#include <utility>

namespace sixgate::app::capture {
namespace {

// libpcap maps the file's LINKTYPE_ values to these DLT_ values; where a platform's DLT_ differs
// from the LINKTYPE_ (DLT_RAW is 12 or 14, LINKTYPE_RAW 101), pcap_datalink() reports the DLT_.
#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeIpv6 = 0x86DD;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;     // IEEE 802.1Q customer tag
constexpr std::uint16_t kEtherTypeQinQ = 0x88A8;     // IEEE 802.1ad service tag
constexpr std::uint16_t kEtherTypeOldQinQ = 0x9100;  // pre-802.1ad QinQ, still seen in captures
constexpr std::size_t kEthernetHeader = 14;
constexpr std::size_t kVlanTag = 4;
constexpr std::size_t kSllHeader = 16;   // protocol at offset 14
constexpr std::size_t kSll2Header = 20;  // protocol at offset 0
constexpr std::size_t kLoopbackHeader = 4;

// Address families in DLT_NULL/DLT_LOOP headers. IPv6 has one value per BSD family, as written by
// the system that captured: NetBSD/OpenBSD/BSD/OS 24, FreeBSD/DragonFly 28, Darwin 30.
constexpr std::uint32_t kBsdAfInet = 2;
constexpr std::uint32_t kBsdAfInet6Bsd = 24;
constexpr std::uint32_t kBsdAfInet6FreeBsd = 28;
constexpr std::uint32_t kBsdAfInet6Darwin = 30;

std::uint16_t load_be16(const std::byte* at) noexcept {
    std::uint8_t bytes[2];
    std::memcpy(bytes, at, sizeof bytes);
    return static_cast<std::uint16_t>(bytes[0] << 8 | bytes[1]);
}

std::uint32_t load_be32(const std::byte* at) noexcept {
    std::uint8_t bytes[4];
    std::memcpy(bytes, at, sizeof bytes);
    return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
           std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[3]};
}

std::uint32_t byte_swap32(std::uint32_t value) noexcept {
    return (value >> 24) | ((value >> 8) & 0xFF00) | ((value << 8) & 0xFF0000) | (value << 24);
}

IpVersion version_of_ether_type(std::uint16_t ether_type) noexcept {
    if (ether_type == kEtherTypeIpv4) return IpVersion::v4;
    if (ether_type == kEtherTypeIpv6) return IpVersion::v6;
    return IpVersion::none;
}

// Where the IP packet starts in a frame, and its version, per link type.
struct LinkPayload {
    std::size_t offset = 0;
    IpVersion version = IpVersion::none;
    NotIpReason not_ip = NotIpReason::none;
    bool may_be_padded = false;  // link layers with a minimum frame size pad short packets
};

LinkPayload strip_ethernet(std::span<const std::byte> frame) noexcept {
    if (frame.size() < kEthernetHeader)
        return {0, IpVersion::none, NotIpReason::link_header_truncated};
    std::size_t offset = kEthernetHeader;
    std::uint16_t ether_type = load_be16(frame.data() + 12);
    // Any number of stacked tags: each is 2 bytes of tag control, then the next EtherType.
    while (ether_type == kEtherTypeVlan || ether_type == kEtherTypeQinQ ||
           ether_type == kEtherTypeOldQinQ) {
        if (frame.size() < offset + kVlanTag)
            return {0, IpVersion::none, NotIpReason::link_header_truncated};
        ether_type = load_be16(frame.data() + offset + 2);
        offset += kVlanTag;
    }
    const IpVersion version = version_of_ether_type(ether_type);
    if (version == IpVersion::none) return {0, version, NotIpReason::non_ip_protocol};
    return {offset, version, NotIpReason::none, true};
}

LinkPayload strip_cooked(std::span<const std::byte> frame, std::size_t header_size,
                         std::size_t protocol_offset) noexcept {
    if (frame.size() < header_size) return {0, IpVersion::none, NotIpReason::link_header_truncated};
    const IpVersion version = version_of_ether_type(load_be16(frame.data() + protocol_offset));
    if (version == IpVersion::none) return {0, version, NotIpReason::non_ip_protocol};
    return {header_size, version, NotIpReason::none, true};
}

// DLT_NULL carries the family in the capturing host's byte order, DLT_LOOP in network order.
LinkPayload strip_loopback(std::span<const std::byte> frame, bool network_order) noexcept {
    if (frame.size() < kLoopbackHeader)
        return {0, IpVersion::none, NotIpReason::link_header_truncated};
    std::uint32_t family = load_be32(frame.data());
    // Families are small numbers: a value with its high half set was written little-endian.
    if (!network_order && (family & 0xFFFF0000U) != 0) family = byte_swap32(family);
    if (family == kBsdAfInet) return {kLoopbackHeader, IpVersion::v4, NotIpReason::none};
    if (family == kBsdAfInet6Bsd || family == kBsdAfInet6FreeBsd || family == kBsdAfInet6Darwin)
        return {kLoopbackHeader, IpVersion::v6, NotIpReason::none};
    return {0, IpVersion::none, NotIpReason::non_ip_protocol};
}

LinkPayload strip_raw(std::span<const std::byte> frame) noexcept {
    if (frame.empty()) return {0, IpVersion::none, NotIpReason::unknown_ip_version};
    const auto nibble = std::to_integer<unsigned>(frame[0]) >> 4;
    if (nibble == 4) return {0, IpVersion::v4, NotIpReason::none};
    if (nibble == 6) return {0, IpVersion::v6, NotIpReason::none};
    return {0, IpVersion::none, NotIpReason::unknown_ip_version};
}

bool is_supported(int link_type) noexcept {
    switch (link_type) {
        case DLT_RAW:
        case DLT_IPV4:
        case DLT_IPV6:
        case DLT_EN10MB:
        case DLT_LINUX_SLL:
        case DLT_LINUX_SLL2:
        case DLT_NULL:
        case DLT_LOOP:
            return true;
        default:
            return false;
    }
}

LinkPayload strip_link_header(int link_type, std::span<const std::byte> frame) noexcept {
    switch (link_type) {
        case DLT_EN10MB:
            return strip_ethernet(frame);
        case DLT_LINUX_SLL:
            return strip_cooked(frame, kSllHeader, 14);
        case DLT_LINUX_SLL2:
            return strip_cooked(frame, kSll2Header, 0);
        case DLT_NULL:
            return strip_loopback(frame, false);
        case DLT_LOOP:
            return strip_loopback(frame, true);
        case DLT_IPV4:
            return {0, IpVersion::v4, NotIpReason::none};
        case DLT_IPV6:
            return {0, IpVersion::v6, NotIpReason::none};
        default:  // DLT_RAW: the version is in the packet
            return strip_raw(frame);
    }
}

// The length the IP header declares, when it is readable and shorter than what the frame
// carried: the rest is link-layer padding (Ethernet pads frames to 60 bytes). 0 otherwise.
std::uint32_t declared_ip_length(IpVersion version, std::span<const std::byte> ip,
                                 std::uint32_t wire_length) noexcept {
    if (version == IpVersion::v4 && ip.size() >= 4) {
        const std::uint32_t total_length = load_be16(ip.data() + 2);
        if (total_length >= 20 && total_length < wire_length) return total_length;
    } else if (version == IpVersion::v6 && ip.size() >= 6) {
        const std::uint32_t payload_length = load_be16(ip.data() + 4);
        // Payload length 0 is a jumbogram (RFC 2675): its length is elsewhere; keep it whole.
        if (payload_length != 0 && 40 + payload_length < wire_length) return 40 + payload_length;
    }
    return 0;
}

std::string datalink_name(int link_type) {
    const char* name = pcap_datalink_val_to_name(link_type);
    return name != nullptr ? std::string(name) : "DLT " + std::to_string(link_type);
}

Error system_error(int errno_value, const std::string& what) {
    return Error{std::error_code(errno_value, std::generic_category()),
                 what + ": " + std::generic_category().message(errno_value)};
}

}  // namespace

std::string_view to_string(NotIpReason reason) noexcept {
    switch (reason) {
        case NotIpReason::none:
            return "none";
        case NotIpReason::non_ip_protocol:
            return "non_ip_protocol";
        case NotIpReason::link_header_truncated:
            return "link_header_truncated";
        case NotIpReason::unknown_ip_version:
            return "unknown_ip_version";
    }
    return "unknown";
}

void CaptureReader::PcapClose::operator()(pcap* handle) const noexcept {
    pcap_close(handle);
}

CaptureReader::CaptureReader(std::unique_ptr<pcap, PcapClose> handle, std::string path,
                             int link_type)
    : handle_(std::move(handle)), path_(std::move(path)), link_type_(link_type) {}

Result<CaptureReader> CaptureReader::open(const std::string& path) {
    // Opened here rather than by pcap_open_offline so that errno tells missing from forbidden.
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) return system_error(errno, "cannot open capture " + path);

    struct stat status {};
    if (::fstat(::fileno(file), &status) != 0) {
        const int error = errno;
        std::fclose(file);
        return system_error(error, "cannot open capture " + path);
    }
    if (S_ISDIR(status.st_mode)) {
        std::fclose(file);
        return system_error(EISDIR, "cannot open capture " + path);
    }
    if (S_ISREG(status.st_mode) && status.st_size == 0) {
        std::fclose(file);
        return make_error(std::errc::invalid_argument,
                          path + ": empty file, not a pcap or pcapng capture");
    }

    char errbuf[PCAP_ERRBUF_SIZE] = {};
    pcap_t* raw =
        pcap_fopen_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, errbuf);
    if (raw == nullptr) {
        // On failure libpcap leaves the FILE to its caller.
        const bool read_failed = std::ferror(file) != 0;
        std::fclose(file);
        if (read_failed)
            return make_error(std::errc::io_error, path + ": cannot read capture: " + errbuf);
        return make_error(std::errc::invalid_argument,
                          path + ": not a pcap or pcapng capture (libpcap: " + errbuf + ")");
    }
    std::unique_ptr<pcap, PcapClose> handle(raw);  // owns the FILE from here on

    const int link_type = pcap_datalink(raw);
    if (!is_supported(link_type)) {
        const char* description = pcap_datalink_val_to_description(link_type);
        return make_error(
            std::errc::not_supported,
            path + ": link type " + datalink_name(link_type) +
                (description != nullptr ? std::string(" (") + description + ")" : std::string()) +
                " is not supported; sixgate reads raw IP, Ethernet, Linux cooked (SLL, SLL2) and "
                "BSD loopback captures");
    }
    return CaptureReader(std::move(handle), path, link_type);
}

std::string CaptureReader::link_type_name() const {
    return datalink_name(link_type_);
}

Result<std::optional<CaptureRecord>> CaptureReader::next() {
    if (failed_)
        return make_error(std::errc::io_error, path_ + ": reading stopped at an earlier error");

    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int status = pcap_next_ex(handle_.get(), &header, &data);
    if (status == PCAP_ERROR_BREAK) return std::optional<CaptureRecord>{};  // end of file
    if (status != 1) {
        // Savefiles give 1, PCAP_ERROR_BREAK or PCAP_ERROR ("truncated dump file; ...").
        failed_ = true;
        return make_error(std::errc::io_error, path_ + ": record " +
                                                   std::to_string(records_read_ + 1) + ": " +
                                                   pcap_geterr(handle_.get()));
    }
    ++records_read_;

    CaptureRecord record;
    record.number = records_read_;
    // With PCAP_TSTAMP_PRECISION_NANO, tv_usec holds nanoseconds.
    record.timestamp = CaptureTimestamp{static_cast<std::int64_t>(header->ts.tv_sec),
                                        static_cast<std::uint32_t>(header->ts.tv_usec)};

    const std::span<const std::byte> frame(reinterpret_cast<const std::byte*>(data),
                                           header->caplen);
    // A file may claim caplen > len; the record can be no shorter on the wire than captured.
    const std::uint32_t frame_wire_length = std::max(header->len, header->caplen);

    const LinkPayload payload = strip_link_header(link_type_, frame);
    record.not_ip = payload.not_ip;
    if (payload.not_ip != NotIpReason::none) {
        record.original_length = 0;
        return std::optional<CaptureRecord>(record);
    }
    record.ip_version = payload.version;
    std::span<const std::byte> ip = frame.subspan(payload.offset);
    std::uint32_t wire_length = frame_wire_length - static_cast<std::uint32_t>(payload.offset);
    if (payload.may_be_padded) {
        if (const std::uint32_t declared = declared_ip_length(payload.version, ip, wire_length)) {
            wire_length = declared;
            if (ip.size() > declared) ip = ip.first(declared);
        }
    }
    record.packet = ip;
    record.original_length = wire_length;
    return std::optional<CaptureRecord>(record);
}

}  // namespace sixgate::app::capture
