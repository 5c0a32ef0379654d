"""Writes the captures the capture reader tests read, and what each record must read back as.

Usage: make_test_captures.py DIRECTORY
Run by capture_reader_test.cpp under Debian's /usr/bin/python3 (python3-scapy). scapy builds every
packet and link-layer header and writes the files (pcap with nanosecond or microsecond stamps,
pcapng); editcap converts one to nanosecond pcapng. DIRECTORY/manifest.txt lists, per capture:
  capture NAME FILE
  record LABEL SECONDS NANOSECONDS IP_VERSION NOT_IP ORIGINAL_LENGTH HEX
IP_VERSION is 0, 4 or 6; NOT_IP a sixgate NotIpReason name; HEX the IP packet as the reader must
return it (link header and padding removed, truncated as captured), "-" when empty.
"""
import os
import shutil
import struct
import subprocess
import sys

try:
    from scapy.layers.inet import ICMP, IP, TCP, UDP
    from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6
    from scapy.layers.l2 import ARP, CookedLinux, CookedLinuxV2, Dot1AD, Dot1Q, Ether
    from scapy.packet import Raw
    from scapy.utils import EDecimal, PcapNgWriter, PcapWriter
except ImportError as error:
    sys.exit(f"{sys.executable} cannot import scapy ({error}): install python3-scapy "
             "(Debian's /usr/bin/python3 must have it)")

LINKTYPE_NULL, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LOOP = 0, 1, 101, 108
LINKTYPE_IEEE802_11, LINKTYPE_LINUX_SLL, LINKTYPE_IPV4, LINKTYPE_IPV6 = 105, 113, 228, 229
LINKTYPE_LINUX_SLL2 = 276

MAC_A, MAC_B = "02:00:5e:00:53:01", "02:00:5e:00:53:02"


def ipv4_udp(payload=b"sixgate", src="192.0.2.1", dst="198.51.100.7"):
    return bytes(IP(src=src, dst=dst, id=0x1234) / UDP(sport=4000, dport=53) / Raw(payload))


def ipv4_icmp():
    return bytes(IP(src="192.0.2.33", dst="203.0.113.9", ttl=17) / ICMP(id=7, seq=1) / Raw(b"ping"))


def ipv4_tcp():
    return bytes(IP(src="198.51.100.1", dst="192.0.2.200") / TCP(sport=443, dport=50000, flags="SA"))


def ipv6_udp(payload=b"sixgate over six", src="2001:db8::1", dst="64:ff9b::c000:221"):
    return bytes(IPv6(src=src, dst=dst, hlim=33) / UDP(sport=5000, dport=53) / Raw(payload))


def ipv6_echo():
    return bytes(IPv6(src="2001:db8:1::5", dst="2001:db8:2::6") / ICMPv6EchoRequest(id=3, seq=9))


class Manifest:
    def __init__(self, directory):
        self.directory = directory
        self.lines = []

    def capture(self, name, file_name):
        self.lines.append(f"capture {name} {file_name}")

    def record(self, label, sec, nsec, version, packet, original_length=None, not_ip="none"):
        if original_length is None:
            original_length = len(packet)
        hex_text = packet.hex() if packet else "-"
        self.lines.append(
            f"record {label} {sec} {nsec} {version} {not_ip} {original_length} {hex_text}")

    def write(self):
        with open(os.path.join(self.directory, "manifest.txt"), "w") as out:
            out.write("\n".join(self.lines) + "\n")


def version_of(ip):
    return ip[0] >> 4


def pcap_writer(path, linktype, nano=True, snaplen=262144, endianness=""):
    writer = PcapWriter(path, linktype=linktype, nano=nano, snaplen=snaplen,
                        endianness=endianness)
    writer.write_header(None)
    return writer


def write_simple(manifest, directory, name, linktype, records, nano=True, endianness=""):
    """records: (label, sec, fraction, frame, ip) with fraction in the file's unit."""
    file_name = f"{name}.pcap"
    manifest.capture(name, file_name)
    writer = pcap_writer(os.path.join(directory, file_name), linktype, nano=nano,
                         endianness=endianness)
    for label, sec, fraction, frame, ip in records:
        writer.write_packet(frame, sec=sec, usec=fraction)
        nsec = fraction if nano else fraction * 1000
        manifest.record(label, sec, nsec, version_of(ip), ip)
    writer.close()


def raw_records():
    v4, v6, tcp = ipv4_icmp(), ipv6_udp(), ipv4_tcp()
    return [("raw_ipv4_icmp", 1700000000, 123456789, v4, v4),
            ("raw_ipv6_udp", 1700000001, 999999999, v6, v6),
            ("raw_ipv4_tcp", 1700000002, 0, tcp, tcp)]


