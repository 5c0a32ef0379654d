"""Builds the RFC 8925 client's DHCPv4 test messages with scapy, independently of the C++ codec.

Without arguments: prints one line per message, "name hex", the BOOTP payload only (no IP/UDP).
Outputs (discover, request) must equal what sixgate builds byte for byte; inputs (offer_*, ack_*,
nak, malformed_*) are fed to the parser.
With "--dissect HEX": wraps the payload in Ethernet/IPv4/UDP 68->67, writes a capture and prints
tshark's dissection (tshark -V), so a test can check what an independent dissector reads.
Run by clat_dhcpv4_unit_tests with /usr/bin/python3 (Debian's, which has python3-scapy).
"""
import os
import subprocess
import sys
import tempfile

try:
    from scapy.all import BOOTP, DHCP, IP, UDP, Ether, raw, wrpcap
except ImportError as error:
    sys.exit(f"{sys.executable} cannot import scapy ({error}): install python3-scapy")

XID = 0x12345678
MAC = bytes.fromhex("02005e0053c1")
CHADDR = MAC + bytes(10)
SERVER = "192.0.2.1"
OFFERED = "192.0.2.50"
PRL = [1, 3, 51, 108]  # subnet mask, router, lease time, IPv6-Only Preferred (RFC 8925 3.2)


def padded(packet, size=300):
    """RFC 1542 2.1: BOOTP messages are at least 300 bytes; the client pads with zeros."""
    data = raw(packet)
    return data + bytes(max(0, size - len(data)))


def request_message(options):
    return padded(BOOTP(op=1, xid=XID, secs=3, flags=0x8000, chaddr=CHADDR) / DHCP(options=options))


def reply(options, xid=XID, chaddr=CHADDR, yiaddr=OFFERED, **fields):
    return raw(BOOTP(op=2, xid=xid, flags=0x8000, yiaddr=yiaddr, siaddr=SERVER, chaddr=chaddr,
                     **fields) / DHCP(options=options))


def offer_options(extra):
    return [("message-type", "offer"), ("server_id", SERVER), ("lease_time", 3600),
            ("subnet_mask", "255.255.255.0"), ("router", SERVER)] + extra + ["end"]


def vectors():
    v = {}
    v["discover"] = request_message([("message-type", "discover"), ("param_req_list", PRL), "end"])
    v["request"] = request_message([("message-type", "request"), ("requested_addr", OFFERED),
                                    ("server_id", SERVER), ("param_req_list", PRL), "end"])
    v["offer_with_108"] = reply(offer_options([(108, (1800).to_bytes(4, "big"))]))
    v["offer_without_108"] = reply(offer_options([]))
    v["offer_108_below_minimum"] = reply(offer_options([(108, (60).to_bytes(4, "big"))]))
    v["offer_108_length_3"] = reply(offer_options([(108, b"\x00\x07\x08")]))
    v["ack"] = reply([("message-type", "ack"), ("server_id", SERVER), ("lease_time", 120),
                      ("subnet_mask", "255.255.255.0"), ("router", SERVER), "end"])
    v["ack_with_108"] = reply([("message-type", "ack"), ("server_id", SERVER), ("lease_time", 120),
                               (108, (900).to_bytes(4, "big")), "end"])
    v["nak"] = reply([("message-type", "nak"), ("server_id", SERVER), "end"], yiaddr="0.0.0.0")
    # RFC 2132 9.3: option 52 = 1 moves options into the file field; 108 is found there.
    file_options = bytes([108, 4]) + (1200).to_bytes(4, "big") + bytes([255])
    v["offer_108_in_file_field"] = reply([("message-type", "offer"), ("server_id", SERVER),
                                          (52, b"\x01"), "end"], file=file_options)
    good = v["offer_with_108"]
    # Malformed: the lease-time option claims 40 bytes, more than the rest of the message.
    at = good.index(bytes([51, 4]), 240)
    v["malformed_truncated_option"] = good[:at] + bytes([51, 40]) + good[at + 2:at + 6]
    v["malformed_no_cookie"] = good[:236] + b"\x00\x00\x00\x00" + good[240:]
    v["malformed_short"] = good[:200]
    v["malformed_request_not_reply"] = bytes([1]) + good[1:]
    v["malformed_no_message_type"] = reply([("server_id", SERVER), "end"])
    v["malformed_message_type_discover"] = reply([("message-type", "discover"), "end"])
    v["wrong_xid"] = reply(offer_options([(108, (1800).to_bytes(4, "big"))]), xid=XID + 1)
    v["wrong_chaddr"] = reply(offer_options([(108, (1800).to_bytes(4, "big"))]),
                              chaddr=bytes.fromhex("02005e0053ff") + bytes(10))
    return v


def dissect(hex_payload):
    frame = (Ether(src=MAC, dst="ff:ff:ff:ff:ff:ff") / IP(src="0.0.0.0", dst="255.255.255.255")
             / UDP(sport=68, dport=67) / bytes.fromhex(hex_payload))
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "dhcp.pcap")
        wrpcap(path, [frame])
        result = subprocess.run(["tshark", "-r", path, "-V"], capture_output=True, text=True)
        sys.stdout.write(result.stdout)
        if result.returncode != 0:
            sys.exit(f"tshark failed: {result.stderr}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--dissect":
        dissect(sys.argv[2])
    else:
        for name, data in vectors().items():
            print(name, data.hex())
