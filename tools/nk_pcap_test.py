#!/usr/bin/env python3
"""End-to-end tests of the nk_pcap tool (tools/nk_pcap.cpp).

    tools/nk_pcap_test.py PATH/TO/nk_pcap
    tools/nk_pcap_test.py --sample FILE     (write the capture of docs/pcap-tool.md)

Runs the built tool the way a user does, on captures generated here, and
checks what it writes:

  * the RSS distribution: every IP frame's queue (--frames) equals the one an
    independent Python Toeplitz implementation gives for the tuple the frame
    was built with (softnic.md SN-RSS-02…07), under the default and under a
    custom key, indirection table and hash fields; the Python hash itself
    reproduces the published Microsoft verification values first;
  * the totals: per-queue counts, endpoint counts and the tool's own checks
    add up to the number of frames;
  * the outcomes of a set-up with a lease, a zero-copy area, netkit programs
    and policies, a single device and a stopped peer, frame for frame;
  * every capture written with --write-dir is read by tcpdump -nn -r (Debian
    package tcpdump; tools/setup installs it) with the endpoint's frame count
    and the original timestamps;
  * pcapng input gives the same answer as classic pcap;
  * hostile captures (truncated header, a record past the end, an absurd
    snapshot length, broken pcapng blocks, another link type, random bytes)
    and bad set-ups give a one-line error with exit 2, never a crash; a
    refused set-up names the model's errno and extack.

Prints one line per case and ends with "N passed, M failed" (the line
tools/nk.py reads); exit 1 if any case failed. Standard library only.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

TOOL: Path
WORK: Path

LINKTYPE_ETHERNET = 1
LINKTYPE_NETLINK = 253

# softnic.md SN-RSS-01: the Microsoft verification key.
MICROSOFT_KEY = bytes.fromhex(
    "6d5a56da255b0ec24167253d43a38fb0d0ca2bcbae7b30b477cb2da38030f20c6a42b73bbeac01fa"
)
TABLE_SIZE = 128  # SN-RSS-05: the softnic's indirection table


# --------------------------------------------------------------------------
# Running the tool


class Run:
    def __init__(self, args, completed):
        self.args = args
        self.rc = completed.returncode
        self.out = completed.stdout.decode("utf-8", "replace")
        self.err = completed.stderr.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.out)


def run(*args):
    completed = subprocess.run(
        [str(TOOL), *[str(a) for a in args]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=300,
        cwd=WORK,
    )
    return Run(args, completed)


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_rc(r, rc):
    expect(
        r.rc == rc,
        f"exit {r.rc}, expected {rc}: nk_pcap {' '.join(map(str, r.args))}\nstderr: {r.err}",
    )


def expect_refused(r, *fragments):
    expect_rc(r, 2)
    expect(r.err.startswith("nk_pcap: "), f"stderr: {r.err!r}")
    for fragment in fragments:
        expect(fragment in r.err, f"{fragment!r} not in stderr: {r.err!r}")
    expect(r.err.count("\n") == 1, f"one line: {r.err!r}")


def replay(*args):
    """Runs the tool with --format json --frames; returns the parsed report."""
    r = run("--format", "json", "--frames", *args)
    expect_rc(r, 0)
    report = r.json()
    expect_totals(report)
    return report


def expect_totals(report):
    frames = report["frames"]
    expect(sum(q["frames"] for q in report["queues"]) == frames, "per-queue counts add up")
    expect(sum(e["frames"] for e in report["endpoints"]) == frames, "endpoint counts add up")
    totals = report["totals"]
    expect(totals["delivered"] + totals["dropped"] == frames, "delivered + dropped = frames")
    expect(totals["balanced"], f"the tool's checks: {totals['checks']}")
    for c in totals["checks"]:
        expect(c["expected"] == c["got"], f"check {c}")
    expect(len(report["trace"]) == frames, "one trace entry per frame")


def endpoints(report):
    return {e["name"]: e["frames"] for e in report["endpoints"]}


# --------------------------------------------------------------------------
# Toeplitz, written here from the specification (softnic.md SN-RSS-02):
# for every set bit i of the input, most significant bit of byte 0 first,
# xor in key bits i … i+31.


def toeplitz(key, data):
    k = int.from_bytes(key, "big")
    width = len(key) * 8
    result = 0
    for i in range(len(data) * 8):
        if data[i // 8] & (0x80 >> (i % 8)):
            result ^= (k >> (width - 32 - i)) & 0xFFFFFFFF
    return result


def ip4(text):
    return bytes(int(x) for x in text.split("."))


def ip6(text):
    head, _, tail = text.partition("::")
    groups = [int(g, 16) for g in head.split(":") if g]
    rest = [int(g, 16) for g in tail.split(":") if g]
    groups += [0] * (8 - len(groups) - len(rest)) + rest
    return b"".join(struct.pack("!H", g) for g in groups)


# The published verification table ("Verifying the RSS Hash Calculation"):
# (source, source port, destination, destination port, 2-tuple, 4-tuple).
VERIFICATION = [
    (ip4("66.9.149.187"), 2794, ip4("161.142.100.80"), 1766, 0x323E8FC2, 0x51CCC178),
    (ip4("199.92.111.2"), 14230, ip4("65.69.140.83"), 4739, 0xD718262A, 0xC626B0EA),
    (ip4("24.19.198.95"), 12898, ip4("12.22.207.184"), 38024, 0xD2D0A5DE, 0x5C2B394A),
    (ip4("38.27.205.30"), 48228, ip4("209.142.163.6"), 2217, 0x82989176, 0xAFC7327F),
    (ip4("153.39.163.191"), 44251, ip4("202.188.127.2"), 1303, 0x5D1809C5, 0x10E828A2),
    (ip6("3ffe:2501:200:1fff::7"), 2794, ip6("3ffe:2501:200:3::1"), 1766, 0x2CC18CD5, 0x40207D3D),
    (ip6("3ffe:501:8::260:97ff:fe40:efab"), 14230, ip6("ff02::1"), 4739, 0x0F0C461C, 0xDDE51BBF),
    (ip6("3ffe:1900:4545:3:200:f8ff:fe21:67cf"), 44251, ip6("fe80::200:f8ff:fe21:67cf"), 38024,
     0x4B61E985, 0x02D1FEEF),
]


def expected_queue(flow, key=MICROSOFT_KEY, table=None, fields=None, queues=4):
    """The queue of a frame built from `flow` (None: not IP → queue 0, SN-RSS-04)."""
    if flow is None:
        return 0
    fields = fields or {}
    family, kind, src, dst, ports = flow
    v = "4" if family == 4 else "6"
    choice = fields.get(kind + v, "sdfn" if kind in ("tcp", "udp") else "sd")
    if choice == "none":
        return 0
    data = src + dst
    if choice == "sdfn" and ports is not None:
        data += struct.pack("!HH", *ports)
    table = table or [i % queues for i in range(TABLE_SIZE)]
    return table[toeplitz(key, data) % len(table)]


# --------------------------------------------------------------------------
# Frames and captures, written here independently of the code under test


def ethernet(payload, ethertype, vlans=()):
    header = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01"
    for tpid, vid in vlans:
        header += struct.pack("!HH", tpid, vid)
    return header + struct.pack("!H", ethertype) + payload


def ipv4(protocol, src, dst, l4, fragment=0, options=b""):
    ihl = 5 + len(options) // 4
    header = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, 4 * ihl + len(l4), 0x1234, fragment, 64, protocol, 0,
                         src, dst)
    return header + options + l4


def ipv6(next_header, src, dst, l4):
    return struct.pack("!IHBB16s16s", 0x60000000, len(l4), next_header, 64, src, dst) + l4


def tcp(sport, dport):
    return struct.pack("!HHIIBBHHH", sport, dport, 1, 0, 0x50, 0x02, 8192, 0, 0)


def udp(sport, dport, size=8):
    return struct.pack("!HHHH", sport, dport, 8 + size, 0) + bytes(size)


def mixed_frames(seed=1, n=240):
    """(frame bytes, flow) pairs: IPv4/IPv6 TCP/UDP flows, VLAN and QinQ,
    IPv4 options, IPv4 and IPv6 fragments, other IP protocols, ARP, and
    garbage (random bytes, frames shorter than an Ethernet header)."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        kind = i % 12
        sport, dport = rng.randrange(1024, 65536), rng.choice((80, 443, 53, 4789, rng.randrange(1, 65536)))
        s4, d4 = bytes([10, 0, rng.randrange(256), rng.randrange(1, 255)]), bytes([192, 168, 1, rng.randrange(1, 255)])
        s6 = bytes.fromhex("20010db8000000000000000000") + bytes(rng.randrange(256) for _ in range(3))
        d6 = bytes.fromhex("fd00000000000000000000000000") + bytes(rng.randrange(256) for _ in range(2))
        if kind == 0:
            out.append((ethernet(ipv4(6, s4, d4, tcp(sport, dport)), 0x0800), (4, "tcp", s4, d4, (sport, dport))))
        elif kind == 1:
            out.append((ethernet(ipv4(17, s4, d4, udp(sport, dport, 32)), 0x0800),
                        (4, "udp", s4, d4, (sport, dport))))
        elif kind == 2:
            out.append((ethernet(ipv6(6, s6, d6, tcp(sport, dport)), 0x86DD), (6, "tcp", s6, d6, (sport, dport))))
        elif kind == 3:
            out.append((ethernet(ipv6(17, s6, d6, udp(sport, dport)), 0x86DD), (6, "udp", s6, d6, (sport, dport))))
        elif kind == 4:  # 802.1Q
            out.append((ethernet(ipv4(17, s4, d4, udp(sport, dport)), 0x0800, [(0x8100, 100)]),
                        (4, "udp", s4, d4, (sport, dport))))
        elif kind == 5:  # 802.1ad + 802.1Q, IPv6 TCP
            out.append((ethernet(ipv6(6, s6, d6, tcp(sport, dport)), 0x86DD, [(0x88A8, 10), (0x8100, 20)]),
                        (6, "tcp", s6, d6, (sport, dport))))
        elif kind == 6:  # IPv4 first fragment (MF) and a later one: 2-tuple
            fragment = 0x2000 if rng.random() < 0.5 else 0x0010
            out.append((ethernet(ipv4(17, s4, d4, udp(sport, dport, 64), fragment=fragment), 0x0800),
                        (4, "other", s4, d4, None)))
        elif kind == 7:  # IPv6 fragment header: 2-tuple
            fragment_header = struct.pack("!BBHI", 17, 0, 1, rng.randrange(1 << 32))
            out.append((ethernet(ipv6(44, s6, d6, fragment_header + udp(sport, dport)), 0x86DD),
                        (6, "other", s6, d6, None)))
        elif kind == 8:  # IPv4 with options, TCP
            out.append((ethernet(ipv4(6, s4, d4, tcp(sport, dport), options=b"\x01\x01\x01\x00"), 0x0800),
                        (4, "tcp", s4, d4, (sport, dport))))
        elif kind == 9:  # ICMP and ICMPv6: other, 2-tuple
            if rng.random() < 0.5:
                out.append((ethernet(ipv4(1, s4, d4, b"\x08\x00" + bytes(30)), 0x0800), (4, "other", s4, d4, None)))
            else:
                out.append((ethernet(ipv6(58, s6, d6, b"\x80\x00" + bytes(30)), 0x86DD),
                            (6, "other", s6, d6, None)))
        elif kind == 10:  # ARP: not IP
            out.append((ethernet(bytes(28), 0x0806), None))
        else:  # garbage: random bytes (some shorter than an Ethernet header)
            size = rng.choice((0, 1, 7, 13, rng.randrange(14, 200)))
            blob = bytes(rng.randrange(256) for _ in range(size))
            if size >= 14:  # not an IP EtherType, so not IP for RSS
                blob = blob[:12] + b"\x88\xb5" + blob[14:]
            out.append((blob, None))
    return out


