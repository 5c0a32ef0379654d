"""Limited-scope ISATAP (RFC 5214) end to end with real peers, in namespaces.

Topology: tests/netns/isatap/isatap_topology.py (jump, other -- intranet IPv4 -- server ==v6==
client). Every case starts the real `sixgate run` (router mode on the server; host mode on the
IPv4 hosts, except the scapy cases, where the test itself is the ISATAP host) and removes every
namespace and process it made, also on failure. Run as root:
    SIXGATE_BINARY=build/app/sixgate /usr/bin/python3 tests/netns/isatap/isatap_e2e_test.py [Class.test]
"""

import json
import os
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import isatap_topology as topo  # noqa: E402
import sgnetns  # noqa: E402

SIXGATE = os.environ.get("SIXGATE_BINARY", "build/app/sixgate")

# The independent ISATAP host: a protocol-41 raw socket (so the kernel answers nothing itself)
# sends one IPv6 packet (built with scapy by the test) to the router. Prints the protocol-41
# datagrams received (IPv4 header first, as hex) within `wait` seconds, as JSON.
PROBE = """
import json, socket, sys, time
local, router, packet, wait = sys.argv[1], sys.argv[2], bytes.fromhex(sys.argv[3]), float(sys.argv[4])
s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 41)
s.bind((local, 0))
s.sendto(packet, (router, 0))
received, deadline = [], time.monotonic() + wait
while time.monotonic() < deadline:
    s.settimeout(max(0.01, deadline - time.monotonic()))
    try:
        data, peer = s.recvfrom(65535)
    except socket.timeout:
        break
    received.append(data.hex())
print(json.dumps(received))
"""


def isatap_link_local(ipv4):
    a, b, c, d = (int(x) for x in ipv4.split("."))
    return f"fe80::5efe:{a * 256 + b:x}:{c * 256 + d:x}"


class IsatapTestCase(unittest.TestCase):
    def tearDown(self):
        sgnetns.cleanup()

    def logs(self, *sixgates):
        return "".join(s.log() for s in sixgates)


class ScapyProbe(IsatapTestCase):
    """The sixgate ISATAP router and an ISATAP host written with scapy (no sixgate on it)."""

    def setUp(self):
        self.lab = topo.IsatapLab(SIXGATE, tag="s")
        self.lab.start_router()

    def probe(self, ns, local, source, wait=3.0, packet=None):
        """Sends `packet` (default: a Router Solicitation from `source` to ff02::2, hop limit
        255) over IPv4 from `local` to the router; returns the scapy IP packets that came back."""
        from scapy.layers.inet import IP
        from scapy.layers.inet6 import ICMPv6ND_RS, IPv6
        if packet is None:
            packet = IPv6(src=source, dst="ff02::2", hlim=255) / ICMPv6ND_RS()
        out = sgnetns.run(topo.PYTHON, "-c", PROBE, local, topo.SERVER_V4, bytes(packet).hex(), wait, ns=ns,
                          timeout=60)
        return [IP(bytes.fromhex(h)) for h in json.loads(out)]

    def drops(self):
        return self.lab.router.isatap().get("isatap_drops", {})


