#!/usr/bin/env python3
"""Runs a Google Benchmark program and prints ratios between its benchmarks
measured in the same run (docs/performance.md reports these, never absolute
times alone).

Usage: ratios.py BENCHMARK_BINARY [--repetitions N] NUMERATOR:DENOMINATOR...

Each pair names two benchmarks; the printed ratio is median time of the
numerator over median time of the denominator (below 1: the numerator is
faster). Example:
  ratios.py build/release/bench/bench_fsm_dispatch bm_fsm_table:bm_hand_written_switch
"""
import argparse
import json
import statistics
import subprocess
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("pairs", nargs="+")
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    done = subprocess.run([args.binary, "--benchmark_format=json", f"--benchmark_repetitions={args.repetitions}"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{args.binary} failed:\n{done.stderr}")
    report = json.loads(done.stdout)
    times = {}
    rates = {}
    for b in report["benchmarks"]:
        if b.get("run_type") == "iteration":
            times.setdefault(b["run_name"], []).append(b["real_time"])
            if "items_per_second" in b:
                rates.setdefault(b["run_name"], []).append(b["items_per_second"])
    context = report["context"]
    print(f"host: {context.get('host_name')}, {context.get('num_cpus')} cpus @ {context.get('mhz_per_cpu')} MHz, "
          f"{args.repetitions} repetitions, medians")
    for name in sorted(times):
        rate = f"  {statistics.median(rates[name]) / 1e6:8.1f} M items/s" if name in rates else ""
        print(f"  {name:<40} {statistics.median(times[name]):10.3f} {report['benchmarks'][0]['time_unit']}{rate}")
    for pair in args.pairs:
        numerator, denominator = pair.split(":")
        ratio = statistics.median(times[numerator]) / statistics.median(times[denominator])
        print(f"ratio {numerator} / {denominator} = {ratio:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
