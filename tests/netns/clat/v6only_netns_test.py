"""The CLAT's RFC 8925 client against a real DHCPv4 server (dnsmasq), in namespaces it creates.

A server namespace runs dnsmasq on one end of a veth; the client namespace runs `sixgate run`
with the CLAT and clat.dhcpv4.v6only_preferred on the other end, which has no IPv4 address.
  Ipv6OnlyPreferred: dnsmasq offers option 108 -> no lease, the CLAT runs.
  NoOption108: dnsmasq offers plain IPv4 -> the lease goes on the uplink, no CLAT; removed on exit.
  NoServer: nobody answers -> the CLAT runs after no_server_wait, DISCOVERs go on.
  ServerAppears: a plain-IPv4 server starts later -> the CLAT stops, the lease goes on the uplink.
Run as root:
    SIXGATE_BINARY=build/app/sixgate /usr/bin/python3 tests/netns/clat/v6only_netns_test.py [Case]
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sgnetns  # noqa: E402

SIXGATE = os.environ.get("SIXGATE_BINARY", "build/app/sixgate")
SERVER_V4 = "10.77.0.1"
CLAT_IPV6 = "2001:db8:c1a7::1"  # routed to the client: no ND proxy needed here


class Lab:
    def __init__(self, option_108, server=True, no_server_wait=10):
        self.dir = tempfile.mkdtemp(prefix="sg-v6only-")
        self.server = sgnetns.create_namespace("v6s")
        self.client = sgnetns.create_namespace("v6c")
        sgnetns.veth(self.server, "sv0", self.client, "cl0")
        sgnetns.run("ip", "addr", "add", f"{SERVER_V4}/24", "dev", "sv0", ns=self.server)
        sgnetns.run("ip", "-6", "addr", "add", "2001:db8:77::1/64", "dev", "sv0", "nodad", ns=self.server)
        sgnetns.run("ip", "-6", "addr", "add", "2001:db8:77::2/64", "dev", "cl0", "nodad", ns=self.client)
        sgnetns.run("ip", "-6", "route", "add", "default", "via", "2001:db8:77::1", ns=self.client)
        self.leases = os.path.join(self.dir, "dnsmasq.leases")
        self.dnsmasq_log = os.path.join(self.dir, "dnsmasq.log")
        if server:
            self.start_dnsmasq(option_108)
        self.socket = os.path.join(self.dir, "sixgate.sock")
        self.config = os.path.join(self.dir, "sixgate.yaml")
        with open(self.config, "w") as f:
            f.write(f"logging: {{level: info}}\ncontrol: {{socket: {self.socket}}}\n"
                    f"clat:\n  enabled: true\n  uplink: cl0\n  ipv6_address: {CLAT_IPV6}\n"
                    f"  plat_prefix: 64:ff9b::/96\n"
                    f"  dhcpv4: {{v6only_preferred: true, no_server_wait: {no_server_wait}}}\n")
        self.log = os.path.join(self.dir, "sixgate.log")
        with open(self.log, "w") as log:
            self.sixgate = sgnetns.spawn(self.client, SIXGATE, "run", "-c", self.config, stdout=log, stderr=log)
        self.started = time.monotonic()

    def start_dnsmasq(self, option_108):
        args = ["dnsmasq", "--keep-in-foreground", "--port=0", "--no-resolv", "--bind-interfaces",
                "--interface=sv0", "--dhcp-range=10.77.0.50,10.77.0.60,255.255.255.0,600",
                f"--dhcp-leasefile={self.leases}", "--log-dhcp", "--log-facility=-",
                f"--pid-file={os.path.join(self.dir, 'dnsmasq.pid')}"]
        if option_108:
            args.append("--dhcp-option=108,00:00:07:08")  # V6ONLY_WAIT 1800 s
        with open(self.dnsmasq_log, "w") as log:
            self.dnsmasq = sgnetns.spawn(self.server, *args, stdout=log, stderr=log)

    def status(self):
        if not os.path.exists(self.socket):
            return {}
        out = sgnetns.run(SIXGATE, "status", "--json", "--socket", self.socket, check=False)
        try:
            return json.loads(out).get("components", {}).get("clat", {})
        except json.JSONDecodeError:
            return {}

    def text_status(self):
        return sgnetns.run(SIXGATE, "status", "--socket", self.socket, check=False)

    def dhcpv4_state(self):
        return self.status().get("dhcpv4", {}).get("state")

    def wait_state(self, state, timeout):
        try:
            return sgnetns.wait_for(lambda: self.dhcpv4_state() == state, timeout, what=f"dhcpv4 state {state}")
        except AssertionError as error:
            raise AssertionError(f"{error}; status: {self.status()}\nlog:\n{self.logs()}") from None

    def ipv4_addresses(self, device):
        out = sgnetns.run("ip", "-j", "-4", "addr", "show", "dev", device, ns=self.client, check=False)
        return [a["local"] + "/" + str(a["prefixlen"])
                for link in json.loads(out or "[]") for a in link.get("addr_info", [])]

    def has_link(self, device):
        return sgnetns.run("ip", "link", "show", device, ns=self.client, check=False) != ""

    def ipv4_default_routes(self):
        return json.loads(sgnetns.run("ip", "-j", "-4", "route", "show", "default", ns=self.client) or "[]")

    def logs(self):
        return (f"--- sixgate ---\n{sgnetns.read_text(self.log)}"
                f"--- dnsmasq ---\n{sgnetns.read_text(self.dnsmasq_log)}")

    def stop(self):
        sgnetns.stop_process(self.sixgate)
        return self.sixgate.returncode

    def close(self):
        sgnetns.cleanup()
        shutil.rmtree(self.dir, ignore_errors=True)


class V6OnlyCase(unittest.TestCase):
    def start(self, **kwargs):
        self.lab = Lab(**kwargs)
        self.addCleanup(self.lab.close)
        return self.lab


class Ipv6OnlyPreferred(V6OnlyCase):
    def test_offer_with_option_108_runs_the_clat_and_takes_no_lease(self):
        # RFC 8925 3.2
        lab = self.start(option_108=True)
        lab.wait_state("ipv6_only", 20)
        sgnetns.wait_for(lambda: "192.0.0.1/29" in lab.ipv4_addresses("clat0") or
                         any(a.startswith("192.0.0.") for a in lab.ipv4_addresses("clat0")), 10,
                         what="clat0 with its 192.0.0.x address")
        status = lab.status()
        dhcpv4 = status["dhcpv4"]
        self.assertEqual(dhcpv4["v6only_wait_s"], 1800, dhcpv4)
        self.assertEqual(dhcpv4["counters"]["requests_sent"], 0, "no DHCPREQUEST after option 108")
        self.assertGreaterEqual(dhcpv4["counters"]["offers_ipv6_only"], 1)
        self.assertGreater(dhcpv4["asking_again_in_s"], 1700)
        self.assertEqual(lab.ipv4_addresses("cl0"), [], "no IPv4 address on the uplink")
        self.assertEqual(sgnetns.read_text(lab.leases).strip(), "", "dnsmasq holds no lease")
        self.assertIn("DHCPOFFER", sgnetns.read_text(lab.dnsmasq_log))
        self.assertNotIn("DHCPREQUEST", sgnetns.read_text(lab.dnsmasq_log))
        text = lab.text_status()
        self.assertIn("offered ipv6-only", text, text)
        self.assertEqual(lab.stop(), 0, lab.logs())
        self.assertFalse(lab.has_link("clat0"), "clat0 removed on exit")


class NoOption108(V6OnlyCase):
    def test_offer_without_option_108_puts_the_lease_on_the_uplink_and_no_clat(self):
        lab = self.start(option_108=False)
        lab.wait_state("leased", 20)
        lease = lab.status()["dhcpv4"]["lease"]
        address = f"{lease['address']}/24"
        self.assertEqual(lab.ipv4_addresses("cl0"), [address])
        self.assertTrue(lease["address"].startswith("10.77.0."), lease)
        routes = lab.ipv4_default_routes()
        self.assertEqual([r.get("gateway") for r in routes], [SERVER_V4], routes)
        self.assertFalse(lab.has_link("clat0"), "no CLAT when IPv4 is native")
        self.assertEqual(lab.status()["state"], "off_ipv4_native")
        self.assertIn(lease["address"], sgnetns.read_text(lab.leases), "dnsmasq recorded the lease")
        self.assertIn("leased " + lease["address"], lab.text_status())
        # Reachable over the leased address.
        sgnetns.run("ping", "-c", "1", "-W", "2", SERVER_V4, ns=lab.client)
        self.assertEqual(lab.stop(), 0, lab.logs())
        self.assertEqual(lab.ipv4_addresses("cl0"), [], "the lease's address is removed on exit")
        self.assertEqual(lab.ipv4_default_routes(), [], "the lease's route is removed on exit")


class NoServer(V6OnlyCase):
    def test_without_a_dhcpv4_server_the_clat_runs_after_the_wait(self):
        lab = self.start(option_108=False, server=False, no_server_wait=3)
        lab.wait_state("no_server", 15)
        waited = time.monotonic() - lab.started
        self.assertGreaterEqual(waited, 3 - 0.5)
        sgnetns.wait_for(lambda: lab.has_link("clat0"), 10, what="clat0")
        sgnetns.wait_for(lambda: lab.status()["dhcpv4"]["counters"]["discovers_sent"] >= 3, 15,
                         what="DISCOVERs going on in the background (4 s, then 8 s)")
        self.assertEqual(lab.ipv4_addresses("cl0"), [])
        self.assertIn("no dhcpv4 server answered", lab.text_status())
        self.assertEqual(lab.stop(), 0, lab.logs())


class ServerAppears(V6OnlyCase):
    def test_a_server_without_option_108_appearing_later_stops_the_clat_and_installs_the_lease(self):
        lab = self.start(option_108=False, server=False, no_server_wait=3)
        lab.wait_state("no_server", 15)
        sgnetns.wait_for(lambda: lab.has_link("clat0"), 10, what="clat0")
        self.assertEqual([r.get("dev") for r in lab.ipv4_default_routes()], ["clat0"])
        lab.start_dnsmasq(option_108=False)
        # The background DISCOVERs go out 4 s, 12 s, 28 s after the first.
        lab.wait_state("leased", 40)
        sgnetns.wait_for(lambda: not lab.has_link("clat0"), 10, what="clat0 removed")
        routes = lab.ipv4_default_routes()
        self.assertEqual([(r.get("gateway"), r.get("dev")) for r in routes], [(SERVER_V4, "cl0")], routes)
        self.assertEqual(lab.status()["state"], "off_ipv4_native")
        self.assertEqual(lab.stop(), 0, lab.logs())
        self.assertEqual(lab.ipv4_addresses("cl0"), [])


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("skipped: needs root (network namespaces)")
        sys.exit(77)
    for tool in ("ip", "dnsmasq", "ping"):
        if shutil.which(tool) is None:
            print(f"skipped: {tool} not installed")
            sys.exit(77)
    unittest.main()
