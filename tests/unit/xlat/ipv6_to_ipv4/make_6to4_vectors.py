#!/usr/bin/python3
"""Builds the IPv6-to-IPv4 translation vectors of vectors_6to4.hpp with scapy: each input IPv6
packet and, independently of the translator's code, the IPv4 packet (or ICMPv6 error, or drop)
RFC 7915 section 5 says must come out. scapy computes every length and checksum of both.

Run with Debian's python3 (scapy 2.5): /usr/bin/python3 make_6to4_vectors.py > vectors_6to4.hpp
vectors_6to4_test runs it and fails when the output and the committed header differ.

The translator under test is configured as the test sets it up (translate_6to4_test_util.hpp):
  pool6 2001:db8:64::/96 ("nsp"; "wkp" uses 64:ff9b::/96), EAM 2001:db8:aaaa::/120 = 192.0.2.0/24,
  RFC 6791 pool 203.0.113.99/32, own IPv6 2001:db8:ffff::1 (absent in "nsp_no_own6"),
  own IPv4 203.0.113.1, Identification argument 0x5eed.
"""

import sys

from scapy.all import (ICMP, IP, TCP, UDP, ICMPv6DestUnreach, ICMPv6EchoReply, ICMPv6EchoRequest,
                       ICMPv6MLQuery, ICMPv6ND_NS, ICMPv6PacketTooBig, ICMPv6ParamProblem,
                       ICMPv6TimeExceeded, IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment,
                       IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, PadN, Raw, RouterAlert, conf, raw)
from scapy.utils import checksum

conf.verb = 0

IDENT = 0x5EED
UNKNOWN_MTU = 0xFFFFFFFF
OWN6 = "2001:db8:ffff::1"
HOST6 = "2001:db8:aaaa::5"        # EAM -> 192.0.2.5
HOST4 = "192.0.2.5"
REMOTE4 = "198.51.100.7"
REMOTE6 = "2001:db8:64::c633:6407"  # pool6 -> 198.51.100.7
ROUTER6 = "2001:db8:aaaa::1"      # EAM -> 192.0.2.1
ROUTER4 = "192.0.2.1"
UNMAPPED_ROUTER6 = "2001:db8:bbbb::1"
RFC6791_SOURCE = "203.0.113.99"
PAYLOAD = bytes(range(48))


def df_flag(total_length, has_fragment_header=False):
    # RFC 7915 5 / 5.1: DF set above 1260 bytes unless the packet had a Fragment header.
    return "DF" if total_length > 1260 and not has_fragment_header else 0


def ipv4(src, dst, proto, payload, ttl=63, tos=0, ident=None, flags=None, frag=0):
    total = 20 + len(payload)
    if flags is None:
        flags = df_flag(total)
    if ident is None:
        ident = 0 if flags == "DF" else IDENT
    return raw(IP(src=src, dst=dst, proto=proto, ttl=ttl, tos=tos, id=ident, flags=flags,
                  frag=frag) / Raw(payload))


class Vector:
    def __init__(self, name, rfc, packet, verdict, reason="", output=b"", fragments=None,
                 mapping="nsp", ipv4_mtu=UNKNOWN_MTU, ipv6_mtu=UNKNOWN_MTU):
        self.name = name
        self.rfc = rfc
        self.input = packet if isinstance(packet, bytes) else raw(packet)
        self.verdict = verdict
        self.reason = reason
        self.fragments = fragments if fragments is not None else ([output] if output else [])
        self.mapping = mapping
        self.ipv4_mtu = ipv4_mtu
        self.ipv6_mtu = ipv6_mtu


def translated(name, rfc, packet, output, **kw):
    return Vector(name, rfc, packet, "translated", output=output, **kw)


def dropped(name, rfc, packet, reason, **kw):
    return Vector(name, rfc, packet, "drop", reason=reason, **kw)


