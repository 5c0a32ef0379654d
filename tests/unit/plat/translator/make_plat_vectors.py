#!/usr/bin/python3
"""Builds the PLAT (RFC 6146) packet vectors of plat_vectors.hpp with scapy: each packet sent into
the PLAT and, built independently of sixgate's code, the packet(s) RFC 6146 3.4-3.8 (with RFC 7915
for the headers) say must come out. scapy computes every length and checksum.

Run with Debian's python3 (scapy): /usr/bin/python3 make_plat_vectors.py > plat_vectors.hpp
Fuzz seeds: /usr/bin/python3 make_plat_vectors.py --seeds tests/fuzz/corpus/plat
plat_vectors_regeneration_test runs it and fails when the output and the checked-in header differ.

The PLAT under test (plat_translator_test_util.hpp) is configured so that every transport address
it hands out is known in advance: one session-table shard, pool4 10.0.0.100/32 with one port per
protocol (TCP 3388-3389 with 3389 static, so a new TCP binding gets 3388; UDP 50000; ICMP
identifier 7), a static TCP BIB entry
[2002:836b:2:1000::5]:3389 <-> 10.0.0.100:3389, pool6 64:ff9b::/96 ("wkp") or 2001:db8:64::/96
("nsp"), own IPv4 10.0.0.100 (the first pool4 address), own IPv6 pool6 + 10.0.0.100, no RFC 6791
pool, IPv4 Identification of translated packets 0x5eed (the test seeds it).
"""

import struct
import sys

from scapy.all import (ICMP, IP, TCP, UDP, ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6PacketTooBig, ICMPv6TimeExceeded, IPv6, IPv6ExtHdrFragment, Raw, conf,
                       raw)

conf.verb = 0

IDENT = 0x5EED
POOL4 = "10.0.0.100"
CLIENT1 = "2001:db8:1::10"
CLIENT2 = "2001:db8:1::20"
STATIC6 = "2002:836b:2:1000::5"
SERVER = "93.184.216.34"
SERVER2 = "93.184.216.35"
ROUTER4 = "80.81.82.83"
ROUTER6 = "2001:db8:ffff::1"
DOC4 = "198.51.100.10"
UDP_X, UDP_T = 41000, 50000
TCP_X, TCP_T = 42000, 3388
ICMP_X, ICMP_T = 0x1234, 7
PAYLOAD = bytes(range(48))


def wkp(v4):
    return "64:ff9b::" + v4


def nsp(v4):
    return "2001:db8:64::" + v4


OWN6_WKP = wkp(POOL4)
OWN6_NSP = nsp(POOL4)

vectors = []


def add(name, rfc, packet_in, outputs):
    vectors.append((name, rfc, raw(packet_in) if not isinstance(packet_in, bytes) else packet_in,
                    [raw(o) if not isinstance(o, bytes) else o for o in outputs]))


def icmp4_error_ident(src, dst, ident):
    # xlat/icmp4_error.cpp's Identification for the errors it builds (a hash of the original).
    s = struct.unpack("!I", bytes(map(int, src.split("."))))[0]
    d = struct.unpack("!I", bytes(map(int, dst.split("."))))[0]
    h = (s ^ ((d * 2654435761) & 0xFFFFFFFF) ^ ident) & 0xFFFFFFFF
    return (h ^ (h >> 16)) & 0xFFFF


def plat_icmp4_error(original, type_, code):
    # RFC 6146 3.5 errors to an IPv4 sender: from the pool4 address it wrote to, TTL 64,
    # precedence 6 (RFC 1812 4.3.2.5), quoting up to 576 bytes in all.
    o = IP(original)
    return IP(src=o.dst, dst=o.src, ttl=64, tos=0xC0, id=icmp4_error_ident(o.src, o.dst, o.id),
              flags=0) / ICMP(type=type_, code=code) / Raw(original[:548])


def icmpv6_error(own6, original, icmp):
    o = IPv6(original)
    return IPv6(src=own6, dst=o.src, hlim=64) / icmp / Raw(original[:1232])


# ---- WKP: UDP, TCP, ICMP echo both ways, EIM -------------------------------------------------
udp_out = IPv6(src=CLIENT1, dst=wkp(SERVER), hlim=64) / UDP(sport=UDP_X, dport=53) / Raw(PAYLOAD)
add("udp_6to4", "6146 3.5.1", udp_out,
    [IP(src=POOL4, dst=SERVER, ttl=63, id=IDENT, flags=0) / UDP(sport=UDP_T, dport=53) / Raw(PAYLOAD)])
