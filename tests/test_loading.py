"""The loader: safe YAML only, located problems, hostile files stopped early.

Most checks call `bmnav.storage.loading` directly; the bombs also run `bmnav validate`
in a subprocess, so that a segmentation fault or a hang fails the test
instead of killing pytest.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bmnav.checking.problems import Problem
from bmnav.storage.loading import Limits, load_file, load_text

ROOT = Path(__file__).resolve().parents[1]
CASE = (ROOT / "tests" / "cases" / "valid" / "minimal-marketplace.yaml").read_text(encoding="utf-8")


def rules(problems: list[Problem]) -> list[tuple[int, str]]:
    return [(p.line, p.rule) for p in sorted(problems)]


def only(text: str | bytes, **kw: object) -> Problem:
    loaded = load_text(text, "case.yaml", **kw)  # type: ignore[arg-type]
    assert loaded.data is None, loaded
    assert len(loaded.problems) == 1, loaded.problems
    return loaded.problems[0]


# --- safe loading -------------------------------------------------------------


@pytest.mark.parametrize(
    "tag",
    [
        "!!python/object/apply:os.system",
        "!!python/object/new:os.system",
        "!!python/name:os.system",
        "tag:yaml.org,2002:python/object/apply:os.system",
    ],
)
def test_python_tags_run_nothing(tag: str, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    text = f"id: x\nname: {tag} ['touch {marker}']\n"
    if tag.startswith("tag:"):
        text = f"id: x\nname: !<{tag}> ['touch {marker}']\n"
    p = only(text)
    assert (p.rule, p.line, p.column) == ("tag-not-allowed", 2, 7)
    assert not marker.exists()


def test_python_tag_in_a_file_given_to_the_cli_runs_nothing(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    case = tmp_path / "x.yaml"
    case.write_text(f"id: x\nname: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "bmnav", "validate", "--format", "parsable", str(case)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 1, proc
    assert "[tag-not-allowed]" in proc.stdout
    assert not marker.exists()


@pytest.mark.parametrize(
    ("text", "line", "col"),
    [
        ("id: x\nname: !!binary aGVsbG8=\n", 2, 7),
        ("id: x\nnetwork: !include network.yaml\n", 2, 10),
        ("id: x\nname: !custom {a: 1}\n", 2, 7),
        ("id: x\nname: !!set {a, b}\n", 2, 7),
    ],
)
def test_tags_are_refused_at_their_line(text: str, line: int, col: int) -> None:
    p = only(text)
    assert (p.rule, p.line, p.column) == ("tag-not-allowed", line, col)
    assert "remove the tag" in p.message


def test_an_explicit_str_tag_is_allowed() -> None:
    loaded = load_text("id: x\nname: !!str 2019\n", "case.yaml")
    assert loaded.problems == []
    assert loaded.data == {"id": "x", "name": "2019"}


# --- duplicate and non-string keys --------------------------------------------


def test_duplicate_key_is_reported_at_the_repeat_naming_the_first() -> None:
    loaded = load_text("id: a\nname: N\ncompany: C\nname: M\n", "case.yaml")
    [p] = loaded.problems
    assert (p.rule, p.line, p.column) == ("duplicate-key", 4, 1)
    assert 'key "name"' in p.message and "first at line 2" in p.message


def test_every_duplicate_key_is_reported_also_in_nested_mappings() -> None:
    text = "id: a\nid: b\nnetwork:\n  focal: x\n  roles: []\n  focal: y\n"
    assert rules(load_text(text, "c.yaml").problems) == [(2, "duplicate-key"), (6, "duplicate-key")]


def test_duplicate_key_in_a_flow_mapping() -> None:
    [p] = load_text("id: a\nflow: {from: a, to: b, from: c}\n", "c.yaml").problems
    assert (p.rule, p.line, p.column) == ("duplicate-key", 2, 24)


@pytest.mark.parametrize(
    ("text", "shown"),
    [("id: x\n1: one\n", '"1"'), ("id: x\nyes: two\n", '"yes"'), ("id: x\n2020-01-01: d\n", '"2020-01-01"')],
)
def test_non_string_keys(text: str, shown: str) -> None:
    [p] = load_text(text, "c.yaml").problems
    assert (p.rule, p.line, p.column) == ("non-string-key", 2, 1)
    assert f"write it in quotes: {shown}" in p.message


# --- encodings ------------------------------------------------------------------


def test_utf8_with_and_without_bom_load_the_same() -> None:
    plain = load_text(CASE.encode("utf-8"), "c.yaml")
    bom = load_text(b"\xef\xbb\xbf" + CASE.encode("utf-8"), "c.yaml")
    assert plain.problems == bom.problems == []
    assert plain.data == bom.data
    assert bom.data["id"] == "minimal-marketplace"


def test_utf8_bom_in_a_str_is_accepted() -> None:
    assert load_text("\ufeffid: x\nname: y\n", "c.yaml").data == {"id": "x", "name": "y"}


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_refused(codec: str) -> None:
    raw = CASE.encode(codec)
    if codec in ("utf-16-le", "utf-16-be"):
        raw = ("\ufeff" + CASE).encode(codec)  # with a byte-order mark
    p = only(raw)
    assert (p.rule, p.line, p.column) == ("encoding", 1, 1)
    assert "save it as UTF-8" in p.message


def test_utf16_without_bom_is_recognised() -> None:
    p = only(CASE.encode("utf-16-le"))
    assert p.rule == "nul-byte"
    assert "UTF-16" in p.message and "save it as UTF-8" in p.message


def test_latin1_is_refused_at_the_first_bad_byte() -> None:
    p = only("id: x\nname: Café\n".encode("latin-1"))
    assert (p.rule, p.line, p.column) == ("encoding", 2, 10)
    assert "Latin-1" in p.message and "save it as UTF-8" in p.message


def test_nul_byte() -> None:
    p = only(b"id: x\nname: a\x00b\n")
    assert (p.rule, p.line, p.column) == ("nul-byte", 2, 8)


# --- documents that are not one mapping -----------------------------------------


@pytest.mark.parametrize(
    ("text", "rule", "line", "words"),
    [
        ("", "empty-file", 1, "empty"),
        ("   \n\n", "empty-file", 1, "empty"),
        ("# only\n# comments\n", "empty-file", 1, "only comments"),
        ("- a\n- b\n", "not-a-mapping", 1, "a list"),
        ("just text\n", "not-a-mapping", 1, "single str"),
        ("42\n", "not-a-mapping", 1, "single int"),
        ("~\n", "not-a-mapping", 1, "null"),
        ("id: a\n---\nid: b\n", "multiple-documents", 2, "more than one YAML document"),
        ("id: a\n...\n---\nid: b\n", "multiple-documents", 3, "more than one YAML document"),
    ],
)
def test_not_one_mapping(text: str, rule: str, line: int, words: str) -> None:
    loaded = load_text(text, "c.yaml")
    assert loaded.data is None
    [p] = loaded.problems
    assert (p.rule, p.line) == (rule, line)
    assert words in p.message


def test_a_list_is_fine_when_no_mapping_is_expected() -> None:
    assert load_text("- a\n- b\n", "c.yaml", expect_mapping=False).data == ["a", "b"]


# --- syntax errors --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "col", "words"),
    [
        ("id: x\nname: [a\ncompany: c\n", 3, 8, "did not find expected ',' or ']'"),
        ("id: x\nnetwork:\n\tfocal: y\n", 3, 1, "tabs"),
        ("id: x\n  name: y\n", 2, 7, "mapping values are not allowed"),
        ("id: x\nname: *nowhere\n", 2, 7, "anchor defined earlier"),
        ('id: "x\n', 2, 1, "found unexpected end of stream"),
    ],
)
def test_syntax_errors_are_located(text: str, line: int, col: int, words: str) -> None:
    p = only(text)
    assert (p.rule, p.line, p.column) == ("yaml-syntax", line, col)
    assert words in p.message


# --- limits -----------------------------------------------------------------------

BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{c}: &{c} [" + ", ".join([f"*{p}"] * 9) + "]" for p, c in zip("abcdefgh", "bcdefghi", strict=True)]
)


def _timed(text: str | bytes, **kw: object) -> tuple[Problem, float]:
    start = time.perf_counter()
    p = only(text, **kw)
    return p, time.perf_counter() - start


def test_billion_laughs_is_stopped_quickly() -> None:
    p, seconds = _timed(BILLION_LAUGHS)
    assert p.rule == "alias-limit" and p.line >= 2
    assert seconds < 1.0


def test_many_small_aliases_hit_the_alias_count() -> None:
    text = "a: &x y\nb: [" + ", ".join(["*x"] * 1500) + "]\n"
    p = only(text)
    assert p.rule == "alias-limit"
    assert load_text(text, "c.yaml", limits=Limits(max_aliases=2000)).problems == []


DEEP = {
    "flow-50000": ("a: " + "[" * 50_000 + "]" * 50_000 + "\n", 1),
    "block-50000": ("a:\n" + "- " * 50_000 + "x\n", 2),
    "flow-8000-small-file": ("a: " + "[" * 8_000 + "]" * 8_000 + "\n", 1),
    "flow-mappings-5000": ("a: " + "{b: " * 5_000 + "c" + "}" * 5_000 + "\n", 1),
    "block-mappings-70": ("".join(" " * i + f"k{i}:\n" for i in range(70)) + " " * 70 + "x\n", 65),
}


@pytest.mark.parametrize("name", sorted(DEEP))
def test_deep_nesting_is_stopped_quickly(name: str) -> None:
    text, line = DEEP[name]
    p, seconds = _timed(text)
    assert p.rule == "nesting-too-deep", p
    assert p.line == line  # located at the collection that goes one level too deep
    assert seconds < 2.0, f"{name} took {seconds:.2f}s"


def test_nesting_within_the_limit_is_fine() -> None:
    text = "id: x\nalso: " + "[" * 30 + "]" * 30 + "\n"
    assert load_text(text, "c.yaml").problems == []


def test_depth_limit_can_be_raised_but_not_without_bound() -> None:
    text = "also: " + "[" * 100 + "]" * 100 + "\n"
    assert only(text).rule == "nesting-too-deep"
    assert load_text(text, "c.yaml", limits=Limits(max_depth=150)).problems == []
    assert Limits(max_depth=10**9).max_depth < 10_000


def test_file_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("id: x\nsummary: " + "a" * 5000 + "\n", encoding="utf-8")
    loaded = load_file(big, limits=Limits(max_bytes=1000))
    [p] = loaded.problems
    assert (p.rule, p.line) == ("file-too-large", 0)
    assert "--max-file-size" in p.message
    assert load_file(big).problems == []


def test_size_limit_applies_to_text_too() -> None:
    assert only("a" * 2000, limits=Limits(max_bytes=1000)).rule == "file-too-large"


@pytest.mark.parametrize(
    "text",
    [
        BILLION_LAUGHS,
        "a: " + "[" * 50_000 + "]" * 50_000 + "\n",
        "a:\n" + "- " * 50_000 + "x\n",
    ],
    ids=["billion-laughs", "flow-50000", "block-50000"],
)
def test_bombs_through_the_cli_exit_1_fast(text: str, tmp_path: Path) -> None:
    """A subprocess, so a segmentation fault or a hang cannot take pytest down."""
    case = tmp_path / "bomb.yaml"
    case.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "bmnav", "validate", "--format", "parsable", str(case)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert proc.returncode == 1, proc
    assert proc.stderr == ""
    assert proc.stdout.count("\n") == 1 and "error [" in proc.stdout
    assert time.perf_counter() - start < 10


# --- files on disk ---------------------------------------------------------------


def test_load_file_never_raises(tmp_path: Path) -> None:
    assert load_file(tmp_path / "missing.yaml").problems[0].rule == "path-not-found"
    assert load_file(tmp_path).problems[0].rule == "path-unreadable"


def test_every_problem_has_a_path_line_and_column() -> None:
    for text in ("id: a\nid: b\n", "x: [\n", "- a\n", b"\xff\xfe", "a: !!binary x\n"):
        for p in load_text(text, "some/case.yaml").problems:
            assert p.path == "some/case.yaml"
            assert p.line >= 1 and p.column >= 1, p
