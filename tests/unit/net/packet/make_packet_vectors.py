#!/usr/bin/python3
"""Builds the packets of packet_vectors.hpp with scapy and dissects them again, so the field values
the unit tests expect come from scapy's dissector, not from the code under test.

Run with Debian's python3 (scapy 2.5): /usr/bin/python3 make_packet_vectors.py > packet_vectors.hpp
packet_vectors_test runs it and fails when the output and the committed header differ.
"""

import ipaddress
import sys

from scapy.all import (ICMP, ConditionalField, IP, TCP, UDP, ICMPv6DestUnreach, ICMPv6EchoRequest,
                       ICMPv6PacketTooBig, IPOption_NOP, IPOption_Router_Alert,
                       IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                       IPv6ExtHdrRouting, Jumbo, PadN, Raw, RouterAlert, conf, fragment, raw)

conf.verb = 0


def ipv4_options_udp():
    return IP(src="192.0.2.1", dst="198.51.100.7", id=0x1234, ttl=17, tos=0xb9, flags="DF",
              options=[IPOption_Router_Alert(), IPOption_NOP(), IPOption_NOP(),
                       IPOption_NOP(), IPOption_NOP()]) / \
        UDP(sport=5555, dport=9) / Raw(b"options!")


def ipv4_fragments():
    whole = IP(src="192.0.2.2", dst="203.0.113.9", id=0xbeef, ttl=64) / \
        UDP(sport=4000, dport=5000) / Raw(bytes(range(64)))
    return fragment(whole, fragsize=24)


def ipv4_padded_icmp_echo():
    # A 28-byte echo request in a 60-byte Ethernet frame: 18 bytes of padding after Total Length.
    packet = IP(src="192.0.2.3", dst="192.0.2.4", id=7) / ICMP(type=8, id=0x4242, seq=3)
    return IP(raw(packet) + bytes(18))


def ipv4_tcp_options():
    return IP(src="10.1.2.3", dst="10.4.5.6", id=99) / \
        TCP(sport=44321, dport=443, seq=0x01020304, ack=0xa0b0c0d0, flags="SA", window=64240,
            urgptr=0, options=[("MSS", 1460), ("SAckOK", b""), ("Timestamp", (111, 222)),
                               ("NOP", None), ("WScale", 7)]) / Raw(b"hello")


def ipv4_udp_zero_checksum():
    return IP(src="192.0.2.5", dst="192.0.2.6", id=1) / UDP(sport=1, dport=2, chksum=0) / \
        Raw(b"no checksum")


def ipv4_icmp_frag_needed():
    inner = IP(src="198.51.100.7", dst="192.0.2.1", id=0x4444, flags="DF", ttl=3) / \
        UDP(sport=33434, dport=33435) / Raw(bytes(1000))
    # RFC 792: the header and the first 8 bytes of the datagram.
    return IP(src="203.0.113.1", dst="198.51.100.7", id=5) / \
        ICMP(type=3, code=4, nexthopmtu=1400) / Raw(raw(inner)[:28])


def ipv4_icmp_time_exceeded_tcp():
    inner = IP(src="10.4.5.6", dst="10.1.2.3", id=0x5555, ttl=1) / \
        TCP(sport=443, dport=44321, seq=7, ack=9, flags="PA") / Raw(bytes(200))
    return IP(src="10.9.9.9", dst="10.4.5.6", id=6) / ICMP(type=11, code=0) / \
        Raw(raw(inner)[:20 + 20 + 16])


def ipv6_udp():
    return IPv6(src="2001:db8::1", dst="2001:db8:1::2", tc=0xb8, fl=0xabcde, hlim=33) / \
        UDP(sport=5000, dport=6000) / Raw(b"plain")


def ipv6_chain():
    return IPv6(src="2001:db8::10", dst="2001:db8::20", hlim=64) / \
        IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)]) / \
        IPv6ExtHdrRouting(addresses=["2001:db8::30", "2001:db8::40"], segleft=1) / \
        IPv6ExtHdrFragment(offset=0, m=1, id=0x12345678) / \
        IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\x00" * 4)]) / \
        UDP(sport=1111, dport=2222) / Raw(b"chain")


