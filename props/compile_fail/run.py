#!/usr/bin/env python3
"""The compile-fail suite: misuse that is knowable at compile time must not
compile, and must say why.

Usage: run.py -- COMPILER... FLAGS... --files CASE...

Each CASE holds one or more lines `// expect-error: TEXT`. The case passes
when (1) compiling it fails and the diagnostics contain every TEXT, and (2)
its compiling twin, the same file with -DNETKIT_COMPILE_TWIN, compiles
cleanly — so a case cannot pass because of an unrelated typo.
"""
import os
import re
import subprocess
import sys

EXPECT = re.compile(r"//\s*expect-error:\s*(.+?)\s*$")


def expectations(path):
    with open(path, encoding="utf-8") as source:
        return [m.group(1) for line in source if (m := EXPECT.search(line))]


def compile_case(command, path, twin):
    extra = ["-DNETKIT_COMPILE_TWIN"] if twin else []
    done = subprocess.run(command + extra + ["-fsyntax-only", "-x", "c++", path],
                          capture_output=True, text=True)
    return done.returncode, done.stderr


def main():
    argv = sys.argv[1:]
    if "--" not in argv or "--files" not in argv:
        sys.exit(__doc__)
    rest = argv[argv.index("--") + 1 :]
    command = rest[: rest.index("--files")]
    cases = rest[rest.index("--files") + 1 :]
    failed = 0
    for path in cases:
        name = os.path.basename(path)
        wanted = expectations(path)
        problems = []
        if not wanted:
            problems.append("no `// expect-error:` line")
        code, stderr = compile_case(command, path, twin=False)
        if code == 0:
            problems.append("compiled, but must not")
        else:
            for text in wanted:
                if text not in stderr:
                    problems.append(f"diagnostic lacks: {text}")
        twin_code, twin_stderr = compile_case(command, path, twin=True)
        if twin_code != 0:
            problems.append("its compiling twin does not compile:\n" + twin_stderr)
        if problems:
            failed += 1
            print(f"FAIL  {name}")
            for p in problems:
                print(f"      {p}")
            if code != 0:
                print("      --- diagnostics (first 40 lines) ---")
                print("\n".join(stderr.splitlines()[:40]))
        else:
            print(f"ok    {name}  ({len(wanted)} expected diagnostic(s) found; twin compiles)")
    print(f"{len(cases) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
