"""`bmnav show`: the case card of one case or file."""

from __future__ import annotations

from typing import Annotated

import typer

from bmnav.cli.console import finish, out, write
from bmnav.cli.options import DataOpt, TextJson

COMMAND = "show"
ORDER = 40


def show(
    case: Annotated[str, typer.Argument(metavar="CASE|FILE", help="A case id or a case/profile file.")],
    fmt: Annotated[TextJson, typer.Option("--format", "-f", help="text (a card) or json.")] = TextJson.text,
    data: DataOpt = None,
) -> None:
    """Show a case card: the four questions, what changed, the offering, roles,
    flows by kind, metrics (with net value per role where flows carry
    amounts), the position and the sources.

    \b
    Exit codes:
      0  shown
      1  unknown case id (with a "did you mean"), a file with errors (with
         their lines), or case files of the corpus with errors
      2  usage error

    \b
    Examples:
      bmnav show tire-as-a-service
      bmnav show client.yaml --format json
    """
    from bmnav.domain.cards import card
    from bmnav.storage.corpus import load_corpus
    from bmnav.storage.corpus_index import cached_metrics

    # speed: the checked corpus and the networkx metrics come from caches that
    # are never stale (keyed by the files' stat keys and the network's content)
    corpus = load_corpus(data)
    result = card(corpus.resolve(case), corpus, metrics_of=cached_metrics)
    from bmnav.render import render, show

    if fmt is TextJson.json:
        write(render("show", "json", result))
    else:
        show(render("show", "text", result), out(), soft_wrap=False)
    finish(corpus)
