"""Session churn through the sixgate PLAT: many one-packet UDP flows from many IPv6 sources.

The client sends SOURCES x PORTS UDP datagrams, each from its own (address, port) - a new flow,
so a new BIB entry and session each (RFC 6146 3.5.1) - through a PLAT started with
`timeouts: {allow_below_rfc_minimum: true, udp: T}` and max_sessions above the flow count. The
server counts the distinct (pool4 address, port) pairs that arrived. Checks:
- the table's UDP occupancy right after the burst equals what arrived (and sessions_created equals
  the datagrams the PLAT translated);
- no session expires before T (each status poll still holds every flow sent in the last
  T - margin seconds) and none lives much past it (none sent before T + slack ago);
- a few seconds after T: occupancy 0, no dynamic BIB entry, every pool4 UDP port free again.

Datagrams are written whole (IPv6 header included) on a raw socket, so the sources need no
address on the client (the PLAT never answers them: the server does not reply). Usable alone:
    /usr/bin/python3 tests/netns/plat/udp_churn.py --binary build/app/sixgate [--sources N --ports N]
"""

import argparse
import ipaddress
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, ".."))
import plat_topology as topo  # noqa: E402
import sgnetns  # noqa: E402

SERVER_PORT = 9999
FIRST_SOURCE = int(ipaddress.IPv6Address("2001:db8:1::1:0"))
FIRST_PORT = 20000
CHUNK = 1000  # the sender stamps the time after every CHUNK datagrams

# Runs in the server namespace: counts distinct sources until idle for a while after the first.
RECEIVER = f"""
import json, select, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, 33, 256 << 20)  # SO_RCVBUFFORCE
s.bind(("{topo.SERVER_V4}", {SERVER_PORT}))
s.setblocking(False)
print("ready", flush=True)
flows, datagrams, idle = set(), 0, float(sys.argv[1])
last = None
while True:
    if not select.select([s], [], [], idle if last else 120)[0]:
        break
    while True:
        try:
            data, peer = s.recvfrom(64)
        except BlockingIOError:
            break
        flows.add(peer)
        datagrams += 1
    last = time.monotonic()
print(json.dumps({{"flows": len(flows), "datagrams": datagrams,
                   "addresses": sorted({{a for a, _ in flows}})}}), flush=True)
"""

# Runs in the client namespace: whole IPv6/UDP datagrams on a raw socket; prints chunk timestamps.
SENDER = """
import json, socket, struct, sys, time
first_source, sources, first_port, ports, destination, dport, chunk, rate = json.loads(sys.argv[1])
dst = socket.inet_pton(socket.AF_INET6, destination)
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
s.setsockopt(socket.SOL_SOCKET, 32, 64 << 20)  # SO_SNDBUFFORCE

def checksum(data):
    if len(data) % 2:
        data += b"\\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xffff) + (total >> 16)
    return total

payload = b"churn"
length = 8 + len(payload)
packets = []
for i in range(sources):
    src = (first_source + i).to_bytes(16, "big")
    # Pseudo-header sum (RFC 8200 8.1) without the source port, then the port added per packet.
    base = checksum(src + dst + struct.pack("!IxxxB", length, 17) + struct.pack("!HHH", dport, length, 0) + payload)
    header = struct.pack("!IHBB", 0x60000000, length, 17, 64) + src + dst
    for p in range(ports):
        port = first_port + p
        total = base + port
        total = (total & 0xffff) + (total >> 16)
        total = (total & 0xffff) + (total >> 16)
        udp_sum = (~total & 0xffff) or 0xffff
        packets.append(header + struct.pack("!HHHH", port, dport, length, udp_sum) + payload)
# Interleave the sources so every shard of the PLAT's table sees traffic all along.
order = [packets[i * ports + p] for p in range(ports) for i in range(sources)]
target = (destination, 0)
stamps, sent, errors = [], 0, 0
start = time.monotonic()
for index, packet in enumerate(order):
    try:
        s.sendto(packet, target)
        sent += 1
    except OSError:
        errors += 1
    if (index + 1) % chunk == 0 or index + 1 == len(order):
        now = time.monotonic()
        stamps.append([now, index + 1])
        if rate:
            delay = start + (index + 1) / rate - now
            if delay > 0:
                time.sleep(delay)
print(json.dumps({"start": start, "stamps": stamps, "sent": sent, "errors": errors}))
"""


