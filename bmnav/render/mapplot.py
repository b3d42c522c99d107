"""The openness / ecosystem-size map drawn with characters, to fit a terminal.

`terminal_map()` lays the positions out on a character grid of a given
width and returns a Rich `Text` (no line longer than the width, each run
of characters with its style): labelled
axes, one colour and marker per cluster with a legend, every point
labelled (by its case id, shortened, or by a number listed under the map
when there is no room), and a `+` at each cluster's centroid. Computing the
positions is `bmnav.domain.positions`' job; this module only draws them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from bmnav.domain.positions import Position, centroids
from bmnav.render.safe_text import for_terminal

if TYPE_CHECKING:
    from rich.text import Text

__all__ = ["PALETTE", "cluster_colours", "terminal_map"]

#: (terminal colour, SVG colour) per cluster, in the order of clusters.yaml;
#: the terminal colours are Rich's names of the standard colours.
PALETTE = (
    ("red", "#d62728"),
    ("green", "#2ca02c"),
    ("blue", "#1f77b4"),
    ("magenta", "#9467bd"),
    ("cyan", "#17becf"),
    ("yellow", "#bcbd22"),
    ("bright_red", "#e377c2"),
    ("bright_green", "#8c564b"),
)
PROFILE_STYLE = ("bold", "#000000")
POINT, PROFILE_POINT, CENTROID = "●", "◆", "+"
#: the dotted bars of a position that rests on estimated counts
RANGE_H, RANGE_V = "┄", "┆"
LEFT = 5  # "1.0 ┤"


def cluster_colours(cluster_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """(terminal colour, SVG colour) for each cluster id, in the order given."""
    return {cid: PALETTE[i % len(PALETTE)] for i, cid in enumerate(cluster_ids)}


def _order(items: Sequence[Position], cluster_ids: Sequence[str] | None) -> list[str]:
    known = list(cluster_ids or [])
    seen = {p.cluster for p in items if p.cluster and not p.profile}
    return [c for c in known if c in seen] + sorted(c for c in seen if c not in known)


#: Characters a label may be written over.
_OPEN = frozenset((" ", RANGE_H, RANGE_V))


class _Grid:
    """The plot area: a character and a style per cell, and where a position falls.

    For each cell it also keeps how many cells from there to the right are
    open to a label (`runs`), so that asking whether a label fits costs one
    look-up however crowded the map is: 10,000 points try up to sixteen
    spots each."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.chars = [[" "] * width for _ in range(height)]
        self.styles = [[""] * width for _ in range(height)]
        self.runs: list[list[int]] = []

    def cell_of(self, x: float, y: float) -> tuple[int, int]:
        col = round(min(1.0, max(0.0, x)) * (self.width - 1))
        row = round((1 - min(1.0, max(0.0, y))) * (self.height - 1))
        return row, col

    def set(self, row: int, col: int, char: str, style: str) -> None:
        self.chars[row][col], self.styles[row][col] = char, style

    def count_runs(self, row: int | None = None) -> None:
        """Work out the open runs of one row (or of every row)."""
        if row is None:
            self.runs = [[] for _ in range(self.height)]
        for r in range(self.height) if row is None else (row,):
            runs, n = [0] * self.width, 0
            chars = self.chars[r]
            for c in range(self.width - 1, -1, -1):
                n = n + 1 if chars[c] in _OPEN else 0
                runs[c] = n
            self.runs[r] = runs

    def free(self, row: int, start: int, length: int) -> bool:
        if row < 0 or row >= self.height or start < 0 or start + length > self.width:
            return False
        return self.runs[row][start] >= length

    def put(self, row: int, start: int, text: str, style: str) -> None:
        chars, styles = self.chars[row], self.styles[row]
        for i, ch in enumerate(text):
            chars[start + i], styles[start + i] = ch, style
        self.count_runs(row)


