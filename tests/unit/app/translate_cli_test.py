"""`sixgate translate` end to end: the real binary on captures this test writes with scapy.

Usage: translate_cli_test.py [Class.test_name ...]   (SIXGATE_BINARY names the binary)
Run under Debian's /usr/bin/python3 (python3-scapy). No root, no namespaces: files only, each test
in its own temporary folder. Every output packet is checked by dissectors that are not sixgate's:
scapy (fields, checksums rebuilt and compared, fragments reassembled) and tshark (checksum status).
"""
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

try:
    from scapy.layers.inet import ICMP, IP, TCP, UDP, IPerror, UDPerror
    from scapy.layers.inet6 import (ICMPv6EchoReply, ICMPv6EchoRequest, ICMPv6TimeExceeded,
                                    IPv6, IPv6ExtHdrFragment, defragment6)
    from scapy.layers.l2 import ARP, CookedLinux, Ether
    from scapy.packet import Raw
    from scapy.utils import PcapNgWriter, PcapReader, PcapWriter
except ImportError as error:
    sys.exit(f"{sys.executable} cannot import scapy ({error}): run under /usr/bin/python3 "
             "with python3-scapy installed")

logging.getLogger("scapy.runtime").setLevel(logging.ERROR)  # raw-IP writes warn about link types

BINARY = os.environ.get("SIXGATE_BINARY", "sixgate")

LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL = 1, 101, 113

# A CLAT-like setup: the host's 192.0.0.1 is the EAM for its IPv6 address, everything else goes
# through the PLAT prefix.
POOL6 = "2001:db8:64::/96"
CLAT_V4, CLAT_V6 = "192.0.0.1", "2001:db8:1::c1a7"
SERVER_V4, SERVER_V6 = "198.51.100.7", "2001:db8:64::c633:6407"
CLAT_OPTIONS = ["--pool6", POOL6, "--eam", f"{CLAT_V4}={CLAT_V6}"]

# Record times: nanoseconds must survive the trip.
T0 = Decimal("1700000000.123456789")


def run_sixgate(*arguments):
    return subprocess.run([BINARY, *arguments], capture_output=True, text=True, timeout=60)


def rebuilt_with_fresh_checksums(raw):
    """The packet as scapy builds it with its own outer checksums: equal bytes mean the checksums
    the translator wrote are right. Only the IP header and the first upper layer are recomputed;
    quoted packets in ICMP errors keep their bytes (the error's checksum covers them as they are)."""
    packet = IP(raw) if raw[0] >> 4 == 4 else IPv6(raw)
    if IP in packet:
        packet[IP].chksum = None
    layer = packet.payload
    while layer and isinstance(layer, IPv6ExtHdrFragment):
        layer = layer.payload
    if layer is not None:
        for name in ("chksum", "cksum"):
            if name in layer.fields:
                setattr(layer, name, None)
    return bytes(packet)


class TranslateTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="sixgate-translate-")
        self.addCleanup(shutil.rmtree, self.dir, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.dir, name)

    # ---- captures in -------------------------------------------------------------------------
    def write_capture(self, name, packets, link="ethernet", times=None):
        """packets: IP/IPv6 scapy packets (or ready frames for link='frames'); one record each,
        timed T0 + i microseconds and some nanoseconds unless `times` is given."""
        path = self.path(name)
        times = times or [T0 + Decimal(i) / 1000 + Decimal("0.000000007") * i
                          for i in range(len(packets))]
        if link == "pcapng":
            writer = PcapNgWriter(path)
            frames = [Ether(src="02:00:5e:00:53:01", dst="02:00:5e:00:53:02") / p
                      for p in packets]
        else:
            linktype = {"ethernet": LINKTYPE_ETHERNET, "frames": LINKTYPE_ETHERNET,
                        "raw": LINKTYPE_RAW, "sll": LINKTYPE_LINUX_SLL}[link]
            writer = PcapWriter(path, linktype=linktype, nano=True, sync=True)
            if link == "ethernet":
                frames = [Ether(src="02:00:5e:00:53:01", dst="02:00:5e:00:53:02") / p
                          for p in packets]
            elif link == "sll":
                frames = [CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6,
                                      src=b"\x02\x00\x5e\x00\x53\x01\x00\x00",
                                      proto=0x0800 if IP in p else 0x86DD) / p for p in packets]
            else:
                frames = list(packets)
        for frame, time in zip(frames, times):
            frame.time = time
            writer.write(frame)
        writer.close()
        return path

    # ---- running -----------------------------------------------------------------------------
    def translate(self, input_path, *options, expect_status=0, output="out.pcap"):
        run = run_sixgate("translate", "--in", input_path, "--out", self.path(output), *options)
        self.assertEqual(run.returncode, expect_status,
                         f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}")
        return run

    def translate_json(self, input_path, *options):
        run = self.translate(input_path, *options, "--json")
        return json.loads(run.stdout)

    def output_records(self, name="out.pcap"):
        """[(time, raw bytes)] of the output capture, which must be LINKTYPE_RAW."""
        with PcapReader(self.path(name)) as reader:
            self.assertEqual(reader.linktype, LINKTYPE_RAW)
            return [(Decimal(str(packet.time)), bytes(packet)) for packet in reader]

    def assert_checksums_valid(self, raw):
        self.assertEqual(rebuilt_with_fresh_checksums(raw).hex(), raw.hex(),
                         "scapy computes other checksums for " + raw.hex())

    def assert_tshark_checksums_good(self, name="out.pcap"):
        """tshark's own verdict on every checksum it can check (1 = good, 0 = bad)."""
        run = subprocess.run(
            ["tshark", "-n", "-r", self.path(name), "-o", "ip.check_checksum:TRUE",
             "-o", "udp.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-T", "fields",
             "-e", "ip.checksum.status", "-e", "icmp.checksum.status",
             "-e", "icmpv6.checksum.status", "-e", "udp.checksum.status",
             "-e", "tcp.checksum.status"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(run.returncode, 0, run.stderr)
        statuses = [value for line in run.stdout.splitlines()
                    for field in line.split("\t") for value in field.split(",") if value]
        self.assertTrue(statuses, "tshark checked no checksum at all")
        self.assertNotIn("0", statuses, "tshark reports a bad checksum:\n" + run.stdout)

    # ---- the cases ---------------------------------------------------------------------------
    def test_echo_request_to_ipv6_and_its_reply_back_to_ipv4(self):
        request = IP(src=CLAT_V4, dst=SERVER_V4, ttl=64, id=0x4242) / ICMP(id=7, seq=1) / Raw(b"ping" * 8)
        reply = (IPv6(src=SERVER_V6, dst=CLAT_V6, hlim=50) /
                 ICMPv6EchoReply(id=7, seq=1, data=b"ping" * 8))
        summary = self.translate_json(self.write_capture("in.pcap", [request, reply]), *CLAT_OPTIONS)
        self.assertEqual(summary["records_read"], 2)
        self.assertEqual(summary["records_written"], 2)
        self.assertEqual(summary["translated"]["ipv4_to_ipv6"], 1)
        self.assertEqual(summary["translated"]["ipv6_to_ipv4"], 1)
        self.assertTrue(summary["complete"])

        records = self.output_records()
        self.assertEqual(len(records), 2)
        (time6, raw6), (time4, raw4) = records
        six = IPv6(raw6)
        self.assertEqual((six.src, six.dst, six.hlim), (CLAT_V6, SERVER_V6, 63))
        self.assertIn(ICMPv6EchoRequest, six)
        self.assertEqual((six[ICMPv6EchoRequest].id, six[ICMPv6EchoRequest].seq), (7, 1))
        self.assertEqual(six[ICMPv6EchoRequest].data, b"ping" * 8)
        four = IP(raw4)
        self.assertEqual((four.src, four.dst, four.ttl), (SERVER_V4, CLAT_V4, 49))
        self.assertEqual((four[ICMP].type, four[ICMP].id, four[ICMP].seq), (0, 7, 1))
        self.assertEqual(bytes(four[ICMP].payload), b"ping" * 8)
        for raw in (raw6, raw4):
            self.assert_checksums_valid(raw)
        self.assert_tshark_checksums_good()
        # Each output record keeps its input record's time, to the nanosecond.
        self.assertEqual(time6, T0)
        self.assertEqual(time4, T0 + Decimal("0.001000007"))

    def test_tcp_and_udp_both_ways(self):
        packets = [
            IP(src=CLAT_V4, dst=SERVER_V4, ttl=64) / TCP(sport=50000, dport=443, flags="S", seq=1000),
            IPv6(src=SERVER_V6, dst=CLAT_V6, hlim=64) / TCP(sport=443, dport=50000, flags="SA",
                                                            seq=5000, ack=1001),
            IP(src=CLAT_V4, dst=SERVER_V4, ttl=64) / UDP(sport=4000, dport=53) / Raw(b"query"),
            IPv6(src=SERVER_V6, dst=CLAT_V6, hlim=64) / UDP(sport=53, dport=4000) / Raw(b"answer"),
        ]
        summary = self.translate_json(self.write_capture("in.pcap", packets), *CLAT_OPTIONS)
        self.assertEqual(summary["translated"]["total"], 4)
        self.assertEqual(summary["dropped"]["total"], 0)
        raws = [raw for _, raw in self.output_records()]
        self.assertEqual(len(raws), 4)
        syn, synack, query, answer = IPv6(raws[0]), IP(raws[1]), IPv6(raws[2]), IP(raws[3])
        self.assertEqual((syn.src, syn.dst, syn.hlim, syn.nh), (CLAT_V6, SERVER_V6, 63, 6))
        self.assertEqual((syn[TCP].sport, syn[TCP].dport, str(syn[TCP].flags), syn[TCP].seq),
                         (50000, 443, "S", 1000))
        self.assertEqual((synack.src, synack.dst, synack.ttl, synack.proto), (SERVER_V4, CLAT_V4, 63, 6))
        self.assertEqual((str(synack[TCP].flags), synack[TCP].ack), ("SA", 1001))
        self.assertEqual((query.nh, query[UDP].sport, query[UDP].dport), (17, 4000, 53))
        self.assertEqual(bytes(query[UDP].payload), b"query")
        self.assertEqual((answer.src, answer[UDP].dport, bytes(answer[UDP].payload)),
                         (SERVER_V4, 4000, b"answer"))
        for raw in raws:
            self.assert_checksums_valid(raw)
        self.assert_tshark_checksums_good()

    def test_ethernet_sll_raw_and_pcapng_inputs_give_the_same_output(self):
        packets = [IP(src=CLAT_V4, dst=SERVER_V4) / UDP(sport=4000, dport=53) / Raw(b"same"),
                   IPv6(src=SERVER_V6, dst=CLAT_V6) / UDP(sport=53, dport=4000) / Raw(b"back")]
        outputs = {}
        for link in ("ethernet", "sll", "raw", "pcapng"):
            name = f"in-{link}." + ("pcapng" if link == "pcapng" else "pcap")
            summary = self.translate_json(self.write_capture(name, packets, link=link),
                                          *CLAT_OPTIONS)
            self.assertEqual(summary["translated"]["total"], 2, link)
            outputs[link] = [raw for _, raw in self.output_records()]
        self.assertEqual(len(outputs["ethernet"]), 2)
        for link in ("sll", "raw", "pcapng"):
            self.assertEqual(outputs[link], outputs["ethernet"], link)
        self.assertEqual(IPv6(outputs["raw"][0]).dst, SERVER_V6)
        self.assertEqual(IP(outputs["raw"][1]).src, SERVER_V4)

    def test_ttl_one_gives_an_icmp_error_in_the_output_and_the_summary(self):
        expiring = IP(src=CLAT_V4, dst=SERVER_V4, ttl=1, id=99) / UDP(sport=4000, dport=53) / Raw(b"late")
        expiring6 = IPv6(src=SERVER_V6, dst=CLAT_V6, hlim=1) / UDP(sport=53, dport=4000) / Raw(b"late")
        path = self.write_capture("in.pcap", [expiring, expiring6])
        run = self.translate(path, *CLAT_OPTIONS, "--ipv6-address", "2001:db8:ffff::1")
        self.assertRegex(run.stdout, r"ICMP errors sent back to the source +2\n")
        self.assertRegex(run.stdout, r"\n  ttl_expired +2\n")
        summary = self.translate_json(path, *CLAT_OPTIONS, "--ipv6-address", "2001:db8:ffff::1")
        self.assertEqual(summary["icmp_errors"]["by_reason"]["ttl_expired"], 2)
        self.assertEqual(summary["translated"]["total"], 0)

        raws = [raw for _, raw in self.output_records()]
        self.assertEqual(len(raws), 2)
        error4 = IP(raws[0])
        # RFC 7600: with no address of its own, the translator speaks from 192.0.0.8.
        self.assertEqual((error4.src, error4.dst), ("192.0.0.8", CLAT_V4))
        self.assertEqual((error4[ICMP].type, error4[ICMP].code), (11, 0))
        self.assertEqual(error4[IPerror].id, 99)
        self.assertEqual(error4[UDPerror].dport, 53)
        error6 = IPv6(raws[1])
        self.assertEqual((error6.src, error6.dst), ("2001:db8:ffff::1", SERVER_V6))
        self.assertIn(ICMPv6TimeExceeded, error6)
        self.assertEqual(error6[ICMPv6TimeExceeded].code, 0)
        for raw in raws:
            self.assert_checksums_valid(raw)
        self.assert_tshark_checksums_good()

    def test_ttl_one_is_translated_by_a_host_side_translator_that_does_not_decrement(self):
        packet = IP(src=CLAT_V4, dst=SERVER_V4, ttl=1) / UDP(sport=4000, dport=53) / Raw(b"host")
        summary = self.translate_json(self.write_capture("in.pcap", [packet]), *CLAT_OPTIONS,
                                      "--no-decrement")
        self.assertEqual(summary["translated"]["ipv4_to_ipv6"], 1)
        (_, raw), = self.output_records()
        self.assertEqual(IPv6(raw).hlim, 1)

    def test_a_1500_byte_df_clear_ipv4_packet_becomes_ipv6_fragments(self):
        payload = bytes(range(256)) * 5 + bytes(192)  # 1472 bytes: a 1500-byte IPv4 packet
        big = IP(src=CLAT_V4, dst=SERVER_V4, flags=0, id=0x1234, ttl=64) / UDP(sport=4000, dport=9) / Raw(payload)
        self.assertEqual(len(big), 1500)
        run = self.translate(self.write_capture("in.pcap", [big]), *CLAT_OPTIONS)
        self.assertRegex(run.stdout, r"\n  fragmented +1  into 2 fragments\n")
        records = self.output_records()
        self.assertEqual(len(records), 2)
        fragments = [IPv6(raw) for _, raw in records]
        for fragment, (time, raw) in zip(fragments, records):
            self.assertLessEqual(len(raw), 1280)  # RFC 7915 4.1: lowest-ipv6-mtu
            self.assertEqual(time, T0)
            self.assertEqual((fragment.src, fragment.dst, fragment.hlim), (CLAT_V6, SERVER_V6, 63))
            self.assertIn(IPv6ExtHdrFragment, fragment)
            self.assertEqual(fragment[IPv6ExtHdrFragment].id, 0x1234)
            self.assertEqual(fragment[IPv6ExtHdrFragment].nh, 17)
        self.assertEqual([f[IPv6ExtHdrFragment].m for f in fragments], [1, 0])
        self.assertEqual(fragments[0][IPv6ExtHdrFragment].offset, 0)
        whole = defragment6(fragments)
        self.assertEqual(bytes(whole[UDP].payload), payload)
        self.assertEqual(whole[UDP].dport, 9)
        # The UDP checksum of the reassembled datagram, as scapy computes it.
        received = whole[UDP].chksum
        del whole[UDP].chksum
        self.assertEqual(IPv6(bytes(whole))[UDP].chksum, received)
        self.assert_tshark_checksums_good()

    def test_a_non_ip_record_is_counted_and_skipped(self):
        frames = [Ether(src="02:00:5e:00:53:01", dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="192.0.2.1", pdst="192.0.2.2"),
                  Ether(src="02:00:5e:00:53:01", dst="02:00:5e:00:53:02") /
                  IP(src=CLAT_V4, dst=SERVER_V4) / UDP(sport=1, dport=2)]
        path = self.write_capture("in.pcap", frames, link="frames")
        summary = self.translate_json(path, *CLAT_OPTIONS)
        self.assertEqual(summary["records_read"], 2)
        self.assertEqual(summary["dropped"]["by_reason"]["non_ip_protocol"], 1)
        self.assertEqual(summary["dropped"]["total"], 1)
        self.assertEqual(summary["translated"]["total"], 1)
        run = self.translate(path, *CLAT_OPTIONS)
        self.assertRegex(run.stdout, r"\n  non_ip_protocol +1  \(not IP\)\n")
        self.assertEqual(len(self.output_records()), 1)

    def test_an_unmapped_destination_is_dropped_by_reason(self):
        # Only the EAM: 203.0.113.9 has no mapping at all.
        unmapped = IP(src=CLAT_V4, dst="203.0.113.9") / UDP(sport=1, dport=2)
        # RFC 6052 3.1: the WKP may not carry a non-global IPv4 address.
        private = IP(src="198.51.100.1", dst="10.0.0.1") / UDP(sport=1, dport=2)
        path = self.write_capture("in.pcap", [unmapped, private])
        summary = self.translate_json(path, "--eam", f"{CLAT_V4}={CLAT_V6}")
        self.assertEqual(summary["dropped"]["by_reason"]["destination_unmapped"], 1)
        self.assertEqual(summary["dropped"]["by_reason"]["source_unmapped"], 1)
        # Under the WKP, documentation and private addresses alike are non-global.
        run = self.translate(path, "--pool6", "64:ff9b::/96")
        self.assertRegex(run.stdout, r"\n  well_known_prefix_non_global +2\n")
        self.assertRegex(run.stdout, r"\ndropped +2\n")
        self.assertEqual(self.output_records(), [])
        run = self.translate(path, "--eam", f"{CLAT_V4}={CLAT_V6}", "--verbose")
        self.assertIn("1: 192.0.0.1 > 203.0.113.9 udp 1 > 2, ttl 64, 28 bytes => dropped: "
                      "destination_unmapped\n", run.stdout)
        self.assertEqual(self.output_records(), [])
        # A second --eam maps it (the option repeats).
        summary = self.translate_json(path, "--eam", f"{CLAT_V4}={CLAT_V6}",
                                      "--eam", "203.0.113.0/24=2001:db8:cb::/120")
        self.assertEqual(summary["translated"]["total"], 1)
        (_, raw), = self.output_records()
        self.assertEqual((IPv6(raw).src, IPv6(raw).dst), (CLAT_V6, "2001:db8:cb::9"))

    def test_a_record_cut_by_the_snap_length_is_counted_as_its_own_reason(self):
        path = self.path("in.pcap")
        writer = PcapWriter(path, linktype=LINKTYPE_RAW, nano=True, snaplen=60, sync=True)
        packet = IP(src=CLAT_V4, dst=SERVER_V4) / UDP(sport=1, dport=2) / Raw(b"z" * 200)
        packet.time = T0
        writer.write(packet)
        writer.close()
        summary = self.translate_json(path, *CLAT_OPTIONS)
        self.assertEqual(summary["dropped"]["by_reason"]["truncated_by_snaplen"], 1)
        self.assertEqual(self.output_records(), [])

    def test_options_come_from_the_config_file_and_the_command_line_overrides_them(self):
        config = self.path("clat.yaml")
        with open(config, "w") as out:
            out.write("clat:\n"
                      "  enabled: false\n"
                      "  plat_prefix: 2001:db8:64::/96\n"
                      "translation:\n"
                      f"  eam: [{{ipv4: {CLAT_V4}/32, ipv6: {CLAT_V6}/128}}]\n"
                      "  rfc6791_pool: [192.0.0.8/32]\n"
                      "  ipv4_address: 192.0.2.254\n"
                      "  lowest_ipv6_mtu: 1400\n"
                      "  udp_zero_checksum: drop\n")
        check = run_sixgate("check", "-c", config)
        self.assertEqual(check.returncode, 0, check.stderr)
        big = IP(src=CLAT_V4, dst=SERVER_V4, flags=0) / UDP(sport=4000, dport=9) / Raw(bytes(1472))
        zero = IP(src=CLAT_V4, dst=SERVER_V4) / UDP(sport=4000, dport=9, chksum=0) / Raw(b"zero")
        expiring = IP(src=CLAT_V4, dst=SERVER_V4, ttl=1) / UDP(sport=1, dport=2)
        path = self.write_capture("in.pcap", [big, zero, expiring])

        summary = self.translate_json(path, "-c", config)
        # lowest_ipv6_mtu 1400: one packet of 1520 bytes needs two fragments of at most 1400.
        self.assertEqual(summary["translated"]["fragments_written"], 2)
        self.assertEqual(summary["dropped"]["by_reason"]["udp_zero_checksum"], 1)
        raws = [raw for _, raw in self.output_records()]
        self.assertEqual(len(raws), 3)
        self.assertEqual(len(raws[0]), 1400)
        self.assertEqual(IPv6(raws[0]).dst, SERVER_V6)   # pool6 from clat.plat_prefix
        self.assertEqual(IPv6(raws[0]).src, CLAT_V6)     # the file's EAM
        self.assertEqual(IP(raws[2]).src, "192.0.2.254")  # the file's ipv4_address

        summary = self.translate_json(path, "-c", config, "--pool6", "2001:db8:46::/96",
                                      "--udp-zero-checksum", "compute", "--lowest-ipv6-mtu", "1280")
        self.assertEqual(summary["dropped"]["total"], 0)
        raws = [raw for _, raw in self.output_records()]
        self.assertEqual(len(raws), 4)  # two fragments of 1280, the computed zero, the error
        self.assertEqual(len(raws[0]), 1280)
        self.assertEqual(IPv6(raws[0]).dst, "2001:db8:46::c633:6407")
        computed = IPv6(raws[2])
        self.assertNotEqual(computed[UDP].chksum, 0)
        self.assert_checksums_valid(raws[2])

    def test_pool6_falls_back_to_the_plat_prefix_of_the_config_file(self):
        config = self.path("plat.yaml")
        with open(config, "w") as out:
            out.write("plat:\n  enabled: false\n  prefix: 2001:db8:6464::/96\n")
        path = self.write_capture("in.pcap", [IP(src="192.0.2.1", dst=SERVER_V4) / UDP(sport=1, dport=2)])
        summary = self.translate_json(path, "-c", config)
        self.assertEqual(summary["translated"]["total"], 1)
        (_, raw), = self.output_records()
        self.assertEqual(IPv6(raw).dst, "2001:db8:6464::c633:6407")
        self.assertEqual(IPv6(raw).src, "2001:db8:6464::c000:201")

    def test_bad_options_exit_2_with_one_line_naming_the_option(self):
        path = self.write_capture("in.pcap", [IP(src=CLAT_V4, dst=SERVER_V4) / UDP()])
        out = self.path("never.pcap")
        cases = [
            (["--in", path, "--out", out, "--pool6", "2001:db8::/33"],
             "--pool6: 2001:db8::/33: an RFC 6052 prefix must be /32, /40, /48, /56, /64 or /96"),
            (["--in", path, "--out", out, "--eam", "192.0.2.0/24=2001:db8::/64"],
             "--eam 192.0.2.0/24=2001:db8::/64: suffix lengths must match (RFC 7757 3.2)"),
            (["--out", out, "--pool6", POOL6], "--in is required"),
            (["--in", path, "--out", out], "--pool6 or --eam is required"),
            (["--in", path, "--out", out, "--pool6", POOL6, "--udp-zero-checksum", "ignore"],
             "--udp-zero-checksum: 'ignore' is not one of compute, drop"),
            (["--in", path, "--out", out, "--pool6", POOL6, "--lowest-ipv6-mtu", "1000"],
             "--lowest-ipv6-mtu: 1000 is out of range: must be 1280..65535"),
            (["--in", path, "--out", out, "--pool6", POOL6, "--ipv4-mtu", "big"],
             "--ipv4-mtu: 'big' is not a number of bytes"),
            (["--in", path, "--out", out, "--pool6", POOL6, "--ipv4-address", "192.0.2.300"],
             "--ipv4-address:"),
            (["--in", path, "--out", out, "--eam", "192.0.2.1"], "expected V4PREFIX=V6PREFIX"),
            (["--in", path, "--out", path, "--pool6", POOL6], "is the same file as --in"),
        ]
        for arguments, message in cases:
            with self.subTest(arguments=arguments):
                run = run_sixgate("translate", *arguments)
                self.assertEqual(run.returncode, 2, run.stderr)
                self.assertIn(message, run.stderr)
                self.assertEqual(len(run.stderr.splitlines()), 1, run.stderr)
                self.assertEqual(run.stdout, "")
        self.assertFalse(os.path.exists(out))

    def test_a_file_that_cannot_be_read_or_written_exits_1_naming_it(self):
        missing = self.path("missing.pcap")
        run = run_sixgate("translate", "--in", missing, "--out", self.path("o.pcap"), "--pool6", POOL6)
        self.assertEqual(run.returncode, 1)
        self.assertIn(missing, run.stderr)
        path = self.write_capture("in.pcap", [IP(src=CLAT_V4, dst=SERVER_V4) / UDP()])
        unwritable = self.path("no-such-folder/out.pcap")
        run = run_sixgate("translate", "--in", path, "--out", unwritable, "--pool6", POOL6)
        self.assertEqual(run.returncode, 1)
        self.assertIn(unwritable, run.stderr)

    def test_a_truncated_file_reports_what_was_processed_and_exits_1(self):
        packets = [IP(src=CLAT_V4, dst=SERVER_V4) / UDP(sport=1, dport=i) / Raw(b"x" * 100)
                   for i in range(1, 4)]
        path = self.write_capture("in.pcap", packets, link="raw")
        with open(path, "r+b") as capture:
            capture.truncate(os.path.getsize(path) - 50)  # the third record loses its end
        run = run_sixgate("translate", "--in", path, "--out", self.path("out.pcap"),
                          *CLAT_OPTIONS, "--json")
        self.assertEqual(run.returncode, 1, run.stderr)
        self.assertIn(path, run.stderr)
        summary = json.loads(run.stdout)
        self.assertFalse(summary["complete"])
        self.assertEqual(summary["records_read"], 2)
        self.assertEqual(summary["translated"]["total"], 2)
        self.assertEqual(len(self.output_records()), 2)

    def test_json_and_table_say_the_same(self):
        packets = [IP(src=CLAT_V4, dst=SERVER_V4) / UDP(sport=1, dport=2),
                   IP(src=CLAT_V4, dst=SERVER_V4, ttl=1) / UDP(sport=1, dport=2),
                   IPv6(src="2001:db8:99::1", dst=CLAT_V6) / UDP(sport=1, dport=2)]
        path = self.write_capture("in.pcap", packets)
        summary = self.translate_json(path, *CLAT_OPTIONS)
        table = self.translate(path, *CLAT_OPTIONS).stdout
        self.assertEqual(summary["input"]["link_type"], "EN10MB")
        self.assertEqual(summary["records_read"], 3)
        self.assertEqual(summary["records_written"], 2)
        self.assertEqual(summary["translated"]["total"] + summary["icmp_errors"]["total"] +
                         summary["dropped"]["total"], summary["records_read"])
        self.assertEqual(summary["dropped"]["by_reason"]["source_unmapped"], 1)
        for line in ("records read", "records written", "translated", "  IPv4 to IPv6",
                     "ICMP errors sent back to the source", "dropped", "  source_unmapped"):
            self.assertRegex(table, rf"(^|\n){line} +\d+")
        # Aligned: every count ends in the same column.
        counts = [re.match(r"^ *\S.*? +(\d+)(  .*)?$", line)
                  for line in table.split("\n\n", 1)[1].splitlines()]
        self.assertTrue(all(counts), table)
        self.assertEqual(len({match.end(1) for match in counts}), 1, table)

    def test_verbose_prints_one_line_per_record(self):
        packets = [IP(src=CLAT_V4, dst=SERVER_V4) / ICMP(id=1, seq=2),
                   IPv6(src=SERVER_V6, dst=CLAT_V6) / ICMPv6EchoReply(id=1, seq=2)]
        run = self.translate(self.write_capture("in.pcap", packets), *CLAT_OPTIONS, "-v")
        lines = run.stdout.splitlines()
        self.assertEqual(lines[0], "1: 192.0.0.1 > 198.51.100.7 icmp echo-request id 1 seq 2, ttl 64, "
                                   "28 bytes => translated => 2001:db8:1::c1a7 > "
                                   "2001:db8:64::c633:6407 icmpv6 echo-request id 1 seq 2, hlim 63, "
                                   "48 bytes")
        self.assertTrue(lines[1].startswith("2: 2001:db8:64::c633:6407 > 2001:db8:1::c1a7 icmpv6 "
                                            "echo-reply id 1 seq 2, hlim 64, 48 bytes => translated => "
                                            "198.51.100.7 > 192.0.0.1 icmp echo-reply"), lines[1])


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0], *sys.argv[1:]], verbosity=2)
