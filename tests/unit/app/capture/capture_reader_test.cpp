// CaptureReader against captures scapy and editcap wrote (make_test_captures.py): every field of
// every record, byte for byte, for each link type; and the files it must refuse.

#include "app/capture/capture_reader.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <system_error>

#include "tests/unit/app/capture/capture_test_support.hpp"

namespace sixgate::app::capture {
namespace {

using test::ExpectedCapture;
using test::ExpectedRecord;
using test::to_hex;

// Every field of a record as scapy wrote it.
void expect_matches(const CaptureRecord& got, const ExpectedRecord& want) {
    EXPECT_EQ(got.timestamp.seconds, want.seconds);
    EXPECT_EQ(got.timestamp.nanoseconds, want.nanoseconds);
    EXPECT_EQ(static_cast<int>(got.ip_version), want.ip_version);
    EXPECT_EQ(to_string(got.not_ip), want.not_ip);
    EXPECT_EQ(got.original_length, want.original_length);
    EXPECT_EQ(to_hex(got.packet), want.hex);
    EXPECT_EQ(got.is_ip(), want.not_ip == "none");
    EXPECT_EQ(got.truncated(), got.packet.size() < want.original_length);
}

class CaptureReaderScapy : public test::ScapyCaptures {
protected:
    // Reads the whole capture and compares each record with what scapy wrote into it.
    void expect_reads_back(const std::string& name) {
        if (!captures_made()) return;
        const ExpectedCapture* capture = expected(name);
        if (capture == nullptr) return;
        auto reader = CaptureReader::open(path_of(capture->file));
        ASSERT_TRUE(reader.ok()) << reader.error().message;
        for (const ExpectedRecord& want : capture->records) {
            SCOPED_TRACE(name + " record " + want.label);
            auto next = reader->next();
            ASSERT_TRUE(next.ok()) << next.error().message;
            ASSERT_TRUE(next->has_value()) << "the capture ended early";
            expect_matches(**next, want);
        }
        auto end = reader->next();
        ASSERT_TRUE(end.ok()) << end.error().message;
        EXPECT_FALSE(end->has_value()) << "more records than scapy wrote";
        EXPECT_EQ(reader->records_read(), capture->records.size());
    }

    // The record scapy labelled so, read with its capture: as scapy wrote it, and as stated.
    void expect_record(const std::string& name, const std::string& label, int ip_version,
                       const std::string& not_ip, bool truncated) {
        if (!captures_made()) return;
        const ExpectedCapture* capture = expected(name);
        if (capture == nullptr) return;
        auto reader = CaptureReader::open(path_of(capture->file));
        ASSERT_TRUE(reader.ok()) << reader.error().message;
        for (const ExpectedRecord& want : capture->records) {
            auto next = reader->next();
            ASSERT_TRUE(next.ok() && next->has_value());
            if (want.label != label) continue;
            SCOPED_TRACE(name + " record " + label);
            expect_matches(**next, want);
            EXPECT_EQ(static_cast<int>((*next)->ip_version), ip_version);
            EXPECT_EQ(to_string((*next)->not_ip), not_ip);
            EXPECT_EQ((*next)->truncated(), truncated);
            return;
        }
        ADD_FAILURE() << "no record " << label << " in " << name;
    }

    // Opening fails; the error's code and that its message names the file and says `words`.
    void expect_open_fails(const std::string& file, std::errc code, const std::string& words) {
        if (!captures_made()) return;
        const std::string path = path_of(file);
        auto reader = CaptureReader::open(path);
        ASSERT_FALSE(reader.ok());
        EXPECT_EQ(reader.error().code, std::make_error_code(code)) << reader.error().message;
        EXPECT_NE(reader.error().message.find(path), std::string::npos) << reader.error().message;
        EXPECT_NE(reader.error().message.find(words), std::string::npos) << reader.error().message;
    }

