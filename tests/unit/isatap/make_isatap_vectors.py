#!/usr/bin/python3
"""Builds the ISATAP (RFC 5214) packet vectors of isatap_vectors.hpp with scapy, independently of
sixgate's code: protocol-41 packets a host sends (RFC 4213 3.5), and the unicast Router
Advertisement (RFC 5214 8.2.3) that compose_isatap_advertisement + build_advertisement_packet must
produce for the fixed config isatap_advertisement_test.cpp builds. scapy computes every length
and checksum; tshark (a second, independent dissector) must agree on the RA's fields and checksum,
or the script fails.

Run with Debian's python3 (scapy): /usr/bin/python3 make_isatap_vectors.py > isatap_vectors.hpp
Fuzz seeds: /usr/bin/python3 make_isatap_vectors.py --seeds tests/fuzz/corpus/isatap
isatap_vectors_regeneration_test runs it and fails when the output and the checked-in header differ.

The fixed setup: router 10.1.0.1, host 10.1.0.20 (allowed), host 10.1.0.30 (allowed, spoofing
.20), public IPv4 131.107.0.2: site 2002:836b:2::/48, ISATAP prefix 2002:836b:2:8000::/64,
IP-HTTPS 2002:836b:2:1000::/64, Teredo 2001:0:836b:2::/64. The RA's config: router interfaces
lan0 (routes iphttps medium 1800 s, teredo high 3600 s) and lan1 (iphttps again, low 10 s: left
out, once per prefix).
"""

import os
import subprocess
import sys
import tempfile

from scapy.all import (IP, ICMPv6EchoRequest, ICMPv6ND_RA, ICMPv6ND_RS, ICMPv6NDOptPrefixInfo,
                       ICMPv6NDOptRouteInfo, IPv6, Raw, conf, raw, wrpcap)

conf.verb = 0

ROUTER4 = "10.1.0.1"
HOST4 = "10.1.0.20"
SPOOFER4 = "10.1.0.30"
ROUTER_LL = "fe80::5efe:" + ROUTER4
HOST_LL = "fe80::5efe:" + HOST4
ISATAP_PREFIX = "2002:836b:2:8000::"
HOST_GLOBAL = ISATAP_PREFIX + "5efe:" + HOST4
IPHTTPS = "2002:836b:2:1000::"
TEREDO = "2001:0:836b:2::"
REMOTE_CLIENT = IPHTTPS + "5"
PAYLOAD = bytes(range(32))

vectors = []


def add(name, comment, packet):
    vectors.append((name, comment, packet if isinstance(packet, bytes) else raw(packet)))


# RFC 5214 8.3.4: the host's Router Solicitation to its PRL router's ISATAP link-local address,
# encapsulated (RFC 4213 3.5: protocol 41, TTL 64, DF clear).
rs_inner = IPv6(src=HOST_LL, dst=ROUTER_LL, hlim=255) / ICMPv6ND_RS()
add("kRsInner", "the IPv6 Router Solicitation a host sends", rs_inner)
add("kRsEncapsulated", "the same RS in IPv4 protocol 41 from the host to the router",
    IP(src=HOST4, dst=ROUTER4, ttl=64, id=0x1234, flags=0, proto=41) / rs_inner)

# RFC 5214 8.2.3 / RFC 4861 4.2: the router's unicast answer. Router lifetime 0 (manage-out),
# cur hop limit 64, the ISATAP prefix (L, A; RFC 9096 3.3 lifetimes) and RFC 4191 routes in the
# shortest form (Length 2 for a /64).
ra = (IPv6(src=ROUTER_LL, dst=HOST_LL, hlim=255) /
      ICMPv6ND_RA(chlim=64, M=0, O=0, H=0, prf=0, routerlifetime=0, reachabletime=0, retranstimer=0) /
      ICMPv6NDOptPrefixInfo(prefixlen=64, L=1, A=1, validlifetime=5400, preferredlifetime=2700,
                            prefix=ISATAP_PREFIX) /
      ICMPv6NDOptRouteInfo(len=2, plen=64, prf=0, rtlifetime=1800, prefix=IPHTTPS) /
      ICMPv6NDOptRouteInfo(len=2, plen=64, prf=1, rtlifetime=3600, prefix=TEREDO))
ra_bytes = raw(ra)
add("kRaInner", "the unicast RA the router answers with (the fixed config above)", ra_bytes)
add("kRaEncapsulated", "the RA in IPv4 protocol 41, Identification 1, TOS 0 (write_outer_header)",
    IP(src=ROUTER4, dst=HOST4, ttl=64, id=1, tos=0, flags=0, proto=41) / ra_bytes)

