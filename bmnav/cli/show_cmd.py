"""`bmnav show`: the case card of one case or file."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from .console import out, write
from .list_cmd import esc, finish
from .options import DataOpt, TextJson

COMMAND = "show"
ORDER = 40


def _yes(value: Any) -> str:
    if value is True:
        return "[green]changed[/green]"
    if value is False:
        return "[dim]unchanged[/dim]"
    return "[dim]?[/dim]"


def _money(value: float, currency: str) -> str:
    return f"{value:+,.0f} {currency}" if value else f"0 {currency}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """'1 organisation', '2 organisations' (or the given plural)."""
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def count_text(r: dict[str, Any]) -> str:
    """A role's count with its provenance: '~50' for an estimate, 'people' marked."""
    text = f"{r['count']:,}"
    if r.get("count_basis") == "estimate":
        text = "~" + text  # the range is in --format json (count_range) and in `bmnav position`
    elif r.get("count_basis") is None and r["count"] > 1:
        text += " (basis?)"
    if r.get("counts") == "people":
        text += " people"
    return text


def two_sided_text(two_sided: bool, cluster: str | None) -> str:
    """The two-sided row: the report calls only marketplaces two-sided (§2.3)."""
    if not two_sided:
        return "no"
    if cluster == "marketplace":
        return "yes"
    return (
        "structure only [dim](outside suppliers and buyers meet via the focal role; "
        "the report calls marketplaces two-sided, §2.3)[/dim]"
    )


def range_text(p: dict[str, Any]) -> str:
    """How far the computed position moves over the estimated counts."""
    if not p.get("rests_on_estimates"):
        return ""
    lo_o, hi_o = p["openness_range"]
    lo_s, hi_s = p["ecosystem_size_range"]
    return f"\n  rests on estimates: openness {lo_o:.2f}-{hi_o:.2f}, ecosystem size {lo_s:.2f}-{hi_s:.2f}"


#: The card lists at most this many roles, and flows of each kind: a card is
#: read in a terminal, and laying out tens of thousands of rows (a hostile or
#: generated file) took most of the run. `--format json` has them all.
CARD_ROWS = 500


