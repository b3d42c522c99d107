"""Long tables of plain cells are written without Rich laying out every row
(`bmnav.render.tables.plain_table_text`), and the text is exactly Rich's."""

from __future__ import annotations

import random
from typing import Any

import pytest
from rich import box
from rich.console import Console as RichConsole
from rich.table import Table

from bmnav.render.tables import FAST_ROWS, plain_table_text

WORDS = ["alpha", "be", "Gamma-ray", "delta", "x", "synthetic-000123", "Mass customisation", "█", "é", "1,234", "0.15~"]


def _text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, words)))


def _table(seed: int, rows: int, **options: Any) -> Table:
    rng = random.Random(seed)
    table = Table(title="A long table", caption="Its caption, long enough to wrap at forty columns or so.", **options)
    table.add_column("Case", no_wrap=True)
    table.add_column("Company", overflow="fold", ratio=1)
    table.add_column("Cluster", overflow="fold", max_width=16)
    table.add_column("Roles", justify="right")
    table.add_column("Note")
    for i in range(rows):
        table.add_row(f"case-{i:05d}", _text(rng, 4), _text(rng, 3), str(rng.randint(0, 10 ** rng.randint(0, 6))), "")
    return table


def _rich(table: Table, width: int) -> str:
    console = RichConsole(width=width, no_color=True, color_system=None, highlight=False, emoji=False, _environ={})
    with console.capture() as captured:
        console.print(table)
    return captured.get()


def _ours(table: Table, width: int) -> str | None:
    console = RichConsole(width=width, no_color=True, color_system=None, highlight=False, emoji=False, _environ={})
    return plain_table_text(table, console)


OPTIONS: list[dict[str, Any]] = [
    {},
    {"box": box.SIMPLE_HEAD, "pad_edge": False},
    {"box": box.SIMPLE_HEAD, "pad_edge": False, "padding": (0, 1), "collapse_padding": True},
    {"box": box.HEAVY_HEAD},
    {"box": None},
    {"show_header": False},
    {"show_edge": False, "box": box.ROUNDED},
    {"padding": (0, 2)},
]


@pytest.mark.parametrize("width", [40, 80, 120])
@pytest.mark.parametrize("options", OPTIONS, ids=range(len(OPTIONS)))
def test_a_long_table_is_drawn_as_rich_draws_it(options: dict[str, Any], width: int) -> None:
    table = _table(width, FAST_ROWS + 50, **options)
    ours = _ours(table, width)
    assert ours is not None, "expected the table to be written as text"
    assert ours == _rich(table, width)


def test_a_short_table_is_left_to_rich() -> None:
    assert _ours(_table(1, FAST_ROWS - 1), 80) is None


@pytest.mark.parametrize(
    "cell",
    ["[bold]markup[/bold]", "back\\slash", "two  spaces", " leading", "tab\there", "wide 漢字", "new\nline"],
)
def test_a_table_with_a_cell_that_is_not_plain_is_left_to_rich(cell: str) -> None:
    table = _table(2, FAST_ROWS + 10)
    table.columns[1]._cells[FAST_ROWS] = cell
    assert _ours(table, 80) is None


def test_a_table_with_row_styles_or_sections_is_left_to_rich() -> None:
    styled = _table(3, FAST_ROWS + 10, row_styles=["dim", ""])
    assert _ours(styled, 80) is None
    sections = _table(4, FAST_ROWS + 10)
    sections.rows[5].end_section = True
    assert _ours(sections, 80) is None
