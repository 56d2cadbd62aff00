#!/usr/bin/env python3
"""End-to-end tests of the nk_netlink tool (tools/nk_netlink.cpp).

    tools/nk_netlink_test.py PATH/TO/nk_netlink

Runs the built tool the way a user does and checks what it writes:

  * a scenario across invocations: rtnetlink requests made with the
    library's encoders (--encode-only) create a netkit pair and move its peer
    to netns "blue"; the world is saved; a second invocation loads it and,
    from a socket in "blue", leases a NIC queue over generic netlink; text,
    JSON and raw outputs, the saved journal and its replay are checked;
  * --compare on captures made here: replies that match the model (with
    the capture's own port id) give exit 0, a reply changed in exactly one
    attribute is reported as exactly that attribute, with the bytes in hex,
    and exit 1;
  * hostile input (truncated or random request bytes, random or truncated
    captures, captures of the wrong link type, broken world files, bad
    options) gives a one-line error and exit 2, never a crash.

Rule IDs in the comments follow tools/conformance.py's convention (written
out in full). Prints one line per case and ends with "N passed, M failed"
(the line tools/nk.py reads); exit 1 if any case failed. Standard library
only.
"""

from __future__ import annotations

import json
import random
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

TOOL: Path
WORK: Path

LINKTYPE_NETLINK = 253
PACKET_USER = 6
PACKET_KERNEL = 7
NLMSG_ERROR = 2
RTM_NEWLINK = 16
RTM_SETLINK = 19
IFLA_LINKINFO = 18
IFLA_INFO_DATA = 2
IFLA_NETKIT_MODE = 5


# --------------------------------------------------------------------------
# Running the tool


class Run:
    def __init__(self, args, completed):
        self.args = args
        self.rc = completed.returncode
        self.out = completed.stdout
        self.err = completed.stderr.decode("utf-8", "replace")

    @property
    def text(self):
        return self.out.decode("utf-8")

    def json(self):
        return json.loads(self.out)


def run(*args, stdin=None):
    completed = subprocess.run(
        [str(TOOL), *[str(a) for a in args]],
        input=stdin,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        timeout=120,
        cwd=WORK,
    )
    return Run(args, completed)


def expect(condition, what):
    if not condition:
        raise AssertionError(what)


def expect_rc(r, rc):
    expect(
        r.rc == rc,
        f"exit {r.rc}, expected {rc}: nk_netlink {' '.join(map(str, r.args))}\nstderr: {r.err}",
    )


# --------------------------------------------------------------------------
# Netlink and pcap, written here independently of the code under test


def messages(buf):
    """(type, flags, seq, pid, whole message bytes) for each nlmsghdr-framed message."""
    out = []
    at = 0
    while at + 16 <= len(buf):
        length, mtype, flags, seq, pid = struct.unpack_from("<IHHII", buf, at)
        if length < 16 or at + length > len(buf):
            raise AssertionError(f"broken message at byte {at}")
        out.append((mtype, flags, seq, pid, bytes(buf[at : at + length])))
        at += (length + 3) & ~3
    expect(at >= len(buf), f"{len(buf) - at} bytes after the last message")
    return out


def attributes(buf, start):
    """(type without flags, payload offset, payload length) of each nlattr from `start`."""
    out = []
    at = start
    while at + 4 <= len(buf):
        length, atype = struct.unpack_from("<HH", buf, at)
        if length < 4 or at + length > len(buf):
            break
        out.append((atype & 0x3FFF, at + 4, length - 4))
        at += (length + 3) & ~3
    return out


def find_attribute(buf, start, end, path):
    """Offset of the payload of the attribute at `path` (ids), or None."""
    region = buf[:end]
    for atype, payload, length in attributes(region, start):
        if atype == path[0]:
            if len(path) == 1:
                return payload
            return find_attribute(buf, payload, payload + length, path[1:])
    return None


def read_pcap(data):
    magic = struct.unpack_from("<I", data, 0)[0]
    expect(magic in (0xA1B2C3D4, 0xA1B23C4D), "not a little-endian classic pcap")
    linktype = struct.unpack_from("<I", data, 20)[0]
    packets = []
    at = 24
    while at < len(data):
        sec, frac, caplen, origlen = struct.unpack_from("<IIII", data, at)
        packets.append(((sec, frac), bytes(data[at + 16 : at + 16 + caplen])))
        at += 16 + caplen
    return linktype, packets