def timestamp(i):
    """Distinct microsecond timestamps, for comparing with what tcpdump reads back."""
    return 1700000000 + i // 10, (i % 10) * 100000 + i


def write_pcap(frames, linktype=LINKTYPE_ETHERNET, snaplen=262144):
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, linktype)
    for i, frame in enumerate(frames):
        seconds, micros = timestamp(i)
        out += struct.pack("<IIII", seconds, micros, len(frame), len(frame)) + frame
    return out


def pcapng_block(kind, body):
    body += bytes(-len(body) % 4)
    length = 12 + len(body)
    return struct.pack("<II", kind, length) + body + struct.pack("<I", length)


def write_pcapng(frames, linktype=LINKTYPE_ETHERNET):
    out = pcapng_block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    # if_tsresol 9: nanoseconds.
    options = struct.pack("<HHB3x", 9, 1, 9) + struct.pack("<HH", 0, 0)
    out += pcapng_block(1, struct.pack("<HHI", linktype, 0, 262144) + options)
    for i, frame in enumerate(frames):
        seconds, micros = timestamp(i)
        ticks = seconds * 1000000000 + micros * 1000
        out += pcapng_block(6, struct.pack("<IIIII", 0, ticks >> 32, ticks & 0xFFFFFFFF, len(frame), len(frame)) + frame)
    return out


