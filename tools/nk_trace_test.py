#!/usr/bin/env python3
"""End-to-end test of tools/nk_trace (usage: nk_trace_test.py NK_TRACE)."""
import os
import pathlib
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
TRACES = ROOT / "props" / "traces"
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    print(("ok   " if ok else "FAIL ") + name + ("" if ok else "\n" + detail))
    passed += ok
    failed += not ok


def run(*args):
    return subprocess.run([sys.argv[1], *map(str, args)], capture_output=True, text=True, timeout=240)


def main():
    plain = sorted(p for p in TRACES.glob("explorer-*.trace"))
    r = run("replay", *plain)
    check("replay: the explorer traces replay as they expect", r.returncode == 0 and
          f"{len(plain)} passed, 0 failed" in r.stdout, r.stdout + r.stderr)

    with tempfile.TemporaryDirectory() as scratch:
        out = pathlib.Path(scratch) / "found.trace"
        r = run("explore", "--profile", "linux-7.1.0", "--depth", "3", "--out", out)
        check("explore linux-7.1.0: exit 1 with the violation", r.returncode == 1 and "INV-QL-10" in r.stdout and
              "VIOLATION after 2 step(s)" in r.stdout, r.stdout + r.stderr)
        check("explore: the trace file is written and replays to the violation",
              out.exists() and run("replay", out).returncode == 0)
        snippet = run("snippet", out, "teardown")
        check("snippet: a GoogleTest case", snippet.returncode == 0 and
              "TEST(trace_regression, teardown)" in snippet.stdout, snippet.stdout)
        shown = run("show", out)
        check("show: numbered steps", shown.returncode == 0 and "  11: " in shown.stdout, shown.stdout)

        # A trace whose expectation is wrong fails its replay.
        wrong = pathlib.Path(scratch) / "wrong.trace"
        wrong.write_text(out.read_text().replace("expect violation INV-QL-10", "expect clean"))
        r = run("replay", wrong)
        check("replay: a trace that does not replay as it expects fails", r.returncode == 1 and
              "DIFFERENT" in r.stdout, r.stdout)

        bad = pathlib.Path(scratch) / "bad.trace"
        bad.write_text("# netkit-model trace 1\nstep create_network\n")
        r = run("replay", bad)
        check("replay: a malformed trace names its line", r.returncode == 1 and "line 2" in r.stderr, r.stderr)

    r = run("explore", "--depth", "2")
    check("explore newest: no violation within the bound", r.returncode == 0 and "no violation" in r.stdout,
          r.stdout + r.stderr)
    r = run("explore", "--scope", "lifecycle", "--depth", "3", "--max-states", "20")
    check("explore: a state bound is reported as incomplete (exit 3)", r.returncode == 3, r.stdout + r.stderr)
    for args in (["explore", "--profile", "linux-9"], ["explore", "--depth", "x"], ["explore", "--scope", "all"],
                 ["frobnicate"], []):
        r = run(*args)
        check(f"usage error {args}: exit 2", r.returncode == 2, r.stdout + r.stderr)
    r = run("show", "/nonexistent.trace")
    check("show: a missing file is an error", r.returncode == 1 and "cannot open" in r.stderr, r.stderr)

    seed = ROOT / "fuzz" / "corpus" / "world_ops"
    seeds = sorted(p for p in seed.iterdir() if p.stat().st_size > 0)
    r = run("from-bytes", seeds[0])
    check("from-bytes: a fuzz input as a trace", r.returncode == 0 and "source libfuzzer" in r.stdout,
          r.stdout + r.stderr)

    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
