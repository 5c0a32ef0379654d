"""PLAT-prefix discovery and the ND proxy against the real kernel, in namespaces they create.

Pref64: a router namespace sends Router Advertisements with PREF64 options (RFC 8781 4, raw
bytes: scapy has no PREF64 class) to a host namespace, whose kernel processes them and hands the
options to clat_discovery_probe's Pref64Listener over RTNLGRP_ND_USEROPT.
NdProxy: a peer namespace resolves the proxied address with ndisc6, the kernel and scapy; DAD
against a peer that has the address, and defence against a peer that probes it.
Rfc7050: unbound in a DNS namespace serves ipv4only.arpa and synthesizes its AAAA with the dns64
module; the host namespace resolves through /etc/netns/NS/resolv.conf (created and removed here). Run as root:
    SIXGATE_DISCOVERY_PROBE=build/tests/netns/clat/clat_discovery_probe \
        /usr/bin/python3 tests/netns/clat/discovery_netns_test.py [Test.name]
"""

import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sgnetns  # noqa: E402

PROBE = os.environ.get("SIXGATE_DISCOVERY_PROBE", "build/tests/netns/clat/clat_discovery_probe")
TARGET = "2001:db8:64::c1a7"
PEER_ADDRESS = "2001:db8:64::1"


class Probe:
    """clat_discovery_probe in a namespace; reads its JSON lines."""

    def __init__(self, ns, *args):
        self.stderr = tempfile.TemporaryFile(mode="w+")
        self.process = sgnetns.spawn(ns, PROBE, *args, stdout=subprocess.PIPE, stderr=self.stderr)
        self.events = []
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read_lines, daemon=True)
        self._reader.start()

    def _read_lines(self):
        for line in self.process.stdout:
            if line.strip():
                with self._lock:
                    self.events.append(json.loads(line))

    def _snapshot(self):
        with self._lock:
            return list(self.events)

    def wait_event(self, predicate, timeout, what):
        """The first event (from the start) matching predicate, waiting up to timeout."""
        deadline = time.monotonic() + timeout
        while True:
            exited = self.process.poll() is not None
            for event in self._snapshot():
                if predicate(event):
                    return event
            if time.monotonic() > deadline or (exited and not self._reader.is_alive()):
                raise AssertionError(f"no {what} within {timeout} s; events: {self._snapshot()}; log:\n{self.log()}")
            time.sleep(0.05)

    def changes(self):
        return [e for e in self._snapshot() if e["event"] == "change"]

    def status(self):
        """Asks for the status (SIGUSR1) and returns it."""
        seen = len([e for e in self._snapshot() if e["event"] == "status"])
        self.process.send_signal(signal.SIGUSR1)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            statuses = [e for e in self._snapshot() if e["event"] == "status"]
            if len(statuses) > seen:
                return statuses[-1]["status"]
            time.sleep(0.05)
        raise AssertionError(f"no status; log:\n{self.log()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self._reader.join(timeout=5)

    def log(self):
        self.stderr.seek(0)
        return self.stderr.read()


def pref64_option(prefix, length, scaled_lifetime):
    """RFC 8781 4: type 38, Length 2, scaled lifetime (13 bits) and PLC (3 bits), 96 prefix bits."""
    plc = {96: 0, 64: 1, 56: 2, 48: 3, 40: 4, 32: 5}.get(length, length)  # an int > 5: an undefined PLC
    return struct.pack("!BBH", 38, 2, scaled_lifetime << 3 | plc) + socket.inet_pton(socket.AF_INET6, prefix)[:12]


def router_advertisement(*options):
    """An RA (RFC 4861 4.2) with router lifetime 0: only its options matter here."""
    return struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 0, 0, 0) + b"".join(options)


def send_ra(ns, device, message):
    """Sends one ICMPv6 message from ns to ff02::1 on device, hop limit 255; the kernel fills the
    checksum and the link-local source."""
    code = f"""
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
index = socket.if_nametoindex("{device}")
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
s.sendto(bytes.fromhex("{message.hex()}"), ("ff02::1", 0, 0, index))
"""
    sgnetns.run("/usr/bin/python3", "-c", code, ns=ns)


def link_local(ns, device):
    return next(a["local"] for a in sgnetns.ipv6_addresses(ns, device) if a.get("scope") == "link")


def mac_of(ns, device):
    data = json.loads(sgnetns.run("ip", "-j", "link", "show", "dev", device, ns=ns))
    return data[0]["address"]


