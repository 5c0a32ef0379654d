"""The PLAT (stateful NAT64, RFC 6146) in namespaces, shared by plat_e2e_test.py and bench/plat_bench.py.

    client ==v6== plat ==v4== server
    (IPv6-only    (sixgate run   (IPv4 only,
     Linux host)   with plat:)    198.51.100.10)

- client: an IPv6-only host, "up0" 2001:db8:1::2/64, default route via plat (2001:db8:1::1).
  Extra addresses (2001:db8:1::5 for the static BIB listener, the churn sources) are added on up0.
- plat: `sixgate run -c FILE` with a `plat:` section. Its links: "pl6" 2001:db8:1::1/64 toward the
  client (or, with router=True, the sixgate router's interface: the host learns everything from
  RAs) and "pl4" 198.51.100.1/24 toward the server. sixgate itself routes pool6 and pool4 into its
  TUN and turns on forwarding (and restores it on exit): the topology leaves both alone.
- server: IPv4 only (IPv6 disabled), 198.51.100.10/24 plus any extra address given, default route
  via plat, so pool4 (never a local address anywhere) comes back to the PLAT.

Only documentation addresses are used (RFC 3849, RFC 5737), except the "global" server address of
the well-known-prefix test (GLOBAL_SERVER_V4), which exists only inside these namespaces: no link
leaves them. Every namespace and process is removed by sgnetns at exit, on failure and on Ctrl-C.
"""

import atexit
import ipaddress
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
NSP_PREFIX = "2001:db8:64::/96"  # network-specific prefix (RFC 6052 2.2)
WKP_PREFIX = "64:ff9b::/96"  # well-known prefix (RFC 6052 2.1)
DA_PUBLIC_IPV4 = "131.107.0.2"
DA_NAT64_PREFIX = "2002:836b:2:7777::/96"  # the plan's `nat64` for public_ipv4 131.107.0.2
CLIENT_V6 = "2001:db8:1::2"
PLAT_CLIENT_SIDE = "2001:db8:1::1"
STATIC_HOST_V6 = "2001:db8:1::5"  # the IPv6 host behind the static BIB entry
PLAT_V4 = "198.51.100.1"
SERVER_V4 = "198.51.100.10"
ADMIN_V4 = "198.51.100.20"  # the IPv4-only admin host (static BIB test), on the server namespace
# A globally reachable address (IANA special-purpose registry: AS112-v4, "globally reachable"),
# for the well-known prefix's positive case; it lives on the isolated server namespace only.
GLOBAL_SERVER_V4 = "192.31.196.10"
POOL4 = "192.0.2.0/28"  # never a local address: the server routes it back via plat
PROTO = "115"  # sixgate's route protocol number
PLAT_SYSCTLS = ("net.ipv6.conf.all.forwarding", "net.ipv4.ip_forward")


def embed(ipv4, prefix=NSP_PREFIX):
    """RFC 6052 2.2 embedding for a /96."""
    network = ipaddress.IPv6Network(prefix)
    assert network.prefixlen == 96
    return str(ipaddress.IPv6Address(int(network.network_address) | int(ipaddress.IPv4Address(ipv4))))


read = sgnetns.read_text


stop = sgnetns.stop_process


