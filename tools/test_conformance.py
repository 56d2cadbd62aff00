#!/usr/bin/env python3
"""Self-test for tools/conformance.py.

Builds a tiny fake specification and a fake test tree in a temporary
directory and checks the mapping: an ID inside a TEST body belongs to that
test, an ID in the comment block directly above a TEST belongs to that test,
IDs elsewhere belong to the file, uncovered rules are listed, tags (trailing,
multi-line, inline, section) are parsed, tests are tagged unconfirmed, and
--write / --check behave.

Run: python3 tools/test_conformance.py
"""

import contextlib
import io
import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import conformance  # noqa: E402  (imported after the path set-up)


RULES_TXT = """\
MP-01\tmprog.md\tconstants
MP-02\tmprog.md\tscripted programs
NK-CRT-01\tdevice.md\tfirst check
NK-CRT-02\tdevice.md\tsecond check
NK-CRT-03\tdevice.md\tthird check
NK-ENV-01\tdevice.md\tifindex allocation
NK-ENV-02\tdevice.md\tnetns ids
NL-ERR-01\tnetlink.md\tacks
QL-CAN-01\tlease.md\tqueue busy
QL-PSM-01\tlease.md\tstates
QL-PSM-02\tlease.md\tchannels grow (from P0)
QL-PSM-03\tlease.md\tV unregistered (from P5)
SN-GEN-01\tsoftnic.md\tproperties
"""

DEVICE_MD = """\
# device.md — the fake device

## 1. Creation

- **NK-CRT-01 — first check.** A request without a name fails with EINVAL (22).
- **NK-CRT-02 — second check.** The peer is registered first. (derived)
- **NK-CRT-03 — third check.** Register the peer; on failure (name exists →
  EEXIST; ifindex taken → EBUSY, unconfirmed) the peer is freed.

## 2. Environment

- **NK-ENV-01 — ifindex allocation.** An ifindex is unique. A requested index
  that is taken fails with EBUSY (16).
  (unconfirmed)
- **NK-ENV-02 — netns ids.** Each netns keeps a table. An id is allocated on
  demand (lowest unused value). Lookups of unknown ids fail. (unconfirmed:
  allocation order)
"""

MPROG_MD = """\
# mprog.md — fake engine

## 1. Constants

- **MP-01 — constants.** BPF_F_BEFORE = 8.

## 2. Programs (model-defined)

- **MP-02 — scripted programs.** A program returns a scripted value.
"""

LEASE_MD = """\
# lease.md — fake leasing

## 1. Helpers

- **QL-CAN-01 — queue busy.** Busy on the first match. Profile v7-jan2026:
  other order. Profile linux-7.1.0: as newest (unconfirmed).

## 14. State machine

- **QL-PSM-01 — states.** P0 INACTIVE; P1 FREE.

| ID | event | from | guard | to | result |
|----|-------|------|-------|----|--------|
| QL-PSM-02 | channels grow | P0 | i < new real rx | P1 | ok |
| QL-PSM-03 | V unregistered | P5 | — | P1 (v7-jan2026: P2-like, unconfirmed) | cleaned |
"""

SOFTNIC_MD = """\
# softnic.md — fake NIC

- **SN-GEN-01 — properties.** Ethernet device. (model-defined)
"""

NETLINK_MD = """\
# netlink.md — fake netlink

- **NL-ERR-01 — acks.** Every request gets an ack.
"""

SCENARIOS_MD = """\
# scenarios.md — fake scenarios

| ID | source | setup / action | expected | rules |
|----|--------|----------------|----------|-------|
| SC-NK-001 | tc_netkit.c create | create | ok | NK-CRT-01, NK-CRT-02 |
| SC-QL-001 | nk_qlease.py lease | lease | ok | QL-PSM-02 |
"""

UNCONFIRMED_TXT = """\
# fake data
ID: NK-CRT-03
alternative: EEXIST.
evidence: dev_index_reserve.
code: nk::unconfirmed::peer_ifindex_taken_errno

ID: NK-ENV-01
alternative: lowest free index.
evidence: register_netdevice.
code: not yet implemented

ID: NK-ENV-02
alternative: cyclic ids.
evidence: alloc_netid.
code: not yet implemented

ID: QL-CAN-01
alternative: v7 range.
evidence: ethnl_set_channels.
code: not yet implemented

ID: QL-PSM-03
alternative: P1.
evidence: unlease path.
code: not yet implemented
"""