def save(name, data):
    (WORK / name).write_bytes(data)
    return name


# --------------------------------------------------------------------------
# Cases

CASES = []


def case(function):
    CASES.append(function)
    return function


@case
def the_python_toeplitz_reproduces_the_microsoft_verification_table():
    for src, sport, dst, dport, two, four in VERIFICATION:
        expect(toeplitz(MICROSOFT_KEY, src + dst) == two, f"2-tuple of {src.hex()}")
        expect(toeplitz(MICROSOFT_KEY, src + dst + struct.pack("!HH", sport, dport)) == four, f"4-tuple of {src.hex()}")


@case
def every_frame_lands_on_the_queue_an_independent_toeplitz_gives():
    # SN-RSS-02…07 with the defaults: Microsoft key, i mod 4, TCP/UDP 4-tuple.
    frames = mixed_frames()
    report = replay(save("mixed.pcap", write_pcap([f for f, _ in frames])))
    expect(report["frames"] == len(frames), "every frame replayed")
    for (frame, flow), entry in zip(frames, report["trace"]):
        expect(entry["queue"] == expected_queue(flow),
               f"frame {entry['frame']} ({flow and flow[:2]}): queue {entry['queue']}, expected {expected_queue(flow)}")
    expect(endpoints(report) == {"stack": len(frames)}, f"no consumers: everything in the stack {endpoints(report)}")
    per_queue = [0] * 4
    for _, flow in frames:
        per_queue[expected_queue(flow)] += 1
    expect([q["frames"] for q in report["queues"]] == per_queue, "per-queue distribution")


