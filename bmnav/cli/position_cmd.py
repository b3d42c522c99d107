"""`bmnav position`: openness against ecosystem size, as a table, a terminal map, JSON, CSV or SVG."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bmnav.cli.console import err, finish, out, write
from bmnav.cli.list_cmd import Origin
from bmnav.cli.options import DataFormat, DataOpt, ForceOpt

COMMAND = "position"
ORDER = 30


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
    from bmnav.checking.problems import BmnavError
    from bmnav.domain.cards import LIST_RECORDS, list_rows
    from bmnav.domain.positions import POSITION_RECORDS, positions_of
    from bmnav.domain.positions import position as compute
    from bmnav.render import render, show
    from bmnav.render.console import esc
    from bmnav.storage.collector import no_gc
    from bmnav.storage.corpus import load_corpus
    from bmnav.storage.files import check_writable, write_atomic

    if svg is not None:
        check_writable(svg, force=force)  # fail before any work

    # the rows and positions of every case are computed where the files are read (or kept from a run before)
    corpus = load_corpus(data, records=None if cases else {**LIST_RECORDS, **POSITION_RECORDS})
    # every case of the corpus (or of --cluster/--origin): chosen by their `list` rows and placed
    # from the kept positions, so that a repeated run does not read the cases
    if cases:
        ids = []
    elif cluster or origin:
        ids = [r["id"] for r in list_rows(corpus, cluster=cluster, origin=origin.value if origin else None)]
    else:
        ids = sorted(corpus.cases)  # every case, in `list`'s order (by id), without reading the rows
    chosen = [corpus.resolve(ref) for ref in cases] if cases else []
    if cases and cluster:
        # --cluster filters the cases named; a profile (no cluster yet) is always placed
        cid = corpus.resolve_cluster(cluster)
        chosen = [c for c in chosen if c.cluster is None or c.cluster == cid or cid in c.also]
        if not chosen and not profiles:
            raise BmnavError(f"none of the cases given is in the cluster {cid}; leave out --cluster to place them")
    extra = [corpus.resolve(p, profile=None) for p in profiles or []]
    items = [*positions_of(corpus, ids), *(compute(c, corpus) for c in [*chosen, *extra])]
    with no_gc():  # (10,000 rows of plain data: see positions_of)
        if fmt is DataFormat.text:
            console = out()
            show(render("position", "text", items, corpus=corpus, width=console.width), console)
        else:
            write(render("position", fmt.value, items))
    if svg is not None:
        written = write_atomic(svg, render("position", "svg", items, corpus=corpus), force=force)
        err().print(f"wrote {esc(written)}")
    finish(corpus)
