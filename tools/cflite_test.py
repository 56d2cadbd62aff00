#!/usr/bin/env python3
"""Local test of the ClusterFuzzLite / OSS-Fuzz build (.clusterfuzzlite/build.sh).

Runs build.sh outside Docker the way OSS-Fuzz would (SRC, OUT, CC, CXX, CFLAGS,
CXXFLAGS, LIB_FUZZING_ENGINE), with cheap flags by default, then checks for
every fuzz target of fuzz/meson.build that $OUT holds the binary, a readable
seed corpus zip with the checked-in corpus, a [libfuzzer] .options file and the
dictionary where one is expected, and that the binary runs over its unpacked
seed corpus with the options file's flags and exits 0. Before that it checks
build.sh's own failure paths on tiny scratch trees (no targets; a target that
does not compile) and its python3 fallback when zip is missing.

Prints one line per check and a final "N passed, M failed"; exits 1 on any
failure. See docs/fuzzing-oss.md.
"""
import argparse
import configparser
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD_SH = ROOT / ".clusterfuzzlite" / "build.sh"
CHEAP_FLAGS = "-O0 -gline-tables-only -fsanitize=fuzzer-no-link"
SANITIZER_FLAGS = "-fsanitize=address,undefined -fno-sanitize-recover=undefined"
BUILD_ENV_KEYS = ("SRC", "OUT", "CC", "CXX", "CFLAGS", "CXXFLAGS", "LIB_FUZZING_ENGINE",
                  "NETKIT_SRC", "NETKIT_BUILD_JOBS", "NETKIT_ZIP")


def meson_targets():
    """The keys of the fuzz_targets dict in fuzz/meson.build (read independently of build.sh)."""
    text = (ROOT / "fuzz" / "meson.build").read_text()
    block = re.search(r"^fuzz_targets\s*=\s*\{(.*?)^\}", text, re.M | re.S)
    if not block:
        return []
    return re.findall(r"^\s*'(\w+)'\s*:", block.group(1), re.M)


def corpus_dir(name):
    return ROOT / "fuzz" / "corpus" / ("netlink" if name.startswith("netlink") else name)


def expected_dict(name):
    return ROOT / "fuzz" / "netlink.dict" if name.startswith("netlink") else None


def build_env(args, src, out, jobs, **extra):
    env = {k: v for k, v in os.environ.items() if k not in BUILD_ENV_KEYS}
    flags = CHEAP_FLAGS + (" " + SANITIZER_FLAGS if args.sanitize else "")
    env.update(SRC=str(src), OUT=str(out), CC=args.cc, CXX=args.cxx, CFLAGS=flags, CXXFLAGS=flags,
               LIB_FUZZING_ENGINE="-fsanitize=fuzzer", NETKIT_BUILD_JOBS=str(jobs))
    env.update(extra)
    return env


def run_build(env, capture):
    return subprocess.run(["bash", str(BUILD_SH)], env=env, cwd=env["SRC"],
                          capture_output=capture, text=True, check=False)


