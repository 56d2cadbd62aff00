#!/usr/bin/env python3
"""Mutation testing of the model: does the test suite notice a plausible bug?

A catalogue of semantic mutants of include/netkit/ (below, as data): each
replaces one exact snippet of one header with a plausible kernel-developer
bug — a busy check dropped, a teardown step swapped, the wrong errno or
extack, a netns filter skipped, an off-by-one on a queue index, a profile
condition inverted, an mprog ordering slip, a missing revision bump, a
transmit policy default, a counter — and names the meson tests expected to
kill it.

  tools/mutate.py --check-catalogue     static check, no build: every
                                        original snippet occurs exactly once
                                        in its file, every replacement
                                        differs, every expected test exists;
                                        prints "N passed, M failed"
  tools/mutate.py --list                the catalogue as a table
  tools/mutate.py [--only M03,M07] [--workdir DIR] [--jobs N] [--report FILE]
                                        the campaign

The campaign never touches the repository it is run from. It clones the
committed tree (or, with --tree working, copies the working tree) to
WORKDIR/src, configures one build directory WORKDIR/build there (g++, -O0
without debug information: the fastest to compile, see docs/mutation.md;
no sanitizers; no over-the-wire suite, fuzz replays or benchmarks), builds
every props executable once and checks that the unmutated tree passes. Then,
per mutant: apply it to the scratch copy; build and run the expected tests
one at a time (props_<area> executables, RC_PARAMS from --rc-params) and stop
at the first failure; if it survives them, build and run every other props
test and the static suite before declaring it a survivor; restore the file.
A mutant that does not compile is `stillborn` (a catalogue bug: fix it).

The exit status is 0 when every mutant was killed, 1 when one survived or
was stillborn, 2 when the campaign could not run (bad catalogue, baseline
failing). See docs/mutation.md.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


@dataclasses.dataclass(frozen=True)
class Mutant:
    id: str
    klass: str
    file: str
    description: str
    tests: tuple[str, ...]  # meson test names expected to kill it, tried in this order
    original: str
    replacement: str


CLASSES = {
    "busy-check": "a busy check dropped",
    "teardown-order": "a teardown step swapped",
    "errno": "the wrong errno",
    "netns-filter": "a network-namespace filter skipped",
    "off-by-one": "an off-by-one on a queue index or bound",
    "extack": "the wrong extack message",
    "profile": "a kernel-profile condition inverted",
    "mprog-order": "an mprog ordering slip (before/after)",
    "revision": "a missing revision bump",
    "policy-default": "a transmit policy default",
    "counter": "a counter not (or wrongly) updated",
    "atomicity": "a refused operation's effect on the world",
    "fsm-table": "a row of the queue state machines",
}

M = Mutant

# fmt: off
CATALOGUE: list[Mutant] = [
    M("M01", "busy-check", "include/netkit/model/queue_ops.hpp",
      "queue_busy forgets the memory-provider check: queue-create leases a queue with a provider (QL-CAN-03, QL-CRT-18)",
      ("lease", "check"),
      """    if (d.has_provider(i)) {
        return busy(old_order ? unconfirmed::busy_provider_message_v7 : "Device queue in use by memory provider");
    }
