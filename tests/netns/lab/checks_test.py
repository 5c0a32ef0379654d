"""`sixgate lab test` end to end against a lab of two namespaces this test makes itself.

The namespaces carry the lab's names (lab/lab_names.hpp: "sglab.<lab>.<host>"), exactly what
`sixgate lab up` or the container test would make, so `lab test` attaches to them unchanged. The lab
is tests/netns/lab/checks_topology.yaml (ping, TCP and UDP echo, a closed port expected to fail, a DNS
AAAA answer inside a /96) and checks_wrong_expectation.yaml (one row deliberately wrong). Every
namespace and process is removed at exit, on failure and on Ctrl-C (sgnetns). Run as root:
    SIXGATE_BINARY=build/app/sixgate /usr/bin/python3 tests/netns/lab/checks_test.py [Class.test]
"""

import json
import os
import socket
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
import sgnetns  # noqa: E402

SIXGATE = os.environ.get("SIXGATE_BINARY", "build/app/sixgate")
TOPOLOGY = os.path.join(HERE, "checks_topology.yaml")
WRONG = os.path.join(HERE, "checks_wrong_expectation.yaml")
LAB = "sg-checks"
DNS_ANSWER = "2001:db8:64::c000:21e"

# A one-record DNS server: every query gets one AAAA answer (the name a pointer to the question).
DNS_SERVER = r"""
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("2001:db8:1::2", 53))
answer = socket.inet_pton(socket.AF_INET6, sys.argv[1])
while True:
    query, peer = s.recvfrom(512)
    header = query[:2] + b"\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00"
    record = b"\xc0\x0c\x00\x1c\x00\x01\x00\x00\x00\x3c\x00\x10" + answer
    s.sendto(header + query[12:] + record, peer)
"""


def namespace(host):
    name = f"sglab.{LAB}.{host}"
    sgnetns._namespaces.append(name)  # recorded first: cleanup removes it whatever happens next
    sgnetns.run("ip", "netns", "add", name)
    sgnetns.run("ip", "link", "set", "lo", "up", ns=name)
    return name


def sixgate_lab_test(*args):
    result = subprocess.run([SIXGATE, "lab", "test", *args], capture_output=True, text=True, timeout=180)
    return result.returncode, result.stdout, result.stderr