def write_pcap(packets, linktype=LINKTYPE_NETLINK):
    out = bytearray(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
    for i, data in enumerate(packets):
        out += struct.pack("<IIII", 1700000000, i, len(data), len(data)) + data
    return bytes(out)


def netlink_packet(to_kernel, protocol, payload):
    direction = PACKET_KERNEL if to_kernel else PACKET_USER
    return struct.pack(">HH10xH", direction, 824, protocol) + payload


def split_packet(data):
    direction, _, protocol = struct.unpack(">HH10xH", data[:16])
    return direction == PACKET_KERNEL, protocol, data[16:]


# --------------------------------------------------------------------------
# Cases

CASES = []


def case(function):
    CASES.append(function)
    return function


def encode(*requests, output):
    args = ["--encode-only", "--format", "raw", "--output", output]
    for r in requests:
        args += ["--encode", r]
    r = run(*args)
    expect_rc(r, 0)
    return (WORK / output).read_bytes()


WORLD_SETUP = ["--netns", "blue", "--netns-id", "init:blue:1", "--netns-id", "blue:init:0", "--nic", "4:hwnic"]


def first_session():
    """The set-up and the rtnetlink requests of the scenario; returns its JSON output."""
    create = encode(
        "setlink eth0 up",
        "netkit nk0 peer=nk1 mode=l2 peer-rx-queues=2",
        "setlink nk1 netnsid=1",
        output="create.bin",
    )
    r = run(*WORLD_SETUP, "--input", "create.bin", "--ext-ack", "--save", "s1.world", "--format", "json", "--list")
    expect_rc(r, 0)
    return create, r.json()


def device(listing, netns, name):
    for ns in listing["netns"]:
        if ns["name"] == netns:
            for d in ns["devices"]:
                if d["name"] == name:
                    return d
    raise AssertionError(f"no device {name} in netns {netns}")


@case
def encoded_requests_are_nlmsghdr_framed_rtnetlink_messages():
    # NL-HDR-01, NL-HDR-03, NL-RT-01: three messages, in order, each a request asking for an ack.
    create = encode(
        "setlink eth0 up",
        "netkit nk0 peer=nk1 mode=l2 peer-rx-queues=2",
        "setlink nk1 netnsid=1",
        output="create.bin",
    )
    got = messages(create)
    expect([m[0] for m in got] == [RTM_SETLINK, RTM_NEWLINK, RTM_SETLINK], f"types {[m[0] for m in got]}")
    expect([m[2] for m in got] == [1, 2, 3], "sequence numbers 1, 2, 3")
    expect(all(m[1] & 0x5 == 0x5 for m in got), "NLM_F_REQUEST | NLM_F_ACK on each")
    expect(got[1][1] & 0x600 == 0x600, "NLM_F_CREATE | NLM_F_EXCL on the creation (NL-FLAG-03)")


@case
def first_session_creates_the_pair_moves_the_peer_and_saves_the_world():
    # NL-FLAG-04, NL-ERR-02: each request is answered by an NLMSG_ERROR 0 with the header copied.
    # NL-RT-10: RTM_SETLINK with IFLA_TARGET_NETNSID moves nk1 to blue.
    _, out = first_session()
    exchanges = out["exchanges"]
    expect(len(exchanges) == 3, f"{len(exchanges)} exchanges")
    for e in exchanges:
        expect(e["socket"]["netns"] == "init" and e["socket"]["ext_ack"], "socket in init with ext-ack")
        expect(len(e["replies"]) == 1, "one reply each")
        reply = e["replies"][0]
        expect(reply["type_name"] == "NLMSG_ERROR", reply["type_name"])
        error = reply["body"][0]
        expect(error["name"] == "error" and error["value"] == 0, f"error {error}")
        expect("NLM_F_CAPPED" in reply["flag_names"], "a success copies only the header (NL-ERR-03)")
    creation = exchanges[1]["requests"][0]
    info = [n for n in creation["body"] if n["name"] == "IFLA_LINKINFO"][0]
    data = [n for n in info["children"] if n["name"] == "IFLA_INFO_DATA"][0]
    mode = [n for n in data["children"] if n["name"] == "IFLA_NETKIT_MODE"][0]
    expect(mode["value"] == 0 and mode["symbol"] == "NETKIT_L2", f"decoded request mode {mode}")
    world = out["world"]
    expect(device(world, "blue", "nk1")["kind"] == "netkit", "nk1 in blue")
    expect(device(world, "init", "nk0")["kind"] == "netkit", "nk0 in init")
    expect(device(world, "init", "eth0")["up"], "eth0 up")
    text = (WORK / "s1.world").read_text()
    lines = [l for l in text.splitlines() if l and not l.startswith("#")]
    expect(lines[0] == "netkit-world 1" and lines[1] == "profile newest", "journal header")
    expect(lines[2:6] == ["netns blue", "netns-id init blue 1", "netns-id blue init 0", "nic init 4 hwnic"],
           "set-up steps")
    expect(sum(l.startswith("request protocol=route netns=init caller=root") for l in lines) == 3, "three requests")
    expect(lines[-1].startswith("check world-hash=0x"), "a check line last")


def second_session_requests(world_json):
    nk1 = device(world_json, "blue", "nk1")["ifindex"]
    eth0 = device(world_json, "init", "eth0")["ifindex"]
    return encode(f"queue-create ifindex={nk1} lessor={eth0} queue=1 netns-id=0", output="lease.bin")


@case
def second_session_continues_from_blue_over_generic_netlink():
    # NL-GEN-01, NL-ND-02, NL-ND-03: queue-create from a socket in blue; the reply names the new queue.
    _, out = first_session()
    second_session_requests(out["world"])
    r = run("--world", "s1.world", "--as", "blue", "--protocol", "generic", "--input", "lease.bin",
            "--ext-ack", "--save", "s2.world")
    expect_rc(r, 0)
    text = r.text
    expect("=== exchange 1 (NETLINK_GENERIC, netns blue, caller root, port 1, ext-ack)" in text, text)
    expect("--> NETDEV_CMD_QUEUE_CREATE [netdev 0x13]" in text, "decoded request")
    expect("<-- NETDEV_CMD_QUEUE_CREATE [netdev 0x13] len 28 flags 0 seq 1 port 1\n" in text, "the reply")
    expect("\n  NETDEV_A_QUEUE_ID: 1\n" in text, "the new queue's id")
    expect("    NETDEV_A_LEASE_NETNS_ID: 0\n" in text, "the lease nest, indented")
    expect("<-- NLMSG_ERROR len 36 flags NLM_F_CAPPED seq 1 port 1\n  error: 0\n" in text, "the acknowledgement")

    # The same requests, JSON (no --save: the world file is not touched).
    j = run("--world", "s1.world", "--as", "blue", "--protocol", "generic", "--input", "lease.bin",
            "--format", "json").json()
    reply = j["exchanges"][0]["replies"][0]
    expect(reply["type_name"] == "NETDEV_CMD_QUEUE_CREATE" and reply["family"] == "netdev", str(reply))
    ids = [n for n in reply["body"] if n["name"] == "NETDEV_A_QUEUE_ID"]
    expect(len(ids) == 1 and ids[0]["value"] == 1 and ids[0]["kind"] == "attribute", str(ids))
    expect(j["exchanges"][0]["socket"]["protocol"] == "NETLINK_GENERIC", "socket protocol")

    # Raw: the reply bytes as the socket queued them.
    raw = run("--world", "s1.world", "--as", "blue", "--protocol", "generic", "--input", "lease.bin",
              "--format", "raw")
    expect_rc(raw, 0)
    got = messages(raw.out)
    expect([m[0] for m in got] == [0x13, NLMSG_ERROR], f"raw reply types {[m[0] for m in got]}")

    # A third invocation sees the lease on both sides (QL-CRT-13: blue names init as 0; QL-CRT-21).
    listing = run("--world", "s2.world", "--list", "--format", "json").json()["world"]
    expect(device(listing, "blue", "nk1")["leased_rx_queues"] == 1, "nk1 has a leased queue")
    expect(device(listing, "init", "eth0")["leased_rx_queues"] == 1, "eth0 lends a queue")
    expect(device(listing, "blue", "nk1")["real_rx_queues"] == 2, "nk1 grew a queue")


@case
def a_saved_world_replays_to_the_same_journal():
    _, out = first_session()
    second_session_requests(out["world"])
    expect_rc(run("--world", "s1.world", "--as", "blue", "--protocol", "generic", "--input", "lease.bin",
                  "--save", "s2.world", "--format", "raw", "--output", "/dev/null"), 0)
    expect_rc(run("--world", "s2.world", "--save", "s3.world"), 0)
    expect((WORK / "s2.world").read_text() == (WORK / "s3.world").read_text(), "replay and save is a fixed point")


@case
def an_error_reply_shows_the_extended_ack_with_its_policy():
    # NL-EXT-03, NL-EXT-06, NL-POL-04: queue-create with ifindex 0.
    _, out = first_session()
    r = run("--world", "s1.world", "--as", "blue", "--ext-ack", "--format", "json",
            "--encode", "queue-create ifindex=0 lessor=2 queue=1")
    expect_rc(r, 0)
    reply = r.json()["exchanges"][0]["replies"][0]
    body = {n["name"]: n for n in reply["body"]}
    expect(body["error"]["value"] == -34 and body["error"]["symbol"] == "ERANGE", str(body["error"]))
    expect(body["NLMSGERR_ATTR_MSG"]["value"] == "integer out of range", "message")
    expect(body["NLMSGERR_ATTR_OFFS"]["symbol"] == "NETDEV_A_QUEUE_IFINDEX", "offset named")
    policy = {n["name"]: n for n in body["NLMSGERR_ATTR_POLICY"]["children"]}
    expect(policy["NL_POLICY_TYPE_ATTR_TYPE"]["symbol"] == "NL_ATTR_TYPE_U32", "policy type")
    expect(policy["NL_POLICY_TYPE_ATTR_MIN_VALUE_U"]["value"] == 1, "policy minimum")
    expect(body["NLMSGERR_ATTR_POLICY"]["nla_flags"] == "NLA_F_NESTED", "POLICY flagged nested")


@case
def an_unprivileged_caller_is_refused_and_the_world_stays():
    # NL-RT-14: RTM_NEWLINK / RTM_SETLINK without CAP_NET_ADMIN → EPERM before parsing.
    create, _ = first_session()
    r = run(*WORLD_SETUP, "--input", "create.bin", "--unprivileged", "--format", "json", "--list")
    expect_rc(r, 0)
    out = r.json()
    for e in out["exchanges"]:
        expect(e["replies"][0]["body"][0]["symbol"] == "EPERM", "EPERM")
    names = [d["name"] for ns in out["world"]["netns"] for d in ns["devices"]]
    expect("nk0" not in names and "nk1" not in names, "nothing created")


def reference_capture(name):
    """A capture of requests and the model's replies, with the kernel socket's port id 31337."""
    r = run("--nic", "4", "--ext-ack", "--reply-pcap", "ref.pcap", "--format", "raw", "--output", "/dev/null",
            "--encode", "netkit nk0 peer=nk1 mode=l3",
            "--encode", "getlink nk0",
            "--encode", "getfamily netdev",
            "--encode", "queue-create ifindex=0 lessor=2 queue=1")
    expect_rc(r, 0)
    linktype, packets = read_pcap((WORK / "ref.pcap").read_bytes())
    expect(linktype == LINKTYPE_NETLINK, "LINKTYPE_NETLINK")
    directions = [split_packet(p)[0] for _, p in packets]
    expect(directions == [True, False, True, False, True, False, True, False], f"directions {directions}")
    rewritten = []
    for _, p in packets:
        to_kernel, protocol, payload = split_packet(p)
        payload = bytearray(payload)
        if not to_kernel:
            struct.pack_into("<I", payload, 12, 31337)
        rewritten.append(netlink_packet(to_kernel, protocol, bytes(payload)))
    (WORK / name).write_bytes(write_pcap(rewritten))
    return rewritten


@case
def compare_reports_no_difference_when_the_kernel_agrees():
    # NL-HDR-05: the capture's port id is its socket's; the comparison leaves it out.
    reference_capture("match.pcap")
    r = run("--nic", "4", "--pcap", "match.pcap", "--compare")
    expect_rc(r, 0)
    expect(r.text == "4 exchanges, 4 kernel replies: no differences\n", r.text)


@case
def compare_reports_exactly_the_attribute_that_differs():
    packets = reference_capture("match.pcap")
    to_kernel, protocol, payload = split_packet(packets[3])  # the RTM_NEWLINK answering getlink
    payload = bytearray(payload)
    expect(struct.unpack_from("<H", payload, 4)[0] == RTM_NEWLINK, "packet 4 is the link reply")
    at = find_attribute(payload, 32, len(payload), [IFLA_LINKINFO, IFLA_INFO_DATA, IFLA_NETKIT_MODE])
    expect(at is not None and struct.unpack_from("<I", payload, at)[0] == 1, "MODE 1 in the reply")
    struct.pack_into("<I", payload, at, 0)
    changed = list(packets)
    changed[3] = netlink_packet(to_kernel, protocol, bytes(payload))
    (WORK / "differ.pcap").write_bytes(write_pcap(changed))

    r = run("--nic", "4", "--pcap", "differ.pcap", "--compare")
    expect_rc(r, 1)
    lines = r.text.splitlines()
    reported = [l for l in lines if l.startswith("  reply ") and ": " in l and " hex:" not in l]
    expect(reported == ["  reply 1: RTM_NEWLINK / IFLA_LINKINFO / IFLA_INFO_DATA / IFLA_NETKIT_MODE: "
                        "kernel 0 (NETKIT_L2), model 1 (NETKIT_L3)"], "\n".join(lines))
    expect(lines[0].startswith("exchange 2 (packet 3, NETLINK_ROUTE: RTM_GETLINK seq 2): 1 difference"), lines[0])
    kernel_hex = [l for l in lines if l.startswith("  reply 1 kernel hex: ")][0].split(": ")[1]
    expect(bytes.fromhex(kernel_hex) == bytes(payload), "the kernel's bytes, for a bug report")
    expect(any(l.startswith("  reply 1 model hex:  ") for l in lines), "the model's bytes")
    expect(lines[-1] == "4 exchanges, 4 kernel replies: 1 exchange differs", lines[-1])

    j = run("--nic", "4", "--pcap", "differ.pcap", "--compare", "--format", "json")
    expect_rc(j, 1)
    d = j.json()["differing"]
    expect(len(d) == 1 and len(d[0]["differences"]) == 1, str(d))
    expect(d[0]["differences"][0]["path"] == "RTM_NEWLINK / IFLA_LINKINFO / IFLA_INFO_DATA / IFLA_NETKIT_MODE", "path")


@case
def compare_reports_a_different_errno():
    # NL-ERR-02: the error code of an NLMSG_ERROR.
    packets = reference_capture("match.pcap")
    to_kernel, protocol, payload = split_packet(packets[7])
    payload = bytearray(payload)
    expect(struct.unpack_from("<H", payload, 4)[0] == NLMSG_ERROR, "packet 8 is the error")
    expect(struct.unpack_from("<i", payload, 16)[0] == -34, "ERANGE in the reference")
    struct.pack_into("<i", payload, 16, -22)
    changed = list(packets)
    changed[7] = netlink_packet(to_kernel, protocol, bytes(payload))
    (WORK / "errno.pcap").write_bytes(write_pcap(changed))
    r = run("--nic", "4", "--pcap", "errno.pcap", "--compare")
    expect_rc(r, 1)
    expect("  reply 1: NLMSG_ERROR / error: kernel -22 (EINVAL), model -34 (ERANGE)\n" in r.text, r.text)


@case
def pcap_requests_are_applied_like_raw_ones():
    # Only packets to the kernel are requests; their protocol is the pseudo-header's.
    reference_capture("match.pcap")
    r = run("--nic", "4", "--pcap", "match.pcap", "--format", "json", "--list")
    expect_rc(r, 0)
    out = r.json()
    expect([e["socket"]["protocol"] for e in out["exchanges"]]
           == ["NETLINK_ROUTE", "NETLINK_ROUTE", "NETLINK_GENERIC", "NETLINK_GENERIC"], "protocols")
    expect(device(out["world"], "init", "nk0")["kind"] == "netkit", "the pair exists")


# -- hostile input: a one-line error, exit 2, no crash


def expect_refused(r, fragment):
    expect_rc(r, 2)
    expect(r.err.startswith("nk_netlink: ") and fragment in r.err, f"stderr: {r.err!r}")
    expect(r.err.count("\n") == 1, f"one line: {r.err!r}")


@case
def truncated_requests_are_refused():
    # NL-HDR-02: a message shorter than its nlmsg_len.
    create, _ = first_session()
    (WORK / "short.bin").write_bytes(create[:-5])
    expect_refused(run("--input", "short.bin"), "malformed netlink message at byte 148")
    expect_refused(run("--input", "-", stdin=create[:10]), "stdin: malformed netlink message at byte 0")


@case
def random_bytes_are_refused_or_answered_never_crash():
    rng = random.Random(5)
    for i in range(40):
        blob = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 300)))
        (WORK / "random.bin").write_bytes(blob)
        for protocol in ("route", "generic"):
            r = run("--input", "random.bin", "--protocol", protocol, "--format", "json")
            expect(r.rc in (0, 2), f"exit {r.rc} on random bytes {blob.hex()}: {r.err}")
            if r.rc == 0:
                json.loads(r.out)


