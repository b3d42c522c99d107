"""`bmnav.terminal`: markup, wrapping, tables, panels, trees and the console's
colour and width conventions."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmnav.terminal import (
    HEAVY_HEAD,
    ROUNDED,
    SIMPLE_HEAD,
    Box,
    Console,
    Panel,
    Styled,
    Table,
    Tree,
    cell_len,
    markup,
    wrap,
)

ANSI = re.compile(r"\x1b\[[0-9;]*m")
ROOT = Path(__file__).resolve().parents[1]


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def _clear_colour_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


# --- markup -------------------------------------------------------------------


def test_markup_styles_runs_and_nests() -> None:
    s = markup("a [bold]b [red]c[/red] d[/bold] e")
    assert s.segments == [("a ", ""), ("b ", "bold"), ("c", "bold red"), (" d", "bold"), (" e", "")]


def test_markup_escapes_and_literal_brackets() -> None:
    assert markup("\\[bold] stays").text == "[bold] stays"
    assert markup("a list [1, 2] and [-old-]").text == "a list [1, 2] and [-old-]"
    assert markup("\\[x] then [dim]y[/]").segments == [("[x] then ", ""), ("y", "dim")]


def test_markup_ignores_a_closing_tag_that_was_never_opened() -> None:
    assert markup("x[/bold] y").segments == [("x y", "")]


def test_markup_keeps_the_base_style_after_a_bare_close() -> None:
    assert markup("[dim]a[/] b[/]", "bold").segments == [("a", "bold dim"), (" b", "bold")]


def test_render_uses_sgr_codes_only_with_colour() -> None:
    s = markup("[bold cyan]x[/bold cyan] y")
    assert s.render(color=False) == "x y"
    assert s.render(color=True) == "\x1b[1;36mx\x1b[0m y"


# --- widths and wrapping --------------------------------------------------------


def test_cell_len_counts_wide_characters_twice() -> None:
    assert cell_len("abc") == 3
    assert cell_len("按使用付费") == 10
    assert cell_len("é") == 1
    assert cell_len("e\u0301") == 1  # a combining accent takes no column


def test_wrap_breaks_at_spaces_and_keeps_styles() -> None:
    lines = wrap(markup("one [bold]two three[/bold] four"), 9)
    assert [line.text for line in lines] == ["one two", "three", "four"]
    assert lines[1].segments == [("three", "bold")]


def test_wrap_folds_or_cuts_a_word_longer_than_the_line() -> None:
    assert [x.text for x in wrap(Styled.plain("abcdefghij"), 4, overflow="fold")] == ["abcd", "efgh", "ij"]
    assert [x.text for x in wrap(Styled.plain("abcdefghij"), 4, overflow="ellipsis")] == ["abc…"]
    assert [x.text for x in wrap(Styled.plain("abcdefghij"), 4, no_wrap=True)] == ["abcd"]
    assert [x.text for x in wrap(Styled.plain("ab cdefghij"), 4, no_wrap=True, overflow="ellipsis")] == ["ab …"]


def test_wrap_keeps_indentation_and_line_breaks() -> None:
    lines = wrap(Styled.plain("  indented text here\nnext"), 12)
    assert [x.text for x in lines] == ["  indented", "text here", "next"]


def test_wrap_counts_wide_characters() -> None:
    lines = wrap(Styled.plain("按使用付费按使用付费"), 6, overflow="fold")
    assert [x.text for x in lines] == ["按使用", "付费按", "使用付", "费"]


# --- tables -------------------------------------------------------------------


def _table() -> Table:
    t = Table(title="Evidence", title_justify="left")
    t.add_column("fact", no_wrap=True)
    t.add_column("weight", justify="right")
    t.add_column("why")
    t.add_row("offering.ownership", "+2.0", "The customer uses the product but does not own it.")
    t.add_row("patterns", "-0.8", "[bold]Short[/bold].")
    return t


def test_table_with_room_draws_rich_heavy_head_box() -> None:
    lines = Console(width=200, color=False).export(_table()).splitlines()
    assert lines[0] == "Evidence"
    assert lines[1].startswith("┏━") and lines[1].endswith("┓")
    assert lines[2].startswith("┃ fact ") and "┃ weight ┃" in lines[2]
    assert lines[3].startswith("┡") and lines[-1].startswith("└")
    assert "│ offering.ownership │   +2.0 │ The customer uses the product but does not own it. │" in lines
    assert len({cell_len(x) for x in lines[1:]}) == 1  # every line of the box is as wide


def test_narrow_table_wraps_the_text_column_first() -> None:
    lines = Console(width=50, color=False).export(_table()).splitlines()
    assert all(cell_len(x) <= 50 for x in lines)
    assert "offering.ownership" in "\n".join(lines)  # the no-wrap column is whole
    body = [x for x in lines if x.startswith("│")]
    assert len(body) > 2  # the `why` text took several lines
    why = " ".join(x.split("│")[3].strip() for x in body)
    assert "The customer uses the product but does not own it." in why


def test_table_header_is_bold_and_title_italic_in_colour() -> None:
    out = _Tty()
    Console(file=out, width=120, color=True).print(_table())
    text = out.getvalue()
    assert "\x1b[3mEvidence\x1b[0m" in text
    assert "\x1b[1mfact" in text
    assert "\x1b[1mShort\x1b[0m" in text


def test_table_without_box_or_edge_pads_between_columns_only() -> None:
    t = Table(box=None, show_edge=False, pad_edge=False)
    t.add_column("a")
    t.add_column("b", justify="right")
    t.add_row("x", "1")
    t.add_row("yy", "22")
    assert Console(width=80, color=False).export(t).splitlines() == ["a    b", "x    1", "yy  22"]


def test_simple_head_box_has_blank_edges_and_a_rule() -> None:
    t = Table(box=SIMPLE_HEAD)
    t.add_column("a")
    t.add_row("x")
    assert Console(width=80, color=False).export(t).split("\n") == ["", "  a", " ───", "  x", ""]


def test_expand_gives_the_spare_width_to_ratio_columns() -> None:
    t = Table(expand=True)
    t.add_column("a")
    t.add_column("b", ratio=1)
    t.add_row("x", "y")
    lines = Console(width=40, color=False).export(t).splitlines()
    assert all(cell_len(x) == 40 for x in lines)
    assert lines[1] == "┃ a ┃ b" + " " * 32 + "┃"


def test_show_lines_separates_rows() -> None:
    t = Table(show_lines=True)
    t.add_column("a")
    t.add_row("x")
    t.add_row("y")
    assert Console(width=80, color=False).export(t).splitlines()[4] == "├───┤"


def test_box_needs_eight_rows_of_four() -> None:
    with pytest.raises(ValueError, match="eight rows"):
        Box("abc")


words = st.text(alphabet="abcdefghij按使-.", min_size=1, max_size=25)
cells = st.lists(words, min_size=0, max_size=6).map(" ".join)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=4),
    width=st.integers(min_value=16, max_value=140),
    no_wrap=st.booleans(),
)
def test_a_table_never_overflows_the_console(rows: list[list[str]], width: int, no_wrap: bool) -> None:
    t = Table(title="T")
    t.add_column("first", no_wrap=no_wrap)
    t.add_column("second", overflow="fold")
    t.add_column("third", justify="right", overflow="fold")
    for r in rows:
        t.add_row(*r)
    lines = Console(width=width, color=False).export(t).splitlines()
    assert all(cell_len(x) <= width for x in lines), (width, lines)
    text = "".join(lines)
    for r in rows:  # folded columns lose no character
        for cell in r[1:]:
            for ch in cell.replace(" ", ""):
                assert ch in text


# --- panels, trees and the console ------------------------------------------------


def test_panel_fills_the_width_with_the_title_in_the_edge() -> None:
    lines = Console(width=30, color=False).export(Panel("[bold]body[/bold] text", title="Title", box=ROUNDED))
    rows = lines.splitlines()
    assert rows[0].startswith("╭─ Title ─") and rows[0].endswith("╮")
    assert rows[1] == "│ body text" + " " * 18 + "│"
    assert rows[-1] == "╰" + "─" * 28 + "╯"
    assert all(cell_len(x) == 30 for x in rows)


def test_tree_draws_guides_and_wraps_labels_under_them() -> None:
    tree = Tree("Flows")
    goods = tree.add("goods (1)")
    goods.add("a → b: " + "word " * 8)
    tree.add("money (0)")
    lines = Console(width=30, color=False).export(tree).splitlines()
    assert lines[0] == "Flows"
    assert lines[1] == "├── goods (1)"
    assert lines[2].startswith("│   └── a → b: word")
    assert lines[3].startswith("│       word")
    assert lines[-1] == "└── money (0)"
    assert all(cell_len(x) <= 30 for x in lines)


def test_console_colour_follows_the_conventions(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_colour_env(monkeypatch)
    assert Console(file=_Tty()).color is True
    assert Console(file=io.StringIO()).color is False  # a pipe or a file
    monkeypatch.setenv("NO_COLOR", "1")
    assert Console(file=_Tty()).color is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert Console(file=_Tty()).color is False
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert Console(file=io.StringIO()).color is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert Console(file=_Tty()).color is False  # NO_COLOR wins over FORCE_COLOR


def test_console_width_from_columns_else_80(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_colour_env(monkeypatch)
    assert Console(file=io.StringIO()).width == 80
    monkeypatch.setenv("COLUMNS", "132")
    assert Console(file=io.StringIO()).width == 132
    monkeypatch.setenv("COLUMNS", "wide")
    assert Console(file=io.StringIO()).width == 80


def test_console_prints_markup_without_colour_in_a_pipe(monkeypatch: pytest.MonkeyPatch) -> None:
    _clear_colour_env(monkeypatch)
    out = io.StringIO()
    Console(file=out).print("[red]error:[/red] bad \\[x]", end="")
    assert out.getvalue() == "error: bad [x]"


def test_console_wraps_text_only_without_soft_wrap() -> None:
    out = io.StringIO()
    console = Console(file=out, width=10, color=False)
    console.print("aaaa bbbb cccc")
    console.print("aaaa bbbb cccc", soft_wrap=False)
    assert out.getvalue() == "aaaa bbbb cccc\naaaa bbbb\ncccc\n"


def test_console_hands_other_renderables_to_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.table import Table as RichTable

    _clear_colour_env(monkeypatch)
    t = RichTable()
    t.add_column("rich column")
    t.add_row("[bold]cell[/bold]")
    out = io.StringIO()
    Console(file=out, width=60).print(t)
    assert "rich column" in out.getvalue() and "cell" in out.getvalue()
    assert not ANSI.search(out.getvalue())
    with pytest.raises(TypeError, match=r"not a bmnav\.terminal renderable"):
        Console(width=60).export(t)


# --- what the text commands need: Rich's layout, captions, padding, colours ------


def test_bright_colours_use_sgr_90_to_97() -> None:
    assert markup("[bright_red]x[/] [bold bright_green]y[/]").render(color=True) == (
        "\x1b[91mx\x1b[0m \x1b[1;92my\x1b[0m"
    )
    assert Styled.plain("z", "black bright_white").render(color=True) == "\x1b[30;97mz\x1b[0m"


def _captioned(justify: str) -> Table:
    t = Table(title="T", caption="one two three four five six seven eight nine ten", caption_justify=justify)
    t.add_column("column a")
    t.add_column("column b")
    t.add_row("x", "y")
    return t


def test_caption_goes_under_the_table_wrapped_to_its_width_and_justified() -> None:
    lines = Console(width=80, color=False).export(_captioned("left")).splitlines()
    assert lines[-4].startswith("└") and cell_len(lines[-4]) == 23
    assert lines[-3:] == ["one two three four five", "six seven eight nine", "ten"]
    lines = Console(width=80, color=False).export(_captioned("center")).splitlines()
    assert lines[-3:] == ["one two three four five", " six seven eight nine", "          ten"]
    lines = Console(width=80, color=False).export(_captioned("right")).splitlines()
    assert lines[-1] == " " * 20 + "ten"


def test_caption_is_dim_italic_in_colour() -> None:
    out = _Tty()
    Console(file=out, width=80, color=True).print(_captioned("left"))
    assert "\x1b[2;3msix seven eight nine\x1b[0m" in out.getvalue()


def test_collapse_padding_leaves_one_space_of_padding_between_columns() -> None:
    def table(**options: object) -> list[str]:
        t = Table(box=SIMPLE_HEAD, pad_edge=False, **options)  # type: ignore[arg-type]
        t.add_column("a")
        t.add_column("b")
        t.add_row("x", "y")
        return Console(width=80, color=False).export(t).splitlines()

    assert table()[1] == " a   b"  # right padding, the box's blank divider, left padding
    assert table(collapse_padding=True)[1] == " a  b"
    assert table(padding=(0, 2), collapse_padding=True)[1] == " a   b"
    assert table(padding=(0, 2))[1] == " a     b"
    assert table(padding=0)[1] == " a b"


def test_vertical_padding_is_refused() -> None:
    with pytest.raises(ValueError, match="only horizontal padding"):
        Table(padding=(1, 1))
    with pytest.raises(ValueError, match="only horizontal padding"):
        Table(padding=1)


def test_header_cells_sit_at_the_bottom_as_in_rich() -> None:
    t = Table(box=SIMPLE_HEAD, pad_edge=False)
    t.add_column("Case")
    t.add_column("Acc\n×0.4", justify="right")
    t.add_row("x", "0.40")
    assert Console(width=80, color=False).export(t).splitlines()[1:4] == [
        "         Acc",
        " Case   ×0.4",
        " ───────────",
    ]


def test_expand_without_ratios_shares_the_spare_width_in_proportion() -> None:
    t = Table(expand=True)
    t.add_column("a")
    t.add_column("bbbbbbbbb")
    # columns of 3 and 11 (with padding) share 23 spare columns in proportion: 5 and 18, rounded up first
    assert Console(width=40, color=False).export(t).splitlines()[1] == "┃ a" + " " * 6 + "┃ bbbbbbbbb" + " " * 19 + "┃"


def test_an_ellipsis_keeps_the_style_of_what_it_cuts() -> None:
    [line] = wrap(markup("[bold]abcdefghij[/bold]"), 4, overflow="ellipsis")
    assert line.segments == [("abc…", "bold")]
    assert [x.text for x in wrap(Styled.plain("abc"), 1, overflow="ellipsis")] == ["…"]  # as Rich


def _pair(spec: dict[str, Any], columns: list[tuple[str, dict[str, Any]]], rows: list[list[str]]) -> tuple[Any, Any]:
    """The same table in bmnav.terminal (laid out as Rich does) and in Rich."""
    from rich import box as rich_box
    from rich.table import Table as RichTable

    ours = Table(**{**spec, "box": {"simple": SIMPLE_HEAD, None: HEAVY_HEAD}[spec.get("box")]}, keep_words=False)
    theirs = RichTable(**{**spec, "box": {"simple": rich_box.SIMPLE_HEAD, None: rich_box.HEAVY_HEAD}[spec.get("box")]})
    for header, options in columns:
        ours.add_column(header, **options)
        theirs.add_column(header, **options)
    for row in rows:
        ours.add_row(*row)
        theirs.add_row(*row)
    return ours, theirs


CASES = ["3yourmind-marketplace", "baowu-digital-virtual-factory", "munich-re-accident-data-trustee", "tire"]
COMPANIES = ["3YOURMIND GmbH", "Baowu Carbon Materials & Technology Co., Ltd.", "Munich Re", "Michelin"]
CLUSTERS = ["marketplace", "efficiency", "data-trustee (+marketplace)", "smart-product-as-a-service"]
TEXT = "A platform brings supply and demand together and makes transactions cheaper for a fee."
TABLES: dict[str, tuple[dict[str, Any], list[tuple[str, dict[str, Any]]], list[list[str]]]] = {
    "list": (
        {"title": "4 cases", "title_justify": "left", "box": "simple", "pad_edge": False},
        [
            ("Case", {"no_wrap": True, "overflow": "fold"}),
            ("Company", {"overflow": "fold", "ratio": 1}),
            ("Country", {}),
            ("Cluster", {"overflow": "fold", "ratio": 1}),
            ("Roles", {"justify": "right"}),
        ],
        [[c, co, "DE", cl, str(n)] for n, (c, co, cl) in enumerate(zip(CASES, COMPANIES, CLUSTERS, strict=True))],
    ),
    "compare": (
        {"show_lines": True},
        [("", {"style": "bold", "no_wrap": True})]
        + [(f"Cluster {n}\n§2.{n}", {"overflow": "fold", "ratio": 1}) for n in range(1, 4)],
        [["Definition", TEXT, TEXT[:40], TEXT * 2], ["Evidence", *CLUSTERS[1:]]],
    ),
    "expand": (
        {"title": "Phase 1: forces", "title_justify": "left", "expand": True},
        [("", {}), ("Enabling", {"style": "green", "overflow": "fold"}), ("Constraining", {"style": "red"})],
        [["Key trends", "Development of management", "Level of manufacturing"], ["Market", TEXT, "High cost"]],
    ),
    "position": (
        {
            "title": "Openness",
            "title_justify": "left",
            "caption": TEXT,
            "caption_justify": "left",
            "box": "simple",
            "pad_edge": False,
            "padding": (0, 1),
            "collapse_padding": True,
        },
        [("Case", {"overflow": "fold", "ratio": 1}), ("Cluster", {"overflow": "fold", "max_width": 16})]
        + [(f"Acc\n×0.{n}", {"justify": "right", "no_wrap": True}) for n in range(4)]
        + [("Orgs", {"justify": "right", "no_wrap": True})],
        [[c, cl, "0.40", "0.13", "-", "0.10", "6,000,522"] for c, cl in zip(CASES, CLUSTERS, strict=True)],
    ),
}


@pytest.mark.parametrize("width", [38, 72, 80, 100, 130])
@pytest.mark.parametrize("name", sorted(TABLES))
def test_keep_words_false_lays_tables_out_as_rich_does(name: str, width: int) -> None:
    """Line for line as Rich draws it. (At some widths Rich leaves a blank line
    after a word it folds to fill a line exactly; bmnav.terminal does not copy that.)"""
    from rich.console import Console as RichConsole

    ours, theirs = _pair(*TABLES[name])
    buf = io.StringIO()
    RichConsole(file=buf, width=width, color_system=None, soft_wrap=False).print(theirs)
    expected = "\n".join(line.rstrip(" ") for line in buf.getvalue().splitlines())
    assert Console(width=width, color=False).export(ours) == expected


def test_keep_words_false_lets_a_column_without_room_vanish() -> None:
    t = Table(box=SIMPLE_HEAD, pad_edge=False, collapse_padding=True, keep_words=False)
    t.add_column("Case", overflow="fold")
    for n in range(4):
        t.add_column(f"C{n}", justify="right", no_wrap=True)
    t.add_row("a-long-case-id", "0.40", "0.13", "0.12", "0.10")
    lines = Console(width=20, color=False).export(t).splitlines()
    assert all(cell_len(x) <= 20 for x in lines)
    assert "Case" not in "".join(lines) and "a-long" not in "".join(lines)  # no room: no column (as Rich)


@settings(max_examples=100, deadline=None)
@given(
    rows=st.lists(st.lists(cells, min_size=3, max_size=3), min_size=1, max_size=4),
    width=st.integers(min_value=16, max_value=140),
    no_wrap=st.booleans(),
)
def test_a_table_laid_out_as_rich_never_overflows(rows: list[list[str]], width: int, no_wrap: bool) -> None:
    t = Table(title="T", keep_words=False, box=SIMPLE_HEAD, collapse_padding=True)
    t.add_column("first", no_wrap=no_wrap)
    t.add_column("second", overflow="fold", ratio=1)
    t.add_column("third", justify="right", overflow="fold")
    for r in rows:
        t.add_row(*r)
    lines = Console(width=width, color=False).export(t).splitlines()
    assert all(cell_len(x) <= width for x in lines), (width, lines)


# --- no Rich for the text commands -------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["list"],
        ["compare"],
        ["maturity"],
        ["maturity", "haier-cosmoplat"],
        ["position", "--profile", "examples/acme-profile.yaml"],
    ],
    ids=" ".join,
)
@pytest.mark.parametrize("colour", ["NO_COLOR", "FORCE_COLOR"])
def test_text_commands_do_not_import_rich(args: list[str], colour: str, tmp_path: Path) -> None:
    """`python -m bmnav ...` in a fresh interpreter: -X importtime lists every module imported."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TERM", "BMNAV_PROGRESS")}
    env.update({colour: "1", "COLUMNS": "100", "PYTHONPATH": str(ROOT), "BMNAV_CACHE_DIR": str(tmp_path)})
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bmnav", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "┃" in done.stdout or "──" in done.stdout  # a table was drawn
    imported = [line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")]
    assert "bmnav.terminal" in imported  # the probe sees the imports
    assert not [m for m in imported if m == "rich" or m.startswith("rich.")]