def make_raw(manifest, directory):
    write_simple(manifest, directory, "raw_101", LINKTYPE_RAW, raw_records())
    v4a, v4b = ipv4_udp(), ipv4_udp(b"second")
    write_simple(manifest, directory, "raw_ipv4_228", LINKTYPE_IPV4,
                 [("ipv4_first", 1600000000, 1, v4a, v4a),
                  ("ipv4_second", 1600000000, 2, v4b, v4b)])
    v6a, v6b = ipv6_udp(), ipv6_echo()
    write_simple(manifest, directory, "raw_ipv6_229", LINKTYPE_IPV6,
                 [("ipv6_first", 1600000100, 500, v6a, v6a),
                  ("ipv6_second", 1600000101, 600, v6b, v6b)])
    # Microseconds, big-endian: libpcap scales to nanoseconds and swaps.
    v4, v6 = ipv4_udp(), ipv6_echo()
    write_simple(manifest, directory, "raw_usec_big_endian", LINKTYPE_RAW,
                 [("usec_ipv4", 1500000000, 654321, v4, v4),
                  ("usec_ipv6", 1500000001, 999999, v6, v6)], nano=False, endianness=">")


def ethernet_records():
    v4, v6, v4b, v6b = ipv4_udp(), ipv6_udp(), ipv4_tcp(), ipv6_echo()
    small = bytes(IP(src="192.0.2.1", dst="192.0.2.2") / ICMP())  # 28 bytes: padded to 60
    padded = bytes(Ether(src=MAC_A, dst=MAC_B, type=0x0800)) + small + bytes(18)
    assert len(padded) == 60
    arp = bytes(Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") / ARP(psrc="192.0.2.1", pdst="192.0.2.2"))
    lldp = bytes(Ether(src=MAC_A, dst="01:80:c2:00:00:0e", type=0x88CC)) + bytes(20)
    old_qinq = bytes(Ether(src=MAC_A, dst=MAC_B, type=0x9100) / Dot1Q(vlan=30) / IPv6(
        src="2001:db8::9", dst="2001:db8::a") / UDP(sport=1, dport=2))
    old_qinq_ip = bytes(IPv6(src="2001:db8::9", dst="2001:db8::a") / UDP(sport=1, dport=2))
    assert old_qinq.endswith(old_qinq_ip)
    stub = bytes(Ether(src=MAC_A, dst=MAC_B))[:10]  # shorter than an Ethernet header
    return [
        ("ether_ipv4", 1700000100, 1, bytes(Ether(src=MAC_A, dst=MAC_B) / IP(v4)), v4),
        ("ether_arp", 1700000101, 2, arp, b"", "non_ip_protocol"),
        ("ether_vlan_ipv6", 1700000102, 3,
         bytes(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=10, prio=5) / IPv6(v6)), v6),
        ("ether_qinq_ipv4", 1700000103, 4,
         bytes(Ether(src=MAC_A, dst=MAC_B) / Dot1AD(vlan=100) / Dot1Q(vlan=20) / IP(v4b)), v4b),
        ("ether_vlan_arp", 1700000104, 5,
         bytes(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=10) / ARP()), b"", "non_ip_protocol"),
        ("ether_old_qinq_ipv6", 1700000105, 6, old_qinq, old_qinq_ip),
        ("ether_padded_ipv4", 1700000106, 7, padded, small),
        ("ether_lldp", 1700000107, 8, lldp, b"", "non_ip_protocol"),
        ("ether_header_cut", 1700000108, 9, stub, b"", "link_header_truncated"),
        ("ether_ipv6", 1700000109, 10, bytes(Ether(src=MAC_A, dst=MAC_B) / IPv6(v6b)), v6b),
    ]


def write_records(manifest, directory, name, linktype, records):
    """records: (label, sec, nsec, frame, ip[, not_ip]); nanosecond pcap."""
    file_name = f"{name}.pcap"
    manifest.capture(name, file_name)
    writer = pcap_writer(os.path.join(directory, file_name), linktype)
    for label, sec, nsec, frame, ip, *not_ip in records:
        writer.write_packet(frame, sec=sec, usec=nsec)
        if not_ip:
            manifest.record(label, sec, nsec, 0, b"", 0, not_ip[0])
        else:
            assert ip in frame, label  # the frame carries the packet unchanged
            manifest.record(label, sec, nsec, version_of(ip), ip)
    writer.close()


