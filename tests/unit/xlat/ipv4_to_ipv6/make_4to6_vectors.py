#!/usr/bin/python3
"""Byte-exact vectors for the IPv4 -> IPv6 translator (RFC 7915 section 4), built by scapy.

Each case is an IPv4 packet and what RFC 7915 says must come out of it, both assembled by scapy
(lengths and checksums are scapy's). Prints a C++ header on stdout; the checked-in copy is
vectors_4to6.hpp, and a unit test re-runs this script and compares.

Run with Debian's python3 (/usr/bin/python3): it needs python3-scapy, and fails without it.
The addresses match the test's mapping: pool6 2001:db8:64::/96, translator 192.0.2.1.
"""

import sys

try:
    from scapy.all import (ICMP, IP, IPv6, ICMPv6DestUnreach, ICMPv6EchoReply,
                           ICMPv6EchoRequest, ICMPv6PacketTooBig, ICMPv6ParamProblem,
                           ICMPv6TimeExceeded, IPOption_LSRR, IPOption_NOP, IPOption_RR,
                           IPv6ExtHdrFragment, Raw, TCP, UDP)
except ImportError as error:  # fail, never skip: the vectors are the reference
    sys.exit(f"make_4to6_vectors.py: scapy is required (apt install python3-scapy): {error}")

POOL6 = "2001:db8:64::"
TRANSLATOR4 = "192.0.2.1"
V4HOST = "198.51.100.10"   # an IPv4-only host
V6HOST4 = "203.0.113.5"    # the IPv4 address standing for an IPv6 host
ROUTER = "198.51.100.1"    # an IPv4 router sending errors


def p6(v4):
    """RFC 6052 2.2 with a /96: the IPv4 address is the last 32 bits."""
    return POOL6 + "%x:%x" % tuple(int.from_bytes(bytes(map(int, v4.split(".")))[i:i + 2], "big")
                                   for i in (0, 2))


def data(n, seed=0):
    return bytes((seed + 7 * i) % 251 for i in range(n))


cases = []  # (name, input bytes, [expected packets])


def case(name, ipv4, *expected):
    cases.append((name, bytes(ipv4), [bytes(p) for p in expected]))


def ipv6_of(ip, hlim=None, **kw):
    """RFC 7915 4.1 header for an IPv4 header (no options kept, flow label 0)."""
    return IPv6(tc=ip.tos, fl=0, hlim=ip.ttl - 1 if hlim is None else hlim,
                src=p6(ip.src), dst=p6(ip.dst), **kw)


# ---- 4.1 / 4.2 / 4.5: plain packets ------------------------------------------------------
ip = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0x1234, tos=0x28)
case("EchoRequest", ip / ICMP(type=8, id=0x77, seq=3) / data(32),
     ipv6_of(ip) / ICMPv6EchoRequest(id=0x77, seq=3, data=data(32)))
case("EchoReply", ip / ICMP(type=0, id=0x78, seq=9) / data(56, 1),
     ipv6_of(ip) / ICMPv6EchoReply(id=0x78, seq=9, data=data(56, 1)))
case("Tcp", ip / TCP(sport=40000, dport=443, flags="PA", seq=1000, ack=2000) / data(100, 2),
     ipv6_of(ip) / TCP(sport=40000, dport=443, flags="PA", seq=1000, ack=2000) / data(100, 2))
case("Udp", ip / UDP(sport=5353, dport=53) / data(45, 3),
     ipv6_of(ip) / UDP(sport=5353, dport=53) / data(45, 3))
case("UdpZeroChecksum", ip / UDP(sport=5353, dport=53, chksum=0) / data(45, 4),
     ipv6_of(ip) / UDP(sport=5353, dport=53) / data(45, 4))
ip_ttl2 = IP(src=V4HOST, dst=V6HOST4, ttl=2, id=1)
case("TtlTwo", ip_ttl2 / UDP(sport=1, dport=2) / data(8),
     ipv6_of(ip_ttl2) / UDP(sport=1, dport=2) / data(8))
# Options are not translated (4.1): the result equals the option-less one.
ip_rr = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0x1234, tos=0x28,
           options=[IPOption_RR(routers=["0.0.0.0"] * 2), IPOption_NOP()])
