"""`bmnav list`: the cases of the corpus, filtered by cluster, country and size."""

from __future__ import annotations

import json
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .console import err, out, print_problems, write
from .options import DataFormat, DataOpt

if TYPE_CHECKING:
    from bmnav.corpus import Corpus
    from bmnav.terminal import Styled

COMMAND = "list"
ORDER = 5


class Size(str, Enum):
    sme = "sme"
    large = "large"


class Origin(str, Enum):
    """Where a case comes from (data contract v1.1)."""

    report = "report"
    public_sources = "public-sources"
    client = "client"


def esc(text: Any) -> str:
    """Escape markup (`bmnav.terminal`'s, as Rich's) in data text."""
    return str(text).replace("[", "\\[")


#: Below this many columns each case is a block of lines, not a table row
#: (as `classify` does), so no id, number or word is broken.
STACK_BELOW = 100


def stacked_row(row: dict[str, Any], width: int) -> Styled:
    """One case as a block: its id in bold, then its facts wrapped at spaces only."""
    import textwrap

    from bmnav.terminal import Styled

    def para(text: str) -> str:
        return "\n".join(
            textwrap.wrap(
                text,
                max(20, width),
                initial_indent="    ",
                subsequent_indent="    ",
                break_long_words=False,
                break_on_hyphens=False,
            )
        )

    roles = f"{row['roles']} role{'s' if row['roles'] != 1 else ''}"
    facts = [row["company"], row["country"], row["company_size"], roles]
    clusters = f"cluster: {row['cluster'] or '-'}" + (f" (+{', '.join(row['also'])})" if row["also"] else "")
    block = Styled().append("  " + str(row["id"]), "bold")
    block.append("\n" + para("; ".join(str(f) for f in facts if f)))
    block.append("\n" + para(clusters))
    return block


def finish(corpus: Corpus) -> None:
    """After a command has worked on the valid cases: if some case files of the
    corpus had errors, print them on stderr and exit 1."""
    if corpus.errors:
        print_problems(corpus.errors)
        files = len({p.path for p in corpus.errors})
        err().print(
            f"[red]error:[/red] {files} case file{'s' if files != 1 else ''} of the corpus "
            "had errors and were left out; run `bmnav validate`"
        )
        raise typer.Exit(1)


def list_(
    cluster: Annotated[
        str | None, typer.Option("--cluster", "-c", metavar="C", help="Only cases of this cluster (id or name).")
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", metavar="CC", help="Only cases from this country (ISO code).")
    ] = None,
    size: Annotated[Size | None, typer.Option("--size", help="Only cases of SMEs or of large companies.")] = None,
    origin: Annotated[
        Origin | None,
        typer.Option(
            "--origin",
            help="Only cases from the report, from public sources (the reference corpus) or a client's own.",
        ),
    ] = None,
    fmt: Annotated[DataFormat, typer.Option("--format", "-f", help="text (a table), json or csv.")] = DataFormat.text,
    data: DataOpt = None,
) -> None:
    """List the cases of the corpus.

    --cluster matches a case's main cluster and the clusters it combines
    (`also`). With no case matching, text output says so and JSON is [].

    \b
    Exit codes:
      0  listed (also when nothing matched)
      1  unknown cluster, or some case files of the corpus have errors
         (the valid cases are still listed)
      2  usage error

    \b
    Examples:
      bmnav list
      bmnav list --cluster data-trustee --format json
      bmnav list --country CN --size large
      bmnav list --origin report                # the report's own ten cases
    """
    from bmnav.cards import case_row, select_cases
    from bmnav.corpus import load_corpus

    corpus = load_corpus(data)
    cases = select_cases(
        corpus,
        cluster=cluster,
        country=country,
        size=size.value if size else None,
        origin=origin.value if origin else None,
    )
    rows = [case_row(c) for c in cases]
    if fmt is DataFormat.json:
        write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
    elif fmt is DataFormat.csv:
        from bmnav.flatten import to_csv

        fields = ["id", "name", "company", "country", "company_size", "industry", "year", "cluster", "also", "origin"]
        write(to_csv(rows, fields))
    else:
        from bmnav.terminal import SIMPLE_HEAD, Table

        console = out()
        if not rows:
            console.print("No case matches.")
        elif console.width < STACK_BELOW:
            console.print(f"{len(rows)} case{'s' if len(rows) != 1 else ''}")
            for r in rows:
                console.print(stacked_row(r, console.width), soft_wrap=True)
        else:
            table = Table(
                title=f"{len(rows)} case{'s' if len(rows) != 1 else ''}",
                title_justify="left",
                box=SIMPLE_HEAD,
                pad_edge=False,
                keep_words=False,  # Company and Cluster give way evenly; the case ids stay whole
            )
            table.add_column("Case", no_wrap=console.width >= 80, overflow="fold")
            table.add_column("Company", overflow="fold", ratio=1)
            table.add_column("Country")
            table.add_column("Size")
            table.add_column("Cluster", overflow="fold", ratio=1)
            table.add_column("Roles", justify="right")
            for r in rows:
                clusters = esc(r["cluster"] or "") + (f" (+{', '.join(r['also'])})" if r["also"] else "")
                table.add_row(
                    esc(r["id"]),
                    esc(r["company"] or ""),
                    esc(r["country"] or ""),
                    esc(r["company_size"] or ""),
                    clusters,
                    str(r["roles"]),
                )
            console.print(table, soft_wrap=False)
    finish(corpus)


#: The command function: named like the command, as the CLI registry expects.
list = list_
