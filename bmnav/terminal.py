"""Terminal output without Rich's cost: markup, wrapped tables, panels and trees.

Rich costs about 20 ms to import and lays out a 140-line classify report in
another 18 ms; the start-up goals of issue 7 leave no room for either. This
module keeps the small part of Rich bmnav's reports use, with the same
markup (`[bold]`, `[dim]`, colours, `\\[` escapes) and the same box
characters, so render code reads as before. Anything else handed to
`Console.print` (a Rich renderable) is passed on to Rich.

Colour follows the usual conventions: only on a terminal, never with
`NO_COLOR` or `TERM=dumb`, always with `FORCE_COLOR`. The width is
`COLUMNS`, else the terminal's, else 80.
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import IO, Any

from .safe_text import for_terminal

#: ANSI select-graphic-rendition codes of the style words bmnav's markup uses:
#: attributes, the eight standard colours (30-37) and their bright forms
#: (90-97, Rich's `bright_red` and so on). Other words are ignored.
SGR = {
    "bold": "1",
    "dim": "2",
    "italic": "3",
    "underline": "4",
    "black": "30",
    "red": "31",
    "green": "32",
    "yellow": "33",
    "blue": "34",
    "magenta": "35",
    "cyan": "36",
    "white": "37",
    "bright_black": "90",
    "bright_red": "91",
    "bright_green": "92",
    "bright_yellow": "93",
    "bright_blue": "94",
    "bright_magenta": "95",
    "bright_cyan": "96",
    "bright_white": "97",
}

#: A tag as Rich's markup has it: `[bold]`, `[/bold]`, `[/]`, with any
#: backslashes before it (an odd number escapes the tag).
_TAG = re.compile(r"(\\*)\[([a-z#/@][^[]*?)]")
_WORD = re.compile(r"\S+")

Segment = tuple[str, str]  # (text, style words)


# --- text that can be written ---------------------------------------------------


def printable(text: str) -> str:
    """`text` as valid Unicode: a file name that is not valid UTF-8 reaches
    Python with its bad bytes as lone surrogates, which a UTF-8 stream (and
    any JSON reader) refuses; they become U+FFFD, as in other tools' output."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


# --- widths -------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def cell_len(text: str) -> int:
    """Columns `text` takes in a terminal (CJK characters take two)."""
    if text.isascii():
        return len(text)
    return sum(_char_width(c) for c in text)


def _cut(text: str, width: int) -> int:
    """The longest prefix of `text` (as an index) that fits in `width` columns."""
    if text.isascii():
        return min(len(text), width)
    used = 0
    for i, ch in enumerate(text):
        used += _char_width(ch)
        if used > width:
            return i
    return len(text)


# --- styled text --------------------------------------------------------------