TEST_CPP = """\
#include <gtest/gtest.h>

// Helpers for NK-CRT-01 and friends: this comment is not above a test.

int helper() { return 1; }

TEST(Create, InBody) {
  // exercises NK-CRT-02
  const char* text = "}";  // a brace inside a string must not end the body
  EXPECT_EQ(helper(), 1);  // NK-ENV-02 after the string
}

// Covers NK-ENV-01 (a comment block directly above the test)
// [unconfirmed] because NK-ENV-01 is a guess.
TEST_F(EnvFixture, CommentAbove) {
  EXPECT_TRUE(true);
}

// QL-PSM-01: a comment separated from the next test by a blank line.

TEST(Lease, AfterBlankLine) {
  EXPECT_TRUE(true);
}

TEST_P(Lease, unconfirmed_v7_order) {
  // QL-CAN-01, SC-NK-001
}

RC_GTEST_PROP(Props, Range, (int x)) {
  // MP-01…02 is a range: only MP-01 counts. NK_CRT_03 does not count.
  RC_ASSERT(x == x);
}

TEST(Unknown, Typo) {
  // NK-CRT-99 is not a rule.
}
"""

FUZZ_CPP = """\
// fuzzer for NL-ERR-01
int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }
"""

COMPILE_FAIL_CPP = """\
// QL-PSM-02: must not compile
int main() { return missing; }
"""