udp_back = IP(src=SERVER, dst=POOL4, ttl=64, id=0x1111) / UDP(sport=53, dport=UDP_T) / Raw(PAYLOAD)
add("udp_4to6", "6146 3.5.1", udp_back,
    [IPv6(src=wkp(SERVER), dst=CLIENT1, hlim=63) / UDP(sport=53, dport=UDP_X) / Raw(PAYLOAD)])
add("udp_eim_6to4", "6146 3.5.1", IPv6(src=CLIENT1, dst=wkp(SERVER2), hlim=64) /
    UDP(sport=UDP_X, dport=53) / Raw(PAYLOAD),
    [IP(src=POOL4, dst=SERVER2, ttl=63, id=IDENT, flags=0) / UDP(sport=UDP_T, dport=53) / Raw(PAYLOAD)])
add("tcp_syn_6to4", "6146 3.5.2.2", IPv6(src=CLIENT1, dst=wkp(SERVER), hlim=64, tc=0x20) /
    TCP(sport=TCP_X, dport=80, flags="S", seq=1000, window=64240),
    [IP(src=POOL4, dst=SERVER, ttl=63, tos=0x20, id=IDENT, flags=0) /
     TCP(sport=TCP_T, dport=80, flags="S", seq=1000, window=64240)])
add("tcp_synack_4to6", "6146 3.5.2.2", IP(src=SERVER, dst=POOL4, ttl=50, id=0x2222) /
    TCP(sport=80, dport=TCP_T, flags="SA", seq=5000, ack=1001, window=65535),
    [IPv6(src=wkp(SERVER), dst=CLIENT1, hlim=49) /
     TCP(sport=80, dport=TCP_X, flags="SA", seq=5000, ack=1001, window=65535)])
add("echo_6to4", "6146 3.5.3", IPv6(src=CLIENT1, dst=wkp(SERVER), hlim=64) /
    ICMPv6EchoRequest(id=ICMP_X, seq=1, data=PAYLOAD),
    [IP(src=POOL4, dst=SERVER, ttl=63, id=IDENT, flags=0) / ICMP(type=8, id=ICMP_T, seq=1) / Raw(PAYLOAD)])
add("echo_4to6", "6146 3.5.3", IP(src=SERVER, dst=POOL4, ttl=64, id=0x3333) /
    ICMP(type=0, id=ICMP_T, seq=1) / Raw(PAYLOAD),
    [IPv6(src=wkp(SERVER), dst=CLIENT1, hlim=63) / ICMPv6EchoReply(id=ICMP_X, seq=1, data=PAYLOAD)])

# ---- WKP: errors the PLAT originates -----------------------------------------------------------
exhausted = raw(IPv6(src=CLIENT2, dst=wkp(SERVER), hlim=64) / UDP(sport=UDP_X, dport=53) / Raw(PAYLOAD))
add("pool4_exhausted_6to4", "6146 3.5.1.1", exhausted,
    [icmpv6_error(OWN6_WKP, exhausted, ICMPv6DestUnreach(code=3))])
no_bib = raw(IP(src=SERVER, dst=POOL4, ttl=64, id=0x4444) / UDP(sport=53, dport=UDP_T) / Raw(PAYLOAD))
add("no_bib_4to6", "6146 3.5.1", no_bib, [plat_icmp4_error(no_bib, 3, 1)])
filtered = raw(IP(src=SERVER2, dst=POOL4, ttl=64, id=0x5555) / UDP(sport=53, dport=UDP_T) / Raw(PAYLOAD))
add("adf_filtered_4to6", "6146 3.5.1", filtered, [plat_icmp4_error(filtered, 3, 13)])
held_syn = raw(IP(src=SERVER, dst=POOL4, ttl=64, id=0x6666) /
               TCP(sport=51000, dport=TCP_T, flags="S", seq=77, window=1024))
add("held_syn_answer", "6146 3.5.2.2", held_syn, [plat_icmp4_error(held_syn, 3, 3)])

# ---- WKP: ICMP errors relayed both ways --------------------------------------------------------
# An IPv4 router's Time Exceeded about udp_6to4's output reaches the client about its own packet.
quoted4 = raw(IP(src=POOL4, dst=SERVER, ttl=1, id=IDENT, flags=0) / UDP(sport=UDP_T, dport=53) / Raw(PAYLOAD))
add("time_exceeded_relay_4to6", "6146 3.6", IP(src=ROUTER4, dst=POOL4, ttl=64, id=0x7777) /
    ICMP(type=11, code=0) / Raw(quoted4),
    [IPv6(src=wkp(ROUTER4), dst=CLIENT1, hlim=63) / ICMPv6TimeExceeded(code=0) /
     IPv6(src=CLIENT1, dst=wkp(SERVER), hlim=1) / UDP(sport=UDP_X, dport=53) / Raw(PAYLOAD)])
