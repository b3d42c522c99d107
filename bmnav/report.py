"""A self-contained report on one case or profile, for a client (`bmnav report`).

`build_report(case, corpus)` gathers everything into one JSON-ready dict: the
case card (`bmnav.cards`), the classification with its evidence
(`bmnav.classifier`), the maturity path (`bmnav.evolution`) and the position
among the corpus cases (`bmnav.positions`). `render_html()` turns it into one
HTML file with inline CSS and inline SVG pictures (the value network drawn by
`network_svg()`, the position map by `bmnav.svg`), with no scripts and no
external resources, so it can be mailed or printed as it is.
`render_markdown()` writes the same sections as Markdown, with the network as
a Mermaid diagram and the map as a link to an SVG file written beside it
(GitHub strips data: URIs).

Output is deterministic (no dates, sorted where order carries no meaning),
so a report can be committed and diffed.
"""

from __future__ import annotations

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

__all__ = ["OMITTABLE", "SECTIONS", "build_report", "map_svg", "network_svg", "render_html", "render_markdown"]

#: The report's sections: (anchor id, heading), in order.
SECTIONS = (
    ("card", "The case"),
    ("network", "Value network"),
    ("position", "Position: openness and ecosystem size"),
    ("classification", "Classification"),
    ("maturity", "Maturity path"),
    ("sources", "Sources"),
)
#: What `--omit` may leave out: a whole section, or a part of one.
PARTS = ("evidence", "missing", "similar", "recommendations")
#: The consultant's notes (`--notes`): a section before the others, only when given.
NOTES = ("notes", "Notes")
OMITTABLE = (NOTES[0], *(sid for sid, _ in SECTIONS), *PARTS)
#: Evidence items shown per side; the JSON keeps them all.
EVIDENCE_SHOWN = 5
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

    case = case.snapshot()  # the graph, facts and position, once for every section
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
    height: float = 12.0,
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

    def box(x: float, y: float) -> tuple[float, float, float, float]:
        return (x - width / 2, y - height / 2, x + width / 2, y + height / 2)

    def free(x: float, y: float) -> bool:
        b0 = box(x, y)
        return all(b0[2] < b[0] or b0[0] > b[2] or b0[3] < b[1] or b0[1] > b[3] for b in boxes)

    step = height / 2 + 7
    for dx, dy in [(0.0, 0.0), (0.0, -step), (0.0, step), (0.0, -2 * step), (0.0, 2 * step)] + [
        (sx * fx, sy * fy * step)
        for fy in (0, 1, 2, 3)
        for fx in (40.0, 80.0, 120.0)
        for sx in (-1, 1)
        for sy in (-1, 1)
    ]:
        for t in (0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75):
            x, y = at(t)
            if free(x + dx, y + dy):
                boxes.append(box(x + dx, y + dy))
                return x + dx, y + dy
    x, y = at(0.5)
    boxes.append(box(x, y))
    return x, y


#: Flow labels: 12 px text, wrapped (never cut) at about this many characters a line.
LABEL_SIZE, LABEL_CHARS, LABEL_CHAR_W, LABEL_LINE_H = 12, 24, 6.4, 14.0


def _flow_label(
    what: str,
    tip: str,
    colour: str,
    p0: tuple[float, float],
    q: tuple[float, float],
    p2: tuple[float, float],
    boxes: list[tuple[float, float, float, float]],
) -> str:
    """A flow's label, whole (wrapped over lines), on a white box rather than a
    `paint-order` halo: printers and PDF drop the halo and the text with it."""
    lines = _wrap(what, LABEL_CHARS)
    width = LABEL_CHAR_W * max(len(ln) for ln in lines) + 8
    height = LABEL_LINE_H * len(lines) + 4
    lx, ly = _label_spot(p0, q, p2, width, boxes, height)
    top = ly - height / 2
    spans = "".join(
        f'<tspan x="{lx:.1f}" y="{top + 2 + LABEL_LINE_H * (i + 1) - 3:.1f}">{escape(ln)}</tspan>'
        for i, ln in enumerate(lines)
    )
    return (
        f'<g class="flow-label"><title>{escape(tip)}</title>'
        f'<rect x="{lx - width / 2:.1f}" y="{top:.1f}" width="{width:.1f}" height="{height:.1f}" rx="3" '
        f'fill="#ffffff" fill-opacity="0.92"/>'
        f'<text text-anchor="middle" fill="{colour}" font-size="{LABEL_SIZE}">{spans}</text></g>'
    )


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
    height = 480.0 if n <= 4 else 640.0 if n <= 8 else 780.0
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
        if what:
            labels.append(_flow_label(what, tip, colour, (sx, sy), (qx, qy), (ex, ey), boxes))
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