def tun_tx_dropped(lab):
    """Packets the kernel dropped on their way into the PLAT's TUN (its queue was full)."""
    data = json.loads(sgnetns.run("ip", "-j", "-s", "-d", "link", "show", ns=lab.plat) or "[]")
    return sum(link.get("stats64", {}).get("tx", {}).get("dropped", 0) for link in data
               if link.get("linkinfo", {}).get("info_kind") == "tun")


def run(binary, sources=100, ports=1000, udp_timeout=2, rate=0, pool4=topo.POOL4, queues=1, verbose=False):
    """Builds a lab, runs the churn, checks it; returns a dict with "ok", "failures" and figures."""
    flows = sources * ports
    failures = []
    lab = topo.PlatLab(tag="u")
    plat_yaml = (f"plat:\n  prefix: {topo.NSP_PREFIX}\n  queues: {queues}\n  pool4: [{{prefix: {pool4}}}]\n"
                 f"  timeouts: {{allow_below_rfc_minimum: true, udp: {udp_timeout}}}\n"
                 f"  max_sessions: {max(flows * 2, 65536)}\n  max_sessions_per_source: {max(ports * 2, 4096)}\n")
    lab.start_plat(binary, plat_yaml)
    before = lab.plat_status()
    receiver = sgnetns.spawn(lab.server, topo.PYTHON, "-c", RECEIVER, str(udp_timeout + 2.0),
                             stdout=subprocess.PIPE)
    assert receiver.stdout.readline().strip() == "ready"
    destination = topo.embed(topo.SERVER_V4)
    arguments = json.dumps([FIRST_SOURCE, sources, FIRST_PORT, ports, destination, SERVER_PORT, CHUNK, rate])
    sender = json.loads(sgnetns.run(topo.PYTHON, "-c", SENDER, arguments, ns=lab.client, timeout=600))
    start, stamps = sender["start"], sender["stamps"]
    end = stamps[-1][0]

    def chunk_counts():
        previous = 0
        for stamp, total in stamps:
            yield stamp, total - previous
            previous = total

    def sent_between(after, before_time=float("inf")):
        return sum(count for stamp, count in chunk_counts() if after < stamp <= before_time)

    # Right after the burst, then every 0.25 s until T + 4 s after the last datagram.
    polls = []
    while True:
        asked = time.monotonic()
        plat = lab.plat_status()
        answered = time.monotonic()
        polls.append((asked, answered, plat))
        occupancy = topo.table(plat, "udp").get("current_sessions", -1)
        if answered > end + udp_timeout + 4 or (occupancy == 0 and answered > end + udp_timeout):
            break
        time.sleep(0.25)
    received = json.loads(receiver.stdout.readline() or "{}")
    topo.stop(receiver)
    # One datagram per flow: datagrams, not distinct (address, port) pairs, since a pool4 port that
    # expired may be given to a later flow (RFC 6146 3.5.1: the BIB entry is gone, the port free).
    arrived = received.get("datagrams", 0)
    tun_dropped = tun_tx_dropped(lab)
    first = polls[0][2]
    udp_before, udp_first = topo.table(before, "udp"), topo.table(first, "udp")
    created = udp_first.get("sessions_created", 0) - udp_before.get("sessions_created", 0)
    translated = first["packets"]["translated_6to4"] - before["packets"]["translated_6to4"]
    peak = max(topo.table(p, "udp").get("current_sessions", 0) for _, _, p in polls)
    ratio = arrived / flows if flows else 0
    report = {"flows_sent": sender["sent"], "send_errors": sender["errors"], "send_seconds": round(end - start, 3),
              "arrived": arrived, "datagrams_received": received.get("datagrams", 0),
              "distinct_flows_received": received.get("flows", 0), "dropped_at_tun_queue": tun_dropped,
              "pool4_addresses_seen": len(received.get("addresses", [])), "sessions_created": created,
              "translated_6to4": translated, "first_occupancy": udp_first.get("current_sessions"),
              "first_poll_after_start_s": round(polls[0][1] - start, 3), "peak_occupancy": peak,
              "state_drops": first.get("state_drops"), "polls": len(polls)}

    # Every datagram is accounted for: translated by the PLAT, or dropped by the kernel at the
    # TUN's queue when the burst outran the PLAT (before any state exists for it).
    if abs(sender["sent"] - (translated + tun_dropped)) > max(10, flows // 1000):
        failures.append(f"{sender['sent']} sent but {translated} translated + {tun_dropped} dropped at the TUN")
    if arrived < flows * 0.5:
        failures.append(f"only {arrived} of {flows} flows reached the server")
    if created != translated:
        failures.append(f"sessions_created {created} != datagrams translated {translated}")
    if polls[0][1] - start < udp_timeout:
        # Nothing could have expired yet: the table holds exactly the flows that came through.
        if udp_first.get("current_sessions") != created:
            failures.append(f"first occupancy {udp_first.get('current_sessions')} != sessions created {created}")
        if abs(created - arrived) > max(10, flows // 1000):
            failures.append(f"sessions {created} vs flows that arrived {arrived}: more than 0.1% apart")
    elif abs(peak - arrived) > max(10, flows // 1000) and peak < arrived:
        report["note"] = "the burst took longer than the timeout: occupancy never held every flow at once"
    # Not before the timeout: a poll asked at `asked` still holds every flow sent after
    # asked - T + margin (the margin covers the clock read once per batch and status latency).
    margin, slack = 0.3, 1.5
    for asked, answered, plat in polls:
        occupancy = topo.table(plat, "udp").get("current_sessions", 0)
        floor = int(sent_between(asked - udp_timeout + margin, asked) * ratio * 0.99)
        ceiling = int(sent_between(answered - udp_timeout - slack))
        if occupancy < floor:
            failures.append(f"at {asked - start:.2f} s: {occupancy} sessions, expected at least {floor} (expired early)")
        if occupancy > ceiling:
            failures.append(f"at {answered - start:.2f} s: {occupancy} sessions, at most {ceiling} may be left "
                            f"(expired late)")
    last = polls[-1][2]
    udp_last = topo.table(last, "udp")
    if udp_last.get("current_sessions") != 0:
        failures.append(f"{udp_last.get('current_sessions')} sessions left {udp_timeout + 4} s after the burst")
    if udp_last.get("current_bib_dynamic") != 0:
        failures.append(f"{udp_last.get('current_bib_dynamic')} dynamic BIB entries left")
    used, free = topo.pool4_use(last, "udp")
    used_before, free_before = topo.pool4_use(before, "udp")
    if used != 0 or free != free_before:
        failures.append(f"pool4 UDP ports: {used} used, {free} free (before: {free_before} free)")
    expired = udp_last.get("sessions_expired", 0) - udp_before.get("sessions_expired", 0)
    if expired != created:
        failures.append(f"sessions_expired {expired} != sessions_created {created}")
    report.update({"last_occupancy": udp_last.get("current_sessions"), "sessions_expired": expired,
                   "pool4_udp_used_after": used, "pool4_udp_free_after": free,
                   "zero_after_s": round(polls[-1][1] - end, 2)})
    if verbose:
        for asked, answered, plat in polls:
            print(f"  t={asked - start:6.2f} s  udp sessions={topo.table(plat, 'udp').get('current_sessions')}")
    status = lab.stop_plat()
    if status != 0:
        failures.append(f"sixgate exited {status}")
    report.update({"ok": not failures, "failures": failures})
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.environ.get("SIXGATE_BINARY", "build/app/sixgate"))
    parser.add_argument("--sources", type=int, default=100)
    parser.add_argument("--ports", type=int, default=1000)
    parser.add_argument("--udp-timeout", type=int, default=2)
    parser.add_argument("--rate", type=float, default=0, help="datagrams/s (0: as fast as possible)")
    parser.add_argument("--queues", type=int, default=1, help="the PLAT's TUN queues (threads)")
    args = parser.parse_args()
    report = run(args.binary, args.sources, args.ports, args.udp_timeout, args.rate, queues=args.queues,
                 verbose=True)
    print(json.dumps(report, indent=2))
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
