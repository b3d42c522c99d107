"""Property-based fuzzing of every command that reads a case file (issue 8).

Valid case files (the bundled corpus) are mutated — fields dropped,
duplicated, renamed and retyped; random unicode; truncation; indentation
changes; YAML tokens such as anchors, aliases, tags, flow collections,
`---`, `? ` and `<<: *x`; other encodings — and the result goes through
load, validate, classify, diff, show, position, graph and metrics. No
exception may escape: every outcome is a located problem (line >= 1) or a
valid result.

A bounded, derandomized number of examples runs in CI. For a long run:

    HYPOTHESIS_PROFILE=long python -m pytest tests/test_fuzz_cases.py

(`BMNAV_FUZZ_EXAMPLES=N` sets the number of examples of the long profile;
see docs/security.md.)
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bmnav.checking.problems import BmnavError, Level, Problem
from bmnav.checking.validation import check_loaded, validate
from bmnav.domain.model import Case
from bmnav.storage.corpus import Corpus, load_case, load_corpus
from bmnav.storage.loading import load_text

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "data" / "usecases").glob("*.yaml"))
SEED_TEXT = {p.name: p.read_text(encoding="utf-8") for p in SEEDS}

_LONG = os.environ.get("HYPOTHESIS_PROFILE") == "long"
_HEALTH = [
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]
#: No "explain" phase: it needs libcst, which warns (an error under filterwarnings) where installed.
_PHASES = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink]
if _LONG:
    FUZZ = settings(
        max_examples=int(os.environ.get("BMNAV_FUZZ_EXAMPLES", "5000")),
        deadline=None,
        database=None,
        suppress_health_check=_HEALTH,
        phases=_PHASES,
    )
    CLI_FUZZ = MODEL_FUZZ = FUZZ
else:  # CI: bounded, the same examples every run, nothing written to .hypothesis
    FUZZ = settings(
        max_examples=60,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=_HEALTH,
        phases=_PHASES,
    )
    CLI_FUZZ = settings(FUZZ, max_examples=20)
    MODEL_FUZZ = settings(FUZZ, max_examples=15)  # a broken clusters.yaml costs ~1 s to report

#: YAML syntax worth throwing at a parser, and YAML 1.1 surprises.
TOKENS = [
    "&a ",
    "*a",
    "&a [x, y]",
    "*undefined",
    "<<: *a\n",
    "<<: [*a, *a]\n",
    "<<: 1\n",
    "!!str ",
    "!!int ",
    "!!binary aGk=",
    "!!python/object/apply:os.system ['touch bmnav-fuzz-MARKER']",
    "!!python/name:os.system",
    "!include x.yaml",
    "!custom ",
    "! ",
    "!<tag:yaml.org,2002:str> ",
    "[",
    "]",
    "{",
    "}",
    "[a, [b, {c: d}]]",
    "{a: 1, a: 2}",
    "---\n",
    "...\n",
    "--- ",
    "? ",
    "? [a, b]\n: c\n",
    ": ",
    "- ",
    "|",
    ">-",
    "# ",
    "'",
    '"',
    '"\\x00"',
    '"\\ud800"',
    "%YAML 1.1\n",
    "%TAG ! tag:x,2000:\n",
    "\t",
    "\ufeff",
    "\x00",
    "\x07",
    "\x85",
    "\u2028",
    "\r",
    "~",
    "null",
    "yes",
    "NO",
    "off",
    "1e999",
    "-.inf",
    ".nan",
    "0x1F",
    "0o17",
    "1_000",
    "12:30:45",
    "2001-13-45",
    "2001-12-14 21:59:43.10 -5",
    "9" * 5000,
    "=",
    "@",
    "`",
    "%",
]

JUNK = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["efficiency", "service-provider", "money", "pay-per-use", "DE", "", "NO"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            found += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            found += _paths(v, (*prefix, i))
    return found


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for item in path[:-1]:
        data = data[item]
    return data


@st.composite
def structural(draw: st.DrawFn, data: Any) -> Any:
    """Drop, duplicate, rename or retype one field somewhere in the tree."""
    paths = [p for p in _paths(data) if p]
    if not paths:
        return data
    path = draw(st.sampled_from(paths))
    parent, key = _parent(data, path), path[-1]
    op = draw(st.sampled_from(["drop", "duplicate", "rename", "retype", "retype", "empty"]))
    if op == "drop":
        del parent[key]
    elif op == "duplicate":
        if isinstance(parent, list):
            parent.insert(key, parent[key])
        else:
            parent[draw(st.sampled_from([f"{key}_", str(key).upper(), "id", "cluster", "focal"]))] = parent[key]
    elif op == "rename" and isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=12))] = parent.pop(key)
    elif op == "empty":
        parent[key] = draw(st.sampled_from([None, "", [], {}]))
    else:
        parent[key] = draw(JUNK)
    return data


@st.composite
def textual(draw: st.DrawFn, text: str) -> str:
    """One text-level mutation."""
    lines = text.split("\n")
    i = draw(st.integers(0, max(len(lines) - 1, 0)))
    op = draw(
        st.sampled_from(
            ["truncate", "drop_line", "dup_line", "swap", "indent", "unicode", "token", "token", "value", "tab"]
        )
    )
    if op == "truncate":
        return text[: draw(st.integers(0, len(text)))]
    if op == "drop_line":
        del lines[i]
    elif op == "dup_line":
        lines.insert(draw(st.integers(0, len(lines))), lines[i])
    elif op == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "indent":
        delta = draw(st.integers(-4, 6))
        stripped = lines[i].lstrip(" ")
        lines[i] = " " * max(0, len(lines[i]) - len(stripped) + delta) + stripped
    elif op == "tab":
        lines[i] = "\t" + lines[i]
    elif op == "unicode":
        pos = draw(st.integers(0, len(text)))
        return text[:pos] + draw(st.text(min_size=1, max_size=12)) + text[pos:]
    elif op == "token":
        pos = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:pos] + draw(st.sampled_from(TOKENS)) + lines[i][pos:]
    else:  # replace the value of a `key: value` line
        if ": " in lines[i]:
            key = lines[i].split(": ", 1)[0]
            value = draw(st.sampled_from(TOKENS) | st.text(max_size=12))
            lines[i] = f"{key}: {value}"
    return "\n".join(lines)


@st.composite
def mutated_case(draw: st.DrawFn) -> tuple[str, str | bytes]:
    """(file name, content) of a mutated corpus case."""
    name = draw(st.sampled_from(sorted(SEED_TEXT)))
    text = SEED_TEXT[name]
    if draw(st.booleans()):
        data = yaml.safe_load(text)
        for _ in range(draw(st.integers(1, 3))):
            data = draw(structural(data))
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    for _ in range(draw(st.integers(0 if text != SEED_TEXT[name] else 1, 4))):
        text = draw(textual(text))
    encoding = draw(st.sampled_from(["str", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1"]))
    if encoding == "str":
        return name, text
    return name, text.encode(encoding, errors="replace")


@pytest.fixture(autouse=True)
def _no_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Fresh results every example, and no cache written outside the test's folders."""
    monkeypatch.setenv("BMNAV_NO_CACHE", "1")
    monkeypatch.setenv("BMNAV_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for name in ("BMNAV_MAX_FILE_SIZE", "BMNAV_MAX_DEPTH", "BMNAV_MAX_NODES", "BMNAV_MAX_ALIASES", "BMNAV_DATA"):
        monkeypatch.delenv(name, raising=False)


@cache
def corpus() -> Corpus:
    return load_corpus()


def assert_located(problems: list[Problem], content: str | bytes) -> None:
    for p in problems:
        assert isinstance(p, Problem)
        assert p.rule and p.message, p
        if content.strip():
            assert p.line >= 1 and p.column >= 1, p


def _write(folder: Path, name: str, content: str | bytes) -> Path:
    path = folder / name
    if isinstance(content, str):
        path.write_bytes(content.encode("utf-8", errors="surrogatepass"))
    else:
        path.write_bytes(content)
    return path


def exercise_library(folder: Path, name: str, content: str | bytes) -> None:
    """load -> validate -> (when valid) classify, diff, show, position, graph, metrics."""
    from bmnav.classifying.classifier import classify
    from bmnav.domain.cards import card
    from bmnav.domain.diffs import diff
    from bmnav.domain.metrics import metrics
    from bmnav.domain.network import structure
    from bmnav.domain.positions import position
    from bmnav.render.exports import export_graph

    c = corpus()
    loaded = load_text(content, name)
    assert_located(loaded.problems, content)
    for profile in (False, True):
        checked = check_loaded(loaded, "usecase", c.vocab, profile=profile)
        assert_located(checked.problems, content)

    path = _write(folder, name, content)
    for profile in (False, True):
        report = validate([path], profile=profile)
        assert_located(report.problems, content)
        assert report.exit_code() == (1 if report.errors else 0)

    base = c.cases[Path(name).stem]
    for profile in (True, False):
        try:
            case = load_case(path, c.vocab, profile=profile)
        except BmnavError as exc:
            assert exc.problems and any(p.level is Level.ERROR for p in exc.problems)
            assert_located(exc.problems, content)
            continue
        assert isinstance(case, Case)
        steps: list[tuple[Any, ...]] = [
            (classify, case, c),
            (diff, base, case, c),
            (diff, case, base, c),
            (card, case, c),
            (position, case, c),
            (structure, case),
            (metrics, case),
            *((export_graph, case, fmt) for fmt in ("json", "dot", "mermaid", "graphml")),
        ]
        for func, *args in steps:
            try:
                assert func(*args) is not None
            except BmnavError as exc:  # a clean refusal (the CLI prints it), never a crash
                assert exc.message
                assert_located(exc.problems, content)


@FUZZ
@given(mutated_case())
def test_fuzz_library(tmp_path_factory: pytest.TempPathFactory, sample: tuple[str, str | bytes]) -> None:
    name, content = sample
    folder = tmp_path_factory.mktemp("fuzz")
    cwd = os.getcwd()
    os.chdir(folder)  # a tag that ran would leave its marker here
    try:
        exercise_library(folder, name, content)
    finally:
        os.chdir(cwd)
    assert not (folder / "bmnav-fuzz-MARKER").exists()


@FUZZ
@given(st.sampled_from(sorted(SEED_TEXT)), st.integers(0, 10**6), st.text(max_size=30))
def test_fuzz_truncate_and_append(tmp_path_factory: pytest.TempPathFactory, name: str, cut: int, tail: str) -> None:
    """Every prefix of a valid file, with anything appended, is an answer."""
    text = SEED_TEXT[name]
    content = text[: cut % (len(text) + 1)] + tail
    exercise_library(tmp_path_factory.mktemp("fuzz"), name, content)


@FUZZ
@given(st.binary(max_size=400))
def test_fuzz_random_bytes(binary: bytes) -> None:
    loaded = load_text(binary, "bytes.yaml")
    assert_located(loaded.problems, binary)
    checked = check_loaded(loaded, "usecase", corpus().vocab, profile=True)
    assert_located(checked.problems, binary)


@FUZZ
@given(JUNK)
def test_fuzz_any_document_shape(data: Any) -> None:
    """Whatever plain data a YAML file can hold, at the top or in a case."""
    c = corpus()
    for doc in (
        data,
        {"id": "x", "name": "y", "network": data},
        {**yaml.safe_load(SEED_TEXT[SEEDS[0].name]), "x": data},
    ):
        text = yaml.safe_dump(doc, allow_unicode=True)
        loaded = load_text(text, "shape.yaml")
        assert_located(loaded.problems, text)
        for profile in (False, True):
            assert_located(check_loaded(loaded, "usecase", c.vocab, profile=profile).problems, text)


# --- the same through the command line ------------------------------------------


@CLI_FUZZ
@given(mutated_case())
def test_fuzz_cli(tmp_path_factory: pytest.TempPathFactory, sample: tuple[str, str | bytes]) -> None:
    from typer.testing import CliRunner

    from bmnav.cli import app

    name, content = sample
    folder = tmp_path_factory.mktemp("cli")
    path = _write(folder, name, content)
    runner = CliRunner()
    other = str(SEEDS[0])
    commands = [
        (["validate", "--format", "parsable", str(path)], {0, 1}),
        (["validate", "--profile", "--format", "json", str(path)], {0, 1}),
        (["classify", str(path)], {0, 1}),
        (["show", str(path)], {0, 1}),
        (["diff", other, str(path)], {0, 1, 2}),  # like diff(1): 2 when a side cannot be read
        (["position", str(path)], {0, 1}),
        (["graph", str(path), "--format", "json"], {0, 1}),
        (["maturity", str(path)], {0, 1}),
        (["report", str(path)], {0, 1}),
    ]
    for args, codes in commands:
        result = runner.invoke(app, args, env={"BMNAV_NO_CACHE": "1", "NO_COLOR": "1", "COLUMNS": "120"})
        assert result.exit_code in codes, (args, result.exit_code, result.output[-3000:])
        assert "internal error" not in result.output and "Traceback" not in result.output, (args, result.output)
        if result.exception is not None:
            assert isinstance(result.exception, SystemExit), (args, repr(result.exception))


MODEL_TEXT = {name: (ROOT / "data" / name).read_text(encoding="utf-8") for name in ("clusters.yaml", "patterns.yaml")}


@MODEL_FUZZ
@given(st.sampled_from(sorted(MODEL_TEXT)), st.data())
def test_fuzz_model_files(tmp_path_factory: pytest.TempPathFactory, name: str, data: st.DataObject) -> None:
    """A contributed corpus may bring its own clusters.yaml and patterns.yaml:
    mutated, they give located problems (validate) or a clean refusal
    (load_corpus), and the cases are still checked against what is usable."""
    text = MODEL_TEXT[name]
    if data.draw(st.booleans()):
        doc = yaml.safe_load(text)
        for _ in range(data.draw(st.integers(1, 3))):
            doc = data.draw(structural(doc))
        text = yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    for _ in range(data.draw(st.integers(0, 2))):
        text = data.draw(textual(text))
    root = tmp_path_factory.mktemp("corpus")
    (root / "usecases").mkdir()
    (root / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    seed = SEEDS[0]
    (root / "usecases" / seed.name).write_text(SEED_TEXT[seed.name], encoding="utf-8")

    report = validate([root / name, root / "usecases"], data=root)
    assert_located(report.problems, text)
    try:
        c = load_corpus(root)
    except BmnavError as exc:
        assert exc.message
        assert_located([p for p in exc.problems if Path(p.path).name == name], text)
    else:
        assert len(c) <= 1