class Styled:
    """One or more lines of text, each run of characters with its style words."""

    __slots__ = ("segments",)

    def __init__(self, segments: Iterable[Segment] = ()) -> None:
        # every text shown passes here, so no control character of a case
        # file (ESC, BEL, CR, bidi overrides) reaches the terminal raw
        self.segments: list[Segment] = [(for_terminal(t), s) for t, s in segments if t] if segments else []

    @classmethod
    def _of_safe(cls, segments: Iterable[Segment]) -> Styled:
        """A Styled of segments taken from another Styled (so already made safe)."""
        out = cls()
        out.segments = [s for s in segments if s[0]]
        return out

    @classmethod
    def plain(cls, text: str, style: str = "") -> Styled:
        return cls([(text, style)])

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.segments)

    def append(self, text: str, style: str = "") -> Styled:
        if text:
            text = for_terminal(text)
            if self.segments and self.segments[-1][1] == style:
                self.segments[-1] = (self.segments[-1][0] + text, style)
            else:
                self.segments.append((text, style))
        return self

    def extend(self, other: Styled) -> Styled:
        self.segments.extend(other.segments)
        return self

    def styled(self, style: str) -> Styled:
        """The same text with `style` added under every run's own style."""
        if not style:
            return self
        return Styled._of_safe((t, f"{style} {s}".strip()) for t, s in self.segments)

    def slice(self, start: int, end: int) -> Styled:
        """Characters start..end of the text, keeping their styles."""
        out: list[Segment] = []
        pos = 0
        for text, style in self.segments:
            nxt = pos + len(text)
            if nxt > start and pos < end:
                out.append((text[max(0, start - pos) : min(len(text), end - pos)], style))
            pos = nxt
            if pos >= end:
                break
        return Styled._of_safe(out)

    def split_lines(self) -> list[Styled]:
        lines: list[Styled] = [Styled()]
        for text, style in self.segments:
            parts = text.split("\n")
            for i, part in enumerate(parts):
                if i:
                    lines.append(Styled())
                lines[-1].append(part, style)
        return lines

    def width(self) -> int:
        return max((cell_len(line.text) for line in self.split_lines()), default=0)

    def render(self, color: bool) -> str:
        if not color:
            return self.text
        out = []
        for text, style in self.segments:
            codes = ";".join(SGR[w] for w in style.split() if w in SGR)
            out.append(f"\x1b[{codes}m{text}\x1b[0m" if codes else text)
        return "".join(out)

    def __repr__(self) -> str:
        return f"Styled({self.text!r})"


def markup(text: str, style: str = "") -> Styled:
    """Parse Rich-style markup: `[bold]x[/bold]`, `[dim]`, `[red]`, `[/]`;
    `\\[` is a literal bracket."""
    if "[" not in text:
        return Styled.plain(text, style)
    out = Styled()
    stack: list[str] = [style] if style else []
    pos = 0

    def emit(chunk: str) -> None:
        out.append(chunk.replace("\\[", "["), " ".join(stack))

    for m in _TAG.finditer(text):
        escapes, tag = m.group(1), m.group(2)
        emit(text[pos : m.start()])
        pos = m.end()
        if escapes:
            pairs, odd = divmod(len(escapes), 2)
            out.append("\\" * pairs, " ".join(stack))
            if odd:
                out.append(f"[{tag}]", " ".join(stack))
                continue
        if tag.startswith("/"):
            name = tag[1:].strip()
            if not name:
                if len(stack) > (1 if style else 0):
                    stack.pop()
            elif name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name)]
        else:
            stack.append(tag.strip())
    emit(text[pos:])
    return out


def to_styled(value: str | Styled | None, style: str = "") -> Styled:
    if value is None:
        return Styled()
    if isinstance(value, Styled):
        return value.styled(style)
    return markup(value, style)


# --- wrapping -----------------------------------------------------------------


def wrap(text: Styled, width: int, *, overflow: str = "fold", no_wrap: bool = False) -> list[Styled]:
    """Lines of `text` no wider than `width`: words wrapped at spaces, a word
    longer than a line folded (`fold`) or cut with an ellipsis (`ellipsis`)."""
    width = max(1, width)
    lines: list[Styled] = []
    for line in text.split_lines():
        plain = line.text
        if no_wrap or cell_len(plain) <= width:
            lines.append(line if cell_len(plain) <= width else _truncate(line, width, overflow))
            continue
        for start, end in _breaks(plain, width, overflow):
            lines.append(_truncate(line.slice(start, end), width, overflow))
    return lines


def _truncate(line: Styled, width: int, overflow: str) -> Styled:
    plain = line.text
    if cell_len(plain) <= width:
        return line
    if overflow == "ellipsis":  # in one column, only the ellipsis (as Rich)
        cut = _cut(plain, width - 1)
        gone = line.slice(cut, cut + 1).segments
        return line.slice(0, cut).append("…", gone[0][1] if gone else "")  # styled as what it stands for
    return line.slice(0, _cut(plain, width))


