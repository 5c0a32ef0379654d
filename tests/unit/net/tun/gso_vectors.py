#!/usr/bin/python3
"""Test vectors for net/tun/gso_split.cpp, made by scapy (Debian's python3-scapy 2.5).

Prints one block per case:
    case NAME
    header FLAGS GSO_TYPE HDR_LEN GSO_SIZE CSUM_START CSUM_OFFSET
    input HEX        the packet as TUN hands it over (partial checksum, full IP length)
    expect HEX       one line per packet the splitter must produce, scapy-built and checksummed
    end
The super-packets are what the Linux stack gives a TUN with TSO/USO on: the IP length covers
everything, the transport checksum field holds the folded pseudo-header sum (CHECKSUM_PARTIAL).
"""
import sys

from scapy.all import IP, IPv6, TCP, UDP, Raw, raw
from scapy.utils import checksum

NEEDS_CSUM = 1
GSO_NONE, GSO_TCPV4, GSO_TCPV6, GSO_UDP_L4, GSO_ECN = 0, 1, 4, 5, 0x80
PROTO_TCP, PROTO_UDP = 6, 17


def payload(n):
    return bytes((i * 7 + 3) & 0xFF for i in range(n))


def partial(packet, proto, l4_offset):
    """The packet with its transport checksum replaced by the folded pseudo-header sum."""
    data = bytearray(raw(packet))
    l4_length = len(data) - l4_offset
    if data[0] >> 4 == 4:
        pseudo = bytes(data[12:20]) + bytes([0, proto]) + l4_length.to_bytes(2, "big")
    else:
        pseudo = bytes(data[8:40]) + l4_length.to_bytes(4, "big") + bytes([0, 0, 0, proto])
    field = l4_offset + (16 if proto == PROTO_TCP else 6)
    data[field:field + 2] = (0xFFFF ^ checksum(pseudo)).to_bytes(2, "big")
    return bytes(data)


def emit(name, header, packet, expected):
    print("case", name)
    print("header", *header)
    print("input", packet.hex())
    for segment in expected:
        print("expect", raw(segment).hex())
    print("end")


def tcp_case(name, ip, sport, dport, seq, flags, mss, size, gso_type, options=()):
    data = payload(size)
    tcp = TCP(sport=sport, dport=dport, seq=seq, ack=0x01020304, flags=flags, window=502,
              options=list(options))
    super_packet = ip / tcp / Raw(data)
    built = IP(raw(super_packet)) if ip.version == 4 else IPv6(raw(super_packet))
    l4 = 20 if ip.version == 4 else 40
    tcp_header_length = len(raw(tcp))
    expected = []
    count = (size + mss - 1) // mss
    for i in range(count):
        chunk = data[i * mss:(i + 1) * mss]
        seg_flags = int(built[TCP].flags)
        if i != count - 1:
            seg_flags &= ~0x09  # FIN and PSH only on the last segment
        if i != 0:
            seg_flags &= ~0x80  # CWR only on the first
        seg_tcp = TCP(sport=sport, dport=dport, seq=(seq + i * mss) & 0xFFFFFFFF, ack=0x01020304,
                      flags=seg_flags, window=502, options=list(options))
        if ip.version == 4:
            seg_ip = ip.copy()
            seg_ip.id = (ip.id + i) & 0xFFFF
            seg_ip.len = None
            seg_ip.chksum = None
        else:
            seg_ip = ip.copy()
            seg_ip.plen = None
        expected.append(seg_ip / seg_tcp / Raw(chunk))
    header = (NEEDS_CSUM, gso_type, l4 + tcp_header_length, mss, l4, 16)
    emit(name, header, partial(super_packet, PROTO_TCP, l4), expected)


def udp_case(name, ip, mss, size):
    data = payload(size)
    super_packet = ip / UDP(sport=4000, dport=5000) / Raw(data)
    l4 = 20 if ip.version == 4 else 40
    expected = []
    for i in range((size + mss - 1) // mss):
        seg_ip = ip.copy()
        if ip.version == 4:
            seg_ip.id = (ip.id + i) & 0xFFFF
            seg_ip.len = None
            seg_ip.chksum = None
        else:
            seg_ip.plen = None
        expected.append(seg_ip / UDP(sport=4000, dport=5000) / Raw(data[i * mss:(i + 1) * mss]))
    emit(name, (NEEDS_CSUM, GSO_UDP_L4, l4 + 8, mss, l4, 6),
         partial(super_packet, PROTO_UDP, l4), expected)


def csum_case(name, packet, proto):
    """NEEDS_CSUM without GSO: one packet in, the same packet with its checksum out."""
    l4 = 20 if packet.version == 4 else 40
    offset = 16 if proto == PROTO_TCP else 6
    emit(name, (NEEDS_CSUM, GSO_NONE, 0, 0, l4, offset), partial(packet, proto, l4), [packet])


def main():
    v4 = IP(src="192.0.2.1", dst="198.51.100.7", id=0xFFFE, flags="DF", ttl=64)
    v6 = IPv6(src="2001:db8::1", dst="64:ff9b::c633:6407", hlim=64, fl=0x12345)
    # 3 full segments and a short one; Identification wraps; FIN|PSH only on the last.
    tcp_case("tcp4", v4, 40000, 80, 0xFFFFF000, "FPA", 1448, 3 * 1448 + 100, GSO_TCPV4)
    # Timestamps (a 32-byte TCP header), exact multiple of the MSS, CWR on the first only.
    tcp_case("tcp6", v6, 40001, 443, 1000, "PAC", 1208, 4 * 1208, GSO_TCPV6 | GSO_ECN,
             options=[("NOP", None), ("NOP", None), ("Timestamp", (1, 2))])
    udp_case("udp4", IP(src="10.0.0.1", dst="10.0.0.2", id=7), 1000, 2500)
    udp_case("udp6", IPv6(src="fd00::1", dst="fd00::2"), 1200, 2401)
    csum_case("csum_tcp4", IP(raw(v4 / TCP(sport=1, dport=2, flags="S") / Raw(b"hello"))),
              PROTO_TCP)
    csum_case("csum_udp6", IPv6(raw(v6 / UDP(sport=53, dport=5353) / Raw(payload(33)))),
              PROTO_UDP)
    return 0


if __name__ == "__main__":
    sys.exit(main())