def self_checks(args, scratch):
    """build.sh's failure paths and zip fallback on tiny trees. Yields (name, ok, detail)."""
    tiny = ('#include <cstddef>\n#include <cstdint>\n'
            'extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }\n')

    def tree(name, meson, sources):
        root = scratch / name
        (root / "fuzz" / "corpus" / "tiny").mkdir(parents=True)
        (root / "fuzz" / "corpus" / "tiny" / "seed-a").write_bytes(b"a")
        (root / "fuzz" / "corpus" / "tiny" / "seed-b").write_bytes(b"bb")
        (root / "fuzz" / "meson.build").write_text(meson)
        for file, text in sources.items():
            (root / "fuzz" / file).write_text(text)
        return root

    # No targets: build.sh must refuse, not build nothing and succeed.
    root = tree("no-targets", "fuzz_targets = {\n}\n", {})
    done = run_build(build_env(args, root, root / "out", 1, NETKIT_SRC=str(root)), capture=True)
    ok = done.returncode != 0 and "no fuzz targets found" in done.stderr
    yield "build.sh-no-targets", ok, f"exit {done.returncode}" + ("" if ok else ": " + done.stderr.strip()[-300:])

    # One good target, zip missing: builds, and packs the corpus with python3.
    root = tree("zip-fallback", "fuzz_targets = {\n  'tiny': files('tiny.cpp'),\n}\n", {"tiny.cpp": tiny})
    env = build_env(args, root, root / "out", 1, NETKIT_SRC=str(root), NETKIT_ZIP="netkit-no-such-zip")
    done = run_build(env, capture=True)
    archive = root / "out" / "tiny_seed_corpus.zip"
    ok = done.returncode == 0 and zipfile.is_zipfile(archive)
    names = sorted(zipfile.ZipFile(archive).namelist()) if ok else []
    ok = ok and names == ["seed-a", "seed-b"] and os.access(root / "out" / "tiny", os.X_OK)
    yield "build.sh-zip-fallback", ok, f"exit {done.returncode}, zip {names}" + (
        "" if ok else ": " + (done.stdout + done.stderr).strip()[-300:])

    # A target that does not compile: build.sh must fail and name it.
    root = tree("compile-error", "fuzz_targets = {\n  'tiny': files('tiny.cpp'),\n  'broken': files('broken.cpp'),\n}\n",
                {"tiny.cpp": tiny, "broken.cpp": "this is not C++;\n"})
    done = run_build(build_env(args, root, root / "out", min(2, args.jobs), NETKIT_SRC=str(root)), capture=True)
    ok = done.returncode != 0 and re.search(r"failed to build: broken$", done.stderr, re.M) is not None
    yield "build.sh-compile-error", ok, f"exit {done.returncode}" + ("" if ok else ": " + done.stderr.strip()[-300:])


