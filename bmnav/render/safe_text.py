"""Text from a case file made safe for where it is shown (see docs/security.md).

A case file is written by whoever sent it, so its strings may hold terminal
escapes, bidi overrides, newlines that forge a line of CI output, Markdown or
HTML, spreadsheet formulas or characters XML forbids. Every human-readable
renderer passes the strings it did not write through one of these functions;
JSON output stays exact and needs none of them.

Control characters are not dropped but shown as visible escapes (`\\x1b`,
`\\u202e`, `\\n`), so a reader can still see that they were there.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = [
    "for_csv_cell",
    "for_markdown",
    "for_mermaid",
    "for_terminal",
    "for_xml",
    "one_line",
]

#: Bidi controls (embeddings, overrides, isolates, marks): they reorder the
#: characters around them, so a line can show something other than it says.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: C0 controls but newline, DEL, C1 controls, bidi controls, and the Unicode
#: line and paragraph separators (which some viewers break lines at).
_UNSAFE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_UNSAFE_OR_NEWLINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
#: What XML 1.0 forbids (C0 but tab, LF and CR; U+FFFE, U+FFFF; lone
#: surrogates), plus C1 and bidi controls, which no picture should hold.
_NOT_XML = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}\ufffe\uffff\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(m: re.Match[str]) -> str:
    ch = m.group()
    if ch in _NAMED:
        return _NAMED[ch]
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """`text` with every control character but newline shown as an escape:
    no ESC, BEL or OSC sequence reaches the terminal, and no bidi control
    reorders what it shows. Newlines stay (multi-line values are laid out)."""
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


def one_line(text: str) -> str:
    """`text` as one line, for outputs read line by line (validate's text and
    parsable formats, CI logs): newlines and CR become `\\n` and `\\r`, and the
    other controls are escaped as by `for_terminal`."""
    return _UNSAFE_OR_NEWLINE.sub(_visible, text) if _UNSAFE_OR_NEWLINE.search(text) else text


def for_xml(text: str) -> str:
    """`text` with the characters XML 1.0 forbids (and C1 and bidi controls)
    shown as escapes, so the SVG and GraphML outputs always parse. The markup
    characters `& < >` are left to the XML writer's own escaping."""
    return _NOT_XML.sub(_visible, text) if _NOT_XML.search(text) else text


#: The first characters that make a spreadsheet read a cell as a formula
#: (OWASP, "CSV Injection").
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs as a formula: a text starting with
    `= + - @`, tab or CR gets a leading `'`, as OWASP advises. Numbers (such as
    -0.5) and other non-texts are returned as they are, so they stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


#: Characters that start Markdown inline markup anywhere in a line.
_MD_INLINE = re.compile(r"([\\`*_\[\]#|~!])")
#: What makes a line a heading, quote, list item, rule or table at its start.
_MD_LINE_START = re.compile(r"^(\d*)([-+=>.)])")


#: A text that `for_markdown` would return unchanged: it starts with a letter and
#: holds only letters, digits, single spaces and punctuation with no meaning.
_MD_PLAIN = re.compile(r"[^\W\d_](?:[^\W_]|[,:;()/'\"?%.=+-]| (?! |$))*")


def for_markdown(text: str) -> str:
    """`text` as one line of literal Markdown text: raw HTML is defused into
    entities (`<script>` shows as text, never as a tag), the characters of
    inline markup and fences are backslash-escaped, a heading, quote or list
    marker at the start loses its meaning, and newlines become spaces so a
    value can end neither a table row nor a paragraph."""
    if _MD_PLAIN.fullmatch(text):  # most texts: words and punctuation that mean nothing in Markdown
        return text
    flat = " ".join(one_line_spaces(text).split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    flat = _MD_INLINE.sub(r"\\\1", flat)
    # a marker at the start: `- x`, `> x` (already `&gt;`), `1. x`; digits
    # then `-` or `+` are harmless but escaped alike, for one simple rule
    return _MD_LINE_START.sub(r"\1\\\2", flat, count=1)


def one_line_spaces(text: str) -> str:
    """`text` with newlines as spaces and other controls as escapes."""
    return one_line(text.replace("\r\n", " ").replace("\n", " ").replace("\r", " "))


def for_mermaid(text: str) -> str:
    """`text` for a quoted Mermaid label or a `%%` comment: one line, with the
    characters that could end the label, open a directive (`%%{init}%%`) or
    form HTML written as Mermaid's `#code;` entities."""
    flat = one_line_spaces(text)
    for ch, code in (("#", "#35;"), ('"', "#quot;"), ("%", "#37;"), ("<", "#lt;"), (">", "#gt;")):
        flat = flat.replace(ch, code)
    return flat.replace("`", "#96;").replace("|", "#124;").replace("{", "#123;").replace("}", "#125;")
