#!/usr/bin/python3
"""The container test's own reachability proof across the directaccess lab's containers.

Each probe runs inside a container with the image's own tools (ping, socat), so it proves the
image as much as the wiring; the DNS64 probe runs this file with Debian's python3 in the client's
attached namespace (the image has no DNS client). Probes that must succeed are retried until a
deadline (router discovery, SLAAC and the ISATAP host need a few seconds); the negative ones run
after the positives, so other-v4 had as long as jump-v4 to get going.
"""

import ipaddress
import os
import random
import re
import socket
import struct
import subprocess
import sys
import time

CLIENT_IPHTTPS = "2002:836b:2:1000::10"
CLIENT_TEREDO = "2001:0:836b:2::10"
INTRANET_V4 = "192.0.2.30"
DA_SERVER_IPHTTPS = "2002:836b:2:1000::1"
NAT64_PREFIX = "2002:836b:2:7777::/96"
INTRANET_V4_VIA_NAT64 = "2002:836b:2:7777::c000:21e"

# (from, protocol, target, port, must succeed)
PROBES = [
    ("mgmt-v6", "ping", CLIENT_IPHTTPS, None, True),
    ("mgmt-v6", "tcp", CLIENT_IPHTTPS, 3389, True),
    ("mgmt-v6", "ping", CLIENT_TEREDO, None, True),
    ("mgmt-v6", "tcp", CLIENT_TEREDO, 5985, True),
    ("jump-v4", "ping", CLIENT_IPHTTPS, None, True),
    ("jump-v4", "tcp", CLIENT_IPHTTPS, 3389, True),
    ("jump-v4", "ping", CLIENT_TEREDO, None, True),
    ("jump-v4", "tcp", CLIENT_TEREDO, 5985, True),
    ("v6only", "ping", INTRANET_V4, None, True),
    ("v6only", "tcp", INTRANET_V4, 80, True),
    ("v6only", "udp", INTRANET_V4, 7, True),
    ("client-iphttps", "dns64", "intranet-v4.corp.example", None, True),
    ("client-iphttps", "tcp", INTRANET_V4_VIA_NAT64, 80, True),
    ("other-v4", "ping", CLIENT_IPHTTPS, None, False),
    ("other-v4", "tcp", CLIENT_IPHTTPS, 3389, False),
]
READY_DEADLINE = 90  # seconds for the first success of a positive probe


def _socat_address(protocol, target, port):
    family = "6" if ":" in target else "4"
    host = f"[{target}]" if family == "6" else target
    if protocol == "tcp":
        return f"TCP{family}:{host}:{port},connect-timeout=3"
    return f"UDP{family}:{host}:{port}"


def _probe_once(podman, lab, node, protocol, target, port):
    """(ok, detail): one attempt of one probe."""
    container = f"clab-{lab}-{node}"
    if protocol == "ping":
        out = podman("exec", container, "ping", "-c", "1", "-W", "2", target, check=False, timeout=30)
        rtt = re.search(r"time=([\d.]+) ms", out)
        return (rtt is not None, f"rtt {rtt.group(1)} ms" if rtt else "no reply")
    if protocol in ("tcp", "udp"):
        token = f"sixgate-{random.randrange(1 << 30)}"
        start = time.monotonic()
        out = podman("exec", "-i", container, "socat", "-T", "3", "-t", "2", "-",
                     _socat_address(protocol, target, port), stdin=token + "\n", check=False, timeout=30)
        took = (time.monotonic() - start) * 1000
        return (token in out, f"echo in {took:.0f} ms" if token in out else "no echo")
    if protocol == "dns64":
        result = subprocess.run(["ip", "netns", "exec", f"sglab.{lab}.{node}", "/usr/bin/python3",
                                 os.path.abspath(__file__), "--aaaa", DA_SERVER_IPHTTPS, target],
                                capture_output=True, text=True, timeout=30)
        answers = result.stdout.split()
        inside = [a for a in answers if ipaddress.IPv6Address(a) in ipaddress.IPv6Network(NAT64_PREFIX)]
        if inside:
            return True, f"AAAA {inside[0]} in {NAT64_PREFIX}"
        return False, f"AAAA {answers or 'none'} {result.stderr.strip()[-200:]}"
    raise ValueError(protocol)


def prove_reachability(podman, lab, require_running):
    """Runs PROBES; raises RuntimeError naming every probe that missed its expectation."""
    time.sleep(3)
    require_running()
    deadline = time.monotonic() + READY_DEADLINE
    missed = []
    print(f"{'from':<15} {'protocol':<8} {'to':<28} {'expected':<9} {'result':<8} detail")
    for node, protocol, target, port, must_succeed in PROBES:
        while True:
            ok, detail = _probe_once(podman, lab, node, protocol, target, port)
            if ok or not must_succeed or time.monotonic() > deadline:
                break
            time.sleep(1)
        to = f"{target}" + (f" port {port}" if port else "")
        met = ok == must_succeed
        print(f"{node:<15} {protocol:<8} {to:<28} {'success' if must_succeed else 'failure':<9} "
              f"{'success' if ok else 'failure':<8} {detail}{'' if met else '  <-- MISSED'}", flush=True)
        if not met:
            missed.append(f"{node} {protocol} {to}")
    require_running()
    if missed:
        for node in sorted({probe.split()[0] for probe in missed} | {"da-server"}):
            print(f"--- log of {node} (last lines) ---\n{podman.logs(f'clab-{lab}-{node}')}")
        raise RuntimeError(f"{len(missed)} of {len(PROBES)} probes missed: {'; '.join(missed)}")
    print(f"all {len(PROBES)} probes met their expectation")


def _aaaa_query(server, name):
    """The AAAA answers for name from server (a bare RFC 1035 query over UDP)."""
    query_id = random.randrange(1 << 16)
    question = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\0"
    packet = struct.pack("!HHHHHH", query_id, 0x0100, 1, 0, 0, 0) + question + struct.pack("!HH", 28, 1)
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as sock:
        sock.settimeout(3)
        sock.sendto(packet, (server, 53))
        reply = sock.recv(4096)
    reply_id, _flags, questions, answers = struct.unpack("!HHHH", reply[:8])
    if reply_id != query_id:
        raise RuntimeError("reply to another query")
    offset = 12
    for _ in range(questions):
        offset = _skip_name(reply, offset) + 4
    found = []
    for _ in range(answers):
        offset = _skip_name(reply, offset)
        record_type, _cls, _ttl, length = struct.unpack("!HHIH", reply[offset:offset + 10])
        offset += 10
        if record_type == 28 and length == 16:
            found.append(str(ipaddress.IPv6Address(reply[offset:offset + 16])))
        offset += length
    return found


def _skip_name(message, offset):
    while True:
        length = message[offset]
        if length & 0xC0 == 0xC0:
            return offset + 2
        if length == 0:
            return offset + 1
        offset += 1 + length


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "--aaaa":
    print(" ".join(_aaaa_query(sys.argv[2], sys.argv[3])))
