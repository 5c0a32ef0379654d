"""`sixgate doctor` end to end: break a host the way real hosts break, let doctor find it, run the
"fix:" commands it printed in that namespace, and prove the host works again and doctor says ok.

- ManageOut: a router namespace runs `sixgate run` with a router advertising the org /64, RFC 4191
  routes to the IP-HTTPS /64 and the NAT64 /96, and PREF64; a remote client (IP-HTTPS address)
  behind it; a manage-out host taking SLAAC. dnsmasq in the router answers ipv4only.arpa as a
  DNS64 would (RFC 7050), so doctor can tell the NAT64 prefix. Failure modes: RFC 4191 routes
  dropped (accept_ra_rt_info_max_plen), forwarding=1 with accept_ra=1, accept_ra=0, no route to
  the NAT64 prefix.
- Isatap: the ISATAP lab of tests/netns/isatap (sixgate router + jump host in host mode) with the
  jump host's potential router list naming `isatap`.
- Clat: the 464XLAT lab of tests/netns/clat (sixgate CLAT, TAYGA PLAT, IPv4 server) with a CLAT
  waiting for a PREF64 that never comes.

Every namespace, process and /etc/netns file is removed at exit, on failure and on Ctrl-C.
"""

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "isatap"))
sys.path.insert(0, os.path.join(HERE, "..", "clat"))
import sgnetns  # noqa: E402

SIXGATE = os.environ.get("SIXGATE_BINARY", "build/app/sixgate")
ORG_ROUTER = "2002:836b:2:3333::1"
IPHTTPS = "2002:836b:2:1000::/64"
CLIENT = "2002:836b:2:1000::10"
NAT64 = "2002:836b:2:7777::/96"
NAT64_TARGET = "2002:836b:2:7777::c633:640a"  # 198.51.100.10 in the NAT64 prefix; the router answers it

ROUTER_CONFIG = """\
public_ipv4: 131.107.0.2
logging: {{level: info}}
control: {{socket: {socket}}}
router:
  interfaces:
    - name: rtr0
      max_rtr_adv_interval: 4
  routes:
    - {{prefix: iphttps, dev: rtr1}}
"""


def netns_etc(ns, name, text):
    """A file `ip netns exec` shows as /etc/NAME inside ns (resolv.conf, hosts); removed at exit."""
    directory = f"/etc/netns/{ns}"
    os.makedirs(directory, exist_ok=True)
    atexit.register(shutil.rmtree, directory, True)
    with open(os.path.join(directory, name), "w") as f:
        f.write(text)


def doctor(ns, *args):
    """Runs doctor in ns: (exit status, text, JSON)."""
    command = ["ip", "netns", "exec", ns, SIXGATE, "doctor", *args]
    text = subprocess.run(command, capture_output=True, text=True, timeout=60)
    data = subprocess.run(command + ["--json"], capture_output=True, text=True, timeout=60)
    try:
        return text.returncode, text.stdout + text.stderr, json.loads(data.stdout)
    except json.JSONDecodeError:
        raise AssertionError(f"doctor --json: {data.stdout!r} {data.stderr!r}") from None


def problem(report, check):
    found = [f for f in report["findings"] if f["check"] == check and not f["ok"]]
    assert found, f"no problem {check} in {json.dumps(report, indent=1)}"
    return found[0]


def apply_fixes(test, ns, text, finding):
    """Runs the finding's Linux fix lines in ns, after checking the text output shows each one."""
    for command in finding["fix"]["linux"]:
        test.assertIn("  fix: " + command + "\n", text)
        if command.startswith("#"):
            continue
        result = subprocess.run(["ip", "netns", "exec", ns, "sh", "-c", command], capture_output=True, text=True,
                                timeout=60)
        test.assertEqual(result.returncode, 0, f"{command}: {result.stdout}{result.stderr}")


def pings(ns, target, count=2):
    out = sgnetns.run("ping", "-n", "-c", count, "-i", "0.2", "-W", "2", target, ns=ns, check=False, timeout=30)
    return sum(1 for line in out.splitlines() if "time=" in line)


def assert_doctor_ok(test, ns, *args):
    status, text, _ = doctor(ns, *args)
    test.assertEqual(status, 0, text)
    test.assertIn("doctor: nothing wrong", text)
    test.assertNotIn("problem:", text)
    return text


