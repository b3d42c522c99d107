"""The render layer (`bmnav.render`): Rich with bmnav's conventions, data text
never read as markup, empty columns and sections left out, "not stated" facts
on one line, and Rich loaded only when text is drawn."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
BACKSLASH = ROOT / "tests" / "hostile" / "markup" / "trailing-backslash.yaml"
NETWORKS = ROOT / "tests" / "fixtures" / "networks"
SGR = re.compile(r"\x1b\[[0-9;]*m")

# ----------------------------------------------------------------- the console


def test_console_colour_follows_the_conventions(monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.render.console import Console

    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    assert Console(file=io.StringIO()).color is False  # not a terminal
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert Console(file=io.StringIO()).color is True
    monkeypatch.setenv("NO_COLOR", "1")  # wins over FORCE_COLOR, as in Rich
    assert Console(file=io.StringIO()).color is False


def test_console_width_from_columns_else_80(monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.render.console import Console

    monkeypatch.setenv("COLUMNS", "123")
    assert Console(file=io.StringIO()).width == 123
    monkeypatch.setenv("COLUMNS", "wide")
    assert Console(file=io.StringIO()).width == 80


def test_console_prints_plain_text_in_a_pipe_without_trailing_spaces() -> None:
    from rich.table import Table

    from bmnav.render.console import Console

    buf = io.StringIO()
    t = Table(title="T", title_justify="left")
    t.add_column("a")
    t.add_column("b")
    t.add_row("x", "[bold]y[/bold]")
    Console(file=buf, width=40, color=False).print(t)
    out = buf.getvalue()
    assert "\x1b" not in out and "[bold]" not in out and "│ x │ y │" in out
    assert all(line == line.rstrip(" ") for line in out.splitlines())


def test_console_colours_with_standard_sgr_codes() -> None:
    from bmnav.render.console import Console

    buf = io.StringIO()
    Console(file=buf, color=True).print("[bold]a[/bold] [bright_red]b[/bright_red]")
    assert "\x1b[1ma" in buf.getvalue() and "\x1b[91mb" in buf.getvalue()


def test_console_shows_control_characters_as_escapes() -> None:
    from bmnav.render.console import Console, styled

    buf = io.StringIO()
    console = Console(file=buf, color=False)
    console.print("a\x1b]0;title\x07b")  # a markup string
    console.print(styled("c\u202ed"))  # a Text
    assert buf.getvalue() == "a\\x1b]0;title\\x07b\nc\\u202ed\n"


def test_console_writes_valid_utf8_for_bad_bytes_in_a_name() -> None:
    from bmnav.render.console import Console

    buf = io.StringIO()
    Console(file=buf, color=False).print("file-\udcff.yaml")
    assert buf.getvalue() == "file-\ufffd.yaml\n"


# ----------------------------------------------------------------- escaping data


def test_esc_keeps_a_trailing_backslash_from_swallowing_the_closing_tag() -> None:
    from bmnav.render.console import Console, esc

    console = Console(color=False)
    assert console.export(f"[bold]{esc('foo' + chr(92))}[/bold] after") == "foo\\ after"
    assert console.export(f"[red]{esc('[bold]x')}[/red]") == "[bold]x"
    coloured = io.StringIO()
    Console(file=coloured, color=True).print(f"[bold]{esc('foo' + chr(92))}[/bold] after")
    # the bold ends before " after" (it does not run on)
    assert coloured.getvalue() == "\x1b[1mfoo\\\x1b[0m after\n"


def test_show_card_with_values_ending_in_a_backslash(run_cli: Any) -> None:
    r = run_cli("show", str(BACKSLASH))
    assert r.exit_code == 0, r
    assert "[/" not in r.stdout  # no closing tag printed literally
    assert "Tire as a Service\\  (trailing-backslash)" in r.stdout
    assert "Michelin\\ · FR" in r.stdout and "Leased tires\\" in r.stdout


def test_show_card_in_colour_ends_the_bold_after_a_trailing_backslash(run_cli: Any) -> None:
    r = run_cli("show", str(BACKSLASH), env={"NO_COLOR": "", "TERM": "xterm", "FORCE_COLOR": "1"})
    assert r.exit_code == 0, r
    title = next(line for line in r.stdout.splitlines() if "trailing-backslash" in line)
    assert "\x1b[1mTire as a Service\\\x1b[0m" in title, repr(title)
    assert "[/" not in SGR.sub("", r.stdout)


def test_diff_with_a_value_ending_in_a_backslash(run_cli: Any) -> None:
    r = run_cli("diff", "tire-as-a-service", str(BACKSLASH))
    assert r.exit_code == 1, r
    assert "[/" not in r.stdout
    assert "+ Tire as a Service\\\n" in r.stdout and "+ what: Leased tires\\\n" in r.stdout


# ----------------------------------------------------------------- empty columns and sections


def test_card_collapses_facts_not_stated_into_one_line(run_cli: Any) -> None:
    r = run_cli("show", str(NETWORKS / "profile-open.yaml"))
    assert r.exit_code == 0, r
    out = r.stdout
    assert "Not stated: revenue, ownership, customer involvement, technologies, patterns" in out
    assert "Not stated: Who: customers, What: value proposition, How: value chain, Value: revenue mechanism" in out
    assert not re.search(r"^\s+(revenue|ownership|patterns)\s+-\s*$", out, re.M)  # no rows of "-"
    assert "  access         open" in out and "  data sharing   bilateral" in out


def test_card_leaves_out_empty_sections(run_cli: Any) -> None:
    r = run_cli("show", str(NETWORKS / "profile-bare.yaml"))
    assert r.exit_code == 0, r
    lines = r.stdout.splitlines()
    assert "Sources" not in lines  # the profile names no source
    assert "What changed" not in lines  # no change stated for any question: no grid of "?"
    assert "Question" not in r.stdout  # nor a table of four rows of "-"
    assert re.fullmatch(r"│ Cluster: profile \(no cluster\) +│", lines[1])  # no empty line of facts


def test_similar_cases_table_hides_columns_without_values() -> None:
    from bmnav.classifying.classifier import classify, load_profile
    from bmnav.render import render
    from bmnav.render.console import Console
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus()
    result = classify(load_profile(ROOT / "examples" / "acme-profile.yaml", corpus), corpus)
    for s in result.similar:  # nothing shared and no report section: two empty columns
        s["shared"], s["section"] = [], None
    text = "\n".join(Console(color=False, width=120).export(p) for p in render("classify", "text", result, width=120))
    table = text.split("Most similar cases of the corpus")[1].split("Maturity:")[0]
    assert "case (cluster)" in table and "similarity" in table
    assert "shares" not in table and "report" not in table


def test_compact_table_drops_columns_empty_in_every_row() -> None:
    from bmnav.render.console import Console
    from bmnav.render.tables import compact_table

    t = compact_table("T", [("a", {}), ("b", {}), ("c", {})], [["1", "", "x"], ["2", " ", None]])
    assert [c.header for c in t.columns] == ["a", "c"]
    assert "b" not in Console(color=False).export(t).splitlines()[2]


def test_evidence_without_items_is_one_line_not_an_empty_table() -> None:
    from bmnav.classifying.classifier import classify
    from bmnav.domain.model import Case
    from bmnav.render import render
    from bmnav.render.console import Console
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus()
    result = classify(Case({"id": "empty", "name": "Empty"}), corpus)
    for r in result.ranking:
        r.evidence_for, r.evidence_against = [], []
    text = "\n".join(Console(color=False, width=120).export(p) for p in render("classify", "text", result, width=120))
    assert f"Evidence: {result.ranking[0].name}: no evidence either way" in text
    assert "(no evidence either way)" not in text
    assert "┃ weight" not in text  # no evidence table at all


# ----------------------------------------------------------------- the dispatcher


def test_render_dispatches_by_command_and_format() -> None:
    from bmnav.render import MODULES, render, renderer

    assert render("list", "json", [{"id": "x"}]) == '[\n  {\n    "id": "x"\n  }\n]\n'
    assert render("list", "text", [], width=120) == ["No case matches."]
    for command in set(MODULES) - {"graph", "export", "report"}:  # these three write files or pipes, not text
        assert callable(renderer(command, "text"))
    with pytest.raises(ValueError, match="list has no svg output"):
        renderer("list", "svg")


# ----------------------------------------------------------------- Rich is loaded only to draw


@pytest.mark.parametrize(
    ("args", "rich"),
    [
        (["-c", "import bmnav, bmnav.cli, bmnav.render"], False),
        (["-m", "bmnav", "--help"], False),
        (["-m", "bmnav", "list", "--format", "json"], False),
        (["-m", "bmnav", "list"], True),
    ],
    ids=["import", "--help", "list json", "list text"],
)
def test_rich_is_imported_only_to_draw_text(args: list[str], rich: bool, tmp_path: Path) -> None:
    probe = tmp_path / "sitecustomize.py"
    probe.write_text(
        "import atexit, sys\n"
        "atexit.register(lambda: sys.stderr.write('\\nRICH=%s\\n' % any(m == 'rich' for m in sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "NO_COLOR": "1", "BMNAV_NO_CACHE": "1"}
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    assert f"RICH={rich}" in proc.stderr.splitlines()[-1], proc.stderr[-500:]


def test_every_command_with_output_renders_through_the_table() -> None:
    """The render layer's table names a module for each command, and that module's
    RENDERERS has the command (graph, export and report included)."""
    from importlib import import_module

    from bmnav.render import MODULES, renderer

    for command, module in MODULES.items():
        assert command in import_module(f"bmnav.render.{module}").RENDERERS, command
    for command, fmt in (("graph", "graphml"), ("export", "csv"), ("report", "html"), ("report", "markdown")):
        assert callable(renderer(command, fmt))
    with pytest.raises(ValueError, match="graph has no svg output"):
        renderer("graph", "svg")


def test_graph_and_export_through_the_render_layer_match_the_cli(run_cli) -> None:
    from bmnav import load_corpus
    from bmnav.domain.flatten import rows
    from bmnav.render import render

    corpus = load_corpus()
    case = corpus.resolve("tire-as-a-service")
    assert render("graph", "mermaid", case) == run_cli("graph", "tire-as-a-service", "--format", "mermaid").stdout
    records = list(rows("roles", [case], corpus))
    assert render("export", "csv", records, table="roles").splitlines()[0].startswith("case,")
