#!/usr/bin/env python3
"""Fuzz throughput: every libFuzzer target's exec/s against an empty target
built with the same flags, measured in the same run (issue 7's goal: each
target >= 25 % of the empty target's exec/s).

Usage: fuzz_throughput.py BUILD_FUZZ_DIR [--seconds N] [--targets a,b]

Runs each `fuzz_<name>` of BUILD_FUZZ_DIR (not the replays, not the
deliberately buggy user check) for N seconds on a scratch copy of its seed
corpus, then `fuzz_empty` for as long, and prints exec/s and the ratio. It
reports; it never fails on a rate (timings on shared machines are noise): the
exit status is non-zero only if a target crashed or printed no statistics.
Each target runs with its checked-in options (fuzz/<name>.options, as the CI
runs and ClusterFuzzLite do); -print_funcs=0 keeps libFuzzer from
symbolizing newly covered functions, which is logging, not fuzzing.
"""
import argparse
import importlib.util
import os
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
GOAL = 0.25

# The options reader of fuzz/run_libfuzzer.py: one place knows the format.
_spec = importlib.util.spec_from_file_location("run_libfuzzer", ROOT / "fuzz" / "run_libfuzzer.py")
_runner = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_runner)
options_flags = _runner.options_flags


def rate(binary, corpus, seconds, extra):
    with tempfile.TemporaryDirectory(prefix="netkit-throughput-") as scratch:
        work = pathlib.Path(scratch) / "corpus"
        if corpus is not None and corpus.exists():
            shutil.copytree(corpus, work)
        else:
            work.mkdir()
        done = subprocess.run([str(binary), str(work), f"-max_total_time={seconds}", "-print_final_stats=1",
                               f"-artifact_prefix={scratch}/", "-timeout=10", "-rss_limit_mb=4096", "-print_funcs=0"]
                              + extra + options_flags(binary),
                              capture_output=True, text=True, timeout=seconds + 120)
        runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", done.stderr)
        speed = re.search(r"stat::average_exec_per_sec:\s*(\d+)", done.stderr)
        if done.returncode != 0 or not runs:
            print(done.stderr[-3000:])
            return None
        return int(runs.group(1)), int(speed.group(1)) if speed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fuzz_dir", type=pathlib.Path)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--targets", default="")
    args = parser.parse_args()

    empty = args.fuzz_dir / "fuzz_empty"
    names = sorted(p.name[len("fuzz_"):] for p in args.fuzz_dir.glob("fuzz_*")
                   if p.is_file() and os.access(p, os.X_OK) and not p.name.endswith(("_replay", "_forgetful"))
                   and p.name != "fuzz_empty")
    if args.targets:
        names = [n for n in names if n in args.targets.split(",")]
    if not empty.exists() or not names:
        print(f"no fuzz_empty or no targets in {args.fuzz_dir} (configure with -Dfuzzing=true)")
        print("0 passed, 1 failed")
        return 1
    baseline = rate(empty, None, args.seconds, [])
    if baseline is None:
        print("the empty target failed")
        print("0 passed, 1 failed")
        return 1
    print(f"{'target':<16} {'executions':>11} {'exec/s':>9} {'of empty':>9}  goal {GOAL:.0%}")
    print(f"{'(empty)':<16} {baseline[0]:>11} {baseline[1]:>9} {'100.0%':>9}")
    passed = failed = 0
    for name in names:
        corpus = ROOT / "fuzz" / "corpus" / ("netlink" if name.startswith("netlink") else name)
        extra = [f"-dict={ROOT / 'fuzz' / 'netlink.dict'}"] if name.startswith("netlink") else []
        measured = rate(args.fuzz_dir / f"fuzz_{name}", corpus, args.seconds, extra)
        if measured is None:
            print(f"{name:<16} crashed or printed no statistics")
            failed += 1
            continue
        share = measured[1] / baseline[1] if baseline[1] else 0.0
        verdict = "meets" if share >= GOAL else "below"
        print(f"{name:<16} {measured[0]:>11} {measured[1]:>9} {share:>9.2%}  {verdict}")
        passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
