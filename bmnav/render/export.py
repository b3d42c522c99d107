"""`bmnav export` output: the flattened tables as CSV, JSON or JSON lines.

CSV cells that a spreadsheet would run as a formula are neutralised here
(docs/security.md); the rows themselves come from `bmnav.domain.flatten`.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from typing import Any

from bmnav.domain.flatten import COLUMNS, FORMATS
from bmnav.render import json_text
from bmnav.render.safe_text import for_csv_cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(_cell(v) for v in value)
    return str(value)


def _safe_cell(value: Any) -> str:
    """A cell no spreadsheet runs as a formula: a text that starts with `= + - @`,
    tab or CR gets a leading `'` (OWASP); numbers, such as -0.5, stay numbers."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _cell(value)
    return str(for_csv_cell(_cell(value)))


def to_csv(records: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    """CSV text with a header row: lists joined with ";", booleans true/false, None
    empty, and texts that a spreadsheet would read as a formula neutralised."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([_safe_cell(c) for c in columns])
    for rec in records:
        writer.writerow([_safe_cell(rec.get(c)) for c in columns])
    return buf.getvalue()


def to_json(records: Iterable[dict[str, Any]]) -> str:
    """A JSON array of the records (indented), ending in a newline."""
    return json_text(list(records))


def to_jsonl(records: Iterable[dict[str, Any]]) -> str:
    """JSON lines: one compact object per record."""
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def render(records: Iterable[dict[str, Any]], table: str, fmt: str) -> str:
    """The records of `table` as `fmt` text (csv, json or jsonl)."""
    if fmt == "csv":
        return to_csv(records, COLUMNS[table])
    if fmt == "json":
        return to_json(records)
    if fmt == "jsonl":
        return to_jsonl(records)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


RENDERERS = {
    "export": {fmt: (lambda records, table, fmt=fmt: render(records, table, fmt)) for fmt in ("csv", "json", "jsonl")},
}
