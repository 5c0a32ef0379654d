"""464XLAT end to end with real peers: sixgate CLAT -> TAYGA PLAT -> IPv4 server, in namespaces.

The topology is tests/netns/clat/xlat464_topology.py: client (IPv6-only, runs the CLAT) -> r6
(Linux IPv6 router) -> plat (TAYGA 0.9.2, prefix 2001:db8:64::/96) -> server (IPv4 only,
198.51.100.10). Run as root:
    SIXGATE_BINARY=build/app/sixgate /usr/bin/python3 tests/netns/clat/clat_e2e_test.py [Test.name]
SIXGATE_E2E_CLAT=tayga runs the same traffic checks with TAYGA in the CLAT role (a reference for
the tests themselves); the sixgate-only cases are skipped then.
"""

import ipaddress
import os
import struct
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sgnetns  # noqa: E402
import xlat464_topology as topo  # noqa: E402

SIXGATE = os.environ.get("SIXGATE_BINARY", "build/app/sixgate")
CLAT_KIND = os.environ.get("SIXGATE_E2E_CLAT", "sixgate")
RFC6791_ADDRESS = "192.0.0.8"  # the CLAT's RFC 6791 pool in these tests
TRANSLATION_YAML = f"translation:\n  rfc6791_pool: [{RFC6791_ADDRESS}/32]\n"


def start_clat(lab, ipv6_address="routed", plat_prefix="literal"):
    if CLAT_KIND == "tayga":
        lab.start_tayga_clat(ipv6_address)
    else:
        lab.start_sixgate_clat(SIXGATE, ipv6_address, plat_prefix, extra_yaml=TRANSLATION_YAML)
    lab.warm()


def sixgate_only(test):
    return unittest.skipIf(CLAT_KIND != "sixgate", "needs the sixgate CLAT")(test)


class ClatTestCase(unittest.TestCase):
    def tearDown(self):
        sgnetns.cleanup()

    def stop_and_check_cleanup(self, lab):
        """SIGTERM: sixgate exits 0 and takes its TUN, routes and sysctl changes with it."""
        kind = lab.clat_kind
        status = lab.stop_clat()
        if kind != "sixgate":
            return
        self.assertEqual(status, 0, topo.read(lab.clat_log))
        links = sgnetns.run("ip", "-o", "link", "show", ns=lab.client)
        self.assertNotIn("clat0", links)
        self.assertEqual(sgnetns.run("ip", "-4", "route", "show", "default", ns=lab.client).strip(), "")
        self.assertEqual(sgnetns.run("ip", "-6", "route", "show", "proto", "115", ns=lab.client).strip(), "")
        # The sysctls it changed for forwarding are back (the client stays a host).
        for key in ("net.ipv6.conf.up0.force_forwarding", "net.ipv6.conf.all.forwarding"):
            value = sgnetns.run("sysctl", "-n", key, ns=lab.client, check=False).strip()
            self.assertIn(value, ("", "0"), key)
        self.assertEqual(sgnetns.run("sysctl", "-n", "net.ipv6.conf.up0.accept_ra", ns=lab.client).strip(), "1")

    def clat_packets(self, lab):
        """The sixgate CLAT's packet counters (None with TAYGA)."""
        if lab.clat_kind != "sixgate":
            return None
        return lab.sixgate_status(SIXGATE)["components"]["clat"]["packets"]

    def clat_log(self, lab):
        return f"\n--- {lab.clat_kind} CLAT log ---\n{topo.read(lab.clat_log)[-6000:]}"


