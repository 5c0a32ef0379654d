"""Benchmark: the limited-ISATAP data path (sixgate host mode on a jump host -> sixgate ISATAP router
-> kernel IPv6 forwarding -> a remote IPv6 client) against plain kernel IPv4 forwarding between the
same hosts over the same veths, in the same run and the same namespaces. Not a test: it prints
figures.

Topology (tests/netns/isatap/isatap_topology.py, the builder of the end-to-end tests):

    jump 10.20.0.10 --lan0-- [bridge] --in0-- server 10.20.0.1 --sv6== client
    (sixgate host mode,                       (sixgate ISATAP router,   2002:836b:2:1000::10
     isatap0 TUN, MTU 1280)                    isatap0 TUN, MTU 1280)

Paths, measured in the same namespaces, interleaved run by run (so a change in the machine's load
hits every path alike):
  isatap     jump's ISATAP address -> isatap0 TUN -> sixgate host (encapsulation, protocol 41) ->
             lan0 -> bridge -> in0 -> sixgate router (decapsulation, checks) -> isatap0 TUN ->
             kernel IPv6 forwarding -> sv6 -> client; the way back is the reverse.
  ipv4       the reference: the client also gets 192.0.2.10/24 on cl0 (the server 192.0.2.1/24 on
             sv6), the server forwards IPv4 (kernel only): jump -> lan0 -> bridge -> in0 -> server
             -> sv6 -> client, the same veths and bridge as the ISATAP path, no userspace hop.
  ipv4-mss   the reference again with TCP's MSS set to ISATAP's (iperf3 -M 1220: 1280-byte IPv6
             MTU minus 60 bytes of headers), to tell the MTU apart from the userspace hops.
Figures (median of --runs runs of --seconds each): TCP Mbit/s jump -> client (upload) and client ->
jump (download, iperf3 -R); UDP 64-byte datagrams per second received, both directions (iperf3 -u
-l 64 -b 0); the CPU seconds (utime + stime from /proc/PID/stat, all threads) of the two sixgate
processes over each run, per Gbit carried for TCP (= cores per Gbit/s) and per packet received for
UDP. The last column is isatap / ipv4. The router's ISATAP counters are read around each run to
check that the traffic did cross sixgate.

Usage (root, from the repository root):
    /usr/bin/python3 bench/isatap_bench.py [--binary build-lead/app/sixgate] [--seconds 5] [--runs 3]
        [--paths isatap,ipv4,ipv4-mss] [--json]
Every namespace (sg-bench-*) and process is removed at exit, on failure and on Ctrl-C.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "netns", "isatap"))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "netns"))
import isatap_topology as topo  # noqa: E402
import sgnetns  # noqa: E402

# The IPv4 reference's addresses on the server-client veth (documentation range, RFC 5737).
SERVER_REF_V4 = "192.0.2.1"
CLIENT_REF_V4 = "192.0.2.10"
REF_V4_NET = "192.0.2.0/24"
INTRANET_V4_NET = "10.20.0.0/24"
ISATAP_MSS = 1280 - 40 - 20  # IPv6 minimum MTU minus the IPv6 and TCP headers
PORT = 5201
PATHS = ("isatap", "ipv4", "ipv4-mss")
PATH_TITLES = {"isatap": "sixgate ISATAP", "ipv4": "kernel IPv4", "ipv4-mss": f"kernel IPv4, MSS {ISATAP_MSS}"}
# (key, iperf3 arguments, TCP?) in the order they run; ipv4-mss runs the TCP ones only.
TESTS = (("tcp_up", ("-t",), True), ("tcp_down", ("-R", "-t"), True),
         ("udp_up", ("-u", "-l", "64", "-b", "0", "-t"), False),
         ("udp_down", ("-u", "-l", "64", "-b", "0", "-R", "-t"), False))


def machine_cpu():
    """(busy, total) jiffies of all CPUs from /proc/stat (idle and iowait are not busy)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    total = sum(values[:8])  # user nice system idle iowait irq softirq steal (guest is inside user)
    return total - values[3] - values[4], total