def terminal_map(
    items: Sequence[Position],
    *,
    width: int = 80,
    height: int | None = None,
    cluster_ids: Sequence[str] | None = None,
    cluster_names: Mapping[str, str] | None = None,
    show_centroids: bool = True,
) -> Text:
    """Draw `items` as a scatter map that fits in `width` columns.

    `cluster_ids` fixes the colour order (use the corpus's cluster list so
    colours stay the same between runs); `cluster_names` gives the legend
    text. `height` is the number of plot rows (default from the width).
    """
    width = max(30, width)
    unknown = [p for p in items if not p.size_known]  # no network: the ecosystem size is unknown
    items = [p for p in items if p.size_known]
    plot_w = width - LEFT - 1
    plot_h = height or max(9, min(21, plot_w // 4))
    if plot_h % 2 == 0:  # an odd number of rows puts 0.5 on a row
        plot_h += 1
    clusters = _order(items, cluster_ids)
    colours = cluster_colours(cluster_ids or clusters)
    for c in clusters:
        colours.setdefault(c, PALETTE[len(colours) % len(PALETTE)])

    def style_of(p: Position) -> str:
        if p.profile or not p.cluster:
            return PROFILE_STYLE[0]
        return colours[p.cluster][0]

    grid = _Grid(plot_w, plot_h)
    if show_centroids:
        for cid, (cx, cy) in centroids(items).items():
            row, col = grid.cell_of(cx, cy)
            grid.set(row, col, CENTROID, f"bold {colours[cid][0]}")
    _draw_ranges(grid, items, style_of)
    numbered = _draw_points(grid, items, style_of)
    text = _frame(grid)
    _legend(text, width, clusters, colours, dict(cluster_names or {}), items, show_centroids)
    # one line per numbered point (as `_wrap_append` writes a line of one part), appended at once
    lines: list[tuple[str, str]] = []
    for number, p in numbered:
        label = for_terminal(f"{number} = {p.case}")
        lines += [(label if len(label) <= width else label[: width - 1] + "…", style_of(p)), ("\n", "")]
    _append(text, lines)
    if unknown:
        left_off = ", ".join(p.case for p in unknown)
        _wrap_append(
            text, width, [(f"Not on the map (no value network, so the ecosystem size is unknown): {left_off}", "dim")]
        )
    return text


def _draw_ranges(grid: _Grid, items: Sequence[Position], style_of: Callable[[Position], str]) -> None:
    """A dotted bar along each axis a position can move on over its estimated counts.

    A bar only fills blank cells, so drawing the same bars again changes
    nothing: each set of bars (by its cells and style) is drawn once, in the
    order of its first position, however many positions share it."""
    bars: dict[tuple[int, int, int, int, int, int, str], None] = {}
    for p in items:
        if p.manual or not p.rests_on_estimates:
            continue
        r0, c0 = grid.cell_of(p.openness_range[0], p.ecosystem_size_range[1])
        r1, c1 = grid.cell_of(p.openness_range[1], p.ecosystem_size_range[0])
        row, col = grid.cell_of(p.openness, p.ecosystem_size)
        bars[(row, col, r0, c0, r1, c1, style_of(p))] = None
    chars = grid.chars
    for row, col, r0, c0, r1, c1, style in bars:
        for x in range(c0, c1 + 1):
            if chars[row][x] == " ":
                grid.set(row, x, RANGE_H, f"dim {style}")
        for y in range(r0, r1 + 1):
            if chars[y][col] == " ":
                grid.set(y, col, RANGE_V, f"dim {style}")


def _draw_points(
    grid: _Grid, items: Sequence[Position], style_of: Callable[[Position], str]
) -> list[tuple[int, Position]]:
    """Every point and its label (the case id, shortened; or a number where
    there is no room); returns the numbered points, to list under the map."""
    points = sorted(items, key=lambda p: (-p.ecosystem_size, p.openness, p.case))
    cells = [grid.cell_of(p.openness, p.ecosystem_size) for p in points]
    for p, (row, col) in zip(points, cells, strict=True):
        grid.set(row, col, PROFILE_POINT if p.profile else POINT, style_of(p))
    grid.count_runs()
    max_label = max(6, grid.width // 5)
    numbered: list[tuple[int, Position]] = []
    blocked: dict[tuple[int, int], int] = {}
    for p, (row, col) in zip(points, cells, strict=True):
        case = for_terminal(p.case)
        label = case if len(case) <= max_label else case[: max_label - 1] + "…"
        if p.manual:
            label += "*"
        placed = _place_near(label, row, col, grid, blocked)
        if placed is None:
            key = str(len(numbered) + 1)
            placed = _place_near(key, row, col, grid, blocked)
            numbered.append((len(numbered) + 1, p))
            label = key
        if placed is not None:
            grid.put(placed[0], placed[1], label, style_of(p))
    return numbered


def _frame(grid: _Grid) -> Text:
    """The grid with its axes, ticks and axis titles."""
    from rich.text import Text

    text = Text()
    text.append("ecosystem size ↑", "bold")
    text.append("\n")
    for r, cells in enumerate(grid.chars):
        tick = ""
        if r == 0:
            tick = "1.0"
        elif r == grid.height - 1:
            tick = "0.0"
        elif r == (grid.height - 1) // 2 and grid.height % 2 == 1:
            tick = "0.5"
        text.append(f"{tick:>3} ", "dim")
        text.append("┤" if tick else "│", "dim")
        _append(text, list(zip(cells, grid.styles[r], strict=True)))
        text.append("\n")
    text.append(" " * (LEFT - 1) + "└" + "─" * grid.width + "\n", "dim")
    ticks = [" "] * grid.width
    for value in ("0.0", "0.5", "1.0"):
        pos = round(float(value) * (grid.width - 1))
        start = min(max(0, pos - 1), grid.width - len(value))
        ticks[start : start + len(value)] = list(value)
    text.append(" " * LEFT + "".join(ticks) + "\n", "dim")
    title = "openness →"
    text.append(" " * (LEFT + max(0, (grid.width - len(title)) // 2)) + title + "\n", "bold")
    return text


def _place_near(
    label: str, row: int, col: int, grid: _Grid, blocked: dict[tuple[int, int], int]
) -> tuple[int, int] | None:
    """`_place` for a point in this cell, remembering the shortest label that
    found no spot there (`blocked`): the map only fills up, and each spot a
    longer label could take covers the spot of a shorter one, so a label at
    least that long fails too. Most of 10,000 points share a cell with others."""
    if len(label) >= blocked.get((row, col), len(label) + 1):
        return None
    placed = _place(label, row, col, grid.free)
    if placed is None:
        blocked[(row, col)] = len(label)
    return placed


def _place(label: str, row: int, col: int, free: Callable[[int, int, int], bool]) -> tuple[int, int] | None:
    """The first spot near (row, col) where `label` fits: right, left, then the rows above and below."""
    n = len(label)
    for r, start in (
        (row, col + 2),
        (row, col - 1 - n),
        (row - 1, col + 1),
        (row + 1, col + 1),
        (row - 1, col - n),
        (row + 1, col - n),
        (row, col + 1),
        (row, col - n),
    ):
        if free(r, start, n):
            return r, start
    return None


def _legend(
    text: Text,
    width: int,
    clusters: Sequence[str],
    colours: Mapping[str, tuple[str, str]],
    names: Mapping[str, str],
    items: Sequence[Position],
    show_centroids: bool,
) -> None:
    parts: list[tuple[str, str]] = [(f"{POINT} {names.get(c, c)}", colours[c][0]) for c in clusters]
    if any(p.profile or not p.cluster for p in items):
        parts.append((f"{PROFILE_POINT} profile", PROFILE_STYLE[0]))
    if show_centroids and clusters:
        parts.append((f"{CENTROID} cluster centroid", "dim"))
    if any(p.manual for p in items):
        parts.append(("* manual position", "dim"))
    if any(p.rests_on_estimates and not p.manual for p in items):
        parts.append((f"{RANGE_H}{RANGE_V} range over estimated counts", "dim"))
    _wrap_append(text, width, parts)


def _wrap_append(text: Text, width: int, parts: Sequence[tuple[str, str]]) -> None:
    _append(text, _wrapped(width, parts))


def _append(text: Text, tokens: list[tuple[str, str]]) -> None:
    """Append (text, style) pieces as `Text.append` does one at a time (an empty piece adds nothing)."""
    text.append_tokens(t for t in tokens if t[0])


def _wrapped(width: int, parts: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """`parts` as (text, style) pieces in lines of at most `width` columns, ending with a new line."""
    out: list[tuple[str, str]] = []
    line = 0
    for label, style in parts:
        label = for_terminal(label)
        label = label if len(label) <= width else label[: width - 1] + "…"
        sep = 3 if line else 0
        if line and line + sep + len(label) > width:
            out.append(("\n", ""))
            line, sep = 0, 0
        if sep:
            out.append((" " * sep, ""))
        out.append((label, style))
        line += sep + len(label)
    if line:
        out.append(("\n", ""))
    return out
