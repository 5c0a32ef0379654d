"""Benchmark: 464XLAT with the sixgate CLAT against TAYGA in the CLAT role (both with TAYGA 0.9.2 as
the PLAT), and plain IPv4 forwarding over the same veths, in the same run and the same namespaces.
Not a test: it prints figures.

Topology (tests/netns/clat/xlat464_topology.py): client -> r6 -> plat (TAYGA PLAT) -> server. The
three paths run one after the other in the same four namespaces:
  ipv4     client 192.0.2.2 routed by r6 and plat to 198.51.100.10 (kernel forwarding only)
  tayga    192.0.0.1 -> TAYGA CLAT -> r6 -> TAYGA PLAT -> server
  sixgate  192.0.0.1 -> sixgate CLAT (`sixgate run`, clat: section) -> r6 -> TAYGA PLAT -> server
For each: TCP Mbit/s upload and download (iperf3 -t SECONDS), UDP 64-byte datagrams per second
received by the server (iperf3 -u -l 64 -b 0), ping RTT average and 99th percentile over PINGS
pings at 0.01 s, and the CPU seconds (utime + stime from /proc/PID/stat) the CLAT process spent
during each throughput run. The path is warmed first (the first packet through TAYGA can take ~2 s).

Usage (root, from the repository root):
    /usr/bin/python3 bench/xlat464_bench.py [--binary build/app/sixgate] [--seconds 10] [--pings 200]
        [--paths ipv4,tayga,sixgate] [--markdown]
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "netns", "clat"))
import xlat464_topology as topo  # noqa: E402


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def measure(lab, path, seconds, pings):
    target = topo.SERVER_V4
    figures = {}
    cpu = lab.clat_cpu_seconds if lab.clat_process else (lambda: None)

    def timed(name, *args):
        before = cpu()
        result = lab.iperf3(*args, timeout=seconds + 60)
        after = cpu()
        figures[name + "_cpu"] = None if before is None else after - before
        return result

    up = timed("tcp_up", "-t", seconds)
    figures["tcp_up"] = up["end"]["sum_received"]["bits_per_second"] / 1e6
    down = timed("tcp_down", "-t", seconds, "-R")
    figures["tcp_down"] = down["end"]["sum_received"]["bits_per_second"] / 1e6
    for name, result in (("tcp_up", up), ("tcp_down", down)):
        gigabits = result["end"]["sum_received"]["bytes"] * 8 / 1e9
        if figures[name + "_cpu"] is not None and gigabits:
            figures[name + "_cpu_per_gbit"] = figures[name + "_cpu"] / gigabits
    udp = timed("udp", "-u", "-l", "64", "-b", "0", "-t", seconds)
    total = udp["end"]["sum"]
    figures["udp_pps"] = (total["packets"] - total["lost_packets"]) / total["seconds"]
    figures["udp_sent_pps"] = total["packets"] / total["seconds"]
    received, rtts, out = lab.ping(count=pings, interval=0.01, target=target, timeout=60)
    if received < pings * 0.9:
        raise RuntimeError(f"{path}: only {received} of {pings} ping replies:\n{out}")
    figures["rtt_avg"] = sum(rtts) / len(rtts)
    figures["rtt_p99"] = percentile(rtts, 0.99)
    return figures


def run_path(lab, path, args):
    print(f"== {path}", flush=True)
    if path == "ipv4":
        lab.enable_plain_ipv4()
        topo.sgnetns.wait_for(lambda: lab.ping(count=1)[0] == 1, 15, interval=0.1, what="plain IPv4 ping")
        try:
            return measure(lab, path, args.seconds, args.pings)
        finally:
            lab.disable_plain_ipv4_on_client()
    if path == "tayga":
        lab.start_tayga_clat("routed")
    else:
        lab.start_sixgate_clat(args.binary, "routed", "literal", log_level="info")
    try:
        lab.warm()
        lab.ping(count=20, interval=0.01)
        return measure(lab, path, args.seconds, args.pings)
    finally:
        lab.stop_clat()


def format_table(results, markdown):
    rows = [
        ("TCP upload, Mbit/s", "tcp_up", "{:.0f}"),
        ("TCP download, Mbit/s", "tcp_down", "{:.0f}"),
        ("UDP 64 B received, packets/s", "udp_pps", "{:,.0f}"),
        ("UDP 64 B sent, packets/s", "udp_sent_pps", "{:,.0f}"),
        ("ping RTT avg, ms", "rtt_avg", "{:.3f}"),
        ("ping RTT p99, ms", "rtt_p99", "{:.3f}"),
        ("RTT avg added to plain IPv4, ms", "rtt_added", "{:.3f}"),
        ("RTT p99 added to plain IPv4, ms", "rtt_p99_added", "{:.3f}"),
        ("CLAT CPU s, TCP upload", "tcp_up_cpu", "{:.2f}"),
        ("CLAT CPU s, TCP download", "tcp_down_cpu", "{:.2f}"),
        ("CLAT CPU s, UDP 64 B", "udp_cpu", "{:.2f}"),
        ("CLAT CPU s per Gbit carried, TCP upload", "tcp_up_cpu_per_gbit", "{:.2f}"),
        ("CLAT CPU s per Gbit carried, TCP download", "tcp_down_cpu_per_gbit", "{:.2f}"),
    ]
    if "ipv4" in results:  # the latency the translators add on top of the same kernel path
        for p in results:
            results[p]["rtt_added"] = results[p]["rtt_avg"] - results["ipv4"]["rtt_avg"]
            results[p]["rtt_p99_added"] = results[p]["rtt_p99"] - results["ipv4"]["rtt_p99"]
    paths = [p for p in ("ipv4", "tayga", "sixgate") if p in results]
    headers = ["figure"] + [{"ipv4": "plain IPv4", "tayga": "TAYGA CLAT", "sixgate": "sixgate CLAT"}[p]
                            for p in paths]
    ratio = "sixgate" in results and "tayga" in results
    if ratio:
        headers.append("sixgate / TAYGA")
    table = []
    for label, key, fmt in rows:
        cells = [label]
        for p in paths:
            value = results[p].get(key)
            cells.append("-" if value is None else fmt.format(value))
        if ratio:
            a, b = results["sixgate"].get(key), results["tayga"].get(key)
            cells.append(f"{a / b:.2f}x" if a is not None and b else "-")
        table.append(cells)
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
        lines += ["| " + " | ".join(row) + " |" for row in table]
        return "\n".join(lines)
    widths = [max(len(r[i]) for r in [headers] + table) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths))]
    lines += ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths)))
              for row in table]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default="build/app/sixgate")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--pings", type=int, default=200)
    parser.add_argument("--paths", default="ipv4,tayga,sixgate")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("the benchmark needs root (network namespaces)")
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    for p in paths:
        if p not in ("ipv4", "tayga", "sixgate"):
            sys.exit(f"--paths: unknown path {p!r} (ipv4, tayga, sixgate)")
    if "sixgate" in paths and not os.access(args.binary, os.X_OK):
        sys.exit(f"--binary: {args.binary} is not an executable")

    lab = topo.Xlat464Lab(tag="bench-")
    results = {}
    started = time.monotonic()
    for path in paths:
        try:
            results[path] = run_path(lab, path, args)
        except (AssertionError, RuntimeError) as error:
            print(f"{path}: not measured: {error}", file=sys.stderr)
    print(f"\n{time.strftime('%Y-%m-%d')}, {args.seconds} s per throughput run, {args.pings} pings at 0.01 s, "
          f"{os.cpu_count()} CPUs, kernel {os.uname().release}, {time.monotonic() - started:.0f} s in all\n")
    print(format_table(results, args.markdown))
    return 0 if len(results) == len(paths) else 1


if __name__ == "__main__":
    sys.exit(main())