def write(root: Path, relative: str, text: str) -> None:
    """Create a file (and its directories) below root."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")


class ConformanceTest(unittest.TestCase):
    """End-to-end checks on a fake spec and a fake repository."""

    def setUp(self) -> None:
        self.temp = tempfile.TemporaryDirectory()
        base = Path(self.temp.name)
        self.spec = base / "shared" / "spec"
        self.repo = base / "main"
        write(self.spec, "rules.txt", RULES_TXT)
        write(self.spec, "device.md", DEVICE_MD)
        write(self.spec, "mprog.md", MPROG_MD)
        write(self.spec, "lease.md", LEASE_MD)
        write(self.spec, "softnic.md", SOFTNIC_MD)
        write(self.spec, "netlink.md", NETLINK_MD)
        write(self.spec, "scenarios.md", SCENARIOS_MD)
        write(self.repo, "docs/unconfirmed.txt", UNCONFIRMED_TXT)
        write(self.repo, "props/device/create_test.cpp", TEST_CPP)
        write(self.repo, "fuzz/netlink_fuzz.cpp", FUZZ_CPP)
        write(self.repo, "props/compile_fail/psm_bad.cpp", COMPILE_FAIL_CPP)
        write(self.repo, "props/not_a_test.py", "# NK-CRT-03 in a python file\n")
        self.model = conformance.build_model(
            self.spec, self.repo, self.repo / "docs" / "unconfirmed.txt"
        )
        self.cited = conformance.citations_by_id(self.model.tests)

    def tearDown(self) -> None:
        self.temp.cleanup()

    def labels(self, identifier: str) -> list[str]:
        """Labels of the tests citing an ID."""
        return [unit.label for unit in self.cited.get(identifier, [])]

    def run_main(self, *arguments: str) -> tuple[int, str]:
        """Run the command line with the fake repo and spec."""
        output = io.StringIO()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(io.StringIO()):
            status = conformance.main(
                ["--repo", str(self.repo), "--spec", str(self.spec), *arguments]
            )
        return status, output.getvalue()

    # --- mapping -------------------------------------------------------

    def test_id_in_body_belongs_to_that_test(self) -> None:
        self.assertEqual(self.labels("NK-CRT-02"), ["props/device/create_test.cpp:Create.InBody"])

    def test_string_brace_does_not_end_the_body(self) -> None:
        self.assertEqual(self.labels("NK-ENV-02"), ["props/device/create_test.cpp:Create.InBody"])

    def test_id_in_comment_above_belongs_to_that_test(self) -> None:
        self.assertEqual(
            self.labels("NK-ENV-01"),
            ["props/device/create_test.cpp:EnvFixture.CommentAbove"],
        )

    def test_comment_separated_by_blank_line_belongs_to_file(self) -> None:
        self.assertEqual(self.labels("QL-PSM-01"), ["props/device/create_test.cpp"])
        self.assertEqual(self.labels("NK-CRT-01"), ["props/device/create_test.cpp"])

    def test_rapidcheck_property_and_ranges(self) -> None:
        self.assertEqual(self.labels("MP-01"), ["props/device/create_test.cpp:Props.Range"])
        self.assertEqual(self.labels("MP-02"), [])
        # The underscore spelling and the .py file do not count.
        self.assertEqual(self.labels("NK-CRT-03"), [])

    def test_non_gtest_files_cite_as_file(self) -> None:
        self.assertEqual(self.labels("NL-ERR-01"), ["fuzz/netlink_fuzz.cpp"])
        self.assertEqual(self.labels("QL-PSM-02"), ["props/compile_fail/psm_bad.cpp"])

    def test_scenario_citation(self) -> None:
        self.assertEqual(
            self.labels("SC-NK-001"),
            ["props/device/create_test.cpp:Lease.unconfirmed_v7_order"],
        )
        self.assertEqual(self.labels("SC-QL-001"), [])
        self.assertEqual(self.model.scenarios["SC-NK-001"].rules, ["NK-CRT-01", "NK-CRT-02"])

    # --- tags ----------------------------------------------------------

    def test_rule_tags(self) -> None:
        rules = self.model.rules
        self.assertEqual(rules["NK-CRT-01"].tag_label, "")
        self.assertEqual(rules["NK-CRT-02"].tag_label, "derived")
        self.assertEqual(rules["NK-CRT-03"].tag_label, "partly unconfirmed (inline)")
        self.assertEqual(rules["NK-ENV-01"].tag_label, "unconfirmed")
        self.assertEqual(rules["NK-ENV-02"].tag_label, "unconfirmed: allocation order")
        self.assertEqual(rules["MP-02"].tag_label, "model-defined (section)")
        self.assertEqual(rules["MP-01"].tag_label, "")
        self.assertEqual(rules["SN-GEN-01"].tag_label, "model-defined")
        self.assertEqual(rules["QL-PSM-03"].tag_label, "partly unconfirmed (inline)")
        unconfirmed = sorted(r.rule_id for r in rules.values() if r.unconfirmed)
        self.assertEqual(
            unconfirmed, ["NK-CRT-03", "NK-ENV-01", "NK-ENV-02", "QL-CAN-01", "QL-PSM-03"]
        )
        self.assertEqual(self.model.problems, [])

    def test_unconfirmed_scope(self) -> None:
        rules = self.model.rules
        scope, guess = conformance.unconfirmed_scope(rules["NK-ENV-02"])
        self.assertEqual(scope, "part: allocation order")
        self.assertEqual(guess, "An id is allocated on demand (lowest unused value).")
        scope, guess = conformance.unconfirmed_scope(rules["QL-CAN-01"])
        self.assertEqual(scope, "part: last sentence (profile remark)")
        self.assertEqual(guess, "Profile linux-7.1.0: as newest")
        scope, _ = conformance.unconfirmed_scope(rules["NK-ENV-01"])
        self.assertEqual(scope, "whole rule")

    def test_tests_tagged_unconfirmed(self) -> None:
        tagged = sorted(unit.label for unit in self.model.tests if unit.tagged_unconfirmed)
        self.assertEqual(
            tagged,
            [
                "props/device/create_test.cpp:EnvFixture.CommentAbove",
                "props/device/create_test.cpp:Lease.unconfirmed_v7_order",
            ],
        )

    # --- document and command line -------------------------------------

    def test_document_lists_uncovered_rules_and_unconfirmed_items(self) -> None:
        document = conformance.render_document(self.model)
        self.assertIn("| MP-02 | scripted programs | model-defined (section) | not yet covered |",
                      document)
        self.assertIn("| NK-CRT-02 | second check | derived | "
                      "`props/device/create_test.cpp:Create.InBody` |", document)
        self.assertIn("| **total** | **13** | **9** | **4** |", document)
        self.assertIn("`nk::unconfirmed::peer_ifindex_taken_errno`", document)
        self.assertIn("`props/device/create_test.cpp:EnvFixture.CommentAbove` (tagged)", document)
        self.assertIn("| SC-QL-001 | nk_qlease.py lease | QL-PSM-02 | not yet covered |",
                      document)
        self.assertIn("| NK-CRT-99 |", document)  # unknown IDs are reported

    def test_write_then_check(self) -> None:
        status, _ = self.run_main("--write")
        self.assertEqual(status, 0)
        status, output = self.run_main("--check")
        self.assertEqual(status, 0, output)
        document = self.repo / "docs" / "conformance.md"
        document.write_text(document.read_text(encoding="utf-8") + "hand edit\n",
                            encoding="utf-8")
        status, output = self.run_main("--check")
        self.assertEqual(status, 1)
        self.assertIn("out of date", output)
        self.assertEqual(self.run_main("--write")[0], 0)
        self.assertEqual(self.run_main("--check")[0], 0)

    def test_check_fails_on_missing_unconfirmed_entry(self) -> None:
        self.assertEqual(self.run_main("--write")[0], 0)
        data = self.repo / "docs" / "unconfirmed.txt"
        data.write_text(UNCONFIRMED_TXT.split("ID: NK-ENV-01")[0], encoding="utf-8")
        self.assertEqual(self.run_main("--write")[0], 0)
        status, _ = self.run_main("--check")
        self.assertEqual(status, 1)

    def test_default_mode_prints_summary(self) -> None:
        status, output = self.run_main()
        self.assertEqual(status, 0)
        self.assertIn("rules: 13 total, 9 covered, 4 not yet covered", output)
        self.assertIn("NK-CRT", output)


class HelperTest(unittest.TestCase):
    """Unit checks of the small text helpers."""

    def test_split_sentences_keeps_brackets_and_abbreviations(self) -> None:
        text = "Range [a, b) is checked. Use e.g. this (x. y) value. Last"
        self.assertEqual(
            conformance.split_sentences(text),
            ["Range [a, b) is checked.", "Use e.g. this (x. y) value.", "Last"],
        )

    def test_markdown_cell_escapes_pipes_and_tags(self) -> None:
        self.assertEqual(conformance.markdown_cell("A | B <n>"), "A \\| B &lt;n>")


if __name__ == "__main__":
    unittest.main()