# An IPv6 router's Packet Too Big about udp_4to6's output reaches the server as Frag Needed.
quoted6 = raw(IPv6(src=wkp(SERVER), dst=CLIENT1, hlim=63) / UDP(sport=53, dport=UDP_X) / Raw(PAYLOAD))
add("packet_too_big_relay_6to4", "6146 3.6", IPv6(src=ROUTER6, dst=wkp(SERVER), hlim=64) /
    ICMPv6PacketTooBig(mtu=1280) / Raw(quoted6),
    [IP(src=POOL4, dst=SERVER, ttl=63, id=IDENT, flags=0) / ICMP(type=3, code=4, nexthopmtu=1260) /
     IP(src=SERVER, dst=POOL4, ttl=63, id=0, flags=0) / UDP(sport=53, dport=UDP_T) / Raw(PAYLOAD)])
# The translator's own errors quote the client's packet as the client sent it.
hop1 = raw(IPv6(src=CLIENT1, dst=wkp(SERVER), hlim=1) / UDP(sport=UDP_X, dport=53) / Raw(PAYLOAD))
add("hop_limit_6to4", "6146 3.7", hop1, [icmpv6_error(OWN6_WKP, hop1, ICMPv6TimeExceeded(code=0))])
big = raw(IPv6(src=CLIENT1, dst=wkp(SERVER), hlim=64) / UDP(sport=UDP_X, dport=53) / Raw(bytes(1452)))
add("packet_too_big_6to4", "6146 3.7", big,
    [icmpv6_error(OWN6_WKP, big, ICMPv6PacketTooBig(mtu=1420))])

# ---- WKP: fragments both ways -----------------------------------------------------------------
DATA = bytes((i * 7) & 0xFF for i in range(88))
dgram6 = raw(IPv6(src=CLIENT1, dst=wkp(SERVER)) / UDP(sport=UDP_X, dport=53) / Raw(DATA))[40:]
dgram4 = raw(IP(src=POOL4, dst=SERVER) / UDP(sport=UDP_T, dport=53) / Raw(DATA))[20:]
add("fragment_first_6to4", "6146 3.4", IPv6(src=CLIENT1, dst=wkp(SERVER), hlim=64) /
    IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0xABCD) / Raw(dgram6[:64]),
    [IP(src=POOL4, dst=SERVER, ttl=63, id=0xABCD, flags="MF", frag=0, proto=17) / Raw(dgram4[:64])])
add("fragment_second_6to4", "6146 3.4", IPv6(src=CLIENT1, dst=wkp(SERVER), hlim=64) /
    IPv6ExtHdrFragment(nh=17, offset=8, m=0, id=0xABCD) / Raw(dgram6[64:]),
    [IP(src=POOL4, dst=SERVER, ttl=63, id=0xABCD, flags=0, frag=8, proto=17) / Raw(dgram4[64:])])
back4 = raw(IP(src=SERVER, dst=POOL4) / UDP(sport=53, dport=UDP_T) / Raw(DATA))[20:]
back6 = raw(IPv6(src=wkp(SERVER), dst=CLIENT1) / UDP(sport=53, dport=UDP_X) / Raw(DATA))[40:]
add("fragment_first_4to6", "6146 3.4", IP(src=SERVER, dst=POOL4, ttl=64, id=0x4242, flags="MF",
                                           frag=0, proto=17) / Raw(back4[:64]),
    [IPv6(src=wkp(SERVER), dst=CLIENT1, hlim=63) /
     IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x4242) / Raw(back6[:64])])
add("fragment_second_4to6", "6146 3.4", IP(src=SERVER, dst=POOL4, ttl=64, id=0x4242, flags=0,
                                            frag=8, proto=17) / Raw(back4[64:]),
    [IPv6(src=wkp(SERVER), dst=CLIENT1, hlim=63) /
     IPv6ExtHdrFragment(nh=17, offset=8, m=0, id=0x4242) / Raw(back6[64:])])