class Traffic(ClatTestCase):
    def test_ping_reaches_the_ipv4_server_through_the_clat(self):
        # RFC 6877, 7915 4.2 5.2
        lab = topo.Xlat464Lab()
        start_clat(lab)
        before = self.clat_packets(lab)
        received, rtts, out = lab.ping(count=5, size=1000)
        self.assertEqual(received, 5, out + self.clat_log(lab))
        # The replies came through the CLAT, not some other path.
        after = self.clat_packets(lab)
        if after is not None:
            self.assertGreaterEqual(after["ipv4_to_ipv6"] - before["ipv4_to_ipv6"], 5, after)
            self.assertGreaterEqual(after["ipv6_to_ipv4"] - before["ipv6_to_ipv4"], 5, after)
        self.stop_and_check_cleanup(lab)

    def test_tcp_both_directions_with_iperf3(self):
        # RFC 7915 4.5 5.5
        lab = topo.Xlat464Lab()
        start_clat(lab)
        for reverse in (False, True):
            result = lab.iperf3("-t", "3", *(["-R"] if reverse else []))
            received = result["end"]["sum_received"]
            self.assertGreater(received["bytes"], 1_000_000, f"reverse={reverse}" + self.clat_log(lab))
            self.assertGreater(received["bits_per_second"], 10e6, f"reverse={reverse}")
            # The server's view: the client is the PLAT's pool address, not 192.0.0.1.
            peer = result["start"]["connected"][0]
            self.assertEqual(peer["remote_host"], topo.SERVER_V4)
        self.stop_and_check_cleanup(lab)

    def test_udp_payloads_come_back_unchanged(self):
        # RFC 7915 4.5 5.5
        lab = topo.Xlat464Lab()
        start_clat(lab)
        lab.udp_echo_server()
        payloads = [b"sixgate 464xlat", bytes(range(256)) * 4, os.urandom(1400), b"\x00" * 1]
        replies = lab.udp_exchange(payloads)
        for payload, reply in zip(payloads, replies):
            self.assertIsNotNone(reply, f"no reply to a {len(payload)}-byte datagram" + self.clat_log(lab))
            self.assertEqual(bytes.fromhex(reply[0]), payload)
            self.assertEqual(reply[1], topo.SERVER_V4)
        # And with iperf3: a short UDP run that loses (almost) nothing at a modest rate.
        result = lab.iperf3("-u", "-b", "20M", "-t", "2", "-l", "1200")
        udp = result["end"]["sum"]
        self.assertGreater(udp["packets"], 1000)
        self.assertLess(udp["lost_percent"], 5)
        self.stop_and_check_cleanup(lab)


class AddressModes(ClatTestCase):
    def test_proxy_nd_address_in_the_client_prefix_carries_traffic(self):
        """ipv6_address auto: a dedicated address in the uplink's /64 (RFC 6877 6.3), reachable
        because the CLAT answers Neighbor Solicitations for it on the uplink."""
        # RFC 6877 6.3, 4861 7.2
        lab = topo.Xlat464Lab()
        start_clat(lab, ipv6_address="auto")
        clat_v6 = ipaddress.IPv6Address(lab.clat_v6)
        self.assertIn(clat_v6, ipaddress.IPv6Network(topo.CLIENT_LINK + "/64"))
        self.assertNotEqual(str(clat_v6), topo.CLIENT_V6)
        received, _, out = lab.ping(count=3)
        self.assertEqual(received, 3, out + self.clat_log(lab))
        lab.udp_echo_server()
        self.assertEqual(bytes.fromhex(lab.udp_exchange([b"proxied"])[0][0]), b"proxied")
        # r6 resolved the CLAT address to the client's uplink MAC.
        client_mac = sgnetns.run("cat", "/sys/class/net/up0/address", ns=lab.client).strip()
        neighbour = sgnetns.run("ip", "-6", "neigh", "show", str(clat_v6), "dev", "r6c", ns=lab.r6)
        self.assertIn(client_mac, neighbour)
        self.stop_and_check_cleanup(lab)

    def test_routed_address_outside_the_uplink_prefix_carries_traffic(self):
        # RFC 6877 6.3
        lab = topo.Xlat464Lab()
        start_clat(lab, ipv6_address="routed")
        self.assertEqual(lab.clat_v6, topo.CLAT_ROUTED_V6)
        capture = lab.capture(lab.r6, "r6p", "r6p", capture_filter=f"ip6 host {topo.CLAT_ROUTED_V6}")
        received, _, out = lab.ping(count=3)
        capture.stop()
        self.assertEqual(received, 3, out + self.clat_log(lab))
        _, records = topo.read_pcap(capture.path)
        sources = {ipaddress.IPv6Address(r[1][14 + 8:14 + 24]) for r in records}
        self.assertIn(ipaddress.IPv6Address(topo.CLAT_ROUTED_V6), sources)
        self.stop_and_check_cleanup(lab)