def _breaks(plain: str, width: int, overflow: str) -> list[tuple[int, int]]:
    """Greedy line breaks of one paragraph, as (start, end) indexes."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    end = 0
    used = 0
    indent = len(plain) - len(plain.lstrip(" "))
    for i, m in enumerate(_WORD.finditer(plain)):
        s, e = m.span()
        if i == 0 and indent < width // 2:
            s = 0  # keep a paragraph's indentation on its first line
        w = cell_len(plain[s:e])
        if start is not None and used + cell_len(plain[end:s]) + w <= width:
            end, used = e, used + cell_len(plain[end:s]) + w
            continue
        if start is not None:
            out.append((start, end))
        while w > width and overflow == "fold":  # fold a word longer than a line
            cut = s + max(1, _cut(plain[s:e], width))
            out.append((s, cut))
            s = cut
            w = cell_len(plain[s:e])
        start, end, used = s, e, w
    if start is not None:
        out.append((start, end))
    return out or [(0, 0)]


# --- boxes --------------------------------------------------------------------


class Box:
    """Eight rows of four characters (left, horizontal, divider, right), as
    Rich draws them: top, head, head_row, mid, row, foot_row, foot, bottom."""

    __slots__ = ("bottom", "head", "head_row", "mid", "row", "rows", "top")

    def __init__(self, spec: str) -> None:
        rows = tuple(spec.split("\n"))
        if len(rows) != 8 or any(len(r) != 4 for r in rows):
            raise ValueError(f"a box is eight rows of four characters: {spec!r}")
        self.rows = rows
        self.top, self.head, self.head_row, self.mid, self.row = rows[:5]
        self.bottom = rows[7]


HEAVY_HEAD = Box("┏━┳┓\n┃ ┃┃\n┡━╇┩\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n└─┴┘")
SQUARE = Box("┌─┬┐\n│ ││\n├─┼┤\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n└─┴┘")
ROUNDED = Box("╭─┬╮\n│ ││\n├─┼┤\n│ ││\n├─┼┤\n├─┼┤\n│ ││\n╰─┴╯")
SIMPLE_HEAD = Box("    \n    \n ── \n    \n    \n    \n    \n    ")


# --- tables -------------------------------------------------------------------


class Column:
    """One column's header and how its cells are laid out."""

    __slots__ = ("header", "justify", "max_width", "min_width", "no_wrap", "overflow", "ratio", "style", "width")

    def __init__(
        self,
        header: str = "",
        *,
        justify: str = "left",  # left, right or center
        no_wrap: bool = False,
        overflow: str = "ellipsis",  # fold or ellipsis, for a word longer than the column
        ratio: int | None = None,  # share of the spare width when the table expands
        width: int | None = None,
        min_width: int | None = None,
        max_width: int | None = None,
        style: str = "",
    ) -> None:
        self.header = header
        self.justify = justify
        self.no_wrap = no_wrap
        self.overflow = overflow
        self.ratio = ratio
        self.width = width
        self.min_width = min_width
        self.max_width = max_width
        self.style = style


