"""464XLAT in namespaces, shared by tests/netns/clat/clat_e2e_test.py and bench/xlat464_bench.py.

    client ==v6== r6 ==v6== plat ==v4== server
    (CLAT)        (IPv6    (TAYGA 0.9.2  (IPv4 only,
                  router)   as PLAT)      198.51.100.10)

- client: an IPv6-only host (uplink "up0", 2001:db8:1::2/64, default route via r6). Its IPv4
  applications use 192.0.0.1 in the CLAT's TUN "clat0" (RFC 6877, RFC 7335). The CLAT is either
  sixgate (`sixgate run -c FILE` with a `clat:` section) or TAYGA in the CLAT role.
- r6: a plain Linux IPv6 router. Routes the PLAT prefix toward plat and the CLAT's routed /64
  (2001:db8:c1a7::/64) toward the client. Its link toward plat can be set to MTU 1280.
  Optionally it sends Router Advertisements carrying PREF64 (RFC 8781) on the client link.
- plat: TAYGA as the NAT64 with the network-specific prefix 2001:db8:64::/96 (TAYGA 0.9.2 refuses
  documentation IPv4 under 64:ff9b::/96) and a dynamic pool 203.0.113.0/24 that the server
  routes back to it, so no NAT44 is needed. Other PLATs (plat_kind): "tayga-nft" (TAYGA with a
  private pool 192.168.255.0/24 that nft masquerades to 198.51.100.1: a stateful NAT64 made of
  parts), "sixgate" (the sixgate PLAT, pool4 203.0.113.0/28), or None and start_plat() later.
- server: IPv4 only, 198.51.100.10/24, default route via plat.

For the benchmark the same links also carry plain IPv4 (client 192.0.2.2 -> r6 -> plat ->
server): `enable_plain_ipv4()`.

Only documentation addresses are used (RFC 3849, RFC 5737, RFC 7335). Every namespace and process
is removed by sgnetns at exit, on failure and on Ctrl-C.
"""

import atexit
import ipaddress
import json
import os
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import sgnetns  # noqa: E402

PYTHON = "/usr/bin/python3"  # Debian's, with scapy
PLAT_PREFIX = "2001:db8:64::/96"
CLIENT_LINK = "2001:db8:1::"  # /64, client <-> r6
PLAT_LINK = "2001:db8:2::"  # /64, r6 <-> plat
CLIENT_V6 = "2001:db8:1::2"
R6_CLIENT_SIDE = "2001:db8:1::1"
R6_PLAT_SIDE = "2001:db8:2::1"
PLAT_V6 = "2001:db8:2::2"
CLAT_ROUTED_PREFIX = "2001:db8:c1a7::/64"
CLAT_ROUTED_V6 = "2001:db8:c1a7::1"
CLAT_V4 = "192.0.0.1"  # the host's IPv4 behind the CLAT (RFC 7335)
TAYGA_CLAT_V4 = "192.0.0.2"  # TAYGA's own address in the CLAT role
PLAT_POOL = "203.0.113.0/24"  # TAYGA PLAT's dynamic pool, routed back by the server
TAYGA_PLAT_V4 = "203.0.113.1"
TAYGA_NFT_POOL = "192.168.255.0/24"  # TAYGA's private pool when nft masquerades it (tayga-nft)
TAYGA_NFT_V4 = "192.168.255.1"
SIXGATE_POOL4 = "203.0.113.0/28"  # the sixgate PLAT's pool4 (routed back by the server's default route)
PLAT_V4 = "198.51.100.1"
SERVER_V4 = "198.51.100.10"
# Plain IPv4 over the same veths (benchmark reference).
PLAIN_CLIENT_V4 = "192.0.2.2"
PLAIN_R6_CLIENT_SIDE = "192.0.2.1"
PLAIN_R6_PLAT_SIDE = "192.0.2.17"
PLAIN_PLAT_V4 = "192.0.2.18"


