"""The report's pictures as inline SVG: the value network (drawn here) and the
position map of the corpus (drawn by `bmnav.render.svg`, this case marked).

The layout is deterministic, so the same case always gives the same bytes.
"""

from __future__ import annotations

import html
import math
from typing import TYPE_CHECKING, Any

from bmnav.domain.model import Case, Flow, Role
from bmnav.domain.network import FLOW_KINDS
from bmnav.render.exports import KIND_COLOURS
from bmnav.render.safe_text import for_xml

if TYPE_CHECKING:
    from bmnav.storage.corpus import Corpus

Point = tuple[float, float]
Box = tuple[float, float, float, float]


def escape(value: str, quote: bool = True) -> str:
    """HTML and SVG text: markup characters as entities, and control and bidi
    characters (which XML forbids or which disguise text) as visible escapes."""
    return html.escape(for_xml(value), quote=quote)


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
    p0: Point,
    q: Point,
    p2: Point,
    width: float,
    boxes: list[Box],
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
    p0: Point,
    q: Point,
    p2: Point,
    boxes: list[Box],
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

    >>> from bmnav.domain.model import Case
    >>> svg = network_svg(Case({"id": "x", "network": {"focal": "a", "roles": [{"id": "a"}]}}))
    >>> svg.startswith("<svg") and "</svg>" in svg
    True
    """
    n = len(case.roles)
    height = 480.0 if n <= 4 else 640.0 if n <= 8 else 780.0
    pos = _layout(case, height)
    flows = [f for f in case.flows if f.source in pos and f.target in pos]
    paths, labels = _flow_arrows(case, flows, pos, height)
    out = _svg_start(title or f"Value network of {case.name}", height + 40)
    out += ['<g id="flows" fill="none">', *paths, "</g>"]
    out += ['<g id="roles">', *(line for r in case.roles for line in _role_box(case, r, pos[r.id])), "</g>"]
    out += ['<g id="flow-labels">', *labels, "</g>"]
    out += _legend(flows, height)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _svg_start(label: str, total_h: float) -> list[str]:
    """The SVG element with its title, one arrow head per flow kind and a white background."""
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
    return out


def _flow_arrows(case: Case, flows: list[Flow], pos: dict[str, Point], height: float) -> tuple[list[str], list[str]]:
    """The flows' arrows and their labels (drawn later, above the role boxes).

    Parallel flows (either direction) are grouped so that they can be bent apart.
    """
    pairs: dict[tuple[str, str], list[int]] = {}
    for i, f in enumerate(flows):
        pairs.setdefault(tuple(sorted((f.source, f.target))), []).append(i)  # type: ignore[arg-type]
    paths: list[str] = []
    labels: list[str] = []
    boxes = [(x - NODE_W / 2, y - NODE_H / 2, x + NODE_W / 2, y + NODE_H / 2) for x, y in pos.values()]
    for i, f in enumerate(flows):
        key = tuple(sorted((f.source, f.target)))
        group = pairs[key]  # type: ignore[index]
        q = _bend(case, pos, f, key, group.index(i) - (len(group) - 1) / 2, (NET_W / 2, height / 2))
        start, end = _border(*pos[f.source], *q), _border(*pos[f.target], *q)
        colour = KIND_COLOURS.get(f.kind, "#000000")
        dash = ' stroke-dasharray="5,3"' if f.kind in ("money", "intangible") else ""
        what = f.what or ""
        tip = f"{f.source} → {f.target}: {f.kind}" + (f": {what}" if what else "")
        if f.amount is not None:
            tip += f" ({f.amount:,.0f} {case.currency}/year)"
        paths.append(
            f'<path d="M{start[0]:.1f},{start[1]:.1f} Q{q[0]:.1f},{q[1]:.1f} {end[0]:.1f},{end[1]:.1f}" '
            f'stroke="{colour}" stroke-width="1.6"{dash} marker-end="url(#arrow-{f.kind})" '
            f'data-kind="{escape(f.kind)}"><title>{escape(tip)}</title></path>'
        )
        if what:
            labels.append(_flow_label(what, tip, colour, start, q, end, boxes))
    return paths, labels


def _bend(case: Case, pos: dict[str, Point], f: Flow, key: Any, slot: float, centre: Point) -> Point:
    """The control point of a flow's curve: parallel flows `slot` steps apart
    on the normal of their pair, and a flow between two outer roles bowed away
    from the centre so that it clears the focal box."""
    (x1, y1), (x2, y2) = pos[f.source], pos[f.target]
    cx, cy = centre
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    a, b = pos[key[0]], pos[key[1]]
    length = math.hypot(b[0] - a[0], b[1] - a[1]) or 1.0
    # the normal of the pair's canonical direction: both directions share one side convention
    nx_, ny_ = -(b[1] - a[1]) / length, (b[0] - a[0]) / length
    offset = slot * 44.0
    qx, qy = mx + nx_ * offset, my + ny_ * offset
    if case.focal in pos and case.focal not in (f.source, f.target):
        ux, uy = mx - cx, my - cy
        dist = math.hypot(ux, uy)
        if dist < 1.0:
            ux, uy, dist = nx_, ny_, 1.0
        ux, uy = ux / dist, uy / dist
        clearance = abs(ux) * (NODE_W / 2 + 24) + abs(uy) * (NODE_H / 2 + 24)
        away = abs((mx - cx) * nx_ + (my - cy) * ny_)  # distance of the centre from the line
        need = max(0.0, clearance - away)
        qx, qy = qx + ux * 2 * need, qy + uy * 2 * need
    return qx, qy


def _role_box(case: Case, r: Role, at: Point) -> list[str]:
    """One role: a box (focal bold, internal grey) with its name over two lines
    and its actor (and ×count for a group) below, with a tooltip."""
    x, y = at
    focal = r.id == case.focal
    fill = "#eeeeee" if not r.external else "#ffffff"
    stroke_w = 2.6 if focal else 1.2
    tip = f"{r.name} ({r.id})" + (f", {r.type}" if r.type else "") + ("" if r.external else ", internal")
    out = [
        f'<g data-role="{escape(r.id)}"><title>{escape(tip)}</title>'
        f'<rect x="{x - NODE_W / 2:.1f}" y="{y - NODE_H / 2:.1f}" width="{NODE_W}" height="{NODE_H}" rx="8" '
        f'fill="{fill}" stroke="#333333" stroke-width="{stroke_w}"/>'
    ]
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
            f'<text x="{x:.1f}" y="{top + j * 13:.1f}" text-anchor="middle" fill="{colour}"{weight}>{escape(ln)}</text>'
        )
    out.append("</g>")
    return out


def _legend(flows: list[Flow], height: float) -> list[str]:
    """The legend below the picture: the flow kinds drawn, internal and focal roles."""
    used = [k for k in FLOW_KINDS if any(f.kind == k for f in flows)]
    out = [f'<g id="legend" transform="translate(12,{height + 14:.0f})">']
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
    return out


def map_svg(report: dict[str, Any], corpus: Corpus) -> str:
    """The position map of the corpus with this case (bold and underlined) or profile (a diamond)."""
    from bmnav.domain.positions import Position
    from bmnav.render.svg import svg_map

    items = [
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
        for d in report["map"]
    ]
    # the short names (such as "Data trustee") fit the map's legend
    names = {cid: str(c.get("short") or c.get("name") or cid) for cid, c in corpus.clusters.items()}
    svg = svg_map(items, cluster_ids=list(corpus.clusters), cluster_names=names)
    svg = svg.split("\n", 1)[1] if svg.startswith("<?xml") else svg
    marker = f'data-case="{escape(report["id"], quote=True)}"'
    return svg.replace(marker, f'{marker} font-weight="bold" text-decoration="underline"')
