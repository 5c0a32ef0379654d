"""Builds sixgate's ND test vectors with scapy, independently of the C++ builders.

Prints one line per vector, "name hex", where hex is the ICMPv6 message (no IP header). Messages
are built inside IPv6(src, dst, hlim=255) so scapy computes their checksum itself. PREF64 has no
scapy class; it is laid out here from RFC 8781 section 4 by hand.
Run by nd_unit_tests with /usr/bin/python3 (Debian's, which has python3-scapy).
"""
import socket
import struct
import sys

try:
    from scapy.layers.inet6 import (IPv6, ICMPv6ND_RA, ICMPv6ND_RS, ICMPv6NDOptDNSSL,
                                    ICMPv6NDOptMTU, ICMPv6NDOptPrefixInfo, ICMPv6NDOptRDNSS,
                                    ICMPv6NDOptRouteInfo, ICMPv6NDOptSrcLLAddr)
    from scapy.packet import Raw
except ImportError as error:
    sys.exit(f"{sys.executable} cannot import scapy ({error}): install python3-scapy")


def pref64(prefix, length, scaled_lifetime):
    # RFC 8781 4: type 38, length 2, 13-bit scaled lifetime and 3-bit PLC, 96 bits of prefix.
    plc = {96: 0, 64: 1, 56: 2, 48: 3, 40: 4, 32: 5}[length]
    return Raw(struct.pack("!BBH", 38, 2, scaled_lifetime << 3 | plc) +
               socket.inet_pton(socket.AF_INET6, prefix)[:12])


def icmp(packet):
    return bytes(packet)[40:]  # after the 40-byte IPv6 header


OPTIONS = {
    "slla": ICMPv6NDOptSrcLLAddr(lladdr="02:00:5e:00:53:01"),
    "mtu": ICMPv6NDOptMTU(mtu=1480),
    "pio": ICMPv6NDOptPrefixInfo(prefix="2001:db8:1:2::", prefixlen=64, L=1, A=1,
                                 validlifetime=86400, preferredlifetime=14400),
    "pio_off_link": ICMPv6NDOptPrefixInfo(prefix="2001:db8:5::", prefixlen=56, L=0, A=0,
                                          validlifetime=0xffffffff, preferredlifetime=1800),
    # RFC 4191 2.3 lengths given explicitly: scapy would always send the whole 16-byte prefix.
    "rio_0": ICMPv6NDOptRouteInfo(len=1, plen=0, prf=3, rtlifetime=600, prefix="::"),
    "rio_48": ICMPv6NDOptRouteInfo(len=2, plen=48, prf=1, rtlifetime=1800,
                                   prefix="2001:db8:100::"),
    "rio_96": ICMPv6NDOptRouteInfo(len=3, plen=96, prf=0, rtlifetime=900, prefix="64:ff9b::"),
    "rdnss": ICMPv6NDOptRDNSS(lifetime=1200, dns=["2001:db8::53", "2001:db8::5353"]),
    "dnssl": ICMPv6NDOptDNSSL(lifetime=1200, searchlist=["corp.example", "example.com"]),
    "pref64_96": pref64("64:ff9b::", 96, 225),
    "pref64_56": pref64("2001:db8:64:6400::", 56, 75),
    "pref64_32": pref64("2001:db8::", 32, 8191),
}


def main():
    vectors = {}
    for name, option in OPTIONS.items():
        vectors[name] = bytes(option)
    ra = (IPv6(src="fe80::1", dst="ff02::1", hlim=255) /
          ICMPv6ND_RA(chlim=64, M=0, O=1, prf=1, routerlifetime=1800, reachabletime=30000,
                      retranstimer=1000))
    for name in ["slla", "mtu", "pio", "rio_48", "rdnss", "dnssl", "pref64_96"]:
        ra = ra / OPTIONS[name]
    vectors["ra_full"] = icmp(ra)
    vectors["ra_not_default_router"] = icmp(
        IPv6(src="fe80::1", dst="ff02::1", hlim=255) /
        ICMPv6ND_RA(chlim=0, M=1, O=0, prf=0, routerlifetime=0))
    vectors["rs_slla"] = icmp(IPv6(src="fe80::2", dst="ff02::2", hlim=255) / ICMPv6ND_RS() /
                              ICMPv6NDOptSrcLLAddr(lladdr="02:00:5e:00:53:02"))
    vectors["rs_unspecified"] = icmp(IPv6(src="::", dst="ff02::2", hlim=255) / ICMPv6ND_RS())
    for name, data in vectors.items():
        print(name, data.hex())


if __name__ == "__main__":
    main()