def ipv6_fragment_middle():
    return IPv6(src="2001:db8::1", dst="2001:db8::2") / \
        IPv6ExtHdrFragment(nh=17, offset=185, m=1, id=0xfeedface) / Raw(bytes(range(48)))


def ipv6_fragment_last():
    return IPv6(src="2001:db8::1", dst="2001:db8::2") / \
        IPv6ExtHdrFragment(nh=6, offset=370, m=0, id=0xfeedface) / Raw(bytes(16))


def ipv6_unknown_next_header():
    return IPv6(src="2001:db8::1", dst="2001:db8::2", nh=253) / Raw(bytes(range(16)))


def ipv6_esp():
    return IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrDestOpt(nh=50) / Raw(bytes(24))


def ipv6_no_next_header():
    return IPv6(src="2001:db8::1", dst="2001:db8::2") / IPv6ExtHdrDestOpt(nh=59)


def ipv6_nine_destination_options():
    packet = IPv6(src="2001:db8::1", dst="2001:db8::2")
    for _ in range(9):
        packet = packet / IPv6ExtHdrDestOpt()
    return packet / UDP(sport=1, dport=2)


def ipv6_jumbo():
    return IPv6(src="2001:db8::1", dst="2001:db8::2", plen=0) / \
        IPv6ExtHdrHopByHop(options=[Jumbo(jumboplen=70000)]) / UDP(sport=1, dport=2, len=0) / \
        Raw(bytes(8))


def ipv6_packet_too_big_tcp():
    inner = IPv6(src="2001:db8:1::2", dst="2001:db8::1", hlim=60, fl=0x12345) / \
        TCP(sport=80, dport=50000, seq=1000, ack=2000, flags="A") / Raw(bytes(1400))
    return IPv6(src="2001:db8:ff::1", dst="2001:db8:1::2") / ICMPv6PacketTooBig(mtu=1280) / \
        Raw(raw(inner)[:40 + 20 + 100])


def ipv6_unreachable_fragmented_udp():
    inner = IPv6(src="2001:db8::1", dst="2001:db8::2") / \
        IPv6ExtHdrFragment(offset=0, m=1, id=0x0badcafe) / UDP(sport=7000, dport=7001, len=1200) / \
        Raw(bytes(60))
    return IPv6(src="2001:db8:ff::1", dst="2001:db8::1") / ICMPv6DestUnreach(code=3) / \
        Raw(raw(inner))


def ipv6_echo_request():
    return IPv6(src="2001:db8::1", dst="2001:db8::2") / \
        ICMPv6EchoRequest(id=0x1357, seq=0x2468, data=b"ping")


def vectors():
    fragments = ipv4_fragments()
    return [
        ("Ipv4OptionsUdp", ipv4_options_udp(), IP),
        ("Ipv4FirstFragment", fragments[0], IP),
        ("Ipv4MiddleFragment", fragments[1], IP),
        ("Ipv4LastFragment", fragments[-1], IP),
        ("Ipv4PaddedIcmpEcho", ipv4_padded_icmp_echo(), IP),
        ("Ipv4TcpOptions", ipv4_tcp_options(), IP),
        ("Ipv4UdpZeroChecksum", ipv4_udp_zero_checksum(), IP),
        ("Ipv4IcmpFragNeeded", ipv4_icmp_frag_needed(), IP),
        ("Ipv4IcmpTimeExceededTcp", ipv4_icmp_time_exceeded_tcp(), IP),
        ("Ipv6Udp", ipv6_udp(), IPv6),
        ("Ipv6Chain", ipv6_chain(), IPv6),
        ("Ipv6FragmentMiddle", ipv6_fragment_middle(), IPv6),
        ("Ipv6FragmentLast", ipv6_fragment_last(), IPv6),
        ("Ipv6UnknownNextHeader", ipv6_unknown_next_header(), IPv6),
        ("Ipv6Esp", ipv6_esp(), IPv6),
        ("Ipv6NoNextHeader", ipv6_no_next_header(), IPv6),
        ("Ipv6NineDestinationOptions", ipv6_nine_destination_options(), IPv6),
        ("Ipv6Jumbo", ipv6_jumbo(), IPv6),
        ("Ipv6PacketTooBigTcp", ipv6_packet_too_big_tcp(), IPv6),
        ("Ipv6UnreachableFragmentedUdp", ipv6_unreachable_fragmented_udp(), IPv6),
        ("Ipv6EchoRequest", ipv6_echo_request(), IPv6),
    ]


