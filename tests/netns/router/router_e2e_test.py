"""End-to-end tests of the router component with real peers, in namespaces they create.

The Linux kernel is the RA client (SLAAC, RFC 4191 routes, ND user options); rdisc6 and tshark
decode the RAs independently; scapy crafts malformed messages. Run as root:
    SIXGATE_BINARY=build/app/sixgate /usr/bin/python3 tests/netns/router/router_e2e_test.py [Test.name]
"""

import ipaddress
import json
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sgnetns  # noqa: E402

SIXGATE = os.environ.get("SIXGATE_BINARY", "build/app/sixgate")
ORG = "2002:836b:2:3333::"
IPHTTPS = "2002:836b:2:1000::/64"
TEREDO = "2001:0:836b:2::/64"
NAT64 = "2002:836b:2:7777::/96"
PROTO = "115"  # sixgate's route protocol number

CONFIG = """\
public_ipv4: {public_ipv4}
logging: {{level: debug}}
control: {{socket: {socket}}}
router:
  interfaces:
    - name: rtr0
      max_rtr_adv_interval: 10
      link_mtu: 1400
      unicast_solicited_replies: {unicast}
      unicast_reply_limit: 10
      rdnss: {{servers: [org::1]}}
      dnssl: {{domains: [corp.example, lab.example]}}
  routes:
    - {{prefix: iphttps, dev: rtr0}}
"""


class RouterLab:
    """A router namespace running sixgate and a host namespace whose kernel takes its RAs."""

    def __init__(self, public_ipv4="131.107.0.2", unicast="false", host_max_plen=128):
        self.dir = tempfile.mkdtemp(prefix="sg-router-")
        self.socket = os.path.join(self.dir, "sixgate.sock")
        self.config = os.path.join(self.dir, "sixgate.yaml")
        self.log_path = os.path.join(self.dir, "sixgate.log")
        self.write_config(public_ipv4, unicast)
        self.router = sgnetns.create_namespace("rtr")
        self.host = sgnetns.create_namespace("host")
        # The host is an ordinary end host: it takes RAs, and RIOs up to /host_max_plen.
        sgnetns.veth(self.router, "rtr0", self.host, "host0",
                     sysctls_b=(("forwarding", 0), ("accept_ra", 1), ("accept_ra_rt_info_max_plen", host_max_plen)))
        self.process = None

    def write_config(self, public_ipv4, unicast="false"):
        with open(self.config, "w") as f:
            f.write(CONFIG.format(public_ipv4=public_ipv4, socket=self.socket, unicast=unicast))

    def start(self):
        with open(self.log_path, "a") as log:  # the child keeps its own descriptor
            self.process = sgnetns.spawn(self.router, SIXGATE, "run", "-c", self.config, stdout=log, stderr=log)
        sgnetns.wait_for(lambda: os.path.exists(self.socket), 10, what="the control socket")

    def signal(self, number):
        self.process.send_signal(number)

    def stop(self, expect_status=0):
        self.process.send_signal(signal.SIGTERM)
        status = self.process.wait(timeout=30)
        assert status == expect_status, f"sixgate exited {status}:\n{self.read_log()}"

    def read_log(self):
        with open(self.log_path) as f:
            return f.read()

    def status(self):
        return json.loads(sgnetns.run(SIXGATE, "status", "--json", "--socket", self.socket))

    def host_routes(self):
        return {r["dst"]: r for r in sgnetns.ipv6_routes(self.host)}

    def host_global_addresses(self):
        return [a for a in sgnetns.ipv6_addresses(self.host, "host0") if a.get("scope") == "global"]


def in_prefix(address, prefix):
    """prefix is written "2002:836b:2:3333::" and means its /64."""
    return ipaddress.IPv6Address(address) in ipaddress.IPv6Network(prefix + "/64")


