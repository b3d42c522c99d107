"""Issue 17: `position`, `classify`, `evaluate` and the start-up do their work
once and linearly at 10,000 cases (checked by counting calls, never by timing),
with the same output as the plain way of working it out.

The figures come from `benchmarks/scale.py` and `benchmarks/startup.py`
(docs/benchmarks.md).
"""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bmnav.domain.positions import Position

ROOT = Path(__file__).resolve().parents[1]


def _position(rng: random.Random, i: int, cells: int) -> Position:
    """A made-up position in one of `cells` places of the map, half of them resting on estimates."""
    x, y = rng.randrange(cells) / cells, rng.randrange(cells) / cells
    wide = rng.random() < 0.5
    return Position(
        case=f"case-{i:05d}",
        name=f"Case {i}",
        cluster=rng.choice(["a", "b", "c", None]),
        openness=x,
        ecosystem_size=y,
        manual=rng.random() < 0.05,
        computed_openness=x,
        computed_ecosystem_size=y,
        organisations=rng.randint(1, 10_000),
        facts={"roles": rng.randint(1, 9)},
        openness_range=(max(0.0, x - 0.2), min(1.0, x + 0.1)) if wide else (x, x),
        ecosystem_size_range=(max(0.0, y - 0.1), y) if wide else (y, y),
        profile=rng.random() < 0.01,
    )


# ----------------------------------------------------------------- the map


def _scan_free(grid: Any, row: int, start: int, length: int) -> bool:
    """Whether a label fits, by looking at every cell (the plain way)."""
    from bmnav.render.mapplot import RANGE_H, RANGE_V

    if row < 0 or row >= grid.height or start < 0 or start + length > grid.width:
        return False
    return all(grid.chars[row][c] in (" ", RANGE_H, RANGE_V) for c in range(start, start + length))


def _plain_map(monkeypatch: pytest.MonkeyPatch, items: list[Position], width: int) -> Any:
    """The map drawn the plain way: every label tried at every point, every cell looked at."""
    from bmnav.render import mapplot

    with monkeypatch.context() as m:
        m.setattr(mapplot._Grid, "free", _scan_free)
        m.setattr(
            mapplot, "_place_near", lambda label, row, col, grid, blocked: mapplot._place(label, row, col, grid.free)
        )
        return mapplot.terminal_map(items, width=width, cluster_ids=["a", "b", "c"])


@pytest.mark.parametrize(("seed", "n", "cells", "width"), [(1, 300, 12, 80), (2, 2000, 6, 120), (3, 60, 40, 60)])
def test_the_map_is_drawn_as_the_plain_way_draws_it(
    monkeypatch: pytest.MonkeyPatch, seed: int, n: int, cells: int, width: int
) -> None:
    from bmnav.render.mapplot import terminal_map

    rng = random.Random(seed)
    items = [_position(rng, i, cells) for i in range(n)]
    ours = terminal_map(items, width=width, cluster_ids=["a", "b", "c"])
    plain = _plain_map(monkeypatch, items, width)
    assert ours.plain == plain.plain
    assert ours.spans == plain.spans  # the same colours on the same characters