case("OptionsIgnored", ip_rr / UDP(sport=5353, dport=53) / data(45, 3),
     ipv6_of(ip) / UDP(sport=5353, dport=53) / data(45, 3))
# A used-up source route (pointer past the length) is no longer a reason to drop.
ip_lsrr_done = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0x1234, tos=0x28,
                  options=[IPOption_LSRR(pointer=8, routers=["192.0.2.77"])])
# (The UDP bytes are the option-less packet's: scapy would take the route's last hop as the
# pseudo-header destination.)
udp_plain = bytes(ip / UDP(sport=5353, dport=53) / data(45, 3))[20:]
ip_lsrr_done.proto = 17
case("ExpiredSourceRouteIgnored", ip_lsrr_done / udp_plain,
     ipv6_of(ip) / UDP(sport=5353, dport=53) / data(45, 3))

# ---- 4.1: fragments in (Fragment Header out, ID low 16 bits) ------------------------------
whole4 = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0xabcd) / UDP(sport=7, dport=9) / data(200, 5)
whole4 = IP(bytes(whole4))
udp6 = bytes(ipv6_of(whole4) / UDP(sport=7, dport=9) / data(200, 5))[40:]
raw4 = bytes(whole4)[20:]
first = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0xabcd, flags="MF", frag=0, proto=17) / raw4[:104]
second = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0xabcd, frag=13, proto=17) / raw4[104:]
case("FirstFragment", first,
     ipv6_of(whole4, nh=44) / IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0xabcd) / udp6[:104])
case("LaterFragment", second,
     ipv6_of(whole4, nh=44) / IPv6ExtHdrFragment(nh=17, offset=13, m=0, id=0xabcd) / udp6[104:])

# ---- 4.1: DF clear and too big for 1280: fragments of 1232 payload bytes ------------------
big4 = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0x4242) / UDP(sport=1000, dport=2000) / data(1472, 6)
big6 = bytes(ipv6_of(big4) / UDP(sport=1000, dport=2000) / data(1472, 6))[40:]
case("DfClearTooBig", big4,
     ipv6_of(big4, nh=44) / IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0x4242) / big6[:1232],
     ipv6_of(big4, nh=44) / IPv6ExtHdrFragment(nh=17, offset=154, m=0, id=0x4242) / big6[1232:])


# ---- 4.4: errors sent back ----------------------------------------------------------------
def error_id(original):
    src = int.from_bytes(bytes(map(int, original.src.split("."))), "big")
    dst = int.from_bytes(bytes(map(int, original.dst.split("."))), "big")
    h = (src ^ ((dst * 2654435761) & 0xffffffff) ^ original.id) & 0xffffffff
    return (h ^ (h >> 16)) & 0xffff


def icmp4_error(original, **icmp):
    """RFC 1812 4.3.2: from the translator, TTL 64, precedence 6, the original up to 576."""
    raw = bytes(original)
    return IP(src=TRANSLATOR4, dst=original.src, ttl=64, tos=0xc0, id=error_id(original),
              flags=0) / ICMP(**icmp) / raw[:576 - 28]


ttl1 = IP(src=V4HOST, dst=V6HOST4, ttl=1, id=0x1111) / UDP(sport=1, dport=2) / data(8)
case("TtlExpired", ttl1, icmp4_error(IP(bytes(ttl1)), type=11, code=0))
df4 = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0x2222, flags="DF") / UDP(sport=1, dport=2) / data(1472)
case("DfSetTooBig", df4, icmp4_error(IP(bytes(df4)), type=3, code=4, nexthopmtu=1260))
lsrr = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0x3333,
          options=[IPOption_LSRR(pointer=4, routers=["192.0.2.77"])]) / UDP(sport=1, dport=2) / data(8)
case("SourceRoute", lsrr, icmp4_error(IP(bytes(lsrr)), type=3, code=5))

