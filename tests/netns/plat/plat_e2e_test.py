"""The sixgate PLAT (stateful NAT64, RFC 6146) end to end with real peers, in namespaces.

Topologies: tests/netns/plat/plat_topology.py (client6 -- plat -- server4) and, for 464XLAT,
tests/netns/clat/xlat464_topology.py with the sixgate PLAT in its plat namespace. Every case starts
the real `sixgate run` and removes every namespace and process it made, also on failure. Run as root:
    SIXGATE_BINARY=build/app/sixgate /usr/bin/python3 tests/netns/plat/plat_e2e_test.py [Class.test]
"""

import ipaddress
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "clat"))
import plat_topology as topo  # noqa: E402
import sgnetns  # noqa: E402
import xlat464_topology as x464  # noqa: E402

SIXGATE = os.environ.get("SIXGATE_BINARY", "build/app/sixgate")
POOL4_NET = ipaddress.IPv4Network(topo.POOL4)


def plat_yaml(prefix=topo.NSP_PREFIX, pool4=topo.POOL4, extra=""):
    return f"plat:\n  prefix: {prefix}\n  pool4: [{{prefix: {pool4}}}]\n{extra}"


def in_pool4(address):
    return ipaddress.IPv4Address(address) in POOL4_NET


class PlatTestCase(unittest.TestCase):
    def tearDown(self):
        sgnetns.cleanup()

    def log(self, lab):
        return f"\n--- sixgate log ---\n{topo.read(lab.log_path)[-6000:]}"

    def start(self, lab, yaml=None, **kwargs):
        return lab.start_plat(SIXGATE, yaml or plat_yaml(), **kwargs)

    def assert_clean_exit(self, lab):
        """RFC-independent hygiene (DESIGN.md "Kernel state"): exit 0, no route with protocol 115,
        no TUN, the forwarding sysctls back to what they were before sixgate started."""
        status = lab.stop_plat()
        self.assertEqual(status, 0, self.log(lab))
        self.assertEqual(lab.sixgate_routes(), "")
        self.assertEqual(lab.tun_devices(), [])
        self.assertEqual(lab.plat_sysctls(), lab.sysctls_before)


class NetworkSpecificPrefix(PlatTestCase):
    """The Linux kernel as an IPv6-only host, 2001:db8:64::/96 (RFC 6052 2.2), pool4 192.0.2.0/28."""

    target = topo.embed(topo.SERVER_V4)

    def setUp(self):
        self.lab = topo.PlatLab(tag="n")
        self.start(self.lab)
        self.lab.warm(self.target)

    def test_ping_reaches_the_ipv4_server_and_the_source_is_a_pool4_address(self):
        lab = self.lab
        capture = lab.capture(lab.server, "srv0", "ping", "icmp")
        received, _, out = lab.ping(self.target, count=5, size=1000)
        capture.stop()
        self.assertEqual(received, 5, out + self.log(lab))
        # tshark: the server saw echo requests from a pool4 address (RFC 6146 3.5.3) and answered.
        requests = capture.fields("icmp.type == 8", "ip.src", "ip.dst")
        self.assertGreaterEqual(len(requests), 5)
        for source, destination in requests:
            self.assertTrue(in_pool4(source), source)
            self.assertEqual(destination, topo.SERVER_V4)
        plat = lab.plat_status()
        self.assertGreaterEqual(topo.table(plat, "icmp").get("sessions_created", 0), 1)
        self.assertGreaterEqual(plat["packets"]["translated_6to4"], 5)
        self.assertGreaterEqual(plat["packets"]["translated_4to6"], 5)

    def test_curl_fetches_a_file_over_http_byte_exact(self):
        lab = self.lab
        server, name, body = lab.http_server()
        capture = lab.capture(lab.server, "srv0", "http", "tcp port 8080")
        fetched = lab.curl(f"http://[{self.target}]:8080/{name}")
        capture.stop()
        topo.stop(server)
        self.assertEqual(fetched, body, self.log(lab))
        syns = capture.fields("tcp.flags.syn == 1 && tcp.flags.ack == 0", "ip.src", "ip.dst", "tcp.srcport")
        self.assertEqual(len(syns), 1, syns)
        self.assertTrue(in_pool4(syns[0][0]), syns)
        # RFC 6146 3.5.2 / RFC 6888 REQ-3: the TCP source port comes from pool4's 1024-65535 range.
        self.assertGreaterEqual(int(syns[0][2]), 1024)
        self.assertGreaterEqual(topo.table(lab.plat_status(), "tcp").get("sessions_created", 0), 1)

    def test_iperf3_tcp_both_ways(self):
        lab = self.lab
        up = lab.iperf3(self.target, "-t", "3")
        down = lab.iperf3(self.target, "-t", "3", "-R")
        up_bps = up["end"]["sum_received"]["bits_per_second"]
        down_bps = down["end"]["sum_received"]["bits_per_second"]
        self.assertGreater(up_bps, 1e6, self.log(lab))
        self.assertGreater(down_bps, 1e6, self.log(lab))

    def test_iperf3_udp_arrives(self):
        lab = self.lab
        result = lab.iperf3(self.target, "-u", "-b", "20M", "-t", "3", "-l", "1200")
        summary = result["end"]["sum"]
        self.assertGreater(summary["packets"], 1000)
        self.assertLess(summary["lost_percent"], 5.0, self.log(lab))
        self.assertGreaterEqual(topo.table(lab.plat_status(), "udp").get("sessions_created", 0), 1)

    def test_udp_payloads_come_back_unchanged(self):
        lab = self.lab
        echo = lab.udp_echo_server()
        payloads = [b"", b"x", bytes(range(256)) * 4, os.urandom(1400)]
        replies = lab.udp_exchange(self.target, payloads)
        topo.stop(echo)
        for payload, reply in zip(payloads, replies):
            self.assertIsNotNone(reply, self.log(lab))
            self.assertEqual(bytes.fromhex(reply[0]), payload)
            self.assertEqual(reply[1], self.target)  # RFC 6052: the server appears under pool6


