#!/usr/bin/env python3
"""Compile-time costs users of netkit-model pay (docs/performance.md).

1. A 50-state x 50-event machine written as an fsm table (2500 rows, with
   `static_assert(verified<...>)` and one use of `step`) against the same
   machine as a hand-written nested switch. Goal: <= 3x.
2. A translation unit including the umbrella header <netkit/netkit.hpp>
   against one including only the standard headers the library itself
   includes. Goal: <= 4x.

Each TU is compiled to an object file (-O2) `--repeat` times; the median wall
time is reported, with the ratio from the same run. Nothing is asserted: the
figures go to docs/performance.md.

Usage: compile_time.py [--repeat N] [--quick] [--json FILE] -- COMPILER...
"""
import argparse
import json
import os
import pathlib
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(os.environ.get("NETKIT_SOURCE_ROOT", pathlib.Path(__file__).resolve().parent.parent))
FLAGS = ["-std=c++20", "-O2", "-Wall", "-Wextra", "-Wpedantic", "-Werror"]


def dense_target(s, e):
    return (7 * s + 3 * e + 1) % 50


def table_source():
    states = ", ".join(f"s{i:02d}" for i in range(50))
    events = ", ".join(f"e{i:02d}" for i in range(50))
    rows = []
    for s in range(50):
        for e in range(50):
            if (s + e) % 5 == 0:
                rows.append(f"    refuse<st::s{s:02d}, ev::e{e:02d}, errno_code::busy>")
            else:
                rows.append(f"    row<st::s{s:02d}, ev::e{e:02d}, st::s{dense_target(s, e):02d}>")
    body = ",\n".join(rows)
    return f"""#include <netkit/core/fsm.hpp>
using netkit::core::errno_code;
using netkit::core::fsm::refuse;
using netkit::core::fsm::row;
NETKIT_ENUM(st, unsigned char, {states})
NETKIT_ENUM(ev, unsigned char, {events})
using machine = netkit::core::fsm::table<st::s00,
{body}>;
static_assert(netkit::core::fsm::verified<machine>);
unsigned step(st s, ev e) {{ return static_cast<unsigned>(machine::step(s, e).to); }}
"""


def switch_source():
    states = ", ".join(f"s{i:02d}" for i in range(50))
    events = ", ".join(f"e{i:02d}" for i in range(50))
    cases = []
    for s in range(50):
        cases.append(f"    case st::s{s:02d}:\n        switch (e) {{")
        for e in range(50):
            if (s + e) % 5 == 0:
                cases.append(f"        case ev::e{e:02d}: return {{st::s{s:02d}, 16}};")
            else:
                cases.append(f"        case ev::e{e:02d}: return {{st::s{dense_target(s, e):02d}, 0}};")
        cases.append("        }\n        break;")
    body = "\n".join(cases)
    return f"""enum class st : unsigned char {{ {states} }};
enum class ev : unsigned char {{ {events} }};
struct outcome {{ st to; int error; }};
outcome next(st s, ev e) {{
    switch (s) {{
{body}
    }}
    return {{s, 22}};
}}
unsigned step(st s, ev e) {{ return static_cast<unsigned>(next(s, e).to); }}
"""


def standard_headers():
    """The standard headers the public headers include directly."""
    found = set()
    for header in (ROOT / "include" / "netkit").rglob("*.hpp"):
        if header.name == "check_system.hpp":
            continue  # opt-in; not part of the umbrella
        for line in header.read_text(encoding="utf-8").splitlines():
            m = re.match(r"\s*#\s*include\s*<([^>]+)>", line)
            if m and not m.group(1).startswith("netkit/"):
                found.add(m.group(1))
    return sorted(found)


def umbrella_source():
    return "#include <netkit/netkit.hpp>\nint main() { return 0; }\n"


def standard_source():
    includes = "".join(f"#include <{h}>\n" for h in standard_headers())
    return includes + "int main() { return 0; }\n"


def time_compile(compiler, source, repeat, workdir, name):
    path = pathlib.Path(workdir) / f"{name}.cpp"
    path.write_text(source, encoding="utf-8")
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        done = subprocess.run(compiler + FLAGS + ["-I", str(ROOT / "include"), "-c", str(path), "-o",
                                                  str(path.with_suffix(".o"))], capture_output=True, text=True)
        samples.append(time.perf_counter() - start)
        if done.returncode != 0:
            sys.exit(f"compile of {name} failed:\n{done.stderr[:4000]}")
    return statistics.median(samples)


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one repetition (a smoke run for the bench suite)")
    parser.add_argument("--json")
    args = parser.parse_args(argv[: argv.index("--")])
    compiler = argv[argv.index("--") + 1 :]
    repeat = 1 if args.quick else args.repeat

    with tempfile.TemporaryDirectory(prefix="netkit-compile-time-") as work:
        results = {
            "table_50x50_s": time_compile(compiler, table_source(), repeat, work, "table"),
            "switch_50x50_s": time_compile(compiler, switch_source(), repeat, work, "switch"),
            "umbrella_s": time_compile(compiler, umbrella_source(), repeat, work, "umbrella"),
            "standard_headers_s": time_compile(compiler, standard_source(), repeat, work, "standard"),
        }
    results["table_over_switch"] = results["table_50x50_s"] / results["switch_50x50_s"]
    results["umbrella_over_standard"] = results["umbrella_s"] / results["standard_headers_s"]
    results["compiler"] = " ".join(compiler)
    results["repeat"] = repeat
    results["standard_headers"] = standard_headers()

    print(f"compiler: {results['compiler']} (median of {repeat}, -O2 -c)")
    print(f"  50x50 fsm table       {results['table_50x50_s']:.3f} s")
    print(f"  50x50 switch          {results['switch_50x50_s']:.3f} s")
    print(f"  ratio table / switch  {results['table_over_switch']:.2f}x   (goal <= 3x)")
    print(f"  umbrella header TU    {results['umbrella_s']:.3f} s")
    print(f"  standard headers TU   {results['standard_headers_s']:.3f} s  ({len(results['standard_headers'])} headers)")
    print(f"  ratio umbrella / std  {results['umbrella_over_standard']:.2f}x   (goal <= 4x)")
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