@case
def a_custom_key_table_and_hash_fields_steer_as_the_python_hash_says():
    frames = mixed_frames(seed=2)
    key = bytes(random.Random(3).randrange(256) for _ in range(40))
    table = [random.Random(4).randrange(6) for _ in range(64)]
    fields = {"udp4": "sd", "tcp6": "none", "other4": "none"}
    report = replay(
        "--queues", "6", "--rss-key", ":".join(f"{b:02x}" for b in key),
        "--indirection", ",".join(map(str, table)), "--rss-fields", "udp4=sd,tcp6=none", "--rss-fields", "other4=none",
        save("mixed.pcap", write_pcap([f for f, _ in frames])),
    )
    for (frame, flow), entry in zip(frames, report["trace"]):
        want = expected_queue(flow, key=key, table=table, fields=fields, queues=6)
        expect(entry["queue"] == want, f"frame {entry['frame']} ({flow and flow[:2]}): {entry['queue']} != {want}")
    equal = replay("--queues", "8", "--indirection", "equal:3", "mixed.pcap")
    for (frame, flow), entry in zip(frames, equal["trace"]):
        expect(entry["queue"] == expected_queue(flow, table=[i % 3 for i in range(TABLE_SIZE)]), "equal:3")


def lease_setup():
    # eth0 queue 3 leased to nk0's peer, with a zero-copy area on it (4
    # buffers the application keeps: the fifth frame finds none); queue 0 up
    # the stack into nk0 whose programs mark and pass; queue 1 into a
    # single device (no peer: dropped); queue 2 into nk1 whose peer is down.
    return [
        "--netkit", "nk0 peer=ct0 lease=3",
        "--netkit", "nks pairing=single",
        "--netkit", "nk1 peer=ct1 peer-down",
        "--prog", "nk0:mark=7", "--prog", "nk0:pass",
        "--forward", "0=nk0", "--forward", "1=nks", "--forward", "2=nk1",
        "--zcrx", "ct0:1:buffers=4:hold",
    ]


