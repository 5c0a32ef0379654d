"""The sixgate PLAT (stateful NAT64, RFC 6146) against TAYGA + nft masquerade, in one run.

1. The session table alone: A's Google Benchmark binary (build/bench/plat_session_bench) gives new
   sessions per second on one core and table bytes per session (floors: >= 100,000 sessions/s,
   <= 256 B/session).
2. Traffic, in the namespaces of tests/netns/clat/xlat464_topology.py (client -> r6 -> plat ->
   server), the two PLATs one after the other in the same namespaces:
   - sixgate PLAT: `sixgate run` with a plat: section (pool4 203.0.113.0/28, one queue);
   - TAYGA + nft: TAYGA 0.9.2 stateless with a private dynamic pool (192.168.255.0/24) and an nft
     masquerade rule to 198.51.100.1 (conntrack keeps the NAT44 state): the usual "stateful NAT64
     from parts";
   each carrying (a) 464XLAT from the client's IPv4 application through the sixgate CLAT and
   (b) a plain IPv6-only host (the client's own IPv6 address, no CLAT) to 2001:db8:64::198.51.100.10.
   Figures: iperf3 TCP upload and download (Mbit/s), UDP 64 B datagrams received per second, ping
   RTT average and p99, and the PLAT process's CPU seconds over each run. Ratio sixgate / TAYGA.
Run as root from the repository root:
    /usr/bin/python3 bench/plat_bench.py --binary build/app/sixgate \
        --session-bench build/bench/plat_session_bench [--seconds 10] [--markdown]
"""

import argparse
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "netns", "clat"))
import xlat464_topology as topo  # noqa: E402

PLATS = ("tayga-nft", "sixgate")
PLAT_NAMES = {"tayga-nft": "TAYGA + nft", "sixgate": "sixgate PLAT"}
MODES = ("464xlat", "ipv6")
MODE_NAMES = {"464xlat": "464XLAT (sixgate CLAT)", "ipv6": "IPv6-only host"}
SESSION_FLOOR = 100_000
BYTES_FLOOR = 256


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def session_bench(path, repetitions=3):
    """Runs the Google Benchmark binary; returns {benchmark name: {counter: value}} plus the best
    sessions/s and the smallest bytes/session found among its counters."""
    if not path or not os.access(path, os.X_OK):
        return {"error": f"{path}: not built (target plat_session_bench)"}
    out = subprocess.run([path, "--benchmark_format=json", f"--benchmark_repetitions={repetitions}",
                          "--benchmark_report_aggregates_only=true"], capture_output=True, text=True, timeout=900)
    if out.returncode != 0:
        return {"error": f"{path} exited {out.returncode}: {out.stderr[-2000:]}"}
    data = json.loads(out.stdout)
    results = {"benchmarks": {}}
    rates, sizes = [], []
    for bench in data.get("benchmarks", []):
        if bench.get("aggregate_name", "median") != "median":
            continue
        counters = {k: v for k, v in bench.items() if isinstance(v, (int, float)) and k not in
                    ("iterations", "repetitions", "repetition_index", "threads", "family_index",
                     "per_family_instance_index")}
        results["benchmarks"][bench["name"]] = counters
        for key, value in counters.items():
            lowered = key.lower()
            if "session" in lowered and (lowered.endswith("_per_s") or "per_second" in lowered or "rate" in lowered):
                rates.append(value)
            elif "items_per_second" == lowered:
                rates.append(value)
            if "byte" in lowered and "session" in lowered:
                sizes.append(value)
    results["sessions_per_second"] = max(rates) if rates else None
    results["bytes_per_session"] = min(sizes) if sizes else None
    results["cpu"] = data.get("context", {}).get("num_cpus")
    return results


def measure(lab, mode, plat, seconds, pings):
    target = topo.SERVER_V4 if mode == "464xlat" else topo.embed(topo.SERVER_V4)
    figures = {}

    def timed(name, *args):
        before = lab.plat_cpu_seconds()
        result = lab.iperf3(*args, target=target, timeout=seconds + 60)
        figures[name + "_cpu"] = lab.plat_cpu_seconds() - before
        return result

    up = timed("tcp_up", "-t", seconds)
    figures["tcp_up"] = up["end"]["sum_received"]["bits_per_second"] / 1e6
    down = timed("tcp_down", "-t", seconds, "-R")
    figures["tcp_down"] = down["end"]["sum_received"]["bits_per_second"] / 1e6
    udp = timed("udp", "-u", "-l", "64", "-b", "0", "-t", seconds)
    total = udp["end"]["sum"]
    figures["udp_pps"] = (total["packets"] - total["lost_packets"]) / total["seconds"]
    received, rtts, out = lab.ping(count=pings, interval=0.01, target=target, timeout=60)
    if received < pings * 0.9:
        raise RuntimeError(f"{plat}/{mode}: only {received} of {pings} ping replies:\n{out}")
    figures["rtt_avg"] = sum(rtts) / len(rtts)
    figures["rtt_p99"] = percentile(rtts, 0.99)
    return figures