# ---- 4.2 / 4.3: ICMPv4 errors with the quoted packet --------------------------------------
# The quoted packet went from the IPv6 host (as V6HOST4) to V4HOST; the error comes from ROUTER.
inner4 = IP(src=V6HOST4, dst=V4HOST, ttl=17, id=0x5555) / UDP(sport=3333, dport=4444) / data(24, 8)
inner4 = IP(bytes(inner4))
inner6 = ipv6_of(inner4, hlim=17) / UDP(sport=3333, dport=4444) / data(24, 8)
outer = IP(src=ROUTER, dst=V6HOST4, ttl=50, id=0x6666)


def icmp_error_case(name, icmp4, icmp6, quoted4=inner4, quoted6=inner6):
    case(name, outer / icmp4 / bytes(quoted4), ipv6_of(outer) / icmp6 / bytes(quoted6))


for code4, code6 in ((0, 0), (1, 0), (3, 4), (9, 1), (10, 1), (13, 1)):
    icmp_error_case("DestUnreachableCode%d" % code4, ICMP(type=3, code=code4, length=0),
                    ICMPv6DestUnreach(code=code6, length=0))
icmp_error_case("ProtocolUnreachable", ICMP(type=3, code=2, length=0),
                ICMPv6ParamProblem(code=1, ptr=6))
icmp_error_case("FragNeeded", ICMP(type=3, code=4, length=0, nexthopmtu=1400),
                ICMPv6PacketTooBig(mtu=1420))
icmp_error_case("FragNeededSmallMtu", ICMP(type=3, code=4, length=0, nexthopmtu=576),
                ICMPv6PacketTooBig(mtu=1280))
icmp_error_case("TimeExceeded", ICMP(type=11, code=0, length=0), ICMPv6TimeExceeded(code=0))
icmp_error_case("TimeExceededReassembly", ICMP(type=11, code=1, length=0),
                ICMPv6TimeExceeded(code=1))
icmp_error_case("ParameterProblemTtl", ICMP(type=12, code=0, ptr=8, length=0),
                ICMPv6ParamProblem(code=0, ptr=7))
icmp_error_case("ParameterProblemSource", ICMP(type=12, code=0, ptr=13, length=0),
                ICMPv6ParamProblem(code=0, ptr=8))
icmp_error_case("ParameterProblemBadLength", ICMP(type=12, code=2, ptr=2, length=0),
                ICMPv6ParamProblem(code=0, ptr=4))

# Frag Needed with MTU 0 (pre-RFC 1191 router) quoting a 1500-byte packet, truncated to 28 bytes
# + 100: the plateau below 1500 is 1492, plus 20.
long4 = IP(src=V6HOST4, dst=V4HOST, ttl=17, id=0x7777) / UDP(sport=3333, dport=4444) / data(1472, 9)
long4 = IP(bytes(long4))
long6 = bytes(ipv6_of(long4, hlim=17) / UDP(sport=3333, dport=4444) / data(1472, 9))
case("FragNeededMtuZeroUsesPlateau",
     outer / ICMP(type=3, code=4, length=0, nexthopmtu=0) / bytes(long4)[:128],
     ipv6_of(outer) / ICMPv6PacketTooBig(mtu=1512) / long6[:148])

# A quoted TCP segment and a quoted echo request are translated too.
tcp_inner4 = IP(bytes(IP(src=V6HOST4, dst=V4HOST, ttl=30, id=0x1212) /
                      TCP(sport=50000, dport=80, flags="S", seq=99)))
tcp_inner6 = ipv6_of(tcp_inner4, hlim=30) / TCP(sport=50000, dport=80, flags="S", seq=99)
icmp_error_case("QuotedTcp", ICMP(type=3, code=3, length=0), ICMPv6DestUnreach(code=4, length=0),
                tcp_inner4, tcp_inner6)
echo_inner4 = IP(bytes(IP(src=V6HOST4, dst=V4HOST, ttl=30, id=0x1313) /
                       ICMP(type=8, id=5, seq=6) / data(16, 10)))
echo_inner6 = ipv6_of(echo_inner4, hlim=30) / ICMPv6EchoRequest(id=5, seq=6, data=data(16, 10))
icmp_error_case("QuotedEchoRequest", ICMP(type=11, code=0, length=0),
                ICMPv6TimeExceeded(code=0), echo_inner4, echo_inner6)