# Data: an echo request from the host's SLAAC address to a remote IP-HTTPS client, with 6 bytes
# of IPv4 padding after the IPv6 packet (RFC 4213 3.6: not part of the IPv6 packet), TOS 0x28
# from a traffic class of 0x28.
echo = IPv6(src=HOST_GLOBAL, dst=REMOTE_CLIENT, hlim=64, tc=0x28) / ICMPv6EchoRequest(id=7, seq=1, data=PAYLOAD)
add("kEchoInner", "an echo request from the host's ISATAP address to an IP-HTTPS client", echo)
add("kEchoPadded", "the echo request encapsulated with 6 bytes of padding after it",
    # raw() first: scapy would otherwise count the padding in the IPv6 Payload Length.
    IP(src=HOST4, dst=ROUTER4, ttl=64, id=0x2222, tos=0x28, flags=0, proto=41) / Raw(raw(echo) + b"\0" * 6))
# RFC 5214 7.3: the outer source (10.1.0.30) does not match the IPv4 address the inner source
# embeds (10.1.0.20).
add("kEchoSpoofed", "the echo request sent by 10.1.0.30 with .20's inner source",
    IP(src=SPOOFER4, dst=ROUTER4, ttl=64, id=0x3333, flags=0, proto=41) / echo)


def tshark_check_ra():
    """tshark must read kRaEncapsulated as the RA the test expects, checksum good."""
    fields = ["ip.proto", "ipv6.hlim", "icmpv6.type", "icmpv6.checksum.status",
              "icmpv6.nd.ra.cur_hop_limit", "icmpv6.nd.ra.router_lifetime", "icmpv6.opt.prefix",
              "icmpv6.opt.prefix.flag.l", "icmpv6.opt.prefix.flag.a", "icmpv6.opt.prefix.valid_lifetime",
              "icmpv6.opt.prefix.preferred_lifetime", "icmpv6.opt.route_info.flag.route_preference",
              "icmpv6.opt.route_lifetime"]
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "ra.pcap")
        wrpcap(path, [IP(vectors_by_name["kRaEncapsulated"])])
        out = subprocess.run(["tshark", "-n", "-r", path, "-T", "fields", "-E", "separator=|"] +
                             sum((["-e", f] for f in fields), []),
                             check=True, capture_output=True, text=True).stdout.strip()
    got = dict(zip(fields, out.split("|")))
    want = {
        "ip.proto": "41", "ipv6.hlim": "255", "icmpv6.type": "134", "icmpv6.checksum.status": "1",
        "icmpv6.nd.ra.cur_hop_limit": "64", "icmpv6.nd.ra.router_lifetime": "0",
        # tshark lists the route options' prefixes under the same field, after the PIO's.
        "icmpv6.opt.prefix": "2002:836b:2:8000::,2002:836b:2:1000::,2001:0:836b:2::", "icmpv6.opt.prefix.flag.l": "True",
        "icmpv6.opt.prefix.flag.a": "True", "icmpv6.opt.prefix.valid_lifetime": "5400",
        "icmpv6.opt.prefix.preferred_lifetime": "2700",
        "icmpv6.opt.route_info.flag.route_preference": "0,1",
        "icmpv6.opt.route_lifetime": "1800,3600",
    }
    # tshark prints booleans as 1 or True depending on its version; checksum status 1 is "good".
    def norm(key, value):
        return {"1": "True", "0": "False"}.get(value, value) if ".flag." in key else value
    bad = {k: (got.get(k), v) for k, v in want.items() if norm(k, got.get(k, "")) != v}
    if bad:
        sys.exit("tshark disagrees with the scapy RA: " + repr(bad))


def c_bytes(data):
    lines = []
    for i in range(0, len(data), 16):
        lines.append("    " + " ".join("0x%02x," % b for b in data[i:i + 16]))
    return "\n".join(lines)


vectors_by_name = {name: data for name, _, data in vectors}

if len(sys.argv) == 3 and sys.argv[1] == "--seeds":
    # The fuzz target's input: one control byte (0: as is), then the IPv4 datagram or, for the
    # bare IPv6 packets, the packet the TUN hands over.
    os.makedirs(sys.argv[2], exist_ok=True)
    for name, _, data in vectors:
        with open(os.path.join(sys.argv[2], name[1:]), "wb") as f:
            f.write(b"\0" + data)
    sys.exit(0)
if len(sys.argv) != 1:
    sys.exit("usage: make_isatap_vectors.py [--seeds DIR]")

tshark_check_ra()

print("#pragma once")
print("// Generated by make_isatap_vectors.py (scapy, the RA confirmed by tshark): do not edit.")
print("// ISATAP packets built independently of sixgate's code.")
print()
print("#include <cstdint>")
print()
print("namespace sixgate::isatap::vectors {")
for name, comment, data in vectors:
    print()
    print("// " + comment)
    print("inline constexpr std::uint8_t %s[] = {" % name)
    print(c_bytes(data))
    print("};")
print()
print("}  // namespace sixgate::isatap::vectors")
