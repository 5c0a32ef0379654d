"""Decodes an ICMPv6 message with tshark and prints what tshark saw, one field per line.

Usage: nd_tshark_decode.py ICMP_HEX SOURCE DESTINATION
The message (from sixgate's builder) is wrapped in IPv6 with scapy (hop limit 255, the given
addresses, checksum left as given) and written to a pcap; tshark then prints its decoding:
"checksum_status=1" (1: good), then per PREF64 option
"pref64 scaled_lifetime=N plc=N prefix=ADDR". tshark is the independent PREF64 dissector here:
scapy 2.5 has none.
"""
import os
import subprocess
import sys
import tempfile

try:
    from scapy.layers.inet6 import IPv6
    from scapy.layers.l2 import Ether
    from scapy.packet import Raw
    from scapy.utils import wrpcap
except ImportError as error:
    sys.exit(f"{sys.executable} cannot import scapy ({error}): install python3-scapy")


def main():
    message, source, destination = bytes.fromhex(sys.argv[1]), sys.argv[2], sys.argv[3]
    # nh=58 with a Raw payload: scapy must not rebuild (or re-checksum) the message.
    packet = (Ether(src="02:00:5e:00:53:01", dst="33:33:00:00:00:01") /
              IPv6(src=source, dst=destination, hlim=255, nh=58) / Raw(message))
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "nd.pcap")
        wrpcap(path, [packet])
        fields = ["icmpv6.checksum.status", "icmpv6.opt.pref64.scaled_lifetime",
                  "icmpv6.opt.pref64.plc", "icmpv6.opt.pref64.prefix"]
        command = ["tshark", "-r", path, "-T", "fields", "-E", "occurrence=a",
                   "-E", "aggregator=,"]
        for field in fields:
            command += ["-e", field]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            sys.exit(f"tshark failed: {result.stderr}")
    columns = result.stdout.rstrip("\n").split("\t")
    print(f"checksum_status={columns[0]}")
    lifetimes, codes, prefixes = (c.split(",") if c else [] for c in columns[1:4])
    for lifetime, code, prefix in zip(lifetimes, codes, prefixes):
        print(f"pref64 scaled_lifetime={lifetime} plc={int(code, 0)} prefix={prefix}")


if __name__ == "__main__":
    main()
