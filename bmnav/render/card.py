"""`show`: the case card as Rich renderables, and as JSON.

The card is the dict of `bmnav.domain.cards.card`; this module only lays it out.
Facts that are not stated are listed on one line ("Not stated: ...") rather
than as rows of "-", and a section with nothing in it is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bmnav.render import json_text
from bmnav.render.console import esc
from bmnav.render.tables import keep_words

if TYPE_CHECKING:
    from rich.table import Table

#: The card lists at most this many roles, and flows of each kind: a card is
#: read in a terminal, and laying out tens of thousands of rows (a hostile or
#: generated file) took most of the run. `--format json` has them all.
CARD_ROWS = 500


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


def not_stated(names: list[str]) -> str:
    """The one line that lists the facts a case does not state."""
    return f"[dim]Not stated: {esc(', '.join(names))}[/dim]"


def render_card(c: dict[str, Any]) -> list[Any]:
    """The renderables of a case card (the dict from `bmnav.domain.cards.card`), in reading order."""
    return [
        _header(c),
        *_questions(c),
        *_offering(c),
        *_roles(c),
        *_flows(c),
        _metrics(c),
        *_reciprocity(c),
        _position(c),
        *_sources(c),
    ]


def _header(c: dict[str, Any]) -> Any:
    from rich import box
    from rich.panel import Panel

    head = f"[bold]{esc(c['name'])}[/bold]  ({esc(c['id'])})"
    facts = [
        str(x)
        for x in (c.get("company"), c.get("country"), c.get("company_size"), c.get("industry"), c.get("year"))
        if x
    ]
    cluster = c.get("cluster_name") or c.get("cluster") or "profile (no cluster)"
    also = f" + {', '.join(c['also'])}" if c.get("also") else ""
    body = f"Cluster: [bold]{esc(cluster)}[/bold]{esc(also)}"
    if facts:  # no empty line where a profile states none of them
        body = f"{esc(' · '.join(facts))}\n{body}"
    if c.get("summary"):
        body += f"\n\n{esc(str(c['summary']).strip())}"
    return Panel(body, title=head, title_align="left", box=box.ROUNDED)


def _questions(c: dict[str, Any]) -> list[Any]:
    """The four questions and whether each changed; questions with neither an
    answer nor a change stated collapse into one line."""
    from rich import box
    from rich.table import Table

    from bmnav.domain.cards import QUESTION_LABELS

    parts: list[Any] = []
    stated = [q for q in QUESTION_LABELS if c["business_model"].get(q) or c["changes"].get(q) is not None]
    unstated = [QUESTION_LABELS[q] for q in QUESTION_LABELS if q not in stated]
    if stated:
        bm = Table(
            title="Business model: the four questions and what changed", title_justify="left", box=box.SIMPLE_HEAD
        )
        bm.add_column("Question", no_wrap=True)
        bm.add_column("Answer", overflow="fold", ratio=1)
        bm.add_column("Change", no_wrap=True)
        for q in stated:
            bm.add_row(QUESTION_LABELS[q], esc(c["business_model"].get(q) or "-"), _yes(c["changes"].get(q)))
        parts.append(keep_words(bm))
    else:
        parts.append("[italic]Business model: the four questions and what changed[/italic]")
    if unstated:
        parts.append(not_stated(unstated))
    if any(c["changes"].get(q) is not None for q in QUESTION_LABELS):
        grid = Table(title="What changed", title_justify="left", box=box.SQUARE, show_header=True)
        for q in QUESTION_LABELS:
            grid.add_column(q.capitalize(), justify="center")
        grid.add_row(*[_yes(c["changes"].get(q)) for q in QUESTION_LABELS])
        parts.append(grid)
    return parts


def _offering(c: dict[str, Any]) -> list[Any]:
    """The offering facts that are stated; the others on one line."""
    from rich import box
    from rich.table import Table

    from bmnav.domain.cards import OFFERING_FACTS

    techs = [*c.get("technologies", []), *c.get("other_technologies", [])]
    facts: list[tuple[str, Any]] = [(k.replace("_", " "), c["offering"].get(k)) for k in OFFERING_FACTS]
    facts += [("technologies", techs), ("patterns", c.get("patterns") or [])]
    stated = [(name, v) for name, v in facts if v not in (None, "", [])]
    unstated = [name for name, v in facts if v in (None, "", [])]
    parts: list[Any] = []
    off = Table(title="Offering", title_justify="left", box=box.SIMPLE_HEAD, show_header=False)
    off.add_column("Fact", no_wrap=True, style="bold")
    off.add_column("Value", overflow="fold")
    for name, v in stated:
        off.add_row(name, esc(", ".join(v) if isinstance(v, list) else v))
    parts.append(keep_words(off) if stated else "[italic]Offering[/italic]")
    if unstated:
        parts.append(not_stated(unstated))
    return parts


def _roles(c: dict[str, Any]) -> list[Any]:
    """The roles (at most `CARD_ROWS`), then what changed for each role where a source says."""
    from rich import box
    from rich.table import Table

    from bmnav.domain.cards import QUESTION_LABELS

    if not c["roles"]:
        return []
    m = c["metrics"]
    net = m.get("net_value") or {}
    currency = m.get("currency", "EUR")
    rows = []
    for r in c["roles"][:CARD_ROWS]:
        name = esc(r["id"]) + (" [bold](focal)[/bold]" if r["focal"] else "")
        cells = [name, esc(r.get("type") or "-"), esc(r.get("actor") or r.get("name") or "")]
        cells += ["yes" if r["external"] else "no", count_text(r)]
        if net:
            value = net.get(r["id"], {}).get("net", 0.0)
            cells.append(f"{value:+,.0f}" if value else "0")
        rows.append(cells)
    columns: list[tuple[str, dict[str, Any]]] = [
        ("Role", {"overflow": "fold"}),
        ("Type", {"overflow": "fold"}),
        ("Actor", {"overflow": "fold", "ratio": 1}),
        ("Ext", {"justify": "center"}),
        ("Count", {"justify": "right"}),
    ]
    if net:
        columns.append((f"Net/yr ({currency})", {"justify": "right", "no_wrap": True}))
    from bmnav.render.tables import compact_table

    parts: list[Any] = [compact_table("Roles", columns, rows, box=box.SIMPLE_HEAD)]
    if len(c["roles"]) > CARD_ROWS:
        parts.append(f"[dim]... and {len(c['roles']) - CARD_ROWS:,} more roles (all are in --format json)[/dim]")
    changed = [r for r in c["roles"] if r.get("changes")]
    if changed:
        grid = Table(title="What changed, per role (where a source says)", title_justify="left", box=box.SIMPLE_HEAD)
        grid.add_column("Role", overflow="fold")
        for q in QUESTION_LABELS:
            grid.add_column(q.capitalize(), justify="center")
        for r in changed:
            grid.add_row(esc(r["id"]), *[_yes(r["changes"].get(q)) for q in QUESTION_LABELS])
        parts.append(grid)
    return parts


def _flows(c: dict[str, Any]) -> list[Any]:
    """The flows as a tree by kind (left out when the case has none)."""
    from rich.tree import Tree

    if not any(c["flows"].values()):
        return []
    currency = c["metrics"].get("currency", "EUR")
    tree = Tree("[bold]Flows[/bold] (by kind)")
    for kind, flows in c["flows"].items():
        branch = tree.add(f"[bold]{esc(kind)}[/bold] ({len(flows)})")
        for f in flows[:CARD_ROWS]:
            amount = f" [dim]({f['amount']:,.0f} {currency}/yr)[/dim]" if f.get("amount") is not None else ""
            branch.add(f"{esc(f['from'])} → {esc(f['to'])}: {esc(f.get('what') or '')}{amount}")
        if len(flows) > CARD_ROWS:
            branch.add(f"[dim]... and {len(flows) - CARD_ROWS:,} more (all are in --format json)[/dim]")
    return [tree]


def _metrics(c: dict[str, Any]) -> Table:
    """The network metrics, one row each."""
    from rich import box
    from rich.table import Table

    mt = Table(title="Metrics", title_justify="left", box=box.SIMPLE_HEAD, show_header=False)
    mt.add_column("Metric", no_wrap=True, style="bold")
    mt.add_column("Value", overflow="fold", ratio=1)
    for name, value in _metric_rows(c):
        mt.add_row(name, value)
    return keep_words(mt)


def _metric_rows(c: dict[str, Any]) -> list[tuple[str, str]]:
    m = c["metrics"]
    net = m.get("net_value") or {}
    currency = m.get("currency", "EUR")
    kinds = ", ".join(f"{k} {n}" for k, n in m["flows_by_kind"].items() if n)
    counted = f"{m['roles']} roles; {plural(m['organisations'], 'organisation')} in them"
    if m.get("people"):
        counted += f", {plural(m['people'], 'person', 'people')} (counted apart)"
    if m.get("estimated_counts"):
        counted += " [dim](~ marks estimated counts)[/dim]"
    orchestrator = esc(m.get("orchestrator") or "-") + (
        " [dim](the service provider, which orchestrates the service: §2.6, Table 2)[/dim]"
        if m.get("orchestrator")
        else " [dim](none: the report names an orchestrator only in the §2.6 network, Table 2)[/dim]"
    )
    unbalanced = [f"{esc(rid)}: {esc(m['reciprocity'][rid].get('issue', ''))}" for rid in m["unbalanced"][:CARD_ROWS]]
    if len(m["unbalanced"]) > CARD_ROWS:
        unbalanced.append(f"... and {len(m['unbalanced']) - CARD_ROWS:,} more")
    if net:
        flows_net = ", ".join(f"{esc(rid)} {_money(v['net'], currency)}" for rid, v in net.items() if v["net"])
        net_text = flows_net or "-"
    else:
        net_text = "[dim]no amounts on the money flows[/dim]"
    return [
        ("roles / organisations", counted),
        ("external share", f"{m['external_share']:.0%} ({m['external_roles']} of {m['roles']} roles)"),
        ("flows", f"{m['flows']} ({esc(kinds) or '-'})"),
        ("orchestrator", orchestrator),
        ("broker", esc(m.get("broker") or "-") + " [dim](most betweenness on goods, service, data)[/dim]"),
        ("two-sided", two_sided_text(m["two_sided"], c.get("cluster"))),
        ("data hubs", esc(", ".join(m["data_hubs"]) or "-")),
        ("owner/user separated", _owner_user(m["owner_user"])),
        ("reciprocity", "; ".join(unbalanced) or "every role gives and receives"),
        ("net value per year", net_text),
    ]


def _owner_user(ou: dict[str, Any]) -> str:
    named = "; ".join(
        f"{label}: {esc(', '.join(ou[key]))}" for key, label in (("owners", "owners"), ("users", "users")) if ou[key]
    )
    return ("yes" if ou["separated"] else "no") + (f" ({named})" if named else "")


def _reciprocity(c: dict[str, Any]) -> list[Any]:
    """What each role gives and receives, by kind (left out when there are no roles)."""
    from rich import box
    from rich.table import Table

    m = c["metrics"]
    if not m["reciprocity"]:
        return []
    rec = Table(title="Reciprocity (gives / receives by kind)", title_justify="left", box=box.SIMPLE_HEAD)
    rec.add_column("Role", overflow="fold")
    rec.add_column("Gives", overflow="fold", ratio=1)
    rec.add_column("Receives", overflow="fold", ratio=1)
    for rid, entry in list(m["reciprocity"].items())[:CARD_ROWS]:
        gives = ", ".join(f"{k} {len(v)}" for k, v in entry["gives"].items()) or "-"
        gets = ", ".join(f"{k} {len(v)}" for k, v in entry["receives"].items()) or "-"
        mark = "" if entry["balanced"] else " [yellow]![/yellow]"
        rec.add_row(esc(rid) + mark, esc(gives), esc(gets))
    parts: list[Any] = [keep_words(rec)]
    if len(m["reciprocity"]) > CARD_ROWS:
        parts.append(f"[dim]... and {len(m['reciprocity']) - CARD_ROWS:,} more roles (all are in --format json)[/dim]")
    return parts


def _position(c: dict[str, Any]) -> str:
    """The position line, with the contributions to openness and who counts in the ecosystem."""
    p = c.get("position") or {}
    if "openness" not in p:
        return f"[bold]Position:[/bold] {esc(p.get('error', 'unknown'))}"
    m = c["metrics"]
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
    return (
        f"[bold]Position:[/bold] openness {p['openness']:.2f}, ecosystem size {p['ecosystem_size']:.2f}"
        f"{flag}{computed}{range_text(p)}\n  openness = {esc(contribs)}; "
        f"{plural(p['organisations'], 'organisation')} of the roles' {m['organisations']:,} "
        f"{'takes' if p['organisations'] == 1 else 'take'} part in the "
        "ecosystem [dim](internal units count as the focal company; roles that only trade goods for money and "
        "people are left out)[/dim]"
    )


def _sources(c: dict[str, Any]) -> list[Any]:
    """The sources as a tree (left out when the case names none)."""
    from rich.tree import Tree

    if not c.get("sources"):
        return []
    src = Tree("[bold]Sources[/bold]")
    for s in c["sources"]:
        text = esc(s.get("title", ""))
        if s.get("url"):
            text += f"\n[dim]{esc(s['url'])}[/dim]"
        src.add(text)
    return [src]


RENDERERS = {"show": {"text": render_card, "json": json_text}}