class Lab:
    """Two namespaces joined by a veth pair: `host` (host0) and `peer` (peer0)."""

    def __init__(self, host_tag="host", peer_tag="peer"):
        self.host = sgnetns.create_namespace(host_tag)
        self.peer = sgnetns.create_namespace(peer_tag)
        sgnetns.veth(self.host, "host0", self.peer, "peer0")


def require_root():
    if os.geteuid() != 0:
        print("skipped: needs root (network namespaces)")
        sys.exit(77)


class Pref64(unittest.TestCase):
    def setUp(self):
        self.lab = Lab("p64h", "p64r")
        self.router_ll = link_local(self.lab.peer, "peer0")

    def tearDown(self):
        sgnetns.cleanup()

    def test_learns_the_prefix_then_a_lifetime_zero_pref64_withdraws_it(self):
        probe = Probe(self.lab.host, "pref64", "host0", "60", "--no-solicit")
        probe.wait_event(lambda e: e["event"] == "started", 10, "start")
        send_ra(self.lab.peer, "peer0", router_advertisement(pref64_option("2001:db8:64::", 96, 75)))
        learned = probe.wait_event(lambda e: e["event"] == "change", 10, "the prefix")
        self.assertEqual(learned["prefix"], "2001:db8:64::/96")
        self.assertEqual(learned["source"], f"pref64 from {self.router_ll} on host0")
        self.assertTrue(590 <= learned["lifetime_s"] <= 600, learned)  # 75 x 8 s
        # RFC 8781 4: lifetime 0 withdraws it.
        send_ra(self.lab.peer, "peer0", router_advertisement(pref64_option("2001:db8:64::", 96, 0)))
        probe.wait_event(lambda e: e["event"] == "change" and e["prefix"] is None, 10, "the withdrawal")
        counters = probe.status()["counters"]
        self.assertEqual(counters["options_seen"], 2)
        self.assertEqual(counters["withdrawals"], 1)
        self.assertEqual(counters["malformed"], 0)
        probe.stop()

    def test_prefix_expires_when_its_lifetime_runs_out(self):
        probe = Probe(self.lab.host, "pref64", "host0", "60", "--no-solicit")
        probe.wait_event(lambda e: e["event"] == "started", 10, "start")
        started = time.monotonic()
        send_ra(self.lab.peer, "peer0", router_advertisement(pref64_option("64:ff9b::", 96, 1)))  # 8 s
        probe.wait_event(lambda e: e["event"] == "change" and e["prefix"] == "64:ff9b::/96", 10, "the prefix")
        probe.wait_event(lambda e: e["event"] == "change" and e["prefix"] is None, 15, "the expiry")
        self.assertGreaterEqual(time.monotonic() - started, 7.5)
        self.assertEqual(probe.status()["counters"]["expirations"], 1)
        probe.stop()

    def test_malformed_pref64_and_other_options_are_counted_not_used(self):
        probe = Probe(self.lab.host, "pref64", "host0", "60", "--no-solicit")
        probe.wait_event(lambda e: e["event"] == "started", 10, "start")
        rdnss = struct.pack("!BBHI", 25, 3, 0, 600) + socket.inet_pton(socket.AF_INET6, "2001:db8::53")
        bad_plc = pref64_option("2001:db8:bad::", 7, 75)  # PLC 7 is undefined (RFC 8781 4)
        send_ra(self.lab.peer, "peer0", router_advertisement(rdnss, bad_plc))
        # A good one after them shows the bad ones were read and passed over.
        send_ra(self.lab.peer, "peer0", router_advertisement(pref64_option("2001:db8:600d::", 64, 75)))
        probe.wait_event(lambda e: e["event"] == "change", 10, "the good prefix")
        self.assertEqual([c["prefix"] for c in probe.changes()], ["2001:db8:600d::/64"])
        counters = probe.status()["counters"]
        self.assertEqual(counters["malformed"], 1)
        self.assertEqual(counters["ignored_other_option"], 1)
        self.assertEqual(counters["options_seen"], 1)
        probe.stop()

    def test_router_solicitation_at_start_brings_the_prefix_without_waiting(self):
        # A responder in the router namespace answers each RS with an RA carrying PREF64.
        answer = router_advertisement(pref64_option("2001:db8:5011::", 96, 75)).hex()
        code = f"""
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
index = socket.if_nametoindex("peer0")
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
group = socket.inet_pton(socket.AF_INET6, "ff02::2") + index.to_bytes(4, "little")
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, group)
print("ready", flush=True)
while True:
    data, source = s.recvfrom(1500)
    if data[0] == 133:
        print("rs", source[0], flush=True)
        s.sendto(bytes.fromhex("{answer}"), ("ff02::1", 0, 0, index))
"""
        responder = sgnetns.spawn(self.lab.peer, "/usr/bin/python3", "-c", code, stdout=subprocess.PIPE)
        self.assertEqual(responder.stdout.readline().strip(), "ready")
        probe = Probe(self.lab.host, "pref64", "host0", "60")
        learned = probe.wait_event(lambda e: e["event"] == "change", 10, "the prefix")
        self.assertEqual(learned["prefix"], "2001:db8:5011::/96")
        self.assertTrue(responder.stdout.readline().startswith("rs "))
        self.assertEqual(probe.status()["counters"]["solicitations_sent"], 1)  # stops once known
        probe.stop()