def run_plat(lab, plat, args):
    print(f"== {PLAT_NAMES[plat]}", flush=True)
    lab.start_plat(plat)
    results = {}
    try:
        for mode in MODES:
            target = topo.SERVER_V4 if mode == "464xlat" else topo.embed(topo.SERVER_V4)
            topo.sgnetns.wait_for(lambda: lab.ping(count=1, target=target)[0] == 1, 20, interval=0.1,
                                  what=f"a first ping through {plat} ({mode})")
            lab.ping(count=20, interval=0.01, target=target)
            try:
                results[mode] = measure(lab, mode, plat, args.seconds, args.pings)
            except (AssertionError, RuntimeError) as error:
                print(f"{plat}/{mode}: not measured: {error}", file=sys.stderr)
        if plat == "sixgate":
            status = lab.sixgate_plat_status()
            results["memory_bytes"] = status.get("current_memory_bytes")
    finally:
        lab.stop_plat()
    return results


ROWS = [
    ("TCP upload, Mbit/s", "tcp_up", "{:.0f}"),
    ("TCP download, Mbit/s", "tcp_down", "{:.0f}"),
    ("UDP 64 B received, packets/s", "udp_pps", "{:,.0f}"),
    ("ping RTT avg, ms", "rtt_avg", "{:.3f}"),
    ("ping RTT p99, ms", "rtt_p99", "{:.3f}"),
    ("PLAT CPU s, TCP upload", "tcp_up_cpu", "{:.2f}"),
    ("PLAT CPU s, TCP download", "tcp_down_cpu", "{:.2f}"),
    ("PLAT CPU s, UDP 64 B", "udp_cpu", "{:.2f}"),
]


def render(headers, table, markdown):
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join("---" for _ in headers) + " |"]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in table])
    widths = [max(len(r[i]) for r in [headers] + table) for i in range(len(headers))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths))]
    lines += ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths)))
              for row in table]
    return "\n".join(lines)


def traffic_table(results, markdown):
    headers = ["path", "figure", PLAT_NAMES["tayga-nft"], PLAT_NAMES["sixgate"], "sixgate / TAYGA"]
    table = []
    for mode in MODES:
        for label, key, fmt in ROWS:
            values = [results.get(p, {}).get(mode, {}).get(key) for p in PLATS]
            cells = [MODE_NAMES[mode], label] + ["-" if v is None else fmt.format(v) for v in values]
            a, b = values[1], values[0]
            cells.append(f"{a / b:.2f}x" if a is not None and b else "-")
            table.append(cells)
    return render(headers, table, markdown)


def session_table(results, markdown):
    headers = ["figure", "value", "floor", "met"]
    rate, size = results.get("sessions_per_second"), results.get("bytes_per_session")
    table = [
        ["new sessions/s, one core", "-" if rate is None else f"{rate:,.0f}", f">= {SESSION_FLOOR:,}",
         "-" if rate is None else ("yes" if rate >= SESSION_FLOOR else "NO")],
        ["table bytes/session", "-" if size is None else f"{size:.0f}", f"<= {BYTES_FLOOR}",
         "-" if size is None else ("yes" if size <= BYTES_FLOOR else "NO")],
    ]
    for name, counters in sorted(results.get("benchmarks", {}).items()):
        shown = ", ".join(f"{k}={v:,.0f}" for k, v in counters.items() if k not in ("real_time", "cpu_time"))
        table.append([name, shown or f"{counters.get('real_time', 0):.0f} ns", "", ""])
    return render(headers, table, markdown)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--binary", default="build/app/sixgate")
    parser.add_argument("--session-bench", default="build/bench/plat_session_bench")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--pings", type=int, default=200)
    parser.add_argument("--plats", default=",".join(PLATS))
    parser.add_argument("--skip-session-bench", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("the benchmark needs root (network namespaces)")
    plats = [p.strip() for p in args.plats.split(",") if p.strip()]
    for p in plats:
        if p not in PLATS:
            sys.exit(f"--plats: unknown PLAT {p!r} ({', '.join(PLATS)})")
    if not os.access(args.binary, os.X_OK):
        sys.exit(f"--binary: {args.binary} is not an executable")

    started = time.monotonic()
    sessions = {} if args.skip_session_bench else session_bench(args.session_bench)
    if "error" in sessions:
        print(f"session table: not measured: {sessions['error']}", file=sys.stderr)

    lab = topo.Xlat464Lab(tag="bench-", plat_kind=None, sixgate_binary=args.binary)
    lab.start_sixgate_clat(args.binary, "routed", "literal", log_level="info")
    results = {}
    try:
        for plat in plats:
            try:
                results[plat] = run_plat(lab, plat, args)
            except (AssertionError, RuntimeError) as error:
                print(f"{plat}: not measured: {error}", file=sys.stderr)
    finally:
        lab.stop_clat()

    print(f"\n{time.strftime('%Y-%m-%d')}, {args.seconds} s per throughput run, {args.pings} pings at 0.01 s, "
          f"{os.cpu_count()} CPUs (both PLATs, the CLAT and iperf3 share them), kernel {os.uname().release}, "
          f"{time.monotonic() - started:.0f} s in all\n")
    if not args.skip_session_bench:
        print(session_table(sessions, args.markdown))
        print()
    print(traffic_table(results, args.markdown))
    if "sixgate" in results and results["sixgate"].get("memory_bytes") is not None:
        print(f"\nsixgate PLAT table memory at the end of its run: {results['sixgate']['memory_bytes']:,} bytes")
    complete = all(mode in results.get(p, {}) for p in plats for mode in MODES)
    return 0 if complete and "error" not in sessions else 1


if __name__ == "__main__":
    sys.exit(main())
