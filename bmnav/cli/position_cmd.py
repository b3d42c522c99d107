"""`bmnav position`: openness against ecosystem size, as a table, a terminal map, JSON, CSV or SVG."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .console import err, out, write
from .list_cmd import Origin, esc, finish
from .options import DataFormat, DataOpt, ForceOpt

if TYPE_CHECKING:
    from bmnav.corpus import Corpus
    from bmnav.positions import Position
    from bmnav.terminal import Table

COMMAND = "position"
ORDER = 30

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


def render_table(items: list[Position], corpus: Corpus, *, width: int = 100) -> Table:
    """The table of positions: each openness contribution, the organisations and
    both coordinates. Below 90 columns the cluster column is left out (the
    map's legend shows it)."""
    from bmnav.positions import COMPONENTS, constants_from
    from bmnav.terminal import SIMPLE_HEAD, Table

    weights = constants_from(corpus)["openness"]["weights"]
    table = Table(
        title="Openness versus ecosystem size",
        title_justify="left",
        caption="Openness is the sum of the contributions (weight × component; a missing fact's weight "
        "is shared out). Ecosystem = log10(organisations) / log10(reference). * manual position; "
        "~ rests on estimated counts (ranges in --format json/csv).",
        caption_justify="left",
        box=SIMPLE_HEAD,
        pad_edge=False,
        padding=(0, 1),
        collapse_padding=True,
        keep_words=False,
    )
    wide = width >= 90
    table.add_column("Case", overflow="fold", ratio=1)
    if wide:
        table.add_column("Cluster", overflow="fold", max_width=16)
    headers = {"access": "Acc", "external_share": "Ext", "data_reach": "Data", "open_sides": "Side"}
    for name in COMPONENTS:
        # access sets the band (docs/method.md); the others move a case within it by their weights
        sub = "band" if name == "access" else f"×{weights.get(name, 0):g}"
        table.add_column(f"{headers[name]}\n{sub}", justify="right", no_wrap=True)
    table.add_column("Open", justify="right", style="bold", no_wrap=True)
    table.add_column("Orgs", justify="right", no_wrap=True)
    table.add_column("Eco", justify="right", style="bold", no_wrap=True)
    names = {cid: str(c.get("short") or c.get("name") or cid) for cid, c in corpus.clusters.items()}
    for p in items:
        cells = []
        for name in COMPONENTS:
            value = p.components.get(name)
            cells.append("-" if value is None else f"{p.contributions.get(name, 0.0):.2f}")
        mark = "*" if p.manual else ("~" if p.rests_on_estimates else "")
        label = esc(p.case) + (" (profile)" if p.profile else "")
        cluster = [esc(names.get(p.cluster or "", p.cluster or "-"))] if wide else []
        table.add_row(
            label,
            *cluster,
            *cells,
            f"{p.openness:.2f}{mark}",
            ("unknown" if not p.size_known else f"{p.organisations:,}" if wide else _compact(p.organisations)),
            f"{p.ecosystem_size:.2f}{mark}" if p.size_known else "unknown",
        )
    return table


def _compact(n: int) -> str:
    """1,004 -> 1.0k, 6,000,522 -> 6.0M: organisations in four or five characters."""
    for size, suffix in ((1_000_000_000, "G"), (1_000_000, "M"), (1_000, "k")):
        if n >= size:
            return f"{n / size:.1f}{suffix}"
    return str(n)


def to_csv(items: list[Position]) -> str:
    from bmnav.flatten import to_csv as table

    return table((_flat(p.as_dict()) for p in items), CSV_FIELDS)


def _flat(d: dict[str, Any]) -> dict[str, Any]:
    """A position's JSON record with its [low, high] ranges split into two CSV columns each."""
    for key in ("openness", "ecosystem_size"):
        low, high = d[f"{key}_range"]
        d[f"{key}_low"], d[f"{key}_high"] = low, high
    return d


def position(
    cases: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[CASE|FILE]...",
            help="Case ids or case files; default: every case of the corpus.",
            show_default=False,
        ),
    ] = None,
    cluster: Annotated[
        str | None, typer.Option("--cluster", "-c", metavar="C", help="Only cases of this cluster (id or name).")
    ] = None,
    origin: Annotated[
        Origin | None,
        typer.Option("--origin", help="Only cases from the report, from public sources or a client's own."),
    ] = None,
    profiles: Annotated[
        list[Path] | None,
        typer.Option(
            "--profile",
            "-p",
            metavar="FILE",
            help="A profile (or case file) to place on the map beside the corpus; repeatable.",
        ),
    ] = None,
    fmt: Annotated[
        DataFormat, typer.Option("--format", "-f", help="text (table and map), json or csv.")
    ] = DataFormat.text,
    svg: Annotated[
        Path | None, typer.Option("--svg", metavar="FILE", help="Also write the map as an SVG picture.")
    ] = None,
    force: ForceOpt = False,
    data: DataOpt = None,
) -> None:
    """Place cases by openness and ecosystem size (the report's Figure 5).

    Both coordinates are computed from the case (docs/method.md, Position):
    openness from the access model, the share of external roles, the reach
    of data sharing and the open sides who may join; ecosystem size on a log
    scale from the organisations taking part. A `position` written in a case
    overrides them and is flagged with *. The text output is a table with
    every contribution and a map that fits the terminal width.

    \b
    Exit codes:
      0  shown (and the SVG written)
      1  unknown case or cluster, a file with errors, an SVG that may not be
         written (missing folder; existing file without --force), or case
         files of the corpus with errors (the valid ones are still shown)
      2  usage error

    \b
    Examples:
      bmnav position
      bmnav position --cluster data-trustee --format json
      bmnav position --profile acme.yaml --svg map.svg --force
    """
    from bmnav.cards import select_cases
    from bmnav.files import check_writable, write_atomic
    from bmnav.mapplot import terminal_map
    from bmnav.positions import position as compute
    from bmnav.problems import BmnavError
    from bmnav.svg import svg_map

    if svg is not None:
        check_writable(svg, force=force)  # fail before any work
    from bmnav.corpus import load_corpus

    corpus = load_corpus(data)
    chosen = (
        [corpus.resolve(ref) for ref in cases]
        if cases
        else select_cases(corpus, cluster=cluster, origin=origin.value if origin else None)
    )
    if cases and cluster:
        # --cluster filters the cases named; a profile (no cluster yet) is always placed
        cid = corpus.resolve_cluster(cluster)
        chosen = [c for c in chosen if c.cluster is None or c.cluster == cid or cid in c.also]
        if not chosen and not profiles:
            raise BmnavError(f"none of the cases given is in the cluster {cid}; leave out --cluster to place them")
    extra = [corpus.resolve(p, profile=None) for p in profiles or []]
    items = [compute(c, corpus) for c in [*chosen, *extra]]
    names = {cid: str(c.get("short") or c.get("name") or cid) for cid, c in corpus.clusters.items()}
    if fmt is DataFormat.json:
        write(json.dumps([p.as_dict() for p in items], indent=2, ensure_ascii=False) + "\n")
    elif fmt is DataFormat.csv:
        write(to_csv(items))
    else:
        console = out()
        if not items:
            console.print("No case to place.")
        else:
            console.print(render_table(items, corpus, width=console.width), soft_wrap=False)
            console.print(
                terminal_map(items, width=console.width, cluster_ids=corpus.cluster_ids(), cluster_names=names),
                end="",
            )
    if svg is not None:
        written = write_atomic(svg, svg_map(items, cluster_ids=corpus.cluster_ids(), cluster_names=names), force=force)
        err().print(f"wrote {esc(written)}")
    finish(corpus)