class PlatLab:
    """Three namespaces; the sixgate PLAT is started separately (start_plat)."""

    def __init__(self, tag="p", router=False, server_extra_v4=(), client_extra_v6=()):
        self.dir = tempfile.mkdtemp(prefix="sg-plat-")
        if not os.environ.get("SIXGATE_KEEP_LAB_FILES"):
            atexit.register(shutil.rmtree, self.dir, True)
        self.client = sgnetns.create_namespace(f"{tag}cl")
        self.plat = sgnetns.create_namespace(f"{tag}pl")
        self.server = sgnetns.create_namespace(f"{tag}sv")
        self.router = router
        self.process = None
        self.log_path = os.path.join(self.dir, "sixgate.log")
        self.socket = os.path.join(self.dir, "sixgate.sock")
        self.config_path = os.path.join(self.dir, "sixgate.yaml")
        self._build(server_extra_v4, client_extra_v6)
        self.sysctls_before = self.plat_sysctls()

    def _build(self, server_extra_v4, client_extra_v6):
        run = sgnetns.run
        # The client is an ordinary host: takes RAs, forwards nothing.
        # The client is the b side: its per-device sysctls are set before the link comes up (it
        # takes RAs and, for the router case, RFC 4191 routes up to /128).
        sgnetns.veth(self.plat, "pl6", self.client, "up0",
                     sysctls_b=(("forwarding", 0), ("accept_ra", 1), ("accept_ra_rt_info_max_plen", 128)))
        if not self.router:
            run("ip", "-6", "addr", "add", CLIENT_V6 + "/64", "dev", "up0", "nodad", ns=self.client)
            run("ip", "-6", "route", "add", "default", "via", PLAT_CLIENT_SIDE, "dev", "up0", ns=self.client)
            run("ip", "-6", "addr", "add", PLAT_CLIENT_SIDE + "/64", "dev", "pl6", "nodad", ns=self.plat)
        for address in client_extra_v6:
            run("ip", "-6", "addr", "add", address + "/64", "dev", "up0", "nodad", ns=self.client)

        run("ip", "link", "add", "pl4", "netns", self.plat, "type", "veth", "peer", "name", "srv0",
            "netns", self.server)
        run("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", ns=self.server)
        run("sysctl", "-qw", "net.ipv6.conf.default.disable_ipv6=1", ns=self.server)
        run("sysctl", "-qw", "net.ipv6.conf.srv0.disable_ipv6=1", ns=self.server)
        for ns, dev in ((self.plat, "pl4"), (self.server, "srv0")):
            run("ip", "link", "set", dev, "up", ns=ns)
        run("ip", "addr", "add", PLAT_V4 + "/24", "dev", "pl4", ns=self.plat)
        run("ip", "addr", "add", SERVER_V4 + "/24", "dev", "srv0", ns=self.server)
        for address in server_extra_v4:
            run("ip", "addr", "add", address + "/32", "dev", "srv0", ns=self.server)
            # The plat reaches extra addresses outside 198.51.100.0/24 over the same link.
            if ipaddress.IPv4Address(address) not in ipaddress.IPv4Network("198.51.100.0/24"):
                run("ip", "route", "add", address + "/32", "via", SERVER_V4, "dev", "pl4", ns=self.plat)
        run("ip", "route", "add", "default", "via", PLAT_V4, ns=self.server)

    # ---- sixgate ----------------------------------------------------------------------------------
    def config(self, plat_yaml, public_ipv4=None, extra_yaml="", log_level="info"):
        head = f"public_ipv4: {public_ipv4}\n" if public_ipv4 else ""
        return (f"{head}logging: {{level: {log_level}}}\ncontrol: {{socket: {self.socket}}}\n"
                f"{plat_yaml}{extra_yaml}")

    def start_plat(self, binary, plat_yaml, public_ipv4=None, extra_yaml="", log_level="info",
                   components=("plat",)):
        """Writes the config, starts `sixgate run` in the plat namespace and waits until each
        component in `components` reports state running."""
        assert self.process is None
        self.binary = binary
        with open(self.config_path, "w") as f:
            f.write(self.config(plat_yaml, public_ipv4, extra_yaml, log_level))
        with open(self.log_path, "a") as log:
            self.process = sgnetns.spawn(self.plat, binary, "run", "-c", self.config_path, stdout=log, stderr=log)
        try:
            return sgnetns.wait_for(lambda: self._ready(components), 20, what="sixgate to be running")
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- config ---\n{read(self.config_path)}"
                                 f"--- sixgate log ---\n{read(self.log_path)[-6000:]}") from None

    def _ready(self, components):
        if self.process.poll() is not None:
            raise AssertionError(f"sixgate exited {self.process.returncode}:\n{read(self.log_path)[-6000:]}")
        if not os.path.exists(self.socket):
            return None
        status = self.status()
        found = status.get("components", {})
        for name in components:
            component = found.get(name)
            if not component or component.get("state", "running") != "running":
                return None
        return status

    def status(self):
        out = sgnetns.run(self.binary, "status", "--json", "--socket", self.socket, check=False)
        try:
            return json.loads(out)
        except json.JSONDecodeError:
            return {}

    def plat_status(self):
        return self.status().get("components", {}).get("plat", {})

    def stop_plat(self, timeout=30):
        """SIGTERM by PID; returns the exit status."""
        process, self.process = self.process, None
        if process is None:
            return None
        process.send_signal(signal.SIGTERM)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"sixgate did not stop within {timeout} s on SIGTERM")

    def cpu_seconds(self):
        """utime + stime of the sixgate process (all threads), in seconds."""
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def plat_sysctls(self):
        return {key: sgnetns.run("sysctl", "-n", key, ns=self.plat, check=False).strip() for key in PLAT_SYSCTLS}

    def sixgate_routes(self):
        """Routes with sixgate's protocol number (115), both families, in the plat namespace."""
        out = ""
        for family in ("-4", "-6"):
            out += sgnetns.run("ip", family, "route", "show", "proto", PROTO, ns=self.plat, check=False)
            out += sgnetns.run("ip", family, "route", "show", "table", "all", "proto", PROTO, ns=self.plat,
                               check=False)
        return out.strip()

    def tun_devices(self):
        """TUN devices left in the plat namespace."""
        data = json.loads(sgnetns.run("ip", "-j", "-d", "link", "show", ns=self.plat) or "[]")
        return [link["ifname"] for link in data if link.get("linkinfo", {}).get("info_kind") == "tun"]

    # ---- traffic ----------------------------------------------------------------------------------
    def ping(self, target, count=3, interval=0.2, size=56, ns=None, timeout=20):
        """Returns (received, rtts in ms, output)."""
        out = sgnetns.run("ping", "-n", "-c", count, "-i", interval, "-s", size, "-W", 2, target,
                          ns=ns or self.client, check=False, timeout=timeout + count * interval)
        rtts = [float(line.split("time=")[1].split()[0]) for line in out.splitlines() if "time=" in line]
        return len(rtts), rtts, out

    def warm(self, target, timeout=15):
        sgnetns.wait_for(lambda: self.ping(target, count=1)[0] == 1, timeout, interval=0.1,
                         what=f"a first ping reply from {target}")

    def http_server(self, bind=SERVER_V4, port=8080, size=300_000):
        """python3 -m http.server on the server, serving one file of `size` pseudo-random bytes.
        Returns (process, file name, its bytes)."""
        root = os.path.join(self.dir, "www")
        os.makedirs(root, exist_ok=True)
        body = os.urandom(size)
        with open(os.path.join(root, "blob.bin"), "wb") as f:
            f.write(body)
        with open(os.path.join(self.dir, "http.log"), "w") as log:
            process = sgnetns.spawn(self.server, PYTHON, "-m", "http.server", "--bind", bind, "--directory", root,
                                    str(port), stdout=log, stderr=log)
        sgnetns.wait_for(lambda: f":{port} " in sgnetns.run("ss", "-ltnH", ns=self.server), 10,
                         what="the HTTP server")
        return process, "blob.bin", body

    def curl(self, url, ns=None, timeout=30):
        """Fetches url from the client with curl; returns the body bytes (raises on failure)."""
        result = subprocess.run(["ip", "netns", "exec", ns or self.client, "curl", "-sS", "-g", "--fail",
                                 "--max-time", str(timeout), url], capture_output=True, timeout=timeout + 10)
        if result.returncode != 0:
            raise AssertionError(f"curl {url} failed ({result.returncode}): {result.stderr.decode()}")
        return result.stdout

    def iperf3_server(self, port=5201, bind=SERVER_V4, ns=None):
        ns = ns or self.server
        process = sgnetns.spawn(ns, "iperf3", "-s", "-B", bind, "-p", port, "-1",
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sgnetns.wait_for(lambda: f":{port} " in sgnetns.run("ss", "-ltnH", ns=ns), 10, what="the iperf3 server")
        return process

    def iperf3(self, target, *args, port=5201, bind=SERVER_V4, timeout=60, ns=None):
        """An iperf3 client (client namespace) against a fresh one-shot server; parsed JSON."""
        server = self.iperf3_server(port, bind)
        try:
            out = sgnetns.run("iperf3", "-c", target, "-p", port, "-J", *args, ns=ns or self.client,
                              check=False, timeout=timeout)
            result = json.loads(out) if out.strip() else {"error": "no output"}
        finally:
            stop(server)
        if "error" in result:
            raise AssertionError(f"iperf3 {' '.join(map(str, args))}: {result['error']}")
        return result

    def udp_echo_server(self, bind=SERVER_V4, port=7007, ns=None, family="inet"):
        af = "AF_INET6" if family == "inet6" else "AF_INET"
        code = f"""
import socket
s = socket.socket(socket.{af}, socket.SOCK_DGRAM)
s.bind(("{bind}", {port}))
print("ready", flush=True)
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
"""
        process = sgnetns.spawn(ns or self.server, PYTHON, "-c", code, stdout=subprocess.PIPE)
        assert process.stdout.readline().strip() == "ready"
        process.stdout.close()
        return process

    def udp_exchange(self, target, payloads, port=7007, ns=None, family="inet6"):
        """Sends each payload from the client, returns [reply hex, peer address] or None each."""
        af = "AF_INET6" if family == "inet6" else "AF_INET"
        code = f"""
import socket, sys, json
s = socket.socket(socket.{af}, socket.SOCK_DGRAM)
s.settimeout(2)
replies = []
for payload in json.loads(sys.argv[1]):
    data = bytes.fromhex(payload)
    for attempt in range(3):
        s.sendto(data, ("{target}", {port}))
        try:
            reply, peer = s.recvfrom(65535)
            replies.append([reply.hex(), peer[0]])
            break
        except socket.timeout:
            continue
    else:
        replies.append(None)
print(json.dumps(replies))
"""
        out = sgnetns.run(PYTHON, "-c", code, json.dumps([p.hex() for p in payloads]), ns=ns or self.client,
                          timeout=60)
        return json.loads(out)

    # ---- captures ---------------------------------------------------------------------------------
    def capture(self, ns, device, name, capture_filter=None):
        """dumpcap on device in ns into DIR/name.pcap; returns a sgnetns.Capture to stop."""
        return sgnetns.capture(ns, device, self.dir, name, capture_filter)


def table(plat_status, protocol):
    """The session table occupancy for one protocol from `sixgate status --json`."""
    return plat_status.get("table", {}).get(protocol, {})


def pool4_use(plat_status, protocol):
    """(used, free) summed over pool4 for one protocol."""
    used = free = 0
    for entry in plat_status.get("pool4", []):
        use = entry.get(protocol, {})
        used += use.get("current_used", use.get("used", 0))
        free += use.get("current_free", use.get("free", 0))
    return used, free