""",
      ""),
    M("M02", "busy-check", "include/netkit/model/queue_ops.hpp",
      "queue_busy checks AF_XDP pools on TX queues only: an RX queue with a pool can be leased (QL-CAN-03)",
      ("lease", "check"),
      "    if (pool) {\n",
      "    if (pool && tx) {\n"),
    M("M03", "teardown-order", "include/netkit/model/queue_ops.hpp",
      "unlease cleanup under restart_then_uninstall uninstalls the provider before restarting the queue (QL-LIFE-06, the CVE order)",
      ("lease", "check"),
      """        case core::unlease_provider_cleanup::restart_then_uninstall:
            clear_provider_and_restart(w, physical);
            uninstall_hook(w, physical, *params);
            break;""",
      """        case core::unlease_provider_cleanup::restart_then_uninstall:
            uninstall_hook(w, physical, *params);
            clear_provider_and_restart(w, physical);
            break;"""),
    M("M04", "teardown-order", "include/netkit/model/links.hpp",
      "device unregistration unleases before the providers are closed at shutdown (QL-LIFE-04/05/08 order)",
      ("lease", "check"),
      """    for (const auto member : members) {
        queue_ops::uninstall_own_providers(w, member);""",
      """    for (const auto member : members) {
        queue_ops::unlease_all(w, member);
        queue_ops::uninstall_own_providers(w, member);"""),
    M("M05", "errno", "include/netkit/model/lease.hpp",
      "queue-create: an unknown lessee ifindex is ENOENT instead of ENODEV (QL-CRT-11)",
      ("lease", "netlink"),
      """    const device* v = detail::lookup(w, c.netns, *r.ifindex);  // QL-CRT-11
    if (v == nullptr) {
        return fail(errno_code::no_device);""",
      """    const device* v = detail::lookup(w, c.netns, *r.ifindex);  // QL-CRT-11
    if (v == nullptr) {
        return fail(errno_code::no_entry);"""),
    M("M06", "errno", "include/netkit/model/lease.hpp",
      "provider open on a leased physical queue is EINVAL instead of EBUSY (QL-MP-03)",
      ("lease", "model"),
      "            return fail(errno_code::busy, w.profile.leased_provider == core::leased_provider_message::peered",
      "            return fail(errno_code::invalid, w.profile.leased_provider == core::leased_provider_message::peered"),
    M("M07", "netns-filter", "include/netkit/model/lease.hpp",
      "queue-get dump lists the devices of every network namespace, not only the caller's (QL-GET-01)",
      ("lease", "netlink"),
      """    for (const auto& [index, handle] : state::namespace_of(std::as_const(w), c.netns).by_index) {
        devices.push_back(handle);
    }""",
      """    for (const auto& [ns, space] : std::as_const(w).namespaces) {  // every netns, not the caller's
        for (const auto& [index, handle] : space.by_index) {
            devices.push_back(handle);
        }
    }
    (void)c;"""),
    M("M08", "netns-filter", "include/netkit/model/lease.hpp",
      "queue-create resolves the lease netns-id but looks the lessor up in the caller's netns (QL-CRT-13/14)",
      ("lease",),
      "        lessor_ns = *resolved;\n",
      "        lessor_ns = c.netns;\n"),
    M("M09", "off-by-one", "include/netkit/model/lease.hpp",
      "queue-create accepts lessor queue id == real_num_rx_queues (`>` for `>=`, QL-CRT-17)",
      ("lease",),
      "    if (q >= p->real_rx_queues) {  // QL-CRT-17",
      "    if (q > p->real_rx_queues) {  // QL-CRT-17"),
    M("M10", "off-by-one", "include/netkit/model/lease.hpp",
      "netkit's queue-creation hook refuses the last allocated queue (`>=` for `>`, QL-NKQC-02)",
      ("lease",),
      "    if (v.real_rx_queues + 1 > v.rx_queues) {",
      "    if (v.real_rx_queues + 1 >= v.rx_queues) {"),
    M("M11", "off-by-one", "include/netkit/model/lease.hpp",
      "queue-get answers for the queue id == real queue count (`>` for `>=`, QL-GET-02)",
      ("lease",),
      "    if (id >= real) {",
      "    if (id > real) {"),
    M("M12", "extack", "include/netkit/model/lease.hpp",
      "QL-CRT-19's extack reworded (\"... devices is not supported\")",
      ("lease",),
      "\"Leasing queues from different devices not supported\"",
      "\"Leasing queues from different devices is not supported\""),
    M("M13", "extack", "include/netkit/model/softnic.hpp",
      "the channel-shrink refusal for a memory provider loses the word \"setting\" (SN-CH-05)",
      ("softnic", "lease"),
      "\"requested channel counts are too low for existing memory provider setting (\"",
      "\"requested channel counts are too low for existing memory provider (\""),
    M("M14", "profile", "include/netkit/model/lease.hpp",
      "the carrier toggle of queue-create runs in every profile but v7-jan2026 (row 13 inverted, QL-NKQC-04)",
      ("lease",),
      "    if (w.profile.carrier_toggle_on_queue_create && v.up) {",
      "    if (!w.profile.carrier_toggle_on_queue_create && v.up) {"),
    M("M15", "profile", "include/netkit/model/queue_ops.hpp",
      "queue_busy's check order and messages inverted between profiles (row 14, QL-CAN-03)",
      ("lease",),
      "    const bool old_order = w.profile.busy_order == core::queue_busy_order::leased_first;",
      "    const bool old_order = w.profile.busy_order != core::queue_busy_order::leased_first;"),
    M("M16", "mprog-order", "include/netkit/model/mprog.hpp",
      "BEFORE names index(relative) instead of index(relative) - 1: attach BEFORE R lands behind R (MP-29/MP-43)",
      ("model",),
      "    return agree(fixed, index ? std::optional<position>{*index - 1} : std::nullopt, !index);",
      "    return agree(fixed, index ? std::optional<position>{*index} : std::nullopt, !index);"),
    M("M17", "mprog-order", "include/netkit/model/mprog.hpp",
      "AFTER names index(relative) instead of index(relative) + 1 (MP-30/MP-42)",
      ("model",),
      "    return agree(fixed, index ? std::optional<position>{*index + 1} : std::nullopt, !index);",
      "    return agree(fixed, index ? std::optional<position>{*index} : std::nullopt, !index);"),
    M("M18", "revision", "include/netkit/model/mprog.hpp",
      "the change that empties an attach point does not bump the revision (MP-52/MP-53)",
      ("model",),
      "        ++revision_;\n",
      "        if (!slots_.empty()) {\n            ++revision_;\n        }\n"),
    M("M19", "policy-default", "include/netkit/model/links.hpp",
      "pair creation gives the peer the primary's default xmit policy (NK-PAIR-07)",
      ("model",),
      "    peer.netkit = private_state(s, false, s.peer_policy, s.peer_scrub, uapi::pairing::pair);",
      "    peer.netkit = private_state(s, false, s.policy, s.peer_scrub, uapi::pairing::pair);"),
    M("M20", "policy-default", "include/netkit/model/transmit.hpp",
      "transmit starts from PASS instead of the device's policy (NK-XMIT-01)",
      ("model",),
      "    out.verdict = static_cast<std::int32_t>(d.netkit->policy);  // NK-XMIT-01",
      "    out.verdict = static_cast<std::int32_t>(action::pass);  // NK-XMIT-01"),
    M("M21", "counter", "include/netkit/model/transmit.hpp",
      "a frame dropped on a full backlog is not counted on the peer's rx_dropped (NK-XMIT-11)",
      ("model",),
      "                    state::device_of(w, peer_handle).counters.rx_dropped += 1;\n",
      ""),
    M("M22", "counter", "include/netkit/model/transmit.hpp",
      "a redirected frame counts tx_packets but not tx_bytes on the sender (NK-XMIT-12)",
      ("model",),
      """            // NK-XMIT-12.
            device& sender = state::device_of(w, h);
            sender.counters.tx_packets += 1;
            sender.counters.tx_bytes += length;""",
      """            // NK-XMIT-12.
            device& sender = state::device_of(w, h);
            sender.counters.tx_packets += 1;"""),
    M("M23", "counter", "include/netkit/model/softnic.hpp",
      "a frame consumed by XDP is not counted as received (SN-RX-03)",
      ("softnic", "packet"),
      "        ++d.counters.rx_packets;  // consumed by XDP: counted as received\n",
      ""),
    M("M24", "atomicity", "include/netkit/model/world.hpp",
      "a refused operation that consumed an injected fault is rolled back too (SN-RST-06, partly applied)",
      ("lease", "check"),
      "        if (outcome.ok() || outcome.failure().partly_applied) {",
      "        if (outcome.ok()) {"),
    M("M25", "netns-filter", "include/netkit/netlink/genl.hpp",
      "queue-get dump restricted to an ifindex looks the device up in the initial netns, not the caller's (NL-ND-04)",
      ("netlink",),
      "        const model::device* d = ifindex ? r.world.find(r.caller.netns, *ifindex) : nullptr;",
      "        const model::device* d = ifindex ? r.world.find(model::world::initial_netns(), *ifindex) : nullptr;"),
    M("M26", "fsm-table", "include/netkit/model/queue_fsm.hpp",
      "the physical queue table answers queue-create on an inactive queue with EINVAL instead of ERANGE (QL-PSM-11)",
      ("model", "check"),
      "    refuse<P::inactive, PE::queue_create, errno_code::out_of_range>::rule<\"QL-PSM-11\">,",
      "    refuse<P::inactive, PE::queue_create, errno_code::invalid>::rule<\"QL-PSM-11\">,"),
    M("M27", "busy-check", "include/netkit/model/lease.hpp",
      "netkit's XSK pool setup forgets the lessor's memory providers: zero-copy next to a provider (QL-XSK-08)",
      ("lease",),
      """    if (enable && queue_ops::any_provider(p)) {
        return fail(errno_code::busy);
    }
    return softnic_pool_setup(w, physical, enable);""",
      "    return softnic_pool_setup(w, physical, enable);"),
    M("M28", "teardown-order", "include/netkit/model/links.hpp",
      "unregistration unbinds AF_XDP sockets after unleasing, so a lessee's pool stays on the lessor queue (QL-XSK-14)",
      ("lease", "check"),
      """    for (const auto member : members) {
        queue_ops::unbind_sockets(w, member);
        if (state::device_of(w, member).physical()) {
            std::vector<core::device_handle> lessees;
            for (const auto v : queue_ops::lessees_of(w, member)) {
                if (std::find(members.begin(), members.end(), v) == members.end()) {
                    lessees.push_back(v);
                }
            }
            for (const auto v : lessees) {
                if (state::device_of(w, v).state == registration::registered) {
                    delete_device(w, v);  // dellink: the pair peer goes too
                }
            }
        }
    }
    for (const auto member : members) {
        bpf::release_device(w, member);
        queue_ops::unlease_all(w, member);
    }
""",
      """    for (const auto member : members) {
        if (state::device_of(w, member).physical()) {
            std::vector<core::device_handle> lessees;
            for (const auto v : queue_ops::lessees_of(w, member)) {
                if (std::find(members.begin(), members.end(), v) == members.end()) {
                    lessees.push_back(v);
                }
            }
            for (const auto v : lessees) {
                if (state::device_of(w, v).state == registration::registered) {
                    delete_device(w, v);  // dellink: the pair peer goes too
                }
            }
        }
    }
    for (const auto member : members) {
        bpf::release_device(w, member);
        queue_ops::unlease_all(w, member);
        queue_ops::unbind_sockets(w, member);
    }
"""),
    M("M29", "extack", "include/netkit/model/softnic.hpp",
      "SN-CH-05's message names the highest provider queue index instead of the count (\"setting (3)\" for 4)",
      ("lease", "softnic"),
      "                                  std::to_string(provider_bound) + \")\")",
      "                                  std::to_string(provider_bound - 1) + \")\")"),
    M("M30", "counter", "include/netkit/model/softnic.hpp",
      "an AF_XDP frame too large for the socket is counted on the device's rx_dropped, not the socket's (QL-XSK-12)",
      ("lease", "softnic"),
      "                ++s->rx_dropped;\n",
      "                ++d.counters.rx_dropped;\n"),
]
# fmt: on

ID = re.compile(r"^M\d{2}$")


# ------------------------------------------------------------------ catalogue


def props_areas(repo: pathlib.Path) -> list[str]:
    """The props test names, in props/meson.build's order (test name = area)."""
    text = (repo / "props" / "meson.build").read_text()
    block = re.search(r"props_areas\s*=\s*\{(.*?)\n\}", text, re.S)
    if not block:
        raise SystemExit(f"mutate: no props_areas in {repo / 'props' / 'meson.build'}")
    return re.findall(r"^\s*'(\w+)'\s*:", block.group(1), re.M)


def static_tests(repo: pathlib.Path) -> list[str]:
    """The static suite's test names (compile-only and document checks)."""
    text = (repo / "props" / "meson.build").read_text()
    calls = re.split(r"^test\(", text, flags=re.M)[1:]
    return [m.group(1) for call in calls
            if (m := re.match(r"'([\w-]+)'", call)) and "suite: 'static'" in call.split("\n\n")[0]]


def check_catalogue(repo: pathlib.Path, mutants: list[Mutant], quiet: bool = False) -> int:
    """Returns the number of failed mutants; prints one line per failure."""
    known_tests = set(props_areas(repo)) | set(static_tests(repo))
    seen: set[str] = set()
    failed = 0
    for m in mutants:
        problems = []
        if not ID.match(m.id):
            problems.append("id is not M<two digits>")
        if m.id in seen:
            problems.append("duplicate id")
        seen.add(m.id)
        if m.klass not in CLASSES:
            problems.append(f"unknown class {m.klass!r}")
        if not m.tests:
            problems.append("no expected test")
        for t in m.tests:
            if t not in known_tests:
                problems.append(f"unknown test {t!r}")
        if m.replacement == m.original:
            problems.append("replacement equals the original")
        if not m.original:
            problems.append("empty original snippet")
        path = repo / m.file
        if not path.is_file():
            problems.append(f"no file {m.file}")
        elif m.original:
            n = path.read_text().count(m.original)
            if n != 1:
                problems.append(f"original snippet occurs {n} times in {m.file} (want 1)")
        if problems:
            failed += 1
            if not quiet:
                print(f"FAIL {m.id}: " + "; ".join(problems))
    if not quiet:
        print(f"{len(mutants) - failed} passed, {failed} failed")
    return failed


def list_catalogue(mutants: list[Mutant]) -> None:
    for m in mutants:
        print(f"{m.id}  {m.klass:<15} {pathlib.Path(m.file).name:<15} {','.join(m.tests):<16} {m.description}")


# --------------------------------------------------------------- processes


def log(message: str = "", end: str = "\n") -> None:
    print(message, end=end, flush=True)


def run(cmd: list[str], cwd: pathlib.Path | None = None, env: dict | None = None,
        timeout: float | None = None) -> tuple[int, str, bool]:
    """Runs cmd in its own process group; returns (status, output, timed out)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace", start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out, False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return -signal.SIGKILL, out, True
    except BaseException:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise


def git(repo: pathlib.Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, text=True,
                          stdout=subprocess.PIPE).stdout.strip()


# ---------------------------------------------------------------- the tree


def prepare_source(repo: pathlib.Path, src: pathlib.Path, tree: str) -> str:
    """Brings WORKDIR/src to the repository's committed (or working) tree;
    unchanged files keep their times, so builds stay incremental. Returns a
    description of what was copied."""
    if tree == "committed":
        if (src / ".git").is_dir() and git(src, "config", "--get", "remote.origin.url") == str(repo):
            subprocess.run(["git", "-C", str(src), "fetch", "-q", "origin", "HEAD"], check=True)
            subprocess.run(["git", "-C", str(src), "reset", "-q", "--hard", "FETCH_HEAD"], check=True)
            subprocess.run(["git", "-C", str(src), "clean", "-q", "-fdx"], check=True)
        else:
            if src.exists():
                shutil.rmtree(src)
            subprocess.run(["git", "clone", "-q", str(repo), str(src)], check=True)
        return "commit " + git(src, "rev-parse", "--short=12", "HEAD")
    # The working tree: tracked and untracked-but-not-ignored files.
    listed = subprocess.run(["git", "-C", str(repo), "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], check=True, stdout=subprocess.PIPE).stdout
    files = sorted({f for f in listed.decode().split("\0") if f and (repo / f).is_file()})
    if (src / ".git").exists():
        shutil.rmtree(src)
    src.mkdir(parents=True, exist_ok=True)
    wanted = set(files)
    for f in files:
        data = (repo / f).read_bytes()
        target = src / f
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            shutil.copymode(repo / f, target)
    for path in sorted(src.rglob("*"), reverse=True):
        rel = path.relative_to(src).as_posix()
        if path.is_file() and rel not in wanted:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    dirty = "+dirty" if git(repo, "status", "--porcelain") else ""
    return "working tree of " + git(repo, "rev-parse", "--short=12", "HEAD") + dirty


MESON_OPTIONS = [
    "-Doptimization=0", "-Ddebug=false", "-Db_sanitize=none",
    "-Dwire_suite=false", "-Dfuzz_replay=false", "-Dbenchmarks=false",
]


class Campaign:
    def __init__(self, args: argparse.Namespace, repo: pathlib.Path):
        self.args = args
        self.repo = repo
        self.workdir = pathlib.Path(args.workdir).resolve()
        self.src = self.workdir / "src"
        self.build = self.workdir / "build"
        self.nice = ["nice", "-n", str(args.nice)] if args.nice else []
        self.env = dict(os.environ, CXX=os.environ.get("CXX", "g++"), CC=os.environ.get("CC", "gcc"))
        self.test_env = dict(os.environ, RC_PARAMS=args.rc_params)
        self.areas: list[str] = []
        self.statics: list[str] = []

    # ------------------------------------------------------------- set-up

    def setup(self) -> str:
        for inside in (self.repo,):
            if self.workdir == inside or inside in self.workdir.parents:
                raise SystemExit(f"mutate: the workdir {self.workdir} is inside the repository {inside}: "
                                 "mutants are never applied to the repository itself")
        self.workdir.mkdir(parents=True, exist_ok=True)
        what = prepare_source(self.repo, self.src, self.args.tree)
        # Tools that read the spec look for REPO/../shared/spec.
        shared = self.repo.parent / "shared"
        link = self.workdir / "shared"
        if shared.is_dir() and not link.exists():
            link.symlink_to(shared)
        setup = ["meson", "setup", *MESON_OPTIONS, str(self.build), str(self.src)]
        if (self.build / "build.ninja").exists():
            setup.insert(2, "--reconfigure")
        status, out, _ = run(self.nice + setup, env=self.env)
        if status != 0:
            log(out)
            raise SystemExit("mutate: meson setup failed")
        self.areas = props_areas(self.src)
        self.statics = static_tests(self.src)
        return what

    # -------------------------------------------------------------- pieces

    def target_of(self, test: str) -> list[str]:
        if test in self.areas:
            return [f"props/props_{test}"]
        if test == "fsm-docs-fresh":
            return ["fsm_docs"]
        return []

    def compile(self, tests: list[str]) -> tuple[bool, str]:
        targets = [t for test in tests for t in self.target_of(test)]
        if not targets:
            return True, ""
        ninja = self.nice + ["ninja", "-C", str(self.build), f"-j{self.args.jobs}", *targets]
        status, out, _ = run(ninja, env=self.env)
        if status != 0 and not re.search(r": (?:fatal )?error:", out):
            # No diagnostic: the compiler was killed (memory on a shared
            # machine) rather than refusing the code. Once more.
            status, out, _ = run(ninja, env=self.env)
        if status == 0:
            return True, ""
        lines = out.splitlines()
        errors = [line for line in lines if re.search(r": (?:fatal )?error:|internal compiler error", line)]
        errors += [line for line in lines if line.startswith("FAILED:")]
        return False, (errors[0] if errors else "build failed")

    def run_test(self, test: str) -> tuple[bool, list[str]]:
        """Runs one test; returns (passed, the failing test cases or the reason)."""
        if test in self.areas:
            binary = self.build / "props" / f"props_{test}"
            status, out, timed_out = run(self.nice + [str(binary), "--gtest_color=no"], cwd=self.build,
                                         env=self.test_env, timeout=self.args.timeout)
            if status == 0 and not timed_out:
                return True, []
            return False, failures(out, status, timed_out)
        status, out, timed_out = run(self.nice + ["meson", "test", "-C", str(self.build), "--no-rebuild",
                                                  "--num-processes", str(self.args.jobs), test],
                                     env=self.test_env, timeout=self.args.timeout)
        if status == 0 and not timed_out:
            return True, []
        return False, [f"{test} (timeout)" if timed_out else test]

    # ----------------------------------------------------------- baseline

    def baseline(self) -> float:
        start = time.monotonic()
        tests = list(self.areas) + (list(self.statics) if self.args.static else [])
        log(f"baseline: building {len(self.areas)} props executables"
            + (" and the static suite's tool" if self.args.static else "") + " …", end="")
        ok, error = self.compile(tests)
        if not ok:
            log(f" failed\n{error}")
            raise SystemExit(2)
        log(f" {time.monotonic() - start:.0f}s")
        for test in tests:
            passed, why = self.run_test(test)
            if not passed:
                log(f"baseline: {test} fails without a mutant: {', '.join(why)}")
                raise SystemExit(2)
        elapsed = time.monotonic() - start
        log(f"baseline: {len(tests)} tests pass ({elapsed:.0f}s)")
        return elapsed

    # ------------------------------------------------------------ mutants

    def attempt(self, m: Mutant, tests: list[str], stage: str) -> dict | None:
        """Builds and runs `tests` (one by one when stage is 'expected');
        returns the verdict when one fails or does not build."""
        groups = [[t] for t in tests] if stage == "expected" else [tests]
        for group in groups:
            t0 = time.monotonic()
            log(f"    build {','.join(group)} …", end="")
            ok, error = self.compile(group)
            log(f" {time.monotonic() - t0:.0f}s", end="")
            if not ok:
                log(" does not compile")
                return {"result": "stillborn", "killed_by": None, "first_failing": None, "detail": error}
            for test in group:
                passed, why = self.run_test(test)
                if not passed:
                    more = f" and {len(why) - 1} more" if len(why) > 1 else ""
                    log(f"; {test}: KILLED ({why[0]}{more})")
                    return {"result": "killed", "killed_by": test, "first_failing": why[0], "failing": why,
                            "by_expected": stage == "expected"}
            log(f"; {','.join(group)} pass")
        return None

    def mutate(self, m: Mutant) -> dict:
        start = time.monotonic()
        path = self.src / m.file
        original_text = path.read_text()
        if original_text.count(m.original) != 1:
            return {"result": "stillborn", "killed_by": None, "first_failing": None,
                    "detail": "original snippet not found exactly once", "seconds": 0.0}
        verdict = None
        try:
            path.write_text(original_text.replace(m.original, m.replacement, 1))
            verdict = self.attempt(m, list(m.tests), "expected")
            if verdict is None:
                others = [a for a in self.areas if a not in m.tests]
                verdict = self.attempt(m, others, "others")
            if verdict is None and self.args.static:
                verdict = self.attempt(m, [s for s in self.statics if s not in m.tests], "static")
        finally:
            path.write_text(original_text)
        if verdict is None:
            verdict = {"result": "survived", "killed_by": None, "first_failing": None}
        verdict["seconds"] = round(time.monotonic() - start, 1)
        return verdict


FAILED = re.compile(r"^\[  FAILED  \] ([A-Za-z_][\w/]*\.[\w/]+)")
RUN = re.compile(r"^\[ RUN      \] (\S+)")
OK = re.compile(r"^\[       (?:OK|SKIPPED) \] (\S+)")


def failures(out: str, status: int, timed_out: bool) -> list[str]:
    """The failing gtest cases in run order; the last one is the case that
    crashed or hung, if the run did not finish."""
    failed: list[str] = []
    running = None
    for line in out.splitlines():
        if (m := FAILED.match(line)) and m.group(1) not in failed:
            failed.append(m.group(1))
        elif m := RUN.match(line):
            running = m.group(1)
        elif (m := OK.match(line)) and m.group(1) == running:
            running = None
    if timed_out or status < 0 or not failed:
        where = running or "?"
        if timed_out:
            failed.append(f"{where} (timeout)")
        elif status < 0:
            failed.append(f"{where} (signal {signal.Signals(-status).name})")
        elif not failed:
            failed.append(f"{where} (exit {status})")
    return failed


# ---------------------------------------------------------------- reports


def killer(r: dict, none: str) -> str:
    name = r.get("killed_by") or none
    return name + (" (not expected)" if r["result"] == "killed" and not r.get("by_expected") else "")


def first_failing(r: dict, none: str) -> str:
    first = r.get("first_failing") or r.get("detail") or none
    more = len(r.get("failing", [])) - 1
    return first + (f" (+{more})" if more > 0 else "")


def table(rows: list[dict]) -> str:
    head = ["id", "class", "result", "killed by", "first failing test", "s", "description"]
    body = [[r["id"], r["class"], r["result"], killer(r, "-"), first_failing(r, "-"), f"{r['seconds']:.0f}",
             r["description"]] for r in rows]
    widths = [max(len(head[i]), *(len(b[i]) for b in body)) if body else len(head[i]) for i in range(len(head) - 1)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(head, widths)) + "  " + head[-1]]
    for b in body:
        lines.append("  ".join(c.ljust(w) for c, w in zip(b, widths)) + "  " + b[-1])
    return "\n".join(lines)


def cell(r: dict) -> str:
    first = r.get("first_failing") or r.get("detail")
    if not first:
        return "—"
    more = len(r.get("failing", [])) - 1
    return f"`{first}`" + (f" (+{more})" if more > 0 else "")


def markdown(report: dict) -> str:
    out = [f"# Mutation campaign ({report['source']})", "",
           f"{report['killed']} killed, {report['survived']} survived, {report['stillborn']} stillborn "
           f"of {len(report['mutants'])} mutants in {report['seconds'] / 60:.1f} min "
           f"(baseline {report['baseline_seconds']:.0f} s; RC_PARAMS=\"{report['rc_params']}\").", "",
           "| id | class | file | mutant | expected | result | killed by | first failing test (+ other failing cases) | s |",
           "|----|-------|------|--------|----------|--------|-----------|--------------------|---|"]
    for r in report["mutants"]:
        out.append(f"| {r['id']} | {r['class']} | `{pathlib.Path(r['file']).name}` | {r['description']} | "
                   f"{', '.join(r['expected'])} | {r['result']} | {killer(r, '—')} | {cell(r)} | "
                   f"{r['seconds']:.0f} |")
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------- main


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", default=str(ROOT), help="the repository (default: this script's)")
    parser.add_argument("--check-catalogue", action="store_true",
                        help="check the catalogue against --repo without building, then exit")
    parser.add_argument("--list", action="store_true", help="print the catalogue and exit")
    parser.add_argument("--only", help="comma-separated mutant ids (default: all)")
    parser.add_argument("--workdir", default=str(pathlib.Path(tempfile.gettempdir()) / f"netkit-mutate-{os.getuid()}"),
                        help="scratch directory holding src/ and build/ (default: %(default)s)")
    parser.add_argument("--tree", choices=["committed", "working"], default="committed",
                        help="mutate a clone of the committed tree (default) or a copy of the working tree")
    parser.add_argument("--jobs", type=int, default=1, help="ninja -j (default: 1)")
    parser.add_argument("--nice", type=int, default=15, help="niceness of builds and tests (default: 15; 0: off)")
    parser.add_argument("--rc-params", default="max_success=100 seed=1",
                        help="RC_PARAMS for the props tests (default: %(default)s)")
    parser.add_argument("--no-static", dest="static", action="store_false",
                        help="do not run the static suite before declaring a survivor")
    parser.add_argument("--timeout", type=float, default=600, help="seconds per test run (default: 600)")
    parser.add_argument("--report", help="write the results: FILE.json as JSON, anything else as markdown")
    args = parser.parse_args(argv)

    repo = pathlib.Path(args.repo).resolve()
    mutants = CATALOGUE
    if args.only:
        wanted = [w.strip() for w in args.only.split(",") if w.strip()]
        unknown = [w for w in wanted if w not in {m.id for m in CATALOGUE}]
        if unknown:
            parser.error(f"unknown mutant id(s): {', '.join(unknown)}")
        mutants = [m for m in CATALOGUE if m.id in wanted]

    if args.check_catalogue:
        return 1 if check_catalogue(repo, mutants) else 0
    if args.list:
        list_catalogue(mutants)
        return 0
    if check_catalogue(repo, mutants, quiet=True):
        check_catalogue(repo, mutants)
        return 2

    started = time.monotonic()
    campaign = Campaign(args, repo)
    source = campaign.setup()
    log(f"mutate: {len(mutants)} mutants of {source} in {campaign.workdir} "
        f"(ninja -j{args.jobs}, nice {args.nice}, RC_PARAMS=\"{args.rc_params}\")")
    baseline = campaign.baseline()
    rows = []
    for n, m in enumerate(mutants, 1):
        log(f"[{n:2}/{len(mutants)}] {m.id} {m.klass}: {m.description}")
        verdict = campaign.mutate(m)
        row = {"id": m.id, "class": m.klass, "file": m.file, "description": m.description,
               "expected": list(m.tests), "by_expected": False, **verdict}
        rows.append(row)
        log(f"    → {row['result']} ({row['seconds']:.0f}s)")
    elapsed = time.monotonic() - started
    counts = {k: sum(r["result"] == k for r in rows) for k in ("killed", "survived", "stillborn")}
    log("")
    log(table(rows))
    log("")
    log(f"{counts['killed']} killed, {counts['survived']} survived, {counts['stillborn']} stillborn "
        f"in {elapsed / 60:.1f} min (baseline {baseline:.0f}s)")
    if args.report:
        report = {"source": source, "workdir": str(campaign.workdir), "jobs": args.jobs,
                  "rc_params": args.rc_params, "meson_options": MESON_OPTIONS,
                  "seconds": round(elapsed, 1), "baseline_seconds": round(baseline, 1), **counts,
                  "mutants": rows}
        path = pathlib.Path(args.report)
        path.write_text(json.dumps(report, indent=2) + "\n" if path.suffix == ".json" else markdown(report))
        log(f"report: {path}")
    return 0 if counts["survived"] == counts["stillborn"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