class DirectAccessPrefix(PlatTestCase):
    """The plan's `nat64` prefix from public_ipv4 131.107.0.2: 2002:836b:2:7777::/96."""

    def test_ping_and_curl_through_the_plan_nat64_prefix(self):
        lab = topo.PlatLab(tag="d")
        status = self.start(lab, plat_yaml(prefix="nat64"), public_ipv4=topo.DA_PUBLIC_IPV4)
        self.assertEqual(status["components"]["plat"]["prefix"], topo.DA_NAT64_PREFIX)
        target = topo.embed(topo.SERVER_V4, topo.DA_NAT64_PREFIX)
        lab.warm(target)
        received, _, out = lab.ping(target, count=3)
        self.assertEqual(received, 3, out + self.log(lab))
        server, name, body = lab.http_server(size=100_000)
        self.assertEqual(lab.curl(f"http://[{target}]:8080/{name}"), body)
        topo.stop(server)
        result = lab.iperf3(target, "-t", "2")
        self.assertGreater(result["end"]["sum_received"]["bits_per_second"], 1e6)
        result = lab.iperf3(target, "-u", "-b", "10M", "-t", "2", "-l", "1000")
        self.assertLess(result["end"]["sum"]["lost_percent"], 5.0)


class WellKnownPrefix(PlatTestCase):
    """64:ff9b::/96 (RFC 6052 2.1) must not carry non-global IPv4 addresses (RFC 6052 3.1)."""

    def setUp(self):
        self.lab = topo.PlatLab(tag="w", server_extra_v4=(topo.GLOBAL_SERVER_V4,))
        self.start(self.lab, plat_yaml(prefix="'64:ff9b::/96'"))

    def test_documentation_server_address_is_refused_and_counted(self):
        lab = self.lab
        before = lab.plat_status()["xlat_drops"]["well_known_prefix_non_global"]
        received, _, out = lab.ping(topo.embed(topo.SERVER_V4, topo.WKP_PREFIX), count=3, interval=0.2)
        self.assertEqual(received, 0, out)
        after = lab.plat_status()["xlat_drops"]["well_known_prefix_non_global"]
        self.assertGreaterEqual(after - before, 3, self.log(lab))

    def test_global_server_address_is_translated(self):
        lab = self.lab
        target = topo.embed(topo.GLOBAL_SERVER_V4, topo.WKP_PREFIX)
        lab.warm(target)
        received, _, out = lab.ping(target, count=3)
        self.assertEqual(received, 3, out + self.log(lab))
        self.assertEqual(lab.plat_status()["xlat_drops"]["well_known_prefix_non_global"], 0)


