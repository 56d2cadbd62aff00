#!/usr/bin/env python3
"""The explorer against SPIN on the same queue/lease machine, in one run.

The explorer's goal (check/explorer.hpp): at least 2x the states/s of SPIN
and at most half its memory per stored state on an equivalent model of the
queue/lease machine, with equal state counts. The equivalent model is
bench/lease_machine.pml, the output of `bench_explorer --promela N` for the
benchmark configuration (check/lease_machine.hpp, lease_machine::
benchmark_config); both read their transition relation from
model::physical_queue_table.

What runs, on this machine, one after the other:
  * `bench_explorer --report N`: the explorer, breadth-first, no depth bound.
    bytes/state = explore_report::bytes_per_state: the peak of visited table +
    per-state trace data (parent, label) + the two frontier levels, divided by
    the states stored. Its time is explore_report::seconds.
  * SPIN: `spin -a` on the checked-in model in a scratch directory, pan.c
    compiled with gcc -O2 -DSAFETY -DNOREDUCE -DMEMLIM=<MiB>: a plain
    exhaustive safety search (no never claim, no cycle detection, no partial
    order reduction - one process, it would change nothing - no bitstate, no
    state compression beyond SPIN's default byte masking). Run with
    -w<ceil(log2 states)> (a hash table with at least one slot per state:
    SPIN chains, so load <= 1 costs it nothing) and -m<depth> with the depth
    the search needs: a first, untimed run with -m<states+1> (a DFS path
    holds distinct states, so that is enough) finds SPIN's depth, and the
    reported run gets -m<that depth + 1%>, so SPIN's preallocated DFS stack is
    as small as this search allows. bytes/state = "total actual memory
    usage" / "states, stored": everything pan allocated (stored states, hash
    table, DFS stack, process stacks), in SPIN's megabytes (2^20 bytes). Its
    time is pan's "elapsed time".
  * extra rows (not judged): SPIN with -DCOLLAPSE (its state compression)
    and SPIN's breadth-first search (-DBFS, no -m).

Asserts SPIN's stored states equal the explorer's states and SPIN's
transitions equal the explorer's plus one (SPIN counts the initial state:
"transitions (= stored+matched)"); exits 1 otherwise, or when the checked-in
model is not what the generator prints. PASS/FAIL against the goals is
printed and, with --strict, a FAIL exits 1 too. Without spin on PATH:
"spin not found: comparison skipped", exit 0.

usage: spin_compare.py [--explorer PATH] [--model PATH] [--runs R]
                       [--no-extra] [--strict]
"""

import argparse
import math
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MIB = 1048576.0


def fail(message):
    print("spin_compare: " + message, file=sys.stderr)
    sys.exit(1)


def find_explorer(given):
    candidates = [given] if given else []
    if not given:
        if os.environ.get("BENCH_EXPLORER"):
            candidates.append(os.environ["BENCH_EXPLORER"])
        for build in ("build", "builddir", "build-release", "_build"):
            candidates.append(os.path.join(ROOT, build, "bench", "bench_explorer"))
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    fail("bench_explorer not found (pass --explorer PATH or set BENCH_EXPLORER); tried: " + ", ".join(candidates))


LAST_CPU = [0.0]


