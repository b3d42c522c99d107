"""A self-contained report on one case or profile, for a client (`bmnav report`).

`build_report(case, corpus)` gathers everything into one JSON-ready dict: the
case card (`bmnav.cards`), the classification with its evidence
(`bmnav.classifier`), the maturity path (`bmnav.evolution`) and the position
among the corpus cases (`bmnav.positions`). `render_html()` turns it into one
HTML file with inline CSS and inline SVG pictures (the value network drawn by
`network_svg()`, the position map by `bmnav.svg`), with no scripts and no
external resources, so it can be mailed or printed as it is.
`render_markdown()` writes the same sections as Markdown, with the network as
a Mermaid diagram and the map as an embedded (data: URI) SVG image.

Output is deterministic (no dates, sorted where order carries no meaning),
so a report can be committed and diffed.
"""

from __future__ import annotations

import base64
import html
import math
import re
from typing import TYPE_CHECKING, Any

from bmnav.exports import KIND_COLOURS
from bmnav.model import QUESTIONS, Case
from bmnav.network import FLOW_KINDS
from bmnav.safe_text import for_markdown, for_xml

if TYPE_CHECKING:
    from bmnav.corpus import Corpus

__all__ = ["SECTIONS", "build_report", "network_svg", "render_html", "render_markdown"]

#: The report's sections: (anchor id, heading), in order.
SECTIONS = (
    ("card", "The case"),
    ("network", "Value network"),
    ("position", "Position: openness and ecosystem size"),
    ("classification", "Classification"),
    ("maturity", "Maturity path"),
    ("sources", "Sources"),
)
QUESTION_LABELS = {
    "who": "Who: customers",
    "what": "What: value proposition",
    "how": "How: value chain",
    "value": "Value: revenue mechanism",
}


# ------------------------------------------------------------------ the data


def escape(value: str, quote: bool = True) -> str:
    """HTML and SVG text: markup characters as entities, and control and bidi
    characters (which XML forbids or which disguise text) as visible escapes."""
    return html.escape(for_xml(value), quote=quote)


def build_report(case: Case, corpus: Corpus) -> dict[str, Any]:
    """Everything the report shows, as a JSON-ready dict.

    Keys: `case` (the case card), `classification` (the classifier's result;
    a corpus case is classified with its own cluster ignored and itself left
    out of the similar cases), `recorded_cluster` (the case's own `cluster`,
    None for a profile), `maturity` (the maturity path), `position` (the
    case's position, or None when it has too few facts) and `map` (the
    positions of the corpus cases and this one).
    """
    from bmnav.cards import card
    from bmnav.classifier import classify
    from bmnav.evolution import maturity
    from bmnav.positions import position
    from bmnav.problems import BmnavError

    exclude = case.id if case.id in corpus.cases and not case.is_profile else None
    result = classify(case, corpus, exclude=exclude)
    try:
        own = position(case, corpus).as_dict()
    except BmnavError:
        own = None
    points = []
    for other in sorted(corpus, key=lambda c: c.id):
        if other.id == case.id:
            continue
        try:
            points.append(position(other, corpus).as_dict())
        except BmnavError:
            continue
    if own is not None:
        points.append(own)
    return {
        "id": case.id,
        "name": case.name,
        "profile": case.is_profile,
        "recorded_cluster": case.cluster,
        "case": card(case, corpus),
        "classification": result.as_dict(),
        "maturity": maturity(case, corpus).as_dict(),
        "position": own,
        "map": points,
    }


# ------------------------------------------------------------------ the network picture

NODE_W, NODE_H = 176, 50
NET_W = 920


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    if line:
        lines.append(line)
    return lines or [""]


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "…"


def _layout(case: Case, height: float) -> dict[str, tuple[float, float]]:
    """The focal role in the centre, the others evenly on an ellipse around it
    (in file order, starting at the top), so the same case always gives the
    same picture."""
    roles = [r.id for r in case.roles]
    focal = case.focal if case.focal in roles else (roles[0] if roles else None)
    cx, cy = NET_W / 2, height / 2
    out: dict[str, tuple[float, float]] = {}
    if focal is not None:
        out[focal] = (cx, cy)
    others = [r for r in roles if r != focal]
    rx, ry = NET_W / 2 - NODE_W / 2 - 16, height / 2 - NODE_H / 2 - 16
    for i, rid in enumerate(others):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(others))
        out[rid] = (cx + rx * math.cos(angle), cy + ry * math.sin(angle))
    return out


def _border(x: float, y: float, tx: float, ty: float) -> tuple[float, float]:
    """Where the line from the centre (x, y) of a node box towards (tx, ty) leaves the box."""
    dx, dy = tx - x, ty - y
    if dx == 0 and dy == 0:
        return x, y
    sx = (NODE_W / 2 + 4) / abs(dx) if dx else math.inf
    sy = (NODE_H / 2 + 4) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return x + dx * s, y + dy * s