class Xlat464(unittest.TestCase):
    """464XLAT: a CLAT on the client, the sixgate PLAT in xlat464_topology's plat namespace."""

    def tearDown(self):
        sgnetns.cleanup()

    def check_traffic(self, lab):
        lab.warm(timeout=20)
        received, _, out = lab.ping(count=3)
        self.assertEqual(received, 3, out + topo.read(lab.plat_log)[-4000:])
        up = lab.iperf3("-t", "2")
        down = lab.iperf3("-t", "2", "-R")
        self.assertGreater(up["end"]["sum_received"]["bits_per_second"], 1e6)
        self.assertGreater(down["end"]["sum_received"]["bits_per_second"], 1e6)
        echo = lab.udp_echo_server()
        payloads = [b"464", os.urandom(1000)]
        replies = lab.udp_exchange(payloads)
        x464.stop(echo)
        for payload, reply in zip(payloads, replies):
            self.assertIsNotNone(reply)
            self.assertEqual(bytes.fromhex(reply[0]), payload)
            self.assertEqual(reply[1], x464.SERVER_V4)
        plat = lab.sixgate_plat_status()
        self.assertGreaterEqual(topo.table(plat, "tcp").get("sessions_created", 0), 2)
        self.assertGreaterEqual(topo.table(plat, "udp").get("sessions_created", 0), 1)

    def test_tayga_clat_to_sixgate_plat(self):
        lab = x464.Xlat464Lab(tag="t", plat_kind="sixgate", sixgate_binary=SIXGATE)
        lab.start_tayga_clat()
        self.check_traffic(lab)

    def test_sixgate_clat_with_a_literal_prefix_to_sixgate_plat(self):
        lab = x464.Xlat464Lab(tag="s", plat_kind="sixgate", sixgate_binary=SIXGATE)
        lab.start_sixgate_clat(SIXGATE, plat_prefix="literal",
                               extra_yaml="translation:\n  rfc6791_pool: [192.0.0.8/32]\n")
        self.check_traffic(lab)

    def test_sixgate_clat_with_the_prefix_from_pref64_to_sixgate_plat(self):
        lab = x464.Xlat464Lab(tag="f", plat_kind="sixgate", sixgate_binary=SIXGATE, pref64_ra=True)
        status = lab.start_sixgate_clat(SIXGATE, plat_prefix="pref64",
                                        extra_yaml="translation:\n  rfc6791_pool: [192.0.0.8/32]\n")
        self.assertEqual(x464.plat_prefix_of(status), x464.PLAT_PREFIX)
        self.check_traffic(lab)


class StaticBib(PlatTestCase):
    """RFC 6146 3.1: a static BIB entry lets an IPv4-only host open a connection to an IPv6 host."""

    def test_ipv4_admin_host_reaches_an_ipv6_listener_through_pool4_port_3389(self):
        lab = topo.PlatLab(tag="b", server_extra_v4=(topo.ADMIN_V4,), client_extra_v6=(topo.STATIC_HOST_V6,))
        public = str(POOL4_NET.network_address + 1)
        self.start(lab, plat_yaml(extra=f"  static_bib:\n    - {{protocol: tcp, ipv4: '{public}:3389', "
                                        f"ipv6: '[{topo.STATIC_HOST_V6}]:3389'}}\n"))
        listener = sgnetns.tcp_echo_listener(lab.client, topo.STATIC_HOST_V6, 3389)
        capture = lab.capture(lab.server, "srv0", "rdp", "tcp port 3389")
        code = f"""
import json, socket
s = socket.create_connection(("{public}", 3389), timeout=10, source_address=("{topo.ADMIN_V4}", 0))
f = s.makefile("rwb")
out = [f.readline().decode().strip()]
for line in (b"hello", b"bulk", b"bye"):
    f.write(line + b"\\n"); f.flush()
    reply = f.readline()
    out.append(len(reply) if line == b"bulk" else reply.decode().strip())
print(json.dumps(out))
"""
        import json
        out = json.loads(sgnetns.run(topo.PYTHON, "-c", code, ns=lab.server, timeout=60))
        capture.stop()
        topo.stop(listener)
        # The IPv6 listener saw the admin host under pool6 (RFC 6052), data went both ways.
        self.assertEqual(out[0], "peer " + topo.embed(topo.ADMIN_V4), self.log(lab))
        self.assertEqual(out[1], "echo:hello")
        self.assertEqual(out[2], 100_001)  # 100,000 bytes IPv6 -> IPv4, and the newline
        self.assertEqual(out[3], "echo:bye")
        # tshark: the server side talked to pool4:3389 only.
        packets = capture.fields("tcp", "ip.src", "tcp.srcport", "ip.dst", "tcp.dstport")
        self.assertTrue(packets)
        for src, sport, dst, dport in packets:
            self.assertIn((public, "3389"), ((src, sport), (dst, dport)))
        bib = lab.plat_status()["entries"]["bib"]
        self.assertTrue(any(entry.get("static") for entry in bib), bib)