class ManageOut(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="sg-doctor-")
        self.addCleanup(shutil.rmtree, self.dir, True)
        self.router = sgnetns.create_namespace("drt")
        self.host = sgnetns.create_namespace("dmo")
        self.client = sgnetns.create_namespace("dcl")
        run = sgnetns.run
        sgnetns.veth(self.router, "rtr0", self.host, "host0",
                     sysctls_b=(("forwarding", 0), ("accept_ra", 1), ("accept_ra_rt_info_max_plen", 64)))
        sgnetns.veth(self.router, "rtr1", self.client, "cl0", sysctls_b=(("accept_ra", 0),))
        run("ip", "-6", "addr", "add", ORG_ROUTER + "/64", "dev", "rtr0", "nodad", ns=self.router)
        run("ip", "-6", "addr", "add", NAT64_TARGET + "/128", "dev", "lo", ns=self.router)
        run("ip", "-6", "addr", "add", CLIENT + "/64", "dev", "cl0", "nodad", ns=self.client)
        router_ll = next(a["local"] for a in sgnetns.ipv6_addresses(self.router, "rtr1") if a.get("scope") == "link")
        run("ip", "-6", "route", "add", "2002:836b:2:3333::/64", "via", router_ll, "dev", "cl0", ns=self.client)
        self.router_socket = socket = os.path.join(self.dir, "router.sock")
        config = os.path.join(self.dir, "router.yaml")
        with open(config, "w") as f:
            f.write(ROUTER_CONFIG.format(socket=socket))
        self.log = os.path.join(self.dir, "router.log")
        with open(self.log, "a") as log:
            self.sixgate = sgnetns.spawn(self.router, SIXGATE, "run", "-c", config, stdout=log, stderr=log)
        self.addCleanup(sgnetns.stop_process, self.sixgate)
        sgnetns.spawn(self.router, "dnsmasq", "-k", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                      "--bind-interfaces", f"--listen-address={ORG_ROUTER}", "--user=root",
                      "--host-record=ipv4only.arpa,2002:836b:2:7777::c000:aa",
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        netns_etc(self.host, "resolv.conf", f"nameserver {ORG_ROUTER}\noptions timeout:1 attempts:1\n")
        try:
            sgnetns.wait_for(lambda: self.rio_route(), 20, what="the RFC 4191 route on the manage-out host")
            sgnetns.wait_for(lambda: pings(self.host, CLIENT, 1) == 1, 15, what="the client answering")
        except AssertionError as error:
            raise AssertionError(f"{error}\n{sgnetns.read_text(self.log)}") from None

    def rio_route(self):
        return [r for r in sgnetns.ipv6_routes(self.host) if r["dst"] == IPHTTPS and r.get("protocol") == "ra"]

    def break_and_check_gone(self, *sysctls):
        for key_value in sysctls:
            sgnetns.run("sysctl", "-qw", key_value, ns=self.host)
        sgnetns.run("ip", "-6", "route", "del", IPHTTPS, "dev", "host0", ns=self.host)
        time.sleep(6)  # longer than the RA interval: the route must stay gone
        self.assertFalse(self.rio_route(), "the break did not hold")
        self.assertEqual(pings(self.host, CLIENT, 1), 0)

    def mend(self, check):
        status, text, report = doctor(self.host, "--target", CLIENT)
        self.assertEqual(status, 1, text)
        finding = problem(report, check)
        apply_fixes(self, self.host, text, finding)
        sgnetns.wait_for(lambda: self.rio_route(), 10, what="the RFC 4191 route back from the router's RA")
        sgnetns.wait_for(lambda: pings(self.host, CLIENT, 1) == 1, 10, what="the client answering again")
        return finding

    def test_healthy_host_is_ok_and_answers(self):
        text = assert_doctor_ok(self, self.host, "--target", CLIENT)
        self.assertIn("ok: host0: accept_ra=1 forwarding=0", text)
        self.assertIn(f"answers ping", text)

    def test_route_information_dropped_is_found_and_mended(self):
        self.break_and_check_gone("net.ipv6.conf.host0.accept_ra_rt_info_max_plen=0")
        finding = self.mend("route_information")
        self.assertEqual(finding["fix"]["linux"],
                         ["sysctl -w net.ipv6.conf.host0.accept_ra_rt_info_max_plen=128", "rdisc6 host0"])
        assert_doctor_ok(self, self.host, "--target", CLIENT)

    def test_forwarding_with_accept_ra_1_is_found_and_mended(self):
        self.break_and_check_gone("net.ipv6.conf.host0.forwarding=1")
        finding = self.mend("ra_acceptance")
        self.assertEqual(finding["fix"]["linux"][0], "sysctl -w net.ipv6.conf.host0.accept_ra=2")
        assert_doctor_ok(self, self.host, "--target", CLIENT)

    def test_accept_ra_0_is_found_and_mended(self):
        self.break_and_check_gone("net.ipv6.conf.host0.accept_ra=0")
        finding = self.mend("ra_acceptance")
        self.assertEqual(finding["fix"]["linux"][0], "sysctl -w net.ipv6.conf.host0.accept_ra=1")
        assert_doctor_ok(self, self.host, "--target", CLIENT)

    def test_no_route_to_the_nat64_prefix_is_found_and_mended(self):
        # max_plen 64 keeps the /64 routes but drops the /96 NAT64 route: the host cannot reach it.
        self.assertEqual(pings(self.host, NAT64_TARGET, 1), 0)
        status, text, report = doctor(self.host, "--target", NAT64_TARGET)
        self.assertEqual(status, 1, text)
        route = problem(report, "target_route")
        self.assertIn(f"NAT64 prefix {NAT64}", route["why"])
        router_ll = self.rio_route()[0]["gateway"]
        self.assertEqual(route["fix"]["linux"], [f"ip -6 route add {NAT64} via {router_ll} dev host0"])
        self.assertIn(f"New-NetRoute -DestinationPrefix {NAT64} -InterfaceAlias \"host0\" -NextHop {router_ll}",
                      route["fix"]["windows"])
        # Both problems: the route now (ip), and RAs that keep it (sysctl); the route first, as
        # the RA would otherwise have brought it already.
        self.assertEqual(problem(report, "route_information")["fix"]["linux"][0],
                         "sysctl -w net.ipv6.conf.host0.accept_ra_rt_info_max_plen=128")
        apply_fixes(self, self.host, text, route)
        self.assertEqual(pings(self.host, NAT64_TARGET, 1), 1)
        apply_fixes(self, self.host, text, problem(report, "route_information"))
        sgnetns.wait_for(lambda: pings(self.host, NAT64_TARGET, 1) == 1, 10, what="the NAT64 target answering")
        assert_doctor_ok(self, self.host, "--target", NAT64_TARGET)

    def test_another_namespaces_sixgate_is_not_taken_for_this_hosts(self):
        # /run is shared: the router's socket answers from the host namespace too.
        text = assert_doctor_ok(self, self.host, "--socket", self.router_socket)
        self.assertIn("runs in another network namespace", text)
        self.assertNotIn("router_forwarding", text)
        self.assertNotIn("this sixgate server forwards", text)
        router_text = assert_doctor_ok(self, self.router, "--socket", self.router_socket)
        self.assertIn("ok: net.ipv6.conf.all.forwarding=1: this sixgate server forwards IPv6", router_text)

    def test_windows_form_prints_netsh_and_powershell(self):
        sgnetns.run("sysctl", "-qw", "net.ipv6.conf.host0.accept_ra=0", ns=self.host)
        out = sgnetns.run(SIXGATE, "doctor", "--windows", "--interface-alias", "Ethernet", ns=self.host, check=False)
        self.assertIn('  fix: Set-NetIPInterface -InterfaceAlias "Ethernet" -AddressFamily IPv6 -RouterDiscovery Enabled\n', out)
        self.assertIn('  fix: netsh interface ipv6 set interface "Ethernet" routerdiscovery=enabled\n', out)
        self.assertNotIn("sysctl", out)


class Isatap(unittest.TestCase):
    def test_router_named_isatap_is_found_and_renamed(self):
        import isatap_topology as topo
        lab = topo.IsatapLab(SIXGATE, tag="di")
        lab.start_router()
        netns_etc(lab.jump, "hosts", f"127.0.0.1 localhost\n{topo.SERVER_V4} isatap\n")
        jump = lab.start_host(lab.jump, "jump", routers=("isatap",))
        self.addCleanup(jump.terminate)
        self.addCleanup(lab.router.terminate)
        sgnetns.wait_for(lambda: lab.ping(lab.jump, topo.CLIENT_V6, count=1)[0] == 1, 20,
                         what="the jump host reaching the client")
        status, text, report = doctor(lab.jump, "--target", topo.CLIENT_V6, "--socket", jump.socket)
        self.assertEqual(status, 1, text)
        finding = problem(report, "isatap_router_name")
        self.assertIn("RFC 5214 8.3.2", finding["why"])
        self.assertEqual(finding["fix"]["windows"], [f"Set-NetIsatapConfiguration -Router {topo.SERVER_V4} -State Enabled",
                                                     f"netsh interface isatap set router {topo.SERVER_V4} enabled"])
        apply_fixes(self, lab.jump, text, finding)
        self.assertIn(f"routers: [{topo.SERVER_V4}]", sgnetns.read_text(jump.config_path))

        def prl_by_address():
            prl = jump.isatap().get("prl", [])
            return prl and all(row["entry"] == topo.SERVER_V4 for row in prl) and jump.isatap().get("router")
        sgnetns.wait_for(prl_by_address, 20, what="the reloaded jump host using its router by address")
        sgnetns.wait_for(lambda: lab.ping(lab.jump, topo.CLIENT_V6, count=1)[0] == 1, 20,
                         what="the jump host reaching the client again")
        assert_doctor_ok(self, lab.jump, "--target", topo.CLIENT_V6, "--socket", jump.socket)


class Clat(unittest.TestCase):
    def test_clat_without_pref64_is_found_and_given_the_prefix(self):
        import xlat464_topology as topo
        lab = topo.Xlat464Lab(tag="dx", plat_kind="tayga")
        sgnetns.spawn(lab.r6, "dnsmasq", "-k", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                      "--bind-interfaces", f"--listen-address={topo.R6_CLIENT_SIDE}", "--user=root",
                      "--host-record=ipv4only.arpa," + topo.embed("192.0.0.170"),
                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        netns_etc(lab.client, "resolv.conf", f"nameserver {topo.R6_CLIENT_SIDE}\noptions timeout:1 attempts:1\n")
        socket = os.path.join(lab.dir, "clat.sock")
        config = os.path.join(lab.dir, "clat.yaml")
        with open(config, "w") as f:
            f.write(f"logging: {{level: info}}\ncontrol: {{socket: {socket}}}\nclat:\n  tun: clat0\n  uplink: up0\n"
                    f"  ipv4_address: {topo.CLAT_V4}\n  ipv6_address: {topo.CLAT_ROUTED_V6}\n  plat_prefix: pref64\n")
        log = os.path.join(lab.dir, "clat.log")
        with open(log, "a") as out:
            clat = sgnetns.spawn(lab.client, SIXGATE, "run", "-c", config, stdout=out, stderr=out)
        self.addCleanup(sgnetns.stop_process, clat)

        def clat_state():
            out = sgnetns.run(SIXGATE, "status", "--json", "--socket", socket, ns=lab.client, check=False)
            try:
                return json.loads(out).get("components", {}).get("clat", {})
            except json.JSONDecodeError:
                return {}
        sgnetns.wait_for(lambda: clat_state().get("state") == "waiting_for_plat_prefix", 20,
                         what=f"the CLAT waiting for a PLAT prefix\n{sgnetns.read_text(log)}")
        self.assertEqual(pings(lab.client, topo.SERVER_V4, 1), 0)
        status, text, report = doctor(lab.client, "--target", topo.SERVER_V4, "--socket", socket)
        self.assertEqual(status, 1, text)
        finding = problem(report, "plat_prefix")
        self.assertEqual(finding["fix"]["linux"][0],
                         f"sed -i -E 's|^([[:space:]]*plat_prefix:).*|\\1 {topo.PLAT_PREFIX}|' {config}")
        apply_fixes(self, lab.client, text, finding)
        sgnetns.wait_for(lambda: clat_state().get("state") == "running", 20,
                         what=f"the CLAT running after the reload\n{sgnetns.read_text(log)}")
        sgnetns.wait_for(lambda: pings(lab.client, topo.SERVER_V4, 1) == 1, 20, what="the IPv4 server answering")
        assert_doctor_ok(self, lab.client, "--target", topo.SERVER_V4, "--socket", socket)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("skipped: needs root (network namespaces)")
        sys.exit(77)
    for tool in ("ip", "rdisc6", "dnsmasq", "tayga"):
        if shutil.which(tool) is None:
            print(f"skipped: {tool} not installed")
            sys.exit(77)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    unittest.main()
