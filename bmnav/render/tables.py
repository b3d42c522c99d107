"""Table helpers shared by the terminal renderers: empty columns left out, words kept whole."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.table import Table

#: A column: its header and Rich's column options (justify, no_wrap, ratio ...).
ColumnSpec = tuple[str, dict[str, Any]]


def _empty(cell: Any) -> bool:
    text = cell if isinstance(cell, str) else getattr(cell, "plain", None)
    return cell is None or (text is not None and not text.strip())


def compact_table(
    title: str | None,
    columns: Sequence[ColumnSpec],
    rows: Sequence[Sequence[Any]],
    *,
    whole_words: bool = True,
    **options: Any,
) -> Table:
    """A table of `rows` without the columns that are empty in every row. With
    `whole_words` its wrapping columns are never narrower than their longest
    word (see `keep_words`); without, Rich shrinks the widest columns evenly."""
    from rich.table import Table

    keep = [i for i in range(len(columns)) if any(not _empty(r[i]) for r in rows)] or list(range(len(columns)))
    table = Table(title=title, title_justify="left", **options)
    for i in keep:
        header, column_options = columns[i]
        table.add_column(header, **column_options)
    for r in rows:
        table.add_row(*(r[i] for i in keep))
    return keep_words(table) if whole_words else table


def _longest_word(cell: Any) -> int:
    from rich.cells import cell_len

    if isinstance(cell, str):
        if "[" in cell:  # markup: measure the text it shows
            from rich.markup import render

            cell = render(cell).plain
        text = cell
    else:
        text = getattr(cell, "plain", "")
    return max((cell_len(w) for w in text.split()), default=0)


def keep_words(table: Table) -> Table:
    """Give each wrapping column of `table` a minimum width of its longest
    word, so that Rich wraps between words and never breaks an id or a number
    while the table fits (the terminal renderers stack their items below
    100 columns, so a table that cannot fit is rare)."""
    for column in table.columns:
        if column.no_wrap or column.width is not None:
            continue
        longest = max((_longest_word(c) for c in [column.header, *column.cells]), default=0)
        column.min_width = max(column.min_width or 0, longest)
    return table


#: Below this many rows a table is always laid out by Rich alone.
FAST_ROWS = 200
#: Rows Rich lays out to check the plain rows against (besides the first and last).
_CHECKED = 24


def plain_table_text(table: Any, console: Any, *, end: str = "\n", soft_wrap: bool = False) -> str | None:
    """What `console.print(table)` captures without colour, for a long table of
    plain text cells, without Rich laying out every row; None when the table
    is not of that kind (the caller prints it with Rich).

    Rich measures every cell and draws every row through its segment
    machinery: 4 to 7 s for the 10,000 rows of `list` or `position`. A column's
    width depends only on its widest cell and its longest word, so Rich lays
    out a table of those rows (and the first and last rows, and a few more)
    exactly as the whole table. The other rows are written as text in the
    same columns: a cell that fits on one line padded and justified, one that
    must wrap laid out by Rich once per column and text. The rows Rich drew
    are then compared with the same rows written this way: any difference
    and the whole table goes to Rich."""
    from rich.table import Table

    if not isinstance(table, Table) or len(table.rows) < FAST_ROWS or not _plain_layout(table):
        return None
    # (each text once: the numbers of a long table repeat)
    if any(not _plain_cell(cell) for column in table.columns for cell in set(column._cells)):
        return None
    cells: list[list[str]] = [column._cells for column in table.columns]  # type: ignore[misc]
    n = len(table.rows)
    picked = {*range(min(_CHECKED, n)), n - 1}
    for column in cells:  # one cell per character (`_plain_cell`): lengths are widths
        lengths = list(map(len, column))
        longest = {text: max(map(len, text.split()), default=0) for text in set(column)}  # (texts repeat)
        words = list(map(longest.__getitem__, column))
        picked.add(lengths.index(max(lengths)))
        picked.add(words.index(max(words)))
    small = _with_rows(table, sorted(picked))
    widths = _widths(small, console)
    if widths is None:
        return None
    draw = _RowWriter(table, console, widths)
    for i in range(n):  # a row of every shape of wrapping cell is checked too
        if draw.wraps(cells, i):
            picked.add(i)
    sample = sorted(picked)
    small = _with_rows(table, sample)
    with console.capture() as captured:
        console.print(small, end=end, soft_wrap=soft_wrap)
    drawn = captured.get().split("\n")
    if _widths(small, console) != widths:
        return None
    rows = [draw.row([c[i] for c in cells], i) for i in range(n)]
    checked = [line for i in sample for line in rows[i]]
    start = _find(drawn, checked)
    if start is None:
        return None
    return "\n".join([*drawn[:start], *(line for row in rows for line in row), *drawn[start + len(checked) :]])


def _plain_layout(table: Any) -> bool:
    """A table whose body rows have no styles, rules or vertical padding."""
    top, _, bottom, _ = table.padding
    return (
        not table.show_footer
        and not table.show_lines
        and not table.leading
        and not table.row_styles
        and not any(row.end_section or row.style for row in table.rows)
        and top == 0
        and bottom == 0
        and all(column.justify in ("left", "right") and column.vertical == "top" for column in table.columns)
    )


def _plain_cell(cell: Any) -> bool:
    """Text that shows as it is: printable, one cell per character, no markup,
    single spaces, no space at either end."""
    from rich.cells import cell_len

    return (
        type(cell) is str
        and cell.isprintable()  # no tab, no new line
        and "[" not in cell
        and "\\" not in cell
        and "  " not in cell
        and cell.strip() == cell
        and (cell.isascii() or (" ".join(cell.split()) == cell and cell_len(cell) == len(cell)))
    )


def _with_rows(table: Any, keep: list[int]) -> Any:
    """A copy of `table` with only these rows."""
    import copy
    import dataclasses

    small = copy.copy(table)
    small.columns = [dataclasses.replace(c, _cells=[c._cells[i] for i in keep]) for c in table.columns]
    small.rows = [table.rows[i] for i in keep]
    return small


def _widths(table: Any, console: Any) -> list[int] | None:
    """The column widths Rich gives `table` on this console (as `Table.__rich_console__` works them out)."""
    options = console.options
    max_width = table.width if table.width is not None else options.max_width
    try:
        widths: list[int] = table._calculate_column_widths(
            console, options.update_width(max_width - table._extra_width)
        )
    except (AttributeError, TypeError):  # another version of Rich
        return None
    return widths


class _RowWriter:
    """Body rows as Rich draws them (see `Table._render`), in the widths given."""

    def __init__(self, table: Any, console: Any, widths: list[int]) -> None:
        self.table = table
        self.console = console
        self.widths = widths
        _, pad_right, _, pad_left = table.padding
        last = len(table.columns) - 1
        self.pads = []
        for i in range(len(table.columns)):
            left, right = pad_left, pad_right
            if table.collapse_padding and i > 0:
                left = max(0, left - right)
            if not table.pad_edge:
                left = 0 if i == 0 else left
                right = 0 if i == last else right
            self.pads.append((left, right))
        self._wrapped: dict[tuple[int, str], list[str]] = {}
        #: per column: its index, room for text, padding on either side, whether flush right
        self._cells: list[tuple[int, int, str, str, bool]] | None = None
        # the box Rich draws with: ASCII lines on a console that cannot show others, none for a header
        safe = console.safe_box if table.safe_box is None else table.safe_box
        self._box = table.box.substitute(console.options, safe=safe) if table.box else None
        if self._box is not None and not table.show_header:
            self._box = self._box.get_plain_headed_box()
        #: what stands between the cells of every body line, when it is the same in every row
        #: and the lines have no edges (else None)
        dividers = {""} if self._box is None else {str(self._box.mid_vertical), str(self._box.foot_vertical)}
        if self._box is not None and not table.show_header:
            dividers.add(str(self._box.head_vertical))
        self._divider = dividers.pop() if len(dividers) == 1 and (self._box is None or not table.show_edge) else None

    def wraps(self, cells: list[list[str]], index: int) -> bool:
        """Whether a cell of this row needs more than one line (first of its column and text only)."""
        found = False
        for col, (column, width, (left, right)) in enumerate(zip(cells, self.widths, self.pads, strict=True)):
            text = column[index]
            if len(text) > width - left - right and (col, text) not in self._wrapped:
                self._wrapped[(col, text)] = self._rich_cell(col, text)
                found = True
        return found

    def _rich_cell(self, col: int, text: str) -> list[str]:
        """One cell's lines as Rich lays it out in its column (as `Table._render` does)."""
        from rich.padding import Padding

        column = self.table.columns[col]
        left, right = self.pads[col]
        options = self.console.options.update(
            width=self.widths[col],
            justify=column.justify,
            no_wrap=column.no_wrap,
            overflow=column.overflow,
            height=None,
            highlight=column.highlight,
        )
        lines = self.console.render_lines(Padding(text, (0, right, 0, left)), options)
        return ["".join(segment.text for segment in line) for line in lines]

    def row(self, texts: list[str], index: int) -> list[str]:
        """The lines of one body row."""
        if self._cells is None:
            self._cells = [
                (col, width - left - right, " " * left, " " * right, self.table.columns[col].justify == "right")
                for col, (width, (left, right)) in enumerate(zip(self.widths, self.pads, strict=True))
            ]
        blocks = []
        height = 1
        for text, (col, room, left, right, flush_right) in zip(texts, self._cells, strict=True):
            if len(text) <= room:
                blocks.append([left + (text.rjust(room) if flush_right else text.ljust(room)) + right])
            else:
                if (col, text) not in self._wrapped:
                    self._wrapped[(col, text)] = self._rich_cell(col, text)
                blocks.append(self._wrapped[(col, text)])
                height = max(height, len(blocks[-1]))
        if height > 1:
            blocks = [b + [" " * w] * (height - len(b)) for b, w in zip(blocks, self.widths, strict=True)]
        if self._divider is not None:
            return [self._divider.join(parts) for parts in zip(*blocks, strict=True)]
        box = self._box
        if box is None:
            return ["".join(parts) for parts in zip(*blocks, strict=True)]
        first = index == 0 and not self.table.show_header
        last = index == len(self.table.rows) - 1
        left_edge, right_edge, divider = (
            (box.head_left, box.head_right, box.head_vertical)
            if first
            else (box.foot_left, box.foot_right, box.foot_vertical)
            if last
            else (box.mid_left, box.mid_right, box.mid_vertical)
        )
        lines = [str(divider).join(parts) for parts in zip(*blocks, strict=True)]
        return [f"{left_edge}{line}{right_edge}" for line in lines] if self.table.show_edge else lines


def _find(lines: list[str], block: list[str]) -> int | None:
    """Where `block` stands in `lines`, exactly and once; else None."""
    starts = [i for i in range(len(lines) - len(block) + 1) if lines[i : i + len(block)] == block]
    return starts[0] if len(starts) == 1 else None