class ScapyHost(ScapyProbe):
    """What the router answers an independent ISATAP host, checked with scapy and tshark."""

    def test_allowed_host_gets_a_unicast_ra_with_the_isatap_prefix_and_the_routes(self):
        from scapy.layers.inet6 import ICMPv6NDOptPrefixInfo, ICMPv6NDOptRouteInfo, ICMPv6ND_RA, IPv6
        lab = self.lab
        link_local = isatap_link_local(topo.JUMP_V4)
        capture = lab.capture(lab.jump, "lan0", "ra", "ip proto 41")
        replies = self.probe(lab.jump, topo.JUMP_V4, link_local)
        capture.stop()
        ras = [p for p in replies if p.haslayer(ICMPv6ND_RA)]
        self.assertEqual(len(ras), 1, [p.summary() for p in replies] + [self.logs(lab.router)])
        packet = ras[0]
        # RFC 5214 8.2.3: unicast, to the soliciting host over IPv4.
        self.assertEqual(packet.proto, 41)
        self.assertEqual(packet.src, topo.SERVER_V4)
        self.assertEqual(packet.dst, topo.JUMP_V4)
        inner = packet[IPv6]
        self.assertEqual(inner.dst, link_local)
        self.assertEqual(inner.src, topo.SERVER_ISATAP_LL)
        self.assertEqual(inner.hlim, 255)  # RFC 4861 6.1.2
        ra = inner[ICMPv6ND_RA]
        # The checksum scapy recomputes over the pseudo-header matches the one sent.
        again = IPv6(bytes(inner))
        del again[ICMPv6ND_RA].cksum
        self.assertEqual(IPv6(bytes(again))[ICMPv6ND_RA].cksum, ra.cksum)
        self.assertEqual(ra.routerlifetime, 0)  # manage-out: not a default router
        prefixes = self.options(ra, ICMPv6NDOptPrefixInfo)
        self.assertEqual([(o.prefix, o.prefixlen, o.A) for o in prefixes], [("2002:836b:2:8000::", 64, 1)])
        self.assertGreater(prefixes[0].validlifetime, 0)
        routes = {(o.prefix, o.plen) for o in self.options(ra, ICMPv6NDOptRouteInfo)}
        self.assertIn(("2002:836b:2:1000::", 64), routes)
        self.assertIn(("2001:0:836b:2::", 64), routes)

        # The same capture through tshark's dissector (independent of scapy).
        rows = capture.fields("icmpv6.type == 134", "ip.src", "ip.dst", "ipv6.dst", "ipv6.hlim",
                              "icmpv6.nd.ra.router_lifetime", "icmpv6.opt.type", "icmpv6.opt.prefix",
                              "icmpv6.opt.prefix.flag.a", "icmpv6.checksum.status")
        self.assertEqual(len(rows), 1, rows)
        src, dst, inner_dst, hlim, lifetime, types, option_prefixes, a_flag, checksum = rows[0]
        self.assertEqual((src, dst, inner_dst, hlim, lifetime), (topo.SERVER_V4, topo.JUMP_V4, link_local, "255", "0"))
        self.assertIn("3", types.split(","))   # Prefix Information
        self.assertIn("24", types.split(","))  # Route Information (RFC 4191)
        listed = option_prefixes.split(",")
        for prefix in ("2002:836b:2:8000::", "2002:836b:2:1000::", "2001:0:836b:2::"):
            self.assertIn(prefix, listed, rows)
        self.assertIn(a_flag.split(",")[0], ("1", "True"))
        self.assertIn(checksum, ("1", "Good"))  # tshark verified it (1: good, 2: unverified)

        status = lab.router.isatap()
        host = next(h for h in status["hosts"] if h["ipv4"] == topo.JUMP_V4)
        self.assertTrue(host["allowed"])
        self.assertGreaterEqual(host["solicitations"], 1)
        self.assertGreaterEqual(host["advertisements"], 1)

    @staticmethod
    def options(ra, kind):
        found, index = [], 1
        while ra.getlayer(kind, nb=index) is not None:
            found.append(ra.getlayer(kind, nb=index))
            index += 1
        return found

    def test_refused_host_gets_nothing_and_is_counted(self):
        lab = self.lab
        before = self.drops().get("source_not_allowed", 0)
        replies = self.probe(lab.other, topo.OTHER_V4, isatap_link_local(topo.OTHER_V4), wait=4.0)
        self.assertEqual(replies, [], [p.summary() for p in replies])
        status = lab.router.isatap()
        self.assertGreater(status["isatap_drops"]["source_not_allowed"], before, self.logs(lab.router))
        host = next((h for h in status["hosts"] if h["ipv4"] == topo.OTHER_V4), None)
        self.assertIsNotNone(host, status)
        self.assertFalse(host["allowed"])
        self.assertEqual(host["advertisements"], 0)
        self.assertGreaterEqual(status["hosts_refused"], 1)

    def test_spoofed_inner_source_is_dropped_and_counted(self):
        lab = self.lab
        before = self.drops().get("inner_source_mismatch", 0)
        # From the allowed IPv4, but the inner source embeds another IPv4 (RFC 5214 7.3).
        spoofed = isatap_link_local("10.20.0.99")
        replies = self.probe(lab.jump, topo.JUMP_V4, spoofed, wait=4.0)
        self.assertEqual(replies, [], [p.summary() for p in replies])
        after = self.drops().get("inner_source_mismatch", 0)
        self.assertGreater(after, before, self.logs(lab.router))


