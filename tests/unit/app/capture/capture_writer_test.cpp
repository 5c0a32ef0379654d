// CaptureWriter: what it writes reads back through CaptureReader and through tshark, an
// independent reader, with the same bytes and nanosecond timestamps; and its errors.

#include "app/capture/capture_writer.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <system_error>
#include <vector>

#include "app/capture/capture_reader.hpp"
#include "tests/unit/app/capture/capture_test_support.hpp"

namespace sixgate::app::capture {
namespace {

using test::from_hex;
using test::to_hex;

// IPv4 192.0.2.1 -> 198.51.100.2, UDP 4000 -> 53, no payload: 28 bytes.
const std::vector<std::byte> kIpv4Udp = from_hex(
    "4500001c1234000040110000c0000201c6336402"
    "0fa00035000800ff");
// IPv6 2001:db8::1 -> 64:ff9b::c633:6402, UDP 5000 -> 53, 4 bytes of payload: 52 bytes.
const std::vector<std::byte> kIpv6Udp = from_hex(
    "60000000000c1140"
    "20010db8000000000000000000000001"
    "0064ff9b0000000000000000c6336402"
    "13880035000c0000"
    "73697867");

struct Written {
    CaptureTimestamp timestamp;
    std::vector<std::byte> packet;
    std::uint32_t original_length;
};

// Records covering both versions, nanoseconds at both ends, and a record cut short.
const std::vector<Written>& sample_records() {
    static const std::vector<Written> records = {
        {{1700000000, 123456789}, kIpv4Udp, 0},
        {{1700000001, 999999999}, kIpv6Udp, 0},
        {{1700000002, 1}, std::vector<std::byte>(kIpv4Udp.begin(), kIpv4Udp.begin() + 20), 1500},
        {{0, 0}, kIpv6Udp, 0},
    };
    return records;
}

void write_samples(const std::string& path) {
    auto writer = CaptureWriter::create(path);
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    for (const Written& record : sample_records()) {
        auto written = writer->write(record.timestamp, record.packet, record.original_length);
        ASSERT_TRUE(written.ok()) << written.error().message;
    }
    EXPECT_EQ(writer->records_written(), sample_records().size());
    auto closed = writer->close();
    ASSERT_TRUE(closed.ok()) << closed.error().message;
}

TEST(CaptureWriter, WritesRawIpRecordsTheReaderReadsBackByteForByte) {
    test::TemporaryDirectory directory;
    const std::string path = directory.file("out.pcap");
    write_samples(path);

    auto reader = CaptureReader::open(path);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    EXPECT_EQ(reader->link_type_name(), "RAW");
    for (const Written& want : sample_records()) {
        auto next = reader->next();
        ASSERT_TRUE(next.ok()) << next.error().message;
        ASSERT_TRUE(next->has_value());
        const CaptureRecord& got = **next;
        EXPECT_EQ(got.timestamp, want.timestamp);
        EXPECT_EQ(to_hex(got.packet), to_hex(want.packet));
        const std::uint32_t wire =
            want.original_length != 0 ? want.original_length : want.packet.size();
        EXPECT_EQ(got.original_length, wire);
        EXPECT_EQ(got.truncated(), want.original_length != 0);
        EXPECT_EQ(got.ip_version,
                  (std::to_integer<int>(want.packet[0]) >> 4) == 4 ? IpVersion::v4 : IpVersion::v6);
    }
    auto end = reader->next();
    ASSERT_TRUE(end.ok()) << end.error().message;
    EXPECT_FALSE(end->has_value());
}

TEST(CaptureWriter, WritesANanosecondPcapHeaderOfLinktypeRaw) {
    test::TemporaryDirectory directory;
    const std::string path = directory.file("out.pcap");
    write_samples(path);
    std::ifstream file(path, std::ios::binary);
    std::vector<char> header(24);
    ASSERT_TRUE(file.read(header.data(), header.size()));
    auto u32 = [&](std::size_t at) {  // the file is in this host's byte order
        std::uint32_t value;
        std::memcpy(&value, header.data() + at, sizeof value);
        return value;
    };
    EXPECT_EQ(u32(0), 0xa1b23c4dU);  // nanosecond pcap
    EXPECT_EQ(u32(16), CaptureWriter::kSnapLength);
    EXPECT_EQ(u32(20), 101U);  // LINKTYPE_RAW
}

TEST(CaptureWriter, WritesRecordsTsharkDecodesWithTheSameNanosecondTimestamps) {
    test::TemporaryDirectory directory;
    const std::string path = directory.file("out.pcap");
    write_samples(path);
    // tshark complains to stderr when run as root; only its fields matter.
    const auto tshark = test::run("tshark -r '" + path +
                                  "' -T fields -e frame.time_epoch -e ip.src -e ipv6.src "
                                  "-e frame.len -e frame.cap_len 2>/dev/null");
    ASSERT_EQ(tshark.exit_status, 0) << "tshark (Debian package tshark) failed:\n" << tshark.output;
    EXPECT_EQ(tshark.output,
              "1700000000.123456789\t192.0.2.1\t\t28\t28\n"
              "1700000001.999999999\t\t2001:db8::1\t52\t52\n"
              "1700000002.000000001\t192.0.2.1\t\t1500\t20\n"
              "0.000000000\t\t2001:db8::1\t52\t52\n");
}

TEST(CaptureWriter, CutsPacketsLongerThanTheSnapLengthKeepingTheirLength) {
    test::TemporaryDirectory directory;
    const std::string path = directory.file("big.pcap");
    std::vector<std::byte> big(CaptureWriter::kSnapLength + 1000, std::byte{0});
    big[0] = std::byte{0x60};
    {
        auto writer = CaptureWriter::create(path);
        ASSERT_TRUE(writer.ok()) << writer.error().message;
        ASSERT_TRUE(writer->write({5, 6}, big).ok());
        ASSERT_TRUE(writer->close().ok());
    }
    auto reader = CaptureReader::open(path);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    auto next = reader->next();
    ASSERT_TRUE(next.ok()) << next.error().message;
    ASSERT_TRUE(next->has_value());
    EXPECT_EQ((*next)->packet.size(), CaptureWriter::kSnapLength);
    EXPECT_EQ((*next)->original_length, big.size());
    EXPECT_TRUE((*next)->truncated());
}

TEST(CaptureWriter, ClosesTheFileWhenDestroyed) {
    test::TemporaryDirectory directory;
    const std::string path = directory.file("out.pcap");
    {
        auto writer = CaptureWriter::create(path);
        ASSERT_TRUE(writer.ok()) << writer.error().message;
        ASSERT_TRUE(writer->write({1, 2}, kIpv6Udp).ok());
        CaptureWriter moved = std::move(writer.value());
        ASSERT_TRUE(moved.write({3, 4}, kIpv4Udp).ok());
    }
    auto reader = CaptureReader::open(path);
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    for (const auto& want : {kIpv6Udp, kIpv4Udp}) {
        auto next = reader->next();
        ASSERT_TRUE(next.ok() && next->has_value());
        EXPECT_EQ(to_hex((*next)->packet), to_hex(want));
    }
}

TEST(CaptureWriter, RefusesTimestampsAPcapRecordCannotHold) {
    test::TemporaryDirectory directory;
    auto writer = CaptureWriter::create(directory.file("out.pcap"));
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    for (CaptureTimestamp bad : {CaptureTimestamp{-1, 0}, CaptureTimestamp{4294967296, 0},
                                 CaptureTimestamp{1, 1000000000}}) {
        auto written = writer->write(bad, kIpv4Udp);
        ASSERT_FALSE(written.ok());
        EXPECT_EQ(written.error().code, std::make_error_code(std::errc::invalid_argument));
        EXPECT_NE(written.error().message.find("out.pcap"), std::string::npos);
    }
    EXPECT_TRUE(writer->write({4294967295, 999999999}, kIpv4Udp).ok());
    EXPECT_TRUE(writer->close().ok());
}

TEST(CaptureWriter, RefusesWritesAfterCloseAndClosesOnce) {
    test::TemporaryDirectory directory;
    auto writer = CaptureWriter::create(directory.file("out.pcap"));
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    ASSERT_TRUE(writer->close().ok());
    auto written = writer->write({1, 0}, kIpv4Udp);
    ASSERT_FALSE(written.ok());
    EXPECT_EQ(written.error().code, std::make_error_code(std::errc::bad_file_descriptor));
    EXPECT_TRUE(writer->close().ok());
}

// /dev/full takes the header and the record into stdio's buffer; the flush on close fails.
TEST(CaptureWriter, ReportsAFullDiskOnClose) {
    auto writer = CaptureWriter::create("/dev/full");
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    ASSERT_TRUE(writer->write({1, 0}, kIpv4Udp).ok());
    auto closed = writer->close();
    ASSERT_FALSE(closed.ok()) << "a failed flush went unreported";
    EXPECT_EQ(closed.error().code, std::make_error_code(std::errc::no_space_on_device));
    EXPECT_NE(closed.error().message.find("/dev/full"), std::string::npos)
        << closed.error().message;
}

TEST(CaptureWriter, ReportsAFullDiskFromTheWriteThatSpillsTheBuffer) {
    auto writer = CaptureWriter::create("/dev/full");
    ASSERT_TRUE(writer.ok()) << writer.error().message;
    const std::vector<std::byte> packet(1000, std::byte{0x45});
    int writes = 0;
    Result<void> written;
    while (writes < 10000 && (written = writer->write({1, 0}, packet)).ok()) ++writes;
    ASSERT_FALSE(written.ok()) << "10000 records into /dev/full and no error";
    EXPECT_EQ(written.error().code, std::make_error_code(std::errc::no_space_on_device));
    EXPECT_EQ(writer->records_written(), static_cast<std::uint64_t>(writes));
    EXPECT_FALSE(writer->write({1, 0}, packet).ok()) << "writing went on after the error";
    EXPECT_FALSE(writer->close().ok());
}

TEST(CaptureWriter, ReportsAMissingDirectoryNamingThePath) {
    const std::string path = "/nonexistent/sixgate/out.pcap";
    auto writer = CaptureWriter::create(path);
    ASSERT_FALSE(writer.ok());
    EXPECT_EQ(writer.error().code, std::make_error_code(std::errc::no_such_file_or_directory));
    EXPECT_NE(writer.error().message.find(path), std::string::npos) << writer.error().message;
}

// Root writes anywhere, so the check runs in a child that has given up root for nobody's uid.
TEST(CaptureWriter, ReportsPermissionDeniedNamingThePath) {
    test::TemporaryDirectory directory;
    ASSERT_EQ(::chmod(directory.path().c_str(), 0555), 0);
    const std::string path = directory.file("out.pcap");
    const pid_t child = ::fork();
    ASSERT_NE(child, -1);
    if (child == 0) {
        if (::geteuid() == 0 && ::setresuid(65534, 65534, 65534) != 0) ::_exit(10);
        auto writer = CaptureWriter::create(path);
        if (writer.ok()) ::_exit(11);
        if (writer.error().code != std::make_error_code(std::errc::permission_denied)) ::_exit(12);
        if (writer.error().message.find(path) == std::string::npos) ::_exit(13);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "10: cannot drop root, 11: created, 12: wrong code, 13: no path";
}

}  // namespace
}  // namespace sixgate::app::capture
