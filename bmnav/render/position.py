"""`position`: the table of positions and the terminal map, JSON and CSV."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmnav.render import json_text
from bmnav.render.console import esc

if TYPE_CHECKING:
    from rich.table import Table

    from bmnav.domain.positions import Position
    from bmnav.storage.corpus import Corpus

CSV_FIELDS = [
    "case",
    "name",
    "cluster",
    "profile",
    "openness",
    "ecosystem_size",
    "manual",
    "computed_openness",
    "computed_ecosystem_size",
    "openness_low",
    "openness_high",
    "ecosystem_size_low",
    "ecosystem_size_high",
    "rests_on_estimates",
    "organisations",
    "people",
    "access",
    "external_share",
    "data_reach",
    "open_sides",
    "access_contribution",
    "external_share_contribution",
    "data_reach_contribution",
    "open_sides_contribution",
]

CAPTION = (
    "Openness is the sum of the contributions (weight × component; a missing fact's weight "
    "is shared out). Ecosystem = log10(organisations) / log10(reference). * manual position; "
    "~ rests on estimated counts (ranges in --format json/csv)."
)
HEADERS = {"access": "Acc", "external_share": "Ext", "data_reach": "Data", "open_sides": "Side"}


def cluster_names(corpus: Corpus) -> dict[str, str]:
    """Each cluster's short name, for the table and the map's legend."""
    return {cid: str(c.get("short") or c.get("name") or cid) for cid, c in corpus.clusters.items()}


def render_table(items: list[Position], corpus: Corpus, *, width: int = 100) -> Table:
    """The table of positions: each openness contribution, the organisations and
    both coordinates. Below 90 columns the cluster column is left out (the
    map's legend shows it)."""
    from rich import box
    from rich.table import Table

    from bmnav.domain.positions import COMPONENTS, constants_from

    weights = constants_from(corpus)["openness"]["weights"]
    table = Table(
        title="Openness versus ecosystem size",
        title_justify="left",
        caption=CAPTION,
        caption_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )
    wide = width >= 90
    table.add_column("Case", overflow="fold", ratio=1)
    if wide:
        table.add_column("Cluster", overflow="fold", max_width=16)
    for name in COMPONENTS:
        # access sets the band (docs/method.md); the others move a case within it by their weights
        sub = "band" if name == "access" else f"×{weights.get(name, 0):g}"
        table.add_column(f"{HEADERS[name]}\n{sub}", justify="right", no_wrap=True)
    table.add_column("Open", justify="right", style="bold", no_wrap=True)
    table.add_column("Orgs", justify="right", no_wrap=True)
    table.add_column("Eco", justify="right", style="bold", no_wrap=True)
    names = {cid: esc(name) for cid, name in cluster_names(corpus).items()}
    for p in items:
        key = p.cluster or ""
        cluster = [names[key] if key in names else esc(p.cluster or "-")] if wide else []
        table.add_row(esc(p.case) + (" (profile)" if p.profile else ""), *cluster, *_numbers(p, wide))
    return table


def _numbers(p: Position, wide: bool) -> list[str]:
    """The contributions, openness, organisations and ecosystem size of one row."""
    from bmnav.domain.positions import COMPONENTS

    cells = ["-" if p.components.get(name) is None else f"{p.contributions.get(name, 0.0):.2f}" for name in COMPONENTS]
    mark = "*" if p.manual else ("~" if p.rests_on_estimates else "")
    orgs = "unknown" if not p.size_known else f"{p.organisations:,}" if wide else _compact(p.organisations)
    return [*cells, f"{p.openness:.2f}{mark}", orgs, f"{p.ecosystem_size:.2f}{mark}" if p.size_known else "unknown"]


def _compact(n: int) -> str:
    """1,004 -> 1.0k, 6,000,522 -> 6.0M: organisations in four or five characters."""
    for size, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if n >= size:
            return f"{n / size:.1f}{suffix}"
    return str(n)


def text(items: list[Position], *, corpus: Corpus, width: int = 100) -> list[Any]:
    """The table, then the map drawn to `width` columns."""
    from bmnav.render.mapplot import terminal_map

    if not items:
        return ["No case to place."]
    the_map = terminal_map(items, width=width, cluster_ids=corpus.cluster_ids(), cluster_names=cluster_names(corpus))
    the_map.rstrip()  # the map ends with its own newline; the console adds one
    return [render_table(items, corpus, width=width), the_map]


def to_json(items: list[Position], **_: Any) -> str:
    return json_text([p.as_dict() for p in items])


def to_csv(items: list[Position], **_: Any) -> str:
    from bmnav.render.export import to_csv as table

    return table((_flat(p.as_dict()) for p in items), CSV_FIELDS)


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    """A position's JSON record with its [low, high] ranges split into two CSV columns each."""
    for key in ("openness", "ecosystem_size"):
        low, high = d[f"{key}_range"]
        d[f"{key}_low"], d[f"{key}_high"] = low, high
    return d


def svg(items: list[Position], *, corpus: Corpus) -> str:
    """The map as an SVG picture (the same content as the terminal map)."""
    from bmnav.render.svg import svg_map

    return svg_map(items, cluster_ids=corpus.cluster_ids(), cluster_names=cluster_names(corpus))


RENDERERS = {"position": {"text": text, "json": to_json, "csv": to_csv, "svg": svg}}