def icmpv6_error_back(name, rfc, packet, reason, icmp, **kw):
    # RFC 7915 5.4 / RFC 4443: from the translator, hop limit 64, quoting up to 1280 bytes.
    quoted = (packet if isinstance(packet, bytes) else raw(packet))[:1280 - 48]
    source = IPv6(packet if isinstance(packet, bytes) else raw(packet)).src
    out = raw(IPv6(src=OWN6, dst=source, hlim=64) / icmp / Raw(quoted))
    return Vector(name, rfc, packet, "icmp_error", reason=reason, output=out, **kw)


# ---- plain packets ------------------------------------------------------------------------------

def plain_vectors():
    v = []
    echo6 = IPv6(src=HOST6, dst=REMOTE6, hlim=64, tc=0x28) / \
        ICMPv6EchoRequest(id=0x1234, seq=7, data=PAYLOAD)
    v.append(translated("EchoRequestBecomesIcmpv4EchoRequest", "7915 5.2", echo6,
                        ipv4(HOST4, REMOTE4, 1, raw(ICMP(type=8, id=0x1234, seq=7) / PAYLOAD),
                             tos=0x28)))
    reply6 = IPv6(src=HOST6, dst=REMOTE6, hlim=9) / ICMPv6EchoReply(id=0xfffe, seq=65535,
                                                                   data=b"pong")
    v.append(translated("EchoReplyBecomesIcmpv4EchoReply", "7915 5.2", reply6,
                        ipv4(HOST4, REMOTE4, 1, raw(ICMP(type=0, id=0xfffe, seq=65535) / b"pong"),
                             ttl=8)))

    udp = UDP(sport=40000, dport=53) / PAYLOAD
    v.append(translated("UdpChecksumFollowsTheNewAddresses", "7915 5.5",
                        IPv6(src=HOST6, dst=REMOTE6, hlim=64, tc=0xb9, fl=0x12345) / udp,
                        ipv4(HOST4, REMOTE4, 17, raw(IP(src=HOST4, dst=REMOTE4) / udp)[20:],
                             tos=0xb9)))
    tcp = TCP(sport=443, dport=50000, seq=1, ack=2, flags="PA",
              options=[("MSS", 1400), ("NOP", None), ("WScale", 7)]) / PAYLOAD
    v.append(translated("TcpChecksumFollowsTheNewAddresses", "7915 5.5",
                        IPv6(src=HOST6, dst=REMOTE6, hlim=64) / tcp,
                        ipv4(HOST4, REMOTE4, 6, raw(IP(src=HOST4, dst=REMOTE4) / tcp)[20:])))
    zero = UDP(sport=1, dport=2, chksum=0) / b"tunnel"
    v.append(translated("UdpZeroChecksumStaysZero", "7915 5.5",
                        IPv6(src=HOST6, dst=REMOTE6, hlim=64) / zero,
                        ipv4(HOST4, REMOTE4, 17, raw(zero))))

    chain = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / \
        IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) / \
        IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4)]) / udp
    v.append(translated("HopByHopAndDestinationOptionsAreNotTranslated", "7915 5.1", chain,
                        ipv4(HOST4, REMOTE4, 17, raw(IP(src=HOST4, dst=REMOTE4) / udp)[20:])))
    routed = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / \
        IPv6ExtHdrRouting(addresses=["2001:db8::77"], segleft=0) / udp
    v.append(translated("RoutingHeaderWithNoSegmentsLeftIsNotTranslated", "7915 5.1", routed,
                        ipv4(HOST4, REMOTE4, 17, raw(IP(src=HOST4, dst=REMOTE4) / udp)[20:])))
    segments = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / \
        IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) / \
        IPv6ExtHdrRouting(addresses=["2001:db8::77"], segleft=1) / udp
    # Pointer: the Segments Left byte = 40 (fixed header) + 8 (Hop-by-Hop) + 3.
    v.append(icmpv6_error_back("RoutingHeaderWithSegmentsLeftGetsParameterProblem", "7915 5.1",
                               segments, "ipv6_routing_header",
                               ICMPv6ParamProblem(code=0, ptr=51)))
    v.append(dropped("EspIsNotTranslated", "7915 5.1",
                     IPv6(src=HOST6, dst=REMOTE6, hlim=64, nh=50) / Raw(bytes(range(32))),
                     "ipv6_unsupported_extension"))
    v.append(dropped("AuthenticationHeaderIsNotTranslated", "7915 5.1",
                     IPv6(src=HOST6, dst=REMOTE6, hlim=64, nh=51) /
                     Raw(bytes([17, 4, 0, 0]) + bytes(20)) / udp,
                     "ipv6_unsupported_extension"))

    # Hop limit.
    expiring = IPv6(src=HOST6, dst=REMOTE6, hlim=1) / udp
    v.append(icmpv6_error_back("HopLimitOneGetsTimeExceeded", "7915 5.1", expiring, "ttl_expired",
                               ICMPv6TimeExceeded(code=0)))
    v.append(translated("HopLimitTwoLeavesWithTtlOne", "7915 5.1",
                        IPv6(src=HOST6, dst=REMOTE6, hlim=2) / udp,
                        ipv4(HOST4, REMOTE4, 17, raw(IP(src=HOST4, dst=REMOTE4) / udp)[20:],
                             ttl=1)))
    v.append(dropped("HopLimitOneWithoutOwnIpv6AddressIsDroppedSilently", "7915 5.4", expiring,
                     "ttl_expired", mapping="nsp_no_own6"))
    expiring_error = IPv6(src=ROUTER6, dst=REMOTE6, hlim=1) / ICMPv6TimeExceeded(code=0) / \
        raw(IPv6(src=REMOTE6, dst=HOST6, hlim=1) / udp)
    v.append(dropped("ExpiringIcmpv6ErrorGetsNoErrorBack", "4443 2.4", expiring_error,
                     "ttl_expired"))

    # Size: the 1260-byte DF rule and the IPv4 next-hop MTU.
    for size, name in ((1260, "DontFragmentIsClearAt1260Bytes"),
                       (1261, "DontFragmentIsSetAt1261Bytes")):
        big = UDP(sport=5000, dport=6000) / bytes(size - 28)
        v.append(translated(name, "7915 5.1", IPv6(src=HOST6, dst=REMOTE6, hlim=64) / big,
                            ipv4(HOST4, REMOTE4, 17,
                                 raw(IP(src=HOST4, dst=REMOTE4) / big)[20:])))
    too_big = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / UDP(sport=5000, dport=6000) / bytes(1472)
    # IPv4 next hop 1400: the source must send 1400 + 20 bytes of IPv6.
    v.append(icmpv6_error_back("TooBigForTheIpv4NextHopGetsPacketTooBig", "7915 5.1", too_big,
                               "packet_too_big", ICMPv6PacketTooBig(mtu=1420), ipv4_mtu=1400))
    small_mtu = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / UDP(sport=5000, dport=6000) / bytes(400)
    v.append(icmpv6_error_back("PacketTooBigNeverAdvertisesLessThan1280", "7915 5.1",
                               IPv6(src=HOST6, dst=REMOTE6, hlim=64) /
                               UDP(sport=5000, dport=6000) / bytes(1300),
                               "packet_too_big", ICMPv6PacketTooBig(mtu=1280), ipv4_mtu=576))
    whole = raw(IP(src=HOST4, dst=REMOTE4, proto=17, ttl=63, id=IDENT) /
                UDP(sport=5000, dport=6000) / bytes(400))
    body = whole[20:]
    # IPv4 next hop 300: 280 payload bytes per fragment (a multiple of 8).
    frags = [raw(IP(src=HOST4, dst=REMOTE4, proto=17, ttl=63, id=IDENT, flags="MF", frag=0) /
                 Raw(body[:280])),
             raw(IP(src=HOST4, dst=REMOTE4, proto=17, ttl=63, id=IDENT, flags=0, frag=35) /
                 Raw(body[280:]))]
    v.append(Vector("DontFragmentClearPacketIsFragmentedForTheIpv4NextHop", "7915 5.1",
                    small_mtu, "translated", fragments=frags, ipv4_mtu=300))

    # Fragment header (5.1.1).
    datagram6 = raw(IPv6(src=HOST6, dst=REMOTE6) / UDP(sport=7, dport=9) / bytes(range(200)))[40:]
    datagram4 = raw(IP(src=HOST4, dst=REMOTE4) / UDP(sport=7, dport=9) / bytes(range(200)))[20:]
    first = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / \
        IPv6ExtHdrFragment(nh=17, offset=0, m=1, id=0xabcd1234) / Raw(datagram6[:96])
    v.append(translated("FirstFragmentKeepsIdentificationAndMoreFragments", "7915 5.1.1", first,
                        ipv4(HOST4, REMOTE4, 17, datagram4[:96], ident=0x1234, flags="MF")))
    middle = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / \
        IPv6ExtHdrFragment(nh=17, offset=12, m=1, id=0xabcd1234) / Raw(datagram6[96:192])
    v.append(translated("MiddleFragmentPayloadIsUntouched", "7915 5.1.1", middle,
                        ipv4(HOST4, REMOTE4, 17, datagram6[96:192], ident=0x1234, flags="MF",
                             frag=12)))
    last = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / \
        IPv6ExtHdrFragment(nh=17, offset=24, m=0, id=0xabcd1234) / Raw(datagram6[192:])
    v.append(translated("LastFragmentClearsMoreFragments", "7915 5.1.1", last,
                        ipv4(HOST4, REMOTE4, 17, datagram6[192:], ident=0x1234, flags=0,
                             frag=24)))
    atomic = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / \
        IPv6ExtHdrFragment(nh=17, offset=0, m=0, id=0x55556666) / udp
    v.append(translated("AtomicFragmentKeepsItsIdentificationWithDontFragmentClear", "7915 5.1.1",
                        atomic, ipv4(HOST4, REMOTE4, 17,
                                     raw(IP(src=HOST4, dst=REMOTE4) / udp)[20:], ident=0x6666,
                                     flags=0)))
    icmp_first = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / \
        IPv6ExtHdrFragment(nh=58, offset=0, m=1, id=7) / \
        Raw(raw(IPv6(src=HOST6, dst=REMOTE6) /
                ICMPv6EchoRequest(id=1, seq=1, data=bytes(64)))[40:88])
    v.append(dropped("FragmentedIcmpv6IsDropped", "7915 5.1", icmp_first, "fragmented_icmp"))
    icmp_last = IPv6(src=HOST6, dst=REMOTE6, hlim=64) / \
        IPv6ExtHdrFragment(nh=58, offset=6, m=0, id=7) / Raw(bytes(24))
    v.append(dropped("LastFragmentOfIcmpv6IsDropped", "7915 5.1", icmp_last, "fragmented_icmp"))

    # Addresses.
    v.append(dropped("UnmappedDestinationIsDropped", "7915 5.1",
                     IPv6(src=HOST6, dst="2001:db8:cccc::9") / udp, "destination_unmapped"))
    v.append(dropped("UnmappedSourceIsDropped", "7915 5.1",
                     IPv6(src="2001:db8:dddd::9", dst=REMOTE6) / udp, "source_unmapped"))
    v.append(dropped("WellKnownPrefixWithPrivateIpv4IsDropped", "6052 3.1",
                     IPv6(src=HOST6, dst="64:ff9b::a00:1") / udp, "well_known_prefix_non_global",
                     mapping="wkp"))
    v.append(translated("WellKnownPrefixWithGlobalIpv4IsTranslated", "6052 3.1",
                        IPv6(src=HOST6, dst="64:ff9b::808:808", hlim=64) / udp,
                        ipv4(HOST4, "8.8.8.8", 17,
                             raw(IP(src=HOST4, dst="8.8.8.8") / udp)[20:]), mapping="wkp"))
    # RFC 7757 4: translated to the EAM's IPv4 address; it comes back through the 4->6 direction.
    v.append(translated("HairpinDestinationIsTranslatedToItsEamAddress", "7757 4",
                        IPv6(src=HOST6, dst="2001:db8:64::c000:209", hlim=64) / udp,
                        ipv4(HOST4, "192.0.2.9", 17,
                             raw(IP(src=HOST4, dst="192.0.2.9") / udp)[20:])))

    # ICMPv6 types without an ICMPv4 counterpart.
    v.append(dropped("NeighborSolicitationIsNotTranslated", "7915 5.2",
                     IPv6(src=HOST6, dst=REMOTE6, hlim=255) / ICMPv6ND_NS(tgt=REMOTE6),
                     "icmp_untranslatable"))
    v.append(dropped("MulticastListenerQueryIsNotTranslated", "7915 5.2",
                     IPv6(src=HOST6, dst=REMOTE6, hlim=64) / ICMPv6MLQuery(), "icmp_untranslatable"))

    # Truncated and malformed headers.
    short_udp = raw(IPv6(src=HOST6, dst=REMOTE6, hlim=64, nh=17, plen=4) / Raw(b"\x9c\x40\x00\x35"))
    v.append(dropped("UdpHeaderCutShortIsDropped", "7915 5.5", short_udp, "malformed_transport"))
    short_tcp = raw(IPv6(src=HOST6, dst=REMOTE6, hlim=64, nh=6, plen=12) / Raw(bytes(12)))
    v.append(dropped("TcpHeaderCutShortIsDropped", "7915 5.5", short_tcp, "malformed_transport"))
    short_icmp = raw(IPv6(src=HOST6, dst=REMOTE6, hlim=64, nh=58, plen=4) / Raw(b"\x80\x00\x00\x00"))
    v.append(dropped("Icmpv6HeaderCutShortIsDropped", "7915 5.2", short_icmp,
                     "malformed_transport"))
    v.append(dropped("PayloadLengthBeyondTheBufferIsDropped", "8200 3",
                     raw(IPv6(src=HOST6, dst=REMOTE6, hlim=64) / udp)[:-1], "malformed_ipv6"))
    v.append(dropped("ExtensionHeaderCutShortIsDropped", "8200 4",
                     raw(IPv6(src=HOST6, dst=REMOTE6, hlim=64, nh=0, plen=6) / Raw(bytes(6))),
                     "malformed_ipv6"))
    v.append(dropped("Ipv4PacketIsNotAnIpv6Packet", "8200 3",
                     raw(IP(src=HOST4, dst=REMOTE4) / udp), "malformed_ipv6"))
    return v