class KernelAsRaClient(unittest.TestCase):
    def test_host_forms_slaac_address_installs_routes_and_no_default_route(self):
        lab = RouterLab()
        lab.start()
        addresses = sgnetns.wait_for(lambda: [a for a in lab.host_global_addresses() if in_prefix(a["local"], ORG)],
                                     15, what="a SLAAC address in the org /64")
        self.assertEqual(addresses[0]["prefixlen"], 64)
        self.assertLessEqual(addresses[0]["valid_life_time"], 5400)  # RFC 9096 lifetimes
        self.assertLessEqual(addresses[0]["preferred_life_time"], 2700)
        self.assertGreater(addresses[0]["preferred_life_time"], 2600)
        routes = sgnetns.wait_for(lambda: (lambda r: r if NAT64 in r else None)(lab.host_routes()), 15,
                                  what="the RFC 4191 routes")
        for prefix in (IPHTTPS, TEREDO, NAT64):
            self.assertIn(prefix, routes)
            self.assertEqual(routes[prefix]["protocol"], "ra")
            self.assertEqual(routes[prefix]["pref"], "medium")
            self.assertTrue(routes[prefix]["gateway"].startswith("fe80::"))
            self.assertLessEqual(routes[prefix]["expires"], 30)  # lifetime 3 * max_rtr_adv_interval
        self.assertNotIn("default", routes, "router lifetime 0: sixgate must not become a default router")

        # The router's own kernel state: server address, route with sixgate's protocol, forwarding.
        router_addresses = [a["local"] for a in sgnetns.ipv6_addresses(lab.router, "rtr0")]
        self.assertIn(ORG + "1", router_addresses)
        self.assertIn(IPHTTPS, sgnetns.run("ip", "-6", "route", "show", "proto", PROTO, ns=lab.router))
        self.assertEqual(sgnetns.run("sysctl", "-n", "net.ipv6.conf.all.forwarding", ns=lab.router).strip(), "1")

        # SIGTERM: final RAs withdraw the routes (RIO lifetime 0) and deprecate the address; the
        # host keeps the address until its valid lifetime ends, at most 2 h (RFC 4862 5.5.3(e)).
        lab.stop()
        routes = lab.host_routes()
        for prefix in (IPHTTPS, TEREDO, NAT64):
            self.assertNotIn(prefix, routes)
        address = [a for a in lab.host_global_addresses() if in_prefix(a["local"], ORG)][0]
        self.assertEqual(address["preferred_life_time"], 0)
        self.assertLessEqual(address["valid_life_time"], 7200)
        self.assertIn("final ra sent router_lifetime=0 (3 of 3)", lab.read_log())
        # Nothing left behind on the router.
        self.assertEqual(sgnetns.run("ip", "-6", "route", "show", "proto", PROTO, ns=lab.router).strip(), "")
        self.assertNotIn(ORG + "1", [a["local"] for a in sgnetns.ipv6_addresses(lab.router, "rtr0")])
        self.assertEqual(sgnetns.run("sysctl", "-n", "net.ipv6.conf.all.forwarding", ns=lab.router).strip(), "0")
        self.assertFalse(os.path.exists(lab.socket))

    def test_kernel_passes_rdnss_and_pref64_to_userspace(self):
        lab = RouterLab()
        listener = nd_useropt_listener(lab.host)
        lab.start()
        options = read_nd_useropts(listener, want={25, 38}, timeout=15)
        rdnss, pref64 = options[25], options[38]
        # RDNSS: lifetime 30, one server 2002:836b:2:3333::1 (RFC 8106 5.1)
        self.assertEqual(struct.unpack("!I", rdnss[4:8])[0], 30)
        self.assertEqual(socket.inet_ntop(socket.AF_INET6, rdnss[8:24]), ORG + "1")
        # PREF64: scaled lifetime 4 (32 s), PLC 0 (/96), prefix 2002:836b:2:7777:: (RFC 8781 4)
        scaled_plc = struct.unpack("!H", pref64[2:4])[0]
        self.assertEqual(scaled_plc >> 3, 4)
        self.assertEqual(scaled_plc & 7, 0)
        self.assertEqual(socket.inet_ntop(socket.AF_INET6, pref64[4:16] + b"\0" * 4), "2002:836b:2:7777::")
        lab.stop()