class OtherIsatapRouter(ScapyProbe):
    """RFC 6324 3.2.3: nothing is forwarded toward another ISATAP router (other_routers)."""

    def setUp(self):
        self.lab = topo.IsatapLab(SIXGATE, tag="r")
        self.lab.start_router(other_routers=("10.20.0.2",))

    def test_packet_toward_another_isatap_routers_address_is_dropped_as_a_loop(self):
        from scapy.layers.inet6 import ICMPv6EchoRequest, IPv6
        lab = self.lab
        before = self.drops().get("loop_isatap_router", 0)
        # From the allowed jump host's ISATAP address to an ISATAP address the other router
        # (10.20.0.2) would serve: forwarding it could loop between the routers.
        packet = IPv6(src=topo.JUMP_ISATAP, dst="2002:836b:2:8000:0:5efe:a14:2", hlim=64) / ICMPv6EchoRequest()
        capture = lab.capture(lab.server, "sv6", "loop", "ip6")
        self.assertEqual(self.probe(lab.jump, topo.JUMP_V4, None, wait=2.0, packet=packet), [])
        capture.stop()
        self.assertGreater(self.drops().get("loop_isatap_router", 0), before, lab.router.log())
        self.assertEqual(capture.fields("icmpv6.type == 128", "ipv6.dst"), [])
        # The same packet to the client is forwarded (the check is about the destination only).
        packet = IPv6(src=topo.JUMP_ISATAP, dst=topo.CLIENT_V6, hlim=64) / ICMPv6EchoRequest(id=7, seq=1)
        replies = self.probe(lab.jump, topo.JUMP_V4, None, wait=3.0, packet=packet)
        self.assertEqual(len(replies), 1, lab.router.log())
        self.assertEqual(replies[0][IPv6].src, topo.CLIENT_V6)
        self.assertEqual(replies[0][IPv6].dst, topo.JUMP_ISATAP)


class Reload(ScapyProbe):
    """SIGHUP with a changed isatap: section restarts the ISATAP router with the new allow-list."""

    def test_sighup_with_a_longer_allow_list_serves_the_added_host(self):
        from scapy.layers.inet6 import ICMPv6ND_RA
        lab = self.lab
        other_ll = isatap_link_local(topo.OTHER_V4)
        self.assertEqual(self.probe(lab.other, topo.OTHER_V4, other_ll, wait=2.0), [])
        lab.router.reload(topo.IsatapLab.router_yaml(allow=(topo.JUMP_V4, topo.OTHER_V4)))
        sgnetns.wait_for(lambda: "10.20.0.11/32" in lab.router.isatap().get("allow", []), 15,
                         what="the reloaded allow-list" + lab.router.log())
        replies = self.probe(lab.other, topo.OTHER_V4, other_ll)
        self.assertEqual(len([p for p in replies if p.haslayer(ICMPv6ND_RA)]), 1, lab.router.log())
        self.assertEqual(lab.tun_devices(lab.server), [topo.TUN])  # the old TUN went, one new one
        self.assertIn("isatap config changed: restarting", topo.read(lab.router.log_path))


