#!/usr/bin/env python3
"""Checks that the first C++ block of README.md is examples/readme_example.cpp
verbatim, so the example a newcomer reads is the one CI builds and runs.

Usage: readme_example.py REPO_ROOT
"""
import pathlib
import sys


def main():
    root = pathlib.Path(sys.argv[1])
    readme = (root / "README.md").read_text(encoding="utf-8")
    start = readme.index("```cpp\n") + len("```cpp\n")
    block = readme[start : readme.index("```", start)]
    example = (root / "examples" / "readme_example.cpp").read_text(encoding="utf-8")
    if block != example:
        print("README.md's C++ example differs from examples/readme_example.cpp")
        print("0 passed, 1 failed")
        return 1
    print("1 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