def embed(ipv4, prefix=PLAT_PREFIX):
    """RFC 6052 2.2 embedding for a /96."""
    network = ipaddress.IPv6Network(prefix)
    return str(ipaddress.IPv6Address(int(network.network_address) | int(ipaddress.IPv4Address(ipv4))))


class Xlat464Lab:
    """Builds the four namespaces; the CLAT is started separately (start_sixgate_clat/start_tayga_clat)."""

    def __init__(self, plat_link_mtu=1500, pref64_ra=False, tag="x", plat_kind="tayga", sixgate_binary=None):
        """plat_kind: "tayga" (TAYGA 0.9.2 stateless with the routed pool 203.0.113.0/24),
        "tayga-nft" (TAYGA with a private pool + nft masquerade to 198.51.100.1), "sixgate" (the
        sixgate PLAT, `sixgate run` with a plat: section, pool4 SIXGATE_POOL4) or None (start one
        later with start_plat; stop_plat stops it, so one run can compare PLATs)."""
        self.dir = tempfile.mkdtemp(prefix="sg-xlat464-")
        if not os.environ.get("SIXGATE_KEEP_LAB_FILES"):
            atexit.register(shutil.rmtree, self.dir, True)
        self.client = sgnetns.create_namespace(f"{tag}cl")
        self.r6 = sgnetns.create_namespace(f"{tag}r6")
        self.plat = sgnetns.create_namespace(f"{tag}pl")
        self.server = sgnetns.create_namespace(f"{tag}sv")
        self.clat_kind = None
        self.clat_process = None
        self.clat_v6 = None
        self.clat_log = None
        self.control_socket = None
        self._tayga_clat_routes = []
        self.plat_kind = None
        self.plat_process = None
        self.plat_log = None
        self.plat_socket = None
        self.sixgate_binary = sixgate_binary
        self._build(plat_link_mtu)
        if plat_kind:
            self.start_plat(plat_kind)
        self.ra_process = self._start_pref64_ras() if pref64_ra else None

    # ---- topology -------------------------------------------------------------------------------
    def _build(self, plat_link_mtu):
        run = sgnetns.run
        # The client is a host: it keeps accepting RAs (accept_ra=1, forwarding 0); the CLAT decides
        # how its translated packets get forwarded (force_forwarding or accept_ra=2).
        sgnetns.veth(self.client, "up0", self.r6, "r6c")
        sgnetns.veth(self.r6, "r6p", self.plat, "pl6")
        run("ip", "link", "add", "pl4", "netns", self.plat, "type", "veth", "peer", "name", "srv0",
            "netns", self.server)
        for ns, dev in ((self.plat, "pl4"), (self.server, "srv0")):
            run("ip", "link", "set", dev, "up", ns=ns)
        for ns, dev in ((self.r6, "r6p"), (self.plat, "pl6")):
            run("ip", "link", "set", dev, "mtu", plat_link_mtu, ns=ns)

        run("sysctl", "-qw", "net.ipv6.conf.up0.accept_ra=1", ns=self.client)
        run("ip", "-6", "addr", "add", CLIENT_V6 + "/64", "dev", "up0", "nodad", ns=self.client)
        run("ip", "-6", "route", "add", "default", "via", R6_CLIENT_SIDE, "dev", "up0", ns=self.client)

        run("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1", ns=self.r6)
        run("sysctl", "-qw", "net.ipv4.ip_forward=1", ns=self.r6)
        run("ip", "-6", "addr", "add", R6_CLIENT_SIDE + "/64", "dev", "r6c", "nodad", ns=self.r6)
        run("ip", "-6", "addr", "add", R6_PLAT_SIDE + "/64", "dev", "r6p", "nodad", ns=self.r6)
        run("ip", "-6", "route", "add", PLAT_PREFIX, "via", PLAT_V6, "dev", "r6p", ns=self.r6)
        run("ip", "-6", "route", "add", CLAT_ROUTED_PREFIX, "via", CLIENT_V6, "dev", "r6c", ns=self.r6)

        run("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1", ns=self.plat)
        run("sysctl", "-qw", "net.ipv4.ip_forward=1", ns=self.plat)
        run("ip", "-6", "addr", "add", PLAT_V6 + "/64", "dev", "pl6", "nodad", ns=self.plat)
        run("ip", "-6", "route", "add", "default", "via", R6_PLAT_SIDE, "dev", "pl6", ns=self.plat)
        run("ip", "addr", "add", PLAT_V4 + "/24", "dev", "pl4", ns=self.plat)

        run("ip", "addr", "add", SERVER_V4 + "/24", "dev", "srv0", ns=self.server)
        run("ip", "route", "add", "default", "via", PLAT_V4, ns=self.server)

    # ---- the PLAT ---------------------------------------------------------------------------------
    def start_plat(self, kind):
        assert self.plat_process is None
        if kind == "sixgate":
            self._start_sixgate_plat()
        elif kind in ("tayga", "tayga-nft"):
            self._start_tayga_plat(masquerade=kind == "tayga-nft")
        else:
            raise ValueError(f"unknown PLAT kind {kind!r}")
        self.plat_kind = kind

    def _start_tayga_plat(self, masquerade):
        """TAYGA as PLAT (stateless NAT64 with a dynamic pool; RFC 6052 network-specific prefix).
        masquerade: the pool is private (TAYGA_NFT_POOL) and nft masquerades it to 198.51.100.1,
        which makes TAYGA + nft a stateful NAT64 (NAT44 state in conntrack)."""
        run = sgnetns.run
        pool, own = (TAYGA_NFT_POOL, TAYGA_NFT_V4) if masquerade else (PLAT_POOL, TAYGA_PLAT_V4)
        self.plat_log = os.path.join(self.dir, "tayga-plat.log")
        conf = os.path.join(self.dir, "tayga-plat.conf")
        data_dir = os.path.join(self.dir, "tayga-plat")
        shutil.rmtree(data_dir, True)
        os.mkdir(data_dir)
        with open(conf, "w") as f:
            f.write(f"tun-device nat64\nipv4-addr {own}\nprefix {PLAT_PREFIX}\n"
                    f"dynamic-pool {pool}\ndata-dir {data_dir}\n")
        run("tayga", "--mktun", "-c", conf, ns=self.plat)
        run("ip", "link", "set", "nat64", "up", ns=self.plat)
        run("ip", "-6", "route", "add", PLAT_PREFIX, "dev", "nat64", ns=self.plat)
        run("ip", "route", "add", pool, "dev", "nat64", ns=self.plat)
        if masquerade:
            rules = ("table ip sg_nat64 {\n chain postrouting {\n"
                     "  type nat hook postrouting priority srcnat; policy accept;\n"
                     f"  oifname \"pl4\" ip saddr {pool} masquerade\n }}\n}}\n")
            rules_path = os.path.join(self.dir, "nat64.nft")
            with open(rules_path, "w") as f:
                f.write(rules)
            run("nft", "-f", rules_path, ns=self.plat)
        with open(self.plat_log, "w") as log:
            self.plat_process = sgnetns.spawn(self.plat, "tayga", "--nodetach", "-c", conf, stdout=log, stderr=log)
        self.plat_tayga = self.plat_process
        self.plat_tayga_log = self.plat_log
        time.sleep(0.2)
        if self.plat_process.poll() is not None:
            raise RuntimeError(f"TAYGA (PLAT) exited: {read(self.plat_log)}")
        self._tayga_plat = (conf, pool, masquerade)

    def _start_sixgate_plat(self, extra_yaml=""):
        """`sixgate run` in the plat namespace with prefix 2001:db8:64::/96 and pool4 SIXGATE_POOL4;
        it routes both into its TUN and turns forwarding on itself."""
        assert self.sixgate_binary, "plat_kind='sixgate' needs sixgate_binary"
        self.plat_socket = os.path.join(self.dir, "sixgate-plat.sock")
        config = os.path.join(self.dir, "sixgate-plat.yaml")
        with open(config, "w") as f:
            f.write(f"logging: {{level: info}}\ncontrol: {{socket: {self.plat_socket}}}\n"
                    f"plat:\n  prefix: {PLAT_PREFIX}\n  pool4: [{{prefix: {SIXGATE_POOL4}}}]\n{extra_yaml}")
        self.plat_log = os.path.join(self.dir, "sixgate-plat.log")
        with open(self.plat_log, "a") as log:
            self.plat_process = sgnetns.spawn(self.plat, self.sixgate_binary, "run", "-c", config,
                                              stdout=log, stderr=log)

        def ready():
            if self.plat_process.poll() is not None:
                raise AssertionError(f"sixgate PLAT exited {self.plat_process.returncode}:\n{read(self.plat_log)}")
            plat = self.sixgate_plat_status()
            return plat if plat.get("state") == "running" else None
        sgnetns.wait_for(ready, 20, what="the sixgate PLAT to be running")

    def sixgate_plat_status(self):
        if not self.plat_socket or not os.path.exists(self.plat_socket):
            return {}
        out = sgnetns.run(self.sixgate_binary, "status", "--json", "--socket", self.plat_socket, check=False)
        try:
            return json.loads(out).get("components", {}).get("plat", {})
        except json.JSONDecodeError:
            return {}

    def stop_plat(self):
        """Stops the PLAT by PID and removes what its start added; sixgate must exit 0."""
        if self.plat_process is None:
            return None
        process, kind = self.plat_process, self.plat_kind
        self.plat_process, self.plat_kind = None, None
        process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"{kind} PLAT did not stop within 20 s on SIGTERM")
        if kind in ("tayga", "tayga-nft"):
            conf, pool, masquerade = self._tayga_plat
            run = sgnetns.run
            run("tayga", "--rmtun", "-c", conf, ns=self.plat, check=False)
            if masquerade:
                run("nft", "delete", "table", "ip", "sg_nat64", ns=self.plat, check=False)
                run("conntrack", "-F", ns=self.plat, check=False)
        elif status != 0:
            raise AssertionError(f"sixgate PLAT exited {status}:\n{read(self.plat_log)[-4000:]}")
        return status

    def plat_cpu_seconds(self):
        """utime + stime of the PLAT process (all its threads), in seconds."""
        with open(f"/proc/{self.plat_process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def _start_pref64_ras(self):
        """r6 sends an RA every 2 s on the client link: router lifetime 0 (not a default router),
        PREF64 2001:db8:64::/96 with lifetime 600 s (RFC 8781 4: scaled lifetime in 8 s units,
        PLC 0 = /96). A raw ICMPv6 socket: the kernel fills in the checksum."""
        network = ipaddress.IPv6Network(PLAT_PREFIX)
        pref64 = struct.pack("!BBH", 38, 2, (600 // 8) << 3 | 0) + network.network_address.packed[:12]
        ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 0, 0, 0) + pref64
        code = f"""
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
index = socket.if_nametoindex("r6c")
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
while True:
    s.sendto(bytes.fromhex("{ra.hex()}"), ("ff02::1", 0, 0, index))
    time.sleep(2)
"""
        return sgnetns.spawn(self.r6, PYTHON, "-c", code)

    def enable_plain_ipv4(self):
        """Plain IPv4 forwarding over the same veths: client 192.0.2.2 -> r6 -> plat -> server."""
        run = sgnetns.run
        run("ip", "addr", "add", PLAIN_CLIENT_V4 + "/28", "dev", "up0", ns=self.client)
        run("ip", "route", "add", "198.51.100.0/24", "via", PLAIN_R6_CLIENT_SIDE, ns=self.client)
        run("ip", "addr", "add", PLAIN_R6_CLIENT_SIDE + "/28", "dev", "r6c", ns=self.r6)
        run("ip", "addr", "add", PLAIN_R6_PLAT_SIDE + "/28", "dev", "r6p", ns=self.r6)
        run("ip", "route", "add", "198.51.100.0/24", "via", PLAIN_PLAT_V4, ns=self.r6)
        run("ip", "addr", "add", PLAIN_PLAT_V4 + "/28", "dev", "pl6", ns=self.plat)
        run("ip", "route", "add", "192.0.2.0/28", "via", PLAIN_R6_PLAT_SIDE, ns=self.plat)

    def disable_plain_ipv4_on_client(self):
        sgnetns.run("ip", "route", "del", "198.51.100.0/24", ns=self.client)
        sgnetns.run("ip", "addr", "del", PLAIN_CLIENT_V4 + "/28", "dev", "up0", ns=self.client)

    # ---- the CLAT ---------------------------------------------------------------------------------
    def start_sixgate_clat(self, binary, ipv6_address="routed", plat_prefix="literal", extra_yaml="",
                           log_level="debug"):
        """ipv6_address: "routed" (2001:db8:c1a7::1, routed to the client by r6) or "auto" (a
        dedicated address in the client's /64, answered by sixgate's ND proxy).
        plat_prefix: "literal" (2001:db8:64::/96) or "pref64" (from r6's RAs)."""
        assert self.clat_process is None
        self.clat_kind = "sixgate"
        self.control_socket = os.path.join(self.dir, "sixgate.sock")
        config = os.path.join(self.dir, "sixgate-clat.yaml")
        with open(config, "w") as f:
            f.write(f"""\
logging: {{level: {log_level}}}
control: {{socket: {self.control_socket}}}
clat:
  enabled: true
  tun: clat0
  uplink: up0
  ipv4_address: {CLAT_V4}
  ipv6_address: {CLAT_ROUTED_V6 if ipv6_address == "routed" else "auto"}
  plat_prefix: {PLAT_PREFIX if plat_prefix == "literal" else "pref64"}
{extra_yaml}""")
        self.clat_log = os.path.join(self.dir, "sixgate-clat.log")
        with open(self.clat_log, "a") as log:
            self.clat_process = sgnetns.spawn(self.client, binary, "run", "-c", config, stdout=log, stderr=log)
        try:
            status = sgnetns.wait_for(lambda: self._clat_ready(binary), 20, what="the sixgate CLAT to be ready")
        except AssertionError as error:
            raise AssertionError(f"{error}\n--- sixgate log ---\n{read(self.clat_log)}") from None
        self.clat_status_at_start = status
        self.clat_v6 = status["ipv6"]
        return status

    def _clat_ready(self, binary):
        if self.clat_process.poll() is not None:
            raise AssertionError(f"sixgate exited {self.clat_process.returncode}:\n{read(self.clat_log)}")
        if not os.path.exists(self.control_socket):
            return None
        clat = self.sixgate_status(binary).get("components", {}).get("clat")
        if not clat or clat.get("state") != "running" or not clat.get("ipv6") or not plat_prefix_of(clat):
            return None
        links = json.loads(sgnetns.run("ip", "-j", "-4", "addr", "show", "dev", "clat0", ns=self.client,
                                       check=False) or "[]")
        if not any(a.get("local") == CLAT_V4 for entry in links for a in entry.get("addr_info", [])):
            return None
        return clat

    def sixgate_status(self, binary):
        out = sgnetns.run(binary, "status", "--json", "--socket", self.control_socket, check=False)
        try:
            return json.loads(out)
        except json.JSONDecodeError:
            return {}

    def start_tayga_clat(self, ipv6_address="routed"):
        """TAYGA 0.9.2 in the CLAT role: 192.0.0.1 <-> the CLAT's IPv6 address as a static map,
        the PLAT prefix as its prefix; the kernel forwards between up0 and the TUN."""
        assert self.clat_process is None
        self.clat_kind = "tayga"
        self.clat_v6 = CLAT_ROUTED_V6 if ipv6_address == "routed" else "2001:db8:1::c1a7"
        run = sgnetns.run
        conf = os.path.join(self.dir, "tayga-clat.conf")
        with open(conf, "w") as f:
            f.write(f"tun-device clat0\nipv4-addr {TAYGA_CLAT_V4}\nprefix {PLAT_PREFIX}\n"
                    f"map {CLAT_V4} {self.clat_v6}\n")
        run("tayga", "--mktun", "-c", conf, ns=self.client)
        run("sysctl", "-qw", "net.ipv6.conf.up0.accept_ra=2", ns=self.client)
        run("sysctl", "-qw", "net.ipv6.conf.all.forwarding=1", ns=self.client)
        run("ip", "link", "set", "clat0", "up", ns=self.client)
        run("ip", "addr", "add", CLAT_V4 + "/29", "dev", "clat0", ns=self.client)
        run("ip", "route", "add", "default", "dev", "clat0", "mtu", "1480", ns=self.client)
        run("ip", "-6", "route", "add", self.clat_v6, "dev", "clat0", ns=self.client)
        if ipv6_address != "routed":
            run("sysctl", "-qw", "net.ipv6.conf.up0.proxy_ndp=1", ns=self.client)
            run("ip", "-6", "neigh", "add", "proxy", self.clat_v6, "dev", "up0", ns=self.client)
        self.clat_log = os.path.join(self.dir, "tayga-clat.log")
        with open(self.clat_log, "w") as log:
            self.clat_process = sgnetns.spawn(self.client, "tayga", "--nodetach", "-c", conf, stdout=log, stderr=log)
        time.sleep(0.2)
        if self.clat_process.poll() is not None:
            raise RuntimeError(f"TAYGA (CLAT) exited: {read(self.clat_log)}")

    def stop_clat(self):
        """Stops the CLAT by PID; for sixgate, expects a clean exit that removed clat0."""
        if self.clat_process is None:
            return None
        process, kind = self.clat_process, self.clat_kind
        self.clat_process = None
        process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"{kind} CLAT did not stop within 20 s on SIGTERM")
        if kind == "tayga":
            run = sgnetns.run
            run("tayga", "--rmtun", "-c", os.path.join(self.dir, "tayga-clat.conf"), ns=self.client, check=False)
            run("ip", "-6", "neigh", "del", "proxy", self.clat_v6, "dev", "up0", ns=self.client, check=False)
            run("sysctl", "-qw", "net.ipv6.conf.all.forwarding=0", ns=self.client)
            run("sysctl", "-qw", "net.ipv6.conf.up0.accept_ra=1", ns=self.client)
        self.clat_kind = None
        return status

    def clat_cpu_seconds(self):
        """utime + stime of the CLAT process (all its threads), in seconds."""
        with open(f"/proc/{self.clat_process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    # ---- traffic --------------------------------------------------------------------------------
    def ping(self, count=3, interval=0.2, size=56, ns=None, target=SERVER_V4, timeout=20):
        """Returns (received, rtts in ms)."""
        out = sgnetns.run("ping", "-n", "-c", count, "-i", interval, "-s", size, "-W", 2, target,
                          ns=ns or self.client, check=False, timeout=timeout + count * interval)
        rtts = [float(line.split("time=")[1].split()[0]) for line in out.splitlines() if "time=" in line]
        return len(rtts), rtts, out

    def warm(self, timeout=15):
        """The first packets through a fresh TAYGA path can take ~2 s (ND, dynamic map)."""
        sgnetns.wait_for(lambda: self.ping(count=1)[0] == 1, timeout, interval=0.1,
                         what=f"a first ping reply from {SERVER_V4}")

    def iperf3_server(self, port=5201, bind=SERVER_V4):
        process = sgnetns.spawn(self.server, "iperf3", "-s", "-B", bind, "-p", port, "-1",
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        sgnetns.wait_for(lambda: f":{port} " in sgnetns.run("ss", "-ltnH", ns=self.server), 10,
                         what="the iperf3 server")
        return process

    def iperf3(self, *args, port=5201, target=SERVER_V4, timeout=60):
        """Runs an iperf3 client against a fresh one-shot server; returns the parsed JSON."""
        server = self.iperf3_server(port)
        try:
            out = sgnetns.run("iperf3", "-c", target, "-p", port, "-J", *args, ns=self.client,
                              check=False, timeout=timeout)
            result = json.loads(out) if out.strip() else {"error": "no output"}
        finally:
            stop(server)
        if "error" in result:
            raise AssertionError(f"iperf3 {' '.join(map(str, args))}: {result['error']}")
        return result

    def udp_echo_server(self, port=7007):
        code = f"""
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("{SERVER_V4}", {port}))
print("ready", flush=True)
while True:
    data, peer = s.recvfrom(65535)
    s.sendto(data, peer)
"""
        process = sgnetns.spawn(self.server, PYTHON, "-c", code, stdout=subprocess.PIPE)
        assert process.stdout.readline().strip() == "ready"
        process.stdout.close()
        return process

    def udp_exchange(self, payloads, port=7007, target=SERVER_V4):
        """Sends each payload (hex) from the client, returns the replies (hex, None when lost)."""
        code = f"""
import socket, sys, json
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
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
        out = sgnetns.run(PYTHON, "-c", code, json.dumps([p.hex() for p in payloads]), ns=self.client,
                          timeout=60)
        return json.loads(out)

    def traceroute(self, target=SERVER_V4, max_hops=12):
        """A UDP traceroute from the client (no traceroute/tracepath package needed): probes with
        TTL 1, 2, ..., matched by their UDP ports inside the ICMP errors read on a raw socket.
        Returns one [source, type, code] or None per hop, up to the first Port Unreachable."""
        code = f"""
import json, select, socket, struct, time
icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("0.0.0.0", 0))
sport = udp.getsockname()[1]
hops = []
for ttl in range(1, {max_hops} + 1):
    answer = None
    for attempt in range(3):
        dport = 33434 + ttl * 3 + attempt
        udp.setsockopt(socket.IPPROTO_IP, socket.IP_TTL, ttl)
        udp.sendto(b"sixgate-traceroute", ("{target}", dport))
        deadline = time.monotonic() + 1.5
        while answer is None and time.monotonic() < deadline:
            if not select.select([icmp], [], [], max(0.0, deadline - time.monotonic()))[0]:
                break
            data, peer = icmp.recvfrom(4096)
            ihl = (data[0] & 15) * 4
            kind, code = data[ihl], data[ihl + 1]
            inner = data[ihl + 8:]
            if kind not in (3, 11) or len(inner) < 28 or inner[9] != 17:
                continue
            inner_ihl = (inner[0] & 15) * 4
            if struct.unpack("!HH", inner[inner_ihl:inner_ihl + 4]) == (sport, dport):
                answer = [peer[0], kind, code]
        if answer:
            break
        time.sleep(1.0)  # ICMP error rate limits along the path
    hops.append(answer)
    if answer and answer[1] == 3:
        break
print(json.dumps(hops))
"""
        return json.loads(sgnetns.run(PYTHON, "-c", code, ns=self.client, timeout=max_hops * 12))

    # ---- captures ---------------------------------------------------------------------------------
    def capture(self, ns, device, name, capture_filter=None):
        """dumpcap on device in ns into DIR/name.pcap; returns a sgnetns.Capture to stop."""
        return sgnetns.capture(ns, device, self.dir, name, capture_filter)


def plat_prefix_of(clat_status):
    value = clat_status.get("plat_prefix")
    if isinstance(value, dict):
        return value.get("prefix")
    return value


stop = sgnetns.stop_process
read = sgnetns.read_text


def read_pcap(path):
    """Records of a classic pcap file as (linktype, [(timestamp, bytes)])."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError(f"{path}: not a classic pcap file")
    nanos = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack_from(endian + "I", data, 20)[0]
    records, offset = [], 24
    while offset + 16 <= len(data):
        seconds, fraction, caplen, _length = struct.unpack_from(endian + "IIII", data, offset)
        offset += 16
        records.append((seconds + fraction / (1e9 if nanos else 1e6), data[offset:offset + caplen]))
        offset += caplen
    return linktype, records


def write_pcap(path, packets, linktype=101):
    """Classic pcap with raw IP records (LINKTYPE_RAW 101)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, linktype))
        for index, packet in enumerate(packets):
            f.write(struct.pack("<IIII", 1000 + index, 0, len(packet), len(packet)))
            f.write(packet)