class Table:
    """A table laid out for the console's width: columns shrink, widest
    first and not below their longest word while they can, and cells wrap.
    With `keep_words=False` the columns shrink as Rich's do instead: the
    widest wrapping columns give way together, folding long words, and the
    columns that do not wrap only when nothing else is left.

    As in Rich: a title above and a caption below, each wrapped to the
    table's width; header cells aligned at the bottom; `padding` is Rich's
    (vertical, horizontal) or (top, right, bottom, left), horizontal only;
    `collapse_padding` drops a column's left padding where the previous
    column's right padding already separates them; `expand` fills the width,
    giving columns with a `ratio` their share and otherwise every column
    spare width in proportion to its own.
    """

    def __init__(
        self,
        title: str | None = None,
        *,
        title_justify: str = "center",
        caption: str | None = None,
        caption_justify: str = "center",
        box: Box | None = HEAVY_HEAD,
        show_header: bool = True,
        show_edge: bool = True,
        pad_edge: bool = True,
        padding: int | tuple[int, int] | tuple[int, int, int, int] = (0, 1),
        collapse_padding: bool = False,
        show_lines: bool = False,
        expand: bool = False,
        keep_words: bool = True,
        title_style: str = "italic",
        caption_style: str = "dim italic",
        header_style: str = "bold",
    ) -> None:
        self.title = title
        self.title_justify = title_justify
        self.caption = caption
        self.caption_justify = caption_justify
        self.box = box
        self.show_header = show_header
        self.show_edge = show_edge
        self.pad_edge = pad_edge
        self.padding = _horizontal_padding(padding)
        self.collapse_padding = collapse_padding
        self.show_lines = show_lines
        self.expand = expand
        self.keep_words = keep_words
        self.title_style = title_style
        self.caption_style = caption_style
        self.header_style = header_style
        self.columns: list[Column] = []
        self.rows: list[list[Styled]] = []

    def add_column(self, header: str = "", **options: Any) -> None:
        self.columns.append(Column(header, **options))

    def add_row(self, *cells: str | Styled | None) -> None:
        row = [to_styled(c, col.style) for c, col in zip(cells, self.columns, strict=False)]
        row += [Styled() for _ in range(len(self.columns) - len(row))]
        self.rows.append(row)

    # layout

    def _pads(self) -> list[tuple[int, int]]:
        """(left, right) padding of each column."""
        n = len(self.columns)
        left, right = self.padding
        pads = []
        for i in range(n):
            a = max(0, left - right) if self.collapse_padding and i else left
            b = right
            if not self.pad_edge:
                a = 0 if i == 0 else a
                b = 0 if i == n - 1 else b
            pads.append((a, b))
        return pads

    def _edges(self) -> int:
        n = len(self.columns)
        if self.box is None:
            return 0
        return (n - 1) + (2 if self.show_edge else 0)

    def _widths(self, width: int) -> list[int]:
        """Content widths of the columns (without padding)."""
        cells = [
            [*([to_styled(c.header)] if self.show_header else []), *(r[i] for r in self.rows)]
            for i, c in enumerate(self.columns)
        ]
        widths: list[int] = []
        mins: list[int] = []
        for col, column in zip(self.columns, cells, strict=True):
            most = max((x.width() for x in column), default=0)
            least = most if col.no_wrap else max((_longest_word(x) for x in column), default=0)
            if col.width is not None:
                most = least = col.width
            if col.max_width is not None:
                most, least = min(most, col.max_width), min(least, col.max_width)
            if col.min_width is not None:
                most, least = max(most, col.min_width), max(least, col.min_width)
            widths.append(max(most, 1))
            mins.append(max(min(least, most), 1))
        pads = [a + b for a, b in self._pads()]
        room = width - self._edges() - sum(pads)
        ratios = [c.ratio or 0 for c in self.columns]
        if self.expand and any(ratios):
            # as Rich: the columns with a ratio share what the others leave
            fixed = sum(w + p for w, p, c in zip(widths, pads, self.columns, strict=True) if c.ratio is None)
            flex = [i for i, c in enumerate(self.columns) if c.ratio is not None]
            shares = _distribute(
                room + sum(pads) - fixed,
                [ratios[i] for i in flex],
                [(self.columns[i].width or 1) + pads[i] for i in flex],
            )
            for i, share in zip(flex, shares, strict=True):
                widths[i] = max(1, share - pads[i])
        excess = sum(widths) - room
        flexible = [c.width is None and not c.no_wrap for c in self.columns]
        if not self.keep_words:
            widths = _shrink_evenly(widths, pads, flexible, room)
            excess = sum(widths) - room
        # shrink the widest wrapping column, first not below its longest word,
        # then folding words, and only then the columns that do not wrap
        steps = (
            [i for i in range(len(widths)) if flexible[i]],
            [i for i in range(len(widths)) if flexible[i]],
            list(range(len(widths))),
        )
        for floor, allowed in zip((mins, [min(m, 10) for m in mins], [1] * len(mins)), steps, strict=True):
            while excess > 0:
                candidates = [i for i in allowed if widths[i] > floor[i]]
                if not candidates:
                    break
                widest = max(candidates, key=lambda i: widths[i])
                widths[widest] -= 1
                excess -= 1
        if excess < 0 and self.expand:  # spare width in proportion to each column's (as Rich)
            extra = _distribute(-excess, [w + p for w, p in zip(widths, pads, strict=True)])
            widths = [w + e for w, e in zip(widths, extra, strict=True)]
        return widths

    def render(self, width: int) -> list[Styled]:
        if not self.columns:
            return []
        widths = self._widths(width)
        pads = self._pads()
        lines: list[Styled] = []
        table_width = sum(widths) + sum(a + b for a, b in pads) + self._edges()
        if self.title:
            for line in wrap(markup(self.title, self.title_style), table_width):
                lines.append(_justify(line, table_width, self.title_justify))
        box = self.box
        edge = self.show_edge and box is not None

        def rule(chars: str) -> Styled:
            left, horizontal, divider, right = _four(chars)
            parts = [horizontal * (w + a + b) for w, (a, b) in zip(widths, pads, strict=True)]
            text = divider.join(parts)
            if edge:
                text = left + text + right
            return Styled.plain(text)

        def cells(row: Sequence[Styled], chars: str, style: str = "", *, bottom: bool = False) -> list[Styled]:
            left, _, divider, right = _four(chars if box is not None else "    ")
            wrapped = [
                wrap(cell.styled(style), w, overflow=c.overflow, no_wrap=c.no_wrap) if w > 0 else [Styled()]
                for cell, w, c in zip(row, widths, self.columns, strict=True)
            ]
            height = max(len(w) for w in wrapped)
            if bottom:  # a header: its cells sit on the rule below them
                wrapped = [[Styled()] * (height - len(w)) + w for w in wrapped]
            out = []
            for k in range(height):
                line = Styled()
                if edge:
                    line.append(left)
                for i, (col, w, (a, b)) in enumerate(zip(self.columns, widths, pads, strict=True)):
                    if i and box is not None:
                        line.append(divider)
                    if w <= 0:  # a column with no room left: what is left of its padding
                        line.append(" " * max(0, w + a + b))
                        continue
                    content = wrapped[i][k] if k < len(wrapped[i]) else Styled()
                    line.append(" " * a).extend(_justify(content, w, col.justify)).append(" " * b)
                if edge:
                    line.append(right)
                out.append(line)
            return out

        if edge and box is not None:
            lines.append(rule(box.top))
        if self.show_header:
            header = [to_styled(c.header) for c in self.columns]
            lines += cells(header, box.head if box else "    ", self.header_style, bottom=True)
            if box is not None:
                lines.append(rule(box.head_row))
        for n, row in enumerate(self.rows):
            if n and self.show_lines and box is not None:
                lines.append(rule(box.row))
            lines += cells(row, box.mid if box else "    ")
        if edge and box is not None:
            lines.append(rule(box.bottom))
        if self.caption:
            for line in wrap(markup(self.caption, self.caption_style), table_width):
                lines.append(_justify(line, table_width, self.caption_justify))
        return lines