def render_card(c: dict[str, Any]) -> list[Any]:
    """The renderables of a case card (the dict from `bmnav.cards.card`)."""
    from bmnav.cards import OFFERING_FACTS, QUESTION_LABELS
    from bmnav.terminal import ROUNDED, SIMPLE_HEAD, SQUARE, Panel, Table, Tree

    parts: list[Any] = []
    head = f"[bold]{esc(c['name'])}[/bold]  ({esc(c['id'])})"
    facts = [
        str(x)
        for x in (c.get("company"), c.get("country"), c.get("company_size"), c.get("industry"), c.get("year"))
        if x
    ]
    cluster = c.get("cluster_name") or c.get("cluster") or "profile (no cluster)"
    also = f" + {', '.join(c['also'])}" if c.get("also") else ""
    body = f"{esc(' · '.join(facts))}\nCluster: [bold]{esc(cluster)}[/bold]{esc(also)}"
    if c.get("summary"):
        body += f"\n\n{esc(str(c['summary']).strip())}"
    parts.append(Panel(body, title=head, box=ROUNDED))

    bm = Table(title="Business model: the four questions and what changed", title_justify="left", box=SIMPLE_HEAD)
    bm.add_column("Question", no_wrap=True)
    bm.add_column("Answer", overflow="fold", ratio=1)
    bm.add_column("Change", no_wrap=True)
    for q, label in QUESTION_LABELS.items():
        bm.add_row(label, esc(c["business_model"].get(q) or "-"), _yes(c["changes"].get(q)))
    parts.append(bm)

    grid = Table(title="What changed", title_justify="left", box=SQUARE, show_header=True)
    for q in QUESTION_LABELS:
        grid.add_column(q.capitalize(), justify="center")
    grid.add_row(*[_yes(c["changes"].get(q)) for q in QUESTION_LABELS])
    parts.append(grid)

    off = Table(title="Offering", title_justify="left", box=SIMPLE_HEAD, show_header=False)
    off.add_column("Fact", no_wrap=True, style="bold")
    off.add_column("Value", overflow="fold")
    for k in OFFERING_FACTS:
        v = c["offering"].get(k)
        off.add_row(k.replace("_", " "), esc(", ".join(v) if isinstance(v, list) else (v or "-")))
    techs = [*c.get("technologies", []), *c.get("other_technologies", [])]
    off.add_row("technologies", esc(", ".join(techs) or "-"))
    off.add_row("patterns", esc(", ".join(c.get("patterns") or []) or "-"))
    parts.append(off)

    m = c["metrics"]
    net = m.get("net_value") or {}
    currency = m.get("currency", "EUR")
    roles = Table(title="Roles", title_justify="left", box=SIMPLE_HEAD)
    roles.add_column("Role", overflow="fold")
    roles.add_column("Type", overflow="fold")
    roles.add_column("Actor", overflow="fold", ratio=1)
    roles.add_column("Ext", justify="center")
    roles.add_column("Count", justify="right")
    if net:
        roles.add_column(f"Net/yr ({currency})", justify="right", no_wrap=True)
    for r in c["roles"][:CARD_ROWS]:
        name = esc(r["id"]) + (" [bold](focal)[/bold]" if r["focal"] else "")
        cells = [
            name,
            esc(r.get("type") or "-"),
            esc(r.get("actor") or r.get("name") or ""),
            "yes" if r["external"] else "no",
        ]
        cells.append(count_text(r))
        if net:
            value = net.get(r["id"], {}).get("net", 0.0)
            cells.append(f"{value:+,.0f}" if value else "0")
        roles.add_row(*cells)
    parts.append(roles)
    if len(c["roles"]) > CARD_ROWS:
        parts.append(f"[dim]... and {len(c['roles']) - CARD_ROWS:,} more roles (all are in --format json)[/dim]")
    changed = [r for r in c["roles"] if r.get("changes")]
    if changed:
        grid_roles = Table(title="What changed, per role (where a source says)", title_justify="left", box=SIMPLE_HEAD)
        grid_roles.add_column("Role", overflow="fold")
        for q in QUESTION_LABELS:
            grid_roles.add_column(q.capitalize(), justify="center")
        for r in changed:
            grid_roles.add_row(esc(r["id"]), *[_yes(r["changes"].get(q)) for q in QUESTION_LABELS])
        parts.append(grid_roles)

    tree = Tree("[bold]Flows[/bold] (by kind)")
    for kind, flows in c["flows"].items():
        branch = tree.add(f"[bold]{esc(kind)}[/bold] ({len(flows)})")
        for f in flows[:CARD_ROWS]:
            amount = f" [dim]({f['amount']:,.0f} {currency}/yr)[/dim]" if f.get("amount") is not None else ""
            branch.add(f"{esc(f['from'])} → {esc(f['to'])}: {esc(f.get('what') or '')}{amount}")
        if len(flows) > CARD_ROWS:
            branch.add(f"[dim]... and {len(flows) - CARD_ROWS:,} more (all are in --format json)[/dim]")
    parts.append(tree)

    mt = Table(title="Metrics", title_justify="left", box=SIMPLE_HEAD, show_header=False)
    mt.add_column("Metric", no_wrap=True, style="bold")
    mt.add_column("Value", overflow="fold", ratio=1)
    kinds = ", ".join(f"{k} {n}" for k, n in m["flows_by_kind"].items() if n)
    counted = f"{m['roles']} roles; {plural(m['organisations'], 'organisation')} in them"
    if m.get("people"):
        counted += f", {plural(m['people'], 'person', 'people')} (counted apart)"
    if m.get("estimated_counts"):
        counted += " [dim](~ marks estimated counts)[/dim]"
    mt.add_row("roles / organisations", counted)
    mt.add_row("external share", f"{m['external_share']:.0%} ({m['external_roles']} of {m['roles']} roles)")
    mt.add_row("flows", f"{m['flows']} ({esc(kinds) or '-'})")
    mt.add_row(
        "orchestrator",
        esc(m.get("orchestrator") or "-")
        + (
            " [dim](the service provider, which orchestrates the service: §2.6, Table 2)[/dim]"
            if m.get("orchestrator")
            else " [dim](none: the report names an orchestrator only in the §2.6 network, Table 2)[/dim]"
        ),
    )
    mt.add_row("broker", esc(m.get("broker") or "-") + " [dim](most betweenness on goods, service, data)[/dim]")
    mt.add_row("two-sided", two_sided_text(m["two_sided"], c.get("cluster")))
    mt.add_row("data hubs", esc(", ".join(m["data_hubs"]) or "-"))
    ou = m["owner_user"]
    mt.add_row(
        "owner/user separated",
        ("yes" if ou["separated"] else "no")
        + (
            " ("
            + "; ".join(
                f"{label}: {esc(', '.join(ou[key]))}"
                for key, label in (("owners", "owners"), ("users", "users"))
                if ou[key]
            )
            + ")"
            if ou["owners"] or ou["users"]
            else ""
        ),
    )
    unbalanced = [f"{esc(rid)}: {esc(m['reciprocity'][rid].get('issue', ''))}" for rid in m["unbalanced"][:CARD_ROWS]]
    if len(m["unbalanced"]) > CARD_ROWS:
        unbalanced.append(f"... and {len(m['unbalanced']) - CARD_ROWS:,} more")
    mt.add_row("reciprocity", "; ".join(unbalanced) or "every role gives and receives")
    if net:
        flows_net = ", ".join(f"{esc(rid)} {_money(v['net'], currency)}" for rid, v in net.items() if v["net"])
        mt.add_row("net value per year", flows_net or "-")
    else:
        mt.add_row("net value per year", "[dim]no amounts on the money flows[/dim]")
    parts.append(mt)

    rec = Table(title="Reciprocity (gives / receives by kind)", title_justify="left", box=SIMPLE_HEAD)
    rec.add_column("Role", overflow="fold")
    rec.add_column("Gives", overflow="fold", ratio=1)
    rec.add_column("Receives", overflow="fold", ratio=1)
    for rid, entry in list(m["reciprocity"].items())[:CARD_ROWS]:
        gives = ", ".join(f"{k} {len(v)}" for k, v in entry["gives"].items()) or "-"
        gets = ", ".join(f"{k} {len(v)}" for k, v in entry["receives"].items()) or "-"
        mark = "" if entry["balanced"] else " [yellow]![/yellow]"
        rec.add_row(esc(rid) + mark, esc(gives), esc(gets))
    parts.append(rec)
    if len(m["reciprocity"]) > CARD_ROWS:
        parts.append(f"[dim]... and {len(m['reciprocity']) - CARD_ROWS:,} more roles (all are in --format json)[/dim]")

    p = c.get("position") or {}
    if "openness" in p:
        flag = " [bold](manual, set in the case)[/bold]" if p.get("manual") else ""
        computed = (
            f" [dim]computed {p['computed_openness']:.2f} / {p['computed_ecosystem_size']:.2f}[/dim]"
            if p.get("manual")
            else ""
        )
        contribs = ", ".join(
            f"{k.replace('_', ' ')} {p[f'{k}_contribution']:.2f}"
            for k in ("access", "external_share", "data_reach", "open_sides")
            if p.get(k) is not None
        )
        parts.append(
            f"[bold]Position:[/bold] openness {p['openness']:.2f}, ecosystem size {p['ecosystem_size']:.2f}"
            f"{flag}{computed}{range_text(p)}\n  openness = {esc(contribs)}; "
            f"{plural(p['organisations'], 'organisation')} of the roles' {m['organisations']:,} "
            f"{'takes' if p['organisations'] == 1 else 'take'} part in the "
            "ecosystem [dim](internal units count as the focal company; roles that only trade goods for money and "
            "people are left out)[/dim]"
        )
    else:
        parts.append(f"[bold]Position:[/bold] {esc(p.get('error', 'unknown'))}")

    src = Tree("[bold]Sources[/bold]")
    for s in c.get("sources") or []:
        text = esc(s.get("title", ""))
        if s.get("url"):
            text += f"\n[dim]{esc(s['url'])}[/dim]"
        src.add(text)
    parts.append(src)
    return parts


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
    from bmnav.cards import card
    from bmnav.corpus import load_corpus
    from bmnav.corpus_index import cached_metrics

    # speed: the checked corpus and the networkx metrics come from caches that
    # are never stale (keyed by the files' stat keys and the network's content)
    corpus = load_corpus(data)
    result = card(corpus.resolve(case), corpus, metrics_of=cached_metrics)
    if fmt is TextJson.json:
        write(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    else:
        console = out()
        for part in render_card(result):
            console.print(part, soft_wrap=False)
    finish(corpus)
