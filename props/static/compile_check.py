#!/usr/bin/env python3
"""Compile-only checks for the `static` and `headers` suites.

Usage: compile_check.py [--twice] -- COMPILER... FLAGS... --files FILE...

Each FILE is compiled with -fsyntax-only. With --twice, each FILE is a header
and the translation unit includes it twice in a row (self-containment and
include guards). Prints one line per case and the closing line
`N passed, M failed`; exits non-zero if any case failed.
"""
import concurrent.futures
import os
import subprocess
import sys
import tempfile


def parse(argv):
    twice = False
    if "--" not in argv:
        sys.exit(__doc__)
    head = argv[: argv.index("--")]
    rest = argv[argv.index("--") + 1 :]
    twice = "--twice" in head
    if "--files" not in rest:
        sys.exit(__doc__)
    command = rest[: rest.index("--files")]
    files = rest[rest.index("--files") + 1 :]
    return twice, command, files


def include_name(path):
    marker = os.sep + "include" + os.sep
    return path.split(marker, 1)[1] if marker in path else path


def check(command, path, twice):
    if twice:
        name = include_name(path)
        source = f"#include <{name}>\n#include <{name}>\n"
        with tempfile.NamedTemporaryFile("w", suffix=".cpp", delete=False) as tu:
            tu.write(source)
            target = tu.name
    else:
        target = path
    try:
        done = subprocess.run(command + ["-fsyntax-only", "-x", "c++", target],
                              capture_output=True, text=True)
    finally:
        if twice:
            os.unlink(target)
    return path, done.returncode, done.stderr


def main():
    twice, command, files = parse(sys.argv[1:])
    failed = 0
    jobs = max(1, min(2, os.cpu_count() or 1))
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for path, code, stderr in pool.map(lambda f: check(command, f, twice), files):
            label = include_name(path) if twice else os.path.relpath(path)
            if code == 0:
                print(f"ok    {label}")
            else:
                failed += 1
                print(f"FAIL  {label}\n{stderr}")
    print(f"{len(files) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