def run(cmd, cwd=None):
    """Runs cmd; its user+system CPU seconds are left in LAST_CPU[0]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    LAST_CPU[0] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        fail("%s exited %d:\n%s%s" % (" ".join(cmd), done.returncode, done.stdout[-4000:], done.stderr[-4000:]))
    return done.stdout


def ours(explorer, queues):
    line = run([explorer, "--report", str(queues)]).strip()
    fields = dict(item.split("=", 1) for item in line.split())
    return {
        "cpu": LAST_CPU[0],
        "states": int(fields["states"]),
        "transitions": int(fields["transitions"]),
        "depth": int(fields["depth"]),
        "seconds": float(fields["seconds"]),
        "bytes_per_state": float(fields["bytes_per_state"]),
        "peak_bytes": int(fields["peak_bytes"]),
        "complete": fields.get("complete") == "1",
    }


def number(pattern, text, what):
    m = re.search(pattern, text, re.MULTILINE)
    if not m:
        fail("no '%s' in pan's output:\n%s" % (what, text[-3000:]))
    return float(m.group(1))


def pan(cmd, cwd):
    result = parse_pan(run(cmd, cwd=cwd))
    result["cpu"] = LAST_CPU[0]
    return result


def parse_pan(text):
    if re.search(r"errors: [1-9]", text):
        fail("pan reported errors:\n" + text[-3000:])
    if "max search depth too small" in text:
        fail("pan's -m was too small:\n" + text[-3000:])
    out = {
        "vector": int(number(r"State-vector (\d+) byte", text, "State-vector")),
        "depth": int(number(r"depth reached (\d+)", text, "depth reached")),
        "states": int(number(r"^\s*(\S+) states, stored", text, "states, stored")),
        "transitions": int(number(r"^\s*(\S+) transitions \(= stored\+matched\)", text, "transitions")),
        "total_mib": number(r"^\s*(\S+)\s+total actual memory usage", text, "total actual memory usage"),
        "seconds": number(r"pan: elapsed time (\S+) seconds", text, "elapsed time"),
    }
    for key, pattern in (
        ("states_mib", r"^\s*(\S+)\s+actual memory usage for states"),
        ("hash_mib", r"^\s*(\S+)\s+memory used for hash table"),
        ("stack_mib", r"^\s*(\S+)\s+memory used for DFS stack"),
        ("other_mib", r"^\s*(\S+)\s+other \(proc and chan stacks\)"),
    ):
        m = re.search(pattern, text, re.MULTILINE)
        out[key] = float(m.group(1)) if m else 0.0
    out["bytes_per_state"] = out["total_mib"] * MIB / out["states"] if out["states"] else 0.0
    return out


def build_pan(scratch, name, flags):
    run(["gcc", "-O2", "-DSAFETY", "-DNOREDUCE", "-DMEMLIM=65536"] + flags + ["-o", name, "pan.c"], cwd=scratch)
    return os.path.join(scratch, name)


def median_run(runs, once):
    results = [once() for _ in range(runs)]
    results.sort(key=lambda r: r["seconds"])
    return results[len(results) // 2]


def rate(r):
    return r["states"] / r["seconds"] if r["seconds"] > 0 else float("inf")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--explorer", help="the bench_explorer binary")
    parser.add_argument("--model", default=os.path.join(ROOT, "bench", "lease_machine.pml"))
    parser.add_argument("--runs", type=int, default=1, help="runs of each search; the median time is reported")
    parser.add_argument("--no-extra", action="store_true", help="skip the COLLAPSE and BFS rows")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal fails")
    args = parser.parse_args()

    spin = shutil.which("spin")
    if spin is None:
        print("spin not found: comparison skipped")
        return 0
    if shutil.which("gcc") is None:
        print("gcc not found: comparison skipped")
        return 0
    explorer = find_explorer(args.explorer)

    with open(args.model) as f:
        model = f.read()
    m = re.search(r"^#define QUEUES (\d+)$", model, re.MULTILINE)
    if not m:
        fail("no '#define QUEUES' in " + args.model)
    queues = int(m.group(1))
    if run([explorer, "--promela", str(queues)]) != model:
        fail("%s is not what `bench_explorer --promela %d` prints: regenerate it" % (args.model, queues))

    mine = median_run(args.runs, lambda: ours(explorer, queues))
    if not mine["complete"]:
        fail("the explorer did not complete")

    rows = []
    with tempfile.TemporaryDirectory(prefix="spin_compare.") as scratch:
        shutil.copy(args.model, os.path.join(scratch, "lease_machine.pml"))
        run([spin, "-a", "lease_machine.pml"], cwd=scratch)
        w = max(10, math.ceil(math.log2(max(mine["states"], 2))))

        plain = build_pan(scratch, "pan", [])
        probe = pan([plain, "-m%d" % (mine["states"] + 1), "-w%d" % w], scratch)
        depth = probe["depth"] + max(100, probe["depth"] // 100)
        rows.append(("SPIN DFS (plain)", "-m%d -w%d" % (depth, w),
                     median_run(args.runs, lambda: pan([plain, "-m%d" % depth, "-w%d" % w], scratch))))
        if not args.no_extra:
            collapse = build_pan(scratch, "pan_collapse", ["-DCOLLAPSE"])
            rows.append(("SPIN DFS -DCOLLAPSE", "-m%d -w%d" % (depth, w),
                         median_run(args.runs,
                                    lambda: pan([collapse, "-m%d" % depth, "-w%d" % w], scratch))))
            bfs = build_pan(scratch, "pan_bfs", ["-DBFS"])
            rows.append(("SPIN BFS -DBFS", "-w%d" % w,
                         median_run(args.runs, lambda: pan([bfs, "-w%d" % w], scratch))))

    for name, _, r in rows:
        if r["states"] != mine["states"]:
            fail("state counts differ: explorer %d, %s %d" % (mine["states"], name, r["states"]))
        if r["transitions"] != mine["transitions"] + 1:
            fail("transition counts differ: explorer %d (+1 for SPIN's initial state), %s %d"
                 % (mine["transitions"], name, r["transitions"]))

    print("lease_machine, %d queues (bench/lease_machine.pml): %d states, %d transitions (SPIN: %d), BFS depth %d"
          % (queues, mine["states"], mine["transitions"], mine["transitions"] + 1, mine["depth"]))
    print("%s; pan built with gcc -O2 -DSAFETY -DNOREDUCE -DMEMLIM=65536; %d run(s) each, median time"
          % (run([spin, "-V"]).strip(), args.runs))
    print()
    header = "%-20s %-17s %9s %8s %11s %7s %12s %7s %8s %8s" % (
        "search", "pan flags", "states", "seconds", "states/s", "ours/x", "bytes/state", "ours/x", "cpu s", "ours/x")
    print(header)
    print("-" * len(header))
    print("%-20s %-17s %9d %8.3f %11.0f %7s %12.1f %7s %8.3f %8s" % (
        "explorer (ours)", "--report %d" % queues, mine["states"], mine["seconds"], rate(mine), "",
        mine["bytes_per_state"], "", mine["cpu"], ""))
    for name, flags, r in rows:
        print("%-20s %-17s %9d %8.3f %11.0f %6.2fx %12.1f %6.2fx %8.3f %7.2fx" % (
            name, flags, r["states"], r["seconds"], rate(r), rate(mine) / rate(r), r["bytes_per_state"],
            mine["bytes_per_state"] / r["bytes_per_state"], r["cpu"], r["cpu"] / mine["cpu"] if mine["cpu"] else 0))
    print()
    print("seconds: each search's own clock (explore_report::seconds; pan's elapsed time, 10 ms ticks), wall time;")
    print("cpu s: the whole process's user+system CPU time (start-up and allocation included), shown as a")
    print("check on a loaded machine; ours/x: states/s and CPU time as speed-ups, bytes/state as a fraction.")
    print()
    spin_plain = rows[0][2]
    print("SPIN memory (MiB): states %.3f + hash table %.3f + DFS stack %.3f + other %.3f = total %.3f; "
          "state vector %d bytes, DFS depth %d"
          % (spin_plain["states_mib"], spin_plain["hash_mib"], spin_plain["stack_mib"], spin_plain["other_mib"],
             spin_plain["total_mib"], spin_plain["vector"], spin_plain["depth"]))
    print("explorer memory: peak %d bytes (visited table + parent/label per state + frontier)" % mine["peak_bytes"])
    print()
    speed = rate(mine) / rate(spin_plain)
    memory = mine["bytes_per_state"] / spin_plain["bytes_per_state"]
    speed_ok = speed >= 2.0
    memory_ok = memory <= 0.5
    print("goal states/s    >= 2x SPIN:   %s (%.2fx)" % ("PASS" if speed_ok else "FAIL", speed))
    print("goal bytes/state <= 1/2 SPIN:  %s (%.2fx)" % ("PASS" if memory_ok else "FAIL", memory))
    print("goal equal state counts:       PASS (%d)" % mine["states"])
    if args.strict and not (speed_ok and memory_ok):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
