"""`bmnav graph`: export a case's value network for Graphviz, Mermaid, Gephi/yEd or JSON."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from bmnav.cli.console import err, finish, write
from bmnav.cli.options import DataOpt, ForceOpt

COMMAND = "graph"
ORDER = 45


class GraphFormat(str, Enum):
    dot = "dot"
    mermaid = "mermaid"
    graphml = "graphml"
    json = "json"


def graph(
    case: Annotated[str, typer.Argument(metavar="CASE|FILE", help="A case id or a case/profile file.")],
    fmt: Annotated[
        GraphFormat,
        typer.Option(
            "--format",
            "-f",
            help="dot (Graphviz), mermaid (renders on GitHub), graphml (Gephi, yEd) or json (networkx node-link).",
        ),
    ] = GraphFormat.dot,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout.")
    ] = None,
    force: ForceOpt = False,
    data: DataOpt = None,
) -> None:
    """Export the value network of a case: roles as nodes, flows as edges.

    The output is deterministic (nodes and edges sorted), so it diffs
    cleanly. Edges keep the flow's index in the case file as their key.

    \b
    Exit codes:
      0  exported
      1  unknown case id, a file with errors (with their lines), an output
         file that may not be written (missing folder; existing file without
         --force), or case files of the corpus with errors
      2  usage error

    \b
    Examples:
      bmnav graph tire-as-a-service | dot -Tsvg > tire.svg
      bmnav graph airbus-skywise --format mermaid
      bmnav graph client.yaml --format graphml --output client.graphml
    """
    from bmnav.render import render
    from bmnav.storage.files import check_writable, write_atomic

    if output is not None:
        check_writable(output, force=force)
    from bmnav.storage.corpus import load_corpus

    corpus = load_corpus(data)
    text = render("graph", fmt.value, corpus.resolve(case))
    if output is None:
        write(text)
    else:
        written = write_atomic(output, text, force=force)
        from bmnav.render.console import esc

        err().print(f"wrote {esc(written)}")
    finish(corpus)