class NdProxy(unittest.TestCase):
    def setUp(self):
        self.lab = Lab("ndph", "ndpp")
        sgnetns.run("ip", "-6", "addr", "add", f"{PEER_ADDRESS}/64", "dev", "peer0", "nodad", ns=self.lab.peer)
        self.host_mac = mac_of(self.lab.host, "host0")

    def tearDown(self):
        sgnetns.cleanup()

    def start_proxy(self, *extra):
        probe = Probe(self.lab.host, "ndproxy", "host0", TARGET, "60", *extra)
        probe.wait_event(lambda e: e["event"] in ("started", "error"), 10, "start")
        return probe

    def test_peer_resolves_the_proxied_address_to_the_host_mac(self):
        probe = self.start_proxy()
        self.assertEqual(probe._snapshot()[0]["event"], "started", probe.log())
        # ndisc6 sends a multicast NS from the peer and prints the answer's target link-layer address.
        output = sgnetns.run("ndisc6", "-1", "-r", "3", "-w", "1000", TARGET, "peer0", ns=self.lab.peer)
        self.assertIn(self.host_mac.upper(), output.upper(), output)
        # The peer's own kernel resolves it too (ping has nobody to answer it: only ND matters).
        sgnetns.run("ping", "-6", "-c", "1", "-W", "1", TARGET, ns=self.lab.peer, check=False)
        neighbours = json.loads(sgnetns.run("ip", "-j", "-6", "neigh", "show", TARGET, "dev", "peer0", ns=self.lab.peer))
        self.assertEqual(neighbours[0].get("lladdr"), self.host_mac, neighbours)
        status = probe.status()
        self.assertGreaterEqual(status["answered"], 2)
        self.assertEqual(status["conflicts"], 0)
        probe.stop()

    def scapy_exchange(self, packet_code, want_reply=True):
        """Runs scapy in the peer: sends the frame built by packet_code (an expression with
        HOST_MAC, TARGET, PEER_MAC) and prints the reply NA's fields as JSON, or null."""
        code = f"""
import json, sys
from scapy.all import Ether, IPv6, ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6NDOptSrcLLAddr, ICMPv6NDOptDstLLAddr, srp1, sendp, conf
conf.verb = 0
HOST_MAC, TARGET, PEER_MAC = "{self.host_mac}", "{TARGET}", "{mac_of(self.lab.peer, 'peer0')}"
packet = {packet_code}
if not {want_reply}:
    sendp(packet, iface="peer0")
    print("null")
    sys.exit(0)
reply = srp1(packet, iface="peer0", timeout=3, filter="icmp6 and ip6[40] == 136")
if reply is None:
    print("null")
else:
    na = reply[ICMPv6ND_NA]
    print(json.dumps({{"ether_dst": reply.dst, "ip_src": reply[IPv6].src, "ip_dst": reply[IPv6].dst,
                      "hlim": reply[IPv6].hlim, "tgt": na.tgt, "R": na.R, "S": na.S, "O": na.O,
                      "tlla": reply[ICMPv6NDOptDstLLAddr].lladdr if ICMPv6NDOptDstLLAddr in reply else None}}))
"""
        return json.loads(sgnetns.run("/usr/bin/python3", "-c", code, ns=self.lab.peer).strip().splitlines()[-1])

    def test_unicast_solicitation_is_answered_solicited_without_override(self):
        # Neighbor unreachability detection: a unicast NS to the proxied address itself, which is
        # not assigned on host0 (RFC 4861 7.3.1). The packet socket sees it before routing.
        probe = self.start_proxy("--no-dad")
        reply = self.scapy_exchange(
            'Ether(dst=HOST_MAC, src=PEER_MAC)/IPv6(src="2001:db8:64::1", dst=TARGET, hlim=255)'
            '/ICMPv6ND_NS(tgt=TARGET)/ICMPv6NDOptSrcLLAddr(lladdr=PEER_MAC)')
        self.assertIsNotNone(reply, probe.log())
        self.assertEqual(reply["tgt"], TARGET)
        self.assertEqual((reply["R"], reply["S"], reply["O"]), (0, 1, 0))  # RFC 4861 7.2.4, 7.2.8
        self.assertEqual(reply["tlla"], self.host_mac)
        self.assertEqual(reply["ip_dst"], PEER_ADDRESS)
        self.assertEqual(reply["ip_src"], TARGET)  # answered as the address's owner
        self.assertEqual(reply["hlim"], 255)
        self.assertEqual(probe.status()["answered"], 1)
        probe.stop()

    def test_invalid_solicitations_are_dropped_and_counted(self):
        probe = self.start_proxy("--no-dad")
        base = 'Ether(dst="33:33:ff:00:c1:a7", src=PEER_MAC)/IPv6(src="2001:db8:64::1", dst="ff02::1:ff00:c1a7", hlim={hlim})/ICMPv6ND_NS(tgt=TARGET{extra})'
        self.assertIsNone(self.scapy_exchange(base.format(hlim=64, extra=""), want_reply=False))
        self.assertIsNone(self.scapy_exchange(base.format(hlim=255, extra=", cksum=0x1234"), want_reply=False))
        self.assertIsNone(self.scapy_exchange(base.format(hlim=255, extra=", code=3"), want_reply=False))
        status = wait_for_status(probe, lambda s: sum(s["dropped"].values()) >= 3)
        self.assertEqual(status["dropped"]["bad_hop_limit"], 1)
        self.assertEqual(status["dropped"]["bad_checksum"], 1)
        self.assertEqual(status["dropped"]["bad_code"], 1)
        self.assertEqual(status["answered"], 0)
        probe.stop()

    def test_dad_fails_when_a_peer_already_has_the_address(self):
        sgnetns.run("ip", "-6", "addr", "add", f"{TARGET}/64", "dev", "peer0", "nodad", ns=self.lab.peer)
        probe = Probe(self.lab.host, "ndproxy", "host0", TARGET, "60")
        error = probe.wait_event(lambda e: e["event"] == "error", 10, "the DAD failure")
        self.assertIn(TARGET, error["message"])
        self.assertIn("host0", error["message"])
        self.assertIn("duplicate address", error["message"])
        self.assertEqual(probe.process.wait(timeout=5), 3)

    def test_a_peer_probing_the_address_is_defended(self):
        probe = self.start_proxy()
        self.assertEqual(probe._snapshot()[0]["event"], "started", probe.log())
        # The peer's kernel runs DAD (RFC 4862 5.4) for the same address: our NA makes it fail.
        sgnetns.run("sysctl", "-qw", "net.ipv6.conf.peer0.accept_dad=1", ns=self.lab.peer)
        sgnetns.run("ip", "-6", "addr", "add", f"{TARGET}/64", "dev", "peer0", ns=self.lab.peer)

        def dad_failed():
            for a in sgnetns.ipv6_addresses(self.lab.peer, "peer0"):
                if a["local"] == TARGET and a.get("dadfailed"):
                    return True
            return False

        sgnetns.wait_for(dad_failed, 10, what="the peer's DAD to fail")
        self.assertGreaterEqual(probe.status()["answered_dad"], 1)
        probe.stop()


