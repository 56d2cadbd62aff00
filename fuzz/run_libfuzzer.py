#!/usr/bin/env python3
"""A bounded libFuzzer run on a scratch corpus.

Usage: run_libfuzzer.py FUZZER CORPUS_DIR [--seconds N] [--keep DIR] [--expect-failure]

Copies the checked-in corpus to a scratch directory, runs FUZZER there for N
seconds (libFuzzer's -max_total_time), and on a crash copies the reproducer to
--keep (default: fuzz-failures/ in the current directory) so it can become a
regression test, together with the trace the target wrote (check/trace.hpp:
targets write one into $NETKIT_TRACE_DIR, which this script points at --keep).
The checked-in corpus is never written.

--expect-failure turns the run into a test of the checker itself: it passes
only if libFuzzer finds a failure within the time and the target wrote its
trace (used with a deliberately buggy user check, fuzz/user_check.cpp).

A target's checked-in options file, fuzz/<name>.options (OSS-Fuzz's format,
the one .clusterfuzzlite/build.sh ships), applies here too: its [libfuzzer]
keys become -key=value flags.
"""
import argparse
import configparser
import os
import re
import shutil
import subprocess
import sys
import tempfile


def options_flags(fuzzer):
    """The [libfuzzer] section of fuzz/<name>.options for FUZZER (fuzz_<name>), as flags."""
    name = os.path.basename(fuzzer)
    name = name[len("fuzz_"):] if name.startswith("fuzz_") else name
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), f"{name}.options")
    if not os.path.exists(path):
        return []
    parser = configparser.ConfigParser()
    parser.read(path)
    if not parser.has_section("libfuzzer"):
        return []
    return [f"-{key}={value}" for key, value in parser.items("libfuzzer")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fuzzer")
    parser.add_argument("corpus", help="the seed corpus directory, or - to start from an empty one")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--keep", default="fuzz-failures")
    parser.add_argument("--dict", help="a libFuzzer dictionary (-dict=)")
    parser.add_argument("--expect-failure", action="store_true",
                        help="pass only if a failure is found and its trace written")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="netkit-fuzz-") as scratch:
        work = os.path.join(scratch, "corpus")
        if args.corpus == "-":  # start from nothing
            os.makedirs(work)
        else:
            shutil.copytree(args.corpus, work)
        artifacts = os.path.join(scratch, "artifacts") + os.sep
        os.makedirs(artifacts)
        command = [args.fuzzer, work, f"-max_total_time={args.seconds}", "-print_final_stats=1",
                   f"-artifact_prefix={artifacts}", "-timeout=10", "-rss_limit_mb=4096"]
        if args.dict:
            command.append(f"-dict={args.dict}")
        command += options_flags(args.fuzzer)
        traces = os.path.join(scratch, "traces")
        os.makedirs(traces)
        print("running:", " ".join(command), flush=True)
        done = subprocess.run(command, capture_output=True, text=True,
                              env=dict(os.environ, NETKIT_TRACE_DIR=traces))
        written = sorted(os.listdir(traces))
        tail = done.stderr.splitlines()[-25:]
        print("\n".join(tail))
        runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", done.stderr)
        speed = re.search(r"stat::average_exec_per_sec:\s*(\d+)", done.stderr)
        if runs:
            print(f"executions: {runs.group(1)}, exec/s: {speed.group(1) if speed else '?'}")
        if args.expect_failure:
            found = done.returncode != 0 and os.listdir(artifacts) and written
            for name in written:
                print(f"trace written by the target: {name}")
                with open(os.path.join(traces, name)) as f:
                    print(f.read())
            print("1 passed, 0 failed" if found else "0 passed, 1 failed")
            if not found:
                print("expected libFuzzer to find a failure and the target to write its trace")
            return 0 if found else 1
        if done.returncode != 0:
            os.makedirs(args.keep, exist_ok=True)
            for name in os.listdir(artifacts) + written:
                source = os.path.join(artifacts if name not in written else traces, name)
                shutil.copy(source, args.keep)
                print(f"kept: {os.path.join(args.keep, name)}")
            print("0 passed, 1 failed")
            return 1
        print("1 passed, 0 failed")
        return 0


if __name__ == "__main__":
    sys.exit(main())
