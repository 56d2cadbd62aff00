#!/usr/bin/env python3
"""A bounded libFuzzer run on a scratch corpus.

Usage: run_libfuzzer.py FUZZER CORPUS_DIR [--seconds N] [--keep DIR]

Copies the checked-in corpus to a scratch directory, runs FUZZER there for N
seconds (libFuzzer's -max_total_time), and on a crash copies the reproducer to
--keep (default: fuzz-failures/ in the current directory) so it can become a
regression test. The checked-in corpus is never written.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("fuzzer")
    parser.add_argument("corpus")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--keep", default="fuzz-failures")
    parser.add_argument("--dict", help="a libFuzzer dictionary (-dict=)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="netkit-fuzz-") as scratch:
        work = os.path.join(scratch, "corpus")
        shutil.copytree(args.corpus, work)
        artifacts = os.path.join(scratch, "artifacts") + os.sep
        os.makedirs(artifacts)
        command = [args.fuzzer, work, f"-max_total_time={args.seconds}", "-print_final_stats=1",
                   f"-artifact_prefix={artifacts}", "-timeout=10", "-rss_limit_mb=4096"]
        if args.dict:
            command.append(f"-dict={args.dict}")
        print("running:", " ".join(command), flush=True)
        done = subprocess.run(command, capture_output=True, text=True)
        tail = done.stderr.splitlines()[-25:]
        print("\n".join(tail))
        runs = re.search(r"stat::number_of_executed_units:\s*(\d+)", done.stderr)
        speed = re.search(r"stat::average_exec_per_sec:\s*(\d+)", done.stderr)
        if runs:
            print(f"executions: {runs.group(1)}, exec/s: {speed.group(1) if speed else '?'}")
        if done.returncode != 0:
            os.makedirs(args.keep, exist_ok=True)
            for name in os.listdir(artifacts):
                shutil.copy(os.path.join(artifacts, name), args.keep)
                print(f"reproducer kept: {os.path.join(args.keep, name)}")
            print("0 passed, 1 failed")
            return 1
        print("1 passed, 0 failed")
        return 0


if __name__ == "__main__":
    sys.exit(main())