class PlatPrefix(ClatTestCase):
    @sixgate_only
    def test_prefix_learned_from_pref64_in_router_advertisements(self):
        # RFC 8781 4, 6877 6.1
        lab = topo.Xlat464Lab(pref64_ra=True)
        start_clat(lab, plat_prefix="pref64")
        clat = lab.sixgate_status(SIXGATE)["components"]["clat"]
        self.assertEqual(topo.plat_prefix_of(clat), topo.PLAT_PREFIX, clat)
        self.assertIn("pref64", str(clat.get("plat_prefix_source")), clat)
        # 600 s announced (RFC 8781 4); the CLAT counts it down.
        self.assertLessEqual(clat.get("plat_prefix_expires_in_s", 0), 600, clat)
        self.assertGreater(clat.get("plat_prefix_expires_in_s", 0), 500, clat)
        received, _, out = lab.ping(count=3)
        self.assertEqual(received, 3, out + self.clat_log(lab))
        self.stop_and_check_cleanup(lab)

    @sixgate_only
    def test_literal_prefix_from_the_config(self):
        # RFC 6052 2.2
        lab = topo.Xlat464Lab()
        start_clat(lab, plat_prefix="literal")
        clat = lab.sixgate_status(SIXGATE)["components"]["clat"]
        self.assertEqual(topo.plat_prefix_of(clat), topo.PLAT_PREFIX, clat)
        self.assertEqual(clat.get("plat_prefix_source"), "configured", clat)
        self.assertNotIn("plat_prefix_expires_in_s", clat)  # a configured prefix does not expire
        received, _, out = lab.ping(count=3)
        self.assertEqual(received, 3, out + self.clat_log(lab))
        self.stop_and_check_cleanup(lab)


class Traceroute(ClatTestCase):
    def test_every_translator_hop_answers_and_the_last_hop_is_the_server(self):
        """Hop by hop, what answers a UDP probe from 192.0.0.1 with TTL n, sixgate CLAT:
        the sixgate CLAT does not decrement TTL / hop limit (a documented DEVIATION from RFC 7915
        4.1/5.1, docs/clat.md: it is part of the host, the kernel's forwarding from clat0 to up0
        is the host's one hop), so
        1 the client's kernel, forwarding the translated packet (hop limit 1) from clat0 to up0,
        2 r6, 3 plat's kernel before TAYGA: ICMPv6 Time Exceeded from IPv6 addresses outside the
          PLAT prefix, which the CLAT translates with its RFC 6791 pool address (192.0.0.8 here);
        4 TAYGA (PLAT): its own IPv6 address lies inside the prefix, so it maps back to 203.0.113.1;
        5 plat's kernel forwarding IPv4 (198.51.100.1, through both translators);
        6 the server: Port Unreachable.
        TAYGA as the CLAT (SIXGATE_E2E_CLAT=tayga) decrements, so there hop 1 is TAYGA's own
        192.0.0.2 and every later hop moves one down; TAYGA 0.9.2 has no RFC 6791 pool and drops
        ICMPv6 errors from unmappable sources (no answer for hops 2-4)."""
        # RFC 7915 4.1 5.2 5.3, 6791 4
        lab = topo.Xlat464Lab()
        start_clat(lab)
        hops = lab.traceroute(max_hops=10)
        if CLAT_KIND == "tayga":
            expected = [[topo.TAYGA_CLAT_V4, 11, 0], None, None, None]
        else:
            expected = [[RFC6791_ADDRESS, 11, 0]] * 3
        expected += [[topo.TAYGA_PLAT_V4, 11, 0], [topo.PLAT_V4, 11, 0], [topo.SERVER_V4, 3, 3]]
        self.assertEqual(len(hops), len(expected), f"{hops}" + self.clat_log(lab))
        self.assertEqual(hops[-1], [topo.SERVER_V4, 3, 3])
        self.assertEqual(hops, expected)
        if CLAT_KIND == "sixgate":
            # The three untranslatable errors went through the CLAT's IPv6 -> IPv4 path.
            self.assertGreaterEqual(self.clat_packets(lab)["ipv6_to_ipv4"], 6)
        self.stop_and_check_cleanup(lab)