def _horizontal_padding(padding: int | tuple[int, int] | tuple[int, int, int, int]) -> tuple[int, int]:
    """(left, right) of Rich's padding: n, (vertical, horizontal) or (top, right, bottom, left)."""
    if isinstance(padding, int):
        padding = (padding, padding, padding, padding)
    elif len(padding) == 2:
        padding = (padding[0], padding[1], padding[0], padding[1])
    top, right, bottom, left = padding
    if top or bottom:
        raise ValueError(f"only horizontal padding is supported: {padding!r}")
    return left, right


def _distribute(total: int, ratios: Sequence[int], minimums: Sequence[int] | None = None) -> list[int]:
    """`total` split in proportion to `ratios`, each part rounded up and at
    least its minimum (Rich's `ratio_distribute`, so that widths match)."""
    mins = list(minimums) if minimums is not None else [0] * len(ratios)
    left_ratio = sum(ratios)
    left = total
    parts = []
    for ratio, least in zip(ratios, mins, strict=True):
        part = max(least, -(-ratio * left // left_ratio)) if left_ratio > 0 else left
        parts.append(part)
        left_ratio -= ratio
        left -= part
    return parts


def _shrink_evenly(widths: list[int], pads: list[int], wrapping: list[bool], room: int) -> list[int]:
    """Content widths that fit in `room` as Rich collapses a table: the
    widest wrapping columns (padding included) lose width together down to
    the next widest until the table fits; then, if it still does not, every
    column alike. A column may end up with no room for its content (a width
    of 0) or even for its padding (below 0)."""
    limit = room + sum(pads)
    padded = [min(w + p, limit) for w, p in zip(widths, pads, strict=True)]  # Rich measures up to the width
    excess = sum(padded) - limit
    while excess > 0 and any(wrapping):
        top = max(w for w, ok in zip(padded, wrapping, strict=True) if ok)
        second = max((w for w, ok in zip(padded, wrapping, strict=True) if ok and w != top), default=0)
        if top <= second or top == 0:
            break
        ratios = [1 if ok and w == top else 0 for w, ok in zip(padded, wrapping, strict=True)]
        padded = _reduce(excess, ratios, [min(excess, top - second)] * len(padded), padded)
        excess = sum(padded) - limit
    if excess > 0:
        padded = _reduce(excess, [1] * len(padded), padded, padded)
    # as Rich, a column may vanish: below 0 its padding is cut too
    return [w - p for w, p in zip(padded, pads, strict=True)]


def _reduce(total: int, ratios: Sequence[int], maximums: Sequence[int], values: Sequence[int]) -> list[int]:
    """`values` less `total` taken in proportion to `ratios`, each at most
    its maximum (Rich's `ratio_reduce`, rounding as it does)."""
    left_ratio = sum(r for r, m in zip(ratios, maximums, strict=True) if m)
    left = total
    out = []
    for ratio, most, value in zip(ratios, maximums, values, strict=True):
        if ratio and most and left_ratio > 0:
            taken = min(most, round(ratio * left / left_ratio))
            out.append(value - taken)
            left -= taken
            left_ratio -= ratio
        else:
            out.append(value)
    return out


def _four(chars: str) -> tuple[str, str, str, str]:
    return chars[0], chars[1], chars[2], chars[3]


def _longest_word(text: Styled) -> int:
    return max((cell_len(w) for w in text.text.split()), default=0)


def _justify(line: Styled, width: int, how: str) -> Styled:
    gap = width - cell_len(line.text)
    if gap <= 0:
        return line
    if how == "right":
        return Styled.plain(" " * gap).extend(line)
    if how == "center":
        return Styled.plain(" " * (gap // 2)).extend(line).append(" " * (gap - gap // 2))
    return Styled._of_safe(line.segments).append(" " * gap)


# --- panels and trees ---------------------------------------------------------


class Panel:
    """Text in a rounded frame as wide as the console, a title in the top edge."""

    def __init__(self, body: str | Styled, title: str | None = None, box: Box | None = None) -> None:
        self.body = body
        self.title = title
        self.box = box or ROUNDED

    def render(self, width: int) -> list[Styled]:
        inner = max(1, width - 4)
        left, horizontal, _, right = _four(self.box.top)
        top = Styled.plain(left + horizontal)
        if self.title:
            label = wrap(markup(self.title), max(1, width - 6), no_wrap=True, overflow="ellipsis")[0]
            top.append(" ").extend(label).append(" ")
        top.append(horizontal * max(0, width - 1 - cell_len(top.text))).append(right)
        lines = [top]
        side = self.box.mid[0]
        for line in wrap(to_styled(self.body), inner):
            lines.append(Styled.plain(side + " ").extend(_justify(line, inner, "left")).append(" " + side))
        b_left, b_horizontal, _, b_right = _four(self.box.bottom)
        lines.append(Styled.plain(b_left + b_horizontal * (width - 2) + b_right))
        return lines


class Tree:
    """A label with children, drawn with Rich's guide lines."""

    def __init__(self, label: str | Styled) -> None:
        self.label = label
        self.children: list[Tree] = []

    def add(self, label: str | Styled) -> Tree:
        child = Tree(label)
        self.children.append(child)
        return child

    def render(self, width: int) -> list[Styled]:
        lines = wrap(to_styled(self.label), width)
        lines += self._children(width, "")
        return lines

    def _children(self, width: int, prefix: str) -> list[Styled]:
        lines: list[Styled] = []
        for n, child in enumerate(self.children):
            last = n == len(self.children) - 1
            first_guide, next_guide = ("└── ", "    ") if last else ("├── ", "│   ")
            label = wrap(to_styled(child.label), max(1, width - len(prefix) - 4))
            for k, line in enumerate(label):
                lines.append(Styled.plain(prefix + (first_guide if k == 0 else next_guide)).extend(line))
            lines += child._children(width, prefix + next_guide)
        return lines


# --- the console --------------------------------------------------------------


def _env_width() -> int | None:
    try:
        value = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return value if value > 0 else None


class Console:
    """Prints markup strings and the renderables of this module to a stream."""

    def __init__(
        self,
        *,
        stderr: bool = False,
        file: IO[str] | None = None,
        width: int | None = None,
        color: bool | None = None,
        soft_wrap: bool = True,
    ) -> None:
        self._stderr = stderr
        self._file = file
        self._width = width
        self._color = color
        self.soft_wrap = soft_wrap

    @property
    def file(self) -> IO[str]:
        return self._file or (sys.stderr if self._stderr else sys.stdout)

    @property
    def is_terminal(self) -> bool:
        try:
            return bool(self.file.isatty())
        except (AttributeError, ValueError):
            return False

    @property
    def color(self) -> bool:
        if self._color is not None:
            return self._color
        if os.environ.get("NO_COLOR"):  # no-color.org: wins over everything, as in Rich
            return False
        if os.environ.get("FORCE_COLOR"):
            return True
        if os.environ.get("TERM") == "dumb":
            return False
        return self.is_terminal

    @property
    def width(self) -> int:
        if self._width is not None:
            return self._width
        env = _env_width()
        if env is not None:
            return env
        if self.is_terminal:
            try:
                return os.get_terminal_size(self.file.fileno()).columns
            except (AttributeError, ValueError, OSError):
                pass
        return 80

    def lines(self, obj: Any, *, soft_wrap: bool | None = None) -> list[Styled] | None:
        """The lines `obj` prints as, or None for an object of another library."""
        if isinstance(obj, (str, Styled)):
            text = to_styled(obj)
            wrap_it = not (self.soft_wrap if soft_wrap is None else soft_wrap)
            return wrap(text, self.width) if wrap_it else text.split_lines()
        if isinstance(obj, (Table, Panel, Tree)):
            return obj.render(self.width)
        return None

    def print(self, obj: Any = "", *, end: str = "\n", soft_wrap: bool | None = None) -> None:
        lines = self.lines(obj, soft_wrap=soft_wrap)
        if lines is None:  # a Rich renderable
            from rich.console import Console as RichConsole

            RichConsole(
                file=self.file,
                soft_wrap=self.soft_wrap if soft_wrap is None else soft_wrap,
                highlight=False,
                width=self._width or _env_width(),
                no_color=not self.color,
                force_terminal=self.color or None,
            ).print(obj, end=end)
            return
        color = self.color
        text = "\n".join(line.render(color).rstrip(" ") for line in lines)
        self.file.write(printable(text + end))
        self.file.flush()

    def export(self, obj: Any) -> str:
        """What `print(obj)` would write, without colour."""
        lines = self.lines(obj)
        if lines is None:
            raise TypeError(f"not a bmnav.terminal renderable: {type(obj).__name__}")
        return "\n".join(line.text.rstrip(" ") for line in lines)