# ---- ICMPv6 errors ------------------------------------------------------------------------------

def inner6(payload_layer, hlim=30, tc=0, extra=None):
    """The IPv6 packet the translator once sent (from an IPv4 host) that the error quotes."""
    packet = IPv6(src=REMOTE6, dst=HOST6, hlim=hlim, tc=tc)
    if extra is not None:
        packet = packet / extra
    return raw(packet / payload_layer)


def inner4(payload_layer, ttl=30, tos=0, ident=0, flags=None, frag=0, proto=None):
    extra = {} if proto is None else {"proto": proto}
    packet = IP(src=REMOTE4, dst=HOST4, ttl=ttl, tos=tos, id=ident, frag=frag, **extra) / \
        payload_layer
    if flags is None:
        flags = df_flag(len(raw(packet)))
    return raw(IP(src=REMOTE4, dst=HOST4, ttl=ttl, tos=tos, id=ident, frag=frag, flags=flags,
                  **extra) / payload_layer)


def error_vector(name, rfc, icmp6, icmp4, quote6, quote4, source6=ROUTER6, source4=ROUTER4,
                 **kw):
    packet = IPv6(src=source6, dst=REMOTE6, hlim=50) / icmp6 / Raw(quote6)
    out = ipv4(source4, REMOTE4, 1, raw(icmp4 / Raw(quote4)), ttl=49)
    return translated(name, rfc, packet, out, **kw)