class PathMtu(ClatTestCase):
    def test_ptb_1280_beyond_the_clat_reaches_the_ipv4_sender_as_frag_needed_1260(self):
        """r6 -> plat has MTU 1280. Full-size IPv4 packets from the client's TCP sender become
        1500-byte IPv6 packets that r6 cannot forward: its Packet Too Big (MTU 1280) reaches the
        CLAT, which must hand the IPv4 sender Fragmentation Needed with MTU 1280 - 20 = 1260
        (RFC 7915 5.2), after which TCP finishes the transfer with smaller segments."""
        # RFC 7915 5.2, 1191 4, 8201 4
        lab = topo.Xlat464Lab(plat_link_mtu=1280)
        start_clat(lab)
        capture = lab.capture(lab.client, "clat0", "tun-pmtu", capture_filter="icmp")
        result = lab.iperf3("-n", "10M", timeout=120)
        capture.stop()
        self.assertGreaterEqual(result["end"]["sum_sent"]["bytes"], 10 * 1024 * 1024)
        self.assertGreater(result["end"]["sum_received"]["bytes"], 5 * 1024 * 1024)
        _, records = topo.read_pcap(capture.path)
        frag_needed = []
        for _, packet in records:
            ihl = (packet[0] & 15) * 4
            if packet[0] >> 4 == 4 and packet[9] == 1 and packet[ihl] == 3 and packet[ihl + 1] == 4:
                destination = str(ipaddress.IPv4Address(packet[16:20]))
                next_hop_mtu = struct.unpack("!H", packet[ihl + 6:ihl + 8])[0]
                frag_needed.append((destination, next_hop_mtu))
        self.assertTrue(frag_needed, f"no ICMP type 3 code 4 on clat0 ({len(records)} ICMP records)"
                        + self.clat_log(lab))
        self.assertEqual(set(frag_needed), {(topo.CLAT_V4, 1260)})
        # tshark (an independent dissector) reads the same.
        fields = sgnetns.run("tshark", "-r", capture.path, "-Y", "icmp.type == 3 && icmp.code == 4",
                             "-T", "fields", "-e", "icmp.mtu")
        self.assertEqual(set(fields.split()), {"1260"})
        self.stop_and_check_cleanup(lab)


