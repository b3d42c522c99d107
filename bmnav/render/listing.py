"""`list`: the cases of the corpus as a table (or stacked blocks below 100 columns), JSON or CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmnav.render import json_text
from bmnav.render.console import esc, para, styled

if TYPE_CHECKING:
    from rich.text import Text

#: Below this many columns each case is a block of lines, not a table row
#: (as `classify` does), so no id, number or word is broken.
STACK_BELOW = 100

#: The fields of `--format csv`, in order.
CSV_FIELDS = ["id", "name", "company", "country", "company_size", "industry", "year", "cluster", "also", "origin"]


def _count(rows: list[dict[str, Any]]) -> str:
    return f"{len(rows)} case{'s' if len(rows) != 1 else ''}"


def stacked_row(row: dict[str, Any], width: int) -> Text:
    """One case as a block: its id in bold, then its facts wrapped at spaces only."""
    roles = f"{row['roles']} role{'s' if row['roles'] != 1 else ''}"
    facts = [row["company"], row["country"], row["company_size"], roles]
    clusters = f"cluster: {row['cluster'] or '-'}" + (f" (+{', '.join(row['also'])})" if row["also"] else "")
    block = styled("  " + str(row["id"]), "bold")
    block.append(styled("\n" + para("; ".join(str(f) for f in facts if f), width, indent="    ")))
    block.append(styled("\n" + para(clusters, width, indent="    ")))
    return block


def text(rows: list[dict[str, Any]], *, width: int = 120) -> list[Any]:
    """The cases as a table, or as blocks below `STACK_BELOW` columns; empty columns are left out."""
    from rich import box

    from bmnav.render.tables import compact_table

    if not rows:
        return ["No case matches."]
    if width < STACK_BELOW:
        return [_count(rows), *(stacked_row(r, width) for r in rows)]
    columns: list[tuple[str, dict[str, Any]]] = [
        ("Case", {"no_wrap": True}),
        ("Company", {"overflow": "fold", "ratio": 1}),
        ("Country", {}),
        ("Size", {}),
        ("Cluster", {"overflow": "fold", "ratio": 1}),
        ("Roles", {"justify": "right"}),
    ]
    cells = [
        [
            esc(r["id"]),
            esc(r["company"] or ""),
            esc(r["country"] or ""),
            esc(r["company_size"] or ""),
            esc(r["cluster"] or "") + (f" (+{esc(', '.join(r['also']))})" if r["also"] else ""),
            str(r["roles"]),
        ]
        for r in rows
    ]
    return [compact_table(_count(rows), columns, cells, box=box.SIMPLE_HEAD, pad_edge=False, whole_words=False)]


def csv(rows: list[dict[str, Any]]) -> str:
    from bmnav.render.export import to_csv

    return to_csv(rows, CSV_FIELDS)


RENDERERS = {"list": {"text": text, "json": json_text, "csv": csv}}