def make_ethernet(manifest, directory):
    write_records(manifest, directory, "ethernet", LINKTYPE_ETHERNET, ethernet_records())


def make_cooked(manifest, directory):
    v4, v6 = ipv4_udp(), ipv6_udp()
    sll = CookedLinux(pkttype=0, lladdrtype=1, lladdrlen=6, src=bytes.fromhex("02005e005301"))
    assert len(bytes(sll)) == 16
    arp = bytes(sll.copy() / ARP())
    write_records(manifest, directory, "linux_sll", LINKTYPE_LINUX_SLL, [
        ("sll_ipv4", 1700000200, 11, bytes(sll.copy() / IP(v4)), v4),
        ("sll_ipv6", 1700000201, 12, bytes(sll.copy() / IPv6(v6)), v6),
        ("sll_arp", 1700000202, 13, arp, b"", "non_ip_protocol"),
    ])
    sll2 = CookedLinuxV2(ifindex=3, lladdrtype=1, pkttype=4, lladdrlen=6,
                         src=bytes.fromhex("02005e005302"))
    assert len(bytes(sll2)) == 20
    write_records(manifest, directory, "linux_sll2", LINKTYPE_LINUX_SLL2, [
        ("sll2_ipv6", 1700000300, 21, bytes(sll2.copy() / IPv6(v6)), v6),
        ("sll2_ipv4", 1700000301, 22, bytes(sll2.copy() / IP(v4)), v4),
        ("sll2_arp", 1700000302, 23, bytes(sll2.copy() / ARP()), b"", "non_ip_protocol"),
    ])


def make_loopback(manifest, directory):
    v4, v6 = ipv4_icmp(), ipv6_echo()
    # DLT_NULL: the family in the capturing host's byte order, either one.
    write_records(manifest, directory, "bsd_null", LINKTYPE_NULL, [
        ("null_ipv4_le", 1700000400, 31, struct.pack("<I", 2) + v4, v4),
        ("null_ipv6_darwin_le", 1700000401, 32, struct.pack("<I", 30) + v6, v6),
        ("null_ipv6_bsd_be", 1700000402, 33, struct.pack(">I", 24) + v6, v6),
        ("null_ipv6_freebsd_le", 1700000403, 34, struct.pack("<I", 28) + v6, v6),
        ("null_ipx", 1700000404, 35, struct.pack("<I", 23) + bytes(30), b"", "non_ip_protocol"),
    ])
    # DLT_LOOP: always network byte order.
    write_records(manifest, directory, "bsd_loop", LINKTYPE_LOOP, [
        ("loop_ipv4", 1700000500, 41, struct.pack(">I", 2) + v4, v4),
        ("loop_ipv6", 1700000501, 42, struct.pack(">I", 28) + v6, v6),
    ])


def make_truncated_records(manifest, directory):
    """Records the snap length cut: what is captured, and the length on the wire."""
    big6 = ipv6_udp(bytes(range(256)) * 2)   # 560 bytes
    big4 = ipv4_udp(bytes(range(200)))       # 228 bytes
    small = ipv6_echo()
    name, file_name = "snaplen_ethernet", "snaplen_ethernet.pcap"
    manifest.capture(name, file_name)
    writer = pcap_writer(os.path.join(directory, file_name), LINKTYPE_ETHERNET, snaplen=96)
    for label, nsec, frame, ip, header in [
            ("cut_vlan_ipv6", 51, bytes(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=7) / IPv6(big6)),
             big6, 18),
            ("cut_ipv4", 52, bytes(Ether(src=MAC_A, dst=MAC_B) / IP(big4)), big4, 14),
            ("whole_ipv6", 53, bytes(Ether(src=MAC_A, dst=MAC_B) / IPv6(small)), small, 14)]:
        captured = frame[:96]
        writer.write_packet(captured, sec=1700000600, usec=nsec, caplen=len(captured),
                            wirelen=len(frame))
        manifest.record(label, 1700000600, nsec, version_of(ip), captured[header:], len(ip))
    # The snap length cut inside the VLAN tag: no IP packet left.
    frame = bytes(Ether(src=MAC_A, dst=MAC_B) / Dot1Q(vlan=7) / IPv6(big6))
    writer.write_packet(frame[:16], sec=1700000600, usec=54, caplen=16, wirelen=len(frame))
    manifest.record("cut_in_vlan_tag", 1700000600, 54, 0, b"", 0, "link_header_truncated")
    writer.close()

    name, file_name = "snaplen_raw", "snaplen_raw.pcap"
    manifest.capture(name, file_name)
    writer = pcap_writer(os.path.join(directory, file_name), LINKTYPE_RAW, snaplen=64)
    for label, nsec, ip in [("raw_cut_ipv6", 61, big6), ("raw_cut_ipv4", 62, big4)]:
        writer.write_packet(ip[:64], sec=1700000700, usec=nsec, caplen=64, wirelen=len(ip))
        manifest.record(label, 1700000700, nsec, version_of(ip), ip[:64], len(ip))
    # Neither 4 nor 6 in the first nibble, and an empty record.
    junk = bytes.fromhex("50000014")
    writer.write_packet(junk, sec=1700000700, usec=63)
    manifest.record("raw_version_5", 1700000700, 63, 0, b"", 0, "unknown_ip_version")
    writer.write_packet(b"", sec=1700000700, usec=64)
    manifest.record("raw_empty", 1700000700, 64, 0, b"", 0, "unknown_ip_version")
    writer.close()