class LabTest(unittest.TestCase):
    def tearDown(self):
        sgnetns.cleanup()

    def make_lab(self):
        client, server = namespace("client"), namespace("server")
        sgnetns.veth(client, "eth0", server, "eth0")
        for ns, v4, v6 in ((client, "192.0.2.1/24", "2001:db8:1::1/64"), (server, "192.0.2.2/24", "2001:db8:1::2/64")):
            sgnetns.run("ip", "address", "add", v4, "dev", "eth0", ns=ns)
            sgnetns.run("ip", "address", "add", v6, "dev", "eth0", "nodad", ns=ns)
        sgnetns.spawn(server, "socat", "TCP6-LISTEN:8080,ipv6only=0,reuseaddr,fork", "EXEC:cat")
        sgnetns.spawn(server, "socat", "UDP6-RECVFROM:7007,ipv6only=0,reuseaddr,fork", "EXEC:cat")
        sgnetns.spawn(server, sgnetns.PYTHON_WITH_SCAPY, "-c", DNS_SERVER, DNS_ANSWER)
        sgnetns.wait_for(lambda: "8080" in sgnetns.run("ss", "-ltn", ns=server), 10, what="the TCP listener")
        sgnetns.wait_for(lambda: ":53 " in sgnetns.run("ss", "-lun", ns=server), 10, what="the DNS server")

    def test_lab_that_is_not_up_exits_3_and_says_how_to_bring_it_up(self):
        status, out, err = sixgate_lab_test(TOPOLOGY)
        self.assertEqual(status, 3, err)
        self.assertIn(f"lab {LAB} is not up: run `sixgate lab up {TOPOLOGY}`", err)
        self.assertEqual(out, "")

    def test_every_check_meets_its_expectation_and_the_exit_status_is_0(self):
        self.make_lab()
        status, out, err = sixgate_lab_test(TOPOLOGY)
        self.assertEqual(status, 0, out + err)
        lines = out.splitlines()
        self.assertTrue(lines[0].split() == ["FROM", "TO", "PROTOCOL", "EXPECTED", "RESULT", "RTT"], out)
        rows = [line for line in lines[1:] if line.startswith(("  client", "! client"))]
        self.assertEqual(len(rows), 7, out)
        self.assertFalse([row for row in rows if row.startswith("!")], out)
        self.assertRegex(out, r"client +server 192\.0\.2\.2 +ping +success +success \(echo reply\) +[0-9.]+ ms")
        self.assertRegex(out, r"server 2001:db8:1::2 +tcp/8080 +success +success \(connected, echoed\) +[0-9.]+ ms")
        self.assertRegex(out, r"udp/7007 +success +success \(echoed\)")
        self.assertRegex(out, r"tcp/9 +failure +failure \(connection refused\) +-")
        self.assertIn(f"success (AAAA {DNS_ANSWER})", out)
        self.assertEqual(lines[-1], f"lab {LAB}: all 7 checks met their expectation")

    def test_json_has_every_row_with_rtts_and_the_verdict(self):
        self.make_lab()
        status, out, err = sixgate_lab_test(TOPOLOGY, "--json")
        self.assertEqual(status, 0, out + err)
        report = json.loads(out)
        self.assertEqual(report["lab"], LAB)
        self.assertEqual((report["met"], report["total"], report["all_met"]), (7, 7, True))
        self.assertEqual(report["verdict"], f"lab {LAB}: all 7 checks met their expectation")
        protocols = [row["protocol"] for row in report["checks"]]
        self.assertEqual(protocols, ["ping", "ping", "tcp/8080", "tcp/8080", "udp/7007", "tcp/9", "dns"])
        for row in report["checks"]:
            self.assertTrue(row["met"], row)
            if row["result"] == "success":
                # A veth round trip inside one machine: well under a second, and measured.
                self.assertGreater(row["rtt_ms"], 0, row)
                self.assertLess(row["rtt_ms"], 1000, row)
            else:
                self.assertIsNone(row["rtt_ms"], row)
        closed = report["checks"][5]
        self.assertEqual((closed["expected"], closed["result"]), ("failure", "failure"))
        # Expected failures are tried for the whole window (3 s) and must see no success.
        self.assertGreaterEqual(closed["elapsed_ms"], 2500, closed)

    def test_a_wrong_expectation_is_reported_and_the_exit_status_is_1(self):
        self.make_lab()
        status, out, err = sixgate_lab_test(WRONG)
        self.assertEqual(status, 1, out + err)
        unmet = [line for line in out.splitlines() if line.startswith("! ")]
        self.assertEqual(len(unmet), 1, out)
        self.assertRegex(unmet[0], r"tcp/9 +success +failure \(connection refused\)")
        self.assertEqual(out.splitlines()[-1], f"lab {LAB}: 1 of 7 checks did not meet its expectation")
        status, out, err = sixgate_lab_test(WRONG, "--json")
        self.assertEqual(status, 1, err)
        report = json.loads(out)
        self.assertEqual((report["met"], report["total"], report["all_met"]), (6, 7, False))
        # An expected success is retried up to its deadline (10 s) before it is called a failure.
        self.assertGreaterEqual(report["checks"][5]["elapsed_ms"], 9000)


if __name__ == "__main__":
    if os.geteuid() != 0:
        print("skipped: needs root for network namespaces")
        sys.exit(77)
    if not os.path.exists(SIXGATE):
        print(f"skipped: no sixgate binary at {SIXGATE}")
        sys.exit(77)
    unittest.main()
