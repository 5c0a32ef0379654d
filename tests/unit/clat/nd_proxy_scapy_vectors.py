"""Builds the ND proxy's test packets with scapy, independently of the C++ codecs.

Prints one line per packet, "name hex": whole IPv6 packets (40-byte header, then ICMPv6), hop
limit 255 unless the name says otherwise, checksums computed by scapy. Inputs (ns_*, na_*) are
fed to the parsers; outputs (reply_*, dad_probe) must equal what sixgate builds byte for byte.
Run by clat_discovery_unit_tests with /usr/bin/python3 (Debian's, which has python3-scapy).
"""
import sys

try:
    from scapy.layers.inet6 import (IPv6, ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                                    ICMPv6NDOptSrcLLAddr, ICMPv6NDOptUnknown)
    from scapy.packet import Raw
except ImportError as error:
    sys.exit(f"{sys.executable} cannot import scapy ({error}): install python3-scapy")

TARGET = "2001:db8:64::c1a7"
SOLICITED = "ff02::1:ff00:c1a7"  # RFC 4291 2.7.1: ff02::1:ff and the low 24 bits
PEER = "2001:db8:64::1"
PEER_LL = "fe80::1"
PEER_MAC = "02:00:5e:00:53:01"
OUR_MAC = "02:00:5e:00:53:c1"
NONCE = bytes.fromhex("0102030405a6")

VECTORS = {
    # Inputs (RFC 4861 7.1.1 cases).
    "ns_multicast_with_slla": IPv6(src=PEER_LL, dst=SOLICITED, hlim=255) / ICMPv6ND_NS(tgt=TARGET)
    / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC),
    "ns_unicast_without_slla": IPv6(src=PEER, dst=TARGET, hlim=255) / ICMPv6ND_NS(tgt=TARGET),
    "ns_dad": IPv6(src="::", dst=SOLICITED, hlim=255) / ICMPv6ND_NS(tgt=TARGET),
    "ns_hop_limit_64": IPv6(src=PEER_LL, dst=SOLICITED, hlim=64) / ICMPv6ND_NS(tgt=TARGET),
    "ns_code_1": IPv6(src=PEER_LL, dst=SOLICITED, hlim=255) / ICMPv6ND_NS(code=1, tgt=TARGET),
    "ns_bad_checksum": IPv6(src=PEER_LL, dst=SOLICITED, hlim=255) / ICMPv6ND_NS(cksum=0x1234, tgt=TARGET),
    "ns_multicast_target": IPv6(src=PEER_LL, dst="ff02::1:ff00:1", hlim=255) / ICMPv6ND_NS(tgt="ff02::1"),
    "ns_zero_length_option": IPv6(src=PEER_LL, dst=SOLICITED, hlim=255) / ICMPv6ND_NS(tgt=TARGET)
    / Raw(bytes([1, 0, 0, 0, 0, 0, 0, 0])),
    "ns_option_overflows": IPv6(src=PEER_LL, dst=SOLICITED, hlim=255) / ICMPv6ND_NS(tgt=TARGET)
    / Raw(bytes([1, 2, 0, 0, 0, 0, 0, 0])),
    "ns_long_slla": IPv6(src=PEER_LL, dst=SOLICITED, hlim=255) / ICMPv6ND_NS(tgt=TARGET)
    / ICMPv6NDOptUnknown(type=1, len=2, data=bytes(14)),
    "ns_dad_to_unicast": IPv6(src="::", dst=TARGET, hlim=255) / ICMPv6ND_NS(tgt=TARGET),
    "ns_dad_with_slla": IPv6(src="::", dst=SOLICITED, hlim=255) / ICMPv6ND_NS(tgt=TARGET)
    / ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC),
    "ns_truncated": IPv6(src=PEER_LL, dst=SOLICITED, hlim=255) / ICMPv6ND_NS(tgt=TARGET),  # cut below
    "na_defending": IPv6(src=PEER_LL, dst="ff02::1", hlim=255) / ICMPv6ND_NA(R=0, S=0, O=1, tgt=TARGET)
    / ICMPv6NDOptDstLLAddr(lladdr=PEER_MAC),
    "na_multicast_solicited": IPv6(src=PEER_LL, dst="ff02::1", hlim=255) / ICMPv6ND_NA(R=0, S=1, O=1, tgt=TARGET),
    # Outputs.
    "reply_solicited": IPv6(src=TARGET, dst=PEER_LL, hlim=255) / ICMPv6ND_NA(R=0, S=1, O=0, tgt=TARGET)
    / ICMPv6NDOptDstLLAddr(lladdr=OUR_MAC),
    "reply_unicast": IPv6(src=TARGET, dst=PEER, hlim=255) / ICMPv6ND_NA(R=0, S=1, O=0, tgt=TARGET)
    / ICMPv6NDOptDstLLAddr(lladdr=OUR_MAC),
    "reply_dad_defense": IPv6(src=TARGET, dst="ff02::1", hlim=255) / ICMPv6ND_NA(R=0, S=0, O=0, tgt=TARGET)
    / ICMPv6NDOptDstLLAddr(lladdr=OUR_MAC),
    # RFC 4862 5.4.2 probe with an RFC 3971 5.3.2 Nonce option (type 14, length 1).
    "dad_probe": IPv6(src="::", dst=SOLICITED, hlim=255) / ICMPv6ND_NS(tgt=TARGET)
    / ICMPv6NDOptUnknown(type=14, len=1, data=NONCE),
}

for name, packet in VECTORS.items():
    data = bytes(packet)
    if name == "ns_truncated":
        data = data[:40 + 20]
        data = data[:4] + (20).to_bytes(2, "big") + data[6:]
    print(name, data.hex())