@case
def well_framed_nonsense_is_answered_by_the_model():
    # NL-HDR-04 and NL-RT-01: a request of an unknown type is refused by the model, not the tool.
    message = struct.pack("<IHHII", 20, 0x7FFF, 0x5, 1, 0) + b"\xde\xad\xbe\xef"
    r = run("--input", "-", "--format", "json", stdin=message)
    expect_rc(r, 0)
    reply = r.json()["exchanges"][0]["replies"][0]
    expect(reply["type_name"] == "NLMSG_ERROR" and reply["body"][0]["symbol"] == "EOPNOTSUPP", str(reply))
    empty = run("--input", "-", stdin=b"")
    expect_rc(empty, 0)
    expect(empty.out == b"", "no requests, no output")


@case
def broken_captures_are_refused():
    rng = random.Random(7)
    (WORK / "garbage.pcap").write_bytes(bytes(rng.randrange(256) for _ in range(500)))
    expect_refused(run("--pcap", "garbage.pcap"), "not a pcap file at byte 0")
    reference_capture("match.pcap")
    whole = (WORK / "match.pcap").read_bytes()
    (WORK / "cut.pcap").write_bytes(whole[: len(whole) - 7])
    expect_refused(run("--pcap", "cut.pcap", "--compare"), "record longer than the file")
    (WORK / "ether.pcap").write_bytes(write_pcap([b"\x00" * 60], linktype=1))
    expect_refused(run("--pcap", "ether.pcap"), "not LINKTYPE_NETLINK (253)")
    (WORK / "tiny.pcap").write_bytes(write_pcap([b"\x00\x07"]))
    expect_refused(run("--pcap", "tiny.pcap"), "shorter than the 16-byte LINKTYPE_NETLINK pseudo-header")
    bad_request = netlink_packet(True, 0, struct.pack("<IHHII", 400, 16, 5, 1, 0))
    (WORK / "lying.pcap").write_bytes(write_pcap([bad_request]))
    expect_refused(run("--pcap", "lying.pcap"), "packet 1: malformed netlink message at byte 0")
    for i in range(30):
        data = bytearray(whole)
        for _ in range(4):
            data[rng.randrange(len(data))] = rng.randrange(256)
        (WORK / "flipped.pcap").write_bytes(bytes(data))
        r = run("--nic", "4", "--pcap", "flipped.pcap", "--compare")
        expect(r.rc in (0, 1, 2), f"exit {r.rc} on a corrupted capture: {r.err}")


