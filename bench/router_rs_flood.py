"""Benchmark: the CPU a Router Solicitation flood costs sixgate's router, against radvd 2.19 as
the reference, in the same run and the same namespaces. Not a test: it prints figures.

Each daemon advertises the same prefix and routes on a veth; a host namespace sends RS at
RATE per second for SECONDS; CPU is read from /proc/PID/stat (utime + stime) before and after.
Usage (root): /usr/bin/python3 bench/router_rs_flood.py [--rate 1000] [--seconds 5] [--binary build/app/sixgate]
"""

import argparse
import os
import signal
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "netns"))
import sgnetns  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")

SIXGATE_CONFIG = """\
public_ipv4: 131.107.0.2
logging: {{level: info}}
control: {{socket: {socket}}}
router:
  forwarding: false
  interfaces:
    - name: rtr0
      max_rtr_adv_interval: 600
      unicast_solicited_replies: {unicast}
"""

RADVD_CONFIG = """\
interface rtr0 {{
    AdvSendAdvert on;
    MaxRtrAdvInterval 600;
    AdvDefaultLifetime 0;
    UnicastOnly off;
    prefix 2002:836b:2:3333::/64 {{ AdvValidLifetime 5400; AdvPreferredLifetime 2700; }};
    route 2002:836b:2:1000::/64 {{ AdvRouteLifetime 1800; }};
    route 2001:0:836b:2::/64 {{ AdvRouteLifetime 1800; }};
    route 2002:836b:2:7777::/96 {{ AdvRouteLifetime 1800; }};
    # radvd 2.19 has no nat64prefix (PREF64): sixgate sends one option more than it.
}};
"""


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def daemon_pid(ns, name):
    for pid in sgnetns.run("ip", "netns", "pids", ns).split():
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() == name:
                    return int(pid)
        except FileNotFoundError:
            pass
    raise RuntimeError(f"{name} is not running in {ns}")


def measure(name, start_daemon, rate, seconds):
    router = sgnetns.create_namespace("bench-rtr")
    host = sgnetns.create_namespace("bench-host")
    sgnetns.veth(router, "rtr0", host, "host0")
    process = start_daemon(router)
    time.sleep(2)
    pid = daemon_pid(router, name)
    before = cpu_seconds(pid)
    sent = sgnetns.flood_router_solicitations(host, "host0", rate, seconds)
    used = cpu_seconds(pid) - before
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except Exception:
        process.kill()
    sgnetns.cleanup()
    return sent, used


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--binary", default="build/app/sixgate")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="sg-bench-")

    def sixgate(unicast):
        def start(ns):
            config = os.path.join(work, f"sixgate-{unicast}.yaml")
            with open(config, "w") as f:
                f.write(SIXGATE_CONFIG.format(socket=os.path.join(work, "s.sock"), unicast=unicast))
            return sgnetns.spawn(ns, args.binary, "run", "-c", config, stdout=sgnetns.subprocess.DEVNULL,
                                 stderr=sgnetns.subprocess.DEVNULL)
        return start

    def radvd(ns):
        config = os.path.join(work, "radvd.conf")
        with open(config, "w") as f:
            f.write(RADVD_CONFIG.format())
        return sgnetns.spawn(ns, "radvd", "-n", "-C", config, "-p", os.path.join(work, "radvd.pid"),
                             "-m", "stderr", stdout=sgnetns.subprocess.DEVNULL, stderr=open(os.path.join(work, "radvd.log"), "w"))

    rows = [("sixgate (multicast answers)", *measure("sixgate", sixgate("false"), args.rate, args.seconds)),
            ("sixgate (unicast answers, capped)", *measure("sixgate", sixgate("true"), args.rate, args.seconds)),
            ("radvd 2.19 (reference)", *measure("radvd", radvd, args.rate, args.seconds))]
    reference = rows[-1][2] or 1e-9
    print(f"RS flood: {args.rate} RS/s for {args.seconds} s, CPU of the answering daemon")
    print(f"{'daemon':36} {'RS sent':>8} {'CPU s':>7} {'% of a core':>12} {'us per RS':>10} {'vs radvd':>9}")
    for name, sent, used in rows:
        print(f"{name:36} {sent:8d} {used:7.2f} {100 * used / args.seconds:11.1f}% {1e6 * used / max(sent, 1):10.1f}"
              f" {used / reference:8.2f}x")


if __name__ == "__main__":
    if os.geteuid() != 0:
        sys.exit("the benchmark needs root (network namespaces)")
    main()