def test_a_crowded_map_tries_a_full_cell_once_per_length(monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.render import mapplot

    rng = random.Random(7)
    items = [_position(rng, i, 4) for i in range(3000)]  # 3,000 points in 16 cells
    calls = []
    real = mapplot._place
    monkeypatch.setattr(mapplot, "_place", lambda *a: calls.append(a) or real(*a))
    text = mapplot.terminal_map(items, width=100, cluster_ids=["a", "b", "c"])
    assert "2900 = " in text.plain  # almost every point is numbered under the map
    # before: at least one try (of eight spots) per point, two for a numbered one
    assert len(calls) < 300


# ----------------------------------------------------------------- positions read back


def test_kept_positions_are_read_back_without_building_them_field_by_field(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bmnav.domain import positions
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus()
    ids = sorted(corpus.cases)
    first = positions.positions_of(corpus, ids)
    corpus.memo("position").save()  # (else written when the process ends)

    inits = []
    real = Position.__init__
    monkeypatch.setattr(Position, "__init__", lambda self, *a, **k: inits.append(1) or real(self, *a, **k))
    again = positions.positions_of(load_corpus(), ids)
    assert again == first
    assert [p.openness_range for p in again] == [p.openness_range for p in first]  # tuples again
    assert inits == []


def test_a_kept_record_of_another_shape_is_computed_again() -> None:
    from dataclasses import asdict

    from bmnav.domain.model import Case
    from bmnav.domain.positions import _from_plain, position

    p = position(Case({"id": "x", "offering": {"access": "open", "data_sharing": "multilateral"}}))
    kept = {**asdict(p), "openness_range": [0.0, 1.0]}
    assert _from_plain(kept).openness_range == (0.0, 1.0)
    with pytest.raises(KeyError):
        _from_plain({**kept, "stray": 1})
    with pytest.raises(KeyError):
        _from_plain({k: v for k, v in kept.items() if k != "people"})


# ----------------------------------------------------------------- the console


TEXTS = [
    "",
    "one line",
    "ends with a new line\n",
    "trailing spaces   \n  and leading",
    "a line much longer than the width of forty columns, with spaces at its end      ",
    "wide 漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字漢字 chars",
    "no-break\u00a0space at the end\u00a0\u00a0",
    "[bold]not markup[/bold] \\",
    "\n\nblank lines\n\n",
]


@pytest.mark.parametrize("plain", TEXTS)
def test_a_text_without_colour_is_written_as_rich_writes_it(plain: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.text import Text

    from bmnav.render.console import Console

    text = Text(plain, justify="right", overflow="fold", end="")
    text.stylize("bold", 0, 3)
    console = Console(file=io.StringIO(), width=40, color=False)
    with console._rich(False, 40).capture() as captured:  # Rich laying it out
        console._rich(False, 40).print(text, soft_wrap=True)
    expected = "\n".join(line.rstrip(" ") for line in captured.get().split("\n"))

    import rich.console

    def no_layout(*_: Any, **__: Any) -> None:
        raise AssertionError("Rich laid out a plain text")

    monkeypatch.setattr(rich.console.Console, "print", no_layout)
    assert console.render(text, color=False) == expected


def test_a_long_table_checks_each_distinct_text_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console as RichConsole
    from rich.table import Table

    from bmnav.render import tables

    table = Table()
    for name in ("case", "a", "b"):
        table.add_column(name)
    for i in range(1000):
        table.add_row(f"case-{i:04d}", f"{i % 7}.00", "yes" if i % 2 else "no")
    seen: list[str] = []
    real = tables._plain_cell
    monkeypatch.setattr(tables, "_plain_cell", lambda cell: seen.append(cell) or real(cell))
    console = RichConsole(width=60, no_color=True, color_system=None, highlight=False, emoji=False, _environ={})
    assert tables.plain_table_text(table, console) is not None
    assert len(seen) == 1000 + 7 + 2  # before: 3,000, one per cell


# ----------------------------------------------------------------- evaluate's fit


def test_prefix_sums_are_the_plain_sums_to_the_last_bit() -> None:
    from bmnav.classifying.fitting import _Prefixes

    rng = random.Random(5)
    weights = [rng.uniform(-3, 3) * 10 ** rng.randint(-8, 3) for _ in range(40)]
    weights[3] = -0.0
    base = sorted(rng.sample(range(40), 12))
    rows = [[]] + [sorted(set(base[: rng.randint(0, 12)]) | set(rng.sample(range(40), 3))) for _ in range(500)]
    rows += [[3], [3, 3], list(base)] * 3
    prefixes = _Prefixes(rows)
    got = prefixes.sums(weights)
    want = [sum(weights[j] for j in row) for row in rows]
    assert [repr(g) for g in got] == [repr(w) for w in want]  # (repr: -0.0 and 0 are told apart)


def test_cases_sharing_their_first_indicators_share_the_additions() -> None:
    from bmnav.classifying.fitting import _Prefixes

    rows = [[0, 1, 2, 3, 4]] * 1000 + [[0, 1, 2, 9]] * 1000
    prefixes = _Prefixes(rows)
    assert sum(len(parents) for parents, _ in prefixes.levels) == 6  # 0, 1, 2, 3, 4 and 9: not 9,000


# ----------------------------------------------------------------- classify


def test_a_phrase_is_tried_only_where_its_first_word_stands() -> None:
    from bmnav.classifying import words

    text = words.normalise("We plan deliveries and planned the delivery of data; Lieferdaten und Daten. " * 50)
    for lang in ("en", "de"):
        toks = words.tokens(text, lang)
        index = words.by_key(toks)
        for phrase in ("delivery", "plan deliveries", "the delivery of data", "daten", "lieferung", "nothing here"):
            p = words.phrase(phrase, lang)
            assert words.find(text, toks, p, lang, index) == words.find(text, toks, p, lang)


def test_a_yes_or_no_question_stops_at_the_first_phrase_found(monkeypatch: pytest.MonkeyPatch) -> None:
    from bmnav.classifying import words

    tried = []
    real = words.find
    monkeypatch.setattr(words, "find", lambda *a: tried.append(a[2].text) or real(*a))
    assert words.contains_some("We deliver data to our partners.", ["nothing", "data", "partners"], "en")
    assert tried == ["nothing", "data"]
    assert not words.contains_some("We deliver data.", ["nothing", "else"], "en")


# ----------------------------------------------------------------- start-up


def test_the_bundled_data_is_found_without_importlib_resources() -> None:
    code = (
        "import sys; from bmnav.storage.resources import bundled_data_dir, schemas_dir; "
        "assert (bundled_data_dir() / 'clusters.yaml').is_file() and schemas_dir().is_dir(); "
        "print('importlib.resources' in sys.modules)"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "False"


def test_the_collector_is_off_while_the_command_line_starts_and_on_for_the_command() -> None:
    code = (
        "import functools, gc, sys\n"
        "seen = []\n"
        "import bmnav.cli.console as console\n"
        "real = console.handle_errors\n"
        "def spy(func):\n"
        "    @functools.wraps(func)\n"
        "    def command(*a, **k):\n"
        "        seen.append((gc.isenabled(), gc.get_freeze_count() > 0, len(runs)))\n"
        "        return func(*a, **k)\n"
        "    return real(command)\n"
        "console.handle_errors = spy\n"
        "import bmnav.cli\n"
        "bmnav.cli.handle_errors = spy\n"
        "sys.argv = ['bmnav', 'classify', sys.argv[1], '--format', 'json']\n"
        "from bmnav.entry import main\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'start' and runs.append(info))\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(seen, file=sys.stderr)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    profile = str(ROOT / "examples" / "acme-profile.yaml")
    out = subprocess.run([sys.executable, "-c", code, profile], capture_output=True, text=True, env=env)
    # no collection while Typer and the command loaded; on again for the command, start-up's objects frozen
    assert out.stderr.strip().splitlines()[-1] == "[(True, True, 0)]"


def test_resuming_without_a_pause_changes_nothing() -> None:
    import gc

    from bmnav.storage.collector import pause_gc_for_startup, resume_gc_after_startup

    frozen = gc.get_freeze_count()
    resume_gc_after_startup()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
    gc.disable()
    try:
        pause_gc_for_startup()  # off already (by someone else): not ours to turn on
        resume_gc_after_startup()
        assert not gc.isenabled()
    finally:
        gc.enable()