@case
def a_lease_a_zero_copy_area_programs_and_policies_decide_every_frame():
    frames = mixed_frames(seed=5)
    report = replay(*lease_setup(), save("mixed.pcap", write_pcap([f for f, _ in frames])))
    want = {}
    zero_copy = 0
    for frame, flow in frames:
        q = expected_queue(flow)
        if q == 3:
            zero_copy += 1
            name = "zcrx-ct0-q1" if zero_copy <= 4 else "drop-no-buffer"  # QL-MP-09, buffers held
        elif q == 0:
            name = "netkit-ct0" if len(frame) >= 14 else "drop-too-short"  # NK-XMIT-02
        elif q == 1:
            name = "drop-no-peer"  # NK-XMIT-14
        else:
            name = "drop-peer-down"
        want[name] = want.get(name, 0) + 1
    expect(endpoints(report) == want, f"endpoints {endpoints(report)}, expected {want}")
    marked = next(e for e in report["endpoints"] if e["name"] == "netkit-ct0")
    expect(marked["marks"] == {"7": want["netkit-ct0"]}, f"the mark program ran on every frame: {marked}")
    expect("eth0 queue 3 leased to ct0 queue 1" in report["setup"], f"setup notes {report['setup']}")
    # The same area with the application returning buffers: no drops.
    recycled = replay(*[a.replace(":hold", "") for a in lease_setup()], "mixed.pcap")
    expect("drop-no-buffer" not in endpoints(recycled), f"{endpoints(recycled)}")


@case
def verdicts_and_redirects_name_their_endpoint():
    frames = mixed_frames(seed=6, n=96)
    name = save("mixed.pcap", write_pcap([f for f, _ in frames]))
    ip = sum(1 for f, _ in frames if len(f) >= 14)
    short = len(frames) - ip
    drop = replay("--netkit", "nk0 peer=ct0 policy=drop", "--forward", "nk0", name)
    expect(endpoints(drop) == {"drop-verdict-drop": ip, "drop-too-short": short}, f"{endpoints(drop)}")
    peer = replay("--netkit", "nk0 peer=ct0", "--netkit", "nk1 peer=ct1", "--prog", "nk0:redirect-peer=nk1",
                  "--forward", "nk0", name)
    expect(endpoints(peer) == {"netkit-ct1": ip, "drop-too-short": short}, f"{endpoints(peer)}")
    egress = replay("--netkit", "nk0 peer=ct0", "--netkit", "nk1 peer=ct1", "--prog", "nk0:redirect=nk1",
                    "--forward", "nk0", name)
    expect(endpoints(egress) == {"redirect-nk1": ip, "drop-too-short": short}, f"{endpoints(egress)}")
    xdp = replay("--xdp", "drop", name)
    expect(endpoints(xdp) == {"drop-xdp-drop": len(frames)}, f"{endpoints(xdp)}")


@case
def af_xdp_sockets_receive_their_queue_and_refuse_the_others():
    frames = mixed_frames(seed=8, n=120)
    report = replay("--xsk", "eth0:1:zero-copy", "--xsk", "eth0:2:copy:frame-size=64",
                    save("mixed.pcap", write_pcap([f for f, _ in frames])))
    want = {}
    for frame, flow in frames:
        q = expected_queue(flow)
        if q == 1:
            name = "xsk-eth0-q1"
        elif q == 2:
            name = "xsk-eth0-q2" if len(frame) <= 64 else "drop-xsk-too-large"  # QL-XSK-12
        else:
            name = "drop-xsk-rejected"  # QL-XSK-11: no socket on the queue
        want[name] = want.get(name, 0) + 1
    expect(endpoints(report) == want, f"endpoints {endpoints(report)}, expected {want}")
    expect("xsk-eth0-q1 in zero-copy mode" in report["setup"], f"{report['setup']}")


