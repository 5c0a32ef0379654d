"""`sixgate lab up`, `lab down` and `lab run` of the built-in lab, for real, in namespaces.

Every case removes what it made, also when it fails: `sixgate lab down`, then a sweep of the
lab's `sglab.<lab>.` namespaces and their processes. Run as root:
    SIXGATE_BINARY=build/app/sixgate /usr/bin/python3 tests/netns/lab/runner_test.py [Class.test]
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

SIXGATE = os.path.abspath(os.environ.get("SIXGATE_BINARY", "build/app/sixgate"))
LAB = "directaccess"
PREFIX = f"sglab.{LAB}."
RUN_DIR = f"/run/sixgate/lab/{LAB}"
SOCKETS = [f"/run/sixgate/lab-{host}.sock" for host in ("da-server", "jump-v4", "other-v4", "v6only")]
HOSTS = ["da-server", "mgmt-v6", "jump-v4", "other-v4", "client-iphttps", "client-teredo", "v6only", "intranet-v4"]
SEGMENTS = ["internet", "intranet4", "mgmt"]


def sixgate(*args, timeout=180):
    return subprocess.run([SIXGATE, *args], capture_output=True, text=True, timeout=timeout)


def in_ns(host, *args):
    return subprocess.run(["ip", "netns", "exec", PREFIX + host, *args], capture_output=True, text=True,
                          timeout=30).stdout


def lab_namespaces(prefix=PREFIX):
    names = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout.split("\n")
    return sorted(line.split()[0] for line in names if line.startswith(prefix))


def namespace_pids(name):
    out = subprocess.run(["ip", "netns", "pids", name], capture_output=True, text=True).stdout
    return [int(pid) for pid in out.split()]


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except (FileNotFoundError, IndexError):
        return False


def sweep(prefix=PREFIX):
    """What `lab down` should have removed, removed by hand (only after a failure)."""
    subprocess.run([SIXGATE, "lab", "down"], capture_output=True, timeout=60)
    for name in lab_namespaces(prefix):
        for pid in namespace_pids(name):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        subprocess.run(["ip", "netns", "delete", name], capture_output=True)
    subprocess.run(["rm", "-rf", RUN_DIR])


def leftovers():
    """Every namespace, process and file of the lab still there, as text ("" when clean)."""
    found = [f"namespace {name}" for name in lab_namespaces()]
    pgrep = subprocess.run(["pgrep", "-af", RUN_DIR], capture_output=True, text=True).stdout.strip()
    found += [f"process {line}" for line in pgrep.split("\n") if line]
    found += [f"file {path}" for path in [RUN_DIR, *SOCKETS] if os.path.exists(path)]
    return "; ".join(found)


class LabCase(unittest.TestCase):
    def setUp(self):
        if lab_namespaces() or os.path.exists(RUN_DIR):
            self.fail(f"a {LAB} lab is already up on this machine: run `sixgate lab down` first")

    def tearDown(self):
        if leftovers():
            sweep()


class Up(unittest.TestCase):
    """One `lab up` of the built-in lab; each test inspects a part of it."""

    @classmethod
    def setUpClass(cls):
        if lab_namespaces() or os.path.exists(RUN_DIR):
            raise AssertionError(f"a {LAB} lab is already up on this machine: run `sixgate lab down` first")
        started = time.monotonic()
        cls.up = sixgate("lab", "up")
        cls.seconds = time.monotonic() - started
        if cls.up.returncode != 0:
            sweep()
            raise AssertionError(f"lab up failed ({cls.up.returncode}):\n{cls.up.stdout}\n{cls.up.stderr}")

    @classmethod
    def tearDownClass(cls):
        sweep()

    def test_progress_is_shown_and_the_summary_names_hosts_logs_and_next_steps(self):
        out = self.up.stdout
        self.assertIn("[1/13] namespaces: 11 named sglab.directaccess.*", out)
        self.assertIn("[5/13] da-server: up (router, isatap router, plat; dnsmasq, unbound)", out)
        self.assertIn("[13/13] waiting for every host to be ready", out)
        self.assertIn("lab directaccess is up: 8 hosts", out)
        self.assertIn(f"{RUN_DIR}/HOST.log", out)
        self.assertIn("next: sixgate lab test", out)
        print(f"lab up took {self.seconds:.1f} s")

    def test_every_host_and_segment_has_its_namespace_and_a_state_file_records_them(self):
        self.assertEqual(lab_namespaces(), sorted(PREFIX + name for name in HOSTS + SEGMENTS))
        with open(f"{RUN_DIR}/state.json") as file:
            state = json.load(file)
        self.assertEqual(sorted(state["namespaces"]), lab_namespaces())
        self.assertEqual(sorted(p["host"] for p in state["processes"]), sorted(HOSTS))
        self.assertEqual(state["control_sockets"], SOCKETS)

    def test_no_lab_interface_is_in_the_root_namespace(self):
        links = json.loads(subprocess.run(["ip", "-j", "link"], capture_output=True, text=True).stdout)
        self.assertEqual([l["ifname"] for l in links if l["ifname"].startswith(("p1", "p2", "br0"))], [])

    def test_listeners_are_up(self):
        for host in ("client-iphttps", "client-teredo"):
            listening = in_ns(host, "ss", "-Hltn")
            self.assertIn(":3389", listening, host)
            self.assertIn(":5985", listening, host)
        self.assertIn(":80", in_ns("intranet-v4", "ss", "-Hltn"))
        self.assertIn(":7", in_ns("intranet-v4", "ss", "-Hlun"))
        self.assertIn(":53", in_ns("da-server", "ss", "-Hlun"))
        self.assertIn(":67", in_ns("da-server", "ss", "-Hlun"))
        # The hosts share this machine's filesystem: dnsmasq keeps its leases in the lab's directory.
        self.assertTrue(os.path.exists(f"{RUN_DIR}/da-server-dnsmasq.leases"))

    def test_da_servers_sixgate_answers_status(self):
        status = sixgate("status", "--socket", "/run/sixgate/lab-da-server.sock", "--json", timeout=30)
        self.assertEqual(status.returncode, 0, status.stderr)
        self.assertIn("components", json.loads(status.stdout))

    def test_mgmt_v6_has_a_slaac_address_and_the_rfc4191_routes_and_no_default_route(self):
        addresses = json.loads(in_ns("mgmt-v6", "ip", "-j", "-6", "addr", "show", "dev", "eth0", "scope", "global"))
        locals_ = [a.get("local", "") for entry in addresses for a in entry.get("addr_info", [])]
        self.assertTrue([a for a in locals_ if a.startswith("2002:836b:2:3333:")], locals_)
        routes = in_ns("mgmt-v6", "ip", "-6", "route")
        self.assertRegex(routes, r"2002:836b:2:1000::/64 via fe80::\S+ dev eth0 proto ra")
        self.assertRegex(routes, r"2001:0:836b:2::/64 via fe80::\S+ dev eth0 proto ra")
        self.assertRegex(routes, r"2002:836b:2:7777::/96 via fe80::\S+ dev eth0 proto ra")
        self.assertNotIn("default", routes)

    def test_v6only_was_offered_option_108_took_no_ipv4_lease_and_runs_the_clat(self):
        # RFC 8925: da-server's dnsmasq offers IPv6-Only Preferred on the mgmt segment.
        self.assertNotIn("inet ", in_ns("v6only", "ip", "-4", "addr", "show", "dev", "eth0"))
        self.assertIn("192.0.0.1", in_ns("v6only", "ip", "-4", "addr", "show", "dev", "clat0"))
        status = sixgate("status", "--socket", "/run/sixgate/lab-v6only.sock", "--json", timeout=30)
        self.assertEqual(status.returncode, 0, status.stderr)
        clat = json.loads(status.stdout)["components"]["clat"]
        self.assertEqual(clat["state"], "running", clat)
        self.assertEqual(clat["dhcpv4"]["ipv4"], "clat", clat["dhcpv4"])

    def test_jump_v4_has_its_isatap_address_and_other_v4_has_none(self):
        self.assertIn("2002:836b:2:8000:0:5efe:c000:20a", in_ns("jump-v4", "ip", "-6", "addr"))
        self.assertNotIn("2002:836b:2:8000", in_ns("other-v4", "ip", "-6", "addr"))

    def test_a_second_up_is_refused_and_says_to_run_down(self):
        again = sixgate("lab", "up")
        self.assertEqual(again.returncode, 1)
        self.assertIn("lab directaccess is already up", again.stderr)
        self.assertIn("run `sixgate lab down` first", again.stderr)


class Down(LabCase):
    def test_down_stops_every_process_and_removes_every_namespace_and_file_and_is_idempotent(self):
        up = sixgate("lab", "up")
        self.assertEqual(up.returncode, 0, up.stdout + up.stderr)
        pids = [pid for name in lab_namespaces() for pid in namespace_pids(name)]
        self.assertGreaterEqual(len(pids), 15)  # 4 sixgate, 4 sleep, 6 socat, dnsmasq, unbound
        down = sixgate("lab", "down")
        self.assertEqual(down.returncode, 0, down.stderr)
        self.assertIn("lab directaccess is down: stopped", down.stdout)
        self.assertIn("removed 11 namespaces", down.stdout)
        self.assertEqual(leftovers(), "")
        self.assertEqual([pid for pid in pids if alive(pid)], [])
        self.assertFalse(os.path.exists("/run/sixgate/lab"))
        again = sixgate("lab", "down")
        self.assertEqual(again.returncode, 0)
        self.assertEqual(again.stdout, "lab directaccess is not up: nothing to remove\n")


class InterruptedUp(LabCase):
    def interrupt_up_at_the_hosts(self, number):
        up = subprocess.Popen([SIXGATE, "lab", "up"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            for line in up.stdout:
                if line.startswith("[7/13]"):  # namespaces and links made, some hosts running
                    break
            up.send_signal(number)
            out, err = up.communicate(timeout=60)
        finally:
            if up.poll() is None:
                up.kill()
                up.wait()
        return up.returncode, err

    def test_sigint_mid_way_removes_what_was_made_and_down_finds_nothing(self):
        status, err = self.interrupt_up_at_the_hosts(signal.SIGINT)
        self.assertEqual(status, 130, err)
        self.assertIn("interrupted by signal 2", err)
        self.assertEqual(leftovers(), "")
        down = sixgate("lab", "down")
        self.assertEqual((down.returncode, down.stdout), (0, "lab directaccess is not up: nothing to remove\n"))

    def test_sigkill_mid_way_then_down_removes_everything(self):
        status, _ = self.interrupt_up_at_the_hosts(signal.SIGKILL)
        self.assertEqual(status, -signal.SIGKILL)
        self.assertNotEqual(lab_namespaces(), [])  # left behind: nothing could clean up
        down = sixgate("lab", "down")
        self.assertEqual(down.returncode, 0, down.stderr)
        self.assertIn("removed 11 namespaces", down.stdout)
        self.assertEqual(leftovers(), "")


class BadTopology(unittest.TestCase):
    def test_an_error_names_file_line_column_exits_2_and_makes_nothing(self):
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", prefix="sg-lab-") as file:
            file.write("name: sgbad\nsegments:\n  - name: s\n    members:\n"
                       "      - {host: a, interface: eth0}\n      - {host: b, interface: eth0}\n"
                       "hosts:\n  - name: a\n    interfaces: [{name: eth0, addresses: [10.0.0.1/33]}]\n"
                       "  - name: b\n    interfaces: [{name: eth0, addresses: [10.0.0.2/24]}]\n")
            file.flush()
            up = sixgate("lab", "up", file.name)
        self.assertEqual(up.returncode, 2, up.stderr)
        self.assertIn(f"{file.name}:9:", up.stderr)
        self.assertRegex(up.stderr, rf"{file.name}:9:\d+: error: .*prefix length must be 0..32")
        self.assertIn("nothing was made", up.stderr)
        self.assertEqual(lab_namespaces("sglab.sgbad."), [])
        self.assertFalse(os.path.exists("/run/sixgate/lab/sgbad"))


class RunTwice(LabCase):
    def test_lab_run_twice_in_a_row_passes_and_leaves_nothing_behind(self):
        for attempt in (1, 2):
            run = sixgate("lab", "run", timeout=600)
            print(run.stdout)
            self.assertEqual(run.returncode, 0, f"run {attempt}:\n{run.stdout}\n{run.stderr}")
            self.assertIn("lab directaccess is down", run.stdout)
            self.assertEqual(leftovers(), "", f"after run {attempt}")


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("skipped: needs root (network namespaces)")
        sys.exit(77)
    for tool in ("ip", "ss", "socat", "dnsmasq", "unbound", "pgrep"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            print(f"skipped: {tool} not installed")
            sys.exit(77)
    unittest.main()
