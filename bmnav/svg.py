"""The openness / ecosystem-size map as an SVG picture for a report.

The same content as the terminal map (`bmnav.mapplot`): axes with ticks and
titles, one colour per cluster with a legend, labelled points, cluster
centroids, profiles as diamonds and manual positions marked with `*`. The
output is plain, deterministic SVG 1.1 text (no scripts, no external
resources), so it can be committed and diffed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

from .mapplot import PROFILE_STYLE, cluster_colours
from .positions import Position, centroids

__all__ = ["svg_map"]

WIDTH, HEIGHT = 880, 600
CHAR_W, LINE_H = 6.6, 14.0  # approximate size of a 12px label character and line
LEFT, RIGHT, TOP, BOTTOM = 70, 220, 50, 60


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;"})


def _free_row(boxes: list[tuple[float, float, float]], left: float, right: float, y: float) -> float:
    """A baseline near `y` where a label spanning [left, right] overlaps no
    label placed before (tried: y, then one line further up or down, ...);
    the chosen box is recorded in `boxes`."""
    for step in range(12):
        offset = (step + 1) // 2 * LINE_H * (-1 if step % 2 else 1)
        cand = y + offset
        if all(right < b_left or left > b_right or abs(cand - b_y) >= LINE_H for b_left, b_right, b_y in boxes):
            boxes.append((left, right, cand))
            return cand
    boxes.append((left, right, y))
    return y


def svg_map(
    items: Sequence[Position],
    *,
    cluster_ids: Sequence[str] | None = None,
    cluster_names: Mapping[str, str] | None = None,
    title: str = "Openness versus ecosystem size",
    show_centroids: bool = True,
) -> str:
    """Return the map of `items` as an SVG document (a string ending in a newline).

    >>> svg_map([]).startswith('<?xml')
    True
    """
    names = dict(cluster_names or {})
    seen = sorted({p.cluster for p in items if p.cluster and not p.profile})
    order = [c for c in (cluster_ids or []) if c in seen] + [c for c in seen if c not in (cluster_ids or [])]
    colours = cluster_colours(list(cluster_ids or []) + [c for c in seen if c not in (cluster_ids or [])])
    pw, ph = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def xy(x: float, y: float) -> tuple[float, float]:
        return LEFT + min(1.0, max(0.0, x)) * pw, TOP + (1 - min(1.0, max(0.0, y))) * ph

    def fmt(v: float) -> str:
        return f"{v:.1f}"

    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Helvetica, Arial, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="{TOP - 22}" font-size="16" font-weight="bold">{escape(title)}</text>',
        '<g id="grid" stroke="#dddddd" stroke-width="1">',
    ]
    for i in range(5):
        v = i / 4
        x, _ = xy(v, 0)
        _, y = xy(0, v)
        out.append(f'<line x1="{fmt(x)}" y1="{TOP}" x2="{fmt(x)}" y2="{TOP + ph}"/>')
        out.append(f'<line x1="{LEFT}" y1="{fmt(y)}" x2="{LEFT + pw}" y2="{fmt(y)}"/>')
    out.append("</g>")
    out.append('<g id="axes" stroke="#333333" stroke-width="1.5">')
    out.append(f'<line x1="{LEFT}" y1="{TOP + ph}" x2="{LEFT + pw}" y2="{TOP + ph}"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + ph}"/>')
    out.append("</g>")
    out.append('<g id="ticks" fill="#333333">')
    for i in range(5):
        v = i / 4
        x, _ = xy(v, 0)
        _, y = xy(0, v)
        out.append(f'<text x="{fmt(x)}" y="{TOP + ph + 18}" text-anchor="middle">{v:.2f}</text>')
        out.append(f'<text x="{LEFT - 8}" y="{fmt(y + 4)}" text-anchor="end">{v:.2f}</text>')
    out.append(
        f'<text x="{fmt(LEFT + pw / 2)}" y="{TOP + ph + 44}" text-anchor="middle" font-size="14">'
        "Openness (0 closed … 1 open)</text>"
    )
    cy = TOP + ph / 2
    out.append(
        f'<text x="20" y="{fmt(cy)}" text-anchor="middle" font-size="14" transform="rotate(-90 20 {fmt(cy)})">'
        "Ecosystem size (log scale)</text>"
    )
    out.append("</g>")
    if show_centroids:
        out.append('<g id="centroids" stroke-width="3">')
        for cid, (cx_, cy_) in centroids(items).items():
            x, y = xy(cx_, cy_)
            colour = colours[cid][1]
            out.append(
                f'<path d="M{fmt(x - 8)},{fmt(y)} H{fmt(x + 8)} M{fmt(x)},{fmt(y - 8)} V{fmt(y + 8)}" '
                f'stroke="{colour}" opacity="0.6"><title>{escape(names.get(cid, cid))} centroid</title></path>'
            )
        out.append("</g>")
    out.append('<g id="points">')
    boxes: list[tuple[float, float, float]] = []  # labels placed so far: (left, right, baseline)
    for p in sorted(items, key=lambda p: (p.profile, p.cluster or "", p.case)):
        x, y = xy(p.openness, p.ecosystem_size)
        colour = PROFILE_STYLE[1] if (p.profile or not p.cluster) else colours[p.cluster][1]
        tip = escape(
            f"{p.name} ({p.case}): openness {p.openness:.2f}, ecosystem size {p.ecosystem_size:.2f}"
            + (", manual" if p.manual else "")
        )
        if p.profile or not p.cluster:
            shape = (
                f'<path d="M{fmt(x)},{fmt(y - 7)} L{fmt(x + 7)},{fmt(y)} L{fmt(x)},{fmt(y + 7)} '
                f'L{fmt(x - 7)},{fmt(y)} Z" fill="{colour}">'
            )
            out.append(f"{shape}<title>{tip}</title></path>")
        else:
            out.append(
                f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="5" fill="{colour}" stroke="#ffffff">'
                f"<title>{tip}</title></circle>"
            )
        label = p.case + ("*" if p.manual else "")
        anchor, dx = ("end", -8) if p.openness > 0.75 else ("start", 8)
        left = x + dx - (CHAR_W * len(label) if anchor == "end" else 0)
        ly = _free_row(boxes, left, left + CHAR_W * len(label), y - 6)
        out.append(
            f'<text x="{fmt(x + dx)}" y="{fmt(ly)}" text-anchor="{anchor}" fill="{colour}" '
            f'data-case="{_attr(p.case)}">{escape(label)}</text>'
        )
    out.append("</g>")
    out.append(f'<g id="legend" transform="translate({WIDTH - RIGHT + 20},{TOP})">')
    row = 0
    for cid in order:
        out.append(f'<circle cx="6" cy="{row * 20 + 6}" r="5" fill="{colours[cid][1]}"/>')
        out.append(f'<text x="18" y="{row * 20 + 10}">{escape(names.get(cid, cid))}</text>')
        row += 1
    if any(p.profile or not p.cluster for p in items):
        out.append(
            f'<path d="M6,{row * 20} L12,{row * 20 + 6} L6,{row * 20 + 12} L0,{row * 20 + 6} Z" fill="#000000"/>'
        )
        out.append(f'<text x="18" y="{row * 20 + 10}">profile</text>')
        row += 1
    if show_centroids and order:
        out.append(
            f'<path d="M0,{row * 20 + 6} H12 M6,{row * 20} V{row * 20 + 12}" stroke="#666666" stroke-width="3"/>'
        )
        out.append(f'<text x="18" y="{row * 20 + 10}">cluster centroid</text>')
        row += 1
    if any(p.manual for p in items):
        out.append(f'<text x="0" y="{row * 20 + 10}">* manual position</text>')
        row += 1
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"
