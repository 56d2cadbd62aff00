#!/usr/bin/env python3
"""Conformance map between the netkit-model specification and its tests.

The specification (default: ../shared/spec relative to the repository root)
defines every normative statement as a rule with a stable ID (README.md §3)
and a list of public scenarios (scenarios.md).  The project's tests cite the
IDs they exercise.  This tool joins the two and produces docs/conformance.md:

  * which rules and scenarios are cited by which tests, and which are not
    yet covered;
  * the confidence tag of every rule ((derived), (unconfirmed),
    (model-defined), ...);
  * every rule that is (partly) tagged (unconfirmed), with the best guess the
    model implements, plausible alternatives, the evidence that would settle
    it and the C++ name holding the choice (README.md §5).  The alternatives,
    evidence and C++ names come from the hand-maintained docs/unconfirmed.txt.

How a citation is counted
-------------------------
Test sources are props/**/*.cpp, props/**/*.hpp, fuzz/**/*.cpp,
examples/**/*.cpp and every C++ file under props/compile_fail/.  A citation is
an explicitly written, complete ID: NK-CRT-12, MP-07, QL-PSM-26, SN-RSS-01,
NL-ERR-04 or a scenario ID such as SC-NK-001.  Ranges ("MP-22…35",
"MP-22..35") are not expanded: only the IDs written out in full count, so
such a range cites MP-22 only.  Underscore spellings (NK_CRT_12) do not count.

A citation belongs to a test:
  * in a GoogleTest / RapidCheck file, to the TEST, TEST_F, TEST_P,
    TYPED_TEST, TYPED_TEST_P, RC_GTEST_PROP or RC_GTEST_FIXTURE_PROP whose
    macro line or body contains it, or whose comment block directly above the
    macro (comment lines only, no blank line in between) contains it;
  * otherwise (helpers, file comments, fuzzers, examples, compile-fail
    cases) to the file itself.

A test is "tagged unconfirmed" when its suite or test name contains
"unconfirmed" (any case) or when "[unconfirmed]" appears in its body or in the
comment block directly above it.  A file-level unit is tagged when its path
contains "unconfirmed" or "[unconfirmed]" appears outside its tests.

Modes
-----
  tools/conformance.py            print a summary (default)
  tools/conformance.py --write    regenerate docs/conformance.md
  tools/conformance.py --check    exit 1 if docs/conformance.md is stale or
                                  docs/unconfirmed.txt is incomplete (for CI
                                  and as a meson test)

The output is deterministic: no timestamps, no absolute paths, no line
numbers, everything sorted.  Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------
# Constants
# --------------------------------------------------------------------------

SPEC_RULE_FILES = ["device.md", "mprog.md", "lease.md", "softnic.md", "netlink.md"]
SCENARIO_FILE = "scenarios.md"
RULES_FILE = "rules.txt"

DEFAULT_OUTPUT = "docs/conformance.md"
DEFAULT_UNCONFIRMED_DATA = "docs/unconfirmed.txt"
NOT_IMPLEMENTED = "not yet implemented"
NOT_COVERED = "not yet covered"

RULE_ID = r"(?:(?:NK|QL|SN|NL)-[A-Z]+-\d{2}|MP-\d{2})"
SCENARIO_ID = r"SC-(?:NK|QL)-\d{3}"

# Any ID as written in a test source.  The look-arounds keep us from matching
# inside a longer token (e.g. "XNK-CRT-12" or "NK-CRT-123").
CITATION_RE = re.compile(
    r"(?<![A-Za-z0-9_])(" + SCENARIO_ID + "|" + RULE_ID + r")(?![A-Za-z0-9_])"
)
RULE_ID_RE = re.compile(r"(?<![A-Za-z0-9_])" + RULE_ID + r"(?![A-Za-z0-9_])")

# "- **NK-UAPI-01 — netkit_action values.** text"
BULLET_RE = re.compile(r"^- \*\*(" + RULE_ID + r") — (.+?)\.\*\*\s*(.*)$")
# "| QL-PSM-02 | channels grow | P0 | ... |"
TABLE_ROW_RE = re.compile(r"^\|\s*(" + RULE_ID + r")\s*\|")
SCENARIO_ROW_RE = re.compile(r"^\|\s*(" + SCENARIO_ID + r")\s*\|")
HEADING_RE = re.compile(r"^(#+)\s+(.*)$")

TAG_KEYWORDS = ("unconfirmed", "derived", "model-defined", "withdrawn")

TEST_MACROS = (
    "TEST",
    "TEST_F",
    "TEST_P",
    "TYPED_TEST",
    "TYPED_TEST_P",
    "RC_GTEST_PROP",
    "RC_GTEST_FIXTURE_PROP",
)
TEST_MACRO_RE = re.compile(
    r"\b(" + "|".join(TEST_MACROS) + r")\s*\(\s*(\w+)\s*,\s*(\w+)"
)

CPP_EXTENSIONS = (".cpp", ".hpp", ".cc", ".cxx", ".h", ".hxx")

SENTENCE_ABBREVIATIONS = ("e.g.", "i.e.", "etc.", "vs.", "cf.")
QUALIFIER_STOPWORDS = {
    "the", "a", "an", "of", "and", "or", "for", "to", "in", "on", "was",
    "is", "be", "whether", "between", "two", "part", "details", "which",
}


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


@dataclass
class Rule:
    """One rule of the specification."""

    rule_id: str
    spec_file: str
    title: str
    order: int  # position in the spec file (file order of rules)
    text: str = ""  # rule text without the title, whitespace-normalised
    is_table_row: bool = False
    trailing_tag: str = ""  # tag at the end of the rule, as written
    section_tag: str = ""  # tag inherited from the section heading
    inline_tags: list[str] = field(default_factory=list)  # e.g. ["unconfirmed"]
    found_in_markdown: bool = False

    @property
    def area(self) -> str:
        """Prefix area: 'NK-CRT', 'QL-PSM', or 'MP'."""
        parts = self.rule_id.split("-")
        return "-".join(parts[:-1])

    @property
    def withdrawn(self) -> bool:
        """True if the rule text was replaced by '(withdrawn)'."""
        return self.trailing_tag.startswith("withdrawn")

    @property
    def tag_label(self) -> str:
        """The tag shown in the per-file tables."""
        labels = []
        if self.trailing_tag:
            labels.append(self.trailing_tag)
        elif self.section_tag:
            labels.append(self.section_tag + " (section)")
        for kind in self.inline_tags:
            labels.append("partly " + kind + " (inline)")
        return "; ".join(labels)

    @property
    def unconfirmed(self) -> bool:
        """True if the rule or a part of it is tagged (unconfirmed)."""
        if self.trailing_tag.startswith("unconfirmed"):
            return True
        if "unconfirmed" in self.trailing_tag:
            return True
        return "unconfirmed" in self.inline_tags


@dataclass
class Scenario:
    """One public conformance scenario of scenarios.md."""

    scenario_id: str
    source: str
    rules: list[str]
    order: int


@dataclass
class TestUnit:
    """A test (or a whole file) that may cite IDs."""

    path: str  # relative to the repository root, '/' separators
    name: str  # 'Suite.Name', or '' for a file-level unit
    tagged_unconfirmed: bool = False
    cited: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        """'props/x.cpp:Suite.Name' or 'props/x.cpp'."""
        if self.name:
            return self.path + ":" + self.name
        return self.path


@dataclass
class UnconfirmedEntry:
    """One block of docs/unconfirmed.txt."""

    rule_id: str
    alternative: str = ""
    evidence: str = ""
    code: str = ""


@dataclass
class Model:
    """Everything the report is built from."""

    rules: dict[str, Rule]
    scenarios: dict[str, Scenario]
    tests: list[TestUnit]
    files_scanned: list[str]
    unconfirmed_data: dict[str, UnconfirmedEntry]
    problems: list[str]  # consistency problems (make --check fail)
    notes: list[str]  # informational remarks (printed, not fatal)
    file_titles: dict[str, str]


# --------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace into single spaces."""
    return " ".join(text.split())


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences.

    A sentence ends at '. ' (or at the end of the text) outside brackets.
    Brackets of all kinds share one depth counter, so half-open intervals
    like "[a, b)" stay balanced.  Common abbreviations do not end a sentence.
    """
    sentences = []
    depth = 0
    start = 0
    for index, char in enumerate(text):
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char == "." and depth == 0:
            at_end = index + 1 == len(text)
            if not at_end and text[index + 1] != " ":
                continue
            candidate = text[start : index + 1]
            words = candidate.split()
            last_word = words[-1] if words else ""
            if last_word.lower() in SENTENCE_ABBREVIATIONS:
                continue
            sentences.append(candidate.strip())
            start = index + 1
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


def word_tokens(text: str) -> list[str]:
    """Lower-case alphanumeric tokens of a text."""
    return [token for token in re.split(r"[^a-z0-9]+", text.lower()) if token]


def markdown_cell(text: str) -> str:
    """Make text safe for a Markdown table cell."""
    text = normalise_space(text)
    text = text.replace("|", "\\|")
    # "<n>" or "</x" would be read as HTML; escape only those.
    text = re.sub(r"<(?=[A-Za-z/])", "&lt;", text)
    return text


def id_sort_key(identifier: str) -> tuple:
    """Sort IDs by prefix and area, then numerically."""
    parts = identifier.split("-")
    return (parts[:-1], int(parts[-1]) if parts[-1].isdigit() else 0, identifier)


# --------------------------------------------------------------------------
# Spec parsing
# --------------------------------------------------------------------------


def parse_rules_txt(spec_dir: Path) -> dict[str, Rule]:
    """Read rules.txt: one 'ID<TAB>file<TAB>short title' per line."""
    rules: dict[str, Rule] = {}
    path = spec_dir / RULES_FILE
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise ValueError(f"{path}:{line_number}: expected 3 tab-separated fields")
        rule_id, spec_file, title = (value.strip() for value in fields)
        rules[rule_id] = Rule(rule_id=rule_id, spec_file=spec_file, title=title, order=0)
    return rules


def split_trailing_tag(text: str) -> tuple[str, str]:
    """Split 'body (tag)' into (body, tag) if the last parenthesis is a tag.

    A tag is a parenthesised group at the very end of the rule text that
    starts with one of the confidence keywords.  Returns (text, '') when
    there is none.
    """
    match = re.search(r"\(([^()]*)\)\s*\.?\s*$", text)
    if not match:
        return text, ""
    content = normalise_space(match.group(1))
    if not content.lower().startswith(TAG_KEYWORDS):
        return text, ""
    return text[: match.start()].rstrip(), content


def display_tag(raw_tag: str) -> str:
    """Shorten a trailing tag for display.

    The tag is split at ';'.  Segments that start with a confidence keyword
    are kept (e.g. "unconfirmed: numeric feature bits; model-defined driver
    name"); other segments are remarks ("derived; seen in nk_qlease.py") and
    are dropped.
    """
    kept = []
    for segment in raw_tag.split(";"):
        segment = segment.strip()
        if segment.lower().startswith(TAG_KEYWORDS):
            kept.append(segment)
    return "; ".join(kept)


def inline_tag_kinds(body: str) -> list[str]:
    """Confidence keywords used as a marker inside a parenthesised group.

    Examples: "(name exists → EEXIST; ifindex taken → EBUSY, unconfirmed)",
    "(... — unconfirmed)", "(unconfirmed; unreachable in the model)".
    A group counts when one of its ';', ',' or '—' separated items starts
    with the keyword.
    """
    kinds = []
    for group in re.findall(r"\(([^()]*)\)", body):
        for item in re.split(r"[;,—]", group):
            item = item.strip().lower()
            for keyword in TAG_KEYWORDS:
                if item.startswith(keyword) and keyword not in kinds:
                    kinds.append(keyword)
    return kinds


def parse_spec_file(spec_dir: Path, spec_file: str, rules: dict[str, Rule],
                    problems: list[str]) -> str:
    """Parse the rules of one spec file into `rules`; return its H1 title.

    A bullet rule continues on the following lines indented by two spaces.
    A table row rule (lease.md §14/§15) is one line; its text is built from
    the column names of the table header.  A section heading ending in a tag,
    e.g. "## 12. ... (model-defined)", gives that tag to its untagged rules.
    """
    path = spec_dir / spec_file
    lines = path.read_text(encoding="utf-8").splitlines()
    title = spec_file
    section_tag = ""
    table_header: list[str] = []
    current: Rule | None = None
    current_parts: list[str] = []
    order = 0

    def finish_bullet() -> None:
        if current is not None:
            set_rule_text(current, " ".join(current_parts))

    for line in lines:
        heading = HEADING_RE.match(line)
        if heading:
            finish_bullet()
            current = None
            level = len(heading.group(1))
            heading_text = heading.group(2).strip()
            if level == 1:
                title = heading_text
            _, tag = split_trailing_tag(heading_text)
            if level <= 2:
                section_tag = display_tag(tag)
            continue

        bullet = BULLET_RE.match(line)
        row = TABLE_ROW_RE.match(line)
        if bullet or row:
            finish_bullet()
            current = None
            rule_id = (bullet or row).group(1)
            rule = rules.get(rule_id)
            if rule is None:
                problems.append(f"{spec_file}: rule {rule_id} is not listed in rules.txt")
                rule = Rule(rule_id=rule_id, spec_file=spec_file, title="?", order=0)
                rules[rule_id] = rule
            if rule.found_in_markdown:
                problems.append(f"{spec_file}: rule {rule_id} is defined twice")
            if rule.spec_file != spec_file:
                problems.append(
                    f"{rule_id}: rules.txt says {rule.spec_file}, found in {spec_file}"
                )
            rule.found_in_markdown = True
            rule.section_tag = section_tag
            rule.order = order
            order += 1
            if bullet:
                current = rule
                current_parts = [bullet.group(3)]
            else:
                rule.is_table_row = True
                set_rule_text(rule, table_row_text(line, table_header))
            continue

        if line.startswith("|"):
            cells = table_cells(line)
            if cells and cells[0] == "ID":
                table_header = cells
            current = None
            continue

        if current is not None and line.startswith("  ") and line.strip():
            current_parts.append(line.strip())
        else:
            finish_bullet()
            current = None
    finish_bullet()
    return title


def table_cells(line: str) -> list[str]:
    """Cells of a Markdown table row, stripped."""
    inner = line.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [cell.strip() for cell in inner.split("|")]


def table_row_text(line: str, header: list[str]) -> str:
    """Render a state-machine row as 'event: …; from: …; guard: …; …'."""
    cells = table_cells(line)[1:]
    names = header[1:] if len(header) == len(cells) + 1 else [""] * len(cells)
    parts = []
    for name, value in zip(names, cells):
        if value in ("", "—"):
            continue
        parts.append(f"{name}: {value}" if name else value)
    return "; ".join(parts)


def set_rule_text(rule: Rule, raw_text: str) -> None:
    """Store a rule's text and derive its trailing and inline tags."""
    text = normalise_space(raw_text)
    if rule.is_table_row:
        body, raw_tag = text, ""
    else:
        body, raw_tag = split_trailing_tag(text)
    rule.text = body
    rule.trailing_tag = display_tag(raw_tag)
    rule.inline_tags = inline_tag_kinds(body)


def parse_scenarios(spec_dir: Path) -> dict[str, Scenario]:
    """Read scenario rows: first cell the ID, second the source, last the rules."""
    scenarios: dict[str, Scenario] = {}
    path = spec_dir / SCENARIO_FILE
    for line in path.read_text(encoding="utf-8").splitlines():
        if not SCENARIO_ROW_RE.match(line):
            continue
        cells = table_cells(line)
        scenario_id = cells[0]
        source = cells[1] if len(cells) > 1 else ""
        referenced = RULE_ID_RE.findall(cells[-1])
        scenarios[scenario_id] = Scenario(
            scenario_id=scenario_id, source=source, rules=referenced, order=len(scenarios)
        )
    return scenarios


def check_unparsed_mentions(rules: dict[str, Rule], notes: list[str]) -> None:
    """Note rules mentioning 'unconfirmed' in a way not recognised as a tag."""
    for rule in rules.values():
        if "unconfirmed" in rule.text.lower() and not rule.unconfirmed:
            notes.append(f"{rule.rule_id}: mentions 'unconfirmed' but no tag was recognised")


# --------------------------------------------------------------------------
# The unconfirmed part of a rule
# --------------------------------------------------------------------------


def unconfirmed_scope(rule: Rule) -> tuple[str, str]:
    """Return (scope, best guess text) for an unconfirmed rule.

    * Inline markers: the sentences that carry a marker (table rows: the row).
    * A trailing tag with a qualifier ("unconfirmed: allocation order"): the
      sentence whose words best match the qualifier, else the last sentence.
    * A bare trailing "(unconfirmed)": if the last sentence is a profile
      remark ("Profile v7-jan2026: …") and there are others, that sentence;
      otherwise the whole rule.
    """
    sentences = [rule.text] if rule.is_table_row else split_sentences(rule.text)
    if not sentences:
        return "whole rule", rule.text

    if "unconfirmed" in rule.inline_tags:
        marked = [s for s in sentences if "unconfirmed" in s.lower()]
        return "part (inline marker)", " ".join(marked) or rule.text

    tag = rule.trailing_tag
    unconfirmed_segment = ""
    for segment in tag.split(";"):
        if segment.strip().startswith("unconfirmed"):
            unconfirmed_segment = segment.strip()
    qualifier = unconfirmed_segment[len("unconfirmed"):].lstrip(" :").strip()

    if qualifier:
        return f"part: {qualifier}", best_matching_sentence(sentences, qualifier)
    if len(sentences) > 1 and sentences[-1].startswith("Profile"):
        return "part: last sentence (profile remark)", sentences[-1]
    return "whole rule", shorten(rule.text)


def best_matching_sentence(sentences: list[str], qualifier: str) -> str:
    """The sentence sharing most word stems with the qualifier.

    A stem is the first five letters of a qualifier word (stop words
    removed); a sentence word matches when it starts with the stem.  With no
    match at all the last sentence is taken, because tags follow the text
    they qualify.
    """
    stems = [
        token[:5]
        for token in word_tokens(qualifier)
        if token not in QUALIFIER_STOPWORDS
    ]
    best_index = len(sentences) - 1
    best_score = 0
    for index, sentence in enumerate(sentences):
        tokens = word_tokens(sentence)
        score = sum(1 for stem in stems if any(t.startswith(stem) for t in tokens))
        if score > best_score:
            best_score = score
            best_index = index
    return sentences[best_index]


def shorten(text: str, limit: int = 500) -> str:
    """Whole sentences of text up to about `limit` characters (at least one)."""
    if len(text) <= limit:
        return text
    result = ""
    for sentence in split_sentences(text):
        if result and len(result) + 1 + len(sentence) > limit:
            return result + " …"
        result = (result + " " + sentence).strip()
    return result


# --------------------------------------------------------------------------
# docs/unconfirmed.txt
# --------------------------------------------------------------------------


def parse_unconfirmed_data(path: Path, problems: list[str]) -> dict[str, UnconfirmedEntry]:
    """Parse the hand-maintained data file.

    Format: blocks separated by blank lines; '#' starts a comment line.
    Each block has the fields 'ID:', 'alternative:', 'evidence:' and 'code:';
    a line starting with whitespace continues the previous field.
    """
    entries: dict[str, UnconfirmedEntry] = {}
    if not path.exists():
        problems.append(f"{path.name} does not exist")
        return entries
    blocks: list[list[tuple[int, str]]] = [[]]
    for line_number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("#"):
            continue
        if not line.strip():
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append((line_number, line))
    for block in blocks:
        if block:
            entry = parse_unconfirmed_block(path.name, block, problems)
            if entry is None:
                continue
            if entry.rule_id in entries:
                problems.append(f"{path.name}: duplicate entry for {entry.rule_id}")
            entries[entry.rule_id] = entry
    return entries


def parse_unconfirmed_block(file_name: str, block: list[tuple[int, str]],
                            problems: list[str]) -> UnconfirmedEntry | None:
    """Turn one block of lines into an UnconfirmedEntry."""
    values: dict[str, str] = {}
    last_key = ""
    for line_number, line in block:
        if line[0].isspace():
            if not last_key:
                problems.append(f"{file_name}:{line_number}: continuation line without a field")
                continue
            values[last_key] += " " + line.strip()
            continue
        key, separator, value = line.partition(":")
        key = key.strip().lower()
        if not separator or key not in ("id", "alternative", "evidence", "code"):
            problems.append(f"{file_name}:{line_number}: expected 'ID:', 'alternative:', "
                            "'evidence:' or 'code:'")
            last_key = ""
            continue
        if key in values:
            problems.append(f"{file_name}:{line_number}: field '{key}' given twice")
        values[key] = value.strip()
        last_key = key
    first_line = block[0][0]
    if "id" not in values:
        problems.append(f"{file_name}:{first_line}: block without 'ID:'")
        return None
    entry = UnconfirmedEntry(
        rule_id=values["id"],
        alternative=normalise_space(values.get("alternative", "")),
        evidence=normalise_space(values.get("evidence", "")),
        code=normalise_space(values.get("code", "")),
    )
    for key in ("alternative", "evidence", "code"):
        if not getattr(entry, key):
            problems.append(f"{file_name}: {entry.rule_id}: '{key}' is missing or empty")
    return entry


def check_unconfirmed_data(rules: dict[str, Rule], data: dict[str, UnconfirmedEntry],
                           data_name: str, problems: list[str]) -> None:
    """Every unconfirmed rule needs an entry; every entry an unconfirmed rule."""
    for rule in rules.values():
        if rule.unconfirmed and rule.rule_id not in data:
            problems.append(f"{data_name}: no entry for unconfirmed rule {rule.rule_id}")
    for rule_id in data:
        rule = rules.get(rule_id)
        if rule is None:
            problems.append(f"{data_name}: entry for unknown rule {rule_id}")
        elif not rule.unconfirmed:
            problems.append(f"{data_name}: entry for {rule_id}, which is not tagged unconfirmed")


# --------------------------------------------------------------------------
# Test source scanning
# --------------------------------------------------------------------------


def find_test_sources(repo: Path) -> list[Path]:
    """All test source files, sorted, without duplicates."""
    found: set[Path] = set()
    patterns = [
        ("props", "*.cpp"),
        ("props", "*.hpp"),
        ("fuzz", "*.cpp"),
        ("examples", "*.cpp"),
    ]
    for directory, pattern in patterns:
        root = repo / directory
        if root.is_dir():
            found.update(p for p in root.rglob(pattern) if p.is_file())
    compile_fail = repo / "props" / "compile_fail"
    if compile_fail.is_dir():
        for path in compile_fail.rglob("*"):
            if path.is_file() and path.suffix in CPP_EXTENSIONS:
                found.add(path)
    return sorted(found, key=lambda p: p.relative_to(repo).as_posix())


def blank_out_comments_and_strings(text: str) -> tuple[str, list[tuple[int, int]]]:
    """Return (code, comments).

    `code` has the same length and line breaks as `text`, but comments and
    the contents of string and character literals are replaced by spaces, so
    braces and macros can be found reliably.  `comments` lists the
    (start, end) offsets of every comment.
    """
    out = list(text)
    comments: list[tuple[int, int]] = []
    index = 0
    length = len(text)

    def blank(start: int, end: int) -> None:
        for position in range(start, end):
            if out[position] != "\n":
                out[position] = " "

    while index < length:
        char = text[index]
        pair = text[index : index + 2]
        if pair == "//":
            end = text.find("\n", index)
            end = length if end < 0 else end
            comments.append((index, end))
            blank(index, end)
            index = end
        elif pair == "/*":
            end = text.find("*/", index + 2)
            end = length if end < 0 else end + 2
            comments.append((index, end))
            blank(index, end)
            index = end
        elif char == "R" and text.startswith('R"', index) and (
            index == 0 or not (text[index - 1].isalnum() or text[index - 1] == "_")
            or text[index - 1] in "uUL8"
        ):
            open_paren = text.find("(", index + 2)
            delimiter = text[index + 2 : open_paren] if open_paren >= 0 else ""
            closing = ")" + delimiter + '"'
            end = text.find(closing, open_paren + 1) if open_paren >= 0 else -1
            end = length if end < 0 else end + len(closing)
            blank(index + 2, end - 1)
            index = end
        elif char in "\"'":
            end = index + 1
            while end < length and text[end] != char and text[end] != "\n":
                end += 2 if text[end] == "\\" else 1
            end = min(end + 1, length)
            # A quote between digits is a digit separator (1'000), not a literal.
            if char == "'" and index > 0 and text[index - 1].isdigit():
                index += 1
                continue
            blank(index + 1, end - 1)
            index = end
        else:
            index += 1
    return "".join(out), comments


def matching_close(code: str, open_index: int, open_char: str, close_char: str) -> int:
    """Offset of the bracket closing the one at open_index, or -1."""
    depth = 0
    for index in range(open_index, len(code)):
        if code[index] == open_char:
            depth += 1
        elif code[index] == close_char:
            depth -= 1
            if depth == 0:
                return index
    return -1


def line_starts(text: str) -> list[int]:
    """Offsets at which each line starts."""
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts


def comment_block_above(code: str, text: str, starts: list[int], macro_line: int) -> tuple[int, int]:
    """(start, end) offsets of the comment lines directly above a line.

    Walks upwards from the line before `macro_line` while the line is not
    blank and contains nothing but comments.  Returns an empty span if the
    line directly above is blank or code.
    """
    first = macro_line
    line = macro_line - 1
    while line >= 0:
        line_text = text[starts[line] : starts[line + 1] if line + 1 < len(starts) else len(text)]
        line_code = code[starts[line] : starts[line + 1] if line + 1 < len(starts) else len(code)]
        if not line_text.strip() or line_code.strip():
            break
        first = line
        line -= 1
    if first == macro_line:
        return (starts[macro_line], starts[macro_line])
    return (starts[first], starts[macro_line])


@dataclass
class _TestSpan:
    """Offsets of one test inside a file."""

    unit: TestUnit
    comment_start: int
    comment_end: int
    body_start: int
    body_end: int


def scan_file(repo: Path, path: Path) -> list[TestUnit]:
    """Find the tests of one file and the IDs each of them cites.

    Returns the tests (in file order) followed by the file-level unit, which
    collects citations outside every test.
    """
    relative = path.relative_to(repo).as_posix()
    text = path.read_text(encoding="utf-8", errors="replace")
    code, _ = blank_out_comments_and_strings(text)
    starts = line_starts(text)

    spans: list[_TestSpan] = []
    for match in TEST_MACRO_RE.finditer(code):
        open_paren = code.find("(", match.start())
        close_paren = matching_close(code, open_paren, "(", ")")
        body_end = match.end()
        if close_paren >= 0:
            body_end = close_paren + 1
            rest = code[close_paren + 1 :]
            stripped = rest.lstrip()
            if stripped.startswith("{"):
                brace = close_paren + 1 + (len(rest) - len(stripped))
                closing = matching_close(code, brace, "{", "}")
                body_end = (closing + 1) if closing >= 0 else len(code)
        macro_line = offset_to_line(starts, match.start())
        comment_start, comment_end = comment_block_above(code, text, starts, macro_line)
        name = f"{match.group(2)}.{match.group(3)}"
        spans.append(_TestSpan(
            unit=TestUnit(path=relative, name=name),
            comment_start=comment_start,
            comment_end=comment_end,
            body_start=starts[macro_line],
            body_end=body_end,
        ))

    file_unit = TestUnit(path=relative, name="")
    for citation in CITATION_RE.finditer(text):
        owner = owning_test(spans, citation.start())
        (owner.unit if owner else file_unit).cited.add(citation.group(1))

    outside_parts = []
    previous_end = 0
    for span in spans:
        own_text = text[span.comment_start : span.comment_end] + text[span.body_start : span.body_end]
        span.unit.tagged_unconfirmed = (
            "unconfirmed" in span.unit.name.lower() or "[unconfirmed]" in own_text.lower()
        )
        outside_parts.append(text[previous_end : min(span.comment_start, span.body_start)])
        previous_end = max(previous_end, span.body_end)
    outside_parts.append(text[previous_end:])
    outside = "".join(outside_parts)
    file_unit.tagged_unconfirmed = (
        "unconfirmed" in relative.lower() or "[unconfirmed]" in outside.lower()
    )

    units = [span.unit for span in spans]
    if file_unit.cited or file_unit.tagged_unconfirmed or not spans:
        units.append(file_unit)
    return units


def offset_to_line(starts: list[int], offset: int) -> int:
    """0-based line number of an offset."""
    low, high = 0, len(starts) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle - 1
    return low


def owning_test(spans: list[_TestSpan], offset: int) -> _TestSpan | None:
    """The test whose body, or comment block above, contains the offset."""
    for span in spans:
        if span.body_start <= offset < span.body_end:
            return span
    for span in spans:
        if span.comment_start <= offset < span.comment_end:
            return span
    return None


def scan_tests(repo: Path) -> tuple[list[TestUnit], list[str]]:
    """Scan every test source; return (units, relative paths scanned).

    Units with the same label (e.g. a TEST_P instantiated twice) are merged.
    """
    merged: dict[str, TestUnit] = {}
    scanned = []
    for path in find_test_sources(repo):
        scanned.append(path.relative_to(repo).as_posix())
        for unit in scan_file(repo, path):
            existing = merged.get(unit.label)
            if existing is None:
                merged[unit.label] = unit
            else:
                existing.cited |= unit.cited
                existing.tagged_unconfirmed |= unit.tagged_unconfirmed
    units = sorted(merged.values(), key=lambda unit: unit.label)
    return units, scanned


# --------------------------------------------------------------------------
# Building the model
# --------------------------------------------------------------------------


def build_model(spec_dir: Path, repo: Path, data_path: Path) -> Model:
    """Parse spec, tests and data file into one Model."""
    problems: list[str] = []
    notes: list[str] = []
    rules = parse_rules_txt(spec_dir)
    titles = {}
    for spec_file in SPEC_RULE_FILES:
        titles[spec_file] = parse_spec_file(spec_dir, spec_file, rules, problems)
    for rule in rules.values():
        if not rule.found_in_markdown:
            problems.append(f"{rule.rule_id}: listed in rules.txt but not found in {rule.spec_file}")
    check_unparsed_mentions(rules, notes)
    scenarios = parse_scenarios(spec_dir)
    tests, scanned = scan_tests(repo)
    data = parse_unconfirmed_data(data_path, problems)
    check_unconfirmed_data(rules, data, data_path.name, problems)
    return Model(
        rules=rules,
        scenarios=scenarios,
        tests=tests,
        files_scanned=scanned,
        unconfirmed_data=data,
        problems=problems,
        notes=notes,
        file_titles=titles,
    )


def citations_by_id(tests: list[TestUnit]) -> dict[str, list[TestUnit]]:
    """Map each cited ID to the tests citing it (sorted by label)."""
    result: dict[str, list[TestUnit]] = {}
    for unit in tests:
        for identifier in unit.cited:
            result.setdefault(identifier, []).append(unit)
    for units in result.values():
        units.sort(key=lambda unit: unit.label)
    return result


def rules_in_spec_order(model: Model) -> list[Rule]:
    """Rules sorted by spec file (README order), then position in the file."""
    file_rank = {name: rank for rank, name in enumerate(SPEC_RULE_FILES)}
    return sorted(
        model.rules.values(),
        key=lambda rule: (file_rank.get(rule.spec_file, len(file_rank)), rule.order,
                          id_sort_key(rule.rule_id)),
    )


@dataclass
class AreaCount:
    """Coverage numbers of one prefix area."""

    area: str
    rules: int = 0
    covered: int = 0

    @property
    def uncovered(self) -> int:
        return self.rules - self.covered


def area_counts(model: Model, cited: dict[str, list[TestUnit]]) -> list[AreaCount]:
    """Coverage per prefix area, in spec order; withdrawn rules excluded."""
    counts: dict[str, AreaCount] = {}
    for rule in rules_in_spec_order(model):
        if rule.withdrawn:
            continue
        count = counts.setdefault(rule.area, AreaCount(area=rule.area))
        count.rules += 1
        if rule.rule_id in cited:
            count.covered += 1
    return list(counts.values())


# --------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------


def tests_cell(units: list[TestUnit], mark_unconfirmed: bool = False) -> str:
    """Comma-separated test labels, or 'not yet covered'."""
    if not units:
        return NOT_COVERED
    labels = []
    for unit in units:
        label = f"`{unit.label}`"
        if mark_unconfirmed:
            label += " (tagged)" if unit.tagged_unconfirmed else " (untagged)"
        labels.append(label)
    return ", ".join(labels)


def render_document(model: Model) -> str:
    """The full text of docs/conformance.md."""
    cited = citations_by_id(model.tests)
    lines: list[str] = []
    emit = lines.append

    emit("# Conformance map")
    emit("")
    emit("This document maps every rule and scenario of the behavioural "
         "specification (`../shared/spec`, README.md §3 and §6) to the tests "
         "that cite it, shows each rule's confidence tag, and lists the "
         "unconfirmed items with the choice the model makes (README.md §5). "
         "It is generated by `tools/conformance.py --write` from the spec, the "
         "test sources (`props/`, `fuzz/`, `examples/`, `props/compile_fail/`) "
         "and the hand-maintained `docs/unconfirmed.txt`; never edit it by "
         "hand. `tools/conformance.py --check` fails when it is out of date.")
    emit("")
    emit("A rule counts as covered when a test cites its full ID (e.g. "
         "`NK-CRT-12`, `MP-07`, `QL-PSM-26`) in its body, on its macro line or "
         "in the comment block directly above its `TEST`/`TEST_F`/`TEST_P`/"
         "`RC_GTEST_PROP` macro; citations elsewhere in a file count for the "
         "file. Ranges such as `MP-22…35` are not expanded: only IDs written "
         "out in full count. Tests are listed as `file:Suite.Name`. A test is "
         "tagged unconfirmed when its name contains `unconfirmed` or its body "
         "or the comment above it contains `[unconfirmed]`.")
    emit("")

    render_summary(model, cited, emit)
    for spec_file in SPEC_RULE_FILES:
        render_rule_table(model, cited, spec_file, emit)
    render_unconfirmed(model, cited, emit)
    render_scenarios(model, cited, emit)
    render_unknown_citations(model, cited, emit)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_summary(model: Model, cited: dict[str, list[TestUnit]], emit) -> None:
    """Summary table per prefix area plus totals."""
    counts = area_counts(model, cited)
    total_rules = sum(count.rules for count in counts)
    total_covered = sum(count.covered for count in counts)
    emit("## Summary")
    emit("")
    emit("| area | rules | covered | not yet covered |")
    emit("|------|------:|--------:|----------------:|")
    for count in counts:
        emit(f"| {count.area} | {count.rules} | {count.covered} | {count.uncovered} |")
    emit(f"| **total** | **{total_rules}** | **{total_covered}** | "
         f"**{total_rules - total_covered}** |")
    emit("")
    tag_totals = tag_statistics(model)
    scenario_covered = sum(1 for sid in model.scenarios if sid in cited)
    tagged = sum(1 for unit in model.tests if unit.tagged_unconfirmed)
    emit(f"Tags: {tag_totals['derived']} rules (partly) derived, "
         f"{tag_totals['unconfirmed']} (partly) unconfirmed, "
         f"{tag_totals['model-defined']} (partly) model-defined, "
         f"{tag_totals['withdrawn']} withdrawn. "
         f"Scenarios: {len(model.scenarios)}, {scenario_covered} covered. "
         f"Tests tagged unconfirmed: {tagged}.")
    emit("")


def tag_statistics(model: Model) -> dict[str, int]:
    """Number of rules carrying each tag keyword (trailing, section or inline)."""
    totals = {keyword: 0 for keyword in TAG_KEYWORDS}
    for rule in model.rules.values():
        label = rule.tag_label
        for keyword in TAG_KEYWORDS:
            if keyword in label:
                totals[keyword] += 1
    return totals


def render_rule_table(model: Model, cited: dict[str, list[TestUnit]], spec_file: str,
                      emit) -> None:
    """One table per spec file: rule, title, tag, tests."""
    emit(f"## {markdown_cell(model.file_titles.get(spec_file, spec_file))}")
    emit("")
    emit("| rule | title | tag | tests |")
    emit("|------|-------|-----|-------|")
    for rule in rules_in_spec_order(model):
        if rule.spec_file != spec_file:
            continue
        tests = "withdrawn" if rule.withdrawn else tests_cell(cited.get(rule.rule_id, []))
        emit(f"| {rule.rule_id} | {markdown_cell(rule.title)} | "
             f"{markdown_cell(rule.tag_label) or '—'} | {tests} |")
    emit("")


def render_unconfirmed(model: Model, cited: dict[str, list[TestUnit]], emit) -> None:
    """The 'Unconfirmed items' section (README.md §5)."""
    unconfirmed = [rule for rule in rules_in_spec_order(model) if rule.unconfirmed]
    emit("## Unconfirmed items")
    emit("")
    emit(f"{len(unconfirmed)} rules are tagged (unconfirmed) as a whole or in "
         "part, at the end of the rule or inline. The model implements the "
         "best guess stated in the rule (column \"best guess\": the part the "
         "tag names, or the rule text). Alternatives, evidence and the C++ "
         "name that holds each choice come from `docs/unconfirmed.txt`. In "
         "the tests column, (tagged) / (untagged) says whether the test is "
         "tagged unconfirmed.")
    emit("")
    emit("| rule | scope | best guess implemented | plausible alternatives | "
         "evidence to settle it | C++ name | tests |")
    emit("|------|-------|------------------------|------------------------|"
         "-----------------------|----------|-------|")
    for rule in unconfirmed:
        scope, guess = unconfirmed_scope(rule)
        entry = model.unconfirmed_data.get(rule.rule_id)
        missing = "(missing from docs/unconfirmed.txt)"
        alternative = entry.alternative if entry and entry.alternative else missing
        evidence = entry.evidence if entry and entry.evidence else missing
        code = entry.code if entry and entry.code else missing
        code_cell = markdown_cell(code) if code in (NOT_IMPLEMENTED, missing) else f"`{code}`"
        emit(f"| {rule.rule_id} | {markdown_cell(scope)} | {markdown_cell(guess)} | "
             f"{markdown_cell(alternative)} | {markdown_cell(evidence)} | {code_cell} | "
             f"{tests_cell(cited.get(rule.rule_id, []), mark_unconfirmed=True)} |")
    emit("")

    emit("### Tests tagged unconfirmed")
    emit("")
    tagged = [unit for unit in model.tests if unit.tagged_unconfirmed]
    if not tagged:
        emit("None yet.")
        emit("")
        return
    unconfirmed_ids = {rule.rule_id for rule in unconfirmed}
    emit("| test | unconfirmed rules cited | other IDs cited |")
    emit("|------|-------------------------|-----------------|")
    for unit in tagged:
        own = sorted((i for i in unit.cited if i in unconfirmed_ids), key=id_sort_key)
        other = sorted((i for i in unit.cited if i not in unconfirmed_ids), key=id_sort_key)
        emit(f"| `{unit.label}` | {', '.join(own) or 'none'} | {', '.join(other) or '—'} |")
    emit("")


def render_scenarios(model: Model, cited: dict[str, list[TestUnit]], emit) -> None:
    """The 'Scenarios' section."""
    scenarios = sorted(model.scenarios.values(), key=lambda s: s.order)
    covered = sum(1 for s in scenarios if s.scenario_id in cited)
    emit("## Scenarios")
    emit("")
    emit(f"{len(scenarios)} scenarios from scenarios.md, {covered} cited by a test.")
    emit("")
    emit("| scenario | source | rules | tests |")
    emit("|----------|--------|-------|-------|")
    for scenario in scenarios:
        emit(f"| {scenario.scenario_id} | {markdown_cell(scenario.source)} | "
             f"{', '.join(scenario.rules)} | "
             f"{tests_cell(cited.get(scenario.scenario_id, []))} |")
    emit("")


def render_unknown_citations(model: Model, cited: dict[str, list[TestUnit]], emit) -> None:
    """IDs cited by tests that the spec does not define (typos, stale IDs)."""
    unknown = sorted(
        (identifier for identifier in cited
         if identifier not in model.rules and identifier not in model.scenarios),
        key=id_sort_key,
    )
    if not unknown:
        return
    emit("## IDs cited by tests but not defined by the spec")
    emit("")
    emit("| ID | cited by |")
    emit("|----|----------|")
    for identifier in unknown:
        emit(f"| {identifier} | {tests_cell(cited[identifier])} |")
    emit("")


def render_summary_text(model: Model) -> str:
    """Plain-text summary printed by default."""
    cited = citations_by_id(model.tests)
    counts = area_counts(model, cited)
    total_rules = sum(count.rules for count in counts)
    total_covered = sum(count.covered for count in counts)
    lines = [
        f"rules: {total_rules} total, {total_covered} covered, "
        f"{total_rules - total_covered} not yet covered",
        "",
        f"  {'area':<10} {'rules':>5} {'covered':>8} {'not yet':>8}",
    ]
    for count in counts:
        lines.append(f"  {count.area:<10} {count.rules:>5} {count.covered:>8} {count.uncovered:>8}")
    unconfirmed = [rule for rule in model.rules.values() if rule.unconfirmed]
    inline = [rule for rule in unconfirmed if "unconfirmed" in rule.inline_tags]
    scenario_covered = sum(1 for sid in model.scenarios if sid in cited)
    tagged = [unit for unit in model.tests if unit.tagged_unconfirmed]
    unknown = [i for i in cited if i not in model.rules and i not in model.scenarios]
    lines += [
        "",
        f"scenarios: {len(model.scenarios)} total, {scenario_covered} covered",
        f"unconfirmed rules: {len(unconfirmed)} ({len(unconfirmed) - len(inline)} tagged "
        f"at the end, {len(inline)} by an inline marker); "
        f"tests tagged unconfirmed: {len(tagged)}",
        f"test sources: {len(model.files_scanned)} files, "
        f"{sum(1 for unit in model.tests if unit.name)} tests",
    ]
    if unknown:
        lines.append("IDs cited but not in the spec: " + ", ".join(sorted(unknown, key=id_sort_key)))
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    """Command-line options."""
    repo_default = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(
        description="Map the netkit-model spec rules and scenarios to the tests "
                    "that cite them, and generate docs/conformance.md.",
        epilog="Without --write or --check a summary is printed.",
    )
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true",
                      help="regenerate the conformance document")
    mode.add_argument("--check", action="store_true",
                      help="exit 1 if the document on disk differs from what would be "
                           "generated, or docs/unconfirmed.txt is inconsistent")
    parser.add_argument("--repo", type=Path, default=repo_default,
                        help="repository root (default: the parent of tools/)")
    parser.add_argument("--spec", type=Path, default=None,
                        help="spec directory (default: REPO/../shared/spec)")
    parser.add_argument("--output", type=Path, default=None,
                        help=f"document path (default: REPO/{DEFAULT_OUTPUT})")
    parser.add_argument("--unconfirmed-data", type=Path, default=None,
                        help=f"data file (default: REPO/{DEFAULT_UNCONFIRMED_DATA})")
    arguments = parser.parse_args(argv)
    arguments.repo = arguments.repo.resolve()
    if arguments.spec is None:
        arguments.spec = arguments.repo.parent / "shared" / "spec"
    if arguments.output is None:
        arguments.output = arguments.repo / DEFAULT_OUTPUT
    if arguments.unconfirmed_data is None:
        arguments.unconfirmed_data = arguments.repo / DEFAULT_UNCONFIRMED_DATA
    return arguments


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status (0 ok, 1 check failed, 2 error)."""
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    if not (arguments.spec / RULES_FILE).is_file():
        print(f"conformance.py: no {RULES_FILE} in spec directory {arguments.spec}",
              file=sys.stderr)
        return 2
    try:
        model = build_model(arguments.spec, arguments.repo, arguments.unconfirmed_data)
    except (OSError, ValueError) as error:
        print(f"conformance.py: {error}", file=sys.stderr)
        return 2

    for note in model.notes:
        print(f"note: {note}", file=sys.stderr)
    for problem in model.problems:
        print(f"problem: {problem}", file=sys.stderr)

    document = render_document(model)
    if arguments.write:
        arguments.output.parent.mkdir(parents=True, exist_ok=True)
        arguments.output.write_text(document, encoding="utf-8", newline="\n")
        print(f"wrote {arguments.output}")
        return 0
    if arguments.check:
        return check_document(arguments.output, document, model.problems)
    sys.stdout.write(render_summary_text(model))
    return 0


def check_document(path: Path, document: str, problems: list[str]) -> int:
    """Compare the generated document with the one on disk."""
    status = 1 if problems else 0
    if not path.exists():
        print(f"{path} does not exist; run tools/conformance.py --write")
        return 1
    on_disk = path.read_text(encoding="utf-8")
    if on_disk != document:
        print(f"{path} is out of date; run tools/conformance.py --write")
        diff = difflib.unified_diff(
            on_disk.splitlines(), document.splitlines(),
            fromfile="on disk", tofile="generated", lineterm="", n=1,
        )
        for count, line in enumerate(diff):
            if count >= 40:
                print("...")
                break
            print(line)
        return 1
    if status == 0:
        print(f"{path} is up to date")
    return status


if __name__ == "__main__":
    sys.exit(main())