class JumpHost(IsatapTestCase):
    """sixgate in host mode on the allowed jump host reaches the remote client."""

    def setUp(self):
        self.lab = topo.IsatapLab(SIXGATE, tag="j")
        self.lab.start_router()
        self.jump = self.lab.start_host(self.lab.jump, "jump")
        self.wait_for_address()

    def wait_for_address(self):
        lab = self.lab
        try:
            sgnetns.wait_for(lambda: topo.JUMP_ISATAP in lab.addresses(lab.jump), 20,
                             what=f"{topo.JUMP_ISATAP} on the jump host's {topo.TUN}")
        except AssertionError as error:
            raise AssertionError(f"{error}\n{lab.addresses(lab.jump)}{self.logs(lab.router, self.jump)}") from None

    def test_jump_host_gets_its_isatap_address_and_the_route_to_the_clients(self):
        lab = self.lab
        self.assertIn(topo.JUMP_ISATAP, lab.addresses(lab.jump))
        self.assertIn(isatap_link_local(topo.JUMP_V4), lab.addresses(lab.jump))
        routes = sgnetns.wait_for(
            lambda: [r for r in lab.routes(lab.jump) if r.get("dst") == topo.IPHTTPS_PREFIX], 10,
            what="the route to the IP-HTTPS prefix on the jump host")
        self.assertEqual(routes[0].get("dev"), topo.TUN, routes)
        status = self.jump.isatap()
        self.assertIn(topo.JUMP_ISATAP, [a["address"] for a in status["addresses"]], status)
        self.assertIn(topo.IPHTTPS_PREFIX, [r["prefix"] for r in status["routes"]], status)
        self.assertEqual(status["router"], topo.SERVER_V4, status)

    def test_jump_host_pings_the_client_and_talks_tcp_on_3389_and_5985(self):
        lab = self.lab
        listeners = [sgnetns.tcp_echo_listener(lab.client, "::", port) for port in (3389, 5985)]
        received, out = lab.ping(lab.jump, topo.CLIENT_V6, count=5)
        self.assertEqual(received, 5, out + self.logs(lab.router, self.jump))
        for port in (3389, 5985):
            result = sgnetns.tcp_echo_exchange(lab.jump, topo.CLIENT_V6, port)
            self.assertNotIn("error", result, f"port {port}: {result}" + self.logs(lab.router, self.jump))
            # The client sees the jump host's ISATAP address: no NAT, end to end IPv6.
            self.assertEqual(result["peer"], f"peer {topo.JUMP_ISATAP}")
            self.assertEqual(result["echo"], f"echo:hello {port}")
            self.assertEqual(result["bulk"], 100_001)
        for listener in listeners:
            topo.stop(listener)
        status = lab.router.isatap()
        host = next(h for h in status["hosts"] if h["ipv4"] == topo.JUMP_V4)
        self.assertTrue(host["allowed"])
        self.assertEqual(host["isatap_address"], topo.JUMP_ISATAP)
        self.assertGreater(host["packets_out"], 0)
        self.assertGreater(status["counters"]["encapsulated"], 0)


class OtherHost(IsatapTestCase):
    """sixgate in host mode on an IPv4 host that is not on the allow-list gets nothing."""

    def test_host_not_on_the_allow_list_gets_no_address_and_cannot_reach_the_client(self):
        lab = topo.IsatapLab(SIXGATE, tag="o")
        lab.start_router()
        listener = sgnetns.tcp_echo_listener(lab.client, "::", 3389)
        other = lab.start_host(lab.other, "other")
        # The host solicits at once (RFC 4861 6.3.7); give it several solicitations' time.
        sgnetns.wait_for(lambda: other.isatap().get("solicitations_sent", 0) >= 2, 20,
                         what="two solicitations from the refused host")
        time.sleep(2)
        self.assertNotIn(topo.OTHER_ISATAP, lab.addresses(lab.other))
        self.assertEqual([a for a in lab.addresses(lab.other) if not a.startswith("fe80:")], [])
        self.assertEqual([r for r in lab.routes(lab.other) if r.get("dst") == topo.IPHTTPS_PREFIX], [])
        self.assertEqual(other.isatap()["addresses"], [])
        received, out = lab.ping(lab.other, topo.CLIENT_V6, count=2, timeout=1)
        self.assertEqual(received, 0, out)
        result = sgnetns.tcp_echo_exchange(lab.other, topo.CLIENT_V6, 3389, timeout=3)
        self.assertIn("error", result)
        topo.stop(listener)
        status = lab.router.isatap()
        host = next((h for h in status["hosts"] if h["ipv4"] == topo.OTHER_V4), None)
        self.assertIsNotNone(host, status)
        self.assertFalse(host["allowed"])
        self.assertEqual(host["advertisements"], 0)
        self.assertGreaterEqual(status["hosts_refused"], 1)
        self.assertGreaterEqual(status["isatap_drops"]["source_not_allowed"], 2)
        # Shown by `sixgate status` (text) too.
        text = sgnetns.run(SIXGATE, "status", "--socket", lab.router.socket, check=False)
        self.assertIn("10.20.0.11", text)


