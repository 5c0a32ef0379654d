"""Limited-scope ISATAP (RFC 5214) in namespaces, for isatap_e2e_test.py.

                     intranet IPv4 10.20.0.0/24 (bridge "br0" in the lan namespace)
    jump  10.20.0.10 --+
    other 10.20.0.11 --+-- lan --- server (in0 10.20.0.1) ==v6== client
                                   `sixgate run`, isatap router,   2002:836b:2:1000::10/64
                                   public_ipv4 131.107.0.2         (a remote IP-HTTPS client)

- server: `sixgate run -c server.yaml`: public_ipv4 131.107.0.2 (site 2002:836b:2::/48, ISATAP
  prefix 2002:836b:2:8000::/64, IP-HTTPS 2002:836b:2:1000::/64), isatap router mode on "in0" with
  allow: [10.20.0.10/32] (the jump host only). Its link "sv6" toward the client carries an on-link
  route to the IP-HTTPS prefix (the topology adds it, as an IP-HTTPS server would).
- client: IPv6 only, 2002:836b:2:1000::10/64 on "cl0", the ISATAP prefix routed back via the
  server's link-local address; TCP listeners on 3389 and 5985 (isatap_e2e_test.py starts them).
- jump (allowed) and other (refused): IPv4-only hosts on the bridge ("lan0"); either runs
  `sixgate run -c host.yaml` in ISATAP host mode with routers: [10.20.0.1], or (the scapy case)
  nothing: the test sends protocol-41 packets from a raw socket itself.

Every sixgate has its own config, log and control socket in the lab's temporary directory. Only
private and documentation addresses are used, plus the 6to4 prefix of 131.107.0.2 (RFC 3056),
which exists only inside these namespaces: no link leaves them. Every namespace and process is
removed by sgnetns at exit, on failure and on Ctrl-C.
"""

import atexit
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sgnetns  # noqa: E402

PYTHON = "/usr/bin/python3"  # Debian's, with scapy
PUBLIC_IPV4 = "131.107.0.2"
ISATAP_PREFIX = "2002:836b:2:8000::/64"  # the plan's `isatap`
IPHTTPS_PREFIX = "2002:836b:2:1000::/64"  # the plan's `iphttps`
TEREDO_PREFIX = "2001:0:836b:2::/64"  # the plan's `teredo` (131.107.0.3 is the 2nd IPv4)
SERVER_V4 = "10.20.0.1"
JUMP_V4 = "10.20.0.10"
OTHER_V4 = "10.20.0.11"
CLIENT_V6 = "2002:836b:2:1000::10"
JUMP_ISATAP = "2002:836b:2:8000:0:5efe:a14:a"  # ::5efe:10.20.0.10 (private IPv4: "u" bit clear), RFC 5952 text
OTHER_ISATAP = "2002:836b:2:8000:0:5efe:a14:b"
SERVER_ISATAP_LL = "fe80::5efe:a14:1"
PROTO = "115"  # sixgate's route protocol number
TUN = "isatap0"


read = sgnetns.read_text


stop = sgnetns.stop_process


