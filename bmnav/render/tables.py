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