def cpu_seconds(process):
    """utime + stime of a process (all its threads), in seconds."""
    with open(f"/proc/{process.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Bench:
    def __init__(self, binary):
        self.lab = topo.IsatapLab(binary, tag="bench-")
        lab = self.lab
        lab.start_router()
        self.host = lab.start_host(lab.jump, "jump")
        sgnetns.wait_for(lambda: topo.JUMP_ISATAP in lab.addresses(lab.jump), 20,
                         what=f"{topo.JUMP_ISATAP} on the jump host" + lab.router.log() + self.host.log())
        sgnetns.wait_for(lambda: [r for r in lab.routes(lab.jump) if r.get("dst") == topo.IPHTTPS_PREFIX], 10,
                         what="the route to the IP-HTTPS prefix on the jump host" + self.host.log())
        self._add_ipv4_reference()
        self.sixgates = {"router": lab.router.process, "host": self.host.process}

    def _add_ipv4_reference(self):
        """IPv4 on the server-client veth and routes both ways through the server (kernel forwarding)."""
        lab, run = self.lab, sgnetns.run
        run("ip", "addr", "add", SERVER_REF_V4 + "/24", "dev", "sv6", ns=lab.server)
        run("ip", "addr", "add", CLIENT_REF_V4 + "/24", "dev", "cl0", ns=lab.client)
        run("sysctl", "-qw", "net.ipv4.conf.all.forwarding=1", ns=lab.server)
        run("ip", "route", "add", REF_V4_NET, "via", topo.SERVER_V4, "dev", "lan0", ns=lab.jump)
        run("ip", "route", "add", INTRANET_V4_NET, "via", SERVER_REF_V4, "dev", "cl0", ns=lab.client)

    def target(self, path):
        return topo.CLIENT_V6 if path == "isatap" else CLIENT_REF_V4

    def warm(self, path):
        target = self.target(path)
        sgnetns.wait_for(lambda: self.lab.ping(self.lab.jump, target, count=1, timeout=1)[0] == 1, 20,
                         interval=0.1, what=f"{path}: a ping from the jump host to {target}")
        self.lab.ping(self.lab.jump, target, count=10, interval=0.01)

    def drop_counters(self):
        """Where datagrams can be lost on the ISATAP path, as kernel counters: each side's isatap0
        TUN transmit queue (full when its sixgate does not read fast enough) and each side's
        protocol-41 raw socket (receive buffer full)."""
        lab, counters = self.lab, {}
        for side, ns in (("jump", lab.jump), ("server", lab.server)):
            link = json.loads(sgnetns.run("ip", "-j", "-s", "link", "show", "dev", topo.TUN, ns=ns) or "[]")
            counters[f"{side}_tun_tx_dropped"] = link[0]["stats64"]["tx"]["dropped"] if link else 0
            raw = sgnetns.run("cat", "/proc/net/raw", ns=ns).splitlines()[1:]
            # "sl local_address:port ... drops": the port of a raw socket is its protocol (41 = 0x29).
            counters[f"{side}_raw_drops"] = sum(int(line.split()[-1]) for line in raw
                                                if line.split()[1].endswith(":0029"))
        return counters

    def router_counters(self):
        status = self.lab.router.isatap()
        counters = dict(status.get("counters", {}))
        counters["drops"] = sum(status.get("isatap_drops", {}).values())
        return counters

    def iperf3(self, path, args, seconds):
        """One iperf3 run from the jump host to a fresh one-shot server on the client; returns
        (the parsed JSON, sixgate CPU seconds per process, router counter deltas)."""
        lab, target = self.lab, self.target(path)
        server = sgnetns.spawn(lab.client, "iperf3", "-s", "-1", "-B", target, "-p", PORT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            sgnetns.wait_for(lambda: f":{PORT} " in sgnetns.run("ss", "-ltnH", ns=lab.client), 10,
                             interval=0.05, what="the iperf3 server")
            counters_before = self.router_counters()
            if path == "isatap":
                counters_before.update(self.drop_counters())
            cpu_before = {name: cpu_seconds(p) for name, p in self.sixgates.items()}
            machine_before = machine_cpu()
            out = sgnetns.run("iperf3", "-c", target, "-p", PORT, "-J", *args, ns=lab.jump, check=False,
                              timeout=seconds + 60)
            machine_after = machine_cpu()
            cpu = {name: cpu_seconds(p) - cpu_before[name] for name, p in self.sixgates.items()}
            busy = machine_after[0] - machine_before[0]
            cpu["machine_busy"] = 100.0 * busy / max(1, machine_after[1] - machine_before[1])
            counters_after = self.router_counters()
            if path == "isatap":
                counters_after.update(self.drop_counters())
        finally:
            topo.stop(server)
        result = json.loads(out) if out.strip() else {"error": "no output"}
        if "error" in result:
            raise RuntimeError(f"{path}: iperf3 {' '.join(map(str, args))}: {result['error']}")
        deltas = {k: counters_after.get(k, 0) - counters_before.get(k, 0) for k in counters_after}
        return result, cpu, deltas

    def measure(self, path, key, args, tcp, seconds):
        args = list(args) + [seconds]
        if path == "ipv4-mss":
            args += ["-M", ISATAP_MSS]
        result, cpu, deltas = self.iperf3(path, args, seconds)
        end = result["end"]
        figures = {"machine_busy": cpu["machine_busy"]}
        if tcp:
            received = end["sum_received"]
            figures["mbps"] = received["bits_per_second"] / 1e6
            gigabits = received["bytes"] * 8 / 1e9
            retransmits = end.get("sum_sent", {}).get("retransmits")
            if retransmits is not None:
                figures["retransmits"] = retransmits
            carried_packets = None
        else:
            # UDP: iperf3's receiver counts the datagrams that arrived (sent - lost).
            total = end["sum"]
            duration = total["seconds"]
            received_packets = total["packets"] - total["lost_packets"]
            figures["pps"] = received_packets / duration
            figures["sent_pps"] = total["packets"] / duration
            gigabits = None
            carried_packets = received_packets
        if path == "isatap":
            # The traffic crossed the router: upload is decapsulated, download encapsulated.
            crossed = deltas.get("decapsulated", 0) + deltas.get("encapsulated", 0)
            if crossed == 0:
                raise RuntimeError(f"isatap {key}: the router's counters did not move: {deltas}")
            figures["router_packets"] = crossed
            figures["router_drops"] = deltas.get("drops", 0)
            # Sender side first: upload leaves the jump's TUN and enters the server's raw socket.
            first, second = ("jump", "server") if key.endswith("_up") else ("server", "jump")
            figures["lost_sender_tun"] = deltas.get(f"{first}_tun_tx_dropped", 0)
            figures["lost_receiver_raw"] = deltas.get(f"{second}_raw_drops", 0)
            figures["cpu_router"] = cpu["router"]
            figures["cpu_host"] = cpu["host"]
            total_cpu = cpu["router"] + cpu["host"]
            figures["cpu_total"] = total_cpu
            if gigabits:
                figures["cpu_per_gbit"] = total_cpu / gigabits
            if carried_packets:
                figures["cpu_us_per_packet"] = total_cpu / carried_packets * 1e6
        return figures

    def stop(self):
        for sixgate in (self.host, self.lab.router):
            try:
                sixgate.terminate()
            except AssertionError as error:
                print(error, file=sys.stderr)


def median_spread(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": values}


# (label, test, figure, format); the ratio column is isatap / ipv4.
ROWS = (
    ("TCP jump -> client, Mbit/s", "tcp_up", "mbps", "{:.0f}"),
    ("TCP client -> jump, Mbit/s", "tcp_down", "mbps", "{:.0f}"),
    ("UDP 64 B jump -> client, received packets/s", "udp_up", "pps", "{:,.0f}"),
    ("UDP 64 B jump -> client, sent packets/s", "udp_up", "sent_pps", "{:,.0f}"),
    ("UDP 64 B client -> jump, received packets/s", "udp_down", "pps", "{:,.0f}"),
    ("UDP 64 B client -> jump, sent packets/s", "udp_down", "sent_pps", "{:,.0f}"),
    ("sixgate CPU s (router + host), TCP jump -> client", "tcp_up", "cpu_total", "{:.2f}"),
    ("sixgate CPU s (router + host), TCP client -> jump", "tcp_down", "cpu_total", "{:.2f}"),
    ("machine CPU busy, % of both cores, TCP jump -> client", "tcp_up", "machine_busy", "{:.0f}"),
    ("machine CPU busy, % of both cores, UDP jump -> client", "udp_up", "machine_busy", "{:.0f}"),
    ("router CPU s, TCP jump -> client", "tcp_up", "cpu_router", "{:.2f}"),
    ("host CPU s, TCP jump -> client", "tcp_up", "cpu_host", "{:.2f}"),
    ("router CPU s, TCP client -> jump", "tcp_down", "cpu_router", "{:.2f}"),
    ("host CPU s, TCP client -> jump", "tcp_down", "cpu_host", "{:.2f}"),
    ("sixgate CPU s per Gbit (= cores per Gbit/s), TCP jump -> client", "tcp_up", "cpu_per_gbit", "{:.2f}"),
    ("sixgate CPU s per Gbit (= cores per Gbit/s), TCP client -> jump", "tcp_down", "cpu_per_gbit", "{:.2f}"),
    ("sixgate CPU us per UDP packet received, jump -> client", "udp_up", "cpu_us_per_packet", "{:.1f}"),
    ("sixgate CPU us per UDP packet received, client -> jump", "udp_down", "cpu_us_per_packet", "{:.1f}"),
    ("router: packets through ISATAP, TCP jump -> client", "tcp_up", "router_packets", "{:,.0f}"),
    ("TCP jump -> client, retransmitted segments", "tcp_up", "retransmits", "{:,.0f}"),
    ("TCP client -> jump, retransmitted segments", "tcp_down", "retransmits", "{:,.0f}"),
    ("TCP jump -> client: lost at the router's protocol-41 socket", "tcp_up", "lost_receiver_raw", "{:,.0f}"),
    ("TCP client -> jump: lost at the jump's protocol-41 socket", "tcp_down", "lost_receiver_raw", "{:,.0f}"),
    ("router: packets dropped by its checks (counted), UDP jump -> client", "udp_up", "router_drops", "{:,.0f}"),
    ("UDP jump -> client: lost in the jump's isatap0 queue", "udp_up", "lost_sender_tun", "{:,.0f}"),
    ("UDP jump -> client: lost at the router's protocol-41 socket", "udp_up", "lost_receiver_raw", "{:,.0f}"),
    ("UDP client -> jump: lost in the server's isatap0 queue", "udp_down", "lost_sender_tun", "{:,.0f}"),
    ("UDP client -> jump: lost at the jump's protocol-41 socket", "udp_down", "lost_receiver_raw", "{:,.0f}"),
)


def summarize(raw):
    """raw[path][test] = [figures per run] -> summary[path][test][figure] = median_spread."""
    summary = {}
    for path, tests in raw.items():
        summary[path] = {}
        for test, runs in tests.items():
            keys = sorted({k for figures in runs for k in figures})
            summary[path][test] = {k: median_spread([f.get(k) for f in runs]) for k in keys}
    return summary


def ratios(summary):
    out = {}
    if "isatap" not in summary or "ipv4" not in summary:
        return out
    for _, test, figure, _ in ROWS:
        if figure not in ("mbps", "pps", "sent_pps"):
            continue  # a ratio of CPU busy or of retransmissions says nothing
        a = summary["isatap"].get(test, {}).get(figure)
        b = summary["ipv4"].get(test, {}).get(figure)
        if a and b and b["median"]:
            out[f"{test}.{figure}"] = a["median"] / b["median"]
    return out


def markdown_table(summary, paths):
    ratio = ratios(summary)
    headers = ["figure"] + [PATH_TITLES[p] for p in paths]
    with_ratio = bool(ratio)
    if with_ratio:
        headers.append("ISATAP / kernel IPv4")
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
    for label, test, figure, fmt in ROWS:
        cells = [label]
        present = False
        for p in paths:
            value = summary.get(p, {}).get(test, {}).get(figure)
            if value is None:
                cells.append("-")
                continue
            present = True
            cell = fmt.format(value["median"])
            low, high = fmt.format(value["min"]), fmt.format(value["max"])
            if low != high:
                cell += f" ({low}-{high})"
            cells.append(cell)
        if not present:
            continue
        if with_ratio:
            r = ratio.get(f"{test}.{figure}")
            cells.append("-" if r is None else f"{r:.3f}x" if r < 0.1 else f"{r:.2f}x")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default=os.environ.get("SIXGATE_BINARY", "build-lead/app/sixgate"))
    parser.add_argument("--seconds", type=int, default=5, help="seconds per iperf3 run (default 5)")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure; the median is reported (default 3)")
    parser.add_argument("--paths", default=",".join(PATHS))
    parser.add_argument("--json", action="store_true", help="print the results as JSON instead of Markdown")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("the benchmark needs root (network namespaces)")
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    for p in paths:
        if p not in PATHS:
            sys.exit(f"--paths: unknown path {p!r} ({', '.join(PATHS)})")
    if args.seconds < 1 or args.runs < 1:
        sys.exit("--seconds and --runs must be at least 1")
    binary = os.path.abspath(args.binary)
    if not os.access(binary, os.X_OK):
        sys.exit(f"--binary: {args.binary} is not an executable")
    for tool in ("iperf3", "ip", "ss", "ping"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            sys.exit(f"{tool} is not installed (scripts/setup.sh installs it)")

    started = time.monotonic()
    load_before = os.getloadavg()
    log = sys.stderr if args.json else sys.stdout
    bench = Bench(binary)
    raw = {p: {} for p in paths}
    failed = []
    try:
        for p in paths:
            bench.warm(p)
        for run in range(args.runs):
            for p in paths:
                for key, test_args, tcp in TESTS:
                    if p == "ipv4-mss" and not tcp:
                        continue
                    try:
                        figures = bench.measure(p, key, test_args, tcp, args.seconds)
                    except (AssertionError, RuntimeError, subprocess.TimeoutExpired) as error:
                        failed.append(f"run {run + 1} {p} {key}: {error}")
                        print(f"not measured: {failed[-1]}", file=sys.stderr)
                        continue
                    raw[p].setdefault(key, []).append(figures)
                    shown = ", ".join(f"{k}={v:.4g}" for k, v in figures.items())
                    print(f"run {run + 1}/{args.runs} {p:9} {key:9} {shown}", file=log, flush=True)
    finally:
        bench.stop()
    summary = summarize(raw)
    info = {
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "kernel": os.uname().release,
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "binary": binary,
        "seconds": args.seconds,
        "runs": args.runs,
        "paths": paths,
        "elapsed_s": round(time.monotonic() - started),
        "command": " ".join(["/usr/bin/python3"] + sys.argv),
    }
    if args.json:
        print(json.dumps({"machine": info, "summary": summary, "ratios_isatap_over_ipv4": ratios(summary),
                          "runs": raw, "failed": failed}, indent=2))
    else:
        print(f"\n{info['date']}, {os.cpu_count()} CPUs, kernel {info['kernel']}, load average "
              f"{load_before[0]:.2f} at the start, {args.runs} x {args.seconds} s per figure "
              f"(median, min-max), {info['elapsed_s']} s in all\n")
        print(markdown_table(summary, paths))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