class Sixgate:
    """One `sixgate run` in one namespace, with its own config, log and control socket."""

    def __init__(self, lab, ns, name, yaml):
        self.lab, self.ns, self.name = lab, ns, name
        self.config_path = os.path.join(lab.dir, name + ".yaml")
        self.log_path = os.path.join(lab.dir, name + ".log")
        self.socket = os.path.join(lab.dir, name + ".sock")
        with open(self.config_path, "w") as f:
            f.write(f"logging: {{level: info}}\ncontrol: {{socket: {self.socket}}}\n{yaml}")
        with open(self.log_path, "a") as log:
            self.process = sgnetns.spawn(ns, lab.binary, "run", "-c", self.config_path, stdout=log, stderr=log)

    def log(self, tail=6000):
        return f"\n--- {self.name} config ---\n{read(self.config_path)}--- {self.name} log ---\n" + \
            read(self.log_path)[-tail:]

    def status(self):
        out = sgnetns.run(self.lab.binary, "status", "--json", "--socket", self.socket, check=False)
        try:
            return json.loads(out)
        except json.JSONDecodeError:
            return {}

    def isatap(self):
        return self.status().get("components", {}).get("isatap", {})

    def wait_running(self, timeout=20):
        def ready():
            if self.process.poll() is not None:
                raise AssertionError(f"{self.name}: sixgate exited {self.process.returncode}" + self.log())
            if not os.path.exists(self.socket):
                return None
            isatap = self.isatap()
            return isatap if isatap.get("state", "running") == "running" and isatap else None
        try:
            return sgnetns.wait_for(ready, timeout, what=f"{self.name}: sixgate running with isatap")
        except AssertionError as error:
            raise AssertionError(f"{error}{self.log()}") from None

    def reload(self, yaml):
        """Rewrites the config (same logging and control lines) and sends SIGHUP."""
        with open(self.config_path, "w") as f:
            f.write(f"logging: {{level: info}}\ncontrol: {{socket: {self.socket}}}\n{yaml}")
        self.process.send_signal(signal.SIGHUP)

    def terminate(self, timeout=30):
        """SIGTERM by PID; returns the exit status."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return None if process is None else process.returncode
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"{self.name}: sixgate did not stop within {timeout} s on SIGTERM")


class IsatapLab:
    """The five namespaces and their links; sixgates are started separately."""

    def __init__(self, binary, tag="i"):
        self.binary = binary
        self.dir = tempfile.mkdtemp(prefix="sg-isatap-")
        if not os.environ.get("SIXGATE_KEEP_LAB_FILES"):
            atexit.register(shutil.rmtree, self.dir, True)
        self.server = sgnetns.create_namespace(f"{tag}sv")
        self.lan = sgnetns.create_namespace(f"{tag}lan")
        self.jump = sgnetns.create_namespace(f"{tag}jp")
        self.other = sgnetns.create_namespace(f"{tag}ot")
        self.client = sgnetns.create_namespace(f"{tag}cl")
        self._build()
        self.server_forwarding_before = self.forwarding(self.server)

    def _build(self):
        run = sgnetns.run
        # The intranet: a bridge in its own namespace, one veth per IPv4 host.
        run("ip", "link", "add", "br0", "type", "bridge", ns=self.lan)
        run("ip", "link", "set", "br0", "up", ns=self.lan)
        for ns, device, port, address in ((self.server, "in0", "p-sv", SERVER_V4),
                                          (self.jump, "lan0", "p-jp", JUMP_V4),
                                          (self.other, "lan0", "p-ot", OTHER_V4)):
            run("ip", "link", "add", device, "netns", ns, "type", "veth", "peer", "name", port, "netns", self.lan)
            run("ip", "link", "set", port, "master", "br0", ns=self.lan)
            run("ip", "link", "set", port, "up", ns=self.lan)
            run("ip", "link", "set", device, "up", ns=ns)
            run("ip", "addr", "add", address + "/24", "dev", device, ns=ns)
        # The IPv4 hosts are IPv4-only: IPv6 comes only over ISATAP.
        for ns in (self.jump, self.other):
            run("sysctl", "-qw", "net.ipv6.conf.lan0.disable_ipv6=1", ns=ns)

        # The remote client, IPv6 only, behind the server.
        sgnetns.veth(self.server, "sv6", self.client, "cl0",
                     sysctls_b=(("forwarding", 0), ("accept_ra", 0)))
        run("sysctl", "-qw", "net.ipv4.conf.all.forwarding=0", ns=self.client)
        run("ip", "-6", "addr", "add", CLIENT_V6 + "/64", "dev", "cl0", "nodad", ns=self.client)
        run("ip", "-6", "route", "add", IPHTTPS_PREFIX, "dev", "sv6", ns=self.server)
        server_ll = self.link_local(self.server, "sv6")
        run("ip", "-6", "route", "add", ISATAP_PREFIX, "via", server_ll, "dev", "cl0", ns=self.client)

    # ---- sixgate ----------------------------------------------------------------------------------
    @staticmethod
    def router_yaml(allow=(JUMP_V4,), other_routers=()):
        yaml = (f"public_ipv4: {PUBLIC_IPV4}\n"
                f"isatap:\n  mode: router\n  interface: in0\n  allow: [{', '.join(allow)}]\n")
        if other_routers:
            yaml += f"  other_routers: [{', '.join(other_routers)}]\n"
        return yaml

    def start_router(self, allow=(JUMP_V4,), other_routers=()):
        self.router = Sixgate(self, self.server, "server", self.router_yaml(allow, other_routers))
        return self.router.wait_running()

    def start_host(self, ns, name, routers=(SERVER_V4,), resolicit_interval=900):
        yaml = (f"isatap:\n  mode: host\n  interface: lan0\n  routers: [{', '.join(routers)}]\n"
                f"  resolicit_interval: {resolicit_interval}\n")
        host = Sixgate(self, ns, name, yaml)
        host.wait_running()
        return host

    # ---- the kernel's view ------------------------------------------------------------------------
    def link_local(self, ns, device):
        return sgnetns.wait_for(
            lambda: next((a["local"] for a in sgnetns.ipv6_addresses(ns, device)
                          if a.get("scope") == "link" and not a.get("tentative")), None),
            10, what=f"a link-local address on {device}")

    def addresses(self, ns, device=TUN):
        out = sgnetns.run("ip", "-j", "-6", "addr", "show", "dev", device, ns=ns, check=False)
        data = json.loads(out) if out.strip() else []
        return [a["local"] for entry in data for a in entry.get("addr_info", [])]

    def routes(self, ns):
        return sgnetns.ipv6_routes(ns)

    def sixgate_routes(self, ns):
        """Routes with sixgate's protocol number (115), both families, every table."""
        out = ""
        for family in ("-4", "-6"):
            out += sgnetns.run("ip", family, "route", "show", "table", "all", "proto", PROTO, ns=ns, check=False)
        return out.strip()

    def tun_devices(self, ns):
        data = json.loads(sgnetns.run("ip", "-j", "-d", "link", "show", ns=ns) or "[]")
        return [link["ifname"] for link in data if link.get("linkinfo", {}).get("info_kind") == "tun"]

    def forwarding(self, ns):
        return sgnetns.run("sysctl", "-n", "net.ipv6.conf.all.forwarding", ns=ns, check=False).strip()

    # ---- traffic ----------------------------------------------------------------------------------
    def ping(self, ns, target, count=3, interval=0.2, timeout=2):
        """Returns (replies received, output)."""
        out = sgnetns.run("ping", "-n", "-c", count, "-i", interval, "-W", timeout, target, ns=ns, check=False,
                          timeout=30 + count * (interval + timeout))
        return sum(1 for line in out.splitlines() if "time=" in line), out

    def capture(self, ns, device, name, capture_filter=None):
        return sgnetns.capture(ns, device, self.dir, name, capture_filter)