class TranslateEquivalence(ClatTestCase):
    @sixgate_only
    def test_offline_translate_gives_the_packets_the_live_clat_sent_both_ways(self):
        """Captures on clat0 (IPv4 side) and up0 (IPv6 side) during a ping and a UDP exchange;
        `sixgate translate` run on the IPv4 packets must give the IPv6 packets seen on up0, and
        run on the IPv6 replies seen on up0 the IPv4 replies seen on clat0, byte for byte.

        Where the hop limits differ: clat0 sees the app's packet before the CLAT, up0 sees it
        after the CLAT and after the client kernel forwarded it from clat0 to up0, which
        decrements the hop limit once. The replies: up0 sees them before the kernel forwards them
        into clat0 (one decrement), clat0 after the CLAT. Neither the live CLAT nor the offline
        run (--no-decrement) decrements, so the offline output, decremented once for the kernel's
        hop, must equal the live packet."""
        # RFC 7915 4 5
        lab = topo.Xlat464Lab()
        start_clat(lab)
        lab.udp_echo_server()
        clat_v6 = lab.clat_v6
        server_v6 = topo.embed(topo.SERVER_V4)
        tun = lab.capture(lab.client, "clat0", "tun", capture_filter=f"host {topo.SERVER_V4}")
        uplink = lab.capture(lab.client, "up0", "uplink", capture_filter=f"ip6 host {server_v6}")
        received, _, out = lab.ping(count=3, size=100)
        replies = lab.udp_exchange([b"translate me", os.urandom(600)])
        tun.stop()
        uplink.stop()
        self.assertEqual(received, 3, out)
        self.assertTrue(all(replies), replies)

        linktype, tun_records = topo.read_pcap(tun.path)
        self.assertEqual(linktype, 101)  # LINKTYPE_RAW: a TUN has no link header
        uplink_linktype, uplink_records = topo.read_pcap(uplink.path)
        self.assertEqual(uplink_linktype, 1)
        v4_out = [p for _, p in tun_records if p[0] >> 4 == 4 and p[12:16] == ipv4(topo.CLAT_V4)]
        v4_in = [p for _, p in tun_records if p[0] >> 4 == 4 and p[16:20] == ipv4(topo.CLAT_V4)]
        v6 = [p[14:] for _, p in uplink_records if p[12:14] == b"\x86\xdd"]
        v6_out = [p for p in v6 if p[8:24] == ipv6(clat_v6)]
        v6_in = [p for p in v6 if p[24:40] == ipv6(clat_v6)]
        # 3 echo requests + 2 datagrams each way (more if a datagram was retried).
        self.assertGreaterEqual(len(v4_out), 5)
        self.assertEqual(len(v4_out), len(v6_out))
        self.assertEqual(len(v4_in), len(v6_in))

        # --no-decrement: like the live CLAT, which is part of the host and leaves TTL / hop limit
        # alone (DEVIATION from RFC 7915 4.1/5.1, docs/clat.md).
        mapping = ["--pool6", topo.PLAT_PREFIX, "--eam", f"{topo.CLAT_V4}/32={clat_v6}/128",
                   "--rfc6791-pool", f"{RFC6791_ADDRESS}/32", "--no-decrement"]
        # The app's TCP/UDP packets cross clat0 with the checksum left to the reader (vnet_hdr
        # NEEDS_CSUM: the field holds only the pseudo-header sum, the CLAT completes it). Complete
        # those the same way before the offline run; anything else must already be valid.
        completed = [complete_offloaded_checksum(p) for p in v4_out]
        self.assertTrue(all(ok for _, ok in completed), "a packet on clat0 with a wrong L4 checksum")
        v4_out = [p for p, _ in completed]
        offline_out = self.translate(lab, "out", v4_out, mapping)
        offline_in = self.translate(lab, "in", v6_in, mapping)
        for index, (offline, live) in enumerate(zip(offline_out, v6_out)):
            self.assertEqual(decrement_hop_limit(offline).hex(), live.hex(), f"IPv4->IPv6 packet {index}")
        # IPv6 -> IPv4: the Identification comes from each translator's own Fragment
        # Identification generator (RFC 7915 5.1), so the live value is taken over (and the
        # header checksum recomputed); every other byte must be equal.
        for index, (offline, live) in enumerate(zip(offline_in, v4_in)):
            expected = ipv4_header_rewritten(offline, ttl=offline[8] - 1, identification=live[4:6])
            self.assertEqual(expected.hex(), live.hex(), f"IPv6->IPv4 packet {index}")
        df_clear_ids = [p[4:6] for p in v4_in if not p[6] & 0x40]
        if len(df_clear_ids) > 1:  # a generator, not one constant, for packets that may be fragmented
            self.assertGreater(len(set(df_clear_ids)), 1, df_clear_ids)
        self.stop_and_check_cleanup(lab)

    def translate(self, lab, name, packets, mapping):
        source = os.path.join(lab.dir, f"{name}-in.pcap")
        target = os.path.join(lab.dir, f"{name}-translated.pcap")
        topo.write_pcap(source, packets)
        result = subprocess.run([SIXGATE, "translate", "--in", source, "--out", target, *mapping],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        linktype, records = topo.read_pcap(target)
        self.assertEqual(linktype, 101)
        self.assertEqual(len(records), len(packets), result.stdout)
        return [p for _, p in records]


def ipv4(text):
    return ipaddress.IPv4Address(text).packed


def ipv6(text):
    return ipaddress.IPv6Address(text).packed


def decrement_hop_limit(packet):
    assert packet[0] >> 4 == 6 and packet[7] > 1
    return packet[:7] + bytes([packet[7] - 1]) + packet[8:]


def ones_complement_sum(data, start=0):
    if len(data) % 2:
        data += b"\0"
    total = start + sum(struct.unpack(f"!{len(data) // 2}H", data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return total


def complete_offloaded_checksum(packet):
    """(packet, True) with a TCP/UDP checksum completed when the field holds only the
    pseudo-header sum (checksum offload, as the kernel hands such packets to a TUN with
    vnet_hdr); (packet, True) unchanged when the checksum is already valid or not TCP/UDP;
    (packet, False) when it is neither."""
    ihl = (packet[0] & 15) * 4
    protocol, offset = packet[9], {6: 16, 17: 6}.get(packet[9])
    fragment = struct.unpack("!H", packet[6:8])[0] & 0x3FFF
    if offset is None or fragment:
        return packet, True
    segment = bytearray(packet[ihl:])
    pseudo = ones_complement_sum(packet[12:20] + struct.pack("!HH", protocol, len(segment)))
    if ones_complement_sum(bytes(segment), pseudo) == 0xFFFF:
        return packet, True
    if struct.unpack("!H", segment[offset:offset + 2])[0] != pseudo:
        return packet, False
    segment[offset:offset + 2] = b"\0\0"
    checksum = ~ones_complement_sum(bytes(segment), pseudo) & 0xFFFF
    segment[offset:offset + 2] = struct.pack("!H", checksum or 0xFFFF)
    return packet[:ihl] + bytes(segment), True


def ipv4_header_rewritten(packet, ttl, identification):
    """The IPv4 packet with another TTL and Identification, header checksum recomputed."""
    assert packet[0] >> 4 == 4 and ttl >= 1
    ihl = (packet[0] & 15) * 4
    header = bytearray(packet[:ihl])
    header[4:6] = identification
    header[8] = ttl
    header[10:12] = b"\0\0"
    total = sum(struct.unpack(f"!{ihl // 2}H", bytes(header)))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    header[10:12] = struct.pack("!H", ~total & 0xFFFF)
    return bytes(header) + packet[ihl:]


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("CLAT e2e tests need root (network namespaces)")
    unittest.main(verbosity=2)