def wait_for_status(probe, predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while True:
        status = probe.status()
        if predicate(status) or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


IPV4ONLY_ZONE = """$ORIGIN ipv4only.arpa.
$TTL 300
@ IN SOA localhost. nobody.invalid. 1 3600 600 86400 300
@ IN NS localhost.
@ IN A 192.0.0.170
@ IN A 192.0.0.171
"""

UNBOUND_CONF = """server:
  interface: 2001:db8:53::53
  port: 53
  access-control: ::/0 allow
  do-ip4: no
  module-config: "{modules}"
  dns64-prefix: {dns64_prefix}
  username: ""
  chroot: ""
  directory: "{dir}"
  pidfile: ""
  use-syslog: no
  logfile: ""
  do-daemonize: no
  local-zone: "arpa." nodefault
  local-zone: "ipv4only.arpa." transparent
# ipv4only.arpa served locally (RFC 7050 2.2: only A records), resolved through the modules.
auth-zone:
  name: "ipv4only.arpa."
  zonefile: "{dir}/ipv4only.zone"
  for-downstream: no
  for-upstream: yes
  fallback-enabled: no
"""


class Rfc7050(unittest.TestCase):
    """unbound in a DNS namespace serves ipv4only.arpa (A records only) and synthesizes AAAA
    with its dns64 module (RFC 6147); the host resolves through /etc/netns/NAME/resolv.conf."""

    def setUp(self):
        self.lab = Lab("r7050h", "r7050d")
        sgnetns.run("ip", "-6", "addr", "add", "2001:db8:53::2/64", "dev", "host0", "nodad", ns=self.lab.host)
        sgnetns.run("ip", "-6", "addr", "add", "2001:db8:53::53/64", "dev", "peer0", "nodad", ns=self.lab.peer)
        self.dir = tempfile.mkdtemp(prefix="sg-unbound-")
        with open(os.path.join(self.dir, "ipv4only.zone"), "w") as f:
            f.write(IPV4ONLY_ZONE)
        # ip netns exec bind-mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf.
        self.netns_dir = f"/etc/netns/{self.lab.host}"
        os.makedirs(self.netns_dir)
        with open(os.path.join(self.netns_dir, "resolv.conf"), "w") as f:
            f.write("nameserver 2001:db8:53::53\noptions timeout:1 attempts:1\n")

    def tearDown(self):
        sgnetns.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)
        shutil.rmtree(self.netns_dir, ignore_errors=True)
        try:
            os.rmdir("/etc/netns")  # only when no one else uses it
        except OSError:
            pass

    def start_unbound(self, dns64):
        config = os.path.join(self.dir, "unbound.conf")
        with open(config, "w") as f:
            f.write(UNBOUND_CONF.format(modules="dns64 iterator" if dns64 else "iterator",
                                        dns64_prefix="2001:db8:122:344::/64", dir=self.dir))
        self.unbound_log = open(os.path.join(self.dir, "unbound.log"), "w")
        sgnetns.spawn(self.lab.peer, "unbound", "-d", "-c", config, stdout=self.unbound_log, stderr=self.unbound_log)

    def test_discovers_the_prefix_through_dns64_and_retries_until_dns_answers(self):
        probe = Probe(self.lab.host, "rfc7050", "60")
        probe.wait_event(lambda e: e["event"] == "started", 10, "start")
        # No DNS server yet: lookups fail and are retried with back-off (RFC 7050 3).
        failing = wait_for_status(probe, lambda s: s["counters"]["failures"] >= 2)
        self.assertGreaterEqual(failing["counters"]["failures"], 2, failing)
        self.assertIsNone(failing["prefix"])
        self.start_unbound(dns64=True)
        learned = probe.wait_event(lambda e: e["event"] == "change", 90, "the prefix")
        # Synthesized under a /64 (RFC 6052 2.2, u octet skipped) from both well-known addresses.
        self.assertEqual(learned["prefix"], "2001:db8:122:344::/64")
        self.assertEqual(learned["source"], "dns64 ipv4only.arpa")
        status = probe.status()
        self.assertEqual(status["prefixes"], ["2001:db8:122:344::/64"])
        self.assertIsNone(status["last_error"])
        self.assertTrue(3500 <= status["next_lookup_in_s"] <= 3600, status)
        probe.stop()

    def test_without_dns64_no_prefix_is_learned_and_lookups_go_on(self):
        self.start_unbound(dns64=False)  # ipv4only.arpa has no AAAA: nothing to synthesize from
        probe = Probe(self.lab.host, "rfc7050", "60")
        probe.wait_event(lambda e: e["event"] == "started", 10, "start")
        status = wait_for_status(probe, lambda s: s["counters"]["failures"] >= 3, timeout=20)
        self.assertGreaterEqual(status["counters"]["failures"], 3, status)
        self.assertIsNone(status["prefix"])
        self.assertIn("ipv4only.arpa", status["last_error"])
        self.assertEqual(probe.changes(), [])
        probe.stop()


if __name__ == "__main__":
    require_root()
    unittest.main(verbosity=2)