@case
def broken_world_files_and_options_are_refused():
    (WORK / "garbage.world").write_bytes(b"\x7fELF\x02\x01\x01garbage\n")
    expect_refused(run("--world", "garbage.world"), "line 1: not a netkit-model world")
    (WORK / "bad.world").write_text("netkit-world 1\nprofile newest\nnetns blue\nnic blue lots nsim\n")
    expect_refused(run("--world", "bad.world"), "line 4: expected 'nic NETNS QUEUES nsim|hwnic'")
    (WORK / "unknown.world").write_text("netkit-world 1\nprofile newest\nrequest protocol=route netns=red "
                                        "caller=root port=1 ext-ack=0 cap-ack=0 netdev-family=19 bytes=\n")
    expect_refused(run("--world", "unknown.world"), "step 1: no netns named 'red'")
    expect_refused(run("--bogus"), "unknown argument '--bogus'")
    expect_refused(run("--nic", "init:x"), "--nic QUEUES")
    expect_refused(run("--as", "nowhere"), "no netns named 'nowhere'")
    expect_refused(run("--compare"), "--compare needs --pcap")
    expect_refused(run("--profile", "linux-9"), "unknown profile 'linux-9'")
    expect_refused(run("--encode", "netkit nk0 mode=l4"), "mode")


def main():
    global TOOL, WORK
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    TOOL = Path(sys.argv[1]).resolve()
    passed = failed = 0
    for function in CASES:
        with tempfile.TemporaryDirectory(prefix="nk_netlink_test.") as scratch:
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