def check_target(name, out, scratch, args):
    """Returns (ok, detail) for one fuzz target's outputs in OUT."""
    binary = out / name
    if not (binary.is_file() and os.access(binary, os.X_OK)):
        return False, f"no executable {binary}"

    archive = out / f"{name}_seed_corpus.zip"
    if not archive.is_file() or archive.stat().st_size == 0:
        return False, f"no seed corpus {archive.name}"
    if not zipfile.is_zipfile(archive):
        return False, f"{archive.name} is not a zip file"
    with zipfile.ZipFile(archive) as seeds:
        if seeds.testzip() is not None:
            return False, f"{archive.name}: bad CRC for {seeds.testzip()}"
        names = sorted(seeds.namelist())
        nonempty = sum(1 for info in seeds.infolist() if info.file_size > 0)
        checked_in = sorted(p.name for p in corpus_dir(name).iterdir() if p.is_file())
        if names != checked_in:
            return False, f"{archive.name} holds {len(names)} files, {corpus_dir(name)} {len(checked_in)}"
        unpacked = scratch / f"{name}-corpus"
        seeds.extractall(unpacked)

    options_file = out / f"{name}.options"
    options = configparser.ConfigParser()
    try:
        if not options.read(options_file):
            return False, f"no {options_file.name}"
    except configparser.Error as error:
        return False, f"{options_file.name}: {error}"
    if not options.has_section("libfuzzer"):
        return False, f"{options_file.name} has no [libfuzzer] section"
    flags = dict(options["libfuzzer"])
    if not flags.get("max_len", "").isdigit():
        return False, f"{options_file.name}: max_len missing or not a number"

    want_dict = expected_dict(name)
    if want_dict is not None:
        have = out / f"{name}.dict"
        if flags.get("dict") != have.name:
            return False, f"{options_file.name}: dict = {flags.get('dict')}, expected {have.name}"
        if not have.is_file() or have.read_bytes() != want_dict.read_bytes():
            return False, f"{have.name} missing or not a copy of {want_dict.relative_to(ROOT)}"
    elif "dict" in flags:
        return False, f"{options_file.name} names a dictionary, none expected"

    # The target's checked-in options (fuzz/<name>.options) are shipped as written.
    own = ROOT / "fuzz" / f"{name}.options"
    if own.exists():
        mine = configparser.ConfigParser()
        mine.read(own)
        for key, value in (mine.items("libfuzzer") if mine.has_section("libfuzzer") else []):
            if flags.get(key) != value:
                return False, f"{options_file.name}: {key} = {flags.get(key)}, fuzz/{own.name} says {value}"

    artifacts = scratch / f"{name}-artifacts"
    artifacts.mkdir()
    command = [str(binary), f"-runs={args.runs}", f"-artifact_prefix={artifacts}{os.sep}"]
    if args.seconds > 0:
        command.append(f"-max_total_time={args.seconds}")
    for key, value in flags.items():
        command.append(f"-{key}={out / value if key == 'dict' else value}")
    command.append(str(unpacked))
    start = time.monotonic()
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=args.run_timeout, check=False)
    except subprocess.TimeoutExpired:
        return False, f"still running after {args.run_timeout} s: {' '.join(command)}"
    elapsed = time.monotonic() - start
    if done.returncode != 0:
        tail = "\n    ".join(done.stderr.splitlines()[-15:])
        return False, f"exit {done.returncode}: {' '.join(command)}\n    {tail}"
    # libFuzzer counts only the non-empty seeds (it always runs the empty input).
    read = re.search(r"seed corpus: files: (\d+)", done.stderr)
    if not read or int(read.group(1)) != nonempty:
        return False, f"libFuzzer did not read the {nonempty} non-empty seeds ({read.group(0) if read else 'no seed line'})"
    extras = " + dict" if want_dict is not None else ""
    return True, f"{len(names)} seeds, max_len {flags['max_len']}{extras}, ran in {elapsed:.1f} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="OUT directory for build.sh (default: a temporary directory, removed)")
    parser.add_argument("--cxx", default="clang++")
    parser.add_argument("--cc", default="clang")
    parser.add_argument("--sanitize", action="store_true",
                        help=f"add '{SANITIZER_FLAGS}' to CFLAGS/CXXFLAGS, as OSS-Fuzz would (slower)")
    parser.add_argument("--runs", type=int, default=0,
                        help="libFuzzer -runs= after the seed corpus (default 0: only replay the seeds)")
    parser.add_argument("--seconds", type=int, default=0,
                        help="libFuzzer -max_total_time= per target (default 0: not set)")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("NETKIT_BUILD_JOBS", os.cpu_count() or 2)),
                        help="parallel compiles in build.sh and parallel fuzzer runs (default: NETKIT_BUILD_JOBS or nproc)")
    parser.add_argument("--run-timeout", type=int, default=300, help="seconds each fuzzer run may take")
    parser.add_argument("--no-self-checks", action="store_true", help="skip build.sh's failure-path checks")
    args = parser.parse_args()
    args.jobs = max(1, args.jobs)
    started = time.monotonic()

    results = []  # (name, ok, detail)

    def report(name, ok, detail):
        results.append((name, ok, detail))
        print(f"{'PASS' if ok else 'FAIL'} {name}: {detail}", flush=True)

    targets = meson_targets()
    if not targets:
        report("fuzz/meson.build", False, "no fuzz_targets dict entries found")
    if shutil.which(args.cxx) is None:
        report("compiler", False, f"{args.cxx} not found")
    if any(not ok for _, ok, _ in results):
        print(f"0 passed, {len(results)} failed")
        return 1

    with tempfile.TemporaryDirectory(prefix="netkit-cflite-") as scratch_name:
        scratch = Path(scratch_name)
        if not args.no_self_checks:
            t0 = time.monotonic()
            for check in self_checks(args, scratch / "self"):
                report(*check)
            print(f"self-checks took {time.monotonic() - t0:.1f} s", flush=True)

        out = Path(args.out).resolve() if args.out else scratch / "out"
        out.mkdir(parents=True, exist_ok=True)
        t0 = time.monotonic()
        print(f"building {len(targets)} targets: {BUILD_SH.relative_to(ROOT)} OUT={out} jobs={args.jobs}"
              f"{' (sanitizers)' if args.sanitize else ''}", flush=True)
        built = run_build(build_env(args, ROOT, out, args.jobs), capture=False)
        print(f"build.sh exited {built.returncode} after {time.monotonic() - t0:.1f} s", flush=True)

        t0 = time.monotonic()
        runs = scratch / "runs"
        runs.mkdir()
        with ThreadPoolExecutor(max_workers=args.jobs) as pool:
            checks = {name: pool.submit(check_target, name, out, runs, args) for name in targets}
            for name in targets:
                try:
                    ok, detail = checks[name].result()
                except Exception as error:  # a bug in a check is a failure, not a traceback
                    ok, detail = False, f"check raised {error!r}"
                if not ok and built.returncode != 0:
                    detail += f" (build.sh exited {built.returncode})"
                report(name, ok, detail)
        print(f"checks and runs took {time.monotonic() - t0:.1f} s; total {time.monotonic() - started:.1f} s")

    passed = sum(1 for _, ok, _ in results if ok)
    failed = len(results) - passed
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