class RouterAndPlat(PlatTestCase):
    """One `sixgate run`: the router's RAs give the host its address and the nat64 route (RFC 4191),
    the PLAT translates for it; both components' kernel state is gone after SIGTERM."""

    def test_router_advertises_and_plat_translates_in_one_process(self):
        lab = topo.PlatLab(tag="r", router=True)
        router_yaml = "router:\n  interfaces:\n    - {name: pl6, max_rtr_adv_interval: 4}\n"
        self.start(lab, plat_yaml(prefix="nat64"), public_ipv4=topo.DA_PUBLIC_IPV4, extra_yaml=router_yaml,
                   components=("router", "plat"))
        sgnetns.wait_for(lambda: [a for a in sgnetns.ipv6_addresses(lab.client, "up0")
                                  if a.get("scope") == "global" and a["local"].startswith("2002:836b:2:3333:")],
                         20, what="a SLAAC address in the org /64")
        routes = sgnetns.wait_for(lambda: [r for r in sgnetns.ipv6_routes(lab.client)
                                           if r["dst"] == topo.DA_NAT64_PREFIX], 20,
                                  what="the nat64 route from the RA")
        self.assertEqual(routes[0].get("protocol"), "ra")
        target = topo.embed(topo.SERVER_V4, topo.DA_NAT64_PREFIX)
        lab.warm(target, timeout=20)
        received, _, out = lab.ping(target, count=3)
        self.assertEqual(received, 3, out + self.log(lab))
        self.assertGreaterEqual(lab.plat_status()["packets"]["translated_6to4"], 3)
        self.assert_clean_exit(lab)
        # The router's address on pl6 went with it.
        self.assertNotIn("2002:836b:2:3333::1", sgnetns.run("ip", "-6", "addr", "show", "dev", "pl6", ns=lab.plat))


class SessionChurn(PlatTestCase):
    """100,000 one-packet UDP flows from 100 IPv6 sources x 1,000 ports with udp: 2 s into a PLAT with
    two queues: every datagram is translated (one session each) or counted as dropped at the TUN
    queue, every session expires on time (RFC 6146 3.5.1), pool4 is free again (udp_churn.py)."""

    def test_one_hundred_thousand_udp_flows_come_and_go_on_time(self):
        sys.path.insert(0, HERE)
        import udp_churn
        result = udp_churn.run(SIXGATE, sources=int(os.environ.get("SIXGATE_CHURN_SOURCES", 100)),
                               ports=int(os.environ.get("SIXGATE_CHURN_PORTS", 1000)),
                               queues=int(os.environ.get("SIXGATE_CHURN_QUEUES", 2)))
        self.assertTrue(result["ok"], "\n".join(result["failures"]) + "\n" + str(result))


class CleanExit(PlatTestCase):
    def test_sigterm_removes_routes_tun_and_restores_sysctls(self):
        lab = topo.PlatLab(tag="c")
        self.start(lab)
        self.assertIn(topo.NSP_PREFIX.split("/")[0], lab.sixgate_routes())
        self.assertTrue(lab.tun_devices())
        self.assertEqual(lab.plat_sysctls(), {key: "1" for key in topo.PLAT_SYSCTLS})
        lab.warm(topo.embed(topo.SERVER_V4))
        self.assert_clean_exit(lab)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("plat_e2e_test: needs root (network namespaces)", file=sys.stderr)
        sys.exit(77)
    unittest.main(verbosity=2)