def error_vectors():
    v = []
    udp = UDP(sport=53, dport=40000) / PAYLOAD
    q6 = inner6(udp)
    q4 = inner4(udp)
    for code6, code4, what in ((0, 1, "NoRouteBecomesHostUnreachable"),
                               (1, 10, "AdministrativelyProhibitedBecomesHostProhibited"),
                               (2, 1, "BeyondScopeBecomesHostUnreachable"),
                               (3, 1, "AddressUnreachableBecomesHostUnreachable"),
                               (4, 3, "PortUnreachableBecomesPortUnreachable")):
        v.append(error_vector("DestinationUnreachable" + what, "7915 5.2",
                              ICMPv6DestUnreach(code=code6), ICMP(type=3, code=code4), q6, q4))
    v.append(dropped("DestinationUnreachableCode5IsDropped", "7915 5.2",
                     IPv6(src=ROUTER6, dst=REMOTE6, hlim=50) / ICMPv6DestUnreach(code=5) /
                     Raw(q6), "icmp_untranslatable"))

    # Packet Too Big -> Fragmentation Needed: MTU - 20, or - 28 with a Fragment header, bounded by
    # the translator's own links.
    v.append(error_vector("PacketTooBigBecomesFragmentationNeededWithMtuLess20", "7915 5.2",
                          ICMPv6PacketTooBig(mtu=1400), ICMP(type=3, code=4, nexthopmtu=1380),
                          q6, q4))
    # The quoted first fragment holds the whole datagram's UDP header, checksum included.
    fq6 = inner6(Raw(raw(IPv6(src=REMOTE6, dst=HOST6) / udp)[40:]),
                 extra=IPv6ExtHdrFragment(nh=17, m=1, id=0x01020304))
    fq4 = inner4(Raw(raw(IP(src=REMOTE4, dst=HOST4) / udp)[20:]), ident=0x0304, flags="MF",
                 proto=17)
    v.append(error_vector("PacketTooBigQuotingAFragmentSubtracts28", "7915 5.2",
                          ICMPv6PacketTooBig(mtu=1400), ICMP(type=3, code=4, nexthopmtu=1372),
                          fq6, fq4))
    v.append(error_vector("PacketTooBigIsBoundedByTheIpv4NextHop", "7915 5.2",
                          ICMPv6PacketTooBig(mtu=1500), ICMP(type=3, code=4, nexthopmtu=1300),
                          q6, q4, ipv4_mtu=1300))
    v.append(error_vector("PacketTooBigIsBoundedByTheIpv6LinkItCameIn", "7915 5.2",
                          ICMPv6PacketTooBig(mtu=9000), ICMP(type=3, code=4, nexthopmtu=1480),
                          q6, q4, ipv6_mtu=1500))

    for code in (0, 1):
        v.append(error_vector(f"TimeExceededCode{code}KeepsItsCode", "7915 5.2",
                              ICMPv6TimeExceeded(code=code), ICMP(type=11, code=code), q6, q4))

    # Parameter Problem: pointer through Figure 6.
    for ptr6, ptr4, what in ((7, 8, "HopLimitPointsAtTtl"), (6, 9, "NextHeaderPointsAtProtocol"),
                             (4, 2, "PayloadLengthPointsAtTotalLength"),
                             (8, 12, "SourceAddressPointsAtSource"),
                             (39, 16, "DestinationAddressPointsAtDestination")):
        v.append(error_vector("ParameterProblem" + what, "7915 5.2",
                              ICMPv6ParamProblem(code=0, ptr=ptr6), ICMP(type=12, code=0, ptr=ptr4),
                              q6, q4))
    v.append(dropped("ParameterProblemPointingAtFlowLabelIsDropped", "7915 5.2",
                     IPv6(src=ROUTER6, dst=REMOTE6, hlim=50) / ICMPv6ParamProblem(code=0, ptr=2) /
                     Raw(q6), "icmp_untranslatable"))
    v.append(error_vector("UnrecognizedNextHeaderBecomesProtocolUnreachable", "7915 5.2",
                          ICMPv6ParamProblem(code=1, ptr=6), ICMP(type=3, code=2), q6, q4))
    v.append(dropped("UnrecognizedOptionIsDropped", "7915 5.2",
                     IPv6(src=ROUTER6, dst=REMOTE6, hlim=50) / ICMPv6ParamProblem(code=2, ptr=42) /
                     Raw(q6), "icmp_untranslatable"))

    # RFC 6791: a router without an IPv4 mapping.
    v.append(error_vector("ErrorFromUnmappedRouterUsesTheRfc6791Pool", "6791 4",
                          ICMPv6TimeExceeded(code=0), ICMP(type=11, code=0), q6, q4,
                          source6=UNMAPPED_ROUTER6, source4=RFC6791_SOURCE))

    # Quoted TCP, cut short inside the payload: the checksum still follows the addresses.
    tcp = TCP(sport=80, dport=40001, seq=100, ack=200, flags="A") / bytes(300)
    v.append(error_vector("QuotedTcpChecksumFollowsTheInnerAddresses", "7915 5.3",
                          ICMPv6DestUnreach(code=4), ICMP(type=3, code=3),
                          inner6(tcp)[:40 + 20 + 16], inner4(tcp)[:20 + 20 + 16]))
    # Quoted echo request: type and checksum translated too.
    echo6 = inner6(ICMPv6EchoRequest(id=9, seq=1, data=PAYLOAD))
    echo4 = inner4(ICMP(type=8, id=9, seq=1) / PAYLOAD)
    v.append(error_vector("QuotedEchoRequestIsTranslatedToo", "7915 5.3",
                          ICMPv6TimeExceeded(code=0), ICMP(type=11, code=0), echo6, echo4))
    # Quoted extension headers are removed.
    hbh6 = inner6(udp, extra=IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4)]))
    v.append(error_vector("QuotedExtensionHeadersAreRemoved", "7915 5.3",
                          ICMPv6DestUnreach(code=0), ICMP(type=3, code=1), hbh6, q4))
    # 576 bytes: a 1232-byte quote becomes 548 bytes of IPv4 quote.
    big = UDP(sport=53, dport=40000) / (bytes(range(256)) * 4)
    big6 = inner6(big)[:1232]
    big4 = inner4(big)[:548]
    v.append(error_vector("TranslatedErrorIsCutTo576Bytes", "7915 5.2", ICMPv6TimeExceeded(code=0),
                          ICMP(type=11, code=0), big6, big4))

    # RFC 4884: extension kept, length re-counted in 32-bit words, quote padded to 128 bytes.
    extension = bytearray(b"\x20\x00\x00\x00" + b"\x00\x08\x01\x01" + bytes([1, 2, 3, 4]))
    extension[2:4] = checksum(bytes(extension)).to_bytes(2, "big")
    extension = bytes(extension)
    padded6 = q6 + bytes(128 - len(q6))
    padded4 = q4 + bytes(128 - len(q4))
    packet = IPv6(src=ROUTER6, dst=REMOTE6, hlim=50) / ICMPv6DestUnreach(code=0, length=16) / \
        Raw(padded6) / Raw(extension)
    out = ipv4(ROUTER4, REMOTE4, 1, raw(ICMP(type=3, code=1, length=32) / Raw(padded4) /
                                        Raw(extension)), ttl=49)
    v.append(translated("Rfc4884ExtensionIsKeptWithItsLengthInIpv4Words", "7915 5.2", packet, out))

    # Errors that are not translated.
    error_in_error = inner6(ICMPv6DestUnreach(code=0) / Raw(q6[:48]))
    v.append(dropped("ErrorQuotingAnErrorIsDropped", "7915 5.2",
                     IPv6(src=ROUTER6, dst=REMOTE6, hlim=50) / ICMPv6TimeExceeded(code=0) /
                     Raw(error_in_error), "icmp_error_in_error"))
    bad = bytearray(raw(IPv6(src=ROUTER6, dst=REMOTE6, hlim=50) / ICMPv6TimeExceeded(code=0) /
                        Raw(q6)))
    bad[-1] ^= 0xff
    v.append(dropped("ErrorWithBadChecksumIsDropped", "4443 2.3", bytes(bad),
                     "bad_transport_checksum"))
    unmapped = raw(IPv6(src="2001:db8:cccc::1", dst=HOST6, hlim=30) / udp)
    v.append(dropped("ErrorQuotingAnUnmappedPacketIsDropped", "7915 5.3",
                     IPv6(src=ROUTER6, dst=REMOTE6, hlim=50) / ICMPv6TimeExceeded(code=0) /
                     Raw(unmapped), "icmp_inner_malformed"))
    cut = inner6(udp, extra=IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 12)]))[:50]
    v.append(dropped("ErrorQuotingACutExtensionHeaderIsDropped", "7915 5.3",
                     IPv6(src=ROUTER6, dst=REMOTE6, hlim=50) / ICMPv6TimeExceeded(code=0) /
                     Raw(cut), "icmp_inner_malformed"))
    v.append(dropped("ErrorQuotingLessThanAnIpv6HeaderIsDropped", "7915 5.3",
                     IPv6(src=ROUTER6, dst=REMOTE6, hlim=50) / ICMPv6TimeExceeded(code=0) /
                     Raw(q6[:39]), "icmp_inner_malformed"))
    return v


