"""Namespaces and processes for sixgate's end-to-end tests, always cleaned up.

Every namespace is named "sg-TAG-PID-N" (tests/netns/lib.sh uses the same scheme, and
reap_stale_netns.sh removes those whose PID is dead). Everything created or started is removed
at exit, on failure and on SIGINT/SIGTERM.
"""

import atexit
import itertools
import json
import os
import signal
import subprocess
import sys
import time

PYTHON_WITH_SCAPY = "/usr/bin/python3"  # Debian's: the python3 on PATH may lack scapy

_counter = itertools.count()
_namespaces = []
_processes = []


def run(*args, check=True, ns=None, capture=True, timeout=60):
    """Runs a command (in namespace ns); returns its stdout as text."""
    command = (["ip", "netns", "exec", ns] if ns else []) + [str(a) for a in args]
    result = subprocess.run(command, capture_output=capture, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}): {result.stderr.strip()}")
    return result.stdout if capture else ""


def create_namespace(tag):
    name = f"sg-{tag}-{os.getpid()}-{next(_counter)}"
    _namespaces.append(name)  # recorded first: an interrupt right after "add" still cleans it
    run("ip", "netns", "add", name)
    run("ip", "link", "set", "lo", "up", ns=name)
    return name


def veth(ns_a, name_a, ns_b, name_b, sysctls_b=()):
    """A veth pair between two namespaces, up, with link-local addresses ready (no DAD wait).

    A device takes its IPv6 settings from the namespace it is created in, so per-device sysctls
    for the b side (e.g. accept_ra_rt_info_max_plen) are given here and set before it comes up.
    """
    run("ip", "link", "add", name_a, "netns", ns_a, "type", "veth", "peer", "name", name_b, "netns", ns_b)
    for ns, name, extra in ((ns_a, name_a, ()), (ns_b, name_b, sysctls_b)):
        for key, value in (("accept_dad", 0),) + tuple(extra):
            run("sysctl", "-qw", f"net.ipv6.conf.{name}.{key}={value}", ns=ns)
        run("ip", "link", "set", name, "up", ns=ns)
    for ns, name in ((ns_a, name_a), (ns_b, name_b)):
        wait_for(lambda: [a for a in ipv6_addresses(ns, name)
                          if a.get("scope") == "link" and not a.get("tentative")], 10,
                 what=f"a link-local address on {name}")


def spawn(ns, *args, stdout=None, stderr=None):
    """Starts a process in ns; it is killed at cleanup if still running."""
    process = subprocess.Popen(["ip", "netns", "exec", ns] + [str(a) for a in args],
                               stdout=stdout, stderr=stderr, text=True)
    _processes.append(process)
    return process


def cleanup():
    for process in _processes:
        if process.poll() is None:
            process.kill()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
    _processes.clear()
    for ns in _namespaces:
        if os.path.exists(f"/run/netns/{ns}"):
            pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True).stdout.split()
            for pid in pids:
                try:
                    os.kill(int(pid), signal.SIGKILL)
                except (ProcessLookupError, ValueError):
                    pass
            subprocess.run(["ip", "netns", "del", ns], capture_output=True)
    _namespaces.clear()


def _on_signal(number, _frame):
    cleanup()
    sys.exit(128 + number)


atexit.register(cleanup)
for _signal in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
    signal.signal(_signal, _on_signal)


def wait_for(predicate, timeout, interval=0.2, what="condition"):
    """Polls predicate until it returns a true value; returns it, or raises after timeout."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def ipv6_routes(ns):
    return json.loads(run("ip", "-j", "-6", "route", "show", ns=ns) or "[]")


def ipv6_addresses(ns, device):
    data = json.loads(run("ip", "-j", "-6", "addr", "show", "dev", device, ns=ns) or "[]")
    return [a for entry in data for a in entry.get("addr_info", [])]


def flood_router_solicitations(ns, device, rate, seconds):
    """Sends Router Solicitations from ns on device at about `rate` per second for `seconds`
    (hop limit 255, to ff02::2); returns how many were sent."""
    code = f"""
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 255)
index = socket.if_nametoindex("{device}")
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, index)
rs = bytes([133, 0, 0, 0, 0, 0, 0, 0])
sent, start = 0, time.monotonic()
while time.monotonic() - start < {seconds}:
    s.sendto(rs, ("ff02::2", 0, 0, index))
    sent += 1
    time.sleep(max(0.0, start + sent / {rate} - time.monotonic()))