def tcpdump_frames(path):
    """(count, timestamps as 'seconds.nanoseconds') of a capture, as tcpdump reads it."""
    tcpdump = shutil.which("tcpdump")
    expect(tcpdump is not None,
           "tcpdump not found: install the Debian package tcpdump (tools/setup installs it)")
    completed = subprocess.run([tcpdump, "-nn", "-tt", "--time-stamp-precision=nano", "-r", str(path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    expect(completed.returncode == 0, f"tcpdump -r {path}: {completed.stderr.decode(errors='replace')}")
    lines = completed.stdout.decode(errors="replace").splitlines()
    # A frame's first line starts with its time; decoded inner packets
    # (VXLAN, say) continue on lines of their own.
    stamps = [line.split()[0] for line in lines if re.match(r"\d+\.\d{9} ", line)]
    # An empty frame is a record tcpdump reads but prints without its time.
    empty = sum(1 for line in lines if line.startswith("[Invalid header: caplen==0, len==0]"))
    return len(stamps) + empty, stamps


@case
def tcpdump_reads_every_written_capture_with_its_frames_and_timestamps():
    frames = mixed_frames(seed=9)
    originals = {f"{s}.{u * 1000:09d}" for (s, u), (f, _) in zip(map(timestamp, range(len(frames))), frames) if f}
    name = save("mixed.pcap", write_pcap([f for f, _ in frames]))
    for setup in (lease_setup(), ["--xsk", "eth0:1:zero-copy", "--xsk", "eth0:2"], []):
        out = WORK / "out"
        shutil.rmtree(out, ignore_errors=True)
        report = replay(*setup, "--write-dir", out, name)
        written = {Path(p).name for p in report["written"]}
        expect(written == {e["name"] + ".pcap" for e in report["endpoints"]}, f"one capture per endpoint: {written}")
        seen = []
        for e in report["endpoints"]:
            count, stamps = tcpdump_frames(out / (e["name"] + ".pcap"))
            expect(count == e["frames"], f"tcpdump reads {count} frames in {e['name']}.pcap, the report says "
                                         f"{e['frames']}")
            seen += stamps
        expect(len(seen) == len(originals) and set(seen) == originals, "every original timestamp, once")


@case
def pcapng_input_gives_the_same_report_as_classic_pcap():
    frames = [f for f, _ in mixed_frames(seed=10)]
    classic = replay(*lease_setup(), save("mixed.pcap", write_pcap(frames)))
    ng = replay(*lease_setup(), save("mixed.pcapng", write_pcapng(frames)))
    for key in ("frames", "queues", "endpoints", "totals", "trace"):
        expect(classic[key] == ng[key], f"{key} differs between pcap and pcapng")


@case
def the_text_report_says_the_totals_balance():
    frames = [f for f, _ in mixed_frames(seed=11, n=48)]
    r = run("--netkit", "nk0 peer=ct0", "--forward", "nk0", save("mixed.pcap", write_pcap(frames)))
    expect_rc(r, 0)
    expect(f"total {len(frames)} = " in r.out and "balanced" in r.out and "FAIL" not in r.out, r.out)
    expect("queue   frames" in r.out and "netkit-ct0" in r.out, r.out)


@case
def hostile_captures_are_refused_with_the_byte_offset():
    frames = [f for f, _ in mixed_frames(seed=12, n=20)]
    whole = write_pcap(frames)
    save("header.pcap", whole[:10])
    expect_refused(run("header.pcap"), "truncated pcap file header at byte 0")
    save("past.pcap", whole[:-5])
    expect_refused(run("past.pcap"), "record longer than the file at byte ")
    lying = bytearray(whole)
    struct.pack_into("<I", lying, 24 + 8, 0xFFFFFF00)  # the first record's captured length
    save("lying.pcap", bytes(lying))
    expect_refused(run("lying.pcap"), "record longer than the file at byte 24")
    save("snaplen.pcap", write_pcap(frames, snaplen=0xFFFFFFFF))
    expect_refused(run("snaplen.pcap"), "snapshot length 4294967295 is absurd", "at byte 16")
    big = write_pcap([bytes(300000)], snaplen=65535)
    save("oversnap.pcap", big)
    expect_refused(run("oversnap.pcap"), "record longer than the snapshot length at byte 24")
    save("header-only.pcapng", write_pcapng(frames)[:30])
    expect_refused(run("header-only.pcapng"), "at byte ")
    ng = bytearray(write_pcapng(frames))
    struct.pack_into("<I", ng, 4, 0x7FFFFFF0)  # the section header's length
    save("block.pcapng", bytes(ng))
    expect_refused(run("block.pcapng"), "bad block length at byte 4")
    save("netlink.pcap", write_pcap([bytes(40)], linktype=LINKTYPE_NETLINK))
    expect_refused(run("netlink.pcap"), "packet 1 has link type 253", "not Ethernet (1)")
    save("raw-ip.pcapng", write_pcapng(frames, linktype=101))
    expect_refused(run("raw-ip.pcapng"), "packet 1 has link type 101")
    save("empty.pcap", b"")
    expect_refused(run("empty.pcap"), "not a capture file at byte 0")
    expect_refused(run("missing.pcap"), "cannot read missing.pcap")
    rng = random.Random(13)
    for i in range(40):
        data = bytearray(whole if i % 2 == 0 else write_pcapng(frames))
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if i % 5 == 0:
            data = data[: rng.randrange(len(data))]
        save("flipped.pcap", bytes(data))
        r = run("--format", "json", "--netkit", "nk0 peer=ct0", "--forward", "nk0", "flipped.pcap")
        expect(r.rc in (0, 2), f"exit {r.rc} on a corrupted capture: {r.err}")
        if r.rc == 0:
            expect(r.json()["totals"]["balanced"], "balanced")
        else:
            expect(r.err.startswith("nk_pcap: ") and r.err.count("\n") == 1, f"stderr: {r.err!r}")


@case
def a_refused_set_up_names_the_models_errno_and_extack():
    name = save("small.pcap", write_pcap([f for f, _ in mixed_frames(seed=14, n=12)]))
    # SN-RSS-06, SN-RSS-01.
    expect_refused(run("--indirection", "0,1,9", name), "--indirection 0,1,9: EINVAL (22)")
    expect_refused(run("--rss-key", "00:11:22", name), "--rss-key: EINVAL (22)")
    expect_refused(run("--rss-hash", "xor", name), "--rss-hash: EOPNOTSUPP (95)")
    # QL-CRT-17: the NIC has no queue 9.
    expect_refused(run("--netkit", "nk0 lease=9", name), "lease eth0 queue 9: ERANGE (34)")
    # NK-CRT-01: IFNAMSIZ.
    expect_refused(run("--netkit", "a-very-long-netkit-name", name), "ERANGE (34): Attribute failed policy validation")
    # QL-MP-06 and SN-XDP: a provider and an XDP program exclude each other.
    expect_refused(run("--zcrx", "eth0:1", "--xsk", "eth0:2", name),
                   "--xdp on eth0: EBUSY (16): unable to install XDP to device using tcp-data-split")
    # netdevsim has no memory providers (QL-MP-01 / SN-GEN-04).
    expect_refused(run("--preset", "nsim", "--zcrx", "eth0:1", name), "--zcrx eth0:1: EOPNOTSUPP (95)")
    expect_refused(run("--preset", "nsim", "--xsk", "eth0:1:zero-copy", name), "--xsk eth0:1:zero-copy: EOPNOTSUPP (95)")
    # MP-11: a single device takes no programs.
    expect_refused(run("--netkit", "nks pairing=single", "--prog", "nks:pass", name), "--prog nks:pass: EOPNOTSUPP (95)")
    expect_refused(run("--prog", "eth0:pass", name), "eth0 is not a netkit device")
    expect_refused(run("--forward", "nk9", name), "no device named 'nk9'")
    expect_refused(run("--netkit", "nk0 lease=1", "--xsk", "nk0:1", name), "--xsk nk0:1: ")
    expect_refused(run("--bogus", name), "unknown argument '--bogus'")
    expect_refused(run(), "no capture given")
    expect_refused(run("--queues", "0", name), "--queues: '0' is not a number in [1, 1024]")
    expect_refused(run("--netkit", "nk0 pairing=single peer=x", name), "a single device has no peer")
    expect_refused(run("--prog", "nk0:jump", "--netkit", "nk0", name), "unknown program 'jump'")
    expect_refused(run("--xsk", "../x:1", name), "is not a device name")


def write_sample(path):
    frames = [f for f, _ in mixed_frames(seed=1, n=240)]
    Path(path).write_bytes(write_pcap(frames))


def main():
    global TOOL, WORK
    if len(sys.argv) == 3 and sys.argv[1] == "--sample":
        write_sample(sys.argv[2])
        return 0
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    TOOL = Path(sys.argv[1]).resolve()
    passed = failed = 0
    for function in CASES:
        with tempfile.TemporaryDirectory(prefix="nk_pcap_test.") as scratch:
            WORK = Path(scratch)
            try:
                function()
            except Exception as e:  # noqa: BLE001 - report every failure the same way
                failed += 1
                print(f"FAIL {function.__name__}: {e}")
            else:
                passed += 1
                print(f"ok   {function.__name__}")
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
