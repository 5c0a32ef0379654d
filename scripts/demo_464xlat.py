"""The 464XLAT part of the README's main command: an IPv6-only client whose IPv4 applications reach
an IPv4-only server through the sixgate CLAT and a PLAT (TAYGA from Debian), in namespaces made
for this run and always removed (also on failure or Ctrl-C).

    client (sixgate CLAT, PLAT prefix from PREF64) -> IPv6 router -> TAYGA PLAT -> 198.51.100.10

Prints one row per check and a verdict; exit status 0 only when every check passed.
Usage (root): /usr/bin/python3 scripts/demo_464xlat.py BINARY
"""

import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "netns", "clat"))
import xlat464_topology as topo  # noqa: E402


def main():
    binary = os.path.abspath(sys.argv[1])
    rows = []

    def check(what, protocol, run):
        started = time.monotonic()
        try:
            detail = run()
            result = "ok"
        except AssertionError as error:
            detail, result = str(error).splitlines()[0], "FAILED"
        rows.append((what, protocol, result, f"{(time.monotonic() - started) * 1000:.0f} ms", detail))

    print("464xlat: building client -> router -> TAYGA PLAT -> IPv4 server in namespaces ...", flush=True)
    lab = topo.Xlat464Lab(pref64_ra=True, tag="demo")
    status = lab.start_sixgate_clat(binary, ipv6_address="auto", plat_prefix="pref64", log_level="info")
    print(f"464xlat: sixgate CLAT running: 192.0.0.1 = {status['ipv6']}, "
          f"PLAT prefix {topo.plat_prefix_of(status)} learned from PREF64", flush=True)
    lab.warm()

    def ping():
        received, rtts, _ = lab.ping(count=3)
        assert received == 3, f"{received}/3 replies"
        return f"3/3 replies, avg {sum(rtts) / len(rtts):.2f} ms"

    def udp():
        server = lab.udp_echo_server()
        try:
            payloads = [b"sixgate 464xlat", os.urandom(1200)]
            replies = lab.udp_exchange(payloads)
        finally:
            topo.stop(server)
        assert all(r and bytes.fromhex(r[0]) == p for r, p in zip(replies, payloads)), "payload lost or changed"
        return "2 datagrams echoed unchanged"

    def tcp():
        result = lab.iperf3("-n", "2M")
        mbits = result["end"]["sum_received"]["bits_per_second"] / 1e6
        return f"2 MB sent, {mbits:.0f} Mbit/s"

    check(f"ping {topo.SERVER_V4}", "icmp", ping)
    check(f"udp echo {topo.SERVER_V4}:7007", "udp", udp)
    check(f"iperf3 {topo.SERVER_V4}:5201", "tcp", tcp)

    clat = lab.sixgate_status(binary)["components"]["clat"]
    print()
    print(f"  {'from client (IPv4 192.0.0.1) to':34} {'proto':6} {'result':7} {'time':>8}  detail")
    for what, protocol, result, took, detail in rows:
        print(f"  {what:34} {protocol:6} {result:7} {took:>8}  {detail}")
    packets = clat["packets"]
    print(f"\n  sixgate CLAT translated {packets['ipv4_to_ipv6']} packets IPv4->IPv6 and "
          f"{packets['ipv6_to_ipv4']} IPv6->IPv4 (sixgate status, components.clat)")
    failed = [row for row in rows if row[2] != "ok"]
    print(f"\n464xlat: {'ok' if not failed else 'FAILED'}: {len(rows) - len(failed)}/{len(rows)} checks passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