    // Reads `good` records, then next() fails naming the file and record `good + 1`.
    void expect_read_fails_after(const std::string& file, unsigned good) {
        if (!captures_made()) return;
        const std::string path = path_of(file);
        auto reader = CaptureReader::open(path);
        ASSERT_TRUE(reader.ok()) << reader.error().message;
        for (unsigned i = 0; i < good; ++i) {
            auto next = reader->next();
            ASSERT_TRUE(next.ok()) << next.error().message;
            ASSERT_TRUE(next->has_value());
        }
        auto broken = reader->next();
        ASSERT_FALSE(broken.ok()) << "a truncated file read as a clean end";
        EXPECT_EQ(broken.error().code, std::make_error_code(std::errc::io_error));
        const std::string& message = broken.error().message;
        EXPECT_NE(message.find(path), std::string::npos) << message;
        EXPECT_NE(message.find("record " + std::to_string(good + 1)), std::string::npos) << message;
        EXPECT_NE(message.find("truncated"), std::string::npos) << message;
        // Reading does not go on past the damage.
        EXPECT_FALSE(reader->next().ok());
    }
};

TEST_F(CaptureReaderScapy, ReadsRawIpCapturesOfLinktype101WithNanosecondTimestamps) {
    expect_reads_back("raw_101");
}

TEST_F(CaptureReaderScapy, ReadsLinktypeIpv4AndLinktypeIpv6Captures) {
    expect_reads_back("raw_ipv4_228");
    expect_reads_back("raw_ipv6_229");
}

TEST_F(CaptureReaderScapy, ReadsBigEndianMicrosecondPcapAsNanoseconds) {
    expect_reads_back("raw_usec_big_endian");
}

TEST_F(CaptureReaderScapy, StripsEthernetHeadersVlanTagsAndPaddingAndReportsArpAsNotIp) {
    expect_reads_back("ethernet");
}

TEST_F(CaptureReaderScapy, SkipsQinQTagsToTheInnerEtherType) {
    expect_record("ethernet", "ether_qinq_ipv4", 4, "none", false);
    expect_record("ethernet", "ether_old_qinq_ipv6", 6, "none", false);
}

TEST_F(CaptureReaderScapy, TrimsEthernetPaddingToTheLengthTheIpHeaderDeclares) {
    expect_record("ethernet", "ether_padded_ipv4", 4, "none", false);
}

TEST_F(CaptureReaderScapy, ReportsFramesShorterThanTheirLinkHeaderAsNotIp) {
    expect_record("ethernet", "ether_header_cut", 0, "link_header_truncated", false);
    expect_record("snaplen_ethernet", "cut_in_vlan_tag", 0, "link_header_truncated", false);
}

TEST_F(CaptureReaderScapy, ReadsLinuxCookedCapturesOfBothVersions) {
    expect_reads_back("linux_sll");
    expect_reads_back("linux_sll2");
}

TEST_F(CaptureReaderScapy, ReadsBsdLoopbackFamiliesInEitherByteOrder) {
    expect_reads_back("bsd_null");
    expect_reads_back("bsd_loop");
}

TEST_F(CaptureReaderScapy, ReadsPcapngWrittenByScapy) {
    expect_reads_back("pcapng_scapy");
}

TEST_F(CaptureReaderScapy, ReadsNanosecondPcapngWrittenByEditcap) {
    expect_reads_back("pcapng_editcap");
}

TEST_F(CaptureReaderScapy, ReportsRecordsTheSnapLengthCutWithTheirLengthOnTheWire) {
    expect_reads_back("snaplen_ethernet");
    expect_reads_back("snaplen_raw");
    expect_record("snaplen_ethernet", "cut_vlan_ipv6", 6, "none", true);
    expect_record("snaplen_ethernet", "whole_ipv6", 6, "none", false);
}

TEST_F(CaptureReaderScapy, ReportsRawRecordsOfNoKnownIpVersionAsNotIp) {
    expect_record("snaplen_raw", "raw_version_5", 0, "unknown_ip_version", false);
    expect_record("snaplen_raw", "raw_empty", 0, "unknown_ip_version", false);
}

TEST_F(CaptureReaderScapy, ReportsAFileCutInsideRecordDataAsAnErrorNamingTheRecord) {
    expect_read_fails_after("cut_in_record_data.pcap", 2);
}

TEST_F(CaptureReaderScapy, ReportsAFileCutInsideARecordHeaderAsAnErrorNamingTheRecord) {
    expect_read_fails_after("cut_in_record_header.pcap", 1);
}

TEST_F(CaptureReaderScapy, RefusesAFileCutInsideItsFileHeader) {
    expect_open_fails("cut_in_file_header.pcap", std::errc::invalid_argument,
                      "not a pcap or pcapng capture");
}

TEST_F(CaptureReaderScapy, RefusesAnEmptyFile) {
    expect_open_fails("empty.pcap", std::errc::invalid_argument, "empty file");
}

TEST_F(CaptureReaderScapy, RefusesATextFileAsNotACapture) {
    expect_open_fails("not_a_capture.txt", std::errc::invalid_argument,
                      "not a pcap or pcapng capture");
}

TEST_F(CaptureReaderScapy, RefusesAnUnsupportedLinkTypeNamingIt) {
    expect_open_fails("ieee802_11.pcap", std::errc::not_supported, "IEEE802_11");
}

TEST_F(CaptureReaderScapy, KeepsReportingTheEndOfTheFile) {
    if (!captures_made()) return;
    auto reader = CaptureReader::open(path_of("raw_ipv4_228.pcap"));
    ASSERT_TRUE(reader.ok()) << reader.error().message;
    EXPECT_EQ(reader->link_type_name(), "IPV4");
    while (true) {
        auto next = reader->next();
        ASSERT_TRUE(next.ok()) << next.error().message;
        if (!next->has_value()) break;
    }
    auto again = reader->next();
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_FALSE(again->has_value());
}

TEST_F(CaptureReaderScapy, ReadsOnAfterBeingMoved) {
    if (!captures_made()) return;
    auto opened = CaptureReader::open(path_of("raw_101.pcap"));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    CaptureReader reader = std::move(opened.value());
    auto first = reader.next();
    ASSERT_TRUE(first.ok() && first->has_value());
    CaptureReader moved = std::move(reader);
    auto second = moved.next();
    ASSERT_TRUE(second.ok() && second->has_value());
    EXPECT_EQ((*second)->number, 2U);
    EXPECT_EQ((*second)->ip_version, IpVersion::v6);
}

TEST(CaptureReader, ReportsAMissingFileNamingItsPath) {
    const std::string path = "/nonexistent/sixgate/capture.pcap";
    auto reader = CaptureReader::open(path);
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.error().code, std::make_error_code(std::errc::no_such_file_or_directory));
    EXPECT_NE(reader.error().message.find(path), std::string::npos) << reader.error().message;
    EXPECT_NE(reader.error().message.find("No such file"), std::string::npos)
        << reader.error().message;
}

TEST(CaptureReader, ReportsADirectoryNamingItsPath) {
    test::TemporaryDirectory directory;
    auto reader = CaptureReader::open(directory.path().string());
    ASSERT_FALSE(reader.ok());
    EXPECT_EQ(reader.error().code, std::make_error_code(std::errc::is_a_directory));
    EXPECT_NE(reader.error().message.find(directory.path().string()), std::string::npos);
}

// Root reads any file, so the check runs in a child that has given up root for nobody's uid.
TEST(CaptureReader, ReportsPermissionDeniedNamingThePath) {
    test::TemporaryDirectory directory;
    ASSERT_EQ(::chmod(directory.path().c_str(), 0755), 0);  // the file, not its folder, is shut
    const std::string path = directory.file("secret.pcap");
    std::ofstream(path) << "not readable";
    ASSERT_EQ(::chmod(path.c_str(), 0), 0);
    const pid_t child = ::fork();
    ASSERT_NE(child, -1);
    if (child == 0) {
        if (::geteuid() == 0 && ::setresuid(65534, 65534, 65534) != 0) ::_exit(10);
        auto reader = CaptureReader::open(path);
        if (reader.ok()) ::_exit(11);
        if (reader.error().code != std::make_error_code(std::errc::permission_denied)) ::_exit(12);
        if (reader.error().message.find(path) == std::string::npos) ::_exit(13);
        if (reader.error().message.find("Permission denied") == std::string::npos) ::_exit(14);
        ::_exit(0);
    }
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "10: cannot drop root, 11: opened, 12: wrong code, 13: no path, 14: no reason";
}

TEST(CaptureReader, NamesEveryNotIpReasonForCounters) {
    EXPECT_EQ(to_string(NotIpReason::none), "none");
    EXPECT_EQ(to_string(NotIpReason::non_ip_protocol), "non_ip_protocol");
    EXPECT_EQ(to_string(NotIpReason::link_header_truncated), "link_header_truncated");
    EXPECT_EQ(to_string(NotIpReason::unknown_ip_version), "unknown_ip_version");
}

}  // namespace
}  // namespace sixgate::app::capture