# ---- output -------------------------------------------------------------------------------------

def cpp_bytes(data):
    lines = []
    for i in range(0, len(data), 16):
        lines.append("    " + " ".join(f"0x{b:02x}," for b in data[i:i + 16]))
    return "\n".join(lines) if lines else "    0x00,"


def main():
    import scapy
    vectors = plain_vectors() + error_vectors()
    names = [v.name for v in vectors]
    assert len(names) == len(set(names)), "vector names must be unique"
    out = ["#pragma once",
           "// Generated by make_6to4_vectors.py (scapy " + scapy.VERSION + "): do not edit.",
           "// IPv6 packets and what RFC 7915 5 says comes out, both built by scapy.",
           "",
           "#include <cstdint>",
           "#include <span>",
           "#include <string_view>",
           "",
           "namespace sixgate::xlat::vectors6to4 {",
           "",
           "struct Vector {",
           "    std::string_view name;",
           "    std::string_view rfc;",
           "    std::string_view mapping;  // nsp, wkp, nsp_no_own6",
           "    std::uint32_t ipv4_next_hop_mtu;",
           "    std::uint32_t ipv6_next_hop_mtu;",
           "    std::span<const std::uint8_t> input;",
           "    std::string_view verdict;  // translated, icmp_error, drop",
           "    std::string_view reason;   // DropReason name; empty when translated",
           "    std::span<const std::uint8_t> output;  // fragments back to back",
           "    std::span<const std::uint16_t> fragment_lengths;",
           "};",
           "",
           f"inline constexpr std::uint16_t kIdentification = 0x{IDENT:04x};"]
    for v in vectors:
        output = b"".join(v.fragments)
        out.append("")
        out.append(f"inline constexpr std::uint8_t k{v.name}Input[] = {{")
        out.append(cpp_bytes(v.input))
        out.append("};")
        out.append(f"inline constexpr std::uint8_t k{v.name}Output[] = {{")
        out.append(cpp_bytes(output))
        out.append("};")
        lengths = ", ".join(str(len(f)) for f in v.fragments) or "0"
        out.append(f"inline constexpr std::uint16_t k{v.name}Lengths[] = {{{lengths}}};")
    out.append("")
    out.append("inline constexpr Vector kAll[] = {")
    for v in vectors:
        size = len(b"".join(v.fragments))
        count = len(v.fragments)
        out.append(f'    {{"{v.name}", "{v.rfc}", "{v.mapping}", {v.ipv4_mtu}u, {v.ipv6_mtu}u, '
                   f'k{v.name}Input, "{v.verdict}", "{v.reason}", '
                   f"std::span(k{v.name}Output).first({size}), "
                   f"std::span(k{v.name}Lengths).first({count})}},")
    out.append("};")
    out.append("")
    out.append("}  // namespace sixgate::xlat::vectors6to4")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