def map_svg(report: dict[str, Any], corpus: Corpus) -> str:
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
                ecosystem_size=d["ecosystem_size"] or 0.0,
                manual=d["manual"],
                computed_openness=d["computed_openness"],
                computed_ecosystem_size=d["computed_ecosystem_size"] or 0.0,
                organisations=d["organisations"] or 0,
                profile=d["profile"],
                facts=d.get("facts") or {},
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
td{overflow-wrap:break-word}
th{background:#f4f4f4}.bar{background:#e8e8e8;width:160px;max-width:30vw;height:12px;display:inline-block}
.bar span{background:#4a7bb7;height:12px;display:block}.yes{color:#1a7f37;font-weight:bold}.no{color:#999}
.for{color:#1a7f37}.against{color:#b42318}.note{color:#666;font-size:.9em}
figure{margin:1em 0}figcaption{color:#666;font-size:.9em}svg{max-width:100%;height:auto}
.notes{border-left:4px solid #4a7bb7;padding:.2em 1em;background:#f7f9fc}
nav ul{columns:2}
@page{size:A4;margin:16mm 14mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:10.5pt}nav{display:none}
h2,h3{break-after:avoid;page-break-after:avoid}
tr,li,figure,svg,.notes p{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
footer{break-before:avoid;page-break-before:avoid}
a{color:inherit}
}
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
    """A table; the cells are HTML already. Columns empty in every row are left out."""
    keep = [i for i in range(len(head)) if any(row[i] for row in rows)] if rows else list(range(len(head)))
    head = [head[i] for i in keep]
    rows = [[row[i] for i in keep] for row in rows]
    th = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>"


def _cluster_name(corpus_clusters: dict[str, Any], cid: str | None) -> str:
    if not cid:
        return ""
    return str((corpus_clusters.get(cid) or {}).get("name", cid))


def _notes_html(text: str) -> str:
    """The consultant's notes (Markdown) as HTML: headings, lists, paragraphs,
    **bold** and *emphasis*. Everything is escaped first; no HTML passes through."""
    import re

    def inline(line: str) -> str:
        line = escape(line, quote=False)
        line = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", line)
        return re.sub(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])", r"<em>\1</em>", line)

    bullet, number = r"^\s*[-*]\s+", r"^\s*\d+[.)]\s+"
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        lines = [ln.rstrip() for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        heading = re.match(r"^(#{1,3})\s+(.*)$", lines[0])
        if heading and len(lines) == 1:
            level = len(heading.group(1)) + 2  # under the report's own h2
            out.append(f"<h{level}>{inline(heading.group(2))}</h{level}>")
        elif all(re.match(bullet, ln) for ln in lines):
            out.append("<ul>" + "".join(f"<li>{inline(re.sub(bullet, '', ln))}</li>" for ln in lines) + "</ul>")
        elif all(re.match(number, ln) for ln in lines):
            out.append("<ol>" + "".join(f"<li>{inline(re.sub(number, '', ln))}</li>" for ln in lines) + "</ol>")
        else:
            out.append("<p>" + "<br>".join(inline(ln) for ln in lines) + "</p>")
    return "\n".join(out)


def _evidence_shown(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(items, key=lambda e: -abs(float(e["weight"])))[:EVIDENCE_SHOWN]


def render_html(
    report: dict[str, Any],
    corpus: Corpus,
    *,
    network: str | None = None,
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
    notes: str | None = None,
    omit: tuple[str, ...] | list[str] = (),
) -> str:
    """The report as one self-contained HTML document (inline CSS and SVG, no scripts).

    `title`, `author` and `date` head the report; `notes` is the consultant's
    own text (Markdown, escaped); `omit` names sections or parts (`OMITTABLE`)
    to leave out. Facts read as plain words (`bmnav.labels`).
    """
    from bmnav._version import __version__
    from bmnav.labels import labels_for

    labels = labels_for(corpus)
    omitted = set(omit) | ({"notes"} if not (notes or "").strip() else set())
    sections = [(sid, t) for sid, t in (NOTES, *SECTIONS) if sid not in omitted]

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
        f"<title>{_e(title or c['name'])}: business model report</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{_e(title or c['name'])}</h1>",
        *([f'<p class="sub">{_e(c["name"])}</p>'] if title else []),
        f'<p class="sub">{" · ".join(x for x in facts if x)}</p>',
        *(
            [f'<p class="sub">{" · ".join(_e(x) for x in (f"Prepared by {author}" if author else "", date) if x)}</p>']
            if author or date
            else []
        ),
        "</header>",
        "<nav><strong>Contents</strong><ul>"
        + "".join(f'<li><a href="#{sid}">{escape(heading)}</a></li>' for sid, heading in sections)
        + "</ul></nav>",
    ]
    if "notes" not in omitted:
        h.append('<section id="notes">')
        h.append(f"<h2>{escape(NOTES[1])}</h2>")
        h.append(f'<div class="notes">{_notes_html(notes or "")}</div>')
        h.append("</section>")
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
    rows, unstated = [], []
    for q in QUESTIONS:
        changed = ch.get(q)
        if not bm.get(q) and changed is None:
            unstated.append(QUESTION_LABELS[q])
            continue
        mark = (
            '<span class="yes">changed</span>'
            if changed
            else '<span class="no">unchanged</span>'
            if changed is False
            else '<span class="no">not stated</span>'
        )
        rows.append([escape(QUESTION_LABELS[q]), _e(bm.get(q)) or '<span class="no">not stated</span>', mark])
    h.append("<h3>The four questions and what changed</h3>")
    if rows:
        h.append(_table(["Question", "Answer", "Change"], rows))
    if unstated:
        h.append(f'<p class="note">Not stated: {_e(unstated)}.</p>')
    off = c.get("offering") or {}
    off_rows, unknown = [], []
    for k, v in off.items():
        key = f"offering.{k}"
        if v is None or v == []:
            unknown.append(labels.label(key))
        else:
            off_rows.append([_e(labels.label(key)), _e(labels.value(key, v))])
    techs = list(c.get("technologies") or []) + list(c.get("other_technologies") or [])
    for key, value in (("technologies", techs), ("patterns", c.get("patterns"))):
        if value:
            off_rows.append([_e(labels.label(key)), _e(labels.value(key, value))])
        else:
            unknown.append(labels.label(key))
    h.append("<h3>Offering facts</h3>")
    if off_rows:
        h.append(_table(["Fact", "Value"], off_rows))
    if unknown:
        h.append(f'<p class="note">Not stated: {_e(unknown)}.</p>')
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
                _e(labels.role_types.get(str(r.get("type")), r.get("type")) if r.get("type") else None),
                _e(r.get("actor")),
                "external" if r.get("external") else "internal",
                _e(r.get("count")),
            ]
            for r in c["roles"]
        ]
        for row in role_rows:
            if row[5] == "1":
                row[5] = ""  # one organisation is the default: the column shows only when a role stands for many
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
        role_names = {r["id"]: r["name"] for r in c["roles"]}

        def named(ids: Any) -> str:
            return _e([role_names.get(i, i) for i in ids or []])

        mrows = [
            ["Roles / organisations", f"{m.get('roles')} / {m.get('organisations')}"],
            ["Share of roles outside the company", f"{float(m.get('external_share') or 0):.0%}"],
            ["Flows by kind", _e([f"{k} {v}" for k, v in (m.get("flows_by_kind") or {}).items() if v])],
            ["Who orchestrates the network", named([m["orchestrator"]] if m.get("orchestrator") else [])],
            ["Serves outside suppliers and outside buyers (two-sided)", _e(m.get("two_sided"))],
            ["Roles that collect and pass on data", named(m.get("data_hubs")) or "none"],
            ["Owner and user of the product differ", _e((m.get("owner_user") or {}).get("separated"))],
            [
                "Roles that get something without giving back, or pay without getting",
                named(m.get("unbalanced")) or "none",
            ],
        ]
        net = m.get("net_value")
        if net:
            cur = m.get("currency") or "EUR"
            mrows.append(
                [
                    "Net value per year",
                    _e([f"{role_names.get(rid, rid)} {v['net']:+,.0f} {cur}" for rid, v in sorted(net.items())]),
                ]
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
        if pos.get("ecosystem_size") is None:
            h.append(
                f"<p><strong>Openness</strong> {pos['openness']:.2f}; <strong>ecosystem size</strong> unknown: "
                "no value network is recorded, so it is left off the map below.</p>"
            )
        else:
            h.append(
                f"<p><strong>Openness</strong> {pos['openness']:.2f} and <strong>ecosystem size</strong> "
                f"{pos['ecosystem_size']:.2f}{manual}, with {pos['organisations']:,} organisations taking part.</p>"
            )
        contrib = [
            [escape(k.replace("_", " ")), _e(pos.get(k)), f"{pos.get(f'{k}_contribution', 0):.3f}"]
            for k in ("access", "external_share", "data_reach", "open_sides")
            if pos.get(k) is not None
        ]
        h.append(_table(["Openness component", "Value (0..1)", "Contribution"], contrib))
    else:
        h.append('<p class="note">Too few facts to place it (give offering.access, data_sharing or a network).</p>')
    h.append(
        f"<figure>{map_svg(report, corpus)}<figcaption>Where the case sits among the corpus cases "
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
    for r in shown[:3] if "evidence" not in omitted else []:
        h.append(f"<h3>Evidence for and against {_e(r['name'])}</h3>")
        ev_rows = []
        left_out = []
        for side in ("for", "against"):
            items = r["evidence"][side]
            keep = _evidence_shown(items)
            if len(keep) < len(items):
                left_out.append(f"the strongest {len(keep)} of {len(items)} items {side}")
            for e in keep:
                css = "for" if side == "for" else "against"
                ev_rows.append(
                    [
                        f'<span class="{css}">{side}</span>',
                        _e(labels.label(e["fact"])),
                        _e(labels.value(e["fact"], e.get("value"))),
                        f"{e['weight']:+.1f}" if side == "for" else f"{-abs(e['weight']):+.1f}",
                        _e(e.get("why")),
                    ]
                )
        h.append(
            _table(["", "Fact", "Value", "Weight", "Why"], ev_rows)
            if ev_rows
            else '<p class="note">No evidence either way.</p>'
        )
        if left_out:
            h.append(f'<p class="note">Showing {" and ".join(left_out)}; the JSON report has them all.</p>')
    if cls.get("missing_facts") and "missing" not in omitted:
        h.append("<h3>Facts that would most change the answer</h3>")
        h.append(
            _table(
                ["Fact", "Question", "Could change it to"],
                [
                    [_e(labels.label(m["fact"])), _e(m.get("question")), _e(m.get("could_change_to"))]
                    for m in cls["missing_facts"]
                ],
            )
        )
    if cls.get("similar") and "similar" not in omitted:
        h.append("<h3>Most similar corpus cases</h3>")
        h.append(
            _table(
                ["Case", "Cluster", "Similarity", "Shared facts", "Report"],
                [
                    [
                        _e(s.get("name") or s["case"]) + f" <code>{_e(s['case'])}</code>",
                        _e(_cluster_name(clusters, s.get("cluster"))),
                        f"{s['similarity']:.2f}",
                        "; ".join(_e(labels.shared(x)) for x in (s.get("shared") or [])[:5])
                        + (f" (+{len(s['shared']) - 5} more)" if len(s.get("shared") or []) > 5 else ""),
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
    recs = cls.get("recommendations") or [] if "recommendations" not in omitted else []
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
    h.append("</section>")
    h.append(
        '<footer><p class="note">Clusters, maturity stages and recommendations follow "Value Networks as the '
        'Foundation for Digital Business Models" (Sino-German expert group, 2020). Generated by bmnav '
        f"{escape(__version__)}.</p></footer>"
    )
    h.append("</body>")
    h.append("</html>")
    return "\n".join(_drop_sections(h, omitted)) + "\n"


def _drop_sections(lines: list[str], omitted: set[str]) -> list[str]:
    """The lines without the `<section id=...>` blocks named in `omitted`."""
    out: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith('<section id="'):
            skipping = line[len('<section id="') :].split('"', 1)[0] in omitted
        if not skipping:
            out.append(line)
        if line == "</section>":
            skipping = False
    return out


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


def render_markdown(
    report: dict[str, Any],
    corpus: Corpus,
    *,
    map_file: str | None = None,
    title: str | None = None,
    author: str | None = None,
    date: str | None = None,
    notes: str | None = None,
    omit: tuple[str, ...] | list[str] = (),
) -> str:
    """The report as Markdown: the network as a Mermaid diagram (rendered by
    GitHub and GitLab), the map as a link to `map_file` (an SVG written beside
    the Markdown; GitHub strips data: URIs). Options as in `render_html`."""
    from bmnav._version import __version__
    from bmnav.labels import labels_for

    labels = labels_for(corpus)
    omitted = set(omit) | ({"notes"} if not (notes or "").strip() else set())

    c = report["case"]
    cls = report["classification"]
    mat = report["maturity"]
    clusters = corpus.clusters
    kind = "Profile" if report["profile"] else "Case"
    facts = [c.get("company"), c.get("country"), c.get("company_size"), c.get("industry")]
    md: list[str] = [
        f"# {_md(title or c['name'])}",
        "",
        " · ".join([f"{kind} {_md_code(c['id'])}", *(_md(_plain(x)) for x in facts if x)]),
        "",
    ]
    if author or date:
        md += [" · ".join(_md(x) for x in (f"Prepared by {author}" if author else "", date or "") if x), ""]
    md += ["## Contents", ""] + [f"- [{t}](#{sid})" for sid, t in (NOTES, *SECTIONS) if sid not in omitted] + [""]
    if "notes" not in omitted:
        import re

        safe = (notes or "").strip().replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        safe = re.sub(r"^(#{1,4})(?=\s)", r"##\1", safe, flags=re.M)  # headings under the report's own
        md += ['<a id="notes"></a>', "", f"## {NOTES[1]}", "", safe, ""]
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
    off = {f"offering.{k}": v for k, v in (c.get("offering") or {}).items()}
    off.update({"technologies": c.get("technologies"), "patterns": c.get("patterns")})
    md += _md_table(
        ["Fact", "Value"], [[labels.label(k), labels.value(k, v)] for k, v in off.items() if v not in (None, [])]
    )
    unknown = [labels.label(k) for k, v in off.items() if v in (None, [])]
    if unknown:
        md += [f"Not stated: {', '.join(unknown)}.", ""]
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
    if pos and pos.get("ecosystem_size") is None:
        md += [
            f"Openness **{pos['openness']:.2f}**; ecosystem size unknown: no value network is recorded, "
            "so it is left off the map.",
            "",
        ]
    elif pos:
        md += [
            f"Openness **{pos['openness']:.2f}**, ecosystem size **{pos['ecosystem_size']:.2f}**"
            + (" (set by hand)" if pos.get("manual") else "")
            + f", {pos['organisations']:,} organisations taking part.",
            "",
        ]
    if map_file:
        md += [f"![Position map]({map_file})", ""]
    else:
        md += ["_The position map is written beside the Markdown file by `bmnav report --md FILE`._", ""]
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
        [s, labels.label(e["fact"]), labels.value(e["fact"], e.get("value")), e["weight"], e.get("why")]
        for s in ("for", "against")
        for e in _evidence_shown(top["evidence"][s])
    ]
    if ev and "evidence" not in omitted:
        md += [f"### Evidence for and against {_md(top['name'])}", ""]
        md += _md_table(["", "Fact", "Value", "Weight", "Why"], ev)
    if cls.get("missing_facts") and "missing" not in omitted:
        md += ["### Facts that would most change the answer", ""]
        md += _md_table(
            ["Fact", "Question"], [[labels.label(m["fact"]), m.get("question")] for m in cls["missing_facts"]]
        )
    if cls.get("similar") and "similar" not in omitted:
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
    if cls.get("recommendations") and "recommendations" not in omitted:
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
    return "\n".join(_drop_md_sections(md, omitted))


def _drop_md_sections(lines: list[str], omitted: set[str]) -> list[str]:
    """The Markdown lines without the sections (from their `<a id>` anchor) named in `omitted`."""
    out: list[str] = []
    skipping = False
    for line in lines:
        if line.startswith('<a id="'):
            skipping = line[len('<a id="') :].split('"', 1)[0] in omitted
        elif line.startswith("_Generated by bmnav"):
            skipping = False
        if not skipping:
            out.append(line)
    return out