class Ipv4Unaffected(IsatapTestCase):
    """The intranet's other IPv4 traffic flows as before while every sixgate runs."""

    def test_ipv4_ping_and_tcp_between_jump_other_and_server(self):
        lab = topo.IsatapLab(SIXGATE, tag="u")
        lab.start_router()
        jump = lab.start_host(lab.jump, "jump")
        other = lab.start_host(lab.other, "other")
        sgnetns.wait_for(lambda: topo.JUMP_ISATAP in lab.addresses(lab.jump), 20,
                         what="the jump host's ISATAP address" + self.logs(lab.router, jump))
        pairs = ((lab.jump, topo.OTHER_V4), (lab.jump, topo.SERVER_V4), (lab.other, topo.JUMP_V4),
                 (lab.other, topo.SERVER_V4), (lab.server, topo.JUMP_V4), (lab.server, topo.OTHER_V4))
        for ns, target in pairs:
            received, out = lab.ping(ns, target, count=3)
            self.assertEqual(received, 3, f"{ns} -> {target}\n{out}")
        listeners = [sgnetns.tcp_echo_listener(lab.server, topo.SERVER_V4, 8080, family="inet"),
                     sgnetns.tcp_echo_listener(lab.other, topo.OTHER_V4, 8080, family="inet")]
        for ns, target in ((lab.jump, topo.SERVER_V4), (lab.other, topo.SERVER_V4), (lab.jump, topo.OTHER_V4)):
            result = sgnetns.tcp_echo_exchange(ns, target, 8080)
            self.assertNotIn("error", result, f"{ns} -> {target}: {result}")
            self.assertEqual(result["echo"], "echo:hello 8080")
            self.assertEqual(result["bulk"], 100_001)
        for listener in listeners:
            topo.stop(listener)
        # And ISATAP still works alongside.
        received, out = lab.ping(lab.jump, topo.CLIENT_V6, count=2)
        self.assertEqual(received, 2, out + self.logs(lab.router, jump, other))


class CleanExit(IsatapTestCase):
    """SIGTERM on every sixgate removes its TUN and the addresses and routes it added."""

    def test_sigterm_removes_tuns_addresses_and_routes(self):
        lab = topo.IsatapLab(SIXGATE, tag="c")
        lab.start_router()
        jump = lab.start_host(lab.jump, "jump")
        other = lab.start_host(lab.other, "other")
        sgnetns.wait_for(lambda: topo.JUMP_ISATAP in lab.addresses(lab.jump), 20,
                         what="the jump host's ISATAP address" + self.logs(lab.router, jump))
        sgnetns.wait_for(lambda: [r for r in lab.routes(lab.jump) if r.get("dst") == topo.IPHTTPS_PREFIX], 10,
                         what="the route to the IP-HTTPS prefix")
        self.assertEqual(lab.tun_devices(lab.server), [topo.TUN])
        self.assertEqual(lab.forwarding(lab.server), "1")
        for sixgate in (other, jump, lab.router):
            status = sixgate.terminate()
            self.assertEqual(status, 0, sixgate.log())
        for ns in (lab.server, lab.jump, lab.other):
            self.assertEqual(lab.tun_devices(ns), [], ns)
            self.assertEqual(lab.sixgate_routes(ns), "", ns)
            self.assertEqual([r for r in lab.routes(ns) if r.get("dst") == topo.ISATAP_PREFIX], [], ns)
            if ns != lab.server:
                self.assertEqual([r for r in lab.routes(ns) if r.get("dst") == topo.IPHTTPS_PREFIX], [], ns)
        self.assertEqual(lab.forwarding(lab.server), lab.server_forwarding_before)
        # The server's own routes (added by the topology) are left alone.
        self.assertTrue([r for r in lab.routes(lab.server) if r.get("dst") == topo.IPHTTPS_PREFIX])
        # Control sockets are gone too.
        for sixgate in (lab.router, jump, other):
            self.assertFalse(os.path.exists(sixgate.socket), sixgate.socket)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("skipped: needs root (network namespaces)")
        sys.exit(77)
    for tool in ("ip", "dumpcap", "tshark"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            print(f"skipped: {tool} not installed")
            sys.exit(77)
    unittest.main()