# A large error (a router quoting more than 576 bytes) is cut to 1280 bytes in IPv6.
huge4 = IP(bytes(IP(src=V6HOST4, dst=V4HOST, ttl=17, id=0x8888) / UDP(sport=3333, dport=4444) /
                 data(1400, 11)))
huge6 = bytes(ipv6_of(huge4, hlim=17) / UDP(sport=3333, dport=4444) / data(1400, 11))
case("LargeErrorIsCutTo1280", outer / ICMP(type=11, code=0, length=0) / bytes(huge4),
     ipv6_of(outer) / ICMPv6TimeExceeded(code=0) / huge6[:1280 - 48])
# RFC 4884: Time Exceeded with a 128-byte quote and an 8-byte extension: the length attribute
# becomes 64-bit words, the quote grows by 20 and is padded to 8 bytes.
# Extension header (version 2, checksum left 0: the translator carries it untouched), one
# 8-byte object (length, class 1, c-type 1, 4 bytes).
ext = bytes.fromhex("20000000" "00080101" "deadbeef")
quote128 = (bytes(huge4)[:128])
q6 = huge6[:148]
case("TimeExceededKeepsRfc4884Extension",
     outer / ICMP(type=11, code=0, length=32) / (quote128 + ext),
     ipv6_of(outer) / ICMPv6TimeExceeded(code=0, length=19) / (q6 + b"\x00" * 4 + ext))

# ---- inputs that must be dropped (no output) ------------------------------------------------
case("ErrorQuotingAnError", outer / ICMP(type=3, code=1, length=0) /
     bytes(IP(src=V6HOST4, dst=V4HOST, ttl=9) / ICMP(type=3, code=3) / bytes(inner4)[:28]))
case("ParameterProblemPointerUntranslatable",
     outer / ICMP(type=12, code=0, ptr=4, length=0) / bytes(inner4))
case("ErrorWithBadChecksum", outer / ICMP(type=11, code=0, length=0, chksum=0x1234) / bytes(inner4))
case("ErrorQuotingGarbage", outer / ICMP(type=11, code=0, length=0) / data(40, 12))
case("ErrorQuotingUntranslatableQuery",
     outer / ICMP(type=3, code=3, length=0) /
     bytes(IP(src=V6HOST4, dst=V4HOST, ttl=9) / ICMP(type=13, ts_ori=0, ts_rx=0, ts_tx=0) / data(12)))
case("FragmentedEcho", IP(src=V4HOST, dst=V6HOST4, ttl=64, id=9, flags="MF") /
     ICMP(type=8, id=1, seq=1) / data(64))
case("Timestamp", ip / ICMP(type=13, ts_ori=0, ts_rx=0, ts_tx=0) / data(12))
case("Igmp", IP(src=V4HOST, dst="224.0.0.22", ttl=64, proto=2) / bytes.fromhex("2200f9020000000000"))
case("Gre", IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0x1234, tos=0x28, proto=47) / Raw(bytes.fromhex("00000800") + data(20, 13)),
     ipv6_of(ip, nh=47) / Raw(bytes.fromhex("00000800") + data(20, 13)))
first_zero = IP(src=V4HOST, dst=V6HOST4, ttl=64, id=0xabcd, flags="MF", proto=17) / \
    (raw4[:6] + b"\x00\x00" + raw4[8:104])
case("FirstFragmentZeroChecksum", first_zero)


def emit():
    out = ["// Generated by make_4to6_vectors.py with scapy: do not edit; re-run and replace.",
           "#pragma once", "", "#include <array>", "#include <cstdint>", "",
           "namespace sixgate::xlat::vectors4to6 {", ""]

    def array(name, blob):
        out.append("inline constexpr std::array<std::uint8_t, %d> %s{" % (len(blob), name))
        for i in range(0, len(blob), 16):
            out.append("    " + ", ".join("0x%02x" % b for b in blob[i:i + 16]) + ",")
        out.append("};")

    for name, ipv4, expected in cases:
        array("k%sIn" % name, ipv4)
        for i, packet in enumerate(expected):
            array("k%sOut%s" % (name, "" if len(expected) == 1 else str(i)), packet)
        out.append("")
    out.append("}  // namespace sixgate::xlat::vectors4to6")
    return "\n".join(out) + "\n"


sys.stdout.write(emit())