def make_pcapng(manifest, directory):
    """pcapng from scapy (microsecond resolution, Ethernet) and from editcap (nanoseconds)."""
    name, file_name = "pcapng_scapy", "pcapng_scapy.pcapng"
    manifest.capture(name, file_name)
    writer = PcapNgWriter(os.path.join(directory, file_name))
    v4, v6 = ipv4_udp(), ipv6_udp()
    for label, stamp, usec, frame, ip in [
            ("ng_ipv4", "1700000800.250000", 250000, Ether(src=MAC_A, dst=MAC_B) / IP(v4), v4),
            ("ng_ipv6", "1700000801.000001", 1, Ether(src=MAC_A, dst=MAC_B) / IPv6(v6), v6)]:
        frame.time = EDecimal(stamp)  # exact: scapy multiplies by its 10^6 resolution
        writer.write(frame)
        manifest.record(label, int(stamp.split(".")[0]), usec * 1000, version_of(ip), ip)
    arp = Ether(src=MAC_A, dst="ff:ff:ff:ff:ff:ff") / ARP()
    arp.time = EDecimal("1700000802.5")
    writer.write(arp)
    manifest.record("ng_arp", 1700000802, 500000000, 0, b"", 0, "non_ip_protocol")
    writer.close()

    editcap = shutil.which("editcap")
    if editcap is None:
        sys.exit("editcap not found: install tshark (wireshark-common)")
    name, file_name = "pcapng_editcap", "pcapng_editcap.pcapng"
    manifest.capture(name, file_name)
    result = subprocess.run([editcap, "-F", "pcapng", os.path.join(directory, "raw_101.pcap"),
                             os.path.join(directory, file_name)], capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        sys.exit(f"editcap failed: {result.stderr}")
    for label, sec, nsec, _, ip in raw_records():
        manifest.record("ng_" + label, sec, nsec, version_of(ip), ip)


def make_damaged(directory):
    """Files the reader must refuse, or stop in with an error; the tests know what to expect."""
    with open(os.path.join(directory, "raw_101.pcap"), "rb") as source:
        whole = source.read()
    # raw_101: 24-byte file header, then 16-byte record headers. Cut the third record's data.
    with open(os.path.join(directory, "cut_in_record_data.pcap"), "wb") as out:
        out.write(whole[:-5])
    # Cut inside the second record's header.
    second = 24 + 16 + len(ipv4_icmp())
    with open(os.path.join(directory, "cut_in_record_header.pcap"), "wb") as out:
        out.write(whole[:second + 7])
    with open(os.path.join(directory, "cut_in_file_header.pcap"), "wb") as out:
        out.write(whole[:10])
    open(os.path.join(directory, "empty.pcap"), "wb").close()
    with open(os.path.join(directory, "not_a_capture.txt"), "w") as out:
        out.write("This is a text file, not a packet capture.\n" * 4)
    # A link type sixgate does not strip: 802.11.
    writer = pcap_writer(os.path.join(directory, "ieee802_11.pcap"), LINKTYPE_IEEE802_11)
    writer.write_packet(bytes(24), sec=1, usec=0)
    writer.close()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_test_captures.py DIRECTORY")
    directory = sys.argv[1]
    os.makedirs(directory, exist_ok=True)
    manifest = Manifest(directory)
    make_raw(manifest, directory)
    make_ethernet(manifest, directory)
    make_cooked(manifest, directory)
    make_loopback(manifest, directory)
    make_truncated_records(manifest, directory)
    make_pcapng(manifest, directory)
    make_damaged(directory)
    manifest.write()


if __name__ == "__main__":
    main()