print(sent)
"""
    return int(run("/usr/bin/python3", "-c", code, ns=ns, timeout=seconds + 30))


def stop_process(process):
    """Stops a process a test started: SIGTERM, then SIGKILL after 5 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def read_text(path):
    """A log or config file's text, or why it cannot be read (for failure messages)."""
    try:
        with open(path) as f:
            return f.read()
    except OSError as error:
        return f"({error})"


def tcp_echo_listener(ns, bind, port, family="inet6"):
    """A TCP server: on each connection it first sends "peer ADDRESS", then answers each line
    with "echo:" + the line, and "bulk" with 100,000 bytes."""
    af = "AF_INET6" if family == "inet6" else "AF_INET"
    code = f"""
import socket
s = socket.socket(socket.{af}, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("{bind}", {port}))
s.listen(4)
print("ready", flush=True)
while True:
    conn, peer = s.accept()
    with conn, conn.makefile("rwb") as f:
        f.write(("peer " + peer[0] + "\\n").encode()); f.flush()
        for line in f:
            if line.strip() == b"bulk":
                f.write(b"0123456789abcdef" * 6250 + b"\\n"); f.flush()
            else:
                f.write(b"echo:" + line); f.flush()
"""
    process = spawn(ns, PYTHON_WITH_SCAPY, "-c", code, stdout=subprocess.PIPE)
    assert process.stdout.readline().strip() == "ready"
    process.stdout.close()
    return process


def tcp_echo_exchange(ns, target, port, timeout=5):
    """Connects from ns and talks to a tcp_echo_listener: returns {"peer", "echo", "bulk"} or
    {"error"}."""
    code = f"""
import json, socket
try:
    s = socket.create_connection(("{target}", {port}), timeout={timeout})
    f = s.makefile("rwb")
    peer = f.readline().decode().strip()
    f.write(b"hello {port}\\n"); f.flush()
    echo = f.readline().decode().strip()
    f.write(b"bulk\\n"); f.flush()
    bulk = len(f.readline())
    s.close()
    print(json.dumps({{"peer": peer, "echo": echo, "bulk": bulk}}))
except OSError as error:
    print(json.dumps({{"error": str(error)}}))
"""
    out = run(PYTHON_WITH_SCAPY, "-c", code, ns=ns, check=False, timeout=timeout * 4 + 20)
    try:
        return json.loads(out)
    except json.JSONDecodeError:
        return {"error": f"no result: {out!r}"}


def capture(ns, device, directory, name, capture_filter=None):
    """dumpcap on device in ns into directory/name.pcap (classic pcap); returns a Capture to stop."""
    path = os.path.join(directory, name + ".pcap")
    args = ["dumpcap", "-q", "-P", "-i", device, "-w", path]
    if capture_filter:
        args += ["-f", capture_filter]
    errors = open(os.path.join(directory, name + ".dumpcap.log"), "w")
    process = spawn(ns, *args, stderr=errors)
    wait_for(lambda: os.path.exists(path) and os.path.getsize(path) >= 24, 10, interval=0.05,
             what=f"dumpcap on {device}")
    time.sleep(0.3)
    return Capture(process, path, errors)


class Capture:
    def __init__(self, process, path, log):
        self.process, self.path, self.log = process, path, log

    def stop(self):
        time.sleep(0.3)
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        return self.path

    def fields(self, display_filter, *fields):
        """tshark's reading of the capture: one tuple of field values per matching packet."""
        args = ["tshark", "-n", "-r", self.path, "-Y", display_filter, "-T", "fields", "-E", "separator=|"]
        for field in fields:
            args += ["-e", field]
        out = subprocess.run(args, capture_output=True, text=True, timeout=60).stdout
        return [tuple(line.split("|")) for line in out.splitlines() if line.strip()]
