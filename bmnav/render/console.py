"""The console every command's terminal text goes through: Rich, made safe for case-file text.

Rich is imported here only when something is printed, never at `import bmnav`
or for `--help`. Colour follows the usual conventions: only on a terminal,
never with `NO_COLOR` or `TERM=dumb`, always with `FORCE_COLOR`. The width is
`COLUMNS`, else the terminal's, else 80.

A case file is written by whoever sent it: every string Rich parses passes
`bmnav.render.safe_text.for_terminal` first (no ESC, BEL or bidi control reaches the
terminal raw), data text is escaped with `esc` before it goes into markup,
and what is written is always valid UTF-8 (`printable`).
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from functools import lru_cache
from typing import IO, TYPE_CHECKING, Any

from bmnav.render.safe_text import for_terminal

if TYPE_CHECKING:
    from rich.console import Console as RichConsole
    from rich.text import Text

__all__ = ["Console", "esc", "para", "printable", "styled"]


def printable(text: str) -> str:
    """`text` as valid Unicode: a file name that is not valid UTF-8 reaches
    Python with its bad bytes as lone surrogates, which a UTF-8 stream (and
    any JSON reader) refuses; they become U+FFFD, as in other tools' output."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return text


def esc(value: Any) -> str:
    """Data text as literal markup: its control characters shown as escapes,
    then Rich's own escape (a `[tag]` in the data stays text, and a trailing
    backslash cannot swallow the closing tag that follows it)."""
    text = printable(for_terminal(str(value)))
    if "[" not in text and "\\" not in text:  # nothing Rich's escape would change (a table of 10,000 ids)
        return text
    from rich.markup import escape

    return escape(text)


def styled(text: str = "", style: str = "") -> Text:
    """A Rich `Text` of data text (never parsed as markup), made safe as `esc`
    does; the style covers this text only, not what is appended to it."""
    from rich.text import Text

    out = Text()
    return out.append(printable(for_terminal(text)), style or None)


def para(text: str, width: int, *, indent: str = "", first: str = "") -> str:
    """`text` wrapped at spaces to `width` columns; ids, numbers and words are never broken."""
    return "\n".join(
        textwrap.wrap(
            text,
            max(20, width),
            initial_indent=first or indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )
    ) or (first or indent)


#: Spaces at the end of a line, perhaps followed by colour codes (Rich pads
#: titles and cells with styled spaces); they are dropped, the codes kept.
_TRAILING = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$")


def _env_width() -> int | None:
    try:
        value = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        return None
    return value if value > 0 else None


@lru_cache(maxsize=1)
def _safe_console_class() -> type[RichConsole]:
    """Rich's Console with every string it parses made safe first (defined
    on first use, so that Rich is imported only when something is printed)."""
    from rich.console import Console as Base

    class SafeConsole(Base):
        def render_str(self, text: str, **options: Any) -> Text:
            return super().render_str(printable(for_terminal(text)), **options)

    return SafeConsole


class Console:
    """Prints markup strings and Rich renderables to a stream, without
    trailing spaces, in colour only where the conventions allow it."""

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
        self._consoles: dict[tuple[bool, int], RichConsole] = {}

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

    def render(self, obj: Any, *, color: bool, end: str = "\n", soft_wrap: bool | None = None) -> str:
        """The text `print(obj)` writes (with colour codes if `color`)."""
        from rich.text import Text

        if soft_wrap is None:  # text is laid out by its renderer; tables, panels and trees to the width
            soft_wrap = self.soft_wrap if isinstance(obj, (str, Text)) else False
        text = None if color else self._plain(obj, end=end, soft_wrap=soft_wrap)
        if text is None:
            rich = self._rich(color, self.width)
            with rich.capture() as captured:
                rich.print(obj, end=end, soft_wrap=soft_wrap)
            text = captured.get()
        lines = text.split("\n")
        return "\n".join(_TRAILING.sub(r"\1", line) if "\x1b" in line else line.rstrip(" ") for line in lines)

    def _plain(self, obj: Any, *, end: str, soft_wrap: bool) -> str | None:
        """What Rich prints without colour, got without its layout where there is none
        to do, else None: unwrapped markup or `Text` is its plain text (for a 2 MB diff,
        parsing the markup is a quarter of the cost of printing it), and a long table of plain
        cells is its rows written as text in the columns Rich works out."""
        from rich.text import Text

        if soft_wrap and isinstance(obj, str) and "\t" not in obj:
            return Text.from_markup(printable(for_terminal(obj))).plain + end  # as SafeConsole parses it
        if soft_wrap and isinstance(obj, Text) and "\t" not in obj.plain:
            # Rich joins it into a new Text without the object's own justify and overflow, and
            # prints it line by line as it is (soft wrap: no wrapping, overflow "ignore"); laying
            # out its spans cost ~0.3 s for the 10,000 numbered points under a crowded map
            return obj.plain + end
        from bmnav.render.tables import plain_table_text

        return plain_table_text(obj, self._rich(False, self.width), end=end, soft_wrap=soft_wrap)

    def _rich(self, color: bool, width: int) -> RichConsole:
        """A Rich console for this colour and width, made once (a report prints a dozen parts)."""
        key = (color, width)
        if key not in self._consoles:
            self._consoles[key] = _safe_console_class()(
                width=width,
                force_terminal=color,
                no_color=not color,
                color_system="standard" if color else None,
                highlight=False,
                emoji=False,
                legacy_windows=False,
                force_jupyter=False,
                force_interactive=False,
                _environ={},
            )
        return self._consoles[key]

    def print(self, obj: Any = "", *, end: str = "\n", soft_wrap: bool | None = None) -> None:
        self.file.write(printable(self.render(obj, color=self.color, end=end, soft_wrap=soft_wrap)))
        self.file.flush()

    def export(self, obj: Any) -> str:
        """What `print(obj)` would write, without colour and the last newline."""
        return self.render(obj, color=False, end="")
