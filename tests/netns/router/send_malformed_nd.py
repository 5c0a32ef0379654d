"""Sends malformed Router Solicitations and Advertisements (and one valid but inconsistent RA)
on DEVICE, each twice, with correct ICMPv6 checksums so the kernel delivers them to sixgate.
Usage (inside the host namespace): /usr/bin/python3 send_malformed_nd.py DEVICE"""

import sys

import ipaddress

from scapy.all import (ICMPv6ND_RA, ICMPv6ND_RS, ICMPv6NDOptSrcLLAddr, IPv6, Ether, Raw, get_if_hwaddr,
                       in6_chksum, sendp)


def link_local_of(device):
    with open("/proc/net/if_inet6") as table:
        for line in table:
            address, _index, _length, scope, _flags, name = line.split()
            if name == device and scope == "20":  # link scope
                return str(ipaddress.IPv6Address(bytes.fromhex(address)))
    raise SystemExit(f"no link-local address on {device}")


device = sys.argv[1]
mac = get_if_hwaddr(device)
link_local = link_local_of(device)
to_routers = Ether(src=mac, dst="33:33:00:00:00:02")
to_nodes = Ether(src=mac, dst="33:33:00:00:00:01")


def ip(src=link_local, dst="ff02::2", hlim=255):
    return IPv6(src=src, dst=dst, hlim=hlim, nh=58)


def raw_icmp(src, dst, payload):
    """An ICMPv6 message given as bytes, with its checksum filled in."""
    header = IPv6(src=src, dst=dst, nh=58)
    checksum = in6_chksum(58, header, payload)
    return Raw(payload[:2] + checksum.to_bytes(2, "big") + payload[4:])


packets = [
    to_routers / ip(hlim=64) / ICMPv6ND_RS(),                                   # bad_hop_limit
    to_routers / ip() / ICMPv6ND_RS(code=1),                                    # bad_code
    to_routers / ip() / ICMPv6ND_RS() / Raw(bytes([1, 0, 0, 0, 0, 0, 0, 0])),   # zero_length_option
    to_routers / ip() / ICMPv6ND_RS() / Raw(bytes([1, 2, 0, 0, 0, 0, 0, 0])),   # option_overflows
    to_routers / ip() / raw_icmp(link_local, "ff02::2", bytes([133, 0, 0, 0, 0, 0])),  # too_short
    to_routers / ip(src="::") / ICMPv6ND_RS() / ICMPv6NDOptSrcLLAddr(lladdr=mac),  # rs_unspecified_source_with_slla
    to_nodes / ip(src="2001:db8::99", dst="ff02::1") / ICMPv6ND_RA(routerlifetime=0),  # ra_source_not_link_local
    to_nodes / ip(dst="ff02::1") / ICMPv6ND_RA(chlim=32, routerlifetime=0),     # valid, inconsistent hop limit
]
for packet in packets:
    sendp(packet, iface=device, count=2, verbose=False)