def dissected_fields(data, first_layer):
    """(name, value) pairs from scapy's dissection of the bytes: numbers as ints, addresses as
    text. A layer seen twice is named Layer#2. Layer.@start is where the layer starts."""
    packet = first_layer(data)
    numbers, texts, seen = [], [], {}
    for layer in packet.iterpayloads():
        kind = type(layer).__name__
        if kind in ("Raw", "Padding"):
            continue
        seen[kind] = seen.get(kind, 0) + 1
        name = kind if seen[kind] == 1 else f"{kind}#{seen[kind]}"
        numbers.append((f"{name}.@start", len(data) - len(raw(layer))))
        for field in layer.fields_desc:
            # Fields of other message types (ICMP timestamps for an echo, ...) are not in the bytes.
            if isinstance(field, ConditionalField) and not field._evalcond(layer):
                continue
            value = layer.getfieldval(field.name)
            if value is None or isinstance(value, (bytes, list, tuple)):
                continue
            if isinstance(value, str):
                try:
                    ipaddress.ip_address(value)
                except ValueError:
                    continue
                texts.append((f"{name}.{field.name}", value))
                continue
            try:
                numbers.append((f"{name}.{field.name}", int(value)))
            except (TypeError, ValueError):
                continue
    return numbers, texts


def cpp_bytes(data):
    lines = []
    for start in range(0, len(data), 16):
        lines.append("    " + ", ".join(f"0x{b:02x}" for b in data[start:start + 16]) + ",")
    return "\n".join(lines)


def main():
    import scapy
    out = []
    out.append("#pragma once")
    out.append("// Generated by make_packet_vectors.py (scapy " + scapy.VERSION + "): do not edit.")
    out.append("// Each vector holds a packet's bytes and the fields scapy dissects from them.")
    out.append("")
    out.append("#include <cstdint>")
    out.append("#include <span>")
    out.append("#include <string_view>")
    out.append("")
    out.append("namespace sixgate::net::packet::vectors {")
    out.append("")
    out.append("struct NumberField {")
    out.append("    std::string_view name;")
    out.append("    std::uint64_t value;")
    out.append("};")
    out.append("struct TextField {")
    out.append("    std::string_view name;")
    out.append("    std::string_view value;")
    out.append("};")
    out.append("struct PacketVector {")
    out.append("    std::string_view name;")
    out.append("    std::span<const std::uint8_t> bytes;")
    out.append("    std::span<const NumberField> numbers;")
    out.append("    std::span<const TextField> texts;")
    out.append("};")
    names = []
    for name, packet, first_layer in vectors():
        data = raw(packet)
        numbers, texts = dissected_fields(data, first_layer)
        names.append(name)
        out.append("")
        out.append(f"inline constexpr std::uint8_t k{name}Bytes[] = {{")
        out.append(cpp_bytes(data))
        out.append("};")
        out.append(f"inline constexpr NumberField k{name}Numbers[] = {{")
        for field, value in numbers:
            out.append(f'    {{"{field}", {value}u}},')
        out.append("};")
        out.append(f"inline constexpr TextField k{name}Texts[] = {{")
        for field, value in texts:
            out.append(f'    {{"{field}", "{value}"}},')
        out.append("};")
        out.append(f'inline constexpr PacketVector k{name}{{"{name}", k{name}Bytes, '
                   f"k{name}Numbers, k{name}Texts}};")
    out.append("")
    out.append("inline constexpr PacketVector kAll[] = {")
    for name in names:
        out.append(f"    k{name},")
    out.append("};")
    out.append("")
    out.append("}  // namespace sixgate::net::packet::vectors")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