# RFC 7915 4.1: a 1400-byte datagram with DF clear leaves in 1280-byte fragments (1232 of payload).
BIG = bytes((i * 13) & 0xFF for i in range(1372))
big4 = raw(IP(src=SERVER, dst=POOL4) / UDP(sport=53, dport=UDP_T) / Raw(BIG))[20:]
big6 = raw(IPv6(src=wkp(SERVER), dst=CLIENT1) / UDP(sport=53, dport=UDP_X) / Raw(BIG))[40:]
add("translator_fragments_4to6", "6146 3.7", IP(src=SERVER, dst=POOL4, ttl=64, id=0x0909, flags=0,
                                                 proto=17) / Raw(big4),
    [IPv6(src=wkp(SERVER), dst=CLIENT1, hlim=63) /
     IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x0909) / Raw(big6[:1232]),
     IPv6(src=wkp(SERVER), dst=CLIENT1, hlim=63) /
     IPv6ExtHdrFragment(nh=17, offset=1232 // 8, m=0, id=0x0909) / Raw(big6[1232:])])

# ---- static BIB, WKP refusal, hairpinning ------------------------------------------------------
add("static_bib_4to6", "6146 3.1", IP(src=SERVER, dst=POOL4, ttl=64, id=0x1234) /
    TCP(sport=51000, dport=3389, flags="S", seq=9, window=1024),
    [IPv6(src=wkp(SERVER), dst=STATIC6, hlim=63) /
     TCP(sport=51000, dport=3389, flags="S", seq=9, window=1024)])
add("wkp_refuses_documentation_6to4", "6052 3.1", IPv6(src=CLIENT1, dst=wkp(DOC4), hlim=64) /
    UDP(sport=UDP_X, dport=53) / Raw(PAYLOAD), [])
add("nsp_documentation_6to4", "6052 3.1", IPv6(src=CLIENT1, dst=nsp(DOC4), hlim=64) /
    UDP(sport=UDP_X, dport=53) / Raw(PAYLOAD),
    [IP(src=POOL4, dst=DOC4, ttl=63, id=IDENT, flags=0) / UDP(sport=UDP_T, dport=53) / Raw(PAYLOAD)])
# RFC 6146 3.8: client 1 reaches the static server through pool4; the server sees pool6 + (T,t).
add("hairpin_6to6", "6146 3.8", IPv6(src=CLIENT1, dst=nsp(POOL4), hlim=64) /
    TCP(sport=TCP_X, dport=3389, flags="S", seq=1, window=1000),
    [IPv6(src=nsp(POOL4), dst=STATIC6, hlim=63) /
     TCP(sport=TCP_T, dport=3389, flags="S", seq=1, window=1000)])


def c_name(name):
    return "k" + "".join(part.capitalize() for part in name.split("_"))


def c_bytes(data):
    lines = []
    for i in range(0, len(data), 16):
        lines.append("    " + ", ".join("0x%02x" % b for b in data[i:i + 16]) + ",")
    return "\n".join(lines)


if len(sys.argv) == 3 and sys.argv[1] == "--seeds":
    # Fuzz seeds (tests/fuzz/corpus/plat): each input behind a zero control byte.
    import os
    for name, rfc, packet_in, outputs in vectors:
        with open(os.path.join(sys.argv[2], name), "wb") as seed:
            seed.write(b"\x00" + packet_in)
    sys.exit(0)

out = sys.stdout
out.write("#pragma once\n// Generated by make_plat_vectors.py (scapy): do not edit.\n"
          "// Packets into the PLAT and what RFC 6146 says comes out, both built by scapy.\n\n"
          "#include <cstdint>\n#include <span>\n#include <string_view>\n\n"
          "namespace sixgate::plat::vectors {\n\n"
          "struct Vector {\n    std::string_view rfc;\n    std::span<const std::uint8_t> input;\n"
          "    std::span<const std::uint8_t> output;  // packets back to back\n"
          "    std::span<const std::uint16_t> lengths;\n};\n\n"
          "inline constexpr std::uint16_t kIdentification = 0x%04x;\n\n" % IDENT)
for name, rfc, packet_in, outputs in vectors:
    n = c_name(name)
    out.write("inline constexpr std::uint8_t %sInput[] = {\n%s\n};\n" % (n, c_bytes(packet_in)))
    joined = b"".join(outputs)
    if outputs:
        out.write("inline constexpr std::uint8_t %sOutput[] = {\n%s\n};\n" % (n, c_bytes(joined)))
        out.write("inline constexpr std::uint16_t %sLengths[] = {%s};\n" %
                  (n, ", ".join(str(len(o)) for o in outputs)))
        out.write("inline constexpr Vector %s{\"%s\", %sInput, %sOutput, %sLengths};\n\n" %
                  (n, rfc, n, n, n))
    else:
        out.write("inline constexpr Vector %s{\"%s\", %sInput, {}, {}};\n\n" % (n, rfc, n))
out.write("}  // namespace sixgate::plat::vectors\n")