def nd_useropt_listener(ns):
    """A child process in ns printing every RTM_NEWNDUSEROPT option as hex (RTNLGRP_ND_USEROPT)."""
    code = r"""
import socket, struct, sys
s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
s.bind((0, 0))
s.setsockopt(270, 1, 20)  # SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, RTNLGRP_ND_USEROPT
print("ready", flush=True)
while True:
    data = s.recv(65536)
    offset = 0
    while offset + 16 <= len(data):
        length, kind = struct.unpack_from("=IH", data, offset)
        if kind == 68:  # RTM_NEWNDUSEROPT: nduseroptmsg (16 bytes), then the option
            opts_len = struct.unpack_from("=H", data, offset + 18)[0]
            print(data[offset + 32: offset + 32 + opts_len].hex(), flush=True)
        offset += (length + 3) & ~3
"""
    process = sgnetns.spawn(ns, "/usr/bin/python3", "-c", code, stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == "ready"
    return process


def read_nd_useropts(process, want, timeout):
    found = {}
    deadline = time.monotonic() + timeout
    os.set_blocking(process.stdout.fileno(), False)
    while set(want) - set(found):
        if time.monotonic() > deadline:
            raise AssertionError(f"ND user options seen: {sorted(found)}, wanted {sorted(want)}")
        line = process.stdout.readline()
        if not line:
            time.sleep(0.1)
            continue
        option = bytes.fromhex(line.strip())
        found.setdefault(option[0], option)
    process.kill()
    return found


class IndependentDecoders(unittest.TestCase):
    def test_rdisc6_reads_every_option_back_equal_to_the_config(self):
        lab = RouterLab()
        lab.start()
        out = sgnetns.run("rdisc6", "-1", "-w", "4000", "host0", ns=lab.host)
        expected = [
            r"Router lifetime\s+:\s+0 ",
            r"Router preference\s+:\s+medium",
            r"Hop limit\s+:\s+64",
            r"MTU\s+:\s+1400 bytes",
            r"Prefix\s+:\s+2002:836b:2:3333::/64",
            r"Valid time\s+:\s+5400 ",
            r"Pref\. time\s+:\s+2700 ",
            r"Route\s+:\s+2002:836b:2:1000::/64",
            r"Route\s+:\s+2001:0:836b:2::/64",
            r"Route\s+:\s+2002:836b:2:7777::/96",
            r"Route lifetime\s+:\s+30 ",
            r"Recursive DNS server\s+:\s+2002:836b:2:3333::1",
            r"DNS server lifetime\s+:\s+30 ",
            r"DNS search list\s+:\s+corp\.example lab\.example",
        ]
        mac = sgnetns.run("cat", "/sys/class/net/rtr0/address", ns=lab.router).strip().upper()
        expected.append(r"Source link-layer address:\s+" + re.escape(mac))
        for pattern in expected:
            self.assertRegex(out, pattern)
        self.assertRegex(lab.read_log(), r"rs from=fe80::\S+ answer=multicast rule=\w+ delay_ms=\d+")
        lab.stop()

    def test_tshark_decodes_pref64(self):
        lab = RouterLab()
        capture = os.path.join(lab.dir, "ra.pcap")
        tshark = sgnetns.spawn(lab.host, "tshark", "-q", "-i", "host0", "-f", "icmp6", "-w", capture, "-a",
                               "duration:12", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sgnetns.wait_for(lambda: os.path.exists(capture), 20, what="tshark to start capturing")
        time.sleep(0.5)
        lab.start()
        tshark.wait(timeout=20)
        decoded = sgnetns.run("tshark", "-r", capture, "-Y", "icmpv6.type == 134", "-V")
        self.assertIn("PREF64", decoded)
        self.assertRegex(decoded, r"Scaled Lifetime: 4")
        self.assertRegex(decoded, r"Prefix: 2002:836b:2:7777::")
        self.assertIn("[Checksum Status: Good]", decoded)
        lab.stop()


class SolicitationRules(unittest.TestCase):
    def test_log_shows_delay_and_min_delay_between_ras_kept(self):
        lab = RouterLab()
        lab.start()
        for _ in range(4):
            sgnetns.run("rdisc6", "-1", "-w", "4000", "host0", ns=lab.host)
        lab.stop()
        log = lab.read_log()
        delays = [int(d) for d in re.findall(r" rs from=\S+ answer=multicast rule=\w+ delay_ms=(\d+)", log)]
        self.assertGreaterEqual(len(delays), 4)
        self.assertTrue(all(0 <= d <= 500 for d in delays), delays)  # MAX_RA_DELAY_TIME
        gaps = [int(g) for g in re.findall(r"ra sent to=ff02::1 solicited=\w+ answers_rs=\d+ since_last_multicast_ms=(\d+)", log)]
        self.assertTrue(gaps and all(g >= 3000 for g in gaps), gaps)  # MIN_DELAY_BETWEEN_RAS

    def test_rs_flood_gives_one_multicast_ra_per_min_delay(self):
        lab = RouterLab()
        lab.start()
        time.sleep(0.5)
        before = lab.status()["components"]["router"]["interfaces"][0]
        sent = sgnetns.flood_router_solicitations(lab.host, "host0", rate=1000, seconds=5)
        after = lab.status()["components"]["router"]["interfaces"][0]
        self.assertGreater(sent, 2500)  # a loaded 2-core machine may not keep the full rate
        self.assertGreaterEqual(after["rs_received"] - before["rs_received"], sent * 0.9)
        multicast = after["ras_sent_multicast"] - before["ras_sent_multicast"]
        self.assertLessEqual(multicast, 5 // 3 + 2, "at most one multicast RA per MIN_DELAY_BETWEEN_RAS")
        self.assertEqual(after["ras_sent_unicast"], 0)
        lab.stop()

    def test_rs_flood_in_unicast_mode_is_capped_per_second(self):
        lab = RouterLab(unicast="true")
        lab.start()
        sent = sgnetns.flood_router_solicitations(lab.host, "host0", rate=1000, seconds=5)
        time.sleep(1)
        after = lab.status()["components"]["router"]["interfaces"][0]
        self.assertGreater(sent, 2500)  # a loaded 2-core machine may not keep the full rate
        # unicast_reply_limit 10/s over ~5 s windows; everything else counted as rate limited.
        self.assertLessEqual(after["ras_sent_unicast"], 10 * 7)
        self.assertGreater(after["rs_rate_limited"], sent * 0.9)
        lab.stop()


class MalformedMessages(unittest.TestCase):
    def test_malformed_rs_and_ra_are_counted_and_never_crash(self):
        lab = RouterLab()
        lab.start()
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "send_malformed_nd.py")
        sgnetns.run("/usr/bin/python3", script, "host0", ns=lab.host)
        time.sleep(1)
        interface = lab.status()["components"]["router"]["interfaces"][0]
        drops = interface["drops"]
        self.assertGreaterEqual(drops["bad_hop_limit"], 2)
        self.assertGreaterEqual(drops["zero_length_option"], 2)
        self.assertGreaterEqual(drops["option_overflows"], 2)
        self.assertGreaterEqual(drops["too_short"], 2)
        self.assertGreaterEqual(drops["bad_code"], 2)
        self.assertGreaterEqual(drops["ra_source_not_link_local"], 1)
        self.assertGreaterEqual(drops["rs_unspecified_source_with_slla"], 1)
        self.assertGreaterEqual(interface["ras_inconsistent"], 1)  # the valid foreign RA disagrees
        self.assertIsNone(lab.process.poll(), "sixgate must survive malformed input")
        lab.stop()


class KernelStateLifecycle(unittest.TestCase):
    def test_sigkill_then_restart_reconciles(self):
        lab = RouterLab()
        lab.start()
        sgnetns.wait_for(lambda: IPHTTPS in sgnetns.run("ip", "-6", "route", "show", "proto", PROTO, ns=lab.router),
                         10, what="sixgate's route")
        lab.process.send_signal(signal.SIGKILL)
        lab.process.wait()
        # Killed: its route and address stay behind, tagged with its protocol.
        self.assertIn(IPHTTPS, sgnetns.run("ip", "-6", "route", "show", "proto", PROTO, ns=lab.router))
        # The next run is configured differently: the old route is stale and must go.
        with open(lab.config) as f:
            text = f.read()
        with open(lab.config, "w") as f:
            f.write(text.replace("{prefix: iphttps, dev: rtr0}", "{prefix: teredo, dev: rtr0}"))
        os.unlink(lab.socket)  # the killed run could not remove it; sixgate would too (stale)
        lab.start()
        sgnetns.wait_for(lambda: "adopted address" in lab.read_log(), 10, what="reconcile")
        log = lab.read_log()
        self.assertIn("reconcile removed stale route 2002:836b:2:1000::/64", log)
        self.assertIn("reconcile adopted address 2002:836b:2:3333::1/64", log)
        routes = sgnetns.run("ip", "-6", "route", "show", "proto", PROTO, ns=lab.router)
        self.assertNotIn(IPHTTPS, routes)
        self.assertIn(TEREDO, routes)
        lab.stop()
        self.assertEqual(sgnetns.run("ip", "-6", "route", "show", "proto", PROTO, ns=lab.router).strip(), "")
        self.assertNotIn(ORG + "1", [a["local"] for a in sgnetns.ipv6_addresses(lab.router, "rtr0")])

    def test_administrators_address_and_route_are_never_touched(self):
        lab = RouterLab()
        sgnetns.run("ip", "-6", "addr", "add", ORG + "1/64", "dev", "rtr0", "nodad", ns=lab.router)
        sgnetns.run("ip", "-6", "route", "add", IPHTTPS, "dev", "rtr0", "metric", "1024", ns=lab.router)
        lab.start()
        time.sleep(1)
        lab.stop()
        self.assertIn(ORG + "1", [a["local"] for a in sgnetns.ipv6_addresses(lab.router, "rtr0")])
        self.assertIn(IPHTTPS, sgnetns.run("ip", "-6", "route", "show", "proto", "boot", ns=lab.router))
        self.assertIn("present, not ours", lab.read_log().replace("_", " "))


class ReloadAndRenumbering(unittest.TestCase):
    def test_renumbering_deprecates_old_prefixes_and_announces_new_ones(self):
        lab = RouterLab()
        lab.start()
        sgnetns.wait_for(lambda: TEREDO in lab.host_routes(), 15, what="routes of the first plan")
        lab.write_config("131.107.0.5")  # 2002:836b:5::/48
        lab.signal(signal.SIGHUP)
        new_org, new_iphttps = "2002:836b:5:3333::", "2002:836b:5:1000::/64"
        sgnetns.wait_for(lambda: [a for a in lab.host_global_addresses() if in_prefix(a["local"], new_org)], 15,
                         what="an address in the new org /64")
        routes = sgnetns.wait_for(lambda: (lambda r: r if TEREDO not in r and new_iphttps in r else None)(
            lab.host_routes()), 15, what="old routes withdrawn, new ones installed")
        self.assertIn("2001:0:836b:5::/64", routes)
        self.assertNotIn(IPHTTPS, routes)
        old = [a for a in lab.host_global_addresses() if in_prefix(a["local"], ORG)][0]
        self.assertEqual(old["preferred_life_time"], 0, "the old prefix is deprecated")
        self.assertLessEqual(old["valid_life_time"], 7200)
        self.assertGreater(old["valid_life_time"], 0)
        # The router swapped its kernel state too.
        router_addresses = [a["local"] for a in sgnetns.ipv6_addresses(lab.router, "rtr0")]
        self.assertIn(new_org + "1", router_addresses)
        self.assertNotIn(ORG + "1", router_addresses)
        self.assertIn(new_iphttps, sgnetns.run("ip", "-6", "route", "show", "proto", PROTO, ns=lab.router))
        log = lab.read_log()
        self.assertIn("renumbering (SIGHUP): public_ipv4 131.107.0.2 -> 131.107.0.5", log)
        self.assertIn("retire prefix=2002:836b:2:3333::/64 preferred_lifetime=0", log)
        lab.stop()

    def test_invalid_reload_keeps_the_running_config(self):
        lab = RouterLab()
        lab.start()
        with open(lab.config, "a") as f:
            f.write("routr: {}\n")
        lab.signal(signal.SIGHUP)
        sgnetns.wait_for(lambda: "the running config stays" in lab.read_log(), 10, what="the reload error")
        self.assertRegex(lab.read_log(), r"sixgate\.yaml:\d+:1: error: .*routr.*did you mean 'router'")
        self.assertIsNone(lab.process.poll())
        self.assertEqual(lab.status()["components"]["router"]["interfaces"][0]["name"], "rtr0")
        lab.stop()

    def test_follows_the_public_ipv4_of_an_interface(self):
        lab = RouterLab()
        with open(lab.config) as f:
            text = f.read()
        with open(lab.config, "w") as f:
            f.write(text.replace("public_ipv4: 131.107.0.2", "public_ipv4: {from_interface: wan0}"))
        sgnetns.veth(lab.router, "wan0", lab.host, "wanpeer0")
        sgnetns.run("ip", "addr", "add", "131.107.0.2/24", "dev", "wan0", ns=lab.router)
        lab.start()
        sgnetns.wait_for(lambda: IPHTTPS in lab.host_routes(), 15, what="routes of the first plan")
        sgnetns.run("ip", "addr", "del", "131.107.0.2/24", "dev", "wan0", ns=lab.router)
        sgnetns.run("ip", "addr", "add", "131.107.0.9/24", "dev", "wan0", ns=lab.router)
        sgnetns.wait_for(lambda: "2002:836b:9:1000::/64" in lab.host_routes(), 15, what="the renumbered routes")
        self.assertIn("renumbering (interface address change): public_ipv4 131.107.0.2 -> 131.107.0.9",
                      lab.read_log())
        lab.stop()


class StatusSocket(unittest.TestCase):
    def test_status_reports_counters_and_current_options(self):
        lab = RouterLab()
        lab.start()
        sgnetns.run("rdisc6", "-1", "-w", "4000", "host0", ns=lab.host)
        status = lab.status()
        interface = status["components"]["router"]["interfaces"][0]
        self.assertEqual(interface["name"], "rtr0")
        self.assertGreaterEqual(interface["ras_sent_multicast"], 1)
        self.assertGreaterEqual(interface["rs_received"], 1)
        self.assertIn("bad_hop_limit", interface["drops"])
        self.assertEqual(interface["options"]["prefixes"][0]["prefix"], ORG + "/64")
        self.assertGreaterEqual(status["components"]["router"]["uptime_s"], 0)
        text = sgnetns.run(SIXGATE, "status", "--socket", lab.socket)
        self.assertIn("rtr0", text)
        prometheus = sgnetns.run(SIXGATE, "status", "--prometheus", "--socket", lab.socket)
        self.assertRegex(prometheus, r'sixgate_router_ras_sent_multicast_total\{interface="rtr0"\} \d+')
        lab.stop()
        missing = subprocess.run([SIXGATE, "status", "--socket", lab.socket], capture_output=True, text=True)
        self.assertEqual(missing.returncode, 1)
        self.assertIn("no sixgate is running", missing.stderr)


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("router e2e tests need root (network namespaces)")
    unittest.main(verbosity=2)