def _label_spot(
    p0: tuple[float, float],
    q: tuple[float, float],
    p2: tuple[float, float],
    width: float,
    boxes: list[tuple[float, float, float, float]],
) -> tuple[float, float]:
    """A point on the curve (or just beside it) where a label of `width`
    overlaps no node and no label placed before; the label's box is added to
    `boxes`. Tried in a fixed order, so the picture is deterministic."""

    def at(t: float) -> tuple[float, float]:
        u = 1 - t
        return (
            u * u * p0[0] + 2 * u * t * q[0] + t * t * p2[0],
            u * u * p0[1] + 2 * u * t * q[1] + t * t * p2[1],
        )

    def free(x: float, y: float) -> bool:
        box = (x - width / 2, y - 7, x + width / 2, y + 5)
        return all(box[2] < b[0] or box[0] > b[2] or box[3] < b[1] or box[1] > b[3] for b in boxes)

    for dy in (0.0, -11.0, 11.0):
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75):
            x, y = at(t)
            if free(x, y + dy):
                boxes.append((x - width / 2, y + dy - 7, x + width / 2, y + dy + 5))
                return x, y + dy
    x, y = at(0.5)
    boxes.append((x - width / 2, y - 7, x + width / 2, y + 5))
    return x, y


def network_svg(case: Case, *, title: str | None = None) -> str:
    """The case's value network as an SVG document (a string ending in a newline).

    Roles are boxes (the focal role bold, internal roles grey, with their
    actor and, for groups, ×count); flows are arrows coloured by kind with
    their `what` as a label and a tooltip, parallel flows bent apart. The
    layout is deterministic: the focal role in the centre, the others on an
    ellipse in file order.

    >>> from bmnav.model import Case
    >>> svg = network_svg(Case({"id": "x", "network": {"focal": "a", "roles": [{"id": "a"}]}}))
    >>> svg.startswith("<svg") and "</svg>" in svg
    True
    """
    roles = case.roles
    n = len(roles)
    height = 420.0 if n <= 4 else 560.0 if n <= 8 else 680.0
    total_h = height + 40
    pos = _layout(case, height)
    cx, cy = NET_W / 2, height / 2
    label = title or f"Value network of {case.name}"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{NET_W}" height="{total_h:.0f}" '
        f'viewBox="0 0 {NET_W} {total_h:.0f}" font-family="Helvetica, Arial, sans-serif" font-size="11" '
        f'role="img" aria-label="{escape(label)}">',
        f"<title>{escape(label)}</title>",
        "<defs>",
    ]
    for kind, colour in KIND_COLOURS.items():
        out.append(
            f'<marker id="arrow-{kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            f'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    out.append("</defs>")
    out.append(f'<rect x="0" y="0" width="{NET_W}" height="{total_h:.0f}" fill="#ffffff"/>')
    # flows: group parallel ones (either direction) so that they can be bent apart
    pairs: dict[tuple[str, str], list[int]] = {}
    flows = [f for f in case.flows if f.source in pos and f.target in pos]
    for i, f in enumerate(flows):
        pairs.setdefault(tuple(sorted((f.source, f.target))), []).append(i)  # type: ignore[arg-type]
    out.append('<g id="flows" fill="none">')
    labels: list[str] = []
    boxes = [(x - NODE_W / 2, y - NODE_H / 2, x + NODE_W / 2, y + NODE_H / 2) for x, y in pos.values()]
    for i, f in enumerate(flows):
        key = tuple(sorted((f.source, f.target)))
        group = pairs[key]  # type: ignore[index]
        k = group.index(i)
        (x1, y1), (x2, y2) = pos[f.source], pos[f.target]
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        a, b = pos[key[0]], pos[key[1]]
        length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
        # the normal of the pair's canonical direction: both directions share one side convention
        nx_, ny_ = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
        offset = (k - (len(group) - 1) / 2) * 44.0
        qx, qy = mx + nx_ * offset, my + ny_ * offset
        if case.focal in pos and case.focal not in (f.source, f.target):
            # between two outer roles: bow away from the centre so that the curve clears the focal box
            ux, uy = mx - cx, my - cy
            dist = math.hypot(ux, uy)
            if dist < 1.0:
                ux, uy, dist = nx_, ny_, 1.0
            ux, uy = ux / dist, uy / dist
            clearance = abs(ux) * (NODE_W / 2 + 24) + abs(uy) * (NODE_H / 2 + 24)
            away = abs((mx - cx) * nx_ + (my - cy) * ny_)  # distance of the centre from the line
            need = max(0.0, clearance - away)
            qx, qy = qx + ux * 2 * need, qy + uy * 2 * need
        sx, sy = _border(x1, y1, qx, qy)
        ex, ey = _border(x2, y2, qx, qy)
        colour = KIND_COLOURS.get(f.kind, "#000000")
        dash = ' stroke-dasharray="5,3"' if f.kind in ("money", "intangible") else ""
        what = f.what or ""
        tip = f"{f.source} → {f.target}: {f.kind}" + (f": {what}" if what else "")
        if f.amount is not None:
            tip += f" ({f.amount:,.0f} {case.currency}/year)"
        out.append(
            f'<path d="M{sx:.1f},{sy:.1f} Q{qx:.1f},{qy:.1f} {ex:.1f},{ey:.1f}" stroke="{colour}" '
            f'stroke-width="1.6"{dash} marker-end="url(#arrow-{f.kind})" data-kind="{escape(f.kind)}">'
            f"<title>{escape(tip)}</title></path>"
        )
        text = what if len(what) <= 26 else what[:25] + "…"
        if text:
            lx, ly = _label_spot((sx, sy), (qx, qy), (ex, ey), 5.4 * len(text), boxes)
            labels.append(
                f'<text x="{lx:.1f}" y="{ly + 3:.1f}" text-anchor="middle" fill="{colour}" font-size="9.5" '
                f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{escape(text)}<title>{escape(tip)}</title>'
                "</text>"
            )
    out.append("</g>")
    out.append('<g id="roles">')
    for r in roles:
        x, y = pos[r.id]
        focal = r.id == case.focal
        fill = "#eeeeee" if not r.external else "#ffffff"
        stroke_w = 2.6 if focal else 1.2
        tip = f"{r.name} ({r.id})" + (f", {r.type}" if r.type else "") + ("" if r.external else ", internal")
        out.append(
            f'<g data-role="{escape(r.id)}"><title>{escape(tip)}</title>'
            f'<rect x="{x - NODE_W / 2:.1f}" y="{y - NODE_H / 2:.1f}" width="{NODE_W}" height="{NODE_H}" rx="8" '
            f'fill="{fill}" stroke="#333333" stroke-width="{stroke_w}"/>'
        )
        lines = [_cut(ln, 25) for ln in _wrap(r.name, 24)[:2]]
        sub = r.actor if r.actor and r.actor != r.name else ""
        count = f" ×{r.count:,}" if r.count > 1 else ""
        sub = (_cut(sub, 27 - len(count)) + count).strip()
        all_lines = [(ln, True) for ln in lines] + ([(sub, False)] if sub else [])
        top = y - (len(all_lines) - 1) * 6.5 + 3.5
        for j, (ln, main) in enumerate(all_lines):
            weight = ' font-weight="bold"' if main and focal else ""
            colour = "#111111" if main else "#555555"
            out.append(
                f'<text x="{x:.1f}" y="{top + j * 13:.1f}" text-anchor="middle" fill="{colour}"{weight}>'
                f"{escape(ln)}</text>"
            )
        out.append("</g>")
    out.append("</g>")
    out.append('<g id="flow-labels">')
    out.extend(labels)
    out.append("</g>")
    used = [k for k in FLOW_KINDS if any(f.kind == k for f in flows)]
    out.append(f'<g id="legend" transform="translate(12,{height + 14:.0f})">')
    x = 0
    for kind in used:
        colour = KIND_COLOURS[kind]
        dash = ' stroke-dasharray="5,3"' if kind in ("money", "intangible") else ""
        out.append(f'<line x1="{x}" y1="6" x2="{x + 26}" y2="6" stroke="{colour}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{x + 32}" y="10" fill="{colour}">{escape(kind)}</text>')
        x += 44 + 7 * len(kind)
    out.append(
        f'<rect x="{x}" y="0" width="14" height="12" fill="#eeeeee" stroke="#333333"/>'
        f'<text x="{x + 20}" y="10">internal role</text>'
    )
    x += 110
    out.append(
        f'<rect x="{x}" y="0" width="14" height="12" fill="#ffffff" stroke="#333333" stroke-width="2.6"/>'
        f'<text x="{x + 20}" y="10">focal role</text>'
    )
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _map_svg(report: dict[str, Any], corpus: Corpus) -> str:
    """The position map of the corpus with this case (bold and underlined) or profile (a diamond)."""
    from bmnav.positions import Position
    from bmnav.svg import svg_map

    items = []
    for d in report["map"]:
        items.append(
            Position(
                case=d["case"],
                name=d["name"],
                cluster=d["cluster"],
                openness=d["openness"],
                ecosystem_size=d["ecosystem_size"],
                manual=d["manual"],
                computed_openness=d["computed_openness"],
                computed_ecosystem_size=d["computed_ecosystem_size"],
                organisations=d["organisations"],
                profile=d["profile"],
            )
        )
    # the short names (such as "Data trustee") fit the map's legend
    names = {cid: str(c.get("short") or c.get("name") or cid) for cid, c in corpus.clusters.items()}
    svg = svg_map(items, cluster_ids=list(corpus.clusters), cluster_names=names)
    svg = svg.split("\n", 1)[1] if svg.startswith("<?xml") else svg
    marker = f'data-case="{escape(report["id"], quote=True)}"'
    return svg.replace(marker, f'{marker} font-weight="bold" text-decoration="underline"')


# ------------------------------------------------------------------ HTML

CSS = """
body{font-family:Helvetica,Arial,sans-serif;color:#222;max-width:980px;margin:2em auto;padding:0 1em;line-height:1.45}
h1{margin-bottom:.1em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
.sub{color:#666;margin-top:0}table{border-collapse:collapse;margin:.6em 0;width:100%}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top;font-size:.92em}
th{background:#f4f4f4}.bar{background:#e8e8e8;width:220px;height:12px;display:inline-block}
.bar span{background:#4a7bb7;height:12px;display:block}.yes{color:#1a7f37;font-weight:bold}.no{color:#999}
.for{color:#1a7f37}.against{color:#b42318}.note{color:#666;font-size:.9em}
figure{margin:1em 0}figcaption{color:#666;font-size:.9em}svg{max-width:100%;height:auto}
nav ul{columns:2}@media print{nav{display:none}h2{page-break-after:avoid}}
"""


def _e(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return escape(", ".join(str(v) for v in value))
    return escape(str(value))


def _table(head: list[str], rows: list[list[str]]) -> str:
    """A table; the cells are HTML already."""
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _cluster_name(corpus_clusters: dict[str, Any], cid: str | None) -> str:
    if not cid:
        return ""
    return str((corpus_clusters.get(cid) or {}).get("name", cid))


def render_html(report: dict[str, Any], corpus: Corpus, *, network: str | None = None) -> str:
    """The report as one self-contained HTML document (inline CSS and SVG, no scripts)."""
    from bmnav._version import __version__

    c = report["case"]
    cls = report["classification"]
    mat = report["maturity"]
    clusters = corpus.clusters
    case = Case(_case_data(report), c.get("path"))
    net_svg = network if network is not None else network_svg(case)
    kind = "Profile" if report["profile"] else "Case"
    facts = [
        f"{kind} <code>{_e(c['id'])}</code>",
        _e(c.get("company")),
        _e(c.get("country")),
        {"sme": "SME", "large": "large company"}.get(str(c.get("company_size")), _e(c.get("company_size"))),
        _e(c.get("industry")),
        _e(c.get("year")),
    ]
    h: list[str] = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="bmnav {escape(__version__)}">',
        f"<title>{_e(c['name'])}: business model report</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(c['name'])}</h1>",
        f'<p class="sub">{" · ".join(x for x in facts if x)}</p>',
        "</header>",
        "<nav><strong>Contents</strong><ul>"
        + "".join(f'<li><a href="#{sid}">{escape(title)}</a></li>' for sid, title in SECTIONS)
        + "</ul></nav>",
    ]
    # --- the case card
    h.append('<section id="card">')
    h.append(f"<h2>{escape(dict(SECTIONS)['card'])}</h2>")
    if c.get("cluster"):
        also = f" (also {_e([_cluster_name(clusters, a) for a in c.get('also') or []])})" if c.get("also") else ""
        h.append(f"<p><strong>Cluster:</strong> {_e(c.get('cluster_name') or c['cluster'])}{also}</p>")
    if c.get("summary"):
        h.append(f"<p>{_e(c['summary'])}</p>")
    bm = c.get("business_model") or {}
    ch = c.get("changes") or {}
    rows = []
    for q in QUESTIONS:
        changed = ch.get(q)
        mark = (
            '<span class="yes">changed</span>'
            if changed
            else '<span class="no">unchanged</span>'
            if changed is False
            else '<span class="no">not stated</span>'
        )
        rows.append([escape(QUESTION_LABELS[q]), _e(bm.get(q)) or '<span class="no">not stated</span>', mark])
    h.append("<h3>The four questions and what changed</h3>")
    h.append(_table(["Question", "Answer", "Change"], rows))
    off = c.get("offering") or {}
    off_rows = [[escape(k.replace("_", " ")), _e(v) or '<span class="no">unknown</span>'] for k, v in off.items()]
    off_rows.append(["technologies", _e(c.get("technologies") + (c.get("other_technologies") or []))])
    off_rows.append(["patterns", _e(c.get("patterns"))])
    h.append("<h3>Offering facts</h3>")
    h.append(_table(["Fact", "Value"], off_rows))
    h.append("</section>")
    # --- the network
    h.append('<section id="network">')
    h.append(f"<h2>{escape(dict(SECTIONS)['network'])}</h2>")
    if c.get("roles"):
        h.append(
            f"<figure>{net_svg}<figcaption>The value network: roles and the flows between them, coloured by "
            "kind (money and intangible flows dashed).</figcaption></figure>"
        )
        role_rows = [
            [
                f"<code>{_e(r['id'])}</code>",
                _e(r["name"]) + (" <strong>(focal)</strong>" if r.get("focal") else ""),
                _e(r.get("type")),
                _e(r.get("actor")),
                "external" if r.get("external") else "internal",
                _e(r.get("count")),
            ]
            for r in c["roles"]
        ]
        h.append("<h3>Roles</h3>")
        h.append(_table(["Id", "Role", "Type", "Actor", "", "Organisations"], role_rows))
        flow_rows = []
        for k, items in (c.get("flows") or {}).items():
            for f in items:
                amount = f"{f['amount']:,.0f}" if f.get("amount") is not None else ""
                flow_rows.append(
                    [escape(k), _e(f.get("from_name")), _e(f.get("to_name")), _e(f.get("what")), escape(amount)]
                )
        h.append("<h3>Flows</h3>")
        h.append(_table(["Kind", "From", "To", "What", "Amount"], flow_rows))
        m = c.get("metrics") or {}
        mrows = [
            ["Roles / organisations", f"{m.get('roles')} / {m.get('organisations')}"],
            ["External share of roles", f"{float(m.get('external_share') or 0):.0%}"],
            ["Flows by kind", _e([f"{k} {v}" for k, v in (m.get("flows_by_kind") or {}).items() if v])],
            ["Orchestrator", _e(m.get("orchestrator"))],
            ["Two-sided", _e(m.get("two_sided"))],
            ["Data hubs", _e(m.get("data_hubs")) or "none"],
            ["Owner and user separated", _e((m.get("owner_user") or {}).get("separated"))],
            ["Roles out of balance (e3value)", _e(m.get("unbalanced")) or "none"],
        ]
        net = m.get("net_value")
        if net:
            cur = m.get("currency") or "EUR"
            mrows.append(
                ["Net value per year", _e([f"{rid} {v['net']:+,.0f} {cur}" for rid, v in sorted(net.items())])]
            )
        h.append("<h3>Network metrics</h3>")
        h.append(_table(["Metric", "Value"], mrows))
    else:
        h.append('<p class="note">No value network recorded (`network` is missing).</p>')
    h.append("</section>")
    # --- the position
    h.append('<section id="position">')
    h.append(f"<h2>{escape(dict(SECTIONS)['position'])}</h2>")
    pos = report.get("position")
    if pos:
        manual = " (set by hand in the case file)" if pos.get("manual") else ""
        h.append(
            f"<p><strong>Openness</strong> {pos['openness']:.2f} and <strong>ecosystem size</strong> "
            f"{pos['ecosystem_size']:.2f}{manual}, with {pos['organisations']:,} organisations taking part.</p>"
        )
        contrib = [
            [escape(k.replace("_", " ")), _e(pos.get(k)), f"{pos.get(f'{k}_contribution', 0):.3f}"]
            for k in ("access", "external_share", "data_reach", "open_sides")
        ]
        h.append(_table(["Openness component", "Value (0..1)", "Contribution"], contrib))
    else:
        h.append('<p class="note">Too few facts to place it (give offering.access, data_sharing or a network).</p>')
    h.append(
        f"<figure>{_map_svg(report, corpus)}<figcaption>Where the case sits among the corpus cases "
        "(the report's Figure 5, computed from the case files).</figcaption></figure>"
    )
    h.append("</section>")
    # --- the classification
    h.append('<section id="classification">')
    h.append(f"<h2>{escape(dict(SECTIONS)['classification'])}</h2>")
    top = cls["ranking"][0]
    recorded = report.get("recorded_cluster")
    verdict = f"<strong>{_e(top['name'])}</strong>, confidence <strong>{_e(cls['confidence'])}</strong>"
    if cls.get("also"):
        verdict += f"; also {_e([_cluster_name(clusters, a) for a in cls['also']])}"
    h.append(f"<p>bmnav's classification: {verdict}; {round(cls['coverage'] * 100)}% of the facts known.</p>")
    if recorded:
        same = "agrees with" if recorded == top["cluster"] else "differs from"
        h.append(
            f'<p class="note">The classification ignores the case\'s recorded cluster and {same} it '
            f"({_e(_cluster_name(clusters, recorded))}).</p>"
        )
    rank_rows = [
        [
            _e(r["name"]),
            f'<span class="bar"><span style="width:{r["score"] * 100:.1f}%"></span></span>',
            f"{r['score']:.2f}",
            _e(r["confidence"]),
        ]
        for r in cls["ranking"]
    ]
    h.append(_table(["Cluster", "", "Score", "Confidence"], rank_rows))
    shown = [cls["ranking"][0]] + [r for r in cls["ranking"][1:] if r["cluster"] in cls.get("also", [])]
    for r in shown[:3]:
        h.append(f"<h3>Evidence for and against {_e(r['name'])}</h3>")
        ev_rows = []
        for side in ("for", "against"):
            for e in r["evidence"][side]:
                css = "for" if side == "for" else "against"
                ev_rows.append(
                    [
                        f'<span class="{css}">{side}</span>',
                        f"<code>{_e(e['fact'])}</code>",
                        _e(e.get("value")),
                        f"{e['weight']:+.1f}" if side == "for" else f"{-abs(e['weight']):+.1f}",
                        _e(e.get("why")),
                    ]
                )
        h.append(
            _table(["", "Fact", "Value", "Weight", "Why"], ev_rows)
            if ev_rows
            else '<p class="note">No evidence either way.</p>'
        )
    if cls.get("missing_facts"):
        h.append("<h3>Facts that would most change the answer</h3>")
        h.append(
            _table(
                ["Fact", "Question", "Could change it to"],
                [
                    [f"<code>{_e(m['fact'])}</code>", _e(m.get("question")), _e(m.get("could_change_to"))]
                    for m in cls["missing_facts"]
                ],
            )
        )
    if cls.get("similar"):
        h.append("<h3>Most similar corpus cases</h3>")
        h.append(
            _table(
                ["Case", "Cluster", "Similarity", "Shared facts", "Report"],
                [
                    [
                        _e(s.get("name") or s["case"]) + f" <code>{_e(s['case'])}</code>",
                        _e(_cluster_name(clusters, s.get("cluster"))),
                        f"{s['similarity']:.2f}",
                        _e(s.get("shared")),
                        _e(s.get("section")),
                    ]
                    for s in cls["similar"]
                ],
            )
        )
    h.append("</section>")
    # --- maturity
    h.append('<section id="maturity">')
    h.append(f"<h2>{escape(dict(SECTIONS)['maturity'])}</h2>")
    if mat.get("timeline"):
        h.append(
            _table(
                ["Phase", "Period", "Clusters", "Stage", "Summary"],
                [
                    [
                        _e(p["phase"]),
                        _e(p.get("period")),
                        _e([_cluster_name(clusters, x) for x in p.get("clusters") or []]),
                        _e(p.get("stage")),
                        _e(p.get("summary")),
                    ]
                    for p in mat["timeline"]
                ],
            )
        )
    if mat.get("stage"):
        h.append(
            f"<p><strong>Current stage:</strong> {_e(mat['stage'])} {_e(mat.get('stage_name'))} "
            f'<span class="note">({_e(mat.get("stage_source"))})</span></p>'
        )
    nxt = mat.get("next")
    if nxt:
        h.append(
            f"<p><strong>Next stage:</strong> {_e(nxt['stage'])} {_e(nxt['name'])}: "
            f"{_e([_cluster_name(clusters, x) for x in nxt.get('clusters') or []])}</p>"
        )
        if nxt.get("description"):
            h.append(f"<p>{_e(nxt['description'])}</p>")
    elif mat.get("stage"):
        h.append("<p><strong>Next stage:</strong> none; this is the last stage of the report's maturity model.</p>")
    for earlier, later in mat.get("duplicated_tables") or []:
        h.append(
            f'<p class="note">The forces of phase {_e(later)} are identical to those of phase {_e(earlier)} '
            "(in the report, Tables 4 and 5 are the same; likely an error in the source): shown as printed, "
            "not ranked as forces to address first.</p>"
        )
    if mat.get("address_first"):
        h.append("<h3>Constraining forces to address first</h3><ol>")
        for a in mat["address_first"]:
            h.append(f'<li>{_e(a["text"])} <span class="note">({_e(a["category"].replace("_", " "))})</span></li>')
        h.append("</ol>")
    recs = cls.get("recommendations") or []
    if recs:
        h.append("<h3>Recommendations of the report that apply (§4)</h3><ul>")
        for r in recs:
            h.append(
                f'<li><strong>{_e(r.get("title"))}</strong> <span class="note">({_e(r.get("section"))})</span>'
                f"<br>{_e(r.get('text'))}"
                + (
                    f" <em>bmnav's reading for a company:</em> {_e(r.get('company_reading'))}"
                    if r.get("company_reading")
                    else ""
                )
                + "</li>"
            )
        h.append("</ul>")
    h.append("</section>")
    # --- sources
    h.append('<section id="sources">')
    h.append(f"<h2>{escape(dict(SECTIONS)['sources'])}</h2>")
    srcs = c.get("sources") or []
    if srcs:
        h.append("<ul>")
        for s in srcs:
            url = s.get("url")
            link = f' <a href="{escape(url, quote=True)}">{_e(url)}</a>' if url else ""
            h.append(f"<li>{_e(s.get('title'))}{link}</li>")
        h.append("</ul>")
    else:
        h.append('<p class="note">No sources recorded.</p>')
    h.append(
        '<p class="note">Clusters, maturity stages and recommendations follow "Value Networks as the Foundation '
        'for Digital Business Models" (Sino-German expert group, 2020). Generated by bmnav '
        f"{escape(__version__)}.</p>"
    )
    h.append("</section>")
    h.append("</body>")
    h.append("</html>")
    return "\n".join(h) + "\n"


def _case_data(report: dict[str, Any]) -> dict[str, Any]:
    """A case dict rebuilt from the card (for drawing the network)."""
    c = report["case"]
    flows = []
    for kind, items in (c.get("flows") or {}).items():
        for f in items:
            flow = {"from": f["from"], "to": f["to"], "kind": kind, "what": f.get("what")}
            if f.get("amount") is not None:
                flow["amount"] = f["amount"]
            flows.append((f["index"], flow))
    focal = next((r["id"] for r in c.get("roles") or [] if r.get("focal")), None)
    roles = [
        {k: r[k] for k in ("id", "name", "type", "actor", "external", "count") if r.get(k) is not None}
        for r in c.get("roles") or []
    ]
    data: dict[str, Any] = {"id": c["id"], "name": c["name"]}
    if roles:
        data["network"] = {"focal": focal, "roles": roles, "flows": [f for _, f in sorted(flows, key=lambda t: t[0])]}
    return data


# ------------------------------------------------------------------ Markdown


def _md(value: Any) -> str:
    """A value as literal Markdown on one line (no HTML, no markup, no fence:
    see `bmnav.safe_text.for_markdown`), fit for a table cell."""
    return for_markdown(_plain(value))


#: A link the report may write as a Markdown autolink: http(s), nothing that
#: could end the `<...>` or start markup.
_SAFE_URL = re.compile(r"https?://[^\s<>`\\\[\]\x00-\x1f\x7f-\x9f]+")


def _md_code(value: Any) -> str:
    """An id as inline code when it is a plain slug; anything else as `_md` text
    (a backtick in it would end the code span)."""
    text = _plain(value)
    return f"`{text}`" if re.fullmatch(r"[A-Za-z0-9._-]+", text) else _md(text)


def _md_url(url: Any) -> str:
    text = str(url)
    return f" <{text}>" if _SAFE_URL.fullmatch(text) else f" ({_md(text)})"


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _md_table(head: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows]
    return [*out, ""]


def _mermaid(case: Case) -> list[str]:
    from bmnav.exports import export_graph

    return ["```mermaid", *export_graph(case, "mermaid").rstrip("\n").splitlines(), "```", ""]


def render_markdown(report: dict[str, Any], corpus: Corpus) -> str:
    """The report as Markdown: the network as a Mermaid diagram (rendered by
    GitHub and GitLab), the map as an embedded SVG image (a data: URI)."""
    from bmnav._version import __version__

    c = report["case"]
    cls = report["classification"]
    mat = report["maturity"]
    clusters = corpus.clusters
    kind = "Profile" if report["profile"] else "Case"
    facts = [c.get("company"), c.get("country"), c.get("company_size"), c.get("industry")]
    md: list[str] = [
        f"# {_md(c['name'])}",
        "",
        " · ".join([f"{kind} {_md_code(c['id'])}", *(_md(x) for x in facts if x)]),
        "",
    ]
    md += ["## Contents", ""] + [f"- [{title}](#{sid})" for sid, title in SECTIONS] + [""]
    md += ['<a id="card"></a>', "", f"## {dict(SECTIONS)['card']}", ""]
    if c.get("cluster"):
        md += [f"**Cluster:** {_md(c.get('cluster_name') or c['cluster'])}", ""]
    if c.get("summary"):
        md += [_md(c["summary"]), ""]
    bm = c.get("business_model") or {}
    ch = c.get("changes") or {}
    md += _md_table(
        ["Question", "Answer", "Changed"],
        [
            [QUESTION_LABELS[q], bm.get(q) or "not stated", ch.get(q) if ch.get(q) is not None else "not stated"]
            for q in QUESTIONS
        ],
    )
    off = c.get("offering") or {}
    md += _md_table(
        ["Fact", "Value"],
        [[k.replace("_", " "), v if v is not None else "unknown"] for k, v in off.items()]
        + [["technologies", c.get("technologies")], ["patterns", c.get("patterns")]],
    )
    md += ['<a id="network"></a>', "", f"## {dict(SECTIONS)['network']}", ""]
    if c.get("roles"):
        md += _mermaid(Case(_case_data(report)))
        md += _md_table(
            ["Id", "Role", "Type", "Actor", "External", "Organisations"],
            [
                [
                    r["id"],
                    r["name"] + (" (focal)" if r.get("focal") else ""),
                    r.get("type"),
                    r.get("actor"),
                    r.get("external"),
                    r.get("count"),
                ]
                for r in c["roles"]
            ],
        )
        md += _md_table(
            ["Kind", "From", "To", "What"],
            [
                [k, f.get("from_name"), f.get("to_name"), f.get("what")]
                for k, items in c["flows"].items()
                for f in items
            ],
        )
        m = c.get("metrics") or {}
        md += [
            f"Roles {m.get('roles')}, organisations {m.get('organisations')}, external share "
            f"{float(m.get('external_share') or 0):.0%}, orchestrator {_md_code(m.get('orchestrator'))}, two-sided "
            f"{_plain(m.get('two_sided'))}.",
            "",
        ]
    else:
        md += ["No value network recorded.", ""]
    md += ['<a id="position"></a>', "", f"## {dict(SECTIONS)['position']}", ""]
    pos = report.get("position")
    if pos:
        md += [
            f"Openness **{pos['openness']:.2f}**, ecosystem size **{pos['ecosystem_size']:.2f}**"
            + (" (set by hand)" if pos.get("manual") else "")
            + f", {pos['organisations']:,} organisations taking part.",
            "",
        ]
    data_uri = base64.b64encode(_map_svg(report, corpus).encode("utf-8")).decode("ascii")
    md += [f"![Position map](data:image/svg+xml;base64,{data_uri})", ""]
    md += ['<a id="classification"></a>', "", f"## {dict(SECTIONS)['classification']}", ""]
    top = cls["ranking"][0]
    also = f"; also {_md(', '.join(_cluster_name(clusters, a) for a in cls['also']))}" if cls.get("also") else ""
    md += [
        f"**{_md(top['name'])}**, confidence **{_md(cls['confidence'])}**{also}; "
        f"{round(cls['coverage'] * 100)}% of the facts known.",
        "",
    ]
    md += _md_table(
        ["Cluster", "Score", "Confidence", ""],
        [[r["name"], f"{r['score']:.2f}", r["confidence"], "█" * round(r["score"] * 20)] for r in cls["ranking"]],
    )
    ev = [
        [s, e["fact"], e.get("value"), e["weight"], e.get("why")]
        for s in ("for", "against")
        for e in top["evidence"][s]
    ]
    if ev:
        md += [f"### Evidence for and against {_md(top['name'])}", ""]
        md += _md_table(["", "Fact", "Value", "Weight", "Why"], ev)
    if cls.get("missing_facts"):
        md += ["### Facts that would most change the answer", ""]
        md += _md_table(["Fact", "Question"], [[m["fact"], m.get("question")] for m in cls["missing_facts"]])
    if cls.get("similar"):
        md += ["### Most similar corpus cases", ""]
        md += _md_table(
            ["Case", "Cluster", "Similarity", "Report"],
            [[s["case"], s.get("cluster"), f"{s['similarity']:.2f}", s.get("section")] for s in cls["similar"]],
        )
    md += ['<a id="maturity"></a>', "", f"## {dict(SECTIONS)['maturity']}", ""]
    if mat.get("timeline"):
        md += _md_table(
            ["Phase", "Period", "Clusters", "Summary"],
            [[p["phase"], p.get("period"), p.get("clusters"), p.get("summary")] for p in mat["timeline"]],
        )
    if mat.get("stage"):
        md += [f"**Current stage:** {_md(mat['stage'])} {_md(mat.get('stage_name') or '')}".rstrip(), ""]
    if mat.get("next"):
        nxt = mat["next"]
        md += [f"**Next stage:** {_md(nxt['stage'])} {_md(nxt['name'])}: {_md(nxt.get('clusters') or [])}", ""]
    for earlier, later in mat.get("duplicated_tables") or []:
        md += [
            f"*The forces of phase {_md(later)} are identical to those of phase {_md(earlier)} (in the report, "
            "Tables 4 and 5 are the same; likely an error in the source): shown as printed, not ranked.*",
            "",
        ]
    if mat.get("address_first"):
        md += ["**Constraining forces to address first:**", ""]
        md += [
            f"{i}. {_md(a['text'])} ({_md(a['category'].replace('_', ' '))})"
            for i, a in enumerate(mat["address_first"], 1)
        ]
        md += [""]
    if cls.get("recommendations"):
        md += ["**Recommendations of the report that apply (§4):**", ""]
        md += [
            f"- **{_md(r.get('title'))}** ({_md(r.get('section'))}, to {_md(r.get('addressee') or 'unknown')}): "
            f"{_md(r.get('text'))}"
            + (f" *bmnav's reading for a company:* {_md(r['company_reading'])}" if r.get("company_reading") else "")
            for r in cls["recommendations"]
        ]
        md += [""]
    md += ['<a id="sources"></a>', "", f"## {dict(SECTIONS)['sources']}", ""]
    for s in c.get("sources") or []:
        md.append(f"- {_md(s.get('title'))}" + (_md_url(s["url"]) if s.get("url") else ""))
    md += ["", f"_Generated by bmnav {__version__}._", ""]
    return "\n".join(md)
